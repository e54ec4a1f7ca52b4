"""The synthetic corpus generator (``benchmarks/synth.py``): what it writes parses back exactly as it was generated.

The generator is independent of the parser (it never imports it); its ground truth says, per report, how many
programme entries each objective has and, per entry, the number, title and agencies as printed, the title line, the
result and challenge blocks, tables and footnotes. These tests hold the two against each other on a few hundred
entries spread over three reports, and check that the irregularities that make the real document hard are really
there (so the corpus cannot quietly degrade into a clean toy format).
"""

from __future__ import annotations

import csv
import importlib.util
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from gcm_graph import paths
from gcm_graph.parse import parse_document
from gcm_graph.records import ParsedReport
from gcm_graph.registers import check_agencies, load_agencies
from gcm_graph.sources import read_source

SYNTH = paths.ROOT / "benchmarks" / "synth.py"


def load_synth():
    """``benchmarks/synth.py`` as a module (benchmarks/ is not a package)."""
    name = "gcm_graph_benchmarks_synth"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, SYNTH)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while the class is created
        spec.loader.exec_module(module)
    return sys.modules[name]


synth = load_synth()

# Every irregularity of the real document the corpus must contain at least once (keys of ReportTruth.features).
IRREGULARITIES = (
    "title-h2", "title-h3", "title-h4", "title-bold", "title-item", "title-without-body", "two-agencies",
    "title-no-agency", "title-other-parenthesis", "agency-variant", "section-bold", "section-h2", "section-h3",
    "section-h4", "section-odd-capitals", "results-missing", "challenges-missing", "numbered-results-like-titles",
    "numbered-challenges", "item-ending-in-parenthesis", "campaign-items", "sub-lists", "subheadings-in-results",
    "cut-by-footnote", "cut-by-page-break", "list-cut-by-page-break", "footnotes", "footnote-hard-break-urls",
    "footnote-url-next-line", "separators", "page-breaks", "tables", "objective-without-programme",
    "item-without-stop",
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return synth.generate(tmp_path_factory.mktemp("synth") / "corpus", reports=3, entries=420, seed=11)


@pytest.fixture(scope="module")
def parsed(corpus) -> dict[str, ParsedReport]:
    """Each report read the way the build reads it (metadata, sha256 check, decoding) and parsed."""
    out = {}
    for r in corpus.reports:
        source = read_source(corpus.out / "source" / f"{r.slug}.toml")
        out[r.slug] = ParsedReport(source.meta, parse_document(source.text, f"{r.slug}.md"))
    return out


def test_corpus_shape(corpus):
    assert [r.slug for r in corpus.reports] == ["gt-2019", "hn-2019", "sv-2019"]
    assert corpus.entries == 420 and [r.programmes for r in corpus.reports] == [140, 140, 140]
    for r in corpus.reports:
        assert sum(r.counts) == r.programmes and len(r.counts) == 23
    files = sorted(str(p.relative_to(corpus.out)) for p in corpus.out.rglob("*") if p.is_file())
    assert files == sorted(["truth.json", "reference/countries.csv", "reference/agencies-gt.csv",
                            "reference/agencies-hn.csv", "reference/agencies-sv.csv"]
                           + [f"source/{r.slug}.{ext}" for r in corpus.reports for ext in ("md", "toml")])


def test_every_line_is_attributed(parsed):
    for slug, report in parsed.items():
        assert report.document.unattributed == (), slug


def test_programme_counts_per_objective(corpus, parsed):
    for r in corpus.reports:
        doc = parsed[r.slug].document
        assert [o.number for o in doc.objectives] == list(range(1, 24))
        assert tuple(len(o.programmes) for o in doc.objectives) == r.counts, r.slug


def test_titles_agencies_and_lines_exactly_as_generated(corpus, parsed):
    for r in corpus.reports:
        got = [(p.objective, p.number, p.title, p.agencies, p.first_line) for p in parsed[r.slug].document.programmes]
        want = [(e.objective, e.number, e.title, e.agencies, e.line) for e in r.entries]
        assert got == want, r.slug


def test_results_challenges_tables_and_footnotes_as_generated(corpus, parsed):
    for r in corpus.reports:
        got = [(p.key, len(p.results), len(p.challenges), len(p.tables), tuple(sorted(f.number for f in p.footnotes)))
               for p in parsed[r.slug].document.programmes]
        want = [(e.key, e.results, e.challenges, e.tables, e.footnotes) for e in r.entries]
        assert got == want, r.slug
        assert len(parsed[r.slug].document.footnotes) == r.footnotes


def test_front_matter(corpus, parsed):
    for r in corpus.reports:
        doc = parsed[r.slug].document
        assert doc.title == r.title and "sintético" in doc.title
        assert doc.place_date == r.place_date
        assert len(doc.introduction) >= 3


def test_metadata_registers_and_countries(corpus, parsed):
    reference = corpus.out / "reference"
    with open(reference / "countries.csv", encoding="utf-8") as fh:
        countries = {row["code"]: row for row in csv.DictReader(fh)}
    assert sorted(countries) == ["GT", "HN", "SV"]
    for r in corpus.reports:
        report = parsed[r.slug]
        meta = report.meta
        assert (meta.slug, meta.country, meta.year, meta.language) == (r.slug, r.country, r.year, "es")
        assert meta.sha256 == r.sha256 and meta.title == r.title
        assert countries[r.country]["wikidata"].startswith("Q")
        register = load_agencies(r.country, reference)
        check_agencies(report, register)  # every printed acronym is in the generated register
        assert register.lookup(meta.publisher_agency) is not None
        assert {a for e in r.entries for a in e.agencies} <= {f for a in register for f in (a.acronym, *a.variants)}


def test_every_irregularity_is_generated(corpus):
    features: Counter = Counter()
    for r in corpus.reports:
        features.update(r.features)
    missing = [f for f in IRREGULARITIES if not features[f]]
    assert not missing, f"the corpus lacks {missing}"
    assert any(0 in r.counts for r in corpus.reports)  # an objective with no programme


def test_truth_file_matches_the_api(corpus):
    import json

    data = json.loads((corpus.out / "truth.json").read_text(encoding="utf-8"))
    assert data["seed"] == 11 and data["entries"] == 420
    for r, d in zip(corpus.reports, data["reports"]):
        assert d["slug"] == r.slug and tuple(d["counts"]) == r.counts
        assert [(e["title"], tuple(e["agencies"])) for e in d["entries"]] == [(e.title, e.agencies) for e in r.entries]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_gives_byte_identical_output(tmp_path):
    a = synth.generate(tmp_path / "a", reports=2, entries=90, seed=5)
    b = synth.generate(tmp_path / "b", reports=2, entries=90, seed=5)
    assert _files(a.out) == _files(b.out)
    # …and again over an existing corpus folder, in a fresh interpreter (no state shared with this process)
    proc = subprocess.run([sys.executable, str(SYNTH), "--reports", "2", "--entries", "90", "--seed", "5", "--out",
                           str(tmp_path / "a"), "-q"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert _files(tmp_path / "a") == _files(b.out)


def test_different_seeds_give_different_output():
    a = synth.build_corpus(reports=2, entries=90, seed=5)
    b = synth.build_corpus(reports=2, entries=90, seed=6)
    for name in ("source/gt-2019.md", "source/hn-2019.md", "reference/agencies-gt.csv"):
        assert a.files[name] != b.files[name], name
    assert [e.title for e in a.reports[0].entries] != [e.title for e in b.reports[0].entries]


def test_sizes():
    assert synth.parse_size("1x") == (1, 176)
    assert synth.parse_size("10x") == (10, 1760)
    assert synth.parse_size("100x") == (100, 17600)
    for bad in ("x", "0x", "ten", "-1x"):
        with pytest.raises(ValueError):
            synth.parse_size(bad)
    plan = synth.plan(20, 1001)
    assert sum(n for *_, n in plan) == 1001 and {n for *_, n in plan} == {50, 51}
    assert plan[0][:3] == ("gt-2019", "GT", 2019) and plan[18][:3] == ("gt-2020", "GT", 2020)
    assert len({slug for slug, *_ in plan}) == 20


def test_one_x_is_the_size_of_the_real_document():
    corpus = synth.build_corpus(*synth.parse_size("1x"), seed=0)
    real = (paths.SOURCES_DIR / "mx-2020.md").read_text(encoding="utf-8")
    assert corpus.entries == 176
    assert 0.8 < corpus.lines / real.count("\n") < 1.3
    assert 0.8 < corpus.bytes / len(real.encode("utf-8")) < 1.3


def test_cli(tmp_path):
    proc = subprocess.run([sys.executable, str(SYNTH), "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "--size" in proc.stdout and "--seed" in proc.stdout
    out = tmp_path / "c"
    proc = subprocess.run([sys.executable, str(SYNTH), "--reports", "2", "--entries", "30", "--seed", "3",
                           "--countries", "CO,PE", "--out", str(out)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "2 report(s), 30 programme entries" in proc.stdout
    assert sorted(p.name for p in (out / "source").iterdir()) == ["co-2019.md", "co-2019.toml", "pe-2019.md",
                                                                   "pe-2019.toml"]


def test_refuses_a_folder_that_is_not_a_corpus(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError):
        synth.generate(tmp_path, reports=1, entries=5)
    proc = subprocess.run([sys.executable, str(SYNTH), "--size", "1x", "--out", str(tmp_path)], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2 and "refusing" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["precious.txt"]


def test_every_period_of_a_large_corpus_starts_before_it_ends(tmp_path):
    """The generator's date spans (``del 3 de junio de 2018 al 9 de junio de 2018``) never end before they start
    (the shapes reject such periods, so a corpus with one could not be built)."""
    import re

    corpus = synth.generate(tmp_path / "c", reports=4, entries=4000, seed=0)
    months = synth._MONTHS
    spans = 0
    for md in sorted((corpus.out / "source").glob("*.md")):
        for m in re.finditer(r"del (\d+) de (\w+) de (\d+) al (\d+) de (\w+) de (\d+)", md.read_text(encoding="utf-8")):
            start = (int(m[3]), months.index(m[2]), int(m[1]))
            end = (int(m[6]), months.index(m[5]), int(m[4]))
            assert start <= end, m[0]
            spans += 1
    assert spans > 200

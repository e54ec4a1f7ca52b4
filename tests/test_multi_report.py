"""Several reports in one build: the real compendium (MX) and a synthetic report of another country (GT).

One named graph per report, IRIs scoped by report and country, nothing of one report in the other's graph, queries
filtered by country, and a bad second source that stops the build and leaves the previous output as it was.

The synthetic country's agency register and its countries.csv row live in the generator's output folder, not in
data/reference/: the build takes them with ``gcm-graph build --reference DIR``, and records the countries it
contains in its output, so that ``gcm-graph query -p country=XX --dist DIST`` accepts them without the folder.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from collections import Counter
from pathlib import Path

import pytest

from gcm_graph import paths

from .conftest import run_cli
from .test_synth import synth

BASE = "https://w3id.org/gcm-graph/"
GCM = BASE + "ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
WD = "http://www.wikidata.org/entity/"
REAL = "mx-2020"
SYN = "gt-2019"

REFERENCE_OPTION = "--reference"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A small synthetic report of Guatemala (60 programme entries), with its register and country row."""
    return synth.generate(tmp_path_factory.mktemp("synth") / "corpus", reports=1, entries=60, seed=5,
                          countries=["GT"])


def _sources(folder: Path, corpus, bad: bool = False) -> Path:
    """A sources folder holding the real report and the synthetic one (``bad``: objective 5's heading repeated)."""
    folder.mkdir(parents=True)
    for ext in ("md", "toml"):
        shutil.copyfile(paths.SOURCES_DIR / f"{REAL}.{ext}", folder / f"{REAL}.{ext}")
    text = (corpus.out / "source" / f"{SYN}.md").read_text(encoding="utf-8")
    meta = (corpus.out / "source" / f"{SYN}.toml").read_text(encoding="utf-8")
    if bad:
        lines = text.split("\n")
        five = next(i for i, ln in enumerate(lines) if "**Objetivo 5." in ln)
        six = next(i for i, ln in enumerate(lines) if "**Objetivo 6." in ln)
        lines[six:six] = [lines[five], ""]  # objective 5 again, just before objective 6
        text = "\n".join(lines)
        old = corpus.reports[0].sha256
        meta = meta.replace(old, hashlib.sha256(text.encode("utf-8")).hexdigest())
    (folder / f"{SYN}.md").write_text(text, encoding="utf-8")
    (folder / f"{SYN}.toml").write_text(meta, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def multi(corpus, tmp_path_factory):
    """``gcm-graph build`` of both reports into a temporary folder (its process result, and the folder)."""
    root = tmp_path_factory.mktemp("multi")
    sources = _sources(root / "sources", corpus)
    out = root / "dist"
    # Validation is left to test_multi_report_build_validates (and the real build to test_cli_build): here, structure.
    proc = run_cli("build", "--sources", str(sources), REFERENCE_OPTION, str(corpus.out / "reference"),
                   "--out", str(out), "--no-validate", "--quiet")
    return proc, out


def _built(multi) -> Path:
    proc, out = multi
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def quads(multi):
    """Every quad of dist/gcm-graph.trig as (s, p, o, g) strings (IRIs bare, literals as their value)."""
    proc, out = multi
    if proc.returncode != 0:
        return None
    import pyoxigraph as ox

    def term(t) -> str:
        return t.value

    with open(out / "gcm-graph.trig", "rb") as fh:
        return [(term(q.subject), term(q.predicate), term(q.object), term(q.graph_name))
                for q in ox.parse(fh, format=ox.RdfFormat.TRIG)]


def _graph(quads, slug: str) -> list[tuple[str, str, str]]:
    return [(s, p, o) for s, p, o, g in quads if g == f"{BASE}graph/{slug}"]


def _real_counts() -> tuple[int, ...]:
    from gcm_graph.parse import parse_document

    doc = parse_document((paths.SOURCES_DIR / f"{REAL}.md").read_text(encoding="utf-8"))
    return tuple(len(o.programmes) for o in doc.objectives)


def test_one_named_graph_per_report(multi, quads, corpus):
    _built(multi)
    graphs = {g for *_, g in quads}
    assert {f"{BASE}graph/{REAL}", f"{BASE}graph/{SYN}"} <= graphs
    for slug, expected in ((REAL, sum(_real_counts())), (SYN, corpus.reports[0].programmes)):
        entries = {s for s, p, o in _graph(quads, slug) if p == RDF_TYPE and o == GCM + "ProgrammeEntry"}
        assert len(entries) == expected, slug
        assert all(s.startswith(f"{BASE}id/programme/{slug}/") for s in entries), slug
        # no programme entry of this report is typed (or described) in any other graph
        own = (f"{BASE}graph/{slug}", f"{BASE}graph/inferred")
        elsewhere = {g for s, p, o, g in quads if s in entries and g not in own}
        assert not elsewhere, (slug, elsewhere)


def test_iris_scoped_by_report_and_country(multi, quads, corpus):
    _built(multi)
    truth = corpus.reports[0]
    register = {a.acronym: a.id for a in corpus.registers["GT"]}
    register.update({v: a.id for a in corpus.registers["GT"] for v in a.variants})
    for slug, cc in ((REAL, "mx"), (SYN, "gt")):
        agencies = {o for s, p, o in _graph(quads, slug) if p == GCM + "responsibleAgency"}
        assert agencies and all(o.startswith(f"{BASE}id/org/{cc}/") for o in agencies), slug
        report = f"{BASE}id/report/{slug}"
        assert (report, RDF_TYPE, GCM + "Report") in _graph(quads, slug)
    # the synthetic entries name exactly the agencies printed in their titles
    expected = {f"{BASE}id/org/gt/{register[a]}" for e in truth.entries for a in e.agencies}
    got = {o for s, p, o in _graph(quads, SYN) if p == GCM + "responsibleAgency"}
    assert got == expected
    # both countries' agencies are described, each with its own country
    countries = {s: o for s, p, o, g in quads if p == GCM + "country" and "/id/org/" in s}
    for cc, wikidata in (("gt", "Q774"), ("mx", "Q96")):
        assert {o for s, o in countries.items() if s.startswith(f"{BASE}id/org/{cc}/")} == {WD + wikidata}


def test_nothing_mixed_between_reports(multi, quads):
    _built(multi)
    for slug, other, other_cc in ((REAL, SYN, "gt"), (SYN, REAL, "mx")):
        foreign = (f"{BASE}id/programme/{other}/", f"{BASE}id/report/{other}", f"{BASE}id/org/{other_cc}/")
        mixed = [t for t in _graph(quads, slug) if any(x.startswith(foreign) for x in (t[0], t[2]))]
        assert not mixed, (slug, mixed[:5])
    subjects = {slug: {s for s, _, _ in _graph(quads, slug) if s.startswith(BASE + "id/")} for slug in (REAL, SYN)}
    assert not subjects[REAL] & subjects[SYN]


def test_programmes_csv_holds_both_reports(multi, corpus):
    out = _built(multi)
    rows = list(csv.DictReader(io.StringIO((out / "programmes.csv").read_text(encoding="utf-8"))))
    per_report = Counter(r["report"] for r in rows)
    assert per_report == {REAL: sum(_real_counts()), SYN: corpus.reports[0].programmes}
    syn = [r for r in rows if r["report"] == SYN]
    assert [(int(r["objective"]), int(r["number"]), r["title"], r["agencies"]) for r in syn] == [
        (e.objective, e.number, e.title, ";".join(e.agencies)) for e in corpus.reports[0].entries]
    assert all(r["iri"].startswith(f"{BASE}id/programme/{r['report']}/") for r in rows)


def _coverage(out: Path, *params: str) -> tuple[int, ...]:
    args = ["query", "objective-coverage", "--dist", str(out), "--format", "csv"]
    for p in params:
        args += ["-p", p]
    proc = run_cli(*args)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert [int(r["objective"]) for r in rows] == list(range(1, 24))
    return tuple(int(r["programmes"]) for r in rows)


def test_per_country_and_per_report_queries(multi, corpus):
    out = _built(multi)
    syn, real = corpus.reports[0].counts, _real_counts()
    assert _coverage(out, "country=GT") == syn
    assert _coverage(out, "country=gt") == syn
    assert _coverage(out, "country=MX") == real
    assert _coverage(out, f"report={SYN}") == syn
    assert _coverage(out, f"report={REAL}", "country=MX") == real
    assert _coverage(out, f"report={REAL}", "country=GT") == (0,) * 23
    assert _coverage(out) == tuple(a + b for a, b in zip(syn, real))


def test_multi_report_build_validates(multi):
    out = _built(multi)
    proc = run_cli("validate", "--dist", str(out))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_bad_second_source_leaves_the_output_untouched(corpus, tmp_path):
    """A repeated objective in the second report stops the build with its file and line; the output folder stays
    exactly as it was. (Parsing comes before the registers, so this needs no reference folder for the synthetic
    country; the previous output is a stand-in, since what is in it must not matter.)"""
    out = tmp_path / "dist"
    (out / "store").mkdir(parents=True)
    (out / "programmes.csv").write_text("report,objective,number\nmx-2020,1,1\n", encoding="utf-8")
    (out / "gcm-graph.trig").write_text("# a previous build\n", encoding="utf-8")
    (out / "store" / "data").write_bytes(b"\x00previous store\x00")
    before = _snapshot(out)

    bad = _sources(tmp_path / "bad", corpus, bad=True)
    lines = (bad / f"{SYN}.md").read_text(encoding="utf-8").split("\n")
    repeated = [i + 1 for i, ln in enumerate(lines) if "**Objetivo 5." in ln][1]
    proc = run_cli("build", "--sources", str(bad), "--out", str(out), "--no-validate", "--quiet")
    assert proc.returncode == 2
    assert f"{SYN}.md:{repeated}:" in proc.stderr, proc.stderr
    assert "objective 5" in proc.stderr and "Traceback" not in proc.stderr
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad", "dist"]  # and no temporary folder left beside it

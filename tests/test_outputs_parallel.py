"""Both cores: reports are parsed, enriched and built in worker processes, and the dumps are written by a forked
child while the store loads and validates. Same files as one process; a failure anywhere leaves the previous dist/
alone with a readable error (a bad source still names its file and line)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from gcm_graph import export, parallel, paths, pipeline
from gcm_graph.errors import GcmError


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "store" not in p.relative_to(folder).parts}


@pytest.fixture(scope="module")
def sequential(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sequential") / "dist"
    pipeline.build(out=out, validate=False, parallel=False)
    return out


def test_worker_processes_write_the_same_files_as_one_process(built_dist, sequential):
    assert parallel.workers() > 1, "this machine should build with worker processes"
    assert digests(built_dist) == digests(sequential)
    assert len(digests(sequential)) >= 16


@pytest.mark.parametrize("per_report", [True, False], ids=["reasoned-per-report", "reasoned-over-all"])
def test_several_reports_in_workers_give_the_same_build_as_one_process(tmp_path, monkeypatch, per_report):
    from gcm_graph import reason

    from .test_synth import synth

    corpus = synth.generate(tmp_path / "corpus", reports=3, entries=40, seed=11, countries=["GT", "HN"])
    sources, reference = corpus.out / "source", corpus.out / "reference"
    one = pipeline.build(sources, tmp_path / "one", validate=False, reference=reference, parallel=False)
    if not per_report:  # as if the ontology had a construct that joins reports: the parent reasons over all
        monkeypatch.setattr(reason, "splittable", lambda _ontology: False)
    messages: list[str] = []
    two = pipeline.build(sources, tmp_path / "two", validate=False, reference=reference, parallel=True,
                         progress=messages.append)
    assert [r.slug for r in two.reports] == [r.slug for r in one.reports] and len(one.reports) == 3
    assert digests(tmp_path / "one") == digests(tmp_path / "two")
    assert two.timings["reports"] > 0 and two.timings["enrich"] > 0  # the workers' times are kept
    assert any("reasoning over" in m for m in messages) == per_report
    assert two.inferred_count == one.inferred_count > 500


def test_a_bad_source_in_a_worker_names_its_file_and_line(tmp_path):
    from gcm_graph.errors import ParseError

    sources = tmp_path / "sources"
    sources.mkdir()
    for ext in ("md", "toml"):
        (sources / f"mx-2020.{ext}").write_bytes((paths.SOURCES_DIR / f"mx-2020.{ext}").read_bytes())
    text = (sources / "mx-2020.md").read_text(encoding="utf-8").split("\n")
    five = next(i for i, ln in enumerate(text) if "**Objetivo 5." in ln)
    six = next(i for i, ln in enumerate(text) if "**Objetivo 6." in ln)
    text[six:six] = [text[five], ""]
    data = "\n".join(text).encode("utf-8")
    (sources / "mx-2020.md").write_bytes(data)
    meta = (sources / "mx-2020.toml").read_text(encoding="utf-8")
    old = hashlib.sha256((paths.SOURCES_DIR / "mx-2020.md").read_bytes()).hexdigest()
    (sources / "mx-2020.toml").write_text(meta.replace(old, hashlib.sha256(data).hexdigest()), encoding="utf-8")
    with pytest.raises(ParseError) as raised:
        pipeline.build(sources, tmp_path / "dist", validate=False, parallel=True)
    assert raised.value.path.endswith("mx-2020.md") and raised.value.line == six + 1
    assert not (tmp_path / "dist").exists()


def test_a_failing_writer_stops_the_build_and_keeps_the_previous_output(sequential, tmp_path, monkeypatch):
    out = tmp_path / "dist"
    pipeline.build(out=out, validate=False)
    before = digests(out)

    def boom(*_args, **_kwargs):
        raise GcmError("disk full (simulated)", "dist/gcm-graph.rdf")

    monkeypatch.setattr(export, "write_dumps", boom)  # the forked child inherits it
    with pytest.raises(GcmError, match="disk full"):
        pipeline.build(out=out, validate=False)
    assert digests(out) == before


def test_a_crashing_writer_is_reported_with_its_traceback(tmp_path, monkeypatch):
    def crash(*_args, **_kwargs):
        raise ZeroDivisionError("nobody expects this")

    monkeypatch.setattr(export, "write_dumps", crash)
    with pytest.raises(GcmError, match="writing the dumps failed(.|\n)*ZeroDivisionError"):
        pipeline.build(out=tmp_path / "dist", validate=False)
    assert not (tmp_path / "dist").exists()


def _corpus_with_inverted_span(tmp_path):
    """Three synthetic reports, one with a result period that ends before it starts (a shape violation on a
    node of that report)."""
    import re

    from .test_synth import synth

    corpus = synth.generate(tmp_path / "corpus", reports=3, entries=40, seed=11, countries=["GT", "HN"])
    pattern = r"del (\d+) de (\w+) de (\d+) al (\d+) de (\w+) de (\d+)"
    md = next(p for p in sorted((corpus.out / "source").glob("*.md"))
              if re.search(pattern, p.read_text(encoding="utf-8")))
    text = md.read_text(encoding="utf-8")
    span = re.search(pattern, text)
    later = int(span[3]) + 3
    text = text.replace(span[0], f"del {span[1]} de {span[2]} de {later} al {span[4]} de {span[5]} de {span[6]}", 1)
    old = hashlib.sha256(md.read_bytes()).hexdigest()
    md.write_text(text, encoding="utf-8")
    meta = md.with_suffix(".toml")
    meta.write_text(meta.read_text(encoding="utf-8").replace(old, hashlib.sha256(text.encode()).hexdigest()),
                    encoding="utf-8")
    return corpus


def test_validation_split_between_workers_and_parent_is_the_whole_validation(tmp_path):
    from .test_synth import synth

    corpus = synth.generate(tmp_path / "corpus", reports=3, entries=40, seed=11, countries=["GT", "HN"])
    sources, reference = corpus.out / "source", corpus.out / "reference"
    one = pipeline.build(sources, tmp_path / "one", reference=reference, parallel=False)
    two = pipeline.build(sources, tmp_path / "two", reference=reference, parallel=True)
    assert two.worker_problems is not None, "the workers should have validated their reports"
    assert two.validation.problems == one.validation.problems
    assert two.timings["validate:workers"] > 0


def test_a_violation_found_in_a_worker_stops_the_build_as_in_one_process(tmp_path):
    from gcm_graph.pipeline import ValidationFailed

    corpus = _corpus_with_inverted_span(tmp_path)
    sources, reference = corpus.out / "source", corpus.out / "reference"
    messages = []
    for parallel_ in (False, True):
        with pytest.raises(ValidationFailed) as failed:
            pipeline.build(sources, tmp_path / f"dist-{parallel_}", reference=reference, parallel=parallel_)
        assert not (tmp_path / f"dist-{parallel_}").exists()
        messages.append(str(failed.value))
    assert messages[0] == messages[1] and "Violation" in messages[0]

"""The dumps are written by a forked child while the store loads and validates: same files as one process, and a
failure on either side leaves the previous dist/ alone with a readable error."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from gcm_graph import export, outputs, pipeline
from gcm_graph.errors import GcmError


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "store" not in p.relative_to(folder).parts}


@pytest.fixture(scope="module")
def sequential(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sequential") / "dist"
    real = outputs.write_outputs
    outputs.write_outputs = lambda *a, **k: real(*a, **{**k, "parallel": False})
    try:
        pipeline.build(out=out, validate=False)
    finally:
        outputs.write_outputs = real
    return out


def test_the_forked_writer_writes_the_same_files_as_one_process(built_dist, sequential):
    assert outputs._can_fork(None), "this machine should write the dumps alongside the store"
    assert digests(built_dist) == digests(sequential)
    assert len(digests(sequential)) >= 16


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

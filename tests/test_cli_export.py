"""``gcm-graph export``: one format from a build's store, the whole build or chosen graphs, same as the dumps."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from .conftest import run_cli

REPORT = "https://w3id.org/gcm-graph/graph/mx-2020"


def export(built_dist, *args: str):
    proc = run_cli("export", "--dist", str(built_dist), *args)
    assert proc.returncode == 0, proc.stderr
    return proc


def test_whole_build_as_ntriples_is_the_builds_own_dump(built_dist, tmp_path):
    out = tmp_path / "all.nt"
    export(built_dist, "--format", "nt", "--out", str(out))
    assert out.read_bytes() == (built_dist / "gcm-graph.nt").read_bytes()


def test_every_graph_as_trig_is_the_builds_trig(built_dist, tmp_path):
    out = tmp_path / "all.trig"
    export(built_dist, "--format", "trig", "--inferred", "-o", str(out))
    assert out.read_bytes() == (built_dist / "gcm-graph.trig").read_bytes()


def test_one_report_as_nquads_is_its_per_report_dump(built_dist, tmp_path):
    out = tmp_path / "mx.nq"
    export(built_dist, "-f", "nq", "-g", "mx-2020", "-o", str(out))
    assert out.read_bytes() == (built_dist / "reports" / "mx-2020.nq").read_bytes()
    graphs = {q.graph_name.value for q in ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS)}
    assert graphs == {REPORT}


@pytest.mark.parametrize("fmt, rdf_format", [("ttl", ox.RdfFormat.TURTLE), ("rdf", ox.RdfFormat.RDF_XML),
                                             ("jsonld", ox.RdfFormat.JSON_LD)])
def test_one_report_in_every_triple_format_holds_the_reports_triples(built_dist, tmp_path, fmt, rdf_format):
    expected = {(q.subject, q.predicate, q.object) for q in ox.parse(path=str(built_dist / "reports" / "mx-2020.nq"),
                                                                      format=ox.RdfFormat.N_QUADS)}
    out = tmp_path / f"mx.{fmt}"
    export(built_dist, "-f", fmt, "-g", "mx-2020", "-o", str(out))
    # JSON-LD stands alone: its context is inlined, so a processor reads it without the build's context.jsonld
    got = {(q.subject, q.predicate, q.object) for q in ox.parse(path=str(out), format=rdf_format)}
    assert got == expected and len(got) > 20_000


def test_standard_output_by_default(built_dist):
    proc = export(built_dist, "-f", "nt", "-g", "reference")
    lines = proc.stdout.splitlines()
    assert lines and lines == sorted(lines) and all(line.endswith(" .") for line in lines)
    assert any("/id/org/mx/" in line for line in lines)


def test_unknown_graph_and_missing_build_are_errors_that_name_them(built_dist, tmp_path):
    proc = run_cli("export", "--dist", str(built_dist), "-g", "zz-1999")
    assert proc.returncode == 2
    assert "no graph named zz-1999" in proc.stderr and "mx-2020" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_cli("export", "--dist", str(tmp_path / "nowhere"))
    assert proc.returncode == 2 and "run 'gcm-graph build' first" in proc.stderr


def test_a_failed_export_leaves_an_existing_file_alone(built_dist, tmp_path):
    out = tmp_path / "keep.nt"
    out.write_text("previous\n")
    proc = run_cli("export", "--dist", str(built_dist), "-g", "zz-1999", "-o", str(out))
    assert proc.returncode == 2 and out.read_text() == "previous\n"

"""``gcm-graph build`` and ``stats`` through the real entry point; programmes.csv compared structurally."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from gcm_graph.csvout import PROGRAMME_COLUMNS

from .conftest import ROOT, run_cli

GOLDEN = ROOT / "tests" / "golden" / "programmes-mx-2020.csv"


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_help_everywhere():
    for args in (["--help"], ["build", "--help"], ["stats", "--help"]):
        proc = run_cli(*args)
        assert proc.returncode == 0 and "usage: gcm-graph" in proc.stdout


def test_programmes_csv_columns_and_rows(built_dist, real_doc):
    data = (built_dist / "programmes.csv").read_bytes()
    header = data.decode("utf-8").split("\n", 1)[0]
    assert tuple(header.split(",")) == PROGRAMME_COLUMNS
    rows = _rows(data)
    assert len(rows) == len(real_doc.programmes)
    keys = [(r["objective"], r["number"]) for r in rows]
    assert len(set(keys)) == len(keys)  # every entry exactly once
    by_key = {f"{r['objective']}-{r['number']}": r for r in rows}
    p = by_key["11-2"]
    assert p["agencies"] == "SHCP;SAT" and p["source_line"] == "1853"
    assert p["iri"] == "https://w3id.org/gcm-graph/id/programme/mx-2020/11-2"
    assert by_key["1-6"]["results"] == "2" and by_key["1-6"]["challenges"] == "3"


def test_programmes_csv_matches_golden_structurally(built_dist):
    """Compared as records, not text: column order and quoting may change without failing this test."""
    got = _rows((built_dist / "programmes.csv").read_bytes())
    want = _rows(GOLDEN.read_bytes())
    fields = [c for c in PROGRAMME_COLUMNS if c not in ("partners", "populations")]  # filled by enrichment
    assert [{k: r[k] for k in fields} for r in got] == [{k: r[k] for k in fields} for r in want]


def test_two_builds_are_byte_identical(built_dist, tmp_path):
    again = tmp_path / "dist"
    assert run_cli("build", "--out", str(again), "-q").returncode == 0
    for f in sorted(p for p in built_dist.rglob("*") if p.is_file()):
        rel = f.relative_to(built_dist)
        if rel.parts[0] == "store":
            continue  # the database's own files carry run-specific metadata; its content is tested elsewhere
        assert (again / rel).read_bytes() == f.read_bytes(), rel


def test_build_reports_progress_on_stderr(tmp_path):
    proc = run_cli("build", "--out", str(tmp_path / "d"))
    assert proc.returncode == 0
    assert "parsing mx-2020" in proc.stderr  # one report: no worker processes (tests/test_outputs_parallel.py)
    for stage in ("reasoning", "loading the store", "validating", "writing dist/"):
        assert stage in proc.stderr
    assert "176 programme entries" in proc.stdout


def test_stats_lists_objectives_and_no_unattributed_line():
    proc = run_cli("stats")
    assert proc.returncode == 0
    assert "176 programme entries under 23 objectives" in proc.stdout
    assert ", 0 unattributed" in proc.stdout
    assert "       22           0" in proc.stdout


def test_stats_counts_triples_per_graph_of_a_build(built_dist):
    proc = run_cli("stats", "--dist", str(built_dist))
    assert proc.returncode == 0
    graphs = [line.split() for line in proc.stdout.splitlines() if "/graph/" in line]
    names = {g[1].rsplit("/", 1)[-1]: int(g[0]) for g in graphs}
    assert set(names) == {"ontology", "reference", "mx-2020", "inferred", "dataset"}
    assert names["mx-2020"] > 10000 and names["inferred"] > 1000


def test_missing_sources_folder_is_a_clear_error(tmp_path):
    proc = run_cli("build", "--sources", str(tmp_path / "nope"), "--out", str(tmp_path / "d"))
    assert proc.returncode == 2
    assert "sources folder not found" in proc.stderr and "Traceback" not in proc.stderr
    assert not Path(tmp_path / "d").exists()

"""Smoke test of the benchmark scripts: ``benchmarks/run --sizes 1x --quick`` works and measures every stage (a time
and a peak memory of the process tree each), every canned query and the whole ``gcm-graph build`` process. It
proves the script runs, nothing about speed (benchmarks are not tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from gcm_graph.queries import load_all

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "benchmarks" / "run"
STAGES = ("imports", "parse", "enrich", "build", "reports", "reason", "store", "validate", "export", "export_parent")


def test_help():
    for script in (RUN, ROOT / "benchmarks" / "reason.py"):
        proc = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        assert "usage" in proc.stdout


def test_quick_run_measures_every_stage_and_query(tmp_path):
    out = tmp_path / "run.json"
    proc = subprocess.run([sys.executable, str(RUN), "--sizes", "1x", "--quick", "--work", str(tmp_path / "work"),
                           "--json", str(out)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-4000:]
    result = json.loads(out.read_text(encoding="utf-8"))["sizes"]["1x"]
    assert set(result["stages"]) == set(STAGES)
    for stage in STAGES:
        ours = result["stages"][stage]["ours"]
        assert ours.get("wall_s") is not None and ours["wall_s"] > 0, (stage, ours)
        assert ours.get("peak_pss") is not None and ours["peak_pss"] > 0, (stage, ours)
        assert ours["cpu_s"] is None or ours["cpu_s"] >= 0, (stage, ours)
    assert result["graph"]["programmes"] == 176
    worker = result["ours_process"][0]
    assert worker["status"] == "ok" and worker["build_wall_s"] > 0 and worker["build_peak_pss"] > 0, worker
    whole = result["whole_build"]
    assert whole["status"] == "ok", whole
    assert whole["wall_s"] > 0 and whole["cpu_s"] > 0 and whole["peak_pss"] > 0, whole
    names = {q.name for q in load_all()}
    assert names and set(result["queries"]) == names
    for name in names:
        ours = result["queries"][name]["ours"]
        assert ours["median_ms"] >= 0 and isinstance(ours["rows"], int), (name, ours)
    for baseline in ("export", "store"):
        assert result["baselines"][baseline]["status"] == "ok", result["baselines"][baseline]
        assert result["baselines"][baseline]["wall_s"] > 0
    assert "| validate |" in proc.stdout and "### Targets" in proc.stdout
    assert "whole `gcm-graph build` process** | " in proc.stdout

"""Shared fixtures: the real document parsed once, the real CLI entry point, a built dist/ in a temp folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gcm_graph import paths
from gcm_graph.parse import parse_document
from gcm_graph.sources import read_source

ROOT = paths.ROOT
REAL_META = paths.SOURCES_DIR / "mx-2020.toml"


def gcm_graph_exe() -> str:
    """The installed console script (the real entry point users run)."""
    exe = Path(sys.executable).with_name("gcm-graph")
    found = str(exe) if exe.exists() else shutil.which("gcm-graph")
    assert found, "the gcm-graph console script is not installed (pip install -e .)"
    return found


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([gcm_graph_exe(), *args], capture_output=True, text=True, cwd=cwd, timeout=timeout)


@pytest.fixture(scope="session")
def real_source():
    return read_source(REAL_META)


@pytest.fixture(scope="session")
def real_text(real_source) -> str:
    return real_source.text


@pytest.fixture(scope="session")
def real_doc(real_text):
    return parse_document(real_text, "data/source/mx-2020.md")


@pytest.fixture(scope="session")
def programmes(real_doc):
    return {p.key: p for p in real_doc.programmes}


@pytest.fixture(scope="session")
def built_dist(tmp_path_factory) -> Path:
    """``gcm-graph build`` run once through the real entry point into a temporary folder."""
    out = tmp_path_factory.mktemp("build") / "dist"
    proc = run_cli("build", "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr
    return out

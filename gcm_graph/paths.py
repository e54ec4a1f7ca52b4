"""Where the project's data files live. Code finds ontology, shapes, queries and registers by name through here."""

from __future__ import annotations

import os
import sys
from pathlib import Path

def _root() -> Path:
    """The folder holding ontology/, shapes/, queries/ and data/: $GCM_GRAPH_HOME, the source checkout (editable
    installs, the repository itself), or the data files a regular ``pip install`` puts under ``share/gcm-graph``."""
    if os.environ.get("GCM_GRAPH_HOME"):
        return Path(os.environ["GCM_GRAPH_HOME"])
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "ontology").is_dir():
        return checkout
    installed = Path(sys.prefix) / "share" / "gcm-graph"
    return installed if (installed / "ontology").is_dir() else checkout


#: Root of the project's data files.
ROOT = _root()

ONTOLOGY_DIR = ROOT / "ontology"
SHAPES_DIR = ROOT / "shapes"
QUERIES_DIR = ROOT / "queries"
DATA_DIR = ROOT / "data"
SOURCES_DIR = DATA_DIR / "source"
REFERENCE_DIR = DATA_DIR / "reference"
DEFAULT_DIST = ROOT / "dist"


def ontology_files() -> list[Path]:
    """All hand-written ontology and scheme files, in a stable order."""
    return sorted(ONTOLOGY_DIR.glob("*.ttl"))


def shape_files() -> list[Path]:
    return sorted(SHAPES_DIR.glob("*.ttl"))


def query_file(name: str) -> Path:
    return QUERIES_DIR / f"{name}.rq"


def query_files() -> list[Path]:
    return sorted(QUERIES_DIR.glob("*.rq"))


def reference_file(name: str) -> Path:
    return REFERENCE_DIR / name


def agency_register(country: str) -> Path:
    return REFERENCE_DIR / f"agencies-{country.lower()}.csv"

"""The files a build reads, with their SHA-256 digests: the inputs the build's PROV activity used.

File I/O, at the edge: called once per build by :func:`gcm_graph.export.describe`. The source documents themselves
are represented by their reports (``gcm:sha256``, checked when the document is read), not listed again here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..records import ParsedReport


@dataclass(frozen=True)
class InputFile:
    label: str  # "<folder>/<file name>": ontology/gcm.ttl, shapes/report.ttl, reference/agencies-mx.csv, source/mx-2020.toml
    sha256: str


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def input_files(reports: Iterable[ParsedReport]) -> list[InputFile]:
    """Ontology, shapes, reference registers and every report's metadata file, sorted by label."""
    found: dict[str, Path] = {}
    for p in paths.ontology_files():
        found[f"ontology/{p.name}"] = p
    for p in paths.shape_files():
        found[f"shapes/{p.name}"] = p
    for pattern in ("*.csv", "*.toml"):
        for p in sorted(paths.REFERENCE_DIR.glob(pattern)):
            found[f"reference/{p.name}"] = p
    for report in reports:
        meta_file = Path(report.document.path).with_name(f"{report.slug}.toml")
        if meta_file.is_file():
            found[f"source/{meta_file.name}"] = meta_file
    return [InputFile(label, sha256_file(path)) for label, path in sorted(found.items())]

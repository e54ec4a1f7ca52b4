"""The build, stage by stage: read sources → parse → (enrich → build → reason → validate) → write ``dist/``.

Each stage is a function from a value to a value; this module wires them together and is the only place (with
the CLI) that touches the file system.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .atomic import replace_dir
from .csvout import programmes_csv
from .namespaces import DEFAULT_BASE
from .parse import parse_document
from .records import ParsedReport
from .sources import discover, read_source

Progress = Callable[[str], None]


def stderr_progress(message: str) -> None:
    print(f"[gcm-graph] {message}", file=sys.stderr, flush=True)


def quiet(_message: str) -> None:
    return None


@dataclass
class BuildResult:
    out: Path
    reports: list[ParsedReport]
    files: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def programme_count(self) -> int:
        return sum(len(r.document.programmes) for r in self.reports)


def parse_sources(sources: Path = paths.SOURCES_DIR, progress: Progress = quiet) -> list[ParsedReport]:
    """Read and parse every report in ``sources``; the first bad one stops everything with its file and line."""
    reports = []
    for meta_path in discover(Path(sources)):
        source = read_source(meta_path)
        progress(f"parsing {source.meta.slug} ({Path(source.path).name})")
        reports.append(ParsedReport(source.meta, parse_document(source.text, _display(source.path))))
    return reports


def _display(path: str) -> str:
    """A path as users see it: relative to the current folder when below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def build(sources: Path = paths.SOURCES_DIR, out: Path = paths.DEFAULT_DIST, base: str = DEFAULT_BASE,
          progress: Progress = quiet) -> BuildResult:
    """Build everything into ``out``; on any error ``out`` is left exactly as it was."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    reports = parse_sources(sources, progress)
    timings["parse"] = time.perf_counter() - t0
    result = BuildResult(Path(out), reports, timings=timings)
    with replace_dir(Path(out)) as tmp:
        t = time.perf_counter()
        (tmp / "programmes.csv").write_bytes(programmes_csv(reports, base=base))
        result.files.append("programmes.csv")
        timings["write"] = time.perf_counter() - t
    progress(f"wrote {len(result.files)} file(s) to {out} ({result.programme_count} programme entries)")
    return result

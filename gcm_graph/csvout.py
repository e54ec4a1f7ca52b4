"""CSV tables for spreadsheet users, written from records (no RDF needed)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from .iris import mint
from .namespaces import DEFAULT_BASE
from .records import ParsedReport

PROGRAMME_COLUMNS = ("report", "objective", "number", "title", "agencies", "partners", "populations", "results",
                     "challenges", "source_line", "iri")


def to_csv(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 CSV with a header, ``\\n`` line ends (deterministic on every platform)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue().encode("utf-8")


def programme_rows(reports: Iterable[ParsedReport], links: Mapping[tuple[str, str], Mapping[str, Sequence[str]]] | None = None,
                   base: str = DEFAULT_BASE) -> list[tuple[object, ...]]:
    """One row per programme entry. ``links[(report, key)]`` may give ``partners`` and ``populations``."""
    links = links or {}
    rows = []
    for report in reports:
        for p in report.document.programmes:
            extra = links.get((report.slug, p.key), {})
            rows.append((
                report.slug, p.objective, p.number, p.title, ";".join(p.agencies),
                ";".join(extra.get("partners", ())), ";".join(extra.get("populations", ())),
                len(p.results), len(p.challenges), p.first_line,
                str(mint("programme", base, report=report.slug, objective=p.objective, number=p.number)),
            ))
    return rows


def programmes_csv(reports: Iterable[ParsedReport], links=None, base: str = DEFAULT_BASE) -> bytes:
    return to_csv(PROGRAMME_COLUMNS, programme_rows(reports, links, base))

"""Query results for people and programs: an aligned table, CSV, TSV, JSON or Markdown."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from .store import QueryResult

FORMATS = ("table", "csv", "tsv", "json", "markdown")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def as_table(result: QueryResult, width: int = 60) -> str:
    cols = result.columns
    cells = [[_cell(v).replace("\n", " ") for v in row] for row in result.rows]
    cells = [[c if len(c) <= width else c[: width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(cols)]
    line = "  ".join(c.ljust(w) for c, w in zip(cols, widths)).rstrip()
    out = [line, "  ".join("-" * w for w in widths)]
    for row in cells:
        out.append("  ".join(v.rjust(w) if _numeric(v) else v.ljust(w) for v, w in zip(row, widths)).rstrip())
    out.append(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _numeric(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def as_csv(result: QueryResult, delimiter: str = ",") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(result.columns)
    for row in result.rows:
        w.writerow([_cell(v) for v in row])
    return buf.getvalue()


def as_tsv(result: QueryResult) -> str:
    rows = ["\t".join(result.columns)]
    rows += ["\t".join(_cell(v).replace("\t", " ").replace("\n", " ") for v in row) for row in result.rows]
    return "\n".join(rows) + "\n"


def _json_value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def as_json(result: QueryResult) -> str:
    return json.dumps([{c: _json_value(v) for c, v in zip(result.columns, row)} for row in result.rows],
                      ensure_ascii=False, indent=2) + "\n"


def as_markdown(result: QueryResult) -> str:
    def esc(v) -> str:
        return _cell(v).replace("|", "\\|").replace("\n", " ")

    out = ["| " + " | ".join(result.columns) + " |", "|" + "|".join(" --- " for _ in result.columns) + "|"]
    out += ["| " + " | ".join(esc(v) for v in row) + " |" for row in result.rows]
    return "\n".join(out) + "\n"


def render(result: QueryResult, fmt: str) -> str:
    return {"table": as_table, "csv": as_csv, "tsv": as_tsv, "json": as_json, "markdown": as_markdown}[fmt](result)

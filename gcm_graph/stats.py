"""``gcm-graph stats``: programmes per objective and the accounting of every source line."""

from __future__ import annotations

from collections import Counter

from .records import ParsedReport


def line_accounting(report: ParsedReport) -> Counter[str]:
    return Counter(role.role for role in report.document.roles)


def _source_lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read().split("\n")
    except OSError:
        return []


def format_stats(reports: list[ParsedReport]) -> str:
    out: list[str] = []
    for report in reports:
        doc = report.document
        out.append(f"Report {report.slug} ({report.meta.country}, {report.meta.year}): {len(doc.programmes)} "
                   f"programme entries under {len(doc.objectives)} objectives")
        out.append("")
        out.append("objective  programmes  printed title")
        for o in doc.objectives:
            out.append(f"{o.number:>9}  {len(o.programmes):>10}  {o.printed_title[:90]}")
        out.append("")
        counts = line_accounting(report)
        attributed = sum(counts.values())
        out.append(f"Lines: {doc.line_count} in the document, {attributed} non-blank attributed "
                   f"({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}), "
                   f"{len(doc.unattributed)} unattributed")
        lines = _source_lines(doc.path) if doc.unattributed else []
        for n in doc.unattributed:
            text = lines[n - 1] if lines and n - 1 < len(lines) else ""
            out.append(f"  unattributed {doc.path}:{n}: {text[:100]}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def graph_counts(dist) -> list[tuple[str, int]]:
    """Triples per named graph of a build, from its store."""
    from .store import open_store

    store = open_store(dist)
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    return [(row["g"].value, int(row["n"].value)) for row in rows]


def format_graph_counts(dist) -> str:
    counts = graph_counts(dist)
    inferred = sum(n for g, n in counts if g.endswith("/graph/inferred"))
    total = sum(n for _, n in counts)
    out = [f"Graphs in {dist}:"]
    out += [f"  {n:>9}  {g}" for g, n in counts]
    out.append(f"  {total - inferred:>9}  asserted triples in all; {inferred} inferred")
    return "\n".join(out) + "\n"

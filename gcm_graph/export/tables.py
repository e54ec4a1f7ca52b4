"""CSV tables for spreadsheet users, written from the records and the enrich stage's findings (no RDF).

Every table is UTF-8 with a header row and ``\\n`` line ends; lists inside a cell are separated by ``;``; every
row ends with the IRI of what it describes, so a spreadsheet can be joined back to the graph. Columns are
documented in docs/export.md (a test keeps the two in step).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from ..csvout import to_csv
from ..iris import mint
from ..namespaces import DEFAULT_BASE, WD
from ..records import ParsedReport
from ..registers import AgencyRegister, Organisation

RESULT_COLUMNS = ("report", "objective", "number", "result", "table", "table_row", "table_column", "value", "max_value",
                  "unit", "counted", "qualifier", "period", "year", "label", "column_heading", "source_text",
                  "result_text", "source_line", "programme_iri", "result_iri", "figure_iri")
CHALLENGE_COLUMNS = ("report", "objective", "number", "challenge", "text", "themes", "themes_en", "source_line",
                     "programme_iri", "challenge_iri")
AGENCY_COLUMNS = ("country", "id", "acronym", "name_es", "name_en", "kind", "parent", "responsible_entries",
                  "collaborating_entries", "iri", "parent_iri")
ORGANISATION_COLUMNS = ("id", "acronym_es", "acronym_en", "name_en", "name_es", "kind", "wikidata",
                        "partner_entries", "iri", "wikidata_iri")
POPULATION_COLUMNS = ("slug", "name_en", "name_es", "broader", "entries", "iri")

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "results.csv": RESULT_COLUMNS, "challenges.csv": CHALLENGE_COLUMNS, "agencies.csv": AGENCY_COLUMNS,
    "organisations.csv": ORGANISATION_COLUMNS, "populations.csv": POPULATION_COLUMNS,
}


def _number(v: int | Decimal | None) -> str:
    if v is None:
        return ""
    return str(v) if isinstance(v, int) else format(v, "f")


def _entries(reports: Sequence[ParsedReport], enrichments: Mapping | None):
    """(report, programme entry, its enrichment or None) in document order."""
    for report in reports:
        enriched = (enrichments or {}).get(report.slug)
        found = {e.key: e for e in enriched} if enriched is not None else {}
        for p in report.document.programmes:
            yield report, p, found.get(p.key)


def result_rows(reports: Sequence[ParsedReport], enrichments: Mapping | None, base: str = DEFAULT_BASE) -> list[tuple]:
    """One row per (result item, figure read from it); a result without a figure has one row with the figure
    columns empty; figures read from table cells follow the entry's results, with table, row and column."""
    rows = []
    for report, p, e in _entries(reports, enrichments):
        slug = report.slug
        programme = str(mint("programme", base, report=slug, objective=p.objective, number=p.number))
        figures = list(enumerate(e.quantities, start=1)) if e is not None else []

        def part(kind: str, index) -> str:
            return str(mint("part", base, report=slug, objective=p.objective, number=p.number, kind=kind, index=index))

        def row(index: int | None, block, n: int | None, q) -> tuple:
            r = {"report": slug, "objective": p.objective, "number": p.number, "programme_iri": programme}
            if block is not None:
                r.update(result=index, result_text=block.text, source_line=block.first_line,
                         result_iri=part("result", index))
            if q is not None:
                r.update(table=q.table, table_row=q.row, table_column=q.column, column_heading=q.column_heading,
                         label=q.label, value=_number(q.value), max_value=_number(q.upper), unit=q.unit,
                         counted=q.counted, qualifier=q.qualifier, period=q.period, year=q.year, source_text=q.text,
                         source_line=q.line, figure_iri=part("quantity", n))
            return tuple(r.get(c) for c in RESULT_COLUMNS)

        placed = set()
        for i, block in enumerate(p.results, start=1):
            mine = [(n, q) for n, q in figures if q.table is None and q.result == i]
            placed.update(n for n, _ in mine)
            rows.extend(row(i, block, n, q) for n, q in mine)
            if not mine:
                rows.append(row(i, block, None, None))
        rows.extend(row(None, None, n, q) for n, q in figures if n not in placed)
    return rows


def challenge_rows(reports: Sequence[ParsedReport], enrichments: Mapping | None, themes: Mapping | None = None,
                   base: str = DEFAULT_BASE) -> list[tuple]:
    themes = themes or {}
    rows = []
    for report, p, e in _entries(reports, enrichments):
        slug = report.slug
        found = {c.index: c for c in e.challenges} if e is not None else {}
        for i, block in enumerate(p.challenges, start=1):
            slugs = [link.target for link in found[i].themes] if i in found else []
            labels = [(themes[s].pref_en if s in themes and themes[s].pref_en else s) for s in slugs]
            rows.append((slug, p.objective, p.number, i, block.text, ";".join(slugs), ";".join(labels),
                         block.first_line,
                         str(mint("programme", base, report=slug, objective=p.objective, number=p.number)),
                         str(mint("part", base, report=slug, objective=p.objective, number=p.number,
                                  kind="challenge", index=i))))
    return rows


def agency_rows(registers: Mapping[str, AgencyRegister], reports: Sequence[ParsedReport], enrichments: Mapping | None,
                base: str = DEFAULT_BASE) -> list[tuple]:
    responsible: Counter = Counter()
    collaborating: Counter = Counter()
    for report, p, e in _entries(reports, enrichments):
        country = report.meta.country
        register = registers.get(country)
        if register is not None:
            ids = {a.id for a in (register.lookup(printed) for printed in p.agencies) if a is not None}
            responsible.update((country, i) for i in ids)
        if e is not None:
            collaborating.update((country, link.target) for link in e.collaborating)
    rows = []
    for country in sorted(registers):
        for a in registers[country]:
            iri = mint("agency", base, country=country, slug=a.id)
            parent = mint("agency", base, country=country, slug=a.parent) if a.parent else None
            rows.append((country, a.id, a.acronym, a.name_es, a.name_en, a.kind, a.parent,
                         responsible[(country, a.id)], collaborating[(country, a.id)], str(iri),
                         str(parent) if parent else None))
    return rows


def organisation_rows(organisations: Iterable[Organisation], enrichments: Mapping | None,
                      base: str = DEFAULT_BASE) -> list[tuple]:
    partners: Counter = Counter()
    for enriched in (enrichments or {}).values():
        for e in enriched:
            partners.update({link.target for link in e.partners})
    return [(o.id, o.acronym_es, o.acronym_en, o.name_en, o.name_es, o.kind, o.wikidata, partners[o.id],
             str(mint("organisation", base, slug=o.id)), (str(WD) + o.wikidata) if o.wikidata else None)
            for o in sorted(organisations, key=lambda o: o.id)]


def population_rows(populations: Mapping, enrichments: Mapping | None, base: str = DEFAULT_BASE) -> list[tuple]:
    served: Counter = Counter()
    for enriched in (enrichments or {}).values():
        for e in enriched:
            served.update({link.target for link in e.populations})
    return [(slug, c.pref_en, c.pref_es, ";".join(c.broader), served[slug], str(mint("population", base, slug=slug)))
            for slug, c in sorted(populations.items())]


def tables(reports: Sequence[ParsedReport], enrichments: Mapping | None, registers: Mapping[str, AgencyRegister],
           organisations: Iterable[Organisation], populations: Mapping, themes: Mapping,
           base: str = DEFAULT_BASE) -> dict[str, bytes]:
    """The CSV tables this package adds (programmes.csv and countries.csv are written by gcm_graph.outputs)."""
    return {
        "results.csv": to_csv(RESULT_COLUMNS, result_rows(reports, enrichments, base)),
        "challenges.csv": to_csv(CHALLENGE_COLUMNS, challenge_rows(reports, enrichments, themes, base)),
        "agencies.csv": to_csv(AGENCY_COLUMNS, agency_rows(registers, reports, enrichments, base)),
        "organisations.csv": to_csv(ORGANISATION_COLUMNS, organisation_rows(organisations, enrichments, base)),
        "populations.csv": to_csv(POPULATION_COLUMNS, population_rows(populations, enrichments, base)),
    }

"""The web pages, rendered on the server from SPARQL over the store: the front page (a chart of programmes per
objective, browse lists, search box), ``/search``, the SPARQL editor ``/query``, and the HTML views of resources
that :mod:`.deref` serves for ``/id/…``, ``/ontology`` and ``/graph/…`` (a programme entry gets a page of its own
with the document's text; anything else a generic page of its triples).

Nothing comes from elsewhere: the stylesheet, the editor's script and the icon are served from ``/static/`` and
the chart is an inline SVG drawn here. Every value from the data is escaped (:mod:`.markup`).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from .. import paths
from ..errors import QueryError
from ..queries import bind, by_name, fold, render
from .canned import Catalogue, runnable_text
from .context import ServerContext
from .data import (
    DCTERMS, RDF_TYPE, RDFS, SKOS, Description, Label, Table, Term, iri_term, labels, parse_results, select,
)
from .markup import Html, bilingual, error_page, esc, html, join, link, page, query_string, root
from .views import Links, count_text, iri_html, label_text, named, results_table, term_html
from .web import HttpError, parse_params

log = logging.getLogger("gcm_graph.server")

STATIC_DIR = Path(__file__).with_name("static")
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml"}


def gcm(base: str, term: str) -> str:
    return f"{base}ontology#{term}"


# --------------------------------------------------------------------------------------------------------------------
# The chart
# --------------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bar:
    number: int
    title_en: str
    title_es: str
    programmes: int
    href: str


def nice_ceiling(value: int, ticks: int = 5) -> tuple[int, int]:
    """An axis maximum ≥ ``value`` and its tick step, both round numbers."""
    if value <= 0:
        return 1, 1
    raw = value / ticks
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    return int(math.ceil(value / step) * step), step


def _bar_title(bar: Bar) -> str:
    return (f"Objective {bar.number}: {bar.title_en} — {bar.programmes} programme{'s' if bar.programmes != 1 else ''}"
            f"\nObjetivo {bar.number}: {bar.title_es} — {bar.programmes} programa{'s' if bar.programmes != 1 else ''}")


def chart_columns(bars: list[Bar]) -> Html:
    """Vertical columns, one per objective (wide screens)."""
    width, height, left, right, top, bottom = 760, 300, 44, 8, 16, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value, step = nice_ceiling(max((b.programmes for b in bars), default=0))
    slot = plot_w / max(1, len(bars))
    parts: list[Html] = []
    for v in range(0, top_value + 1, step):
        y = top + plot_h * (1 - v / top_value)
        parts.append(html('<line class="grid" x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}" stroke="#d9dee5"/>'
                          '<text class="tick" x="{}" y="{:.1f}" text-anchor="end" font-size="11" fill="#444">{}</text>',
                          left, width - right, y, y, left - 6, y + 4, v))
    for i, b in enumerate(bars):
        x = left + i * slot + slot * 0.15
        h = plot_h * b.programmes / top_value
        y = top + plot_h - h
        cx = left + i * slot + slot / 2
        parts.append(html(
            '<a href="{href}" class="bar-link" aria-label="{title}"><rect class="bar" data-objective="{n}" '
            'data-programmes="{v}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="#1f5fa8" rx="2">'
            '<title>{title}</title></rect>'
            '<text class="value" x="{cx:.1f}" y="{ty:.1f}" text-anchor="middle" font-size="11" fill="#222">{v}</text>'
            '<text class="label" x="{cx:.1f}" y="{ly}" text-anchor="middle" font-size="12" fill="#222">{n}</text></a>',
            href=b.href, title=_bar_title(b), n=b.number, v=b.programmes, x=x, y=y, w=slot * 0.7, h=h, cx=cx,
            ty=y - 4, ly=top + plot_h + 16))
    axis_x = html('<text class="axis" x="{:.1f}" y="{}" text-anchor="middle" font-size="12" fill="#444">'
                  'GCM objective · Objetivo del Pacto Mundial</text>', left + plot_w / 2, height - 8)
    axis_y = html('<text class="axis" transform="translate(12 {:.1f}) rotate(-90)" text-anchor="middle" '
                  'font-size="12" fill="#444">Programmes · Programas</text>', top + plot_h / 2)
    return html('<svg class="chart chart-columns" viewBox="0 0 {} {}" role="img" aria-labelledby="chart-title" '
                'xmlns="http://www.w3.org/2000/svg">{}{}{}</svg>', width, height, join(parts), axis_x, axis_y)


def chart_rows(bars: list[Bar]) -> Html:
    """Horizontal bars, one row per objective (narrow screens)."""
    width, row, left, right, top = 340, 20, 28, 34, 18
    plot_w = width - left - right
    top_value, _ = nice_ceiling(max((b.programmes for b in bars), default=0))
    height = top + row * len(bars) + 6
    parts: list[Html] = [html('<text class="axis" x="{}" y="12" font-size="10" fill="#444">'
                              'objective · objetivo</text>', 2)]
    for i, b in enumerate(bars):
        y = top + i * row
        w = plot_w * b.programmes / top_value
        parts.append(html(
            '<a href="{href}" class="bar-link" aria-label="{title}">'
            '<text class="label" x="{lx}" y="{ty:.1f}" text-anchor="end" font-size="11" fill="#222">{n}</text>'
            '<rect class="bar" data-objective="{n}" data-programmes="{v}" x="{x}" y="{y:.1f}" width="{w:.1f}" '
            'height="{h:.1f}" fill="#1f5fa8" rx="2"><title>{title}</title></rect>'
            '<text class="value" x="{vx:.1f}" y="{ty:.1f}" font-size="11" fill="#222">{v}</text></a>',
            href=b.href, title=_bar_title(b), n=b.number, v=b.programmes, lx=left - 6, x=left, y=y + 3, w=w,
            h=row - 6, ty=y + row / 2 + 4, vx=left + w + 4))
    return html('<svg class="chart chart-rows" viewBox="0 0 {} {}" role="img" aria-labelledby="chart-title" '
                'xmlns="http://www.w3.org/2000/svg">{}</svg>', width, height, join(parts))


# --------------------------------------------------------------------------------------------------------------------
# Source lines of the documents (shown on programme pages when the document is at hand and unchanged)
# --------------------------------------------------------------------------------------------------------------------

class SourceDocuments:
    """Lines of a report's source document, found by file name in the sources folders and used only when its
    SHA-256 is the one the graph records (a changed document would show the wrong lines)."""

    def __init__(self, folders: list[Path]):
        self.folders = folders
        self._cache: dict[tuple[str, str], list[str] | None] = {}

    def lines(self, name: str, sha256: str) -> list[str] | None:
        key = (name, sha256)
        if key not in self._cache:
            self._cache[key] = self._read(name, sha256)
        return self._cache[key]

    def _read(self, name: str, sha256: str) -> list[str] | None:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
            return None
        for folder in self.folders:
            path = folder / name
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if hashlib.sha256(data).hexdigest() == sha256.lower():
                return data.decode("utf-8", "replace").splitlines()
        return None


# --------------------------------------------------------------------------------------------------------------------
# Generic resource pages
# --------------------------------------------------------------------------------------------------------------------

PRIORITY = [RDF_TYPE, SKOS + "prefLabel", RDFS + "label", DCTERMS + "title", SKOS + "notation", SKOS + "definition",
            DCTERMS + "description", RDFS + "comment"]


def _predicate_order(links: Links):  # noqa: ANN202
    def key(p: str) -> tuple[int, str]:
        return (PRIORITY.index(p) if p in PRIORITY else len(PRIORITY), links.curie(p))
    return key


def statements_table(statements, links: Links, labels_: dict[str, Label], caption: Html,  # noqa: ANN001
                     collapse_over: int = 12) -> Html:
    grouped: dict[str, list] = defaultdict(list)
    for s in statements:
        grouped[s.predicate].append(s)
    rows = []
    for p in sorted(grouped, key=_predicate_order(links)):
        items = grouped[p]
        values = [html("<li>{}{}</li>", term_html(s.value, links, labels_),
                       Html(' <span class="badge" title="inferred by the reasoner · inferido">inferred · inferido</span>')
                       if s.inferred else "") for s in items]
        cell = html('<ul class="values">{}</ul>', join(values))
        if len(items) > collapse_over:
            cell = html("<details><summary>{}</summary>{}</details>",
                        count_text(len(items), "value", "values", "valor", "valores"), cell)
        plabel = labels_.get(p)
        pname = link(links.target(p), links.curie(p))
        if plabel and (plabel.en or plabel.es):
            pname = html('{}<br><small>{}</small>', pname, bilingual(plabel.en, plabel.es))
        rows.append(html('<tr><th scope="row">{}</th><td>{}</td></tr>', pname, cell))
    return html('<div class="scroll"><table class="statements"><caption>{}</caption><tbody>{}</tbody></table></div>',
                caption, join(rows))


async def related_programmes(ctx: ServerContext, iri: str) -> Table:
    t = iri_term(iri)
    return await select(ctx, f"""
SELECT ?e ?o ?n (SAMPLE(?t) AS ?title) (GROUP_CONCAT(DISTINCT STR(?rel); separator=" ") AS ?rels)
       (GROUP_CONCAT(DISTINCT STR(?acr); separator=", ") AS ?agencies)
WHERE {{
  # how the entry points here (responsible, partner, target population…); links only from here (an inverse
  # the reasoner added) say nothing more
  {{ ?e ?rel {t} }} UNION {{ {t} ?out ?e FILTER NOT EXISTS {{ ?e ?any {t} }} }}
  ?e a gcm:ProgrammeEntry ; gcm:entryNumber ?n ; gcm:objective ?obj . ?obj gcm:objectiveNumber ?o .
  FILTER(?e != {t})
  OPTIONAL {{ ?e dcterms:title ?t }}
  OPTIONAL {{ ?e gcm:responsibleAgency ?ag . ?ag gcm:acronym ?acr }}
}} GROUP BY ?e ?o ?n ORDER BY ?o ?n""")


def _rels(row: dict[str, Term]) -> str:
    return row["rels"].value if "rels" in row else ""


def programme_list(table: Table, links: Links, labels_: dict[str, Label]) -> Html:
    rel_sets = {_rels(row) for row in table.rows}
    show_rel = len(rel_sets) > 1
    rows = []
    for row in table.rows:
        e = row["e"].value
        key = f"{row['o'].value}-{row['n'].value}"
        rel = ""
        if show_rel:
            rel = html("<td>{}</td>", join((named(labels_.get(r), links.curie(r))
                                            for r in _rels(row).split()), ", "))
        rows.append(html('<tr><td class="key">{}</td><td lang="es">{}</td><td>{}</td>{}</tr>',
                         link(links.target(e), key), row["title"].value if "title" in row else "",
                         row["agencies"].value if "agencies" in row else "", rel))
    rel_head = html("<th>{}</th>", bilingual("relation", "relación")) if show_rel else ""
    return html('<div class="scroll"><table class="programmes"><thead><tr><th>{}</th><th>{}</th><th>{}</th>{}</tr>'
                "</thead><tbody>{}</tbody></table></div>",
                bilingual("entry", "entrada"), bilingual("title (as printed)", "título (como se imprimió)"),
                bilingual("responsible", "responsable"), rel_head, join(rows))


def _english_first(term: Term) -> tuple[int, str]:
    return ({"en": 0, "es": 1}.get(term.lang or "", 2), term.lang or "")


def alternates(request: Request) -> list[tuple[str, str, str]]:
    path = request.url.path
    return [(f"{path}?format={f}", media, name) for f, media, name in (
        ("ttl", "text/turtle", "Turtle"), ("jsonld", "application/ld+json", "JSON-LD"),
        ("nt", "application/n-triples", "N-Triples"), ("rdf", "application/rdf+xml", "RDF/XML"))]


def _iris_in(desc: Description) -> set[str]:
    out = {s.predicate for s in desc.outgoing + desc.incoming}
    out |= {s.value.value for s in desc.outgoing + desc.incoming if s.value.is_iri}
    return out


async def resource_page(request: Request, ctx: ServerContext, desc: Description) -> Response:
    base = ctx.config.base_url
    links = Links(request, base)
    if gcm(base, "ProgrammeEntry") in desc.types():
        return await programme_page(request, ctx, desc, links)
    related = await related_programmes(ctx, desc.iri)
    rel_iris = {r for row in related.rows for r in _rels(row).split()}
    labels_ = await labels(ctx, _iris_in(desc) | {desc.iri} | rel_iris)
    own = labels_.get(desc.iri)
    title = named(own, links.curie(desc.iri)) if own else esc(links.curie(desc.iri))
    if own and own.notation and (own.en or own.es):
        title = html('<span class="key">{}</span> {}', own.notation, title)
    types = desc.types()
    subtitle = html('<code class="iri">{}</code>{}', desc.iri,
                    html(" · {}", join((iri_html(t, links, labels_) for t in types), ", ")) if types else "")
    parts: list[Html] = []
    texts = []
    for p in (SKOS + "definition", DCTERMS + "description", RDFS + "comment", gcm(base, "text")):
        for v in sorted(desc.values(p), key=_english_first):
            if v.is_literal:
                texts.append(html('<p lang="{}">{}</p>', v.lang or "", v.value))
    if texts:
        parts.append(html('<div class="prose">{}</div>', join(texts[:6])))
    if related.rows:
        parts.append(html('<section><h2>{}</h2>{}</section>',
                          html("{} ({})", bilingual("Programme entries", "Entradas de programas"), len(related.rows)),
                          programme_list(related, links, labels_)))
    parts.append(html("<section>{}</section>", statements_table(
        desc.outgoing, links, labels_, bilingual("What the graph says about it", "Lo que el grafo dice de él"))))
    if desc.incoming:
        cap = bilingual("What points to it", "Lo que apunta a él")
        if desc.incoming_truncated:
            cap = html("{} — {}", cap, bilingual("the first 2000 links", "los primeros 2000 enlaces"))
        parts.append(html("<section>{}</section>", statements_table(desc.incoming, links, labels_, cap)))
    return page(request, title, join(parts), subtitle=subtitle, alternates=alternates(request),
                headers={"Vary": "Accept"}, dumps=ctx.config.dumps_dir is not None)


# --------------------------------------------------------------------------------------------------------------------
# Programme entry pages
# --------------------------------------------------------------------------------------------------------------------

@dataclass
class Part:
    iri: str
    kind: str
    props: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))

    def one(self, predicate: str) -> Term | None:
        values = self.props.get(predicate)
        return values[0] if values else None

    def text(self, predicate: str) -> str:
        v = self.one(predicate)
        return v.value if v else ""

    def int(self, predicate: str, default: int = 0) -> int:
        v = self.one(predicate)
        try:
            return int(v.value) if v else default
        except ValueError:
            return default


async def programme_parts(ctx: ServerContext, iri: str) -> dict[str, Part]:
    t = iri_term(iri)
    table = await select(ctx, f"""
SELECT ?part ?kind ?p ?o WHERE {{
  {{ {t} gcm:result ?part BIND("result" AS ?kind) }}
  UNION {{ {t} gcm:challenge ?part BIND("challenge" AS ?kind) }}
  UNION {{ {t} gcm:table ?part BIND("table" AS ?kind) }}
  UNION {{ {t} gcm:table/gcm:row ?part BIND("row" AS ?kind) }}
  UNION {{ {t} gcm:table/gcm:row/gcm:cell ?part BIND("cell" AS ?kind) }}
  UNION {{ {t} gcm:quantity ?part BIND("quantity" AS ?kind) }}
  UNION {{ {t} gcm:footnote ?part BIND("footnote" AS ?kind) }}
  UNION {{ {t} gcm:reportingPeriod ?part BIND("period" AS ?kind) }}
  UNION {{ ?part gcm:matchOf {t} BIND("match" AS ?kind) }}
  UNION {{ {t} gcm:occurrenceOf ?same . ?part gcm:occurrenceOf ?same FILTER(?part != {t}) BIND("same" AS ?kind) }}
  UNION {{ {t} gcm:report ?part BIND("report" AS ?kind) }}
  ?part ?p ?o .
}}""")
    parts: dict[str, Part] = {}
    for row in table.rows:
        iri_ = row["part"].value
        part = parts.setdefault(iri_, Part(iri_, row["kind"].value))
        if row["o"] not in part.props[row["p"].value]:
            part.props[row["p"].value].append(row["o"])
    return parts


def _number(text: str) -> str:
    try:
        value = float(text)
    except ValueError:
        return text
    return f"{int(value):,}" if value == int(value) else f"{value:,}"


def _lines(first: int, last: int) -> Html:
    if not first:
        return Html("")
    span = f"{first}" if not last or last == first else f"{first}–{last}"
    return html('<span class="lines" title="source lines · líneas de la fuente">{} {}</span>',
                "line" if span.isdigit() else "lines", span)


async def programme_page(request: Request, ctx: ServerContext, desc: Description, links: Links) -> Response:
    base = ctx.config.base_url
    g = lambda term: gcm(base, term)  # noqa: E731
    parts = await programme_parts(ctx, desc.iri)
    by_kind: dict[str, list[Part]] = defaultdict(list)
    for part in parts.values():
        by_kind[part.kind].append(part)
    wanted = _iris_in(desc) | {desc.iri}
    for part in parts.values():
        for values in part.props.values():
            wanted |= {v.value for v in values if v.is_iri}
    labels_ = await labels(ctx, wanted)
    title_term = desc.first(DCTERMS + "title") or desc.first(RDFS + "label")
    number = desc.first(g("entryNumber"))
    objective = desc.first(g("objective"))
    obj_label = labels_.get(objective.value) if objective else None
    key = f"{obj_label.notation if obj_label and obj_label.notation else '?'}-{number.value if number else '?'}"

    def names(predicate: str) -> Html:
        values = [v for v in desc.values(predicate) if v.is_iri]
        if not values:
            return Html("—")
        return html('<ul class="values">{}</ul>', join(html("<li>{}</li>", iri_html(v.value, links, labels_))
                                                        for v in sorted(values, key=lambda v: v.value)))

    facts: list[tuple[Html, Html]] = []
    if objective:
        facts.append((bilingual("Objective", "Objetivo"),
                      html("{} {}", html("<strong>{}</strong>", obj_label.notation if obj_label else ""),
                           iri_html(objective.value, links, labels_))))
    facts.append((bilingual("Entry", "Entrada"), esc(key)))
    report = desc.first(g("report"))
    if report:
        report_label = labels_.get(report.value)
        facts.append((bilingual("Report", "Informe"),
                      link(links.target(report.value), html("<code>{}</code>", report.value.rsplit("/", 1)[-1]),
                           title=label_text(report_label) or report.value)))
    facts.append((bilingual("Responsible agency", "Dependencia responsable"), names(g("responsibleAgency"))))
    printed = desc.first(g("printedAgency"))
    if printed:
        facts.append((bilingual("Agency as printed", "Dependencia como se imprimió"), html("<q lang=\"es\">{}</q>",
                                                                                          printed.value)))
    if desc.values(g("collaboratingAgency")):
        facts.append((bilingual("Collaborating agencies", "Dependencias colaboradoras"),
                      names(g("collaboratingAgency"))))
    facts.append((bilingual("International partners", "Socios internacionales"), names(g("partner"))))
    facts.append((bilingual("Target populations", "Poblaciones destinatarias"), names(g("targetPopulation"))))
    direct = {v.value for v in desc.values(g("targetPopulation"))}
    broader = [v for v in desc.values(g("servesPopulation")) if v.is_iri and v.value not in direct]
    if broader:
        facts.append((bilingual("Also serves (broader groups, inferred)", "También atiende (grupos más amplios, inferido)"),
                      html('<ul class="values">{}</ul>', join(html("<li>{}</li>", iri_html(v.value, links, labels_))
                                                              for v in broader))))
    if desc.values(g("evidencesPrinciple")):
        facts.append((bilingual("Guiding principles evidenced (inferred)", "Principios rectores evidenciados (inferido)"),
                      names(g("evidencesPrinciple"))))
    for period in by_kind.get("period", []):
        facts.append((bilingual("Reporting period", "Periodo reportado"),
                      html('<span lang="es">{}</span> {}', period.text(RDFS + "label"),
                           html('<span class="tag">{} – {}</span>', period.text("http://www.w3.org/ns/dcat#startDate"),
                                period.text("http://www.w3.org/ns/dcat#endDate")))))
    same = sorted(by_kind.get("same", []), key=lambda p: p.iri)
    if same:
        facts.append((bilingual("Same programme also listed as", "El mismo programa también figura como"),
                      join((link(links.target(p.iri), p.iri.rsplit("/", 1)[-1]) for p in same), ", ")))
    first, last = desc.first(g("firstLine")), desc.first(g("lastLine"))
    first_n, last_n = (int(first.value) if first else 0), (int(last.value) if last else 0)
    report_part = next(iter(by_kind.get("report", [])), None)
    source_name = report_part.text(g("sourceFile")) if report_part else ""
    if first:
        facts.append((bilingual("Source lines", "Líneas de la fuente"),
                      html("{}–{}{}", first_n, last_n, html(" · <code>{}</code>", source_name) if source_name else "")))
    links_out = desc.values(g("link"))
    if links_out:
        facts.append((bilingual("Links", "Enlaces"), join((link(v.value, v.value) for v in links_out), Html("<br>"))))

    sections: list[Html] = [html('<dl class="facts">{}</dl>',
                                 join(html("<dt>{}</dt><dd>{}</dd>", k, v) for k, v in facts))]
    description = desc.values(DCTERMS + "description")
    if description:
        sections.append(html('<section><h2>{}</h2><div class="prose">{}</div></section>',
                             bilingual("Description", "Descripción"),
                             join(html('<p lang="{}">{}</p>', d.lang or "es", d.value) for d in description)))

    quantities = sorted(by_kind.get("quantity", []), key=lambda p: (p.int(g("firstLine")), p.iri))
    by_source: dict[str, list[Part]] = defaultdict(list)
    for q in quantities:
        src = q.one(g("quantitySource"))
        if src:
            by_source[src.value].append(q)

    def chips(part_iri: str) -> Html:
        qs = by_source.get(part_iri, [])
        if not qs:
            return Html("")
        return html(' <span class="figures">{}</span>', join(
            html('<span class="chip" title="{}">{} {}</span>', q.text(g("sourceText")), _number(q.text(
                "https://schema.org/value")), q.text(g("counted")) or q.text("https://schema.org/unitText")) for q in qs))

    results = sorted(by_kind.get("result", []), key=lambda p: p.int(g("position")))
    if results:
        items = []
        for r in results:
            heading = r.text(g("heading"))
            items.append(html('<li class="depth-{}" id="result-{}">{}<span lang="es">{}</span>{} {} {}</li>',
                              min(r.int(g("depth")), 4), r.int(g("position")),
                              html("<strong>{}</strong> ", heading) if heading else "", r.text(g("text")),
                              chips(r.iri), _lines(r.int(g("firstLine")), r.int(g("lastLine"))),
                              link(links.target(r.iri), "¶", title="this result as linked data")))
        sections.append(html('<section><h2>{}</h2><ol class="items">{}</ol></section>',
                             bilingual("Results", "Resultados"), join(items)))

    tables = sorted(by_kind.get("table", []), key=lambda p: p.int(g("position")))
    if tables:
        rendered = []
        for t in tables:
            rows = sorted((parts[r.value] for r in t.props.get(g("row"), []) if r.value in parts),
                          key=lambda p: p.int(g("position")))
            trs = []
            for i, row in enumerate(rows):
                cells = sorted((parts[c.value] for c in row.props.get(g("cell"), []) if c.value in parts),
                               key=lambda p: p.int(g("position")))
                tag = "th" if i == 0 else "td"
                trs.append(html("<tr>{}</tr>", join(html('<{0} id="cell-{1}" lang="es">{2}</{0}>', Html(tag),
                                                         c.iri.rsplit("/", 1)[-1], c.text(g("text")))
                                                    for c in cells)))
            rendered.append(html('<div class="scroll"><table class="source-table"><caption>{} {} {}</caption>'
                                 "<tbody>{}</tbody></table></div>",
                                 bilingual("Table", "Tabla"), t.int(g("position")),
                                 _lines(t.int(g("firstLine")), t.int(g("lastLine"))), join(trs)))
        sections.append(html("<section><h2>{}</h2>{}</section>", bilingual("Tables", "Tablas"), join(rendered)))

    if quantities:
        rows = []
        for q in quantities:
            src = q.one(g("quantitySource"))
            where = ""
            if src:
                src_part = parts.get(src.value)
                kind = src_part.kind if src_part else ""
                anchor = ("#result-" + src.value.rsplit("/", 1)[-1]) if kind == "result" else \
                    ("#cell-" + src.value.rsplit("/", 1)[-1]) if kind == "cell" else ""
                where = link(anchor or links.target(src.value),
                             {"result": "result", "cell": "table cell"}.get(kind, "source"))
            rows.append(html('<tr><td class="num">{}</td><td>{}</td><td lang="es">{}</td><td>{}</td><td lang="es">{}</td>'
                             "<td>{}</td><td>{}</td></tr>",
                             _number(q.text("https://schema.org/value")), q.text("https://schema.org/unitText"),
                             q.text(g("counted")), q.text(g("period")), q.text(g("sourceText")), where,
                             q.int(g("firstLine")) or ""))
        sections.append(html(
            '<section><h2>{}</h2><div class="scroll"><table class="figures-table"><thead><tr><th>{}</th><th>{}</th>'
            "<th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table></div>"
            "</section>",
            bilingual("Reported figures", "Cifras reportadas"), bilingual("value", "valor"),
            bilingual("unit", "unidad"), bilingual("what was counted", "qué se contó"),
            bilingual("period", "periodo"), bilingual("as printed", "como se imprimió"),
            bilingual("read from", "leído de"), bilingual("line", "línea"), join(rows)))

    challenges = sorted(by_kind.get("challenge", []), key=lambda p: p.int(g("position")))
    if challenges:
        items = []
        for c in challenges:
            themes = [v for v in c.props.get(g("theme"), []) if v.is_iri]
            theme_html = join((html('<span class="chip theme">{}</span>', iri_html(t.value, links, labels_))
                               for t in themes), " ")
            items.append(html('<li class="depth-{}"><span lang="es">{}</span> {} {} {}</li>',
                              min(c.int(g("depth")), 4), c.text(g("text")), theme_html,
                              _lines(c.int(g("firstLine")), c.int(g("lastLine"))),
                              link(links.target(c.iri), "¶", title="this challenge as linked data")))
        sections.append(html('<section><h2>{}</h2><ol class="items">{}</ol></section>',
                             bilingual("Challenges", "Retos"), join(items)))

    footnotes = sorted(by_kind.get("footnote", []), key=lambda p: p.int(g("footnoteNumber")))
    if footnotes:
        items = []
        for f in footnotes:
            urls = [v.value for v in f.props.get("https://schema.org/url", []) if v.is_iri]
            items.append(html('<li><sup>{}</sup> <span lang="es">{}</span> {} {}</li>', f.int(g("footnoteNumber")),
                              f.text(g("text")), join((link(u, u) for u in urls), " "),
                              _lines(f.int(g("firstLine")), f.int(g("lastLine")))))
        sections.append(html('<section><h2>{}</h2><ul class="footnotes">{}</ul></section>',
                             bilingual("Footnotes", "Notas al pie"), join(items)))

    source = await asyncio.to_thread(_source_excerpt, ctx, report_part, first_n, last_n) if report_part else None
    if source is not None:
        sections.append(html(
            '<section><h2>{}</h2><details class="source" open><summary>{}</summary>'
            '<ol class="source-lines" start="{}">{}</ol></details></section>',
            bilingual("The document's own text", "El texto del documento"),
            html("{} <code>{}</code>, {} {}–{}", bilingual("Source", "Fuente"), source_name,
                 bilingual("lines", "líneas"), first_n, last_n),
            first_n, join(html("<li><code>{}</code></li>", line) for line in source)))

    matches = sorted(by_kind.get("match", []), key=lambda p: (p.int(g("firstLine")), p.iri))
    if matches:
        rows = [html('<tr><td>{}</td><td lang="es"><q>{}</q></td><td>{}</td><td>{}</td><td>{}</td></tr>',
                     m.text(g("matchedIn")), m.text(g("matchedText")),
                     join((iri_html(v.value, links, labels_) for v in m.props.get(g("matchTarget"), []) if v.is_iri),
                          ", "),
                     m.int(g("firstLine")) or "", m.text(RDFS + "comment")) for m in matches]
        sections.append(html(
            '<section><details><summary>{}</summary><div class="scroll"><table class="matches"><thead><tr>'
            "<th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table></div>"
            "</details></section>",
            html("{} ({})", bilingual("How the links were found", "Cómo se hallaron los vínculos"), len(matches)),
            bilingual("in", "en"), bilingual("text", "texto"), bilingual("linked to", "vinculado a"),
            bilingual("line", "línea"), bilingual("rule", "regla"), join(rows)))

    sections.append(html('<section><details><summary>{}</summary>{}{}</details></section>',
                         bilingual("Every triple about this entry", "Todas las tripletas sobre esta entrada"),
                         statements_table(desc.outgoing, links, labels_,
                                          bilingual("What the graph says about it", "Lo que el grafo dice de él")),
                         statements_table(desc.incoming, links, labels_,
                                          bilingual("What points to it", "Lo que apunta a él"))
                         if desc.incoming else ""))
    title = html('<span class="key">{}</span> <span lang="es">{}</span>', key,
                 title_term.value if title_term else links.curie(desc.iri))
    subtitle = html('<code class="iri">{}</code> · {}', desc.iri,
                    bilingual("programme entry", "entrada de programa"))
    return page(request, title, join(sections), subtitle=subtitle, alternates=alternates(request),
                headers={"Vary": "Accept"}, dumps=ctx.config.dumps_dir is not None)


def _source_excerpt(ctx: ServerContext, report: Part, first: int, last: int) -> list[str] | None:
    base = ctx.config.base_url
    name = report.text(gcm(base, "sourceFile"))
    sha = report.text(gcm(base, "sha256"))
    if not (name and sha and first and last >= first):
        return None
    docs: SourceDocuments = ctx_documents(ctx)
    lines = docs.lines(name, sha)
    if lines is None or last > len(lines):
        return None
    return lines[first - 1:last]


_DOCUMENTS: dict[int, SourceDocuments] = {}


def ctx_documents(ctx: ServerContext) -> SourceDocuments:
    docs = _DOCUMENTS.get(id(ctx))
    if docs is None:
        folders = [Path(ctx.config.sources_dir)] if ctx.config.sources_dir is not None else []
        folders.append(paths.SOURCES_DIR)
        if ctx.config.dumps_dir is not None:
            folders.append(Path(ctx.config.dumps_dir) / "source")
        docs = _DOCUMENTS[id(ctx)] = SourceDocuments(folders)
    return docs


# --------------------------------------------------------------------------------------------------------------------
# The ontology and named graphs
# --------------------------------------------------------------------------------------------------------------------

OWL = "http://www.w3.org/2002/07/owl#"


async def ontology_page(request: Request, ctx: ServerContext, iri: str) -> Response:
    base = ctx.config.base_url
    doc = f"{base}ontology"
    links = Links(request, base)
    t = iri_term(doc)
    table = await select(ctx, f"""
SELECT DISTINCT ?s ?p ?o WHERE {{
  ?s ?p ?o FILTER(isIRI(?s) && (?s = {t} || STRSTARTS(STR(?s), CONCAT(STR({t}), "#")))) FILTER(!isBlank(?o))
}} ORDER BY ?s ?p ?o""")
    terms: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
    for row in table.rows:
        terms[row["s"].value][row["p"].value].append(row["o"])
    wanted = {v.value for props in terms.values() for vs in props.values() for v in vs if v.is_iri}
    labels_ = await labels(ctx, wanted | set(terms))
    header = terms.pop(doc, {})

    def texts(props: dict[str, list[Term]], predicate: str) -> Html:
        return join(html('<p lang="{}">{}</p>', v.lang or "", v.value)
                    for v in sorted(props.get(predicate, []), key=_english_first))

    groups = [(OWL + "Class", "Classes", "Clases"), (OWL + "ObjectProperty", "Object properties", "Propiedades de objeto"),
              (OWL + "DatatypeProperty", "Datatype properties", "Propiedades de datos"),
              (OWL + "AnnotationProperty", "Annotation properties", "Propiedades de anotación")]
    placed: set[str] = set()
    sections = [html('<div class="prose">{}</div>', texts(header, DCTERMS + "description"))]
    toc = []
    for type_iri, en, es in groups + [("", "Other terms", "Otros términos")]:
        members = sorted(s for s, props in terms.items() if s not in placed and
                         (not type_iri or type_iri in {v.value for v in props.get(RDF_TYPE, [])}))
        if not members:
            continue
        placed |= set(members)
        anchor = re.sub(r"[^a-z]+", "-", en.lower()).strip("-")
        toc.append(html('<a href="#{}">{}</a>', anchor, bilingual(en, es)))
        items = []
        for s in members:
            props = terms[s]
            local = s.split("#", 1)[1] if "#" in s else s
            facts = []
            for p, name_en, name_es in ((RDFS + "subClassOf", "subclass of", "subclase de"),
                                        (RDFS + "subPropertyOf", "subproperty of", "subpropiedad de"),
                                        (RDFS + "domain", "domain", "dominio"), (RDFS + "range", "range", "rango"),
                                        (OWL + "inverseOf", "inverse of", "inversa de")):
                vals = [v for v in props.get(p, []) if v.is_iri and v.value != s]
                if vals:
                    facts.append(html("<dt>{}</dt><dd>{}</dd>", bilingual(name_en, name_es),
                                      join((iri_html(v.value, links, labels_) for v in vals), ", ")))
            label = labels_.get(s)
            items.append(html('<article class="term" id="{0}"><h3><code>gcm:{0}</code> {1}</h3>{2}{3}</article>',
                              local, bilingual(label.en, label.es) if label else "",
                              texts(props, RDFS + "comment"),
                              html('<dl class="facts">{}</dl>', join(facts)) if facts else ""))
        sections.append(html('<section><h2 id="{}">{}</h2>{}</section>', anchor, bilingual(en, es), join(items)))
    sections.insert(0, html('<nav class="toc">{}</nav>', join(toc, " · ")))
    head_label = labels_.get(doc)
    title = bilingual(head_label.en, head_label.es) if head_label else esc("gcm ontology")
    subtitle = html('<code class="iri">{}</code> · {}', iri,
                    html("{} {}", bilingual("version", "versión"), header[OWL + "versionInfo"][0].value)
                    if header.get(OWL + "versionInfo") else "")
    return page(request, title, join(sections), subtitle=subtitle, alternates=alternates(request),
                headers={"Vary": "Accept"}, dumps=ctx.config.dumps_dir is not None)


async def graph_page(request: Request, ctx: ServerContext, iri: str, triples: int) -> Response:
    example = f"SELECT ?s ?p ?o WHERE {{\n  GRAPH <{iri}> {{ ?s ?p ?o }}\n}} LIMIT 100"
    body = html(
        '<dl class="facts"><dt>{}</dt><dd>{}</dd></dl><p>{}</p><p><a href="{}/query{}">{}</a></p>',
        bilingual("Triples", "Tripletas"), f"{triples:,}",
        bilingual("A named graph of the store. Its whole content is available in the formats below.",
                  "Un grafo con nombre del almacén. Su contenido completo está disponible en los formatos de abajo."),
        root(request), query_string({"query": example}),
        bilingual("Query it in the SPARQL editor", "Consultarlo en el editor SPARQL"))
    return page(request, html("{} <code>{}</code>", bilingual("Graph", "Grafo"), iri.rsplit("/", 1)[-1]), body,
                subtitle=html('<code class="iri">{}</code>', iri), alternates=alternates(request),
                headers={"Vary": "Accept"}, dumps=ctx.config.dumps_dir is not None)


# --------------------------------------------------------------------------------------------------------------------
# Front page, search, SPARQL editor
# --------------------------------------------------------------------------------------------------------------------

async def _counted(ctx: ServerContext, cls: str, link_pattern: str) -> list[tuple[str, int]]:
    table = await select(ctx, f"""
SELECT ?x (COUNT(DISTINCT ?e) AS ?n) WHERE {{
  ?x a {cls} .
  OPTIONAL {{ {link_pattern} ?e a gcm:ProgrammeEntry }}
}} GROUP BY ?x""")
    return [(row["x"].value, int(row["n"].value)) for row in table.rows if row["x"].is_iri]


@dataclass
class FrontData:
    bars: list[Bar]
    reports: Table
    lists: dict[str, list[tuple[str, int]]]
    labels: dict[str, Label]


async def front_data(ctx: ServerContext, links: Links) -> FrontData:
    base = ctx.config.base_url
    # What the objective-coverage canned query counts, written against this server's base (the canned queries
    # name the default vocabulary namespace).
    table = await select(ctx, """
SELECT ?objective (SAMPLE(?en) AS ?title_en) (SAMPLE(?es) AS ?title_es) (COUNT(DISTINCT ?e) AS ?programmes) WHERE {
  ?o a gcm:Objective ; gcm:objectiveNumber ?objective .
  OPTIONAL { ?o skos:prefLabel ?en FILTER(LANG(?en) = "en") }
  OPTIONAL { ?o skos:prefLabel ?es FILTER(LANG(?es) = "es") }
  OPTIONAL { ?e gcm:objective ?o ; a gcm:ProgrammeEntry }
} GROUP BY ?objective ORDER BY ?objective""")
    bars = []
    for row in table.rows:
        n = int(row["objective"].value)
        bars.append(Bar(n, row["title_en"].value if "title_en" in row else "",
                        row["title_es"].value if "title_es" in row else "", int(row["programmes"].value),
                        links.target(f"{base}id/objective/{n}")))
    reports = await select(ctx, """
SELECT ?r (SAMPLE(?en) AS ?title_en) (SAMPLE(?es) AS ?title_es) (COUNT(DISTINCT ?e) AS ?programmes) WHERE {
  ?r a gcm:Report .
  OPTIONAL { ?r dcterms:title ?en FILTER(LANG(?en) = "en") }
  OPTIONAL { ?r dcterms:title ?es FILTER(LANG(?es) = "es") }
  OPTIONAL { ?e gcm:report ?r ; a gcm:ProgrammeEntry }
} GROUP BY ?r ORDER BY ?r""")
    lists = {
        "agencies": await _counted(ctx, "gcm:GovernmentAgency", "?e gcm:responsibleAgency ?x ."),
        "partners": await _counted(ctx, "gcm:InternationalOrganisation", "?e gcm:partner ?x ."),
        "populations": await _counted(ctx, "gcm:TargetPopulation", "?e gcm:servesPopulation ?x ."),
        "principles": await _counted(ctx, "gcm:GuidingPrinciple", "?e gcm:evidencesPrinciple ?x ."),
        "themes": await _counted(ctx, "gcm:ChallengeTheme", "?e gcm:challenge/gcm:theme ?x ."),
    }
    wanted = {x for items in lists.values() for x, _ in items} | {r["r"].value for r in reports.rows}
    return FrontData(bars, reports, lists, await labels(ctx, wanted))


def browse_list(items: list[tuple[str, int]], labels_: dict[str, Label], links: Links, css: str,
                by_notation: bool = False, visible: int = 10) -> Html:
    def sort_key(item: tuple[str, int]) -> tuple:
        label = labels_.get(item[0])
        if by_notation:
            return (label.notation if label and label.notation else "", item[0])
        return (-item[1], ((label.acronym or label.best()) if label else item[0]) or item[0])

    lis = []
    for x, n in sorted(items, key=sort_key):
        label = labels_.get(x)
        name = named(label, links.curie(x))
        if by_notation and label and label.notation:
            name = html("<strong>{}</strong> {}", label.notation, name)
        lis.append(html('<li>{} <span class="count" title="programme entries · entradas">{}</span></li>',
                        link(links.target(x), name), n))
    shown = html('<ul class="browse {}">{}</ul>', css, join(lis[:visible]))
    if len(lis) <= visible:
        return shown
    return html('{}<details class="browse-more"><summary>{}</summary><ul class="browse {}">{}</ul></details>', shown,
                bilingual(f"{len(lis) - visible} more", f"{len(lis) - visible} más"), css, join(lis[visible:]))


def search_form(request: Request, text: str = "") -> Html:
    return html('<form class="search" method="get" action="{}/search" role="search">'
                '<label for="search-text">{}</label><div class="row"><input id="search-text" name="text" type="search" '
                'value="{}" placeholder="niñez, repatriación, consular…" required>'
                '<button type="submit">{}</button></div></form>',
                root(request), bilingual("Search the programmes", "Buscar en los programas"), text,
                bilingual("Search", "Buscar"))


def front_page(request: Request, ctx: ServerContext, data: FrontData) -> Response:
    links = Links(request, ctx.config.base_url)
    labels_ = data.labels
    total = sum(b.programmes for b in data.bars)
    covered = sum(1 for b in data.bars if b.programmes)
    reports = join(html("<li>{} — {}</li>", link(links.target(r["r"].value), bilingual(
        r["title_en"].value if "title_en" in r else "", r["title_es"].value if "title_es" in r else "")),
        count_text(int(r["programmes"].value), "programme entry", "programme entries", "entrada", "entradas"))
        for r in data.reports.rows)
    stats = html(
        '<ul class="stats"><li><strong>{}</strong> {}</li><li><strong>{}/23</strong> {}</li><li><strong>{}</strong> {}'
        '</li><li><strong>{}</strong> {}</li><li><strong>{}</strong> {}</li></ul>',
        total, bilingual("programme entries", "entradas de programas"), covered,
        bilingual("objectives addressed", "objetivos abordados"),
        sum(1 for _, n in data.lists["agencies"] if n), bilingual("responsible agencies", "dependencias responsables"),
        sum(1 for _, n in data.lists["partners"] if n), bilingual("international partners", "socios internacionales"),
        sum(1 for _, n in data.lists["populations"] if n), bilingual("target populations", "poblaciones destinatarias"))
    objective_rows = join(html(
        '<tr><td class="num">{}</td><td>{}</td><td class="es" lang="es">{}</td><td class="num">{}</td></tr>',
        b.number, link(b.href, b.title_en), b.title_es, b.programmes) for b in data.bars)
    chart = html(
        '<figure class="chart-figure"><figcaption id="chart-title">{}</figcaption>{}{}</figure>'
        '<details class="objectives"><summary>{}</summary><div class="scroll"><table class="objectives-table"><thead>'
        '<tr><th>#</th><th>{}</th><th lang="es">{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table></div>'
        "</details>",
        bilingual("Programme entries per GCM objective", "Entradas de programas por objetivo del Pacto Mundial"),
        chart_columns(data.bars), chart_rows(data.bars),
        bilingual("The 23 objectives, with their programmes", "Los 23 objetivos, con sus programas"),
        "Objective", "Objetivo", bilingual("programmes", "programas"), objective_rows)

    def block(key: str, en: str, es: str, note_en: str, note_es: str, by_notation: bool = False) -> Html:
        items = data.lists.get(key, [])
        return html('<section class="browse-block" id="{}"><h2>{} <small>({})</small></h2><p class="note">{}</p>{}'
                    "</section>", key, bilingual(en, es), len(items), bilingual(note_en, note_es),
                    browse_list(items, labels_, links, key, by_notation))

    body = html(
        '<p class="lead">{}</p>{}{}{}<p class="source-report">{}</p><ul class="reports">{}</ul>'
        '<div class="browse-grid">{}{}{}{}{}</div>'
        '<section class="more"><h2>{}</h2><ul><li><a href="{root}/queries">{}</a></li><li><a href="{root}/query">{}</a>'
        '</li><li><a href="{root}/sparql">{}</a></li></ul></section>',
        bilingual("Mexico's federal programmes reported under the Global Compact for Safe, Orderly and Regular "
                  "Migration, as a knowledge graph you can browse, search and query.",
                  "Los programas federales de México reportados bajo el Pacto Mundial para una Migración Segura, "
                  "Ordenada y Regular, como un grafo de conocimiento que se puede explorar, buscar y consultar."),
        stats, search_form(request), chart, html("{}:", bilingual("Source", "Fuente")), reports,
        block("agencies", "Responsible agencies", "Dependencias responsables",
              "Programme entries each agency is responsible for.", "Entradas de las que cada dependencia es responsable."),
        block("partners", "International partners", "Socios internacionales",
              "Programme entries each organisation partners in.", "Entradas en las que participa cada organismo."),
        block("populations", "Target populations", "Poblaciones destinatarias",
              "Programme entries serving each group, directly or through a narrower one.",
              "Entradas que atienden a cada grupo, directamente o mediante uno más específico."),
        block("principles", "Guiding principles", "Principios rectores",
              "Programme entries giving evidence of each principle (inferred).",
              "Entradas que evidencian cada principio (inferido).", by_notation=True),
        block("themes", "Challenge themes", "Temas de los retos",
              "Programme entries reporting a challenge on each theme.", "Entradas que reportan un reto de cada tema."),
        bilingual("Ask your own questions", "Haga sus propias preguntas"),
        bilingual("Canned queries, as tables and CSV", "Consultas predefinidas, como tablas y CSV"),
        bilingual("SPARQL editor", "Editor SPARQL"),
        bilingual("SPARQL endpoint (for programs)", "Punto de acceso SPARQL (para programas)"),
        root=root(request))
    return page(request, bilingual("GCM implementation graph", "Grafo de implementación del Pacto Mundial"), body,
                dumps=ctx.config.dumps_dir is not None)


def highlight(snippet: str, needle: str) -> Html:
    """``snippet`` with each accent- and case-insensitive occurrence of ``needle`` (already folded) marked."""
    folded = fold(snippet)
    if not needle or len(folded) != len(snippet):
        return esc(snippet)
    out, at = [], 0
    while True:
        i = folded.find(needle, at)
        if i < 0:
            break
        out.append(esc(snippet[at:i]))
        out.append(html("<mark>{}</mark>", snippet[i:i + len(needle)]))
        at = i + len(needle)
    out.append(esc(snippet[at:]))
    return join(out)


SECTION_NAMES = {"title": ("title", "título"), "description": ("description", "descripción"),
                 "results": ("results", "resultados"), "challenges": ("challenges", "retos")}


async def search_page(request: Request, ctx: ServerContext) -> Response:
    params = parse_params(request.scope.get("query_string", b""))
    text = (params.get("text") or params.get("q") or [""])[0]
    links = Links(request, ctx.config.base_url)
    parts = [search_form(request, text)]
    status = 200
    if text.strip():
        query = by_name("search")
        try:
            rendered = render(query, bind(query, {"text": text}, ctx.config.base_url))
        except QueryError as exc:
            return error_page(request, 400, exc.message)
        table = await select(ctx, rendered)
        needle = fold(text.strip())
        grouped: dict[str, list[dict[str, Term]]] = defaultdict(list)
        for row in table.rows:
            grouped[row["programme"].value].append(row)
        items = []
        for prog, rows in grouped.items():
            first = rows[0]
            key = f"{first['objective'].value if 'objective' in first else '?'}-{first['number'].value}"
            hits = join(html('<li><span class="section">{}</span> <span lang="es">{}</span></li>',
                             bilingual(*SECTION_NAMES.get(r["section"].value, (r["section"].value,) * 2)),
                             highlight(r["snippet"].value if "snippet" in r else "", needle)) for r in rows[:5])
            more = html('<li class="more">{}</li>', bilingual(f"and {len(rows) - 5} more", f"y {len(rows) - 5} más")) \
                if len(rows) > 5 else ""
            items.append(html('<li class="hit"><h3><span class="key">{}</span> {}</h3><ul>{}{}</ul></li>',
                              key, link(links.target(prog), html('<span lang="es">{}</span>',
                                                                 first["title"].value if "title" in first else prog)),
                              hits, more))
        parts.append(html('<p class="count" role="status">{}</p>', count_text(
            len(grouped), "programme entry matches", "programme entries match", "entrada coincide", "entradas coinciden")))
        parts.append(html('<ol class="hits">{}</ol>', join(items)))
        parts.append(html('<p><a href="{}/queries/search{}">{}</a></p>', root(request), query_string({"text": text}),
                          bilingual("The same as a table, CSV or JSON", "Lo mismo como tabla, CSV o JSON")))
    return page(request, bilingual("Search", "Búsqueda"), join(parts), status=status,
                dumps=ctx.config.dumps_dir is not None)


DEFAULT_QUERY = """SELECT ?objective ?title (COUNT(?entry) AS ?programmes)
WHERE {
  ?o a gcm:Objective ; gcm:objectiveNumber ?objective ; skos:prefLabel ?title .
  FILTER(LANG(?title) = "en")
  OPTIONAL { ?entry gcm:objective ?o }
}
GROUP BY ?objective ?title
ORDER BY ?objective"""


async def query_page(request: Request, ctx: ServerContext, catalogue: Catalogue) -> Response:
    params = parse_params(request.scope.get("query_string", b""))
    text = (params.get("query") or [""])[0]
    chosen = (params.get("example") or [""])[0]
    links = Links(request, ctx.config.base_url)
    options = [html('<option value="">{}</option>', "— Examples · Ejemplos —")]
    for q in catalogue.listed():
        runnable = runnable_text(q, ctx.config.base_url)
        if runnable is None:
            continue
        selected = q.name == chosen
        if selected and not text:
            text = runnable
        options.append(html('<option value="{}" data-query="{}"{}>{}</option>', q.name, runnable,
                            Html(" selected") if selected else "", q.summary))
    shown = text or DEFAULT_QUERY
    result_html: Html = Html("")
    status = 200
    csv_href = f"{root(request)}/sparql{query_string({'query': shown, 'format': 'csv'})}"
    if text.strip():
        answer = await ctx.query(text, format_values=["json"], accept="application/sparql-results+json")
        if not answer.ok:
            status = answer.status if answer.status in (400, 403, 406, 503) else 200
            result_html = html('<pre class="error" role="alert">{}</pre>', answer.body.decode("utf-8", "replace"))
        elif answer.kind == "graph":
            csv_href = f"{root(request)}/sparql{query_string({'query': shown, 'format': 'ttl'})}"
            body = answer.body.decode("utf-8", "replace")
            result_html = html('<p class="count">{}</p><pre class="graph">{}</pre>',
                               count_text(answer.rows, "triple", "triples", "tripleta", "tripletas"), body)
        else:
            result = parse_results(answer.body)
            if isinstance(result, bool):
                result_html = html('<p class="answer">{}</p>', "true" if result else "false")
            else:
                result_html = html('<p class="count">{}</p>{}',
                                   count_text(len(result.rows), "row", "rows", "fila", "filas"),
                                   results_table(result, links))
    prefixes_note = bilingual("The project's prefixes (gcm:, skos:, dcterms:, org:, schema:, prov:…) need no "
                              "PREFIX line.", "Los prefijos del proyecto (gcm:, skos:, dcterms:…) no necesitan "
                              "línea PREFIX.")
    body = html(
        '<form id="query-form" class="editor" method="get" action="{root}/query" data-endpoint="{root}/sparql" '
        'data-base="{base}" data-root="{root}">'
        '<div class="field"><label for="examples">{}</label><select id="examples" name="example">{}</select></div>'
        '<div class="field"><label for="query">{}</label><textarea id="query" name="query" rows="14" spellcheck="false" '
        'autocapitalize="off" autocomplete="off">{}</textarea><p class="note">{}</p></div>'
        '<div class="actions"><button type="submit" id="run">{}</button> <a id="download" class="button" href="{}" '
        'download="results.csv">{}</a> <span id="status" role="status" aria-live="polite"></span></div></form>'
        '<section id="results">{}</section>'
        '<script src="{root}/static/query.js" defer></script>',
        bilingual("Start from an example", "Partir de un ejemplo"), join(options),
        bilingual("SPARQL query", "Consulta SPARQL"), shown, prefixes_note, bilingual("Run", "Ejecutar"), csv_href,
        bilingual("Download CSV", "Descargar CSV"), result_html, root=root(request), base=ctx.config.base_url)
    return page(request, bilingual("SPARQL editor", "Editor SPARQL"), body, status=status,
                dumps=ctx.config.dumps_dir is not None)


DUMP_NOTES = {".trig": ("every graph, with its name (TriG)", "todos los grafos, con su nombre (TriG)"),
              ".nq": ("every graph, with its name (N-Quads)", "todos los grafos, con su nombre (N-Quads)"),
              ".ttl": ("Turtle", "Turtle"), ".nt": ("N-Triples", "N-Triples"), ".jsonld": ("JSON-LD", "JSON-LD"),
              ".rdf": ("RDF/XML", "RDF/XML"), ".csv": ("a table (CSV)", "una tabla (CSV)")}


def downloads_page(request: Request, ctx: ServerContext) -> Response:
    from .dumps import safe_file

    folder = ctx.config.dumps_dir
    files = []
    if folder is not None and Path(folder).is_dir():
        files = [p for p in sorted(Path(folder).iterdir())
                 if p.is_file() and safe_file(Path(folder), p.name) is not None]
    rows = join(html('<tr><td><a href="{}/dumps/{}" download>{}</a></td><td class="num">{}</td><td>{}</td></tr>',
                     root(request), p.name, p.name, f"{p.stat().st_size:,}",
                     bilingual(*DUMP_NOTES.get(p.suffix, ("", "")))) for p in files)
    body = html('<p>{}</p><div class="scroll"><table><thead><tr><th>{}</th><th class="num">{}</th><th>{}</th></tr>'
                "</thead><tbody>{}</tbody></table></div>",
                bilingual("The whole graph, as built, in several formats.",
                          "El grafo completo, tal como se construyó, en varios formatos."),
                bilingual("file", "archivo"), bilingual("bytes", "bytes"), bilingual("content", "contenido"), rows)
    return page(request, bilingual("Downloads", "Descargas"), body, dumps=folder is not None,
                status=200 if folder is not None else 404)


def routes(ctx: ServerContext) -> list[BaseRoute]:
    catalogue = Catalogue()
    static = {p.name: (p.read_bytes(), STATIC_TYPES[p.suffix]) for p in sorted(STATIC_DIR.glob("*"))
              if p.suffix in STATIC_TYPES}
    missing = sorted({"style.css", "query.js", "icon.svg"} - set(static))
    if missing:  # a wheel built without the package data: pages would come unstyled and the editor dead
        log.error("web assets missing from %s: %s; the pages will not work as intended", STATIC_DIR,
                  ", ".join(missing))
    cache: dict[str, Any] = {}
    lock = asyncio.Lock()

    async def home(request: Request) -> Response:
        links = Links(request, ctx.config.base_url)
        key = f"front:{links.root}"
        if key not in cache:
            async with lock:
                if key not in cache:
                    cache[key] = await front_data(ctx, links)  # the store is read-only: compute once
        return front_page(request, ctx, cache[key])

    async def search(request: Request) -> Response:
        return await search_page(request, ctx)

    async def editor(request: Request) -> Response:
        return await query_page(request, ctx, catalogue)

    async def downloads(request: Request) -> Response:
        return downloads_page(request, ctx)

    async def asset(request: Request) -> Response:
        found = static.get(request.path_params["name"])
        if found is None:
            raise HttpError(404, "not found")
        body, media = found
        return Response(body, media_type=media, headers={"Cache-Control": "public, max-age=3600"})

    return [Route("/", home, methods=["GET"], name="home"),
            Route("/search", search, methods=["GET"], name="search"),
            Route("/query", editor, methods=["GET"], name="query-editor"),
            Route("/downloads", downloads, methods=["GET"], name="downloads"),
            Route("/static/{name}", asset, methods=["GET"], name="static")]


__all__ = ["chart_columns", "chart_rows", "graph_page", "ontology_page", "resource_page", "routes"]

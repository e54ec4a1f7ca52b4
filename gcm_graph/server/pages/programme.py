"""The page of a programme entry: its facts, description, results, tables, reported figures, challenges,
footnotes, the document's own lines (:mod:`.sources`) and how its links were found."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response

from ..context import ServerContext
from ..data import DCTERMS, RDFS, Description, Term, iri_term, labels, select
from ..markup import Html, bilingual, esc, html, join, link, page
from ..views import Links, iri_html, label_text
from .common import alternates, gcm, iris_in, statements_table
from .sources import SourceDocuments, ctx_documents


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
    wanted = iris_in(desc) | {desc.iri}
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

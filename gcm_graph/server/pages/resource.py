"""The generic page of a resource (``/id/…`` in HTML): its texts, the programme entries that point to it, and
its triples both ways. A programme entry gets a page of its own (:mod:`.programme`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..context import ServerContext
from ..data import DCTERMS, RDFS, SKOS, Description, Label, Table, Term, iri_term, labels, select
from ..markup import Html, bilingual, esc, html, join, link, page
from ..views import Links, iri_html, named
from .common import alternates, english_first, gcm, iris_in, statements_table
from .programme import programme_page


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



async def resource_page(request: Request, ctx: ServerContext, desc: Description) -> Response:
    base = ctx.config.base_url
    links = Links(request, base)
    if gcm(base, "ProgrammeEntry") in desc.types():
        return await programme_page(request, ctx, desc, links)
    related = await related_programmes(ctx, desc.iri)
    rel_iris = {r for row in related.rows for r in _rels(row).split()}
    labels_ = await labels(ctx, iris_in(desc) | {desc.iri} | rel_iris)
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
        for v in sorted(desc.values(p), key=english_first):
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

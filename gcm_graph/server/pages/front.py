"""The front page: counts, the chart of programmes per objective (:mod:`.chart`), the search box, the reports
and the browse lists (agencies, partners, populations, principles, themes)."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from ..context import ServerContext
from ..data import Label, Table, labels, select
from ..markup import Html, bilingual, html, join, link, page, root
from ..views import Links, count_text, named
from .chart import Bar, chart_columns, chart_rows
from .search import search_form


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

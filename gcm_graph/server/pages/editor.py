"""``/query``: the SPARQL editor, with the canned queries as examples; without script it runs the query on the
server and shows the results (``static/query.js`` does the same in the page)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..canned import Catalogue, runnable_text
from ..context import ServerContext
from ..data import parse_results
from ..markup import Html, bilingual, html, join, page, query_string, root
from ..views import Links, count_text, results_table
from ..web import parse_params


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

"""``/queries`` and ``/queries/NAME``: the canned queries of ``queries/*.rq`` over HTTP.

- ``GET /queries``: the list (HTML for browsers; JSON with ``Accept: application/json`` or ``?format=json``), with
  each query's summary, description, parameters, tags, columns and an example.
- ``GET /queries/NAME?param=…``: runs one. HTML (a form and a table) for browsers; SPARQL results as JSON (the
  default), CSV, TSV or XML by ``Accept`` or ``?format=``. Parameters are checked against the query's header and
  bound as typed RDF terms by :func:`gcm_graph.queries.bind` / :func:`~gcm_graph.queries.render` (a ``VALUES``
  block), never pasted into the text. An unknown, missing, repeated or ill-typed parameter is a 400 whose message
  lists the parameters the query accepts; an unknown query is a 404 listing the known ones. Empty values (as an
  HTML form sends for fields left blank) count as not given.
"""

from __future__ import annotations

import json
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from .. import paths
from ..errors import QueryError
from ..queries import CannedQuery, bind, load_all, parse_header, render
from .context import ServerContext
from .data import Table, parse_results
from .formats import SOLUTION_FORMATS, NotAcceptable, choose
from .markup import Html, bilingual, error_page, html, join, page, query_string, root
from .views import HTML, Links, count_text, results_table
from .web import HttpError, error_response, parse_params

LIST_FORMATS = (SOLUTION_FORMATS[0], HTML)  # JSON by default, HTML for browsers
RUN_FORMATS = (SOLUTION_FORMATS[0], HTML) + SOLUTION_FORMATS[1:]
RESERVED = ("format", "output")


def example_values(query: CannedQuery) -> dict[str, str]:
    """``#+ example: text=niñez; objective=7`` → ``{"text": "niñez", "objective": "7"}``."""
    spec = parse_header(query.text, query.path).get("example", "")
    out: dict[str, str] = {}
    for part in spec.replace("&", ";").split(";"):
        key, sep, value = part.partition("=")
        if sep and key.strip():
            out[key.strip()] = value.strip()
    return out


def without_header(text: str) -> str:
    """The query text without its ``#+`` header lines (shown separately on the pages)."""
    lines = text.splitlines()
    while lines and (lines[0].startswith("#+") or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines) + "\n"


def runnable_text(query: CannedQuery, base: str) -> str | None:
    """The query with its example (or default) values bound, or None when a required value has no example."""
    try:
        return without_header(render(query, bind(query, example_values(query), base)))
    except QueryError:
        return None


def accepted(query: CannedQuery) -> str:
    return "; ".join(p.describe() for p in query.all_params)


def describe_json(query: CannedQuery, root_path: str) -> dict:
    example = example_values(query)
    return {
        "name": query.name,
        "summary": query.summary,
        "description": query.description,
        "params": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                    "minimum": p.minimum, "maximum": p.maximum, "description": p.describe()}
                   for p in query.all_params],
        "tags": list(query.tags),
        "columns": list(query.columns),
        "example": example,
        "url": f"{root_path}/queries/{query.name}",
        "example_url": f"{root_path}/queries/{query.name}{query_string(example)}",
    }


class Catalogue:
    """The canned queries, read once when the app is created (the folder is part of the installed project)."""

    def __init__(self, folder: Path = paths.QUERIES_DIR):
        self.folder = folder
        self.queries: dict[str, CannedQuery] = {q.name: q for q in load_all(include_checks=True, folder=folder)}

    def listed(self) -> list[CannedQuery]:
        return [q for q in self.queries.values() if not q.is_check]

    def get(self, name: str) -> CannedQuery:
        query = self.queries.get(name)
        if query is None:
            known = ", ".join(sorted(q.name for q in self.listed()))
            raise HttpError(404, f"no canned query named {name!r}; known queries: {known}")
        return query


def param_form(query: CannedQuery, values: dict[str, str], action: str) -> Html:
    fields = []
    for p in query.all_params:
        current = values.get(p.name, "")
        attrs = []
        if p.type in ("integer", "objective"):
            kind = "number"
            lo, hi = (p.minimum, p.maximum) if p.minimum is not None else ((1, 23) if p.type == "objective" else (None, None))
            if lo is not None:
                attrs.append(html(' min="{}" max="{}"', lo, hi))
        else:
            kind = "search" if p.type == "text" else "text"
        if p.required:
            attrs.append(Html(" required"))
        placeholder = p.default or {"lang": "en", "report": "mx-2020", "country": "MX", "programme": "7-14",
                                    "agency": "sre", "organisation": "iom", "population": "asylum-seekers",
                                    "theme": "staff-capacity"}.get(p.type, "")
        if p.type == "lang":
            options = join(html('<option value="{}"{}>{}</option>', v, Html(" selected") if current == v else "", t)
                           for v, t in (("", "—"), ("en", "English"), ("es", "Español")))
            control = html('<select id="p-{0}" name="{0}">{1}</select>', p.name, options)
        else:
            control = html('<input id="p-{0}" name="{0}" type="{1}" value="{2}" placeholder="{3}"{4}>',
                           p.name, kind, current, placeholder, join(attrs))
        need = bilingual("required", "obligatorio") if p.required else bilingual("optional", "opcional")
        fields.append(html('<div class="field"><label for="p-{}">{} <small>({}, {})</small></label>{}</div>',
                           p.name, p.name, p.type, need, control))
    return html('<form class="params" method="get" action="{}">{}<div class="field"><button type="submit">{}</button>'
                "</div></form>", action, join(fields), bilingual("Run", "Ejecutar"))


def routes(ctx: ServerContext) -> list[BaseRoute]:
    from ..rdf.reference import add_countries

    if ctx.config.dumps_dir is not None:
        add_countries(Path(ctx.config.dumps_dir) / "countries.csv")  # the build's countries are valid values
    catalogue = Catalogue()
    base = ctx.config.base_url

    async def listing(request: Request) -> Response:
        params = parse_params(request.scope.get("query_string", b""))
        fmt_values = params.get("format", []) + params.get("output", [])
        try:
            fmt = choose(request.headers.get("accept"), fmt_values, LIST_FORMATS)
        except NotAcceptable as exc:
            return error_response(406, str(exc), {"Vary": "Accept"})
        if fmt is not HTML:
            body = {"queries": [describe_json(q, root(request)) for q in catalogue.listed()]}
            return Response(json.dumps(body, ensure_ascii=False, indent=2) + "\n",
                            media_type="application/json; charset=utf-8", headers={"Vary": "Accept"})
        items = []
        for q in catalogue.listed():
            example = example_values(q)
            params_text = ", ".join(p.describe() for p in q.params) or "—"
            items.append(html(
                '<li class="query"><h2><a href="{}/queries/{}{}">{}</a></h2><p class="name"><code>{}</code>{}</p>'
                "<p>{}</p><p class=\"params-doc\"><strong>{}</strong> {}</p></li>",
                root(request), q.name, query_string(example), q.summary, q.name,
                html(' · <span class="tags">{}</span>', ", ".join(q.tags)) if q.tags else "",
                q.description, html("{}:", bilingual("Parameters", "Parámetros")), params_text))
        intro = html(
            "<p>{}</p><p>{}</p>",
            bilingual("Questions asked often, ready to run. Each one is also an API: add Accept: text/csv or "
                      "?format=csv (or json, tsv, xml) to its address.",
                      "Preguntas frecuentes, listas para ejecutar. Cada una es también una API: añada "
                      "?format=csv (o json, tsv, xml) a su dirección."),
            bilingual("Every query also takes lang (en or es), report (e.g. mx-2020) and country (e.g. MX).",
                      "Todas aceptan además lang (en o es), report (p. ej. mx-2020) y country (p. ej. MX)."))
        body = html('{}<ul class="queries">{}</ul>', intro, join(items))
        return page(request, bilingual("Canned queries", "Consultas predefinidas"), body,
                    headers={"Vary": "Accept"}, dumps=ctx.config.dumps_dir is not None,
                    alternates=[(f"{root(request)}/queries?format=json", "application/json", "JSON")])

    async def run(request: Request) -> Response:
        params = parse_params(request.scope.get("query_string", b""))
        fmt_values = params.get("format", []) + params.get("output", [])
        vary = {"Vary": "Accept"}
        try:
            fmt = choose(request.headers.get("accept"), fmt_values, RUN_FORMATS)
        except NotAcceptable as exc:
            return error_response(406, str(exc), vary)
        try:
            query = catalogue.get(request.path_params["name"])
        except HttpError as exc:
            if fmt is HTML:
                return error_page(request, exc.status, exc.message, vary)
            return error_response(exc.status, exc.message, vary)
        values: dict[str, str] = {}
        problem = None
        for key, given in params.items():
            if key in RESERVED:
                continue
            if len(given) > 1:
                problem = f"parameter {key!r} given {len(given)} times; give it once"
            elif given[0].strip():
                values[key] = given[0]
        text = None
        if problem is None:
            try:
                text = render(query, bind(query, values, base))
            except QueryError as exc:
                problem = exc.message
        if problem is not None:
            message = f"{problem}\nquery {query.name!r} accepts: {accepted(query)}"
            if fmt is not HTML:
                return error_response(400, message, vary)
            return _html_page(request, query, values, None, message, 400)
        assert text is not None
        if fmt is not HTML:
            answer = await ctx.query(text, format_values=[fmt.name])
            headers = {**vary, **answer.headers}
            if answer.ok and fmt.name in ("csv", "tsv"):
                headers["Content-Disposition"] = f'inline; filename="{query.name}.{fmt.name}"'
            return Response(answer.body, status_code=answer.status, media_type=answer.content_type, headers=headers)
        answer = await ctx.query(text, format_values=["json"])
        if not answer.ok:
            return _html_page(request, query, values, None, answer.body.decode("utf-8", "replace"), answer.status,
                              without_header(text), answer.headers)
        result = parse_results(answer.body)
        return _html_page(request, query, values, result, None, 200, without_header(text))

    def _html_page(request: Request, query: CannedQuery, values: dict[str, str], result: Table | bool | None,
                   error: str | None, status: int, text: str | None = None,
                   extra_headers: dict[str, str] | None = None) -> Response:
        links = Links(request, base)
        here = f"{root(request)}/queries/{query.name}"
        parts = [html("<p>{}</p>", query.description)] if query.description else []
        if query.tags:
            parts.append(html('<p class="tags">{} {}</p>', html("{}:", bilingual("Tags", "Etiquetas")), ", ".join(query.tags)))
        parts.append(param_form(query, values, here))
        if error:
            parts.append(html('<pre class="error" role="alert">{}</pre>', error.strip()))
        if isinstance(result, bool):
            parts.append(html('<p class="answer">{}</p>', bilingual("Yes", "Sí") if result else bilingual("No", "No")))
        elif isinstance(result, Table):
            downloads = join((html('<a href="{}{}" download="{}.{}">{}</a>', here, query_string({**values, "format": f}),
                                   query.name, f, f.upper()) for f in ("csv", "json", "tsv", "xml")), " · ")
            parts.append(html('<p class="count">{} — {} {}</p>',
                              count_text(len(result.rows), "row", "rows", "fila", "filas"),
                              html("{}:", bilingual("download", "descargar")), downloads))
            parts.append(results_table(result, links))
        if text:
            editor = f"{root(request)}/query{query_string({'query': text})}"
            parts.append(html('<details class="sparql"><summary>{}</summary><pre><code>{}</code></pre>'
                              '<p><a href="{}">{}</a></p></details>',
                              bilingual("The SPARQL query", "La consulta SPARQL"), text, editor,
                              bilingual("Open in the SPARQL editor", "Abrir en el editor SPARQL")))
        headers = {"Vary": "Accept", **(extra_headers or {})}
        title = html("{}", query.summary)
        return page(request, title, join(parts), status=status, headers=headers, subtitle=html("<code>{}</code>", query.name),
                    dumps=ctx.config.dumps_dir is not None,
                    alternates=[(here + query_string({**values, "format": f}), m, label)
                                for f, m, label in (("json", "application/sparql-results+json", "JSON"),
                                                    ("csv", "text/csv", "CSV"))] if error is None else [])

    return [Route("/queries", listing, methods=["GET"], name="queries"),
            Route("/queries/{name}", run, methods=["GET"], name="canned-query")]


__all__ = ["Catalogue", "example_values", "routes", "runnable_text"]

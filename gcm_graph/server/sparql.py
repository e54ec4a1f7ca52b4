"""``/sparql``: the SPARQL 1.1 Protocol (query operation only) and the service description.

- ``GET /sparql?query=…``, ``POST`` with ``application/x-www-form-urlencoded`` (``query=…``) or with
  ``application/sparql-query`` (the query is the body; other parameters in the URL).
- ``default-graph-uri`` / ``named-graph-uri`` (repeatable) name the dataset; when a request names none and the
  query has no ``FROM``/``FROM NAMED``, the default graph is the union of all graphs (``ServerConfig``).
- Result format from ``format=``/``output=`` or ``Accept`` (see :mod:`gcm_graph.server.formats`).
- ``GET /sparql`` without a query: the service description (Turtle by default; JSON-LD, N-Triples, RDF/XML).
- Any update (``update=``, ``application/sparql-update``, an update in ``query=``) is refused with 403.
"""

from __future__ import annotations

import asyncio

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from . import formats
from .context import Dataset, ServerContext
from .description import render
from .web import HttpError, content_type, decode_utf8, error_response, parse_params, read_body

READ_ONLY = "this endpoint is read-only: SPARQL Update is refused"
_SD_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD,
               "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}


async def _request_params(request: Request, ctx: ServerContext) -> tuple[dict[str, list[str]], list[str]]:
    """All protocol parameters and the query texts given (in the form, the URL or the body)."""
    params = parse_params(request.scope.get("query_string", b""))
    if request.method != "POST":
        return params, params.get("query", [])
    kind = content_type(request)
    if kind == "application/sparql-update":
        raise HttpError(403, READ_ONLY)
    if kind not in ("application/x-www-form-urlencoded", "application/sparql-query"):
        raise HttpError(415, "POST a query as application/x-www-form-urlencoded (query=…) or as "
                             f"application/sparql-query; got {kind or 'no Content-Type'}",
                        {"Accept-Post": "application/x-www-form-urlencoded, application/sparql-query"})
    body = await read_body(request, ctx.config.max_body_bytes)
    if kind == "application/sparql-query":
        return params, params.get("query", []) + [decode_utf8(body, "query")]
    for key, values in parse_params(body, "form body").items():
        params.setdefault(key, []).extend(values)
    return params, params.get("query", [])


def _dataset(params: dict[str, list[str]]) -> Dataset | None:
    defaults, named = params.get("default-graph-uri", []), params.get("named-graph-uri", [])
    if not defaults and not named:
        return None
    for iri in defaults + named:
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise HttpError(400, f"bad graph IRI {iri!r}: {exc}") from None
    return Dataset(tuple(defaults), tuple(named))


def _endpoint_url(request: Request, ctx: ServerContext) -> str:
    if ctx.config.public_url:
        return ctx.config.public_url.rstrip("/") + "/sparql"
    return str(request.url.replace(query="", fragment=""))


async def _service_description(request: Request, ctx: ServerContext, params: dict[str, list[str]]) -> Response:
    try:
        fmt = formats.choose(request.headers.get("accept"), params.get("format", []) + params.get("output", []),
                             formats.GRAPH_FORMATS)
    except formats.NotAcceptable as exc:
        return error_response(406, str(exc))
    graphs = await ctx.graphs()
    body = await asyncio.to_thread(render, _endpoint_url(request, ctx), graphs, ctx.config, _SD_FORMATS[fmt.name])
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})


def routes(ctx: ServerContext) -> list[BaseRoute]:
    async def endpoint(request: Request) -> Response:
        params, queries = await _request_params(request, ctx)
        if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
            raise HttpError(403, READ_ONLY)
        if not queries:
            if request.method == "POST":
                raise HttpError(400, "missing query: send query=… (form) or an application/sparql-query body")
            return await _service_description(request, ctx, params)
        if len(queries) > 1:
            raise HttpError(400, "more than one query given; send exactly one")
        answer = await ctx.query(queries[0], accept=request.headers.get("accept"),
                                 format_values=params.get("format", []) + params.get("output", []),
                                 dataset=_dataset(params))
        headers = {"Vary": "Accept", **answer.headers}
        return Response(answer.body, status_code=answer.status, media_type=answer.content_type, headers=headers)

    return [Route("/sparql", endpoint, methods=["GET", "POST"], name="sparql")]

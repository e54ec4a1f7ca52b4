"""Dereferenceable identifiers: ``/id/…``, ``/ontology`` and ``/graph/…`` on this server answer for the IRIs
``<base>id/…``, ``<base>ontology`` and ``<base>graph/…`` of the data (``ServerConfig.base_url``, the ``--base`` the
graph was built with; ``https://w3id.org/gcm-graph/`` by default, which w3id.org redirects to wherever this server
is published). Also ``/.well-known/void``, the dataset description.

Content negotiation by ``Accept`` (or ``?format=``), answered with ``Vary: Accept``: HTML for browsers
(``text/html``), Turtle (also the answer to ``*/*`` or no ``Accept``), JSON-LD, N-Triples, RDF/XML.

- A resource is known when it is the subject or the object of a triple in any graph; anything else is a 404.
- What a machine gets for ``…/id/X``: the triples with X as subject and as object, asserted and inferred alike
  (the union of the graphs), the triples of blank nodes X points to, and the labels (``skos:prefLabel``,
  ``rdfs:label``, ``dcterms:title``) of everything X links to or is linked from (:func:`.data.rdf_description_query`).
- ``…/ontology`` (and its version IRI ``…/ontology/0.1.0``) is a hash namespace: it returns the whole vocabulary,
  every ``…/ontology#Term`` with its axioms (blank-node restrictions and lists included), so that a term's IRI
  resolves to the document that defines it.
- ``…/graph/NAME`` returns the whole named graph.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from pathlib import Path

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route

from ..namespaces import DEFAULT_BASE
from . import pages
from .config import ServerConfig
from .context import ServerContext
from .data import describe, exists, iri_term, namespace_query, rdf_description_query
from .description import VOID
from .formats import GRAPH_FORMATS, NotAcceptable, choose
from .markup import error_page
from .views import HTML
from .web import HttpError, error_response, parse_params

log = logging.getLogger("gcm_graph.server")

#: Turtle first: what a client that says nothing (or ``*/*``) gets.
FORMATS = (GRAPH_FORMATS[0], HTML) + GRAPH_FORMATS[1:]
VARY = {"Vary": "Accept"}
_SERIALISERS = {"turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD,
                "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}


def identifier_base(store: ox.Store, config: ServerConfig) -> ServerConfig:
    """``config`` with ``base_url`` set to the base of the identifiers the store really holds.

    The base is read from the ontology's IRI (``<base>ontology a owl:Ontology``). When ``base_url`` names another
    base and the store has exactly one, the server answers for the store's identifiers anyway (``gcm-graph serve
    --base-url http://localhost:8000/`` over a default build then serves ``https://w3id.org/gcm-graph/id/…`` at
    ``http://localhost:8000/id/…``), and an http(s) ``base_url`` other than the default becomes the public URL."""
    ontology = ox.NamedNode("http://www.w3.org/2002/07/owl#Ontology")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    bases = sorted({q.subject.value[: -len("ontology")] for q in store.quads_for_pattern(None, rdf_type, ontology)
                    if isinstance(q.subject, ox.NamedNode) and q.subject.value.endswith("/ontology")})
    if not bases or config.base_url in bases:
        return config
    if len(bases) > 1:
        log.warning("the graph holds identifiers under several bases (%s); /id/… answers for %s",
                    ", ".join(bases), config.base_url)
        return config
    log.warning("the graph's identifiers are under %s, not %s: /id/… on this server answers for %sid/…",
                bases[0], config.base_url, bases[0])
    public = config.public_url
    if public is None and config.base_url != DEFAULT_BASE and config.base_url.startswith(("http://", "https://")):
        public = config.base_url
    return dataclasses.replace(config, base_url=bases[0], public_url=public)


def requested_format(request: Request, choices=FORMATS):  # noqa: ANN001, ANN201
    params = parse_params(request.scope.get("query_string", b""))
    try:
        return choose(request.headers.get("accept"), params.get("format", []) + params.get("output", []), choices)
    except NotAcceptable as exc:
        raise HttpError(406, str(exc), VARY) from None


def relative_path(request: Request) -> str:
    """The request path as sent (still percent-encoded, as IRIs are), without the mount prefix and leading '/'."""
    raw = request.scope.get("raw_path") or request.scope["path"].encode("utf-8")
    path = raw.decode("latin-1")
    mount = str(request.scope.get("root_path", "")).rstrip("/")
    if mount and path.startswith(mount + "/"):
        path = path[len(mount):]
    return path.lstrip("/")


def not_found(request: Request, fmt, iri: str) -> Response:  # noqa: ANN001
    message = f"no resource {iri} in this graph"
    if fmt is HTML:
        return error_page(request, 404, message, VARY)
    return error_response(404, message, VARY)


async def _rdf(ctx: ServerContext, query: str, fmt, request: Request, iri: str) -> Response:  # noqa: ANN001
    answer = await ctx.query(query, format_values=[fmt.name])
    if answer.ok and answer.rows == 0:
        return not_found(request, fmt, iri)
    return Response(answer.body, status_code=answer.status, media_type=answer.content_type,
                    headers={**VARY, **answer.headers})


def _safe_iri(iri: str) -> bool:
    try:
        iri_term(iri)
    except HttpError:
        return False
    return True


def routes(ctx: ServerContext) -> list[BaseRoute]:
    base = ctx.config.base_url

    async def resource(request: Request) -> Response:
        fmt = requested_format(request)
        iri = base + relative_path(request)
        if not _safe_iri(iri):
            return not_found(request, fmt, iri)
        if fmt is not HTML:
            return await _rdf(ctx, rdf_description_query(iri), fmt, request, iri)
        desc = await describe(ctx, iri)
        if not desc.known:
            return not_found(request, fmt, iri)
        return await pages.resource_page(request, ctx, desc)

    async def ontology(request: Request) -> Response:
        fmt = requested_format(request)
        iri = base + relative_path(request)
        if not _safe_iri(iri) or not await exists(ctx, iri):
            return not_found(request, fmt, iri)
        if fmt is HTML:
            return await pages.ontology_page(request, ctx, iri)
        return await _rdf(ctx, namespace_query(base + "ontology", ctx.config.graph_iri("ontology")), fmt, request, iri)

    async def graph(request: Request) -> Response:
        fmt = requested_format(request)
        name = request.path_params["name"]
        iri = ctx.config.graph_iri(name)
        counts = {g.name: g.triples for g in await ctx.graphs() if g.name is not None}
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name) or iri not in counts:
            return not_found(request, fmt, iri)
        if fmt is HTML:
            return await pages.graph_page(request, ctx, iri, counts[iri])
        t = iri_term(iri)
        return await _rdf(ctx, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {t} {{ ?s ?p ?o }} }}", fmt, request, iri)

    async def void(request: Request) -> Response:
        if ctx.config.dumps_dir is not None:
            path = Path(ctx.config.dumps_dir) / "void.ttl"
            if path.is_file():
                return FileResponse(path, media_type="text/turtle; charset=utf-8")
        fmt = requested_format(request, GRAPH_FORMATS)
        dataset = base + "id/dataset"
        if await exists(ctx, dataset):
            return await _rdf(ctx, rdf_description_query(dataset), fmt, request, dataset)
        body = await generated_void(request, ctx, _SERIALISERS[fmt.name])
        return Response(body, media_type=fmt.content_type, headers=VARY)

    return [Route("/id/{path:path}", resource, methods=["GET"], name="resource"),
            Route("/ontology", ontology, methods=["GET"], name="ontology"),
            Route("/ontology/{version:path}", ontology, methods=["GET"], name="ontology-version"),
            Route("/graph/{name}", graph, methods=["GET"], name="graph"),
            Route("/.well-known/void", void, methods=["GET"], name="void")]


async def generated_void(request: Request, ctx: ServerContext, fmt: ox.RdfFormat) -> bytes:
    """A minimal VoID description (used when the build wrote none): the dataset, its SPARQL endpoint, URI space,
    dumps, and one subset per named graph with its triple count."""
    base = ctx.config.base_url
    public = (ctx.config.public_url or str(request.base_url)).rstrip("/")
    dataset = ox.NamedNode(base + "id/dataset")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")

    def v(term: str) -> ox.NamedNode:
        return ox.NamedNode(VOID + term)

    graphs = await ctx.graphs()
    triples = [ox.Triple(dataset, rdf_type, v("Dataset")),
               ox.Triple(dataset, ox.NamedNode("http://purl.org/dc/terms/title"),
                         ox.Literal("gcm-graph: national implementation of the Global Compact for Migration",
                                    language="en")),
               ox.Triple(dataset, v("sparqlEndpoint"), ox.NamedNode(public + "/sparql")),
               ox.Triple(dataset, v("uriSpace"), ox.Literal(base + "id/")),
               ox.Triple(dataset, v("triples"), ox.Literal(str(sum(g.triples for g in graphs)), datatype=integer))]
    if ctx.config.dumps_dir is not None:
        for path in sorted(Path(ctx.config.dumps_dir).glob("*")):
            if path.is_file() and path.suffix in (".trig", ".ttl", ".nt", ".nq", ".jsonld", ".rdf") \
                    and not path.name.startswith("."):
                triples.append(ox.Triple(dataset, v("dataDump"), ox.NamedNode(f"{public}/dumps/{path.name}")))
    for g in graphs:
        if g.name is None:
            continue
        subset = ox.NamedNode(g.name)
        triples += [ox.Triple(dataset, v("subset"), subset), ox.Triple(subset, rdf_type, v("Dataset")),
                    ox.Triple(subset, v("triples"), ox.Literal(str(g.triples), datatype=integer))]
    return ox.serialize(triples, format=fmt,
                        prefixes={"void": VOID, "dcterms": "http://purl.org/dc/terms/"}
                        if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None)

"""The SPARQL 1.1 Service Description answered at ``/sparql`` when no query is given."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .config import ServerConfig
from .formats import SOLUTION_FORMATS

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
DCT_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
FORMATS = "http://www.w3.org/ns/formats/"
_RESULT_FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "jsonld": "JSON-LD", "ntriples": "N-Triples",
    "rdfxml": "RDF_XML",
}
DESCRIPTION_PREFIXES = {"sd": SD, "void": VOID, "dcterms": "http://purl.org/dc/terms/",
                        "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "formats": FORMATS}


@dataclass(frozen=True)
class GraphCount:
    name: str | None  # None: the store's default graph
    triples: int


def count_graphs(store: ox.Store) -> list[GraphCount]:
    """Triples in the default graph and in each named graph, named graphs sorted by IRI."""
    names = sorted((g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)))
    counts = [GraphCount(None, sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph())))]
    for name in names:
        counts.append(GraphCount(name, sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(name)))))
    return counts


def _sd(term: str) -> ox.NamedNode:
    return ox.NamedNode(SD + term)


def description_triples(endpoint: str, graphs: list[GraphCount], config: ServerConfig) -> list[ox.Triple]:
    service = ox.NamedNode(endpoint + "#service")
    out: list[ox.Triple] = []

    def add(s, p, o) -> None:  # noqa: ANN001
        out.append(ox.Triple(s, p, o))

    add(service, RDF_TYPE, _sd("Service"))
    add(service, _sd("endpoint"), ox.NamedNode(endpoint))
    add(service, DCT_TITLE, ox.Literal("gcm-graph SPARQL endpoint", language="en"))
    add(service, RDFS_COMMENT, ox.Literal(
        "Read-only SPARQL 1.1 query endpoint (updates are refused with 403, SERVICE with 403). "
        + ("Without default-graph-uri, named-graph-uri, FROM or FROM NAMED the default graph is the union of all "
           "graphs. " if config.union_default_graph else "The default graph is the store's default graph. ")
        + f"Queries stop after {config.query_timeout:g} s (503); results over {config.max_rows} rows or "
        f"{config.max_result_bytes} bytes are refused (503), never truncated.", language="en"))
    add(service, _sd("supportedLanguage"), _sd("SPARQL11Query"))
    if config.union_default_graph:
        add(service, _sd("feature"), _sd("UnionDefaultGraph"))
    names = [f.name for f in SOLUTION_FORMATS] + ["turtle", "jsonld", "ntriples", "rdfxml"]
    for name in names:
        add(service, _sd("resultFormat"), ox.NamedNode(FORMATS + _RESULT_FORMAT_IRIS[name]))

    dataset = ox.NamedNode(endpoint + "#dataset")
    add(service, _sd("defaultDataset"), dataset)
    add(dataset, RDF_TYPE, _sd("Dataset"))
    default = ox.NamedNode(endpoint + "#default-graph")
    add(dataset, _sd("defaultGraph"), default)
    add(default, RDF_TYPE, _sd("Graph"))
    total = sum(g.triples for g in graphs) if config.union_default_graph else \
        next((g.triples for g in graphs if g.name is None), 0)
    add(default, ox.NamedNode(VOID + "triples"), ox.Literal(str(total), datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#integer")))
    for i, g in enumerate(x for x in graphs if x.name is not None):
        named = ox.NamedNode(f"{endpoint}#named-graph-{i + 1}")
        graph = ox.NamedNode(f"{endpoint}#graph-{i + 1}")
        add(dataset, _sd("namedGraph"), named)
        add(named, RDF_TYPE, _sd("NamedGraph"))
        add(named, _sd("name"), ox.NamedNode(g.name))
        add(named, _sd("graph"), graph)
        add(graph, RDF_TYPE, _sd("Graph"))
        add(graph, ox.NamedNode(VOID + "triples"), ox.Literal(str(g.triples), datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#integer")))
    return out


def render(endpoint: str, graphs: list[GraphCount], config: ServerConfig, fmt: ox.RdfFormat) -> bytes:
    triples = description_triples(endpoint, graphs, config)
    return ox.serialize(triples, format=fmt, prefixes=DESCRIPTION_PREFIXES if fmt == ox.RdfFormat.TURTLE else None)

"""From rdflib graphs to one sorted list of pyoxigraph quads: the single source every dump and the store are
written from. Sorting, and blank-node labels made canonical, make every file byte-identical from build to build."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph

from ..namespaces import DEFAULT_BASE, prefixes
from .dataset import graph_iri

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def ox_term(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def rdflib_term(term):
    """The inverse of :func:`ox_term`: a pyoxigraph term as an rdflib term (``xsd:string`` literals plain, as rdflib
    parses them)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value if term.datatype else None
    if datatype == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype) if datatype else None)


def canonical(g: Graph) -> Graph:
    """The same graph with blank nodes labelled by their content (stable across runs)."""
    if not any(isinstance(x, BNode) for t in g for x in t):
        return g
    return to_canonical_graph(g)


def sort_key(q: ox.Quad) -> tuple[str, str, str, str]:
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))


def to_quads(graphs: dict[str, Graph], base: str = DEFAULT_BASE) -> list[ox.Quad]:
    """Every triple of every named graph as a quad, sorted. Graphs with blank nodes must have been made
    :func:`canonical` first (the build does it for the ontology graph)."""
    quads = []
    for name, g in graphs.items():
        graph = ox.NamedNode(str(graph_iri(name, base)))
        for s, p, o in g:
            quads.append(ox.Quad(ox_term(s), ox_term(p), ox_term(o), graph))
    quads.sort(key=sort_key)
    return quads


def as_triples(quads: list[ox.Quad]) -> list[ox.Triple]:
    """The union of the quads' graphs as sorted, distinct triples."""
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def serialize_to(items, fmt: ox.RdfFormat, path, base: str = DEFAULT_BASE) -> None:
    """As :func:`serialize`, straight into the file ``path``."""
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML):
        bound = {k: v for k, v in prefixes(base).items() if k not in ("prog", "report")}
        ox.serialize(items, output=str(path), format=fmt, prefixes=bound)
    else:
        ox.serialize(items, output=str(path), format=fmt)


def serialize(items, fmt: ox.RdfFormat, base: str = DEFAULT_BASE) -> bytes:
    """Serialise sorted quads or triples; prefixes only for formats that use them."""
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML):
        bound = {k: v for k, v in prefixes(base).items() if k not in ("prog", "report")}
        return ox.serialize(items, format=fmt, prefixes=bound)
    return ox.serialize(items, format=fmt)

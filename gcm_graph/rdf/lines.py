"""Triples as N-Triples text, the build's compact form between the record builders and pyoxigraph.

The builders (:mod:`gcm_graph.rdf.report`, :mod:`gcm_graph.rdf.enrichment`) call ``g.add((s, p, o))`` with rdflib
terms. Given a :class:`TripleLines` instead of an rdflib ``Graph``, each triple becomes one line of N-Triples at
once: no in-memory graph (rdflib holds ~1.4 KB per triple and indexes every add), no pyoxigraph objects per term
(≈0.5 KB per quad). A graph's lines, sorted and deduplicated, are parsed by pyoxigraph's Rust parser in one call
(:func:`nquads`), which checks them too. Sorted lines are also what makes every dump byte-identical from one build
to the next.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# Escapes as pyoxigraph writes them, so that a line reads the same whichever side produced it.
_ESCAPES = str.maketrans({**{chr(c): f"\\u{c:04X}" for c in (*range(0x20), 0x7F)},
                          "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
                          "\f": "\\f"})


def literal_text(value: str, language: str | None = None, datatype: str | None = None) -> str:
    text = '"' + value.translate(_ESCAPES) + '"'
    if language:
        return f"{text}@{language.lower()}"
    if datatype and datatype != XSD_STRING:
        return f"{text}^^<{datatype}>"
    return text


def term_text(term) -> str:
    """One rdflib term in N-Triples syntax."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return literal_text(str(term), term.language, str(term.datatype) if term.datatype is not None else None)
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


class TripleLines:
    """A write-only graph: ``add((s, p, o))`` appends the triple as ``"<s> <p> o"`` (no final dot)."""

    __slots__ = ("lines", "_iris")

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._iris: dict[str, str] = {}  # IRI → its text: predicates, classes, shared nodes recur

    def add(self, triple) -> None:
        s, p, o = triple
        iris = self._iris
        st = iris.get(s)
        if st is None:
            st = iris[s] = term_text(s)
        pt = iris.get(p)
        if pt is None:
            pt = iris[p] = term_text(p)
        if type(o) is URIRef:
            ot = iris.get(o)
            if ot is None:
                ot = iris[o] = term_text(o)
        else:
            ot = term_text(o)
        self.lines.append(f"{st} {pt} {ot}")

    def __len__(self) -> int:
        return len(self.lines)

    def sorted(self) -> list[str]:
        """The distinct lines, sorted."""
        return sorted(set(self.lines))


def nquads(graphs: dict[str, list[str]]) -> bytes:
    """N-Quads text of ``{graph IRI: sorted triple lines}``, graphs in IRI order."""
    out = []
    for graph in sorted(graphs):
        suffix = f" <{graph}> .\n"
        out.append(suffix.join(graphs[graph]) + suffix if graphs[graph] else "")
    return "".join(out).encode("utf-8")


def ntriples(lines: Iterable[str]) -> bytes:
    return "".join(f"{line} .\n" for line in lines).encode("utf-8")


def write_ntriples(path, lines: Iterable[str], chunk: int = 65536) -> None:
    """N-Triples of ``lines`` into ``path``, a chunk at a time."""
    import itertools

    lines = iter(lines)
    with open(path, "wb") as out:
        while True:
            block = list(itertools.islice(lines, chunk))
            if not block:
                break
            out.write(ntriples(block))


def parse_quads(data: bytes) -> list[ox.Quad]:
    return list(ox.parse(data, format=ox.RdfFormat.N_QUADS))


def parse_triples(lines: Iterable[str]):
    """Lines as pyoxigraph quads of the default graph (an iterator: nothing is held)."""
    return ox.parse(ntriples(lines), format=ox.RdfFormat.N_TRIPLES)


def triple_lines(triples: Iterable) -> list[str]:
    """pyoxigraph triples (or quads) back to lines (their terms' ``str`` is N-Triples syntax)."""
    return [f"{t.subject} {t.predicate} {t.object}" for t in triples]


def graph_lines(g) -> list[str]:
    """An rdflib graph's triples as sorted, distinct lines."""
    sink = TripleLines()
    for t in g:
        sink.add(t)
    return sink.sorted()


def split(line: str) -> tuple[str, str, str]:
    """``(subject, predicate, object)`` texts of a line: subjects and predicates hold no space."""
    s, p, o = line.split(" ", 2)
    return s, p, o


class GraphLines:
    """The build's named graphs, each as sorted, distinct triple lines: the single source of every dump and of
    the store. Names are local (``mx-2020``, ``ontology``, ``inferred``…); :meth:`iri` gives the graph IRI."""

    def __init__(self, base: str):
        self.base = base
        self.graphs: dict[str, list[str]] = {}

    def iri(self, name: str) -> str:
        from .dataset import graph_iri

        return str(graph_iri(name, self.base))

    def set(self, name: str, lines: Iterable[str]) -> None:
        self.graphs[name] = sorted(set(lines))

    def names(self, exclude: Iterable[str] = ()) -> list[str]:
        skip = set(exclude)
        return sorted(n for n in self.graphs if n not in skip)

    def count(self, name: str) -> int:
        return len(self.graphs.get(name, ()))

    def total(self, exclude: Iterable[str] = ()) -> int:
        return sum(len(self.graphs[n]) for n in self.names(exclude))

    def nquads(self, names: Iterable[str] | None = None) -> bytes:
        chosen = self.names() if names is None else list(names)
        return nquads({self.iri(n): self.graphs[n] for n in chosen})

    def _chosen(self, names: Iterable[str] | None) -> list[str]:
        """Names in graph-IRI order (the order of :meth:`nquads`)."""
        chosen = self.names() if names is None else list(names)
        return sorted(chosen, key=self.iri)

    def quads(self, names: Iterable[str] | None = None):
        """The graphs as pyoxigraph quads, parsed one graph at a time (the whole is never held)."""
        for name in self._chosen(names):
            yield from ox.parse(nquads({self.iri(name): self.graphs[name]}), format=ox.RdfFormat.N_QUADS)

    def write_nquads(self, path, names: Iterable[str] | None = None) -> None:
        """The bytes of :meth:`nquads`, written one graph at a time."""
        with open(path, "wb") as out:
            for name in self._chosen(names):
                out.write(nquads({self.iri(name): self.graphs[name]}))

    def union_lines(self, exclude: Iterable[str] = ()):
        """The lines of :meth:`union`, merged from the sorted graphs as they are read (the whole is never held)."""
        import heapq

        previous = None
        for line in heapq.merge(*(self.graphs[n] for n in self.names(exclude))):
            if line != previous:
                yield line
                previous = line

    def union(self, exclude: Iterable[str] = ()) -> list[str]:
        """The distinct triples of every graph but ``exclude``, sorted."""
        names = self.names(exclude)
        if len(names) == 1:
            return self.graphs[names[0]]
        merged: set[str] = set()
        for n in names:
            merged.update(self.graphs[n])
        return sorted(merged)

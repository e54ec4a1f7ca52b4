"""Query engines over the built graph, all with the same interface and the same plain-value rows.

* :class:`OxigraphEngine`: the embedded default, a pyoxigraph store persisted under ``dist/store`` so that a query
  never rebuilds anything;
* :class:`RdflibEngine`: rdflib's own SPARQL engine over the TriG dump, the reference implementation;
* a remote SPARQL endpoint, through SPARQLWrapper (:mod:`gcm_graph.remote`).

The default graph is the union of all named graphs (asserted, reference and inferred) in every engine.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from . import paths
from .errors import GcmError, QueryError

STORE_DIR = "store"
XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                                "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong")}


@dataclass(frozen=True)
class QueryResult:
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    seconds: float = 0.0

    def as_dicts(self) -> list[dict]:
        return [dict(zip(self.columns, row)) for row in self.rows]


def plain(value: str, datatype: str | None, is_iri: bool = False):
    """An RDF term's value as a plain Python value: int, Decimal, float, bool or str."""
    if is_iri or datatype is None:
        return value
    if datatype in _INTEGERS:
        return int(value)
    if datatype == XSD + "decimal":
        return Decimal(value)
    if datatype in (XSD + "double", XSD + "float"):
        return float(value)
    if datatype == XSD + "boolean":
        return value in ("true", "1")
    return value


def _ox_plain(term):
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        return plain(term.value, term.datatype.value if term.datatype else None)
    return str(term)


class OxigraphEngine:
    name = "pyoxigraph"

    def __init__(self, store: ox.Store):
        self.store = store

    def run(self, text: str) -> QueryResult:
        t0 = time.perf_counter()
        try:
            result = self.store.query(text, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        if isinstance(result, ox.QueryBoolean):
            return QueryResult(("result",), ((bool(result),),), time.perf_counter() - t0)
        if isinstance(result, ox.QueryTriples):
            rows = tuple((_ox_plain(t.subject), _ox_plain(t.predicate), _ox_plain(t.object)) for t in result)
            return QueryResult(("subject", "predicate", "object"), rows, time.perf_counter() - t0)
        columns = tuple(v.value for v in result.variables)
        rows = tuple(tuple(_ox_plain(sol[c]) for c in columns) for sol in result)
        return QueryResult(columns, rows, time.perf_counter() - t0)


class RdflibEngine:
    name = "rdflib"

    def __init__(self, dataset):
        self.dataset = dataset

    @classmethod
    def from_dist(cls, dist: Path = paths.DEFAULT_DIST) -> "RdflibEngine":
        from rdflib import Dataset

        ds = Dataset(default_union=True)
        ds.parse(Path(dist) / "gcm-graph.trig", format="trig")
        return cls(ds)

    def run(self, text: str) -> QueryResult:
        from rdflib import BNode, Literal, URIRef

        def conv(term):
            if term is None:
                return None
            if isinstance(term, URIRef):
                return str(term)
            if isinstance(term, BNode):
                return "_:" + str(term)
            if isinstance(term, Literal):
                dt = str(term.datatype) if term.datatype else None
                return plain(str(term), dt)
            return str(term)

        t0 = time.perf_counter()
        try:
            result = self.dataset.query(text)
        except Exception as exc:  # rdflib raises pyparsing errors and others
            raise QueryError(f"SPARQL error: {exc}") from None
        if result.type == "ASK":
            return QueryResult(("result",), ((bool(result.askAnswer),),), time.perf_counter() - t0)
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            rows = tuple((conv(s), conv(p), conv(o)) for s, p, o in result.graph)
            return QueryResult(("subject", "predicate", "object"), rows, time.perf_counter() - t0)
        columns = tuple(str(v) for v in result.vars)
        rows = tuple(tuple(conv(row[i]) for i in range(len(columns))) for row in result)
        return QueryResult(columns, rows, time.perf_counter() - t0)


def build_store(folder: Path, quads) -> ox.Store:
    """Create the persistent store in ``folder`` from N-Quads bytes or from quads, named graphs kept; return it,
    open. Bytes are parsed in a stream (``Store.bulk_load`` would rename blank nodes at random, and the store must
    hold the dumps' labels)."""
    store = ox.Store(str(folder))
    if isinstance(quads, (bytes, bytearray)):
        quads = ox.parse(quads, format=ox.RdfFormat.N_QUADS)
    store.bulk_extend(quads)
    store.optimize()
    store.flush()
    return store


def open_store(dist: Path = paths.DEFAULT_DIST) -> ox.Store:
    path = Path(dist) / STORE_DIR
    if not path.is_dir():
        raise GcmError("no built store here; run 'gcm-graph build' first", str(path))
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise GcmError(f"cannot open the store: {exc}", str(path)) from None


def embedded(dist: Path = paths.DEFAULT_DIST) -> OxigraphEngine:
    return OxigraphEngine(open_store(dist))

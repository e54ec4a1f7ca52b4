"""Run SPARQL queries on a remote endpoint (through SPARQLWrapper) or on the embedded pyoxigraph store, and get
the answers in one plain, comparable form — so the same query can be checked row by row on both.

Values: an IRI is an :class:`IRI` (a ``str``), a blank node a :class:`BNode` (a ``str``; labels differ between
stores, so they never compare across stores), a literal a Python value by datatype — ``int`` for xsd:integer and
its derived types, ``Decimal`` for xsd:decimal (normalised: ``1.50`` → ``1.5``, ``3.0`` → ``3``, rounded to
12 places), ``float`` for
xsd:double/float, ``bool`` for xsd:boolean, ``datetime.date``/``datetime.datetime`` for xsd:date/dateTime, and
``str`` for everything else (language tags and other datatypes are dropped: ``"Programa"@es`` → ``"Programa"``);
``None`` for an unbound variable.

Store differences smoothed out (seen on Virtuoso 7.2): booleans come back as ``"1"``/``"0"``; integers too big for
64 bits come back as xsd:decimal (``Decimal`` with an integral value, equal to the ``int``); ``"1.5E3"^^xsd:double``
comes back as ``"1500.0"``; the old ``typed-literal`` JSON type. Not smoothed (reported as is): Virtuoso turns an
xsd:duration such as ``"P1Y2M"`` into a number of months (``"14"``).

A SELECT gives a :class:`Rows`; ASK a ``bool``; CONSTRUCT/DESCRIBE a :class:`Rows` of (subject, predicate,
object) sorted. Virtuoso truncates results silently at its ``ResultSetMaxRows`` and returns partial results when
``MaxQueryExecutionTime`` runs out: both are detected and raised as :class:`~gcm_graph.errors.QueryError`.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext
from typing import Any, Union

import pyoxigraph as ox

from .errors import QueryError

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                    "nonPositiveInteger", "positiveInteger", "negativeInteger", "unsignedLong",
                                    "unsignedInt", "unsignedShort", "unsignedByte")}
_FLOAT_TYPES = {XSD + "double", XSD + "float"}

DECIMAL_PLACES = 12

Value = Union[str, int, Decimal, float, bool, dt.date, dt.datetime, None]


class IRI(str):
    """An IRI in a result (a ``str``: it compares equal to its text)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"IRI({str(self)!r})"


class BNode(str):
    """A blank node in a result, as ``"_:label"``; the label is the store's own."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"BNode({str(self)!r})"


@dataclass(frozen=True)
class Rows:
    """A table of plain values: ``variables`` names the columns, ``rows`` are tuples in that order."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def sorted(self) -> Rows:
        """The same rows in a stable order, for comparing queries without ORDER BY."""
        return Rows(self.variables, tuple(sorted(self.rows, key=_row_key)))

    def dicts(self) -> list[dict[str, Value]]:
        return [dict(zip(self.variables, row)) for row in self.rows]


def _row_key(row: tuple[Value, ...]) -> tuple:
    return tuple((v is not None, type(v).__name__ if not isinstance(v, (int, float, Decimal)) or isinstance(v, bool)
                  else "number", v if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) else str(v))
                 for v in row)


def literal_value(lexical: str, datatype: str | None = None, language: str | None = None) -> Value:
    """A literal as a plain Python value (see the module docstring)."""
    if language or not datatype:
        return lexical
    try:
        if datatype in _INTEGER_TYPES:
            return int(lexical.strip())
        if datatype == XSD + "decimal":
            return _decimal(Decimal(lexical.strip()))
        if datatype in _FLOAT_TYPES:
            return float(lexical.strip().replace("INF", "inf"))
        if datatype == XSD + "boolean":
            flag = lexical.strip().lower()
            if flag in ("true", "1", "false", "0"):
                return flag in ("true", "1")
        if datatype == XSD + "date":
            return dt.date.fromisoformat(lexical.strip()[:10])
        if datatype == XSD + "dateTime":
            return dt.datetime.fromisoformat(lexical.strip().replace("Z", "+00:00"))
    except (ValueError, InvalidOperation):
        pass
    return lexical


def _decimal(value: Decimal) -> Decimal:
    """One form per value: no trailing zeros, no exponent (``Decimal('1.50')`` → ``1.5``, ``'3.0'`` → ``3``),
    at most :data:`DECIMAL_PLACES` places (stores divide to different precisions: AVG gave 15 places on
    Virtuoso, 18 on Oxigraph)."""
    with localcontext(prec=max(28, len(value.as_tuple().digits) + 2)):
        if value.as_tuple().exponent < -DECIMAL_PLACES:
            value = value.quantize(Decimal(1).scaleb(-DECIMAL_PLACES), rounding=ROUND_HALF_EVEN)
        value = value.normalize()
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def json_term(term: dict[str, Any] | None, plain: bool = False) -> Value:
    """A term of SPARQL 1.1 JSON results (``typed-literal`` accepted, as Virtuoso sends it).

    ``plain``: the conventions of :func:`gcm_graph.store.plain` instead (what the embedded engines give).
    """
    if term is None:
        return None
    kind, value = term.get("type"), term.get("value", "")
    if kind == "uri":
        return IRI(value)
    if kind == "bnode":
        return BNode("_:" + value)
    if plain:
        from .store import plain as store_plain

        return store_plain(value, None if term.get("xml:lang") else term.get("datatype"))
    return literal_value(value, term.get("datatype"), term.get("xml:lang"))


def ox_term(term: Any) -> Value:
    """A pyoxigraph term as a plain value."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode("_:" + term.value)
    if isinstance(term, ox.Literal):
        return literal_value(term.value, term.datatype.value, term.language)
    return str(term)  # RDF-star quoted triple


def _plain_ox_term(term: Any) -> Value:
    if isinstance(term, ox.Literal):
        from .store import plain as store_plain

        return store_plain(term.value, None if term.language else term.datatype.value)
    return ox_term(term)


def _triples(triples, plain: bool = False) -> Rows:
    term = _plain_ox_term if plain else ox_term
    rows = tuple(sorted(((term(t.subject), term(t.predicate), term(t.object)) for t in triples), key=_row_key))
    return Rows(("subject", "predicate", "object"), rows)


def query_store(store: ox.Store, sparql: str) -> Rows | bool:
    """Run ``sparql`` on an embedded pyoxigraph store; the answer in the same form as :func:`query`."""
    try:
        result = store.query(sparql)
    except (SyntaxError, ValueError, OSError) as exc:
        raise QueryError(f"pyoxigraph rejected the query: {exc}") from None
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        names = tuple(v.value for v in result.variables)
        return Rows(names, tuple(tuple(ox_term(solution[name]) for name in names) for solution in result))
    return _triples(result)


def query(endpoint: str, sparql: str, *, user: str | None = None, password: str | None = None,
          auth: str = "digest", timeout: float = 60, plain: bool = False) -> Rows | bool:
    """Run ``sparql`` on a remote SPARQL 1.1 endpoint through SPARQLWrapper (POST, JSON or N-Triples back).

    ``auth`` is ``"digest"`` (Virtuoso's ``/sparql-auth``) or ``"basic"``; credentials are only sent when given.
    ``plain`` gives literals as :class:`RemoteEngine` does (the embedded engines' conventions) instead.
    Raises :class:`QueryError` for a refused or failed query, an unreachable endpoint, or a truncated answer.
    """
    from SPARQLWrapper import BASIC, DIGEST, JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    sw = SPARQLWrapper(endpoint)
    sw.setQuery(sparql)
    sw.setMethod(POST)
    sw.setTimeout(int(timeout))
    sw.setOnlyConneg(True)  # no format=… parameter: Virtuoso would answer it with RDF/XML or 406
    if user is not None:
        sw.setHTTPAuth(DIGEST if auth.lower() == "digest" else BASIC)
        sw.setCredentials(user, password or "")
    kind = sw.queryType
    graph_answer = kind in ("CONSTRUCT", "DESCRIBE")
    if graph_answer:
        sw.addCustomHttpHeader("Accept", "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8")
    else:
        sw.setReturnFormat(JSON)
    try:
        response = sw.query().response
        headers, body = response.headers, response.read()
    except SPARQLWrapperException as exc:
        raise QueryError(f"{endpoint} rejected the query: {_first_line(str(exc))}") from None
    except OSError as exc:  # URLError, connection refused or reset, timeout
        raise QueryError(f"cannot query {endpoint}: {getattr(exc, 'reason', exc)}") from None
    _check_complete(endpoint, headers)
    if graph_answer:
        return _parse_graph(endpoint, body, headers.get("Content-Type", ""), plain)
    try:
        answer = json.loads(body)
    except ValueError:
        raise QueryError(f"{endpoint} did not answer with SPARQL JSON results: {body[:200]!r}") from None
    if "boolean" in answer:
        return bool(answer["boolean"])
    names = tuple(answer["head"]["vars"])
    rows = tuple(tuple(json_term(b.get(n), plain) for n in names) for b in answer["results"]["bindings"])
    max_rows = headers.get("X-SPARQL-MaxRows")
    if max_rows and max_rows.isdigit() and len(rows) >= int(max_rows):
        raise QueryError(f"{endpoint} cut the answer at its limit of {max_rows} rows (Virtuoso ResultSetMaxRows); "
                         "raise the limit or page the query with LIMIT/OFFSET")
    return Rows(names, rows)


def _check_complete(endpoint: str, headers) -> None:
    """Virtuoso's "anytime" partial answers carry X-SQL-State S1TAT: refuse them rather than compare a part."""
    state = headers.get("X-SQL-State")
    if state:
        raise QueryError(f"{endpoint} returned a partial answer ({state}: {headers.get('X-SQL-Message', '')}); "
                         "the query ran out of the store's MaxQueryExecutionTime")


def _parse_graph(endpoint: str, body: bytes, content_type: str, plain: bool = False) -> Rows:
    mime = content_type.split(";")[0].strip().lower()
    fmt = {"text/turtle": ox.RdfFormat.TURTLE, "text/rdf+n3": ox.RdfFormat.TURTLE, "application/rdf+xml": ox.RdfFormat.RDF_XML,
           "application/ld+json": ox.RdfFormat.JSON_LD}.get(mime, ox.RdfFormat.N_TRIPLES)
    try:
        return _triples((q.triple for q in ox.parse(body, format=fmt)), plain)
    except (SyntaxError, ValueError) as exc:
        raise QueryError(f"{endpoint} sent a graph that cannot be parsed as {mime or 'N-Triples'}: {exc}") from None


def _first_line(text: str) -> str:
    """SPARQLWrapper's message, shortened: its kind, then the store's own text without the echoed query."""
    kind, _, rest = text.partition(":")
    body = rest.split("Response:", 1)[1].strip() if "Response:" in rest else ""
    if body[:2] in ("b'", 'b"'):
        try:
            body = ast.literal_eval(body).decode("utf-8", "replace")
        except (ValueError, SyntaxError):
            pass
    body = " ".join(body.split("\n\nSPARQL query:")[0].split())
    return f"{kind}: {body}"[:400] if body else " ".join(text.split())[:400]


class RemoteEngine:
    """A remote SPARQL endpoint with the interface of the embedded engines (:mod:`gcm_graph.store`): ``run(text)``
    gives a :class:`~gcm_graph.store.QueryResult` with the same plain values as pyoxigraph's — IRIs as ``str``,
    blank nodes as ``"_:label"``, numbers, booleans, other literals as their text."""

    name = "remote"

    def __init__(self, endpoint: str, user: str | None = None, password: str | None = None, auth: str = "digest",
                 timeout: float = 60):
        self.endpoint, self.user, self.password, self.auth, self.timeout = endpoint, user, password, auth, timeout

    def run(self, text: str):
        import time

        from .store import QueryResult

        t0 = time.perf_counter()
        answer = query(self.endpoint, text, user=self.user, password=self.password, auth=self.auth,
                       timeout=self.timeout, plain=True)
        if isinstance(answer, bool):
            return QueryResult(("result",), ((answer,),), time.perf_counter() - t0)
        return QueryResult(answer.variables, answer.rows, time.perf_counter() - t0)

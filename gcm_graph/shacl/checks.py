"""Exact checks with pySHACL's semantics, applied in Python to the few candidate values a query returns where SPARQL
and pySHACL could disagree (ill-typed literals, Python regular expressions, comparisons across datatypes)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

# --- exact checks (pySHACL semantics) on rdflib terms -----------------------------------------------------------------

def to_rdflib(t):
    """A pyoxigraph term as pySHACL sees it after a round trip through N-Triples (xsd:string → plain literal)."""
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        if t.datatype.value == str(XSD.string):
            return Literal(t.value)
        return Literal(t.value, datatype=URIRef(t.datatype.value))
    return t


_ACTUAL = {XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
           XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: datetime.date, XSD.time: datetime.time,
           XSD.dateTime: datetime.datetime}


def datatype_ok(v, datatype) -> bool:
    if not isinstance(v, Literal):
        return False
    actual = _ACTUAL.get(datatype)

    def real() -> bool:
        return actual is None or isinstance(v.value, actual)

    if v.datatype == datatype:
        return False if getattr(v, "ill_typed", None) is True else real()
    if datatype == RDFS.Literal:
        return True
    if datatype == RDFS.Datatype and v.datatype:
        return True
    if v.datatype is None and v.language is None and datatype == XSD.string:
        return real()
    if datatype == RDF.langString and v.language:
        return real()
    return False


def lexical(v) -> str:
    if isinstance(v, Literal) and v.value is not None and v.datatype in (None, RDF.langString, XSD.string):
        return str(v.value)
    return str(v)


def pattern_ok(v, regex: re.Pattern) -> bool:
    if isinstance(v, BNode):
        return False
    return regex.search(lexical(v)) is not None


def compile_pattern(pattern: Literal, flags: str) -> re.Pattern:
    f = 0
    if "i" in flags.lower():
        f |= re.I
    if "m" in flags.lower():
        f |= re.M
    text = str(pattern.value) if pattern.value is not None and len(pattern.value) > 1 else str(pattern)
    return re.compile(text, f)


def _compare(a: Literal, b: Literal) -> int:
    if a.eq(b):
        return 0
    if a.value.__class__ in (datetime.datetime, datetime.time):
        if a.value == b.value:
            return 0
        return 1 if a.value > b.value else -1
    return 1 if a > b else -1


def range_ok(v, bound: Literal, op: str) -> bool:
    if not isinstance(v, Literal):
        return False
    if isinstance(bound.value, str) != isinstance(v.value, str):
        return False
    try:
        c = _compare(v, bound)
    except (TypeError, NotImplementedError):
        return False
    return c >= 0 if op == ">=" else c <= 0


def less_or_equal_ok(v, other) -> bool:
    def plain(x):
        if isinstance(x, BNode):
            raise ValueError("sh:lessThanOrEquals cannot compare a blank node")
        if isinstance(x, URIRef):
            return str(x), True
        if isinstance(x, Literal) and isinstance(x.value, str):
            return x.value, True
        return x, False

    a, a_str = plain(v)
    b, b_str = plain(other)
    if a_str != b_str:
        return False
    return bool(a <= b)

"""Small helpers shared by the RDF builders: typed literals and language-tagged text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rdflib import Literal
from rdflib.namespace import XSD


def es(text: str) -> Literal:
    return Literal(text, lang="es")


def en(text: str) -> Literal:
    return Literal(text, lang="en")


def lang(text: str, language: str) -> Literal:
    return Literal(text, lang=language)


def integer(value: int) -> Literal:
    return Literal(str(int(value)), datatype=XSD.integer)


# Counts and line numbers are typed xsd:integer (bounds are checked by the shapes): pyoxigraph normalises derived
# integer types such as xsd:positiveInteger to xsd:integer, and the same graph must read back identically from
# every engine and dump.
def positive(value: int) -> Literal:
    return integer(value)


def non_negative(value: int) -> Literal:
    return integer(value)


def string(text: str) -> Literal:
    """A plain literal: in RDF 1.1 that *is* xsd:string, and every engine reads it back the same way."""
    return Literal(text)


def xsd_date(value: date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def decimal(value: Decimal) -> Literal:
    return Literal(format(value, "f"), datatype=XSD.decimal)

"""Parsing: source text → frozen records (no RDF)."""

from .document import OBJECTIVE_COUNT, parse_document

__all__ = ["OBJECTIVE_COUNT", "parse_document"]

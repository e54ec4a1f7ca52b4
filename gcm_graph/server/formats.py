"""Result formats and content negotiation: ``Accept`` (with q-values and wildcards) or an explicit ``format=``
(also read from ``output=``, as SPARQLWrapper and Virtuoso-style clients send it).

An explicit ``format`` that names nothing we serve is a 406 (the client asked for something precise). An
``Accept`` header that matches nothing falls back to the default format (JSON for SELECT/ASK, Turtle for
CONSTRUCT/DESCRIBE): RFC 9110 allows it and it is what SPARQL clients that send odd lists expect.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str  # our short name, also what the worker is told
    media_type: str  # what we answer with in Content-Type
    accepts: tuple[str, ...]  # media types a client may ask for this with
    aliases: tuple[str, ...]  # values of format= / output=

    @property
    def content_type(self) -> str:
        textual = self.media_type.startswith("text/") or self.media_type.endswith(("+json", "+xml", "/json"))
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type


SOLUTION_FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json",
           ("application/sparql-results+json", "application/json", "text/javascript", "application/javascript"),
           ("json", "srj")),
    Format("xml", "application/sparql-results+xml",
           ("application/sparql-results+xml", "application/xml", "text/xml"), ("xml", "srx")),
    Format("csv", "text/csv", ("text/csv",), ("csv",)),
    Format("tsv", "text/tab-separated-values", ("text/tab-separated-values",), ("tsv",)),
)

GRAPH_FORMATS: tuple[Format, ...] = (
    Format("turtle", "text/turtle",
           ("text/turtle", "application/turtle", "application/x-turtle", "text/n3", "text/rdf+n3", "application/n3"),
           ("turtle", "ttl", "n3")),
    Format("jsonld", "application/ld+json",
           ("application/ld+json", "application/x-json+ld", "application/json"), ("json-ld", "jsonld", "json")),
    Format("ntriples", "application/n-triples",
           ("application/n-triples", "text/plain"), ("nt", "ntriples", "n-triples")),
    Format("rdfxml", "application/rdf+xml",
           ("application/rdf+xml", "application/xml", "text/xml"), ("rdf+xml", "rdfxml", "rdf", "xml")),
)

ALL_FORMATS = SOLUTION_FORMATS + GRAPH_FORMATS
BY_NAME = {f.name: f for f in ALL_FORMATS}


class NotAcceptable(ValueError):
    """An explicit ``format=`` value that names no format we serve for this kind of result."""


def parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """``(media range, q, position)`` for each entry of an Accept header, malformed entries skipped."""
    out: list[tuple[str, float, int]] = []
    if not header:
        return out
    for pos, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value.strip())))
                except ValueError:
                    q = 0.0
        out.append((media, q, pos))
    return out


def _match_quality(ranges: list[tuple[str, float, int]], media_type: str) -> tuple[float, int, int] | None:
    """The q of the most specific range matching ``media_type``, with its specificity and position."""
    main = media_type.split("/")[0]
    best: tuple[float, int, int] | None = None
    for media, q, pos in ranges:
        if media == media_type:
            spec = 2
        elif media == f"{main}/*":
            spec = 1
        elif media == "*/*":
            spec = 0
        else:
            continue
        if best is None or spec > best[1]:
            best = (q, spec, pos)
    return best


def negotiate(accept: str | None, choices: tuple[Format, ...]) -> Format:
    """The format in ``choices`` the client prefers; the first choice when nothing matches."""
    ranges = parse_accept(accept)
    if not ranges:
        return choices[0]
    best: tuple[float, int, int, int] | None = None
    chosen = choices[0]
    for rank, fmt in enumerate(choices):
        for media in fmt.accepts:
            m = _match_quality(ranges, media)
            if m is None or m[0] <= 0:
                continue
            q, spec, pos = m
            # highest q, then the range the client listed first, then the more specific, then our own order
            key = (q, -pos if spec else -1000, spec, -rank)
            if best is None or key > best:
                best, chosen = key, fmt
    return chosen


def from_param(values: list[str], choices: tuple[Format, ...]) -> Format | None:
    """The first ``format=``/``output=`` value naming one of ``choices`` (short name or media type).
    None when no value was given; :class:`NotAcceptable` when values were given and none fits."""
    if not values:
        return None
    for value in values:
        v = value.strip().lower()
        if not v:
            continue
        for fmt in choices:
            if v in fmt.aliases or v == fmt.name or v in fmt.accepts:
                return fmt
    names = ", ".join(a for f in choices for a in f.aliases[:1])
    raise NotAcceptable(f"unsupported format {', '.join(repr(v) for v in values)}; this result can be: {names}")


def choose(accept: str | None, format_values: list[str], choices: tuple[Format, ...]) -> Format:
    """Explicit ``format=`` first, then ``Accept``."""
    explicit = from_param(format_values, choices)
    return explicit if explicit is not None else negotiate(accept, choices)

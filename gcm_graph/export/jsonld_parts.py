"""``gcm-graph.jsonld`` of a big build, one report at a time.

:func:`gcm_graph.export.jsonld.document` reads the whole graph into Python objects before it writes a node: at a
hundred reports that is gigabytes. But nesting (a programme entry's results, challenges, figures and tables, a
report's period) never leaves a report: every node minted under ``…/id/report/<slug>`` or
``…/id/programme/<slug>/`` is nested, if at all, under another node of the same report. So the triples are cut
into parts, one per report and one for everything else (the ontology, registers, the dataset description, blank
nodes), each part is written alone, and the nodes of all parts are sorted by ``id``: the same document, byte for
byte, as one pass over the whole. A shared node nested under one report's node (the checksum the description
gives each source document) goes with that report. The cut is checked first: if a nesting link or a blank-node
reference still crosses two parts, the whole graph is written in one pass instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import pyoxigraph as ox

from ..namespaces import DEFAULT_BASE
from ..rdf.lines import ntriples
from .jsonld import Context, _Document, assemble, document_bytes


def part_of(term: str, base: str = DEFAULT_BASE) -> str:
    """The part a subject or object (N-Triples text) belongs to: its report's slug, or ``""``."""
    for head in (f"<{base}id/report/", f"<{base}id/programme/"):
        if term.startswith(head):
            return term[len(head):].split("/", 1)[0].rstrip(">")
    return ""


def document_from_lines(lines: Iterable[str], context: Context, context_url: str = "context.jsonld",
                        base: str = DEFAULT_BASE) -> bytes:
    """The JSON-LD document of sorted, distinct triple lines (see the module docstring)."""
    nested = {f"<{p}>" for p in context.nested}
    everything = lines if isinstance(lines, list) else list(lines)
    moved: dict[str, str] = {}  # a shared node nested under a report's node joins that report's part
    whole = False
    for line in everything:
        s, p, o = line.split(" ", 2)
        if o.startswith("_:"):
            whole = whole or part_of(s, base) != ""
        elif p in nested and o.startswith("<"):
            home, there = part_of(s, base), part_of(o, base)
            if home != there:
                if there != "" or moved.get(o, home) != home:
                    whole = True
                moved[o] = home
    parts: dict[str, list[str]] = {}
    if not whole:
        for line in everything:
            s = line[:line.index(" ")]
            key = moved.get(s)
            parts.setdefault(part_of(s, base) if key is None else key, []).append(line)
    if whole or len(parts) == 1:
        triples = ox.parse(ntriples(everything), format=ox.RdfFormat.N_TRIPLES)
        return document_bytes(triples, context, context_url, presorted=True)
    del everything
    nodes: list[tuple[str, str]] = []
    for key in sorted(parts):
        triples = ox.parse(ntriples(parts.pop(key)), format=ox.RdfFormat.N_TRIPLES)
        nodes += ((node.get("id", ""), json.dumps(node, ensure_ascii=False))
                  for node in _Document(triples, context).nodes())
    nodes.sort(key=lambda pair: pair[0])
    return assemble(context_url, [text for _id, text in nodes])

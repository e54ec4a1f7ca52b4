"""``gcm-graph export``: one format, from a build's store, for all of it or one report.

The build already writes every format into ``dist/``; this is for the harvester who wants one report's graph in
RDF/XML, the asserted union without the ontology, or an inferred graph in Turtle, without writing code. It reads
the store of a build (``--dist``), so it works on any build folder, and writes sorted, deterministic output (the
same rules as the build's dumps): to a file, atomically, or to standard output.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from ..errors import GcmError
from ..namespaces import DEFAULT_BASE

# name → (pyoxigraph format, keeps named graphs)
FORMATS: dict[str, tuple[ox.RdfFormat, bool]] = {
    "nt": (ox.RdfFormat.N_TRIPLES, False), "ttl": (ox.RdfFormat.TURTLE, False), "rdf": (ox.RdfFormat.RDF_XML, False),
    "jsonld": (ox.RdfFormat.JSON_LD, False), "nq": (ox.RdfFormat.N_QUADS, True), "trig": (ox.RdfFormat.TRIG, True),
}


def _graph_names(store: ox.Store, base: str) -> dict[str, ox.NamedNode]:
    from ..rdf.dataset import graph_iri

    prefix = str(graph_iri("", base))
    return {g.value.removeprefix(prefix): g for g in store.named_graphs() if isinstance(g, ox.NamedNode)}


def export_build(dist: Path, fmt: str = "ttl", graphs: Sequence[str] = (), inferred: bool = False,
                 base: str = DEFAULT_BASE) -> bytes:
    """The build in ``dist`` as ``fmt`` (:data:`FORMATS`). ``graphs`` are named-graph names (a report's slug,
    ``ontology``, ``reference``, ``dataset``, ``inferred``); none means every graph, the inferred one only when
    ``inferred``. Triple formats hold the distinct triples of the chosen graphs; quad formats keep the graphs."""
    from ..rdf.lines import GraphLines, ntriples
    from ..rdf.quads import serialize
    from ..store import open_store

    if fmt not in FORMATS:
        raise GcmError(f"unknown format {fmt!r} (known: {', '.join(sorted(FORMATS))})")
    store = open_store(Path(dist))
    known = _graph_names(store, base)
    wanted = list(graphs) or [n for n in sorted(known) if inferred or n != "inferred"]
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise GcmError(f"no graph named {', '.join(unknown)} in this build (graphs: {', '.join(sorted(known))})",
                       str(dist))
    data = GraphLines(base)
    for name in wanted:
        data.set(name, (f"{q.subject} {q.predicate} {q.object}"
                        for q in store.quads_for_pattern(None, None, None, known[name])))
    rdf_format, quads = FORMATS[fmt]
    if quads:
        items = ox.parse(data.nquads(), format=ox.RdfFormat.N_QUADS)
    else:
        items = ox.parse(ntriples(data.union()), format=ox.RdfFormat.N_TRIPLES)
    if fmt == "jsonld":  # the build's compact form, its context inlined so that the file stands alone
        import json

        from .jsonld import Context, document
        from ..rdf.dataset import ontology_graph

        context = Context(base, ontology_graph(base))
        doc = document(items, context)
        doc["@context"] = context.as_json()["@context"]
        return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    return serialize(items, rdf_format, base)


def write_export(data: bytes, out: Path | None) -> None:
    """To ``out`` atomically, or to standard output when ``out`` is None or ``-``."""
    import sys

    from ..atomic import write_bytes

    if out is None or str(out) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_bytes(Path(out), data)

"""Export: ``dist/`` in every format a harvester expects, and the dataset description (DCAT 3, VoID, PROV).

Two calls, both in :func:`gcm_graph.outputs.write_outputs`:

    asserted = export.describe(result, asserted, base, config)      # first: before any dump is written
    ...                                                              # Turtle, TriG, CSV, store from the quads
    files += export.write_all(folder, quads, result, enrichments, base, config)   # last: the rest, then void.ttl

:func:`describe` adds the named graph ``…/graph/dataset`` (the description) to ``result.graphs`` and to the
asserted quads, so that every dump and the store carry it; it is checked against ``shapes/dataset.ttl`` first.
:func:`write_all` writes N-Triples, N-Quads, RDF/XML, JSON-LD and its context, the CSV tables, one N-Quads file
per report, and finally ``void.ttl``: the description plus the byte size and SHA-256 of every file it describes,
read back from the folder, so they are the sizes of the files as written.

Everything is written from the same sorted quads, so the formats are isomorphic and byte-identical from one build
of the same input to the next. Layout and columns: docs/export.md.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from ..errors import GcmError
from ..namespaces import DEFAULT_BASE
from .config import ExportConfig
from .description import GRAPH_DATASET, context_triples, describe_quads, file_facts
from .files import CONTEXT_FILE, JSONLD, REPORTS_DIR, VOID, all_files
from .inputs import InputFile, input_files

__all__ = ["ExportConfig", "GRAPH_DATASET", "describe", "write_all", "all_files", "InputFile"]

GRAPH_INFERRED = "inferred"


def _graph(name: str, base: str) -> ox.NamedNode:
    from ..rdf.dataset import graph_iri

    return ox.NamedNode(str(graph_iri(name, base)))


def describe(result, asserted: Sequence[ox.Quad], base: str = DEFAULT_BASE, config: ExportConfig | None = None,
             inputs: Sequence[InputFile] | None = None) -> list[ox.Quad]:
    """Describe the build: add ``…/graph/dataset`` to ``result.graphs`` and return ``asserted`` with its quads.

    ``asserted`` are the sorted quads of the asserted graphs; the inferred graph must be in ``result.graphs``
    already (its size is described). ``inputs`` default to the files the build read (hashed here)."""
    from ..rdf.quads import sort_key

    config = config or ExportConfig()
    inputs = input_files(result.reports) if inputs is None else list(inputs)
    full, own, quads = describe_quads(result.reports, asserted, result.graphs.get(GRAPH_INFERRED), inputs, base,
                                      config)
    if config.validate:
        check_description(full, base)
    result.graphs[GRAPH_DATASET] = own
    own = _graph(GRAPH_DATASET, base)
    return sorted([*(q for q in asserted if q.graph_name != own), *quads], key=sort_key)


def check_description(graph, base: str = DEFAULT_BASE) -> None:
    """The description meets ``shapes/dataset.ttl``, else the build stops (``ValidationFailed``, exit code 1).

    Only the description's own shapes run here (a fraction of a second); ``gcm-graph validate`` runs every shape
    over the whole build, the description included."""
    from .. import paths
    from ..pipeline import ValidationFailed
    from ..report_formats import as_text
    from ..validate import load_shapes, validate_graph

    report = validate_graph(graph, shapes=load_shapes([paths.SHAPES_DIR / "dataset.ttl"]), checks=[])
    if not report.conforms:
        raise ValidationFailed("the dataset description does not conform to shapes/dataset.ttl; dist/ left as it was\n"
                               + as_text(report))


def write_all(folder: Path, quads: Sequence[ox.Quad], result, enrichments: dict | None = None,
              base: str = DEFAULT_BASE, config: ExportConfig | None = None) -> list[str]:
    """Write every export file into ``folder`` (``void.ttl`` last) and return their names.

    ``quads`` are all the build's quads, sorted, the description's included (see :func:`describe`). Write times
    per file go to ``result.timings`` as ``write:<file>``."""
    from ..rdf.quads import as_triples, serialize
    from .jsonld import Context, context_bytes, document_bytes
    from .vocab import dump_prefixes

    folder = Path(folder)
    own, inferred = _graph(GRAPH_DATASET, base), _graph(GRAPH_INFERRED, base)
    description = [q for q in quads if q.graph_name == own]
    if not description:
        raise GcmError("the quads have no dataset description graph: call gcm_graph.export.describe first")
    timings = getattr(result, "timings", {})
    written: list[str] = []

    def write(name: str, render) -> None:
        t0 = time.perf_counter()
        data = render()
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        timings[f"write:{name}"] = time.perf_counter() - t0
        written.append(name)

    triples = as_triples([q for q in quads if q.graph_name != inferred])
    context = Context(base, result.graphs.get("ontology"))
    write("gcm-graph.nt", lambda: serialize(triples, ox.RdfFormat.N_TRIPLES, base))
    write("gcm-graph.nq", lambda: serialize(quads, ox.RdfFormat.N_QUADS, base))
    write("gcm-graph.rdf", lambda: ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=dump_prefixes(base)))
    write(CONTEXT_FILE, lambda: context_bytes(context))
    write(JSONLD, lambda: document_bytes(triples, context, CONTEXT_FILE))
    for report in sorted(result.reports, key=lambda r: r.slug):
        graph = _graph(report.slug, base)
        write(f"{REPORTS_DIR}/{report.slug}.nq",
              lambda g=graph: serialize([q for q in quads if q.graph_name == g], ox.RdfFormat.N_QUADS, base))
    t0 = time.perf_counter()
    tables = _tables(result, enrichments, base)
    timings["write:tables (rows from records)"] = time.perf_counter() - t0
    for name, data in tables.items():
        write(name, lambda d=data: d)

    # void.ttl last: the description with the size and digest of every file it describes, as written, and the
    # titles, dates and digests of the reports it derives from (from their graphs), so that it reads alone.
    def void() -> bytes:
        facts = {}
        for spec in all_files(r.slug for r in result.reports):
            path = folder / spec.name
            if not path.is_file():
                raise GcmError(f"dist/{spec.name} is described but was not written")
            data = path.read_bytes()
            facts[spec.name] = (len(data), hashlib.sha256(data).hexdigest())
        from ..rdf.quads import to_quads

        extra = to_quads({GRAPH_DATASET: file_facts(facts, base)}, base)
        context = context_triples(quads, description, (own.value, inferred.value))
        items = as_triples([*description, *extra, *(ox.Quad(t.subject, t.predicate, t.object) for t in context)])
        return ox.serialize(items, format=ox.RdfFormat.TURTLE, prefixes=dump_prefixes(base))

    write(VOID, void)
    return written


def _tables(result, enrichments, base: str) -> dict[str, bytes]:
    from ..enrich.registers import POPULATIONS_FILE, THEMES_FILE, load_concepts
    from .. import paths
    from ..registers import load_organisations
    from .tables import tables

    registers = getattr(result, "registers", None)
    if registers is None:
        registers = _registers(result.reports)
    return tables(result.reports, enrichments, registers, load_organisations(),
                  load_concepts(paths.ONTOLOGY_DIR / POPULATIONS_FILE), load_concepts(paths.ONTOLOGY_DIR / THEMES_FILE),
                  base)


def _registers(reports) -> dict:
    """The agency register of each report's country from data/reference/ (a country without one is left out)."""
    from ..registers import load_agencies

    out = {}
    for country in sorted({r.meta.country for r in reports}):
        try:
            out[country] = load_agencies(country)
        except GcmError:
            continue
    return out

"""Export: ``dist/`` in every format a harvester expects, and the dataset description (DCAT 3, VoID, PROV).

Two calls, both in :func:`gcm_graph.outputs.write_outputs`:

    export.describe(result, base, config)          # first: before the store or any dump is written
    ...                                            # store, validation, Turtle, TriG, CSV
    files += export.write_all(folder, result.data, result, enrichments, base, config)   # last, then void.ttl

:func:`describe` adds the named graph ``…/graph/dataset`` (the description) to the build's graphs
(``result.data``), so that every dump and the store carry it; it is checked against ``shapes/dataset.ttl`` first.
:func:`write_all` writes N-Triples, N-Quads, RDF/XML, JSON-LD and its context, the CSV tables, one N-Quads file
per report, and finally ``void.ttl``: the description plus the byte size and SHA-256 of every file it describes,
read back from the folder, so they are the sizes of the files as written.

Everything is written from the same sorted triple lines (:class:`gcm_graph.rdf.lines.GraphLines`), so the formats are isomorphic and byte-identical from one build
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
from .description import GRAPH_DATASET, context_lines, describe_lines, file_facts
from .files import CONTEXT_FILE, JSONLD, NQUADS, NTRIPLES, RDFXML, REPORTS_DIR, TRIG, TURTLE, VOID, all_files
from .inputs import InputFile, input_files

__all__ = ["ExportConfig", "GRAPH_DATASET", "describe", "write_all", "all_files", "InputFile"]

GRAPH_INFERRED = "inferred"


def describe(result, base: str = DEFAULT_BASE, config: ExportConfig | None = None,
             inputs: Sequence[InputFile] | None = None) -> None:
    """Describe the build: set the named graph ``…/graph/dataset`` in ``result.data`` (and its rdflib graph in
    ``result.graphs``). The inferred graph must be in ``result.data`` already (its size is described).
    ``inputs`` default to the files the build read (hashed here)."""
    config = config or ExportConfig()
    inputs = input_files(result.reports) if inputs is None else list(inputs)
    full, own, lines = describe_lines(result.reports, result.data, inputs, base, config,
                                      getattr(result, "counts", None))
    if config.validate:
        check_description(full, base)
    result.graphs[GRAPH_DATASET] = own
    result.data.set(GRAPH_DATASET, lines)


def check_description(graph, base: str = DEFAULT_BASE) -> None:
    """The description meets ``shapes/dataset.ttl``, else the build stops (``ValidationFailed``, exit code 1).

    Only the description's own shapes run here (a fraction of a second), so that a build without validation
    still never publishes a broken description; a validating build then checks every shape over everything."""
    from .. import paths
    from ..pipeline import ValidationFailed
    from ..report_formats import as_text
    from ..validate import load_shapes, validate_graph

    report = validate_graph(graph, shapes=load_shapes([paths.SHAPES_DIR / "dataset.ttl"]), checks=[])
    if not report.conforms:
        raise ValidationFailed("the dataset description does not conform to shapes/dataset.ttl; dist/ left as it was\n"
                               + as_text(report))


def write_all(folder: Path, data, result, enrichments: dict | None = None, base: str = DEFAULT_BASE,
              config: ExportConfig | None = None) -> list[str]:
    """Write every export file into ``folder`` (``void.ttl`` last) and return their names: :func:`write_dumps`
    then :func:`write_void`."""
    written = write_dumps(folder, data, result, enrichments, base)
    return [*written, write_void(folder, data, result, base)]


def _timed_writer(folder: Path, timings: dict, written: list[str]):
    """``write(name, render)``: ``render()`` returns the bytes, or writes ``folder/name`` itself given its path."""
    def write(name: str, render) -> None:
        t0 = time.perf_counter()
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        blob = render(path) if getattr(render, "to_path", False) else render()
        if blob is not None:
            path.write_bytes(blob)
        timings[f"write:{name}"] = time.perf_counter() - t0
        written.append(name)

    return write


def _to_path(func):
    func.to_path = True
    return func




def write_dumps(folder: Path, data, result, enrichments: dict | None = None, base: str = DEFAULT_BASE,
                jsonld: bool = True, timings: dict | None = None) -> list[str]:
    """Every RDF dump (Turtle, TriG, N-Triples, N-Quads, RDF/XML, JSON-LD and its context unless not ``jsonld``:
    :func:`write_jsonld` then writes them, one N-Quads file per report) and the CSV tables, from ``data`` (the build's :class:`gcm_graph.rdf.lines.GraphLines`, the
    description included: see :func:`describe`).

    Nothing holds a whole dump in memory: N-Quads and N-Triples are written graph by graph and line by line (the
    union merged from the sorted graphs), and the other formats are pyoxigraph's serialisers reading those two
    files. Write times per file go to ``timings`` (default ``result.timings``) as ``write:<file>``."""
    from ..rdf.lines import write_ntriples
    from ..rdf.quads import serialize_to
    from .vocab import dump_prefixes

    folder = Path(folder)
    if not data.graphs.get(GRAPH_DATASET):
        raise GcmError("the build has no dataset description graph: call gcm_graph.export.describe first")
    written: list[str] = []
    timings = timings if timings is not None else getattr(result, "timings", {})
    write = _timed_writer(folder, timings, written)
    nt, nq = folder / NTRIPLES, folder / NQUADS

    def triples():
        return ox.parse(path=str(nt), format=ox.RdfFormat.N_TRIPLES)

    write(NTRIPLES, _to_path(lambda path: write_ntriples(path, data.union_lines(exclude=(GRAPH_INFERRED,)))))
    write(NQUADS, _to_path(lambda path: data.write_nquads(path)))
    write(TURTLE, _to_path(lambda path: serialize_to(triples(), ox.RdfFormat.TURTLE, path, base)))
    write(TRIG, _to_path(lambda path: serialize_to(ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS),
                                                   ox.RdfFormat.TRIG, path, base)))
    write(RDFXML, _to_path(lambda path: ox.serialize(triples(), output=str(path), format=ox.RdfFormat.RDF_XML,
                                                     prefixes=dump_prefixes(base))))
    if jsonld:
        written += write_jsonld(folder, data, result, base, timings)
    for report in sorted(result.reports, key=lambda r: r.slug):
        write(f"{REPORTS_DIR}/{report.slug}.nq", _to_path(lambda path, slug=report.slug: data.write_nquads(path, [slug])))
    t0 = time.perf_counter()
    tables = _tables(result, enrichments, base)
    timings["write:tables (rows from records)"] = time.perf_counter() - t0
    for name, blob in tables.items():
        write(name, lambda d=blob: d)
    return written


def write_jsonld(folder: Path, data, result, base: str = DEFAULT_BASE, timings: dict | None = None) -> list[str]:
    """``gcm-graph.jsonld`` and its ``context.jsonld`` (:mod:`gcm_graph.export.jsonld_parts`); write times go to
    ``timings`` (default ``result.timings``)."""
    from .jsonld import Context, context_bytes
    from .jsonld_parts import document_from_lines

    written: list[str] = []
    timings = timings if timings is not None else getattr(result, "timings", {})
    write = _timed_writer(Path(folder), timings, written)
    context = Context(base, result.graphs.get("ontology"))
    write(CONTEXT_FILE, lambda: context_bytes(context))
    write(JSONLD, lambda: document_from_lines(data.union_lines(exclude=(GRAPH_INFERRED,)), context, CONTEXT_FILE,
                                              base))
    return written


def write_void(folder: Path, data, result, base: str = DEFAULT_BASE) -> str:
    """``void.ttl``, written last: the description with the size and digest of every file it describes, as
    written, and the titles, dates and digests of the reports it derives from (from their graphs), so that it
    reads alone."""
    from ..rdf.lines import graph_lines, ntriples
    from .vocab import dump_prefixes

    folder = Path(folder)
    description = data.graphs.get(GRAPH_DATASET)
    if not description:
        raise GcmError("the build has no dataset description graph: call gcm_graph.export.describe first")

    def void() -> bytes:
        facts = {}
        for spec in all_files(r.slug for r in result.reports):
            path = folder / spec.name
            if not path.is_file():
                raise GcmError(f"dist/{spec.name} is described but was not written")
            digest = hashlib.sha256()
            with open(path, "rb") as f:  # a chunk at a time: a big build's dumps are hundreds of MB
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    digest.update(chunk)
            facts[spec.name] = (path.stat().st_size, digest.hexdigest())
        extra = graph_lines(file_facts(facts, base))
        context = context_lines(data, description, (GRAPH_DATASET, GRAPH_INFERRED))
        items = sorted({*description, *extra, *context})
        return ox.serialize(ox.parse(ntriples(items), format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE,
                            prefixes=dump_prefixes(base))

    written: list[str] = []
    _timed_writer(folder, getattr(result, "timings", {}), written)(VOID, void)
    return VOID


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

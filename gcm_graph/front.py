"""The per-report half of a build on several cores: each report is read, parsed, checked, enriched, built into
sorted triple lines and, when that is exact, reasoned over, in a forked worker (:func:`gcm_graph.parallel.fork_map`),
one report at a time per worker; the parent gathers the results in source order.

Reasoning per report: the closure of (ontology + the report's country register and the organisations + one
report) for each report, plus the closure of (ontology + the whole reference graph), is the closure of the whole
build when no rule can join facts of two reports (:func:`gcm_graph.reason.splittable` checks the ontology and
each report's lines; the argument is in :mod:`gcm_graph.reason`). Otherwise the parent reasons over everything,
as a one-process build always does. Either way the inferred graph is the same (tests/test_outputs_parallel.py).
"""

from __future__ import annotations

import time
from pathlib import Path

from .errors import GcmError
from .parse import parse_document
from .pipeline import (GRAPH_INFERRED, GRAPH_ONTOLOGY, GRAPH_REFERENCE, BuildResult, Progress, _display, _Timer,
                       build_lines, infer_lines, load_register, registers_for, report_lines)
from .rdf.lines import GraphLines
from .records import ParsedReport
from .registers import check_agencies
from .sources import discover, read_source

_SHARED: dict = {}  # set in the parent before the workers fork: the ontology graph and its lines
_REFERENCE: dict = {}  # per worker: country → its reference lines (register + organisations)
_REGISTERS: dict = {}  # per worker: country → agency register, and "enrich" → the enrich stage's registers


def _registers(country: str, reference: Path | None):
    """The country's agency register and the enrich stage's registers (thesauri, rules and the matchers built
    from them), loaded once per worker rather than once per report."""
    from .enrich import load_registers

    if country not in _REGISTERS:
        _REGISTERS[country] = load_register(country, reference)
    if "enrich" not in _REGISTERS:
        _REGISTERS["enrich"] = load_registers()
    registers = _REGISTERS["enrich"]
    registers.agencies[country] = _REGISTERS[country]
    return _REGISTERS[country], registers


def _reference_lines(register, base: str) -> list[str]:
    from .rdf.dataset import reference_graph
    from .rdf.lines import graph_lines
    from .registers import load_organisations

    key = register.country
    if key not in _REFERENCE:
        _REFERENCE[key] = graph_lines(reference_graph([register], load_organisations(), base))
    return _REFERENCE[key]


def _one(job: tuple) -> tuple:
    """One report, in a worker: read, parse, check its agencies, enrich, build its lines, reason if exact."""
    from .enrich import enrich
    from .export.description import graph_counts
    from .reason import splittable_data

    meta_path, reference, base, validate = job
    t0 = time.perf_counter()
    source = read_source(meta_path)
    report = ParsedReport(source.meta, parse_document(source.text, _display(source.path)))
    register, registers = _registers(report.meta.country, reference)
    check_agencies(report, register)
    t1 = time.perf_counter()
    enrichment = enrich(report, registers)
    t2 = time.perf_counter()
    lines = report_lines(report, register, base, enrichment)
    counts = graph_counts(lines, base)
    t3 = time.perf_counter()
    times = {"parse": t1 - t0, "enrich": t2 - t1, "build": t3 - t2}
    inferred = problems = None
    slug = report.slug
    own = (f"<{base}id/report/{slug}/", f"<{base}id/programme/{slug}/")
    if _SHARED.get("split") and splittable_data(lines, _SHARED["tails"], own):
        data = GraphLines(base)
        data.graphs.update({GRAPH_ONTOLOGY: _SHARED["lines"], GRAPH_REFERENCE: _reference_lines(register, base),
                            report.slug: lines})
        inferred = infer_lines(data, _SHARED["ontology"])
        t4 = time.perf_counter()
        times["reason"] = t4 - t3
        if validate:
            problems = _validate_report(data, inferred, base, slug)
            times["validate"] = time.perf_counter() - t4
    return report, enrichment, lines, inferred, counts, problems, times


def _validate_report(data: GraphLines, inferred: list[str], base: str, slug: str) -> tuple:
    """The problems of the report's own nodes, in a small in-memory store of what they can reach (ontology,
    register, report, its inferences): the parent validates every other node (``validate.shared_focus``), and the
    two together are exactly the validation of the whole (tests/test_validate_split.py)."""
    import pyoxigraph as ox

    from .validate import report_focus, validate_store

    data.set(GRAPH_INFERRED, inferred)
    store = ox.Store()
    store.bulk_extend(data.quads())
    return validate_store(store, focus=report_focus(base, slug)).problems


def front_parallel(result: BuildResult, sources: Path, reference: Path | None, base: str, progress: Progress,
                   timer: _Timer, jobs: int, validate: bool = True) -> dict:
    """Parse, enrich, build (and reason over) every report in ``jobs`` worker processes; fill ``result`` and
    return the enrichments. ``result.timings`` gets the summed per-report times of each stage (``parse``,
    ``enrich``, ``build``, ``reason``, ``validate``: time spent in the workers, on any core) and the wall time of
    the whole (``reports``). When every report was reasoned over alone, each was also validated alone (its own
    nodes: ``result.worker_problems``); the parent then validates the rest."""
    from .parallel import fork_map
    from .rdf.dataset import ontology_graph
    from .rdf.lines import graph_lines
    from .rdf.quads import canonical
    from .reason import chain_tails, splittable

    ontology = canonical(ontology_graph(base))
    _SHARED.update(ontology=ontology, lines=graph_lines(ontology), split=splittable(ontology),
                   tails=chain_tails(ontology))
    metas = discover(Path(sources))
    enrichments: dict = {}
    inferred: set[str] | None = set() if _SHARED["split"] else None
    checked: list | None = [] if _SHARED["split"] and validate else None
    data = GraphLines(base)
    message = f"parsing, enriching, building{' and reasoning over' if inferred is not None else ''} " \
              f"{len(metas)} report(s) in {jobs} processes"
    try:
        with timer("reports", message):
            for i, (report, enrichment, lines, found, counts, problems, times) in enumerate(
                    fork_map(_one, [(m, reference, base, validate) for m in metas], jobs), start=1):
                if report.slug in enrichments:
                    raise GcmError(f"two sources share a slug: {[report.slug]}", str(sources))
                progress(f"report {i}/{len(metas)}: {report.slug} ({report.document.path})")
                result.reports.append(report)
                enrichments[report.slug] = enrichment
                data.graphs[report.slug] = lines
                result.counts[report.slug] = counts
                if found is None:
                    inferred = None  # this report cannot be reasoned over alone: the parent reasons over all
                elif inferred is not None:
                    inferred.update(found)
                if problems is None:
                    checked = None
                elif checked is not None:
                    checked.extend(problems)
                for stage, seconds in times.items():
                    result.timings[stage] = result.timings.get(stage, 0.0) + seconds
                    if stage in ("reason", "validate"):  # the parent adds its own part to these
                        result.timings[f"{stage}:workers"] = result.timings.get(f"{stage}:workers", 0.0) + seconds
    finally:
        _SHARED.clear()
    with timer("registers"):
        result.registers = registers_for(result.reports, reference)
    with timer("build", "building the shared graphs"):
        shared, result.graphs = build_lines([], result.registers, base, None, ontology)
        data.graphs.update(shared.graphs)
    result.data = data
    if inferred is not None:
        with timer("reason", "reasoning over the shared graphs (the reports were reasoned over in the workers)"):
            inferred.update(infer_lines(data, ontology, [GRAPH_ONTOLOGY, GRAPH_REFERENCE]))
            data.set(GRAPH_INFERRED, inferred)
        result.worker_problems = checked  # None: the parent validates everything
    return enrichments


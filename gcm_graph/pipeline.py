"""The build, stage by stage: read sources → parse → enrich → build RDF → reason → validate → write ``dist/``.

Each stage is a function from a value to a value; this module wires them together and is the only place (with
the CLI) that touches the file system. Output goes to a fresh folder that replaces ``dist/`` only when every
stage succeeded, so a failed build leaves the previous good output in place.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from . import paths
from .atomic import replace_dir
from .errors import GcmError
from .namespaces import DEFAULT_BASE
from .parse import parse_document
from .rdf.lines import GraphLines
from .parallel import workers
from .records import ParsedReport
from .registers import AgencyRegister, check_agencies, load_agencies, load_organisations
from .sources import discover, read_source

Progress = Callable[[str], None]

GRAPH_ONTOLOGY, GRAPH_REFERENCE, GRAPH_INFERRED = "ontology", "reference", "inferred"


def stderr_progress(message: str) -> None:
    print(f"[gcm-graph] {message}", file=sys.stderr, flush=True)


def quiet(_message: str) -> None:
    return None


class ValidationFailed(GcmError):
    """The built graph does not conform to the shapes; nothing was written."""

    exit_code = 1


@dataclass
class BuildResult:
    out: Path
    reports: list[ParsedReport]
    graphs: dict[str, Graph] = field(default_factory=dict)  # rdflib graphs kept whole: ontology, reference, dataset
    data: GraphLines | None = None  # every named graph as sorted triple lines (reports, inferred, dataset…)
    validation: object | None = None
    files: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    registers: dict = field(default_factory=dict)  # agency register per country
    counts: dict = field(default_factory=dict)  # VoID counts of some graphs, made by the workers (name → Counts)
    worker_problems: list | None = None  # validation problems of the reports' own nodes, found by the workers

    @property
    def programme_count(self) -> int:
        return sum(len(r.document.programmes) for r in self.reports)

    @property
    def asserted_count(self) -> int:
        if self.data is not None:
            return self.data.total(exclude=(GRAPH_INFERRED,))
        return sum(len(g) for name, g in self.graphs.items() if name != GRAPH_INFERRED)

    @property
    def inferred_count(self) -> int:
        if self.data is not None:
            return self.data.count(GRAPH_INFERRED)
        return len(self.graphs.get(GRAPH_INFERRED, ()))


class _Timer:
    def __init__(self, timings: dict[str, float], progress: Progress):
        self.timings, self.progress = timings, progress

    def __call__(self, stage: str, message: str | None = None):
        timer = self

        class _Stage:
            def __enter__(self):
                if message:
                    timer.progress(message)
                self.t0 = time.perf_counter()

            def __exit__(self, *exc):
                timer.timings[stage] = timer.timings.get(stage, 0.0) + time.perf_counter() - self.t0
                return False

        return _Stage()


def parse_sources(sources: Path = paths.SOURCES_DIR, progress: Progress = quiet) -> list[ParsedReport]:
    """Read and parse every report in ``sources``; the first bad one stops everything with its file and line."""
    reports = []
    for meta_path in discover(Path(sources)):
        source = read_source(meta_path)
        progress(f"parsing {source.meta.slug} ({Path(source.path).name})")
        reports.append(ParsedReport(source.meta, parse_document(source.text, _display(source.path))))
    slugs = [r.slug for r in reports]
    if len(set(slugs)) != len(slugs):
        raise GcmError(f"two sources share a slug: {sorted(s for s in slugs if slugs.count(s) > 1)}", str(sources))
    return reports


def _display(path: str) -> str:
    """A path as users see it: relative to the current folder when below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def registers_for(reports: list[ParsedReport], extra: Path | None = None) -> dict[str, AgencyRegister]:
    """One agency register per country, from ``extra`` when it has one, else from data/reference/; every agency
    the reports print must be in it."""
    registers: dict[str, AgencyRegister] = {}
    for report in reports:
        country = report.meta.country
        if country not in registers:
            registers[country] = load_register(country, extra)
        check_agencies(report, registers[country])
    return registers


def load_register(country: str, extra: Path | None = None) -> AgencyRegister:
    """The agency register of ``country``: ``extra``'s when it has one, else data/reference/'s."""
    own = Path(extra) / f"agencies-{country.lower()}.csv" if extra else None
    return load_agencies(country, own.parent if own and own.exists() else paths.REFERENCE_DIR)


def build_graphs(reports: list[ParsedReport], registers: dict[str, AgencyRegister], base: str = DEFAULT_BASE,
                 enrichments: dict | None = None, timer: _Timer | None = None) -> dict[str, Graph]:
    """Records → named graphs: ontology, reference registers, one per report."""
    from .rdf.dataset import ontology_graph, reference_graph, report_graph

    from .rdf.quads import canonical

    # Blank nodes (the ontology's axioms) get content-based labels once, shared by reasoning and every dump.
    graphs: dict[str, Graph] = {GRAPH_ONTOLOGY: canonical(ontology_graph(base))}
    graphs[GRAPH_REFERENCE] = reference_graph(registers.values(), load_organisations(), base)
    for report in reports:
        g = report_graph(report, registers[report.meta.country], base)
        if enrichments and report.slug in enrichments:
            from .rdf.enrichment import add_enrichment

            add_enrichment(g, enrichments[report.slug], base)
        graphs[report.slug] = g
    return graphs


def build_lines(reports: list[ParsedReport], registers: dict[str, AgencyRegister], base: str = DEFAULT_BASE,
                enrichments: dict | None = None, ontology: Graph | None = None) -> tuple[GraphLines, dict[str, Graph]]:
    """Records → named graphs as sorted triple lines (what the build streams), and the rdflib graphs it keeps
    whole (the ontology, which reasoning and the JSON-LD context read, and the reference registers). Same triples
    as :func:`build_graphs`, without an rdflib graph per report."""
    from .rdf.dataset import ontology_graph, reference_graph
    from .rdf.lines import graph_lines
    from .rdf.quads import canonical

    data = GraphLines(base)
    kept = {GRAPH_ONTOLOGY: ontology if ontology is not None else canonical(ontology_graph(base)),
            GRAPH_REFERENCE: reference_graph(registers.values(), load_organisations(), base)}
    for name, g in kept.items():
        data.set(name, graph_lines(g))
    for report in reports:
        enrichment = enrichments.get(report.slug) if enrichments else None
        data.graphs[report.slug] = report_lines(report, registers[report.meta.country], base, enrichment)
    return data, kept


def report_lines(report: ParsedReport, register: AgencyRegister, base: str = DEFAULT_BASE,
                 enrichment=None) -> list[str]:
    """One report's graph as sorted, distinct triple lines."""
    from .rdf.enrichment import add_enrichment
    from .rdf.lines import TripleLines
    from .rdf.report import add_report

    sink = TripleLines()
    add_report(sink, report, register, base)
    if enrichment is not None:
        add_enrichment(sink, enrichment, base)
    return sink.sorted()


def enrich_reports(reports: list[ParsedReport], agencies: dict[str, AgencyRegister] | None = None) -> dict:
    """Recognise partners, populations, figures and themes, with the build's agency registers."""
    from .enrich import enrich, load_registers

    registers = load_registers()
    registers.agencies.update(agencies or {})
    return {r.slug: enrich(r, registers) for r in reports}


def build(sources: Path = paths.SOURCES_DIR, out: Path = paths.DEFAULT_DIST, base: str = DEFAULT_BASE,
          progress: Progress = quiet, validate: bool = True, reference: Path | None = None,
          public_url: str | None = None, parallel: bool | None = None) -> BuildResult:
    """Build everything into ``out``; on any error ``out`` is left exactly as it was.

    ``reference`` is an extra folder layered over data/reference/: its ``agencies-<cc>.csv`` registers and the
    rows of its ``countries.csv`` are used for reports of countries the project does not ship (new reports, the
    synthetic corpus of the benchmarks). ``public_url`` is where the build will be served (the dataset
    description's SPARQL endpoint and dump URLs); it defaults to the IRI base. ``parallel`` (default: when the
    machine has more than one core and can fork) parses, enriches and builds the reports in worker processes,
    one report at a time each, and writes the dumps beside the store; the output is the same either way."""
    from .outputs import write_outputs

    result = BuildResult(Path(out), [])
    timer = _Timer(result.timings, progress)
    if reference is not None:
        from .rdf.reference import add_countries

        add_countries(Path(reference) / "countries.csv")
    jobs = workers(parallel)
    if jobs > 1 and (parallel or len(discover(Path(sources))) > 1):  # one report: workers would only add start-up
        from .front import front_parallel

        enrichments = front_parallel(result, sources, reference, base, progress, timer, jobs, validate)
    else:
        with timer("parse"):
            result.reports = parse_sources(sources, progress)
        with timer("registers"):
            result.registers = registers_for(result.reports, reference)
        with timer("enrich", "recognising partners, populations, figures and themes"):
            enrichments = enrich_reports(result.reports, result.registers)
        with timer("build", "building the RDF graphs"):
            result.data, result.graphs = build_lines(result.reports, result.registers, base, enrichments)
    if GRAPH_INFERRED not in result.data.graphs:  # the workers reason per report when that is exact
        with timer("reason", "reasoning (OWL 2 RL rules)"):
            result.data.set(GRAPH_INFERRED, infer_lines(result.data, result.graphs[GRAPH_ONTOLOGY]))
    with replace_dir(Path(out)) as tmp:
        from .export.config import ExportConfig

        config = ExportConfig(public_url=public_url) if public_url else None
        write_outputs(tmp, result, enrichments, base, config, validate=validate, timer=timer,
                      parallel=jobs > 1 if parallel is None else parallel)
    progress(f"wrote {len(result.files)} file(s) to {out}: {result.programme_count} programme entries, "
             f"{result.asserted_count} asserted and {result.inferred_count} inferred triples")
    return result


def infer_lines(data: GraphLines, ontology: Graph, names=None) -> list[str]:
    """The OWL 2 RL entailments of the graphs ``names`` of ``data`` (default: all), as lines."""
    import pyoxigraph as ox

    from .rdf.lines import triple_lines
    from .reason import infer_triples

    quads = ox.parse(data.nquads(names), format=ox.RdfFormat.N_QUADS)
    return triple_lines(infer_triples(quads, [ontology]))


def check(store, result: BuildResult | None = None):
    """Validate the store's union graph (the native SHACL engine and the check queries); raise
    :class:`ValidationFailed` when it does not conform. When the workers validated the reports' own nodes
    (``result.worker_problems``), only the other nodes are validated here and the two are put together."""
    from .validate import combine, shared_focus, validate_store

    found = result.worker_problems if result is not None else None
    if found is None:
        report = validate_store(store)
    else:
        base = result.data.base
        rest = validate_store(store, focus=shared_focus(base, [r.slug for r in result.reports]))
        report = combine([*rest.problems, *found], rest.checked, rest.triples)
    if not report.conforms:
        from .report_formats import as_text

        raise ValidationFailed("the built graph does not conform to the shapes; dist/ left as it was\n"
                               + as_text(report))
    return report

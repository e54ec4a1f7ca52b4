"""The whole build as named graphs: ontology, reference registers, one graph per report (and, later, inferred)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from .. import paths
from ..iris import mint
from ..namespaces import DEFAULT_BASE, bind_all
from ..records import ParsedReport
from ..registers import AgencyRegister, Organisation
from .reference import add_agencies, add_organisations
from .report import add_report


def graph_iri(name: str, base: str = DEFAULT_BASE) -> URIRef:
    return mint("graph", base, name=name)


def ontology_graph(base: str = DEFAULT_BASE, files: Iterable[Path] | None = None) -> Graph:
    """The hand-written ontology and schemes. A non-default base rewrites their IRIs to match."""
    g = bind_all(Graph(), base)
    for path in files if files is not None else paths.ontology_files():
        text = Path(path).read_text(encoding="utf-8")
        if base != DEFAULT_BASE:
            text = text.replace(DEFAULT_BASE, base)
        g.parse(data=text, format="turtle", publicID=str(path))
    return g


def reference_graph(registers: Iterable[AgencyRegister], organisations: Iterable[Organisation],
                    base: str = DEFAULT_BASE) -> Graph:
    g = bind_all(Graph(), base)
    for register in registers:
        add_agencies(g, register, base)
    add_organisations(g, organisations, base)
    return g


def report_graph(report: ParsedReport, register: AgencyRegister, base: str = DEFAULT_BASE) -> Graph:
    g = bind_all(Graph(), base)
    add_report(g, report, register, base)
    return g


def assemble(graphs: dict[str, Graph], base: str = DEFAULT_BASE) -> Dataset:
    """A Dataset with one named graph per entry of ``graphs`` (name → graph)."""
    ds = Dataset()
    bind_all(ds, base)
    for name, g in graphs.items():
        target = ds.graph(graph_iri(name, base))
        for triple in g:
            target.add(triple)
    return ds


def merged(graphs: Iterable[Graph], base: str = DEFAULT_BASE) -> Graph:
    out = bind_all(Graph(), base)
    for g in graphs:
        for triple in g:
            out.add(triple)
    return out

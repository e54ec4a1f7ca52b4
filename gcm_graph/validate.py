"""Validate: SHACL shapes and the ``queries/check-*.rq`` violation queries, into one report object.

Two engines give the same problems: the native one (``gcm_graph.shacl``: the shapes compiled to SPARQL queries run
in pyoxigraph; the default) and pySHACL (the reference, ``engine="pyshacl"``, run with ``inference='none'``:
inference is materialised before validation, in the ``inferred`` graph). :func:`validate_store` validates a
pyoxigraph store in place (the union of its graphs); :func:`validate_graph`, :func:`validate_files` and
:func:`validate_dist` load a store first. Exit codes, as pySHACL's: 0 conforms, 1 does not conform, 2 error.

Validating reports independently (native engine): ``validate_store(store, focus=...)`` validates only the focus
nodes a :class:`FocusFilter` keeps, the filter sitting in every query right after the target pattern.
:func:`report_focus` (``base``, ``slug``) keeps a report's own nodes (IRIs under ``<base>id/report/<slug>/`` and
``<base>id/programme/<slug>/``, less the reporting period ``…/id/report/<slug>/period``), :func:`shared_focus`
(``base``, ``slugs``) every other node (shared ones, blank nodes, the report and period nodes of each slug); they
partition the focus nodes. A worker validates its report with ``report_focus`` in a store holding the ontology, the
reference graph (its country's agency register and the organisations suffice), the report's graph and the
entailments of those (what the worker reasons to); the parent validates the whole build's store with
``shared_focus``. The union of their problems is that of validating everything at once
(tests/test_validate_split.py), because the shapes of report nodes read only that report's triples, the
reference's and the ontology's, while the dataset description (written after the workers) speaks only of the report
and period nodes, which the parent validates. A result is attributed to the target node it was found from: the
sh:node details naming a value node as focus come with their target's side.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF

from . import paths
from .errors import GcmError
from .namespaces import GCM, SH
from .shacl.focus import FocusFilter, report_focus, shared_focus

__all__ = ["FocusFilter", "Problem", "ValidationReport", "report_focus", "shared_focus", "validate_dist",
           "validate_files", "validate_graph", "validate_store"]

VIOLATION, WARNING, INFO = "Violation", "Warning", "Info"

# File endings → pyoxigraph formats for files given on the command line.
FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE, ".turtle": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS, ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML, ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
}


class ValidationInputError(GcmError):
    """A file to validate cannot be read or parsed (names file, line and column)."""


@dataclass(frozen=True)
class Problem:
    severity: str  # Violation, Warning, Info
    focus: str
    message: str
    path: str | None = None
    value: str | None = None
    source: str | None = None  # the shape or check query that found it
    line: int | None = None  # the source-document line of the focus node, for our own data
    document: str | None = None  # the source document the line is in


@dataclass(frozen=True)
class ValidationReport:
    problems: tuple[Problem, ...]
    checked: tuple[str, ...]  # every shape and check query that ran (for JUnit's passing cases)
    triples: int

    @property
    def conforms(self) -> bool:
        return not any(p.severity == VIOLATION for p in self.problems)

    @property
    def exit_code(self) -> int:
        return 0 if self.conforms else 1

    def count(self, severity: str) -> int:
        return sum(1 for p in self.problems if p.severity == severity)


def load_shapes(files: Iterable[Path] | None = None) -> Graph:
    g = Graph()
    for f in files if files is not None else paths.shape_files():
        g.parse(f, format="turtle")
    return g


def _read_file(f: Path, read):
    """``read(path, format)`` on one RDF file, its errors as :class:`ValidationInputError` naming file, line and
    column (and an unknown ending as one)."""
    f = Path(f)
    fmt = FORMATS.get(f.suffix.lower())
    if fmt is None:
        raise ValidationInputError(f"unknown RDF file ending {f.suffix!r} (known: {', '.join(sorted(FORMATS))})",
                                   str(f))
    try:
        return read(str(f), fmt)
    except FileNotFoundError:
        raise ValidationInputError("file not found", str(f)) from None
    except SyntaxError as exc:
        message = str(exc.args[0] if exc.args else exc)
        raise ValidationInputError(f"syntax error: {message}", str(f), exc.lineno, exc.offset) from None
    except (OSError, ValueError) as exc:
        raise ValidationInputError(f"cannot read: {exc}", str(f)) from None


def read_rdf_files(files: Sequence[Path]) -> Dataset:
    """Parse files (format from the ending) into one Dataset; a syntax error names file, line and column."""
    ds = Dataset()
    for f in files:
        quads = _read_file(f, lambda path, fmt: list(ox.parse(path=path, format=fmt)))
        ds.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS), format="nquads")
    return ds


def union(ds: Dataset | Graph) -> Graph:
    """All triples of every graph of ``ds`` in one graph (what the shapes see)."""
    if not isinstance(ds, Dataset):
        return ds
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def _str(term) -> str | None:
    return None if term is None else str(term)


def _text(term) -> str:
    """How a pyoxigraph term is shown in a problem (as rdflib's ``str``: IRI, lexical form, blank node id)."""
    return term.value


def locate_all(store: ox.Store, focus: Iterable[str]) -> dict[str, tuple[int | None, str | None]]:
    """Source line and document of many focus nodes (IRIs) of our own data, a few batched queries in all.

    The line is the focus node's ``gcm:firstLine``, else that of the nearest node above it (a table cell → row →
    table → entry, at most four steps; the parent chosen is the smallest IRI linking to it); the document is the
    ``gcm:sourceFile`` of the ``gcm:report`` of the first node on that way that has one."""
    iris = sorted({f for f in focus if f.startswith(("http://", "https://", "urn:"))
                   and not re.search(r'[\s<>"{}|^`\\]', f)})
    found: dict[str, list] = {f: [None, None] for f in iris}  # line, report
    current = {f: f for f in iris}  # focus → node reached
    for step in range(5):
        todo = sorted({n for f, n in current.items()})
        if not todo:
            break
        info: dict[str, tuple] = {}
        for i in range(0, len(todo), 2000):
            chunk = " ".join(f"<{n}>" for n in todo[i:i + 2000])
            q = (f"SELECT ?n (SAMPLE(?l) AS ?line) (SAMPLE(?r) AS ?report) WHERE {{ VALUES ?n {{ {chunk} }} "
                 f"OPTIONAL {{ ?n <{GCM.firstLine}> ?l }} OPTIONAL {{ ?n <{GCM.report}> ?r }} }} GROUP BY ?n")
            for sol in store.query(q, use_default_graph_as_union=True):
                info[sol["n"].value] = (sol["line"], sol["report"])
        parents_needed = []
        for f, n in list(current.items()):
            line, report = info.get(n, (None, None))
            if found[f][0] is None and isinstance(line, ox.Literal):
                try:
                    found[f][0] = int(line.value)
                except ValueError:
                    pass
            if report is not None:
                found[f][1] = report
                del current[f]
            elif step == 4:
                del current[f]
            else:
                parents_needed.append(n)
        if not current:
            break
        parent: dict[str, str] = {}
        needed = sorted(set(parents_needed))
        for i in range(0, len(needed), 2000):
            chunk = " ".join(f"<{n}>" for n in needed[i:i + 2000])
            q = (f"SELECT ?n (MIN(STR(?p)) AS ?parent) WHERE {{ VALUES ?n {{ {chunk} }} ?p ?x ?n . FILTER(isIRI(?p)) }} "
                 "GROUP BY ?n")
            for sol in store.query(q, use_default_graph_as_union=True):
                if sol["parent"] is not None:
                    parent[sol["n"].value] = sol["parent"].value
        for f, n in list(current.items()):
            if n in parent:
                current[f] = parent[n]
            else:
                del current[f]
    reports = sorted({str(r) for _, r in found.values() if isinstance(r, ox.NamedNode)})
    sources: dict[str, str] = {}
    if reports:
        q = (f"SELECT ?r (SAMPLE(?s) AS ?src) WHERE {{ VALUES ?r {{ {' '.join(reports)} }} "
             f"?r <{GCM.sourceFile}> ?s }} GROUP BY ?r")
        for sol in store.query(q, use_default_graph_as_union=True):
            sources[str(sol["r"])] = sol["src"].value
    return {f: (line, sources.get(str(r)) if r is not None else None) for f, (line, r) in found.items()}


def _locate(data: Graph, focus) -> tuple[int | None, str | None]:
    """The source line of a focus node of our own data, and the document it is in (rdflib walk, kept for callers)."""
    line = data.value(focus, GCM.firstLine)
    node = focus
    report = None
    for _ in range(4):  # a table cell → row → table → entry → report
        report = data.value(node, GCM.report)
        if report is not None:
            break
        parent = next(iter(data.subjects(None, node)), None)
        if parent is None:
            break
        node = parent
        if line is None:
            line = data.value(node, GCM.firstLine)
    source = data.value(report, GCM.sourceFile) if report is not None else None
    return (int(line) if isinstance(line, Literal) else None), (str(source) if source else None)


def _with_lines(problems: list[Problem], store: ox.Store | None) -> list[Problem]:
    if store is None or not problems:
        return problems
    where = locate_all(store, [p.focus for p in problems])
    return [replace(p, line=where.get(p.focus, (None, None))[0], document=where.get(p.focus, (None, None))[1])
            for p in problems]


def checked_shapes(shapes: Graph) -> list[str]:
    return sorted({str(s) for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)})


def _needs_advanced(shapes: Graph) -> bool:
    """SHACL-AF features (rules, custom targets, SPARQL functions) are the only reason to run pySHACL advanced."""
    advanced = (SH.rule, SH.target, SH.SPARQLFunction, SH.SPARQLTarget, SH.TripleRule, SH.SPARQLRule)
    return any(True for p in advanced[:2] for _ in shapes.triples((None, p, None))) or any(
        True for t in advanced[2:] for _ in shapes.triples((None, RDF.type, t)))


def shacl_problems(data: Graph, shapes: Graph, store: ox.Store | None = None) -> tuple[list[Problem], list[str]]:
    """pySHACL (the reference engine; inference='none') on an rdflib graph. Lines come from ``store`` when given
    (one batched query), else from walking ``data``."""
    import pyshacl

    from .shacl import path_text

    _conforms, results, _text_ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True,
                                                  advanced=_needs_advanced(shapes))
    problems = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(r, SH.focusNode)
        severity = str(results.value(r, SH.resultSeverity)).rsplit("#", 1)[-1]
        message = results.value(r, SH.resultMessage)
        shape = results.value(r, SH.sourceShape)
        line, doc = _locate(data, focus) if store is None else (None, None)
        problems.append(Problem(severity, str(focus), str(message) if message else "constraint not met",
                                path_text(results, results.value(r, SH.resultPath)),
                                _str(results.value(r, SH.value)),
                                _str(shape) if isinstance(shape, URIRef) else _str(results.value(r, SH.sourceConstraintComponent)),
                                line, doc))
    return _with_lines(problems, store), checked_shapes(shapes)


def native_problems(store: ox.Store, shapes: Graph, focus: FocusFilter | None = None
                    ) -> tuple[list[Problem], list[str]]:
    """The native engine (shapes compiled to SPARQL) on the union of the graphs of ``store``; ``focus``: only from
    the target nodes the filter keeps."""
    from .shacl import validate as run

    problems = [Problem(r.severity, _text(r.focus), r.message, r.path,
                        _text(r.value) if r.value is not None else None, r.source)
                for r in run(store, shapes, focus=focus)]
    return _with_lines(problems, store), checked_shapes(shapes)


def _store_of(data: Graph) -> ox.Store:
    """``data`` in a new store, blank node labels kept (so both engines name them alike)."""
    store = ox.Store()
    nt = data.serialize(format="nt", encoding="utf-8")
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))
    return store


def check_store_problems(store: ox.Store, files: Iterable[Path] | None = None, focus: FocusFilter | None = None
                         ) -> tuple[list[Problem], list[str]]:
    """Run every ``queries/check-*.rq`` on ``store`` (union of its graphs): each row is a violation (columns
    ``focus``, ``message``, optional ``severity``). ``focus``: only the rows whose ``?focus`` the filter keeps (the
    queries run whole and their rows are filtered: they are cheap, and a query is free to say what it likes; a row
    without a ``?focus`` counts as a blank node, belonging to no report)."""
    files = list(files) if files is not None else sorted(paths.QUERIES_DIR.glob("check-*.rq"))
    problems, checked = [], []
    for f in files:
        checked.append(f.stem)
        for row in store.query(f.read_text(encoding="utf-8"), use_default_graph_as_union=True):
            node = row["focus"]
            if focus is not None and not focus.keeps(node if node is not None else ox.BlankNode()):
                continue
            focus_text = node.value if node is not None else "(none)"
            message = row["message"].value if "message" in row and row["message"] is not None else f.stem
            sev = row["severity"].value if "severity" in row and row["severity"] is not None else VIOLATION
            problems.append(Problem(sev, focus_text, message, None, None, f.stem))
    return _with_lines(problems, store), checked


def check_query_problems(data: Graph, files: Iterable[Path] | None = None) -> tuple[list[Problem], list[str]]:
    """Run every ``queries/check-*.rq`` on an rdflib graph (loaded into a store)."""
    files = list(files) if files is not None else sorted(paths.QUERIES_DIR.glob("check-*.rq"))
    if not files:
        return [], []
    return check_store_problems(_store_of(data), files)


def _triples(store: ox.Store) -> int:
    """The number of triples checked: the quads of the store (a triple stored in two graphs counts twice; the build's
    graphs do not overlap, and an exact count of the distinct triples costs seconds on millions of them)."""
    return len(store)


def combine(found: Iterable[Problem], checked: Iterable[str], triples: int) -> ValidationReport:
    """One report of problems found in parts (the build's workers and its parent), sorted as any other."""
    return _report(list(found), list(checked), triples)


def _report(found: list[Problem], checked: list[str], triples: int) -> ValidationReport:
    order = {VIOLATION: 0, WARNING: 1, INFO: 2}
    problems = sorted(found, key=lambda p: (order.get(p.severity, 3), p.document or "", p.line or 0, p.focus,
                                            p.source or "", p.path or "", p.message, p.value or ""))
    return ValidationReport(tuple(problems), tuple(checked), triples)


def _store_graph(store: ox.Store) -> Graph:
    """The union of the graphs of ``store`` as an rdflib graph (what pySHACL is given)."""
    g = Graph()
    nt = ox.serialize(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True),
                      format=ox.RdfFormat.N_TRIPLES)
    g.parse(data=nt, format="nt")
    return g


def validate_store(store: ox.Store, shapes: Graph | None = None, checks: Iterable[Path] | None = None,
                   engine: str = "native", focus: FocusFilter | None = None) -> ValidationReport:
    """Validate the data of ``store`` against the shapes and run the check queries on it.

    The data is the union of every graph of the store (default graph and named graphs alike: queries run with
    ``use_default_graph_as_union=True``), so asserted and inferred triples may be in separate named graphs.
    ``engine="pyshacl"`` runs the reference engine on a copy of that union instead.

    ``focus`` (native engine only; None: every focus node): validate only the target nodes the
    :class:`FocusFilter` keeps, filtered inside the queries, and keep only the check-query rows whose ``?focus`` it
    keeps. With :func:`report_focus` in each report's store and :func:`shared_focus` in the whole store, the
    problems together are those of validating the whole store at once (see the module's docstring).
    """
    shapes = shapes if shapes is not None else load_shapes()
    if focus is not None and engine != "native":
        raise ValueError("a focus filter needs the native engine")
    if engine == "native":
        found, checked = native_problems(store, shapes, focus)
    elif engine == "pyshacl":
        found, checked = shacl_problems(_store_graph(store), shapes, store)
    else:
        raise ValueError(f"unknown validation engine {engine!r} (native, pyshacl)")
    found2, checked2 = check_store_problems(store, checks, focus)
    return _report(found + found2, checked + checked2, _triples(store))


def validate_graph(data: Graph, shapes: Graph | None = None, checks: Iterable[Path] | None = None,
                   engine: str = "native") -> ValidationReport:
    """Validate an rdflib graph (a Dataset counts as the union of its graphs)."""
    data = union(data)
    shapes = shapes if shapes is not None else load_shapes()
    store = _store_of(data)
    if engine == "pyshacl":
        found, checked = shacl_problems(data, shapes, store)
        found2, checked2 = check_store_problems(store, checks)
        return _report(found + found2, checked + checked2, len(data))
    return validate_store(store, shapes, checks, engine)


def load_rdf_files(files: Sequence[Path], store: ox.Store | None = None) -> ox.Store:
    """Load files (format from the ending) into a store; a syntax error names file, line and column."""
    store = store if store is not None else ox.Store()
    for f in files:
        _read_file(f, lambda path, fmt: store.bulk_load(path=path, format=fmt))
    return store


def validate_files(files: Sequence[Path], with_ontology: bool = True, engine: str = "native") -> ValidationReport:
    """Validate RDF files (Turtle, TriG, N-Triples, N-Quads, RDF/XML, JSON-LD) against our shapes and ontology."""
    from .rdf.dataset import ontology_graph

    if engine != "native":
        data = union(read_rdf_files(files))
        if with_ontology:
            data += ontology_graph()
        return validate_graph(data, engine=engine)
    store = load_rdf_files(files)
    if with_ontology:
        store.load(ontology_graph().serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    return validate_store(store)


def validate_dist(dist: Path = paths.DEFAULT_DIST, engine: str = "native") -> ValidationReport:
    """Validate a build: its TriG (asserted and inferred graphs) against the shapes."""
    trig = Path(dist) / "gcm-graph.trig"
    if not trig.exists():
        raise ValidationInputError("no built graph here; run 'gcm-graph build' first (or give files to validate)",
                                   str(trig))
    if engine != "native":
        return validate_graph(union(read_rdf_files([trig])), engine=engine)
    return validate_store(load_rdf_files([trig]))

"""Validate: SHACL shapes (pySHACL) and the ``queries/check-*.rq`` violation queries, into one report object.

Inference is materialised before validation (the ``inferred`` graph), so pySHACL runs with ``inference='none'``,
the fastest setting measured. Exit codes, as pySHACL's: 0 conforms, 1 does not conform, 2 error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF

from . import paths
from .errors import GcmError
from .namespaces import GCM, SH

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


def read_rdf_files(files: Sequence[Path]) -> Dataset:
    """Parse files (format from the ending) into one Dataset; a syntax error names file, line and column."""
    ds = Dataset()
    for f in files:
        f = Path(f)
        fmt = FORMATS.get(f.suffix.lower())
        if fmt is None:
            raise ValidationInputError(f"unknown RDF file ending {f.suffix!r} (known: {', '.join(sorted(FORMATS))})",
                                       str(f))
        try:
            quads = list(ox.parse(path=str(f), format=fmt))
        except FileNotFoundError:
            raise ValidationInputError("file not found", str(f)) from None
        except SyntaxError as exc:
            message = str(exc.args[0] if exc.args else exc)
            raise ValidationInputError(f"syntax error: {message}", str(f), exc.lineno, exc.offset) from None
        except (OSError, ValueError) as exc:
            raise ValidationInputError(f"cannot read: {exc}", str(f)) from None
        data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        ds.parse(data=data, format="nquads")
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


def _locate(data: Graph, focus) -> tuple[int | None, str | None]:
    """The source line of a focus node of our own data, and the document it is in."""
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


def shacl_problems(data: Graph, shapes: Graph) -> tuple[list[Problem], list[str]]:
    import pyshacl

    _conforms, results, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True,
                                                 advanced=True)
    problems = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(r, SH.focusNode)
        severity = str(results.value(r, SH.resultSeverity)).rsplit("#", 1)[-1]
        message = results.value(r, SH.resultMessage)
        shape = results.value(r, SH.sourceShape)
        line, doc = _locate(data, focus)
        problems.append(Problem(severity, str(focus), str(message) if message else "constraint not met",
                                _str(results.value(r, SH.resultPath)), _str(results.value(r, SH.value)),
                                _str(shape) if isinstance(shape, URIRef) else _str(results.value(r, SH.sourceConstraintComponent)),
                                line, doc))
    checked = sorted({str(s) for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)})
    return problems, checked


def check_query_problems(data: Graph, files: Iterable[Path] | None = None) -> tuple[list[Problem], list[str]]:
    """Run every ``queries/check-*.rq``: each row is a violation (columns ``focus``, ``message``, optional ``severity``)."""
    files = list(files) if files is not None else sorted(paths.QUERIES_DIR.glob("check-*.rq"))
    if not files:
        return [], []
    store = ox.Store()
    store.load(data.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    problems, checked = [], []
    for f in files:
        checked.append(f.stem)
        for row in store.query(f.read_text(encoding="utf-8")):
            focus = row["focus"].value if row["focus"] is not None else "(none)"
            message = row["message"].value if "message" in row and row["message"] is not None else f.stem
            sev = row["severity"].value if "severity" in row and row["severity"] is not None else VIOLATION
            line, doc = _locate(data, URIRef(focus)) if focus.startswith("http") else (None, None)
            problems.append(Problem(sev, focus, message, None, None, f.stem, line, doc))
    return problems, checked


def validate_graph(data: Graph, shapes: Graph | None = None, checks: Iterable[Path] | None = None) -> ValidationReport:
    shapes = shapes if shapes is not None else load_shapes()
    found, checked = shacl_problems(data, shapes)
    found2, checked2 = check_query_problems(data, checks)
    order = {VIOLATION: 0, WARNING: 1, INFO: 2}
    problems = sorted(found + found2, key=lambda p: (order.get(p.severity, 3), p.document or "", p.line or 0,
                                                       p.focus, p.source or "", p.path or "", p.message))
    return ValidationReport(tuple(problems), tuple(checked + checked2), len(data))


def validate_files(files: Sequence[Path], with_ontology: bool = True) -> ValidationReport:
    """Validate RDF files (Turtle, TriG, N-Triples, N-Quads, RDF/XML, JSON-LD) against our shapes and ontology."""
    from .rdf.dataset import ontology_graph

    data = union(read_rdf_files(files))
    if with_ontology:
        data += ontology_graph()
    return validate_graph(data)


def validate_dist(dist: Path = paths.DEFAULT_DIST) -> ValidationReport:
    """Validate a build: its TriG (asserted and inferred graphs) against the shapes."""
    trig = Path(dist) / "gcm-graph.trig"
    if not trig.exists():
        raise ValidationInputError("no built graph here; run 'gcm-graph build' first (or give files to validate)",
                                   str(trig))
    return validate_graph(union(read_rdf_files([trig])))

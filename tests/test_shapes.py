"""SHACL shapes: every node shape has a conforming and a non-conforming fixture, and each non-conforming fixture fails
for the reason its header states (and only because of the shape under test).

Fixture files live in tests/fixtures/shapes/ and are named ``<ShapeLocalName>-valid.ttl`` and
``<ShapeLocalName>-invalid[-<what>].ttl``. An invalid fixture starts with a header::

    # Violates: gcmsh:<property shape, SPARQL constraint or node shape>
    # Severity: Violation | Warning

Each fixture is validated, as the build validates its output, with pyshacl (inference='none') against all files of
shapes/, with the ontology files of ontology/ merged into the data graph.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from gcm_graph import paths

SH = Namespace("http://www.w3.org/ns/shacl#")
GCMSH = Namespace("https://w3id.org/gcm-graph/shapes#")
FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
FIXTURE_NAME = re.compile(r"^(?P<shape>[A-Za-z]+Shape)-(?P<kind>valid|invalid)(?P<variant>-[a-z0-9-]+)?\.ttl$")


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    graph = Graph()
    for path in sorted(paths.SHAPES_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    graph = Graph()
    for path in sorted(paths.ONTOLOGY_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def node_shapes() -> list[URIRef]:
    """Node shapes with a target (the ones that need fixtures)."""
    graph = shapes_graph()
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    return sorted(s for s in graph.subjects(RDF.type, SH.NodeShape) if any((s, t, None) in graph for t in targets))


def owned_shapes(shape: URIRef) -> set:
    """The node shape and every shape or constraint reachable from it (property shapes, nested shapes, SPARQL)."""
    graph = shapes_graph()
    seen: set = set()
    todo = [shape]
    single = (SH.property, SH.node, SH["not"], SH.qualifiedValueShape, SH.sparql)
    lists = (SH["and"], SH["or"], SH.xone)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for predicate in single:
            todo.extend(graph.objects(node, predicate))
        for predicate in lists:
            for head in graph.objects(node, predicate):
                todo.extend(Collection(graph, head))
    return seen


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*.ttl"))


def read_header(path: Path) -> dict[str, str]:
    header: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        match = re.match(r"^#\s*(Violates|Severity):\s*(\S+)", line)
        if match:
            header[match.group(1).lower()] = match.group(2)
    return header


def run_validation(data: Graph):
    return validate(
        data,
        shacl_graph=shapes_graph(),
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
        advanced=False,
    )


def results(report: Graph) -> list[dict]:
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        out.append({
            "focus": report.value(result, SH.focusNode),
            "shape": report.value(result, SH.sourceShape),
            "constraint": report.value(result, SH.sourceConstraint),
            "component": report.value(result, SH.sourceConstraintComponent),
            "severity": report.value(result, SH.resultSeverity),
            "message": report.value(result, SH.resultMessage),
        })
    return out


def describe(found: list[dict]) -> str:
    return "\n".join(
        f"  {r['severity'].split('#')[-1]} at {r['focus']} from {r['shape']} ({r['component'].split('#')[-1]}): "
        f"{r['message']}" for r in found)


# ---------------------------------------------------------------------------------------------------------------------


def test_every_node_shape_has_a_fixture_pair():
    names = {str(shape).removeprefix(str(GCMSH)) for shape in node_shapes()}
    assert names, "no node shapes found in shapes/"
    missing = []
    for name in sorted(names):
        if not (FIXTURES / f"{name}-valid.ttl").exists():
            missing.append(f"{name}-valid.ttl")
        if not (FIXTURES / f"{name}-invalid.ttl").exists():
            missing.append(f"{name}-invalid.ttl")
    assert not missing, f"missing fixtures: {missing}"
    strays = [p.name for p in fixture_files()
              if not FIXTURE_NAME.match(p.name) or FIXTURE_NAME.match(p.name)["shape"] not in names]
    assert not strays, f"fixtures for no node shape (or badly named): {strays}"


def test_every_shape_and_constraint_has_label_and_message():
    graph = shapes_graph()
    named = set()
    for kind in (SH.NodeShape, SH.PropertyShape, SH.SPARQLConstraint):
        named.update(s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef))
    named.update(o for o in graph.objects(None, SH.sparql))
    named.update(o for o in graph.objects(None, SH.property))
    # Blank-node shapes nested inside sh:or / sh:qualifiedValueShape report through their named parent shape.
    problems = []
    for shape in sorted(named, key=str):
        if isinstance(shape, BNode):
            problems.append(f"anonymous shape or constraint (give it an IRI): {list(graph.predicate_objects(shape))}")
            continue
        if not any(isinstance(l, Literal) and l.language == "en" for l in graph.objects(shape, RDFS.label)):
            problems.append(f"{shape}: no rdfs:label@en")
        if not any(isinstance(m, Literal) and m.language == "en" for m in graph.objects(shape, SH.message)):
            problems.append(f"{shape}: no sh:message@en")
    assert not problems, "\n".join(problems)


def test_ontology_files_alone_conform():
    """The hand-written schemes (objectives, principles, populations, themes...) meet the concept shapes."""
    data = Graph()
    data += ontology_graph()
    conforms, report, _ = run_validation(data)
    assert conforms, "ontology/*.ttl does not conform:\n" + describe(results(report))


@pytest.mark.parametrize("fixture", fixture_files(), ids=lambda p: p.stem)
def test_fixture(fixture: Path):
    match = FIXTURE_NAME.match(fixture.name)
    assert match, f"badly named fixture {fixture.name}"
    shape = GCMSH[match["shape"]]
    assert (shape, RDF.type, SH.NodeShape) in shapes_graph(), f"{fixture.name}: no node shape {shape}"

    data = Graph()
    data += ontology_graph()
    data.parse(fixture, format="turtle")
    conforms, report, _ = run_validation(data)
    found = results(report)

    if match["kind"] == "valid":
        assert conforms and not found, f"{fixture.name} should conform:\n{describe(found)}"
        return

    header = read_header(fixture)
    assert "violates" in header and "severity" in header, f"{fixture.name}: header lacks Violates:/Severity:"
    violated = GCMSH[header["violates"].removeprefix("gcmsh:")]
    severity = SH[header["severity"]]

    assert not conforms and found, f"{fixture.name} should not conform"
    owned = owned_shapes(shape)
    strangers = [r for r in found if r["shape"] not in owned]
    assert not strangers, f"{fixture.name} fails for shapes other than {shape}:\n{describe(strangers)}"
    assert any(violated in (r["shape"], r["constraint"]) for r in found), (
        f"{fixture.name} should violate {violated}, but got:\n{describe(found)}")
    assert violated in owned, f"{violated} is not part of {shape}"
    wrong_severity = [r for r in found if r["severity"] != severity]
    assert not wrong_severity, f"{fixture.name}: expected only {severity}:\n{describe(wrong_severity)}"

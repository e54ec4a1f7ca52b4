"""The native SHACL engine (gcm_graph.shacl: shapes compiled to SPARQL, run in pyoxigraph) gives exactly the results
of pySHACL, the reference: on every shape fixture, on the real built graph (warnings included), on mutated copies of
it, and on SPARQL constraints that cannot be joined with their focus nodes. Unsupported SHACL features are errors.

Both engines see the same terms: pySHACL is given the union of the store's graphs (pyoxigraph canonicalises some
literals on load, e.g. ``"01"^^xsd:integer`` → ``"1"``, so the store is the common source). Problems are compared as
sets of (severity, focus, path, value, source, message); every shape of shapes/ has an sh:message, so messages are
compared everywhere (a shape without one would get pySHACL's generic wording, which the native engine does not copy).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from gcm_graph import validate as V
from gcm_graph.shacl import UnsupportedShapeError, read_shapes
from gcm_graph.shacl import validate as native_validate

from .test_shapes import fixture_files, ontology_graph, shapes_graph

GCM = "https://w3id.org/gcm-graph/ontology#"
ID = "https://w3id.org/gcm-graph/id/"


def key(problems) -> set[tuple]:
    return {(p.severity, p.focus, p.path, p.value, p.source, p.message) for p in problems}


def both(store: ox.Store, shapes: Graph | None = None) -> tuple[set, set]:
    shapes = shapes if shapes is not None else shapes_graph()
    native, _ = V.native_problems(store, shapes)
    reference, _ = V.shacl_problems(V._store_graph(store), shapes)
    return key(native), key(reference)


def store_of_turtle(*texts: str) -> ox.Store:
    store = ox.Store()
    for text in texts:
        store.load(text.encode("utf-8"), ox.RdfFormat.TURTLE)
    return store


@pytest.fixture(scope="module", autouse=True)
def prepared_rdflib_queries():
    """pySHACL re-parses each SPARQL constraint for every focus node; caching rdflib's translation (what
    ``prepareQuery`` does) only makes the reference faster, not different. Restored after this module."""
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query
    cache: dict = {}

    def query(self, q, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(q, str):
            k = (q, base, tuple(sorted((initNs or {}).items())))
            if k not in cache:
                cache[k] = processor.translateQuery(processor.parseQuery(q), base, initNs)
            q = cache[k]
        return original(self, q, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query
    yield
    processor.SPARQLProcessor.query = original


@pytest.fixture(scope="module")
def ontology_nt() -> bytes:
    return ontology_graph().serialize(format="nt", encoding="utf-8")


@pytest.mark.parametrize("fixture", fixture_files(), ids=lambda p: p.stem)
def test_fixture_same_as_pyshacl(fixture: Path, ontology_nt):
    store = ox.Store()
    store.load(ontology_nt, ox.RdfFormat.N_TRIPLES)
    store.load(path=str(fixture), format=ox.RdfFormat.TURTLE)
    native, reference = both(store)
    assert native == reference, f"native only: {native - reference}\npySHACL only: {reference - native}"
    assert ("-invalid" in fixture.name) == bool(native)


# --- the real graph ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def real_store(built_dist) -> ox.Store:
    store = ox.Store()
    store.load(path=str(built_dist / "gcm-graph.trig"), format=ox.RdfFormat.TRIG)
    return store


@pytest.fixture(scope="session")
def real_reference(real_store):
    """pySHACL on the real graph, once per session (~5 s)."""
    return V.validate_store(real_store, engine="pyshacl")


def test_real_graph_same_as_pyshacl(real_store, real_reference):
    native = V.validate_store(real_store)
    assert native.problems == real_reference.problems  # same problems, lines and order
    assert native.conforms and native.count("Warning") > 0  # the known warnings are found by both
    assert native.triples == real_reference.triples == len(V._store_graph(real_store))
    assert native.checked == real_reference.checked


def test_validate_graph_and_files_use_the_native_engine(built_dist, real_reference):
    by_files = V.validate_files([built_dist / "gcm-graph.trig"], with_ontology=False)
    assert key(by_files.problems) == key(real_reference.problems)
    assert by_files.problems == V.validate_dist(built_dist).problems


MUTATIONS = f"""
PREFIX gcm: <{GCM}>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
# required links removed from two programme entries
DELETE {{ GRAPH ?g {{ ?e gcm:objective ?o }} }} WHERE {{
  VALUES ?e {{ <{ID}programme/mx-2020/3-5> <{ID}programme/mx-2020/7-1> }} GRAPH ?g {{ ?e gcm:objective ?o }} }} ;
DELETE {{ GRAPH ?g {{ ?e gcm:occurrenceOf ?o }} }} WHERE {{
  VALUES ?e {{ <{ID}programme/mx-2020/2-1> }} GRAPH ?g {{ ?e gcm:occurrenceOf ?o }} }} ;
# a wrong datatype, an ill-typed integer, a value out of range, first line after last line
DELETE {{ GRAPH ?g {{ ?e gcm:entryNumber ?n }} }} INSERT {{ GRAPH ?g {{ ?e gcm:entryNumber "2"^^xsd:string }} }}
WHERE {{ VALUES ?e {{ <{ID}programme/mx-2020/4-2> }} GRAPH ?g {{ ?e gcm:entryNumber ?n }} }} ;
INSERT {{ GRAPH <urn:test:mutations> {{ ?r gcm:depth "deep"^^xsd:integer }} }}
WHERE {{ {{ SELECT ?r WHERE {{ GRAPH ?x {{ ?r a gcm:Result }} }} ORDER BY ?r LIMIT 1 }} }} ;
DELETE {{ GRAPH ?g {{ ?r gcm:position ?p }} }} INSERT {{ GRAPH ?g {{ ?r gcm:position 0 }} }}
WHERE {{ {{ SELECT ?r WHERE {{ GRAPH ?x {{ ?r a gcm:Challenge }} }} ORDER BY ?r LIMIT 2 }} GRAPH ?g {{ ?r gcm:position ?p }} }} ;
DELETE {{ GRAPH ?g {{ ?r gcm:firstLine ?l }} }} INSERT {{ GRAPH ?g {{ ?r gcm:firstLine 99999 }} }}
WHERE {{ {{ SELECT ?r WHERE {{ GRAPH ?x {{ ?r a gcm:Table }} }} ORDER BY ?r LIMIT 1 }} GRAPH ?g {{ ?r gcm:firstLine ?l }} }} ;
# a bad language tag, a duplicate language, a language that is not a BCP 47 tag
INSERT DATA {{ GRAPH <urn:test:mutations> {{
  <{ID}programme/mx-2020/5-1> dcterms:title "Titel"@de , "Otro título"@es .
  <{ID}report/mx-2020> dcterms:language "Spanish" .
}} }} ;
# a period starting after it ends (SPARQL constraint), a date of the wrong type (sh:or)
INSERT {{ GRAPH <urn:test:mutations> {{ ?p dcat:startDate "2031-01-01"^^xsd:date }} }}
WHERE {{ {{ SELECT ?p WHERE {{ GRAPH ?x {{ ?p a gcm:Period }} }} ORDER BY ?p LIMIT 1 }} }} ;
DELETE {{ GRAPH ?g {{ ?p dcat:endDate ?d }} }} INSERT {{ GRAPH ?g {{ ?p dcat:endDate "soon" }} }}
WHERE {{ {{ SELECT ?p WHERE {{ GRAPH ?x {{ ?p a gcm:Period }} }} ORDER BY DESC(?p) LIMIT 1 }} GRAPH ?g {{ ?p dcat:endDate ?d }} }} ;
# an entry IRI that disagrees with its number (SPARQL constraint), a duplicate row position (SPARQL constraint)
DELETE {{ GRAPH ?g {{ ?e gcm:entryNumber ?n }} }} INSERT {{ GRAPH ?g {{ ?e gcm:entryNumber 77 }} }}
WHERE {{ VALUES ?e {{ <{ID}programme/mx-2020/6-1> }} GRAPH ?g {{ ?e gcm:entryNumber ?n }} }} ;
DELETE {{ GRAPH ?g {{ ?r gcm:position ?p }} }} INSERT {{ GRAPH ?g {{ ?r gcm:position 1 }} }}
WHERE {{ GRAPH ?g {{ ?t gcm:row ?r . ?r gcm:position ?p FILTER (?p = 2) }} }}
"""


@pytest.fixture(scope="module")
def mutated(built_dist) -> ox.Store:
    store = ox.Store()
    store.load(path=str(built_dist / "gcm-graph.trig"), format=ox.RdfFormat.TRIG)
    store.update(MUTATIONS)
    return store


def test_mutated_real_graph_same_as_pyshacl(mutated):
    native = V.validate_store(mutated)
    reference = V.validate_store(mutated, engine="pyshacl")
    assert key(native.problems) == key(reference.problems), (
        f"native only: {key(native.problems) - key(reference.problems)}\n"
        f"pySHACL only: {key(reference.problems) - key(native.problems)}")
    assert [(p.focus, p.line, p.document) for p in native.problems] == [
        (p.focus, p.line, p.document) for p in reference.problems]
    sources = {p.source.rsplit("#", 1)[-1] for p in native.problems if p.severity == V.VIOLATION}
    expected = {"ProgrammeEntryShape-objective", "ProgrammeEntryShape-occurrenceOf", "ProgrammeEntryShape-entryNumber",
                "ResultShape-depth", "ChallengeShape-position", "LineSpan-firstLine", "ProgrammeEntryShape-title",
                "ReportShape-language", "PeriodShape-startDate", "PeriodShape-endDate", "ReportShape",
                "TableRowShape"}
    assert expected <= sources, expected - sources
    entry = next(p for p in native.problems if p.focus.endswith("/3-5") and p.path == GCM + "objective")
    assert entry.line == 647 and entry.document == "mx-2020.md"


# --- SPARQL constraints: joined with the focus nodes, or pre-bound one by one -------------------------------------------

SPARQL_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:prefixes sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/" ] .
ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:message "node shape"@en ;
  sh:sparql ex:joined , ex:subquery , ex:optional .
ex:joined a sh:SPARQLConstraint ; sh:message "{$this} links {?value} twice"@en ; sh:prefixes ex:prefixes ;
  sh:select "SELECT $this ?value WHERE { $this ex:p ?value . FILTER EXISTS { $this ex:q ?value } }" .
ex:subquery a sh:SPARQLConstraint ; sh:message "{$this} has {?n} values"@en ; sh:prefixes ex:prefixes ;
  sh:select "SELECT $this ?n WHERE { { SELECT $this (COUNT(?v) AS ?n) WHERE { $this ex:p ?v } GROUP BY $this } FILTER (?n > 1) }" .
ex:optional a sh:SPARQLConstraint ; sh:prefixes ex:prefixes ;
  sh:select "SELECT $this ?value WHERE { OPTIONAL { $this ex:q ?value } FILTER (!BOUND(?value)) }" .
ex:S sh:sparql ex:off .
ex:off a sh:SPARQLConstraint ; sh:deactivated true ; sh:prefixes ex:prefixes ; sh:select "SELECT $this WHERE { $this a ex:C }" .
ex:Off a sh:NodeShape ; sh:targetClass ex:C ; sh:deactivated true ; sh:nodeKind sh:Literal ; sh:message "off"@en .
ex:P a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P-path .
ex:P-path a sh:PropertyShape ; sh:path ( ex:p ex:p ) ; sh:message "path {?value}"@en ; sh:sparql [
  sh:prefixes ex:prefixes ; sh:select "SELECT $this ?value WHERE { $this $PATH ?value . FILTER (isLiteral(?value)) }" ] .
"""

SPARQL_DATA = """
@prefix ex: <http://example.org/> .
ex:a a ex:C ; ex:p ex:x , ex:y ; ex:q ex:x .
ex:b a ex:C ; ex:p ex:z .
ex:c a ex:C .
ex:x ex:p "lit" .
ex:d ex:p ex:x .
"""


def test_sparql_constraints_same_as_pyshacl():
    shapes = Graph().parse(data=SPARQL_SHAPES, format="turtle")
    native, reference = both(store_of_turtle(SPARQL_DATA), shapes)
    assert native == reference
    messages = {m for *_, m in native}
    assert {"http://example.org/a links http://example.org/x twice", "http://example.org/a has 2 values",
            "path lit"} <= messages
    assert any(f == "http://example.org/c" for _, f, *_ in native)  # the OPTIONAL query, pre-bound per focus node
    assert not any(src == "http://example.org/Off" for *_, src, _m in native)  # deactivated shape and constraint


# --- unsupported features ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("feature", [
    "sh:closed true", "sh:xone ( [ sh:datatype xsd:string ] )", "sh:path [ sh:zeroOrMorePath ex:p ] ; sh:minCount 1",
    "sh:property [ sh:path ex:p ; sh:lessThan ex:q ]", "sh:not [ sh:datatype xsd:string ]",
])
def test_unsupported_feature_is_an_error_naming_the_shape(feature):
    shapes = Graph().parse(data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        ex:Odd a sh:NodeShape ; sh:targetClass ex:C ; {feature} .""", format="turtle")
    with pytest.raises(UnsupportedShapeError) as err:
        native_validate(store_of_turtle("<http://example.org/a> a <http://example.org/C> ."), shapes)
    assert "shape" in str(err.value) and ("ex:Odd" in str(err.value) or "http://example.org/" in str(err.value))
    with pytest.raises(UnsupportedShapeError):
        V.validate_graph(Graph(), shapes=shapes, checks=[])


def test_every_shape_of_ours_is_supported():
    shapes = read_shapes(shapes_graph())
    assert len(shapes) >= 25


def test_unknown_engine_is_an_error():
    with pytest.raises(ValueError):
        V.validate_store(ox.Store(), engine="fast")

"""The fast OWL 2 RL rules give the same entailments as owlrl, the reference, on the real graph."""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from gcm_graph.namespaces import GCM
from gcm_graph.pipeline import build_graphs, enrich_reports, parse_sources, registers_for
from gcm_graph.reason import infer, infer_owlrl, is_trivial

BASE = "https://w3id.org/gcm-graph/"


@pytest.fixture(scope="module")
def asserted():
    reports = parse_sources()
    graphs = build_graphs(reports, registers_for(reports), BASE, enrich_reports(reports))
    return list(graphs.values())


@pytest.fixture(scope="module")
def fast(asserted):
    return infer(asserted)


def test_same_entailments_as_owlrl(asserted, fast):
    reference = infer_owlrl(asserted)
    assert len(reference) > 500
    assert set(fast) - set(reference) == set()
    assert set(reference) - set(fast) == set()


def test_inferred_graph_holds_no_asserted_triple(asserted, fast):
    for g in asserted:
        assert not any(t in g for t in fast)


def test_inverses_and_superproperties_are_inferred(fast):
    entry = URIRef(BASE + "id/programme/mx-2020/7-14")
    assert (URIRef(BASE + "id/objective/7"), GCM.hasProgrammeEntry, entry) in fast
    assert (URIRef(BASE + "id/org/mx/sre"), GCM.responsibleFor, entry) in fast


def test_co_responsible_agencies_give_whole_of_government_evidence(fast):
    entry = URIRef(BASE + "id/programme/mx-2020/11-2")  # (SHCP/SAT)
    assert (entry, GCM.evidencesPrinciple, URIRef(BASE + "id/principle/i")) in fast
    single = URIRef(BASE + "id/programme/mx-2020/1-1")
    assert (single, GCM.coResponsibleAgency, None) not in fast


@pytest.mark.parametrize("triple", [
    (Literal("3", datatype=XSD.integer), RDF.type, XSD.integer),
    (URIRef("http://x/a"), OWL.sameAs, URIRef("http://x/a")),
    (URIRef("http://x/C"), RDFS.subClassOf, URIRef("http://x/C")),
    (URIRef("http://x/a"), RDF.type, OWL.Thing),
    (URIRef("http://x/a"), RDF.type, BNode()),
    (OWL.Thing, RDF.type, OWL.Class),
])
def test_trivial_triples_are_named(triple):
    assert is_trivial(triple)


def test_data_triples_are_not_trivial():
    assert not is_trivial((URIRef("http://x/a"), RDF.type, GCM.ProgrammeEntry))
    assert not is_trivial((URIRef("http://x/a"), GCM.partner, URIRef("http://x/b")))

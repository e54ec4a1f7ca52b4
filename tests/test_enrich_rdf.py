"""Enrichment as RDF: the ontology's terms, minted IRIs, no blank nodes, byte-identical output."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace as ns

from gcm_graph.enrich import enrich, load_registers
from gcm_graph.iris import mint
from gcm_graph.namespaces import GCM, SCHEMA
from gcm_graph.rdf.enrichment import add_enrichment
from gcm_graph.records import ParsedReport

BASE = "https://w3id.org/gcm-graph/"


@pytest.fixture(scope="module")
def enriched(real_source, real_doc):
    return enrich(ParsedReport(real_source.meta, real_doc), load_registers(), real_source.text)


@pytest.fixture(scope="module")
def graph(enriched):
    g = Graph()
    add_enrichment(g, enriched, BASE)
    return g


def entry(key):
    objective, number = key.split("-")
    return mint("programme", BASE, report="mx-2020", objective=objective, number=number)


def part(key, kind, index):
    objective, number = key.split("-")
    return mint("part", BASE, report="mx-2020", objective=objective, number=number, kind=kind, index=index)


def test_no_blank_nodes_and_byte_identical_output(graph, enriched):
    assert not any(isinstance(t, BNode) for triple in graph for t in triple)
    again = Graph()
    add_enrichment(again, enriched, BASE)
    assert sorted(graph.serialize(format="nt").splitlines()) == sorted(again.serialize(format="nt").splitlines())
    assert graph.serialize(format="turtle") == again.serialize(format="turtle")


def test_links_use_the_minted_iris(graph):
    assert (entry("10-5"), GCM.partner, URIRef(BASE + "id/org/unodc")) in graph
    assert (entry("7-1"), GCM.targetPopulation, URIRef(BASE + "id/population/unaccompanied-children")) in graph
    assert (entry("1-2"), GCM.collaboratingAgency, URIRef(BASE + "id/org/mx/inm")) in graph
    assert (part("1-13", "challenge", 1), GCM.theme, URIRef(BASE + "id/theme/funding")) in graph


def test_a_match_explains_a_link(graph):
    undoc = [m for m in graph.subjects(GCM.matchedText, Literal("UNDOC")) if (m, GCM.matchOf, entry("10-5")) in graph]
    assert len(undoc) == 2
    m = undoc[0]
    assert (m, ns.RDF.type, GCM.Match) in graph
    assert (m, GCM.matchTarget, URIRef(BASE + "id/org/unodc")) in graph
    assert (m, GCM.matchedIn, Literal("results")) in graph
    assert str(m).startswith(str(entry("10-5")) + "/match/")
    lines = {int(line) for x in undoc for line in graph.objects(x, GCM.firstLine)}
    assert lines == {1791, 1796}


def test_a_reported_quantity(graph):
    q = next(s for s in graph.subjects(GCM.sourceText, Literal("45,689 empleos directos")))
    assert (entry("2-2"), GCM.quantity, q) in graph
    assert (q, ns.RDF.type, GCM.ReportedQuantity) in graph
    assert (q, SCHEMA.value, Literal("45689", datatype=ns.XSD.integer)) in graph
    assert (q, SCHEMA.unitText, Literal("jobs")) in graph
    assert (q, GCM.counted, Literal("empleos directos", lang="es")) in graph
    assert (q, GCM.quantitySource, part("2-2", "result", 2)) in graph
    assert (q, GCM.firstLine, Literal("398", datatype=ns.XSD.integer)) in graph


def test_table_cells_decimals_years_and_ranges(graph):
    cell = next(s for s in graph.subjects(GCM.quantitySource, part("2-3", "table", "1-2-6")))
    assert (cell, SCHEMA.unitText, Literal("pesos")) in graph
    share = next(s for s in graph.subjects(GCM.sourceText, Literal("69.12% del total de esta población")))
    assert (share, SCHEMA.value, Literal("69.12", datatype=ns.XSD.decimal)) in graph
    card = next(s for s in graph.subjects(GCM.quantitySource, part("7-3", "table", "1-3-1")))
    assert (card, GCM.periodYear, Literal("2014", datatype=ns.XSD.gYear)) in graph
    stay = next(s for s in graph.subjects(GCM.sourceText, Literal("12 a 15 migrantes")))
    assert (stay, SCHEMA.maxValue, Literal("15", datatype=ns.XSD.integer)) in graph


def test_repeated_programmes_share_one_programme_node(graph):
    programme = mint("distinct-programme", BASE, report="mx-2020", key="7-14")
    assert (entry("7-14"), GCM.occurrenceOf, programme) in graph
    assert (entry("16-12"), GCM.occurrenceOf, programme) in graph
    assert (programme, ns.RDF.type, GCM.Programme) in graph
    assert len(set(graph.subjects(ns.RDF.type, GCM.Programme))) == 174
    assert (mint("distinct-programme", BASE, report="mx-2020", key="16-12"), ns.RDF.type, GCM.Programme) not in graph


def test_reporting_period_and_links(graph):
    period = next(graph.objects(entry("1-18"), GCM.reportingPeriod))
    assert (period, ns.RDF.type, GCM.Period) in graph
    assert (period, ns.DCAT.startDate, Literal("2019-06-01", datatype=ns.XSD.date)) in graph
    assert (period, ns.DCAT.endDate, Literal("2020-06-30", datatype=ns.XSD.date)) in graph
    assert len(list(graph.objects(entry("1-18"), GCM.reportingPeriod))) == 1
    url = URIRef("http://politicamigratoria.gob.mx/es/PoliticaMigratoria/movilidades")
    assert (entry("1-3"), GCM.link, url) in graph


def test_another_base(enriched):
    g = Graph()
    add_enrichment(g, enriched, "http://example.org/g/")
    assert all(str(s).startswith("http://example.org/g/id/") for s in g.subjects(ns.RDF.type, GCM.Match))

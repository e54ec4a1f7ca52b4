"""Dereferenceable identifiers on the real server over the real build: content negotiation (HTML, Turtle,
JSON-LD, N-Triples, RDF/XML) with ``Vary: Accept``, what the RDF description contains, 404s, every kind of
identifier the build mints, the hash-namespace ontology, named graphs, the VoID description, and the programme
page with the document's own text."""

from __future__ import annotations

import html
import re

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import RDF, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS

from gcm_graph.namespaces import DEFAULT_BASE
from gcm_graph.server import ServerConfig
from gcm_graph.server.deref import identifier_base

from .test_web_support import HTML, real_server, sparql_rows

B = DEFAULT_BASE
GCM = Namespace(B + "ontology#")
OBJ7 = URIRef(B + "id/objective/7")
PROG = URIRef(B + "id/programme/mx-2020/7-3")

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

RDF_FORMATS = [
    # Accept, ?format=, Content-Type served, rdflib parser
    ("text/turtle", "ttl", "text/turtle", "turtle"),
    ("application/ld+json", "jsonld", "application/ld+json", "json-ld"),
    ("application/n-triples", "nt", "application/n-triples", "nt"),
    ("application/rdf+xml", "rdf", "application/rdf+xml", "xml"),
]


@pytest.fixture(scope="module")
def srv(built_dist):
    with real_server(built_dist) as running:
        yield running


def fetch_graph(srv, path: str, accept: str = "text/turtle", parser: str = "turtle") -> rdflib.Graph:
    status, headers, body = srv.get(path, {"Accept": accept})
    assert status == 200, (path, body[:300])
    assert headers["content-type"].startswith(accept)
    return rdflib.Graph().parse(data=body, format=parser)


@pytest.mark.parametrize("accept, fmt, media, parser", RDF_FORMATS)
def test_objective_in_every_rdf_format_by_accept_and_by_format(srv, accept, fmt, media, parser):
    for headers, path in (({"Accept": accept}, "/id/objective/7"), ({"Accept": HTML}, f"/id/objective/7?format={fmt}")):
        status, got, body = srv.get(path, headers)
        assert status == 200, body[:300]
        assert got["content-type"].startswith(media)
        assert "Accept" in got["vary"]
        g = rdflib.Graph().parse(data=body, format=parser)
        assert (OBJ7, SKOS.prefLabel, Literal("Address and reduce vulnerabilities in migration", lang="en")) in g
        assert (OBJ7, RDF.type, GCM.Objective) in g


def test_html_for_browsers_with_vary(srv):
    status, headers, body = srv.get("/id/objective/7", {"Accept": HTML})
    page = body.decode()
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "Accept" in headers["vary"]
    assert "Address and reduce vulnerabilities in migration" in page
    assert "Abordar y reducir las vulnerabilidades en la migración" in page  # Spanish beside the English
    assert 'href="/id/programme/mx-2020/7-3"' in page  # our IRIs link to this server
    assert '<link rel="alternate" type="text/turtle" href="/id/objective/7?format=ttl">' in page


@pytest.mark.parametrize("accept", [None, "*/*", "text/*", "application/x-unknown"])
def test_turtle_when_the_client_does_not_say(srv, accept):
    status, headers, _ = srv.get("/id/objective/7", {"Accept": accept} if accept else {})
    assert status == 200 and headers["content-type"].startswith("text/turtle")


def test_description_has_asserted_inferred_incoming_and_labels(srv):
    g = fetch_graph(srv, "/id/objective/7")
    entries = {r["e"] for r in sparql_rows(srv, f"SELECT ?e WHERE {{ ?e gcm:objective <{OBJ7}> }}")}
    assert len(entries) == 21
    # asserted in the report graph, pointing here
    assert {str(s) for s in g.subjects(GCM.objective, OBJ7)} == entries
    # inferred (the inverse, only in the inference graph)
    assert {str(o) for o in g.objects(OBJ7, GCM.hasProgrammeEntry)} == entries
    # labels of what it links to
    assert g.value(PROG, DCTERMS.title) == Literal("Visitante por Razones Humanitarias", lang="es")


def test_description_holds_every_triple_of_the_resource(srv):
    rows = sparql_rows(srv, f"SELECT ?p ?o WHERE {{ <{PROG}> ?p ?o }}")
    g = fetch_graph(srv, "/id/programme/mx-2020/7-3", "application/n-triples", "nt")
    assert {(r["p"], r["o"]) for r in rows} == {(str(p), str(o)) for p, o in g.predicate_objects(PROG)}
    inferred = sparql_rows(srv, f"SELECT ?p ?o WHERE {{ GRAPH <{B}graph/inferred> {{ <{PROG}> ?p ?o }} }}")
    assert inferred and all((URIRef(r["p"]), URIRef(r["o"])) in set(g.predicate_objects(PROG)) for r in inferred)


@pytest.mark.parametrize("path", ["/id/objective/99", "/id/programme/mx-2020/99-1", "/id/nope", "/id/",
                                  "/id/programme/mx-2020/7-3/result/999", "/id/%3Cscript%3E", "/ontology/9.9.9",
                                  "/graph/nope"])
def test_unknown_identifiers_are_404_with_vary(srv, path):
    for accept, media in (("text/turtle", "text/plain"), (HTML, "text/html"), ("application/ld+json", "text/plain")):
        status, headers, body = srv.get(path, {"Accept": accept})
        assert status == 404, (path, accept, body[:200])
        assert headers["content-type"].startswith(media)
        assert "Accept" in headers.get("vary", ""), (path, accept)


def test_unknown_format_is_406(srv):
    status, headers, _ = srv.get("/id/objective/7?format=pdf")
    assert status == 406 and "Accept" in headers["vary"]


def test_head_answers_like_get(srv):
    status, headers, body = srv.get("/id/objective/7", {"Accept": "text/turtle"}, method="HEAD")
    assert status == 200 and headers["content-type"].startswith("text/turtle") and body == b""


def _kind(iri: str) -> str:
    path = re.sub(r"\d+", "N", iri[len(B):])
    return re.sub(r"^id/(org/mx|org|population|theme|principle)/[^/]+$", r"id/\1/*", path)


def test_every_kind_of_identifier_resolves(srv):
    """One identifier of each shape the build mints (objective, principle, population, theme, agency,
    organisation, report, section, footnote, period, programme entry and its results, challenges, tables, rows,
    cells, quantities, matches, distinct programmes, schemes) answers in Turtle and in HTML."""
    subjects = sparql_rows(srv, f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && '
                                f'STRSTARTS(STR(?s), "{B}id/")) }} ORDER BY ?s')
    sample: dict[str, str] = {}
    for row in subjects:
        sample.setdefault(_kind(row["s"]), row["s"])
    assert len(sample) >= 20, sorted(sample)
    for kind, iri in sorted(sample.items()):
        path = "/" + iri[len(B):]
        g = fetch_graph(srv, path)
        assert any(True for _ in g.predicate_objects(URIRef(iri))), kind
        status, headers, body = srv.get(path, {"Accept": HTML})
        assert status == 200 and headers["content-type"].startswith("text/html"), (kind, body[:300])
        assert html.escape(iri) in body.decode(), kind


def test_ontology_is_a_hash_namespace_document(srv):
    g = fetch_graph(srv, "/ontology")
    assert (URIRef(B + "ontology"), RDF.type, OWL.Ontology) in g
    assert (GCM.ProgrammeEntry, RDF.type, OWL.Class) in g
    assert (GCM.objective, RDF.type, OWL.ObjectProperty) in g
    restrictions = list(g.subjects(RDF.type, OWL.Restriction))
    assert restrictions and all(isinstance(r, rdflib.BNode) for r in restrictions)
    assert all(any(True for _ in g.predicate_objects(r)) for r in restrictions)  # blank nodes come with their axioms
    # nothing but the vocabulary: no objective or programme is described here
    assert (OBJ7, None, None) not in g
    version = fetch_graph(srv, "/ontology/0.1.0")
    assert len(version) == len(g)
    status, _, body = srv.get("/ontology", {"Accept": HTML})
    page = body.decode()
    assert status == 200 and 'id="ProgrammeEntry"' in page and "Entrada de programa" in page


def test_named_graph_resolves_to_its_content(srv):
    rows = sparql_rows(srv, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{B}graph/mx-2020> {{ ?s ?p ?o }} }}")
    g = fetch_graph(srv, "/graph/mx-2020", "application/n-triples", "nt")
    assert len(g) == int(rows[0]["n"])
    status, _, body = srv.get("/graph/mx-2020", {"Accept": HTML})
    assert status == 200 and f"{int(rows[0]['n']):,}" in body.decode()


def test_void_description(srv):
    status, headers, body = srv.get("/.well-known/void")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=body, format="turtle")
    void = Namespace("http://rdfs.org/ns/void#")
    assert any(True for _ in g.subjects(RDF.type, void.Dataset))


def test_programme_page_shows_the_documents_text(srv, built_dist):
    status, headers, body = srv.get("/id/programme/mx-2020/7-3", {"Accept": HTML})
    page = body.decode()
    assert status == 200
    facts = sparql_rows(srv, f"""SELECT ?kind ?text WHERE {{
        {{ <{PROG}> dcterms:description ?text BIND("description" AS ?kind) }}
        UNION {{ <{PROG}> gcm:result/gcm:text ?text BIND("result" AS ?kind) }}
        UNION {{ <{PROG}> gcm:challenge/gcm:text ?text BIND("challenge" AS ?kind) }}
        UNION {{ <{PROG}> gcm:table/gcm:row/gcm:cell/gcm:text ?text BIND("cell" AS ?kind) }}
        UNION {{ <{PROG}> gcm:footnote/gcm:text ?text BIND("footnote" AS ?kind) }}
        UNION {{ <{PROG}> gcm:targetPopulation/skos:prefLabel ?text BIND("population" AS ?kind) }}
        UNION {{ <{PROG}> gcm:quantity/gcm:sourceText ?text BIND("figure" AS ?kind) }}
    }}""")
    assert {f["kind"] for f in facts} == {"description", "result", "challenge", "cell", "footnote", "population",
                                          "figure"}
    for f in facts:
        assert html.escape(f["text"]) in page, f
    assert "1114–1128" in page  # the line span
    # the source document's own lines, numbered from the entry's first line
    assert '<ol class="source-lines" start="1114">' in page
    assert html.escape("### 3. Visitante por Razones Humanitarias (UPMRIP)") in page
    assert page.count('<li><code>') >= 15
    assert 'href="/id/org/mx/upmrip"' in page and 'href="/id/objective/7"' in page


def _store_with_ontology(base: str) -> ox.Store:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(base + "ontology"), ox.NamedNode(str(RDF.type)), ox.NamedNode(str(OWL.Ontology)),
                      ox.NamedNode(base + "graph/ontology")))
    return store


def test_base_url_maps_this_server_onto_the_graphs_identifiers():
    """``serve --base-url http://localhost:8000/`` over a default build: /id/… still answers for the build's
    identifiers, and the URL given becomes the public URL; a build made with that base is served as it is."""
    store = _store_with_ontology(B)
    config = identifier_base(store, ServerConfig(base_url="http://localhost:8000/"))
    assert config.base_url == B and config.public_url == "http://localhost:8000/"
    assert identifier_base(store, ServerConfig()) == ServerConfig()
    other = _store_with_ontology("http://localhost:8000/")
    assert identifier_base(other, ServerConfig(base_url="http://localhost:8000/")).base_url == "http://localhost:8000/"
    assert identifier_base(other, ServerConfig()).base_url == "http://localhost:8000/"  # the default follows the data
    assert identifier_base(ox.Store(), ServerConfig(base_url="http://x.org/")).base_url == "http://x.org/"

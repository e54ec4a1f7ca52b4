"""The SPARQL 1.1 Protocol over HTTP against the real server: request forms, datasets, the union default graph,
refusals (update, SERVICE), malformed queries, the service description, content negotiation, CORS."""

from __future__ import annotations

import json
import urllib.parse

import pyoxigraph as ox
import pytest
import rdflib

from gcm_graph.server import ServerConfig

from .test_server_support import G_INFERRED, G_ONTOLOGY, G_REPORT, PROGRAMMES, build_store, running_server

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def store():
    return build_store()


@pytest.fixture(scope="module")
def srv(store):
    with running_server(store, ServerConfig(query_timeout=10, max_rows=300, workers=2)) as running:
        yield running


def count(srv, query: str = COUNT, **params: str) -> int:
    status, _, body = srv.query(query, **params)
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_get_select_json_matches_the_engine(srv, store):
    q = "SELECT ?p ?l WHERE { ?p rdfs:label ?l FILTER(isIRI(?p)) } ORDER BY ?p ?l"  # bnode labels are per result
    status, headers, body = srv.query(q)
    assert status == 200
    assert headers["content-type"].startswith("application/sparql-results+json")
    expected = store.query(q, use_default_graph_as_union=True, prefixes={"rdfs": str(rdflib.RDFS)}) \
        .serialize(format=ox.QueryResultsFormat.JSON)
    assert json.loads(body) == json.loads(expected)


def test_default_graph_is_the_union_of_all_graphs(srv, store):
    assert count(srv) == len(store)


def test_post_form_and_post_sparql_query(srv, store):
    form = urllib.parse.urlencode({"query": COUNT}).encode()
    status, _, body = srv.get("/sparql", {"Content-Type": "application/x-www-form-urlencoded"}, "POST", form)
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == str(len(store))
    status, _, body = srv.get("/sparql", {"Content-Type": "application/sparql-query; charset=utf-8"}, "POST",
                              COUNT.encode())
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == str(len(store))


def test_default_graph_uri_and_named_graph_uri(srv):
    assert count(srv, **{"default-graph-uri": G_INFERRED}) == PROGRAMMES
    # named graphs only: the default graph is empty and GRAPH sees just the named ones
    assert count(srv, **{"named-graph-uri": G_ONTOLOGY}) == 0
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    qs = urllib.parse.urlencode([("query", q), ("named-graph-uri", G_ONTOLOGY), ("named-graph-uri", G_INFERRED)])
    status, _, body = srv.get("/sparql?" + qs)
    assert status == 200
    assert sorted(b["g"]["value"] for b in json.loads(body)["results"]["bindings"]) == [G_INFERRED, G_ONTOLOGY]


def test_from_in_the_query_overrides_the_union(srv):
    assert count(srv, f"SELECT (COUNT(*) AS ?n) FROM <{G_INFERRED}> WHERE {{ ?s ?p ?o }}") == PROGRAMMES
    assert count(srv, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{G_INFERRED}> WHERE {{ ?s ?p ?o }}") == 0


def test_project_prefixes_need_no_declaration(srv):
    assert count(srv, "SELECT (COUNT(*) AS ?n) WHERE { ?p a gcm:Programme }") == PROGRAMMES


@pytest.mark.parametrize("how", ["get-update", "post-form-update", "post-sparql-update", "update-in-query",
                                 "load-in-query", "load-file-in-query"])
def test_updates_are_refused_and_change_nothing(srv, store, how):
    insert = "INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> <urn:x:o> } }"
    before = count(srv)
    if how == "get-update":
        status, _, body = srv.get("/sparql?" + urllib.parse.urlencode({"update": insert}))
    elif how == "post-form-update":
        status, _, body = srv.get("/sparql", {"Content-Type": "application/x-www-form-urlencoded"}, "POST",
                                  urllib.parse.urlencode({"update": insert}).encode())
    elif how == "post-sparql-update":
        status, _, body = srv.get("/sparql", {"Content-Type": "application/sparql-update"}, "POST", insert.encode())
    elif how == "update-in-query":
        status, _, body = srv.query(insert)
    elif how == "load-in-query":
        status, _, body = srv.query("LOAD <http://127.0.0.1:9/data.ttl> INTO GRAPH <urn:x:g>")
    else:
        status, _, body = srv.query("LOAD <file:///etc/passwd>")
    assert status == 403, body
    assert b"read-only" in body
    assert count(srv) == before == len(store)


def test_service_is_refused(srv):
    status, _, body = srv.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert status == 403 and b"SERVICE" in body and b"line 1" in body
    status, _, body = srv.query("SELECT * WHERE { ?s ?p true SERVICE <http://127.0.0.1:9/s> { ?a ?b ?c } }")
    assert status == 403


def test_malformed_query_is_400_with_the_parser_message(srv):
    status, headers, body = srv.query("SELECT * WHERE { ?s ?p }")
    assert status == 400
    assert headers["content-type"].startswith("text/plain")
    assert body.startswith(b"malformed query: error at 1:")
    assert srv.query("   ")[0] == 400
    assert srv.query("PREFIX x: <not an iri> SELECT * {}")[0] == 400


def test_bad_requests(srv):
    assert srv.get("/sparql", {"Content-Type": "text/plain"}, "POST", b"SELECT * {}")[0] == 415
    assert srv.get("/sparql", {}, "POST", b"")[0] == 400  # urllib sends a form type: an empty form, no query
    assert srv.get("/sparql", {"Content-Type": "application/x-www-form-urlencoded"}, "POST", b"x=1")[0] == 400
    two = urllib.parse.urlencode([("query", COUNT), ("query", COUNT)])
    assert srv.get("/sparql?" + two)[0] == 400
    assert srv.query(COUNT, **{"default-graph-uri": "not an iri"})[0] == 400


def test_row_limit_refuses_instead_of_truncating(srv):
    status, _, body = srv.query("SELECT * WHERE { ?s ?p ?o }")
    assert status == 503 and b"more than 300 rows" in body and b"LIMIT" in body
    status, _, body = srv.query("SELECT * WHERE { ?s ?p ?o } LIMIT 300")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 300
    status, _, body = srv.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert status == 503 and b"more than 300 triples" in body


@pytest.mark.parametrize("accept, fmt, expected", [
    ("application/sparql-results+xml", None, "application/sparql-results+xml"),
    ("text/csv", None, "text/csv"),
    ("text/tab-separated-values", None, "text/tab-separated-values"),
    ("application/json", None, "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", None, "application/sparql-results+xml"),
    ("*/*", None, "application/sparql-results+json"),
    ("image/png", None, "application/sparql-results+json"),  # nothing acceptable: the default
    (None, "csv", "text/csv"),
    ("application/sparql-results+xml", "tsv", "text/tab-separated-values"),  # format= wins
    (None, "text/csv", "text/csv"),
])
def test_select_negotiation(srv, accept, fmt, expected):
    params = {"format": fmt} if fmt else {}
    status, headers, _ = srv.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1", accept, **params)
    assert status == 200
    assert headers["content-type"].split(";")[0] == expected
    assert "Accept" in headers["vary"]


@pytest.mark.parametrize("accept, fmt, expected", [
    (None, None, "text/turtle"),
    ("application/ld+json", None, "application/ld+json"),
    ("application/n-triples", None, "application/n-triples"),
    ("application/rdf+xml", None, "application/rdf+xml"),
    (None, "json-ld", "application/ld+json"),
    (None, "xml", "application/rdf+xml"),
])
def test_construct_negotiation(srv, accept, fmt, expected):
    params = {"format": fmt} if fmt else {}
    status, headers, _ = srv.query("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3", accept, **params)
    assert status == 200
    assert headers["content-type"].split(";")[0] == expected


def test_unknown_explicit_format_is_406(srv):
    status, _, body = srv.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1", format="xlsx")
    assert status == 406 and b"xlsx" in body


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser uses ConjunctiveGraph
@pytest.mark.parametrize("accept, rdflib_format", [
    (None, "turtle"), ("application/ld+json", "json-ld"), ("application/n-triples", "nt"),
    ("application/rdf+xml", "xml"),
])
def test_service_description(srv, accept, rdflib_format):
    status, headers, body = srv.get("/sparql", {"Accept": accept} if accept else {})
    assert status == 200
    g = rdflib.Graph().parse(data=body, format=rdflib_format)
    service = g.value(predicate=rdflib.RDF.type, object=SD.Service)
    assert g.value(service, SD.endpoint) == rdflib.URIRef(srv.sparql)
    assert (service, SD.feature, SD.UnionDefaultGraph) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    counts = {str(g.value(n, SD.name)): int(g.value(g.value(n, SD.graph), VOID.triples))
              for n in g.subjects(rdflib.RDF.type, SD.NamedGraph)}
    assert counts[G_INFERRED] == PROGRAMMES
    assert set(counts) == {G_ONTOLOGY, G_REPORT, G_INFERRED}


def test_cors(srv):
    status, headers, _ = srv.query("ASK { ?s ?p ?o }", None)
    status, headers, _ = srv.get("/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}),
                                 {"Origin": "https://example.org"})
    assert status == 200 and headers["access-control-allow-origin"] == "*"
    status, headers, _ = srv.get("/sparql", {"Origin": "https://example.org",
                                             "Access-Control-Request-Method": "POST",
                                             "Access-Control-Request-Headers": "content-type"}, "OPTIONS")
    assert status == 200
    assert "POST" in headers["access-control-allow-methods"]
    assert "content-type" in headers["access-control-allow-headers"].lower()
    form = urllib.parse.urlencode({"query": "ASK {}"}).encode()
    status, headers, _ = srv.get("/sparql", {"Origin": "https://example.org",
                                             "Content-Type": "application/x-www-form-urlencoded"}, "POST", form)
    assert status == 200 and headers["access-control-allow-origin"] == "*"


def test_every_response_is_nosniff(srv):
    for path in ("/sparql", "/nope", "/sparql?query=SELECT"):
        assert srv.get(path)[1]["x-content-type-options"] == "nosniff"

"""Every result format through SPARQLWrapper, the client our users run, against the real server; each answer is
compared with what pyoxigraph gives for the same query on the same data (awkward literal included)."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import to_isomorphic
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from gcm_graph.server import ServerConfig

from .test_server_support import B, TRICKY, build_store, running_server

SELECT = (f"PREFIX gcm: <{B}ontology#> SELECT ?s ?label ?note ?n WHERE {{ "
          "?s rdfs:label ?label . OPTIONAL { ?s gcm:note ?note } OPTIONAL { ?s gcm:beneficiaries ?n } "
          "FILTER(isIRI(?s)) } ORDER BY ?s ?label")
CONSTRUCT = ("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://w3id.org/gcm-graph/graph/mx-2020> { ?s ?p ?o } "
             "FILTER(!isBlank(?s) && !isBlank(?o)) }")


@pytest.fixture(scope="module")
def store():
    return build_store()


@pytest.fixture(scope="module")
def srv(store):
    with running_server(store, ServerConfig(workers=2)) as running:
        yield running


def client(srv, query: str, fmt: str, method: str | None = None) -> SPARQLWrapper:
    sw = SPARQLWrapper(srv.sparql)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if method:
        sw.setMethod(method)
    return sw


def expected_rows(store) -> list[dict[str, str]]:
    """Plain values per row, as in CSV: what every SELECT format must carry."""
    rows = []
    for sol in store.query(SELECT, use_default_graph_as_union=True, prefixes={"rdfs": str(rdflib.RDFS)}):
        rows.append({v: ("" if sol[v] is None else sol[v].value) for v in ("s", "label", "note", "n")})
    return rows


@pytest.mark.parametrize("method", [None, POST])
def test_select_json(srv, store, method):
    result = client(srv, SELECT, JSON, method).query()
    assert result.response.headers["Content-Type"].startswith("application/sparql-results+json")
    data = result.convert()
    assert data["head"]["vars"] == ["s", "label", "note", "n"]
    got = [{v: b.get(v, {}).get("value", "") for v in data["head"]["vars"]} for b in data["results"]["bindings"]]
    assert got == expected_rows(store)
    langs = {b["label"].get("xml:lang") for b in data["results"]["bindings"]}
    assert {"es", "en"} <= langs
    typed = next(b["n"] for b in data["results"]["bindings"] if "n" in b)
    assert typed["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    assert TRICKY in {b["note"]["value"] for b in data["results"]["bindings"] if "note" in b}


def test_select_xml(srv, store):
    doc = client(srv, SELECT, XML).query().convert()
    rows = []
    for result in doc.getElementsByTagName("result"):
        row = {v: "" for v in ("s", "label", "note", "n")}
        for binding in result.getElementsByTagName("binding"):
            node = next(c for c in binding.childNodes if c.nodeType == c.ELEMENT_NODE)
            row[binding.getAttribute("name")] = "".join(t.data for t in node.childNodes)
        rows.append(row)
    assert rows == expected_rows(store)


def test_select_csv(srv, store):
    data = client(srv, SELECT, CSV).query().convert()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows == expected_rows(store)


def test_select_tsv(srv, store):
    data = client(srv, SELECT, TSV).query().convert()
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.TSV)
    rows = [{v.value: ("" if sol[v] is None else sol[v].value) for v in parsed.variables} for sol in parsed]
    assert rows == expected_rows(store)


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_ask(srv, fmt):
    yes = client(srv, "ASK { ?s a gcm:Programme }", fmt).query().convert()
    no = client(srv, "ASK { ?s a gcm:Nothing }", fmt).query().convert()
    if fmt == JSON:
        assert yes["boolean"] is True and no["boolean"] is False
    else:
        assert yes.getElementsByTagName("boolean")[0].firstChild.data == "true"
        assert no.getElementsByTagName("boolean")[0].firstChild.data == "false"


def as_graph(converted: object, rdflib_format: str = "turtle") -> rdflib.Graph:
    """SPARQLWrapper gives RDF/XML and JSON-LD as rdflib graphs, Turtle and N-Triples as bytes."""
    if isinstance(converted, bytes):
        return rdflib.Graph().parse(data=converted, format=rdflib_format)
    graph = rdflib.Graph()
    for triple in converted.triples((None, None, None)):
        graph.add(triple)
    return graph


def expected_graph(store) -> rdflib.Graph:
    nt = ox.serialize(list(store.query(CONSTRUCT)), format=ox.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=nt, format="nt")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser uses ConjunctiveGraph
@pytest.mark.parametrize("fmt, media", [(TURTLE, "text/turtle"), (N3, "text/turtle"), (JSONLD, "application/ld+json"),
                                        (RDFXML, "application/rdf+xml"), (XML, "application/rdf+xml")])
def test_construct(srv, store, fmt, media):
    result = client(srv, CONSTRUCT, fmt).query()
    assert result.response.headers["Content-Type"].split(";")[0] == media
    graph = as_graph(result.convert())
    assert len(graph) == len(expected_graph(store)) > 100
    assert to_isomorphic(graph) == to_isomorphic(expected_graph(store))


def test_construct_ntriples(srv, store):
    sw = client(srv, CONSTRUCT, N3)
    sw.setOnlyConneg(True)
    sw.addCustomHttpHeader("Accept", "application/n-triples")
    result = sw.query()
    assert result.response.headers["Content-Type"] == "application/n-triples"
    graph = as_graph(result.convert(), "nt")
    assert to_isomorphic(graph) == to_isomorphic(expected_graph(store))


def test_describe(srv):
    graph = as_graph(client(srv, f"DESCRIBE <{B}id/report/mx-2020>", TURTLE).query().convert())
    assert (rdflib.URIRef(f"{B}id/report/mx-2020"), rdflib.URIRef(f"{B}ontology#note"), rdflib.Literal(TRICKY)) in graph


def test_turtle_declares_only_the_prefixes_it_uses(srv):
    status, _, body = srv.query(CONSTRUCT, "text/turtle")
    assert status == 200
    head = [line for line in body.decode().splitlines() if line.startswith("@prefix")]
    assert any("prog:" in line for line in head)
    assert not any("wd:" in line or "sh:" in line for line in head)


def test_errors_reach_sparqlwrapper_as_its_exceptions(srv):
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    with pytest.raises(QueryBadFormed) as caught:
        client(srv, "SELECT * WHERE { ?s ?p }", JSON).query()
    assert "error at 1:" in str(caught.value)
    status, _, body = srv.query(SELECT, "application/sparql-results+json")
    assert status == 200 and json.loads(body)["head"]["vars"] == ["s", "label", "note", "n"]

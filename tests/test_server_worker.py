"""The worker's query execution in-process: its counted TSV round trip gives exactly pyoxigraph's own output in
every format, parameters are bound as RDF terms, limits stop the result as it is produced."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from gcm_graph.namespaces import prefixes
from gcm_graph.server.worker import SOLUTION_FORMATS, execute, parse_term

from .test_server_support import B, TRICKY, build_store

PREFIXES = prefixes()
QUERIES = [
    f"SELECT ?s ?note WHERE {{ ?s <{B}ontology#note> ?note }}",
    "SELECT ?s ?l ?n WHERE { ?s rdfs:label ?l OPTIONAL { ?s gcm:beneficiaries ?n } FILTER(isIRI(?s)) } ORDER BY ?s ?l",
    "SELECT * WHERE { } ",
    "SELECT ?x WHERE { ?x a gcm:Nothing }",
    "SELECT ?d WHERE { ?r gcm:published ?d }",
]


@pytest.fixture(scope="module")
def store():
    return build_store()


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("fmt", sorted(SOLUTION_FORMATS))
def test_round_trip_equals_native_serialisation(store, query, fmt):
    header, body = execute(store, {"query": query, "union": True, "format": fmt}, PREFIXES)
    native = store.query(query, use_default_graph_as_union=True, prefixes=PREFIXES) \
        .serialize(format=SOLUTION_FORMATS[fmt])
    assert header["ok"] and header["kind"] == "solutions"
    assert body == native


def test_awkward_literal_survives(store):
    header, body = execute(store, {"query": f"SELECT ?n WHERE {{ ?s <{B}ontology#note> ?n }}", "union": True,
                                   "format": "tsv"}, PREFIXES)
    parsed = list(ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV))
    assert parsed[0]["n"].value == TRICKY


def test_substitutions_bind_typed_terms(store):
    # pyoxigraph only substitutes variables of the projection (SEP-0007 "substitute in scope")
    query = "SELECT ?p ?o ?n WHERE { ?p gcm:objective ?o ; gcm:beneficiaries ?n }"
    header, body = execute(store, {"query": query, "union": True, "format": "csv",
                                   "substitutions": {"o": f"<{B}id/objective/2>"}}, PREFIXES)
    assert header["ok"] and header["rows"] == 3
    header, _ = execute(store, {"query": query, "union": True, "format": "csv",
                                "substitutions": {"n": '"400"^^<http://www.w3.org/2001/XMLSchema#integer>'}},
                        PREFIXES)
    assert header["rows"] == 1
    assert parse_term('"x"@es') == ox.Literal("x", language="es")
    header, _ = execute(store, {"query": query, "substitutions": {"o": "not a term"}}, PREFIXES)
    assert header == {"ok": False, "error": "bad_request", "message": header["message"]}


def test_limits_stop_the_result(store):
    header, _ = execute(store, {"query": "SELECT * WHERE { ?s ?p ?o }", "union": True, "max_rows": 10}, PREFIXES)
    assert header["error"] == "too_many_rows" and "more than 10 rows" in header["message"]
    header, _ = execute(store, {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 10", "union": True, "max_rows": 10},
                        PREFIXES)
    assert header["ok"] and header["rows"] == 10
    header, _ = execute(store, {"query": "CONSTRUCT WHERE { ?s ?p ?o }", "union": True, "max_rows": 10}, PREFIXES)
    assert header["error"] == "too_many_rows" and "more than 10 triples" in header["message"]
    header, _ = execute(store, {"query": "SELECT * WHERE { ?s ?p ?o }", "union": True, "max_bytes": 1000}, PREFIXES)
    assert header["error"] == "too_large"


def test_graph_and_boolean_results(store):
    header, body = execute(store, {"query": "ASK { ?s a gcm:Programme }", "union": True, "format": "xml"}, PREFIXES)
    assert header["kind"] == "boolean" and b"<boolean>true</boolean>" in body
    header, body = execute(store, {"query": "CONSTRUCT WHERE { ?s a gcm:Programme }", "union": True,
                                   "format": "ntriples"}, PREFIXES)
    assert header["kind"] == "graph" and header["rows"] == 60 and body.count(b"\n") == 60
    header, body = execute(store, {"query": "SELECT * WHERE { ?s ?p }"}, PREFIXES)
    assert header["error"] == "syntax" and header["message"].startswith("error at 1:")

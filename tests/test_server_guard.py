"""The query scan that refuses updates and SERVICE before a query reaches the engine.

The differential test is the one that matters: for each tricky spelling, pyoxigraph itself is shown to open a
connection to a loopback listener (so the spelling really is a SERVICE call) and the guard is shown to refuse it.
"""

from __future__ import annotations

import socket
import threading
import time

import pyoxigraph as ox
import pytest

from gcm_graph.namespaces import prefixes
from gcm_graph.server.guard import describe_position, inspect_query, tokenize

PREFIXES = prefixes()


def shape(q: str):
    return inspect_query(q, PREFIXES)


@pytest.mark.parametrize("query, operation, form", [
    ("SELECT * { ?s ?p ?o }", "query", "SELECT"),
    ("select*{?s ?p ?o}", "query", "SELECT"),
    ("PREFIX ex: <http://e/> BASE <http://b/> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "query", "CONSTRUCT"),
    ("# a comment\nASK { ?s ?p ?o }", "query", "ASK"),
    ("DESCRIBE <http://e/x>", "query", "DESCRIBE"),
    ("INSERT DATA { <a:b> <a:b> <a:b> }", "update", None),
    ("PREFIX ex: <http://e/>\nDELETE WHERE { ?s ?p ?o }", "update", None),
    ("LOAD <http://example.org/data.ttl>", "update", None),
    ("load <file:///etc/passwd> INTO GRAPH <http://e/g>", "update", None),
    ("CLEAR ALL", "update", None),
    ("DROP GRAPH <http://e/g>", "update", None),
    ("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "update", None),
    ("INSERTDATA{<a:b><a:b><a:b>}", "update", None),
    ("nonsense", "unknown", None),
])
def test_operation_and_form(query, operation, form):
    s = shape(query)
    assert (s.operation, s.form) == (operation, form)


@pytest.mark.parametrize("query", [
    "SELECT * { SERVICE <http://e/sparql> { ?s ?p ?o } }",
    "SELECT * { service silent <http://e/sparql> { ?s ?p ?o } }",
    "SELECT*{SERVICE<http://e/sparql>{?s ?p ?o}}",
    "SELECT * { VALUES ?e { <http://e/sparql> } SERVICE ?e { ?s ?p ?o } }",
    "SELECT * { ?s ?p trueSERVICE <http://e/sparql> { ?a ?b ?c } }",
    "PREFIX : <http://e/#> SELECT * { ?s ?p trueSERVICE:x { ?a ?b ?c } }",
    "SELECT * { ?s ?p 1SERVICE <http://e/sparql> { ?a ?b ?c } }",
    "SELECT * { ?s <http://e/p#x> ?o SERVICE <http://e/sparql> { ?a ?b ?c } }",  # '#' inside an IRI
    "PREFIX ex: <http://e/> SELECT * { ?s ex:a\\# ?o . SERVICE <http://e/sparql> { ?a ?b ?c } }",  # escaped '#'
    "SELECT * { ?s ?p 'it''s' . SERVICE <http://e/sparql> { ?a ?b ?c } }",
    "SELECT * { ?s ?p '''a''' SERVICE <http://e/sparql> { ?a ?b ?c } }",
    "SELECT * { ?s ?p \"\\\"\" SERVICE <http://e/sparql> { ?a ?b ?c } }",
    "PREFIX ex: <http://e/> SELECT * { ?s ex:a.b.SERVICE <http://e/sparql> {} }",
    "SELECT * { ?s ?p undeclared:SERVICE }",
    "PREFIX service: <http://e/> SELECT * { ?s ?p service:x }",
    "SELECT * { ?s ?p ?o } # comment\nSERVICE",
])
def test_service_is_found(query):
    assert shape(query).uses_service, query


@pytest.mark.parametrize("query", [
    "SELECT * { ?s ?p ?o } # a SERVICE call in a comment is harmless",
    "SELECT * { ?s ?p \"SERVICE <http://e/sparql> { }\" }",
    "SELECT * { ?s ?p '''multi\nline SERVICE'''}",
    "SELECT * { ?s <http://e/service> ?o }",
    "SELECT ?service { ?service ?p ?o }",
    "SELECT $SERVICE { $SERVICE ?p ?o }",
    "SELECT * { ?s schema:serviceType ?o ; a schema:GovernmentService }",
    "PREFIX ex: <http://e/> SELECT * { ?s ex:Service ?o }",
    "SELECT * { ?s ?p ?o FILTER(CONTAINS(STR(?o), \"servicio\")) }",
])
def test_harmless_mentions_are_not_refused(query):
    assert not shape(query).uses_service, query


def test_dataset_clause_detected():
    assert shape("SELECT * FROM <http://e/g> { ?s ?p ?o }").has_dataset_clause
    assert shape("SELECT * FROM NAMED <http://e/g> { GRAPH ?g { ?s ?p ?o } }").has_dataset_clause
    assert not shape("SELECT * { ?s ?p \"FROM <x>\" } # FROM").has_dataset_clause


def test_tokens_cover_the_text_and_position_is_reported():
    text = "PREFIX ex: <http://e/>\nSELECT ?x { ?x ex:p 'a#b' } # end"
    assert "".join(t.text for t in tokenize(text)) == text
    assert describe_position(text, text.index("SELECT")) == "line 2, column 1"


def test_scan_is_linear_on_hostile_input():
    for text in ("a:" + "." * 200_000, '"' + "a" * 200_000, "'''" + "x" * 200_000, "<" * 200_000,
                 "?" * 200_000, "\\" * 200_000, "<a" * 100_000, "a." * 100_000, "'a" * 100_000, "a " * 100_000):
        began = time.perf_counter()
        inspect_query(text, PREFIXES)
        assert time.perf_counter() - began < 2.0


# ---------------------------------------------------------------- differential: what pyoxigraph really does

class Listener:
    """A loopback TCP listener that records connections (a stand-in for a remote SPARQL endpoint)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.hits = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.hits += 1
            conn.close()


@pytest.fixture(scope="module")
def listener():
    lst = Listener()
    yield lst
    lst.sock.close()


def _engine_contacts(store: ox.Store, query: str, listener: Listener) -> bool:
    before = listener.hits
    try:
        result = store.query(query, use_default_graph_as_union=True, prefixes=PREFIXES)
        if not isinstance(result, ox.QueryBoolean):
            list(result)
    except (OSError, RuntimeError, SyntaxError, ValueError):
        pass
    time.sleep(0.05)
    return listener.hits > before


SPELLINGS = [
    "SELECT * {{ ?s ?p ?o SERVICE <{u}> {{ ?a ?b ?c }} }}",
    "SELECT*{{?s ?p ?o SERVICE<{u}>{{?a ?b ?c}}}}",
    "select * {{ ?s ?p ?o service silent <{u}> {{ ?a ?b ?c }} }}",
    "SELECT * {{ ?s ?p trueSERVICE <{u}> {{ ?a ?b ?c }} }}",
    "PREFIX : <{u}#> SELECT * {{ ?s ?p trueSERVICE:x {{ ?a ?b ?c }} }}",
    "SELECT * {{ ?s ?p 1SERVICE <{u}> {{ ?a ?b ?c }} }}",
    "SELECT * {{ ?s ?p <http://e/p#x> SERVICE <{u}> {{ ?a ?b ?c }} }}",
    "PREFIX ex: <http://e/> SELECT * {{ ?s ex:a\\# ?o . SERVICE <{u}> {{ ?a ?b ?c }} }}",
    "SELECT * {{ ?s ?p ?o # comment\nSERVICE <{u}> {{ ?a ?b ?c }} }}",
    "SELECT * {{ ?s ?p 'x' SERVICE <{u}> {{ ?a ?b ?c }} }}",
]


@pytest.mark.parametrize("template", SPELLINGS)
def test_every_spelling_the_engine_would_fetch_is_refused(template, listener):
    store = ox.Store()
    g = ox.NamedNode("http://e/g")
    s, p = ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p")
    for o in (ox.Literal("x"), ox.Literal(True), ox.Literal(1), ox.NamedNode("http://e/p#x"), ox.NamedNode("http://e/a#")):
        store.add(ox.Quad(s, p, o, g))
    store.add(ox.Quad(s, ox.NamedNode("http://e/a#"), s, g))
    query = template.format(u=listener.url)
    assert _engine_contacts(store, query, listener), f"pyoxigraph did not treat this as SERVICE: {query}"
    assert shape(query).uses_service, f"the guard let through a real SERVICE call: {query}"


def test_unicode_escaped_keyword_is_not_a_service_call(listener):
    """The SPARQL spec allows \\u escapes anywhere, but Oxigraph only decodes them in IRIs and strings: an escaped
    keyword is a syntax error, never a SERVICE call. Checked so that a future engine change is noticed."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("x"), ox.NamedNode("http://e/g")))
    query = f"SELECT * {{ ?s ?p ?o \\u0053ERVICE <{listener.url}> {{ ?a ?b ?c }} }}"
    assert not _engine_contacts(store, query, listener)


def test_no_canned_query_is_refused():
    """Our own queries (queries/*.rq) must pass the guard: a false positive here would break the query pages."""
    from gcm_graph import paths

    files = paths.query_files()
    if not files:
        pytest.skip("no canned queries yet")
    for path in files:
        s = shape(path.read_text(encoding="utf-8"))
        assert s.operation == "query" and not s.uses_service, path.name

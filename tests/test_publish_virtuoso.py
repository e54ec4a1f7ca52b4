"""Publishing into a real Virtuoso 7 and querying it back (tests/support/virtuoso.py starts one per session).

Nothing here is skipped: without Virtuoso the fixture fails and says how to install it.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import urllib.error
import urllib.request

import pyoxigraph as ox
import pytest

from gcm_graph import remote
from gcm_graph.errors import GcmError, PublishError, QueryError
from gcm_graph.publish import (default_graph_store, graphs_from_dataset, publish, publish_dist,
                               query_and_update_endpoints)
from tests.support.graphs import graph_iri, ntriples, ontology_triples, report_triples, store_of
from tests.support.virtuoso import running_virtuoso, stopped_virtuoso, virtuoso  # noqa: F401 (fixtures)

A, B, ONTO = graph_iri("test-a"), graph_iri("test-b"), graph_iri("ontology")
QUIET = dict(progress=lambda _m: None)
PREFIXES = """PREFIX gcm: <https://w3id.org/gcm-graph/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def dba(server, **kw):
    return dict(endpoint=server.sparql_auth, user="dba", password="dba", **QUIET) | kw


def count(server, graph: str) -> int:
    rows = remote.query(server.sparql, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return rows.rows[0][0]


def leftover_temporary_graphs(server) -> list:
    rows = remote.query(server.sparql, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                                       "FILTER (CONTAINS(STR(?g), 'publish-tmp')) }")
    return [r[0] for r in rows]


def without_bnodes(rows: remote.Rows) -> list:
    return sorted((r for r in rows if not any(isinstance(v, remote.BNode) for v in r)), key=remote._row_key)


@pytest.fixture(scope="module")
def published(virtuoso):
    """Two report graphs and the ontology graph, published once for the module's read-only tests."""
    graphs = {A: report_triples("test-a", 300), B: report_triples("test-b", 20), ONTO: ontology_triples()}
    report = publish({g: ntriples(ts) for g, ts in graphs.items()}, **dba(virtuoso))
    return report, graphs, store_of(graphs)


def test_publish_reports_counts_and_leaves_no_temporary_graph(virtuoso, published):
    report, graphs, _ = published
    assert [g.graph for g in report.graphs] == [A, B, ONTO]
    for g in report.graphs:
        assert g.triples == len(set(graphs[g.graph])) == count(virtuoso, g.graph)
    assert report.graph_store == virtuoso.graph_store_auth
    assert leftover_temporary_graphs(virtuoso) == []


@pytest.mark.parametrize("graph", [A, B, ONTO])
def test_remote_content_is_exactly_what_was_sent(virtuoso, published, graph):
    _, _, local = published
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    there, here = remote.query(virtuoso.sparql, construct), remote.query_store(local, construct)
    assert len(there) == len(here)
    assert without_bnodes(there) == without_bnodes(here)
    # blank nodes: same structure, whatever the labels
    through = PREFIXES + f"""SELECT ?prog ?value ?unit WHERE {{ GRAPH <{graph}> {{
        ?prog schema:result ?q . ?q a schema:QuantitativeValue ; schema:value ?value ; schema:unitText ?unit }} }}"""
    assert remote.query(virtuoso.sparql, through).sorted() == remote.query_store(local, through).sorted()


CANNED = {
    "per objective": PREFIXES + """SELECT ?objective (COUNT(?p) AS ?programmes) (SUM(?budget) AS ?total)
        (MIN(?started) AS ?first) WHERE { VALUES ?g { <""" + A + "> <" + B + """> } GRAPH ?g { ?p a gcm:Programme ; gcm:objective ?objective ;
        gcm:budget ?budget ; gcm:started ?started } } GROUP BY ?objective ORDER BY ?objective""",
    "single agency": PREFIXES + """SELECT ?objective (SAMPLE(?a) AS ?agency) WHERE { VALUES ?g { <""" + B + """> }
        GRAPH ?g {
        ?p gcm:objective ?objective ; gcm:responsibleAgency ?a } } GROUP BY ?objective
        HAVING (COUNT(DISTINCT ?a) = 1)""",
    "optional, unbound, booleans, languages": PREFIXES + """SELECT ?p ?label ?active ?value WHERE {
        GRAPH <""" + A + """> { ?p a gcm:Programme ; rdfs:label ?label ; gcm:active ?active ;
        gcm:sourceLine ?line . OPTIONAL { ?p schema:result/schema:value ?value } FILTER (?line < 160) } }""",
    "averages": PREFIXES + """SELECT (AVG(?line) AS ?mean) (COUNT(DISTINCT ?a) AS ?agencies) WHERE {
        VALUES ?g { <""" + A + "> <" + B + """> } GRAPH ?g { ?p gcm:sourceLine ?line ; gcm:responsibleAgency ?a } }""",
    "labels in both languages": PREFIXES + """SELECT ?c ?es ?en WHERE { GRAPH <""" + ONTO + """> {
        ?c rdfs:label ?es , ?en FILTER (LANG(?es) = 'es' && LANG(?en) = 'en') } }""",
}


@pytest.mark.parametrize("name", sorted(CANNED))
def test_remote_query_gives_the_same_rows_as_pyoxigraph(virtuoso, published, name):
    _, _, local = published
    there = remote.query(virtuoso.sparql, CANNED[name])
    here = remote.query_store(local, CANNED[name])
    assert there.variables == here.variables
    assert len(there) > 0
    assert there.sorted() == here.sorted()


def test_ask_and_errors_through_remote(virtuoso, published):
    ask = PREFIXES + f"ASK {{ GRAPH <{A}> {{ ?p gcm:sourceLine 100 }} }}"
    assert remote.query(virtuoso.sparql, ask) is True is remote.query_store(published[2], ask)
    with pytest.raises(QueryError, match="SP030"):  # Virtuoso's own message, without the echoed query
        remote.query(virtuoso.sparql, "SELECT nonsense")


def test_publishing_again_replaces_the_graph(virtuoso):
    g = graph_iri("test-replace")
    v1, v2 = report_triples("test-replace", 200, version=1), report_triples("test-replace", 200, version=2)
    publish({g: ntriples(v1)}, **dba(virtuoso))
    report = publish({g: ntriples(v2)}, **dba(virtuoso))
    assert report.graphs[0].triples == count(virtuoso, g) == len(set(v2))
    local = store_of({g: v2})
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"
    assert without_bnodes(remote.query(virtuoso.sparql, construct)) == without_bnodes(remote.query_store(local, construct))
    gone = PREFIXES + f"ASK {{ GRAPH <{g}> {{ ?p gcm:started ?d ; gcm:revision 2 }} }}"  # v2 dropped `started`
    assert remote.query(virtuoso.sparql, gone) is False
    old_label = PREFIXES + f'ASK {{ GRAPH <{g}> {{ ?p rdfs:label ?l FILTER (STRSTARTS(?l, "Programa número 1 ")) }} }}'
    assert remote.query(virtuoso.sparql, old_label) is False
    values = PREFIXES + f"SELECT (COUNT(?q) AS ?n) WHERE {{ GRAPH <{g}> {{ ?q schema:value ?v }} }}"
    assert remote.query(virtuoso.sparql, values).rows[0][0] == 40  # old blank-node quantities are gone
    assert leftover_temporary_graphs(virtuoso) == []


def test_chunked_upload_keeps_blank_nodes_together(virtuoso):
    g = graph_iri("test-chunks")
    triples = report_triples("test-chunks", 400)
    messages = []
    report = publish({g: ntriples(triples)}, **dba(virtuoso, chunk_triples=700, progress=messages.append))
    assert report.graphs[0].chunks == 6 and any("part 6/6" in m for m in messages)
    local = store_of({g: triples})
    through = PREFIXES + f"""SELECT ?prog ?value ?unit WHERE {{ GRAPH <{g}> {{
        ?prog schema:result ?q . ?q schema:value ?value ; schema:unitText ?unit }} }}"""
    assert remote.query(virtuoso.sparql, through).sorted() == remote.query_store(local, through).sorted()
    assert count(virtuoso, g) == len(set(triples))


def test_an_empty_graph_empties_the_target(virtuoso):
    g = graph_iri("test-empty")
    publish({g: ntriples(report_triples("test-empty", 5))}, **dba(virtuoso))
    report = publish({g: b""}, **dba(virtuoso))
    assert report.graphs[0].triples == 0 == count(virtuoso, g)


def test_wrong_password_fails_cleanly_and_changes_nothing(virtuoso, published):
    before = count(virtuoso, A)
    with pytest.raises(PublishError, match="refused the credentials of user 'dba'") as err:
        publish({A: ntriples(report_triples("test-a", 3))}, **dba(virtuoso, password="wrong"))
    assert err.value.exit_code == 2 and isinstance(err.value, GcmError)
    assert count(virtuoso, A) == before


def test_missing_credentials_and_read_only_user_fail_cleanly(virtuoso, published):
    data = {A: ntriples(report_triples("test-a", 3))}
    with pytest.raises(PublishError, match="requires credentials"):
        publish(data, endpoint=virtuoso.sparql_auth, **QUIET)
    with pytest.raises(PublishError, match="does not allow user 'reader'.*SECURITY"):
        publish(data, **dba(virtuoso, user="reader", password="reader"))
    with pytest.raises(PublishError, match="does not allow an anonymous client"):  # the public endpoint
        publish(data, endpoint=virtuoso.sparql, **QUIET)
    assert count(virtuoso, A) == len(set(published[1][A]))


def test_basic_auth(virtuoso):
    challenge = urllib.request.Request(virtuoso.base + "/sparql-basic-auth?query=ASK%7B%7D")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(challenge, timeout=10)
    assert err.value.headers["WWW-Authenticate"].startswith("Basic")
    g = graph_iri("test-basic")
    report = publish({g: ntriples(report_triples("test-basic", 10))}, endpoint=virtuoso.base + "/sparql-basic-auth",
                     graph_store=virtuoso.base + "/sparql-graph-crud-basic-auth", user="dba", password="dba", **QUIET)
    assert report.graphs[0].triples == count(virtuoso, g) > 0


def test_rejected_requests_carry_the_store_message(virtuoso):
    with pytest.raises(PublishError, match=r"failed the Graph Store PUT .*\(HTTP 501\)"):  # Virtuoso: unknown path
        publish({graph_iri("x"): ntriples(ontology_triples())}, graph_store=virtuoso.base + "/no-such-store",
                **dba(virtuoso))
    with pytest.raises(PublishError, match="not valid N-Triples"):
        publish({graph_iri("x"): b"<a> <b> <c> ."}, **dba(virtuoso))
    with pytest.raises(PublishError, match="not an absolute IRI"):
        publish({"not an iri": b""}, **dba(virtuoso))


def test_stopped_server_fails_cleanly(stopped_virtuoso):
    started = time.perf_counter()
    with pytest.raises(PublishError, match=r"unreachable \(connection refused\)") as err:
        publish({A: ntriples(ontology_triples())}, **dba(stopped_virtuoso, retries=2, backoff=0.05))
    assert "after 3 attempt(s)" in str(err.value) and stopped_virtuoso.sparql_auth in str(err.value)
    assert time.perf_counter() - started < 10
    with pytest.raises(QueryError, match="cannot query"):
        remote.query(stopped_virtuoso.sparql, "ASK {}")


def test_retries_until_a_restarting_server_answers(stopped_virtuoso):
    server, messages = stopped_virtuoso, []
    threading.Timer(0.5, server.start).start()
    try:
        report = publish({ONTO: ntriples(ontology_triples())}, endpoint=server.sparql_auth, user="dba",
                         password="dba", retries=6, backoff=0.5, progress=messages.append)
        assert report.graphs[0].attempts > 1
        assert any("retrying" in m for m in messages)
        assert count(server, ONTO) == len(ontology_triples())
    finally:
        deadline = time.monotonic() + 60
        while server.process is None and time.monotonic() < deadline:
            time.sleep(0.1)
        server.stop()


def test_a_server_killed_during_the_swap_keeps_the_old_graph(tmp_path):
    """The swap is one transaction: kill -9 in the middle, restart, and the previous graph is there, whole."""
    g = graph_iri("test-crash")
    # every triple changes, so the swap deletes and adds ~60k triples each way: seconds, time to kill it
    old, new = report_triples("test-crash-old", 6000), report_triples("test-crash-new", 6000)
    with running_virtuoso(tmp_path / "crash") as server:
        publish({g: ntriples(old)}, **dba(server))

        def kill_during_swap(message: str) -> None:
            if "swapping" in message and server.process is not None:
                threading.Timer(0.3, os.kill, (server.process.pid, signal.SIGKILL)).start()

        with pytest.raises(PublishError):
            publish({g: ntriples(new)}, **dba(server, retries=0, progress=kill_during_swap))
        server.process.wait(30)
        server.process = None
        server.start()
        assert count(server, g) == len(set(old))
        new_report = f"ASK {{ GRAPH <{g}> {{ ?p ?r <https://w3id.org/gcm-graph/id/report/test-crash-new> }} }}"
        assert remote.query(server.sparql, new_report) is False


def test_publish_timing_for_50k_triples(virtuoso, record_property, capsys):
    """~50k triples (5,000 programmes): first publish, then a re-publish that changes a tenth of them."""
    g = graph_iri("test-50k")
    v1, v2 = report_triples("test-50k", 5000, 1), report_triples("test-50k", 5000, 2)
    first = publish({g: ntriples(v1)}, **dba(virtuoso))
    again = publish({g: ntriples(v2)}, **dba(virtuoso))
    assert first.graphs[0].triples == len(set(v1)) > 45_000
    assert count(virtuoso, g) == again.graphs[0].triples == len(set(v2))
    for name, rep in (("first", first), ("replace", again)):
        timings = {k: round(v, 2) for k, v in rep.graphs[0].timings.items()}
        record_property(f"publish_50k_{name}", f"{rep.seconds:.2f}s {timings}")
        with capsys.disabled():
            print(f"\n[timing] publish {rep.graphs[0].triples} triples ({name}): {rep.seconds:.2f} s {timings}")


def test_default_graph_store_and_dataset_split():
    assert default_graph_store("http://h:8890/sparql-auth") == "http://h:8890/sparql-graph-crud-auth"
    assert default_graph_store("http://h:8890/sparql") == "http://h:8890/sparql-graph-crud"
    assert default_graph_store("http://h:3030/gcm/sparql") == "http://h:3030/gcm/data"
    assert default_graph_store("http://h:3030/gcm") == "http://h:3030/gcm/data"
    assert default_graph_store("http://h:7878/query") == "http://h:7878/store"
    assert query_and_update_endpoints("http://h:7878/query") == ("http://h:7878/query", "http://h:7878/update")
    assert query_and_update_endpoints("http://h:3030/gcm/update") == ("http://h:3030/gcm/query",
                                                                        "http://h:3030/gcm/update")
    assert query_and_update_endpoints("http://h:3030/gcm/sparql")[1] == "http://h:3030/gcm/update"
    assert query_and_update_endpoints("http://h:8890/sparql-auth") == ("http://h:8890/sparql-auth",) * 2
    assert query_and_update_endpoints("http://h:8890/sparql") == ("http://h:8890/sparql",) * 2
    trig = f"<{A}> {{ <http://ex/a> <http://ex/b> 1 . }}\n<{B}> {{ <http://ex/a> <http://ex/b> 2 . }}".encode()
    split = graphs_from_dataset(trig, ox.RdfFormat.TRIG)
    assert list(split) == [A, B] and b'"2"' in split[B]
    with pytest.raises(PublishError, match="outside any named graph"):
        graphs_from_dataset(b"<http://ex/a> <http://ex/b> <http://ex/c> .\n", ox.RdfFormat.N_QUADS)


@pytest.fixture(scope="module")
def real_published(built_dist, tmp_path_factory):
    """The real build's named graphs, published into a Virtuoso of their own (nothing else in its union graph)."""
    from gcm_graph.outputs import TRIG

    graphs = graphs_from_dataset((built_dist / TRIG).read_bytes(), ox.RdfFormat.TRIG)
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso-real")) as server:
        report = publish_dist(built_dist, **dba(server))
        yield server, graphs, report


def test_the_real_build_publishes_graph_by_graph(real_published, capsys):
    server, graphs, report = real_published
    assert [g.graph for g in report.graphs] == list(graphs)
    assert any(g.endswith("/graph/mx-2020") for g in graphs) and any(g.endswith("/graph/ontology") for g in graphs)
    for g in report.graphs:
        assert g.triples == count(server, g.graph) > 0
    assert leftover_temporary_graphs(server) == []
    with capsys.disabled():
        print(f"\n[timing] real build: {report.summary()}: "
              + ", ".join(f"{g.graph.rsplit('/', 1)[1]} {g.triples} in {g.seconds:.2f} s" for g in report.graphs))


def test_publish_one_report_of_the_build(real_published, built_dist):
    server, graphs, _ = real_published
    report = publish_dist(built_dist, report="mx-2020", **dba(server))
    # The report's graph goes with the shared graphs, so that the remote inferences never go stale.
    base = "https://w3id.org/gcm-graph/graph/"
    assert sorted(g.graph for g in report.graphs) == [base + n for n in ("dataset", "inferred", "mx-2020", "ontology", "reference")]
    for g in report.graphs:
        assert g.triples == count(server, g.graph)
    with pytest.raises(PublishError, match="no graph for report 'zz-1999'"):
        publish_dist(built_dist, report="zz-1999", **dba(server))


def _canned_without_required_params():
    from gcm_graph import api

    out = []
    for q in api.list_queries():
        try:
            out.append((q.name, api.prepare(q.name, {})))
        except QueryError:  # needs a parameter
            continue
    return out


@pytest.mark.parametrize("name,text", _canned_without_required_params(), ids=lambda v: v if "\n" not in v else "")
def test_canned_queries_give_the_same_rows_on_virtuoso_as_embedded(real_published, built_dist, name, text):
    from gcm_graph.remote import RemoteEngine
    from gcm_graph.store import embedded

    server, _, _ = real_published
    there, here = RemoteEngine(server.sparql).run(text), embedded(built_dist).run(text)
    assert there.columns == here.columns
    assert len(there.rows) == len(here.rows)
    assert there.rows == here.rows  # same order too: every canned query has a total ORDER BY


def test_chunks_split_named_triples_but_never_blank_nodes():
    from gcm_graph.publish import canonical_triples, chunked

    triples = canonical_triples("urn:g", ntriples(report_triples("test-split", 400)))
    docs = chunked(triples, 100)  # fewer than the 320 blank-node triples
    parsed = [list(ox.parse(d, format=ox.RdfFormat.N_TRIPLES)) for d in docs]
    has_blank = [any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in p)
                 for p in parsed]
    assert has_blank[0] and not any(has_blank[1:])
    assert len(parsed[0]) == 320 and all(len(p) <= 100 for p in parsed[1:])
    assert sum(map(len, parsed)) == len(triples) == len(set(triples))


def test_cli_publishes_the_real_build_and_queries_it_back(real_published, built_dist):
    """What the README promises: one command publishes dist/ to a Virtuoso, and canned queries run there (a
    Virtuoso of its own: nothing else in its union graph)."""
    import json
    import os
    import subprocess

    from tests.conftest import gcm_graph_exe, run_cli

    virtuoso = real_published[0]
    env_password = {"GCM_GRAPH_PASSWORD": virtuoso.password}  # the password stays out of the process list
    proc = subprocess.run([gcm_graph_exe(), "publish", "--endpoint", virtuoso.sparql_auth, "--user", virtuoso.user,
                           "--dist", str(built_dist)], capture_output=True, text=True, timeout=600,
                          env={**os.environ, **env_password})
    assert proc.returncode == 0, proc.stderr
    assert "mx-2020" in proc.stdout + proc.stderr
    remote = run_cli("query", "objective-coverage", "--endpoint", virtuoso.sparql, "--format", "json",
                     "--dist", str(built_dist))
    local = run_cli("query", "objective-coverage", "--format", "json", "--dist", str(built_dist))
    assert remote.returncode == 0, remote.stderr
    assert json.loads(remote.stdout) == json.loads(local.stdout)
    assert len(json.loads(local.stdout)) == 23

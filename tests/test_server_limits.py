"""Limits against the real server: a runaway query is stopped at the time limit (503) and the server stays
responsive; bodies over the limit get 413; oversize results are refused; 32 concurrent clients all succeed."""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from gcm_graph.server import ServerConfig

from .test_server_support import PROGRAMMES, build_store, running_server, wait_for_full_pool

TIMEOUT = 1.5
# Five-way cross join over ~400 triples: about 10^13 rows. It never finishes; it must be killed.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
FAST = "SELECT (COUNT(*) AS ?n) WHERE { ?p a gcm:Programme }"


@pytest.fixture(scope="module")
def srv():
    config = ServerConfig(query_timeout=TIMEOUT, workers=2, max_body_bytes=16 * 1024, max_result_bytes=200_000)
    with running_server(build_store(), config) as running:
        yield running


@pytest.fixture(autouse=True)
def _full_pool(srv):
    wait_for_full_pool(srv)
    yield


def timed(fn, *args, **kwargs):
    began = time.monotonic()
    out = fn(*args, **kwargs)
    return out, time.monotonic() - began


def fast_ok(srv) -> bool:
    status, _, body = srv.query(FAST)
    return status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == str(PROGRAMMES)


def test_runaway_query_is_stopped_at_the_limit(srv):
    pids_before = {w.proc.pid for w in srv.pool._all}
    (status, headers, body), elapsed = timed(srv.query, RUNAWAY)
    assert status == 503, body
    assert b"timed out" in body and headers.get("retry-after") == "5"
    assert TIMEOUT <= elapsed < TIMEOUT + 1.0, elapsed
    # the worker that ran it is gone (killed, not left burning a CPU) and a fresh one takes its place
    wait_for_full_pool(srv)
    pids_after = {w.proc.pid for w in srv.pool._all}
    killed = pids_before - pids_after
    assert len(killed) == 1
    (pid,) = killed
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_server_answers_others_during_and_right_after_a_timeout(srv):
    results: dict[str, object] = {}
    slow = threading.Thread(target=lambda: results.__setitem__("slow", timed(srv.query, RUNAWAY)))
    slow.start()
    time.sleep(0.3)  # the runaway query is now holding one worker
    during = [timed(fast_ok, srv) for _ in range(5)]
    assert all(ok for ok, _ in during)
    assert max(t for _, t in during) < 1.0
    slow.join()
    (status, _, _), elapsed = results["slow"]
    assert status == 503 and elapsed < TIMEOUT + 1.0
    ok, right_after = timed(fast_ok, srv)  # answered by the other worker while the killed one restarts
    assert ok and right_after < 1.0


def test_overload_waits_up_to_the_limit_then_503(srv):
    """Three runaway queries on two workers: two are stopped at the limit, the third never gets a worker and is
    refused at its deadline; a quick query that arrived meanwhile waits for the first worker freed and succeeds."""
    with ThreadPoolExecutor(4) as pool:
        runaways = [pool.submit(timed, srv.query, RUNAWAY) for _ in range(3)]
        time.sleep(0.3)
        quick = pool.submit(timed, fast_ok, srv)
        outcomes = sorted(f.result()[0][2] for f in runaways)
        ok, waited = quick.result()
    assert [b"no query worker became free" in o for o in outcomes].count(True) == 1
    assert [b"the query was stopped" in o for o in outcomes].count(True) == 2
    assert ok and TIMEOUT - 0.3 <= waited < TIMEOUT + 1.0


def test_large_body_is_413(srv):
    query = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 20_000
    status, _, body = srv.get("/sparql", {"Content-Type": "application/sparql-query"}, "POST", query.encode())
    assert status == 413 and b"too large" in body
    form = urllib.parse.urlencode({"query": query}).encode()
    assert srv.get("/sparql", {"Content-Type": "application/x-www-form-urlencoded"}, "POST", form)[0] == 413


def test_large_chunked_body_without_length_is_413(srv):
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    chunks = (b"# " + b"x" * 4096 + b"\n" for _ in range(10))
    conn.request("POST", "/sparql", body=chunks, headers={"Content-Type": "application/sparql-query"},
                 encode_chunked=True)
    resp = conn.getresponse()
    assert resp.status == 413
    conn.close()


def test_huge_single_row_is_refused_by_size(srv):
    query = 'SELECT (GROUP_CONCAT(?l; separator="-----") AS ?all) WHERE { ?a rdfs:label ?l . ?d ?e ?f }'
    status, _, body = srv.query(query)
    assert status == 503 and b"larger than 200000 bytes" in body


def test_32_concurrent_clients_with_sparqlwrapper(srv):
    """32 threads, each its own SPARQLWrapper, 10 queries each: every answer is 200 and right."""
    errors: list[str] = []
    latencies: list[float] = []

    def client(i: int) -> None:
        sw = SPARQLWrapper(srv.sparql)
        sw.setReturnFormat(JSON)
        for j in range(10):
            obj = (i + j) % 20 + 1
            sw.setQuery(f"SELECT ?p WHERE {{ ?p gcm:objective <https://w3id.org/gcm-graph/id/objective/{obj}> }}")
            began = time.monotonic()
            try:
                rows = sw.queryAndConvert()["results"]["bindings"]
                if len(rows) != 3:
                    errors.append(f"client {i}: {len(rows)} rows for objective {obj}")
            except Exception as exc:  # noqa: BLE001 - collected and reported below
                errors.append(f"client {i}: {exc!r}")
            latencies.append(time.monotonic() - began)

    began = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    wall = time.monotonic() - began
    assert errors == []
    assert len(latencies) == 320
    latencies.sort()
    print(f"\n320 queries from 32 threads in {wall:.2f} s: {320 / wall:.0f} q/s, "
          f"p50 {latencies[160] * 1000:.1f} ms, p99 {latencies[316] * 1000:.1f} ms")


def test_worker_memory_cap_ends_only_that_query():
    """A query that needs more memory than a worker may have ends its worker (503); the pool replaces it."""
    config = ServerConfig(workers=2, worker_memory_mb=200, query_timeout=30)
    with running_server(build_store(), config) as small:
        hog = "SELECT (STRLEN(GROUP_CONCAT(?l)) AS ?n) WHERE { ?a rdfs:label ?l . ?d ?e ?f . ?g ?h ?i }"
        (status, _, body), elapsed = timed(small.query, hog)
        assert status == 503 and b"out of memory" in body, body
        assert elapsed < 30
        assert fast_ok(small)
        wait_for_full_pool(small)
        assert small.pool.stats.deaths == 1

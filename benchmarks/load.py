#!/usr/bin/env python3
"""Load test: requests/second and latency percentiles for one SELECT query at N concurrent keep-alive connections,
for the gcm-graph server and, in the same run over the same data, for the Oxigraph server
(``oxigraph serve-read-only``, Rust, from the ``oxigraph`` PyPI package) and ``rdflib-endpoint`` (PyPI).

Each server runs alone on a loopback port (started and stopped by this script), gets a warm-up, then N
connections send the same GET request back to back until the request count or the time budget is reached.
A response counts as an error unless it is 200 with exactly the body size of the warm-up answer (the query has a
total ORDER BY, so every answer is the same). The load generator is a plain asyncio HTTP/1.1 client in this
process: on a small machine it competes with the server for CPU, which this script reports but cannot remove.

Data: by default a synthetic graph shaped like ours (programmes with objective, agency, partners, populations,
labels, quantities), written once as Turtle; every server loads that same Turtle (ours and Oxigraph into an
on-disk store built offline, rdflib-endpoint into an rdflib Graph). ``--data`` takes any RDF file instead
(its triples are flattened into one graph); pass ``--query`` to match it.

Exit code: 0 when the gcm-graph server answered every request correctly, 1 otherwise, 2 on a set-up error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

SERVERS = ("gcm-graph", "oxigraph", "rdflib-endpoint")
BASE = "https://w3id.org/gcm-graph/"
DEFAULT_QUERY = f"""PREFIX gcm: <{BASE}ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?programme ?label ?agency (COUNT(?partner) AS ?partners)
WHERE {{
  ?programme gcm:objective <{BASE}id/objective/7> ; rdfs:label ?label ; gcm:responsible ?agency .
  OPTIONAL {{ ?programme gcm:partner ?partner }}
  FILTER(LANG(?label) = "es")
}}
GROUP BY ?programme ?label ?agency
ORDER BY ?programme ?agency"""
GENERIC_QUERY = "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n) STR(?type)"
ACCEPT = "application/sparql-results+json"


# ------------------------------------------------------------------------------------------------------ data

def synthetic_turtle(programmes: int) -> str:
    """A deterministic graph shaped like the compendium: 23 objectives, ~40 agencies, 30 partner organisations."""
    out = [f"@prefix gcm: <{BASE}ontology#> .", "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
           "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .", ""]
    for n in range(1, 24):
        out.append(f'<{BASE}id/objective/{n}> a gcm:Objective ; rdfs:label "Objetivo {n}"@es, "Objective {n}"@en .')
    for a in range(40):
        out.append(f'<{BASE}id/org/mx/a{a}> a gcm:Agency ; rdfs:label "Agencia {a}"@es .')
    for o in range(30):
        out.append(f'<{BASE}id/org/io{o}> a gcm:Organisation ; rdfs:label "Organisation {o}"@en .')
    for i in range(programmes):
        obj, prog = i % 23 + 1, f"<{BASE}id/programme/mx-2020/{i % 23 + 1}-{i // 23 + 1}>"
        partners = " , ".join(f"<{BASE}id/org/io{(i * 7 + k) % 30}>" for k in range(i % 3))
        out.append(f'{prog} a gcm:Programme ; gcm:objective <{BASE}id/objective/{obj}> ; '
                   f'gcm:responsible <{BASE}id/org/mx/a{(i * 13) % 40}> ; '
                   f'rdfs:label "Programa {i}"@es, "Programme {i}"@en ; '
                   f'gcm:population <{BASE}id/population/p{i % 12}> ; '
                   f'gcm:beneficiaries "{(i * 37) % 5000}"^^xsd:integer'
                   + (f" ; gcm:partner {partners}" if partners else "") + " .")
    return "\n".join(out) + "\n"


def flatten_to_turtle(source: Path, target: Path) -> None:
    """Any RDF file → N-Triples (a subset of Turtle) holding the union of its graphs."""
    import pyoxigraph as ox

    fmt = ox.RdfFormat.from_extension(source.suffix.lstrip("."))
    triples = {q.triple for q in ox.parse(path=str(source), format=fmt)}
    target.write_bytes(ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES))


# ------------------------------------------------------------------------------------------------------ servers

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Started:
    name: str
    proc: subprocess.Popen
    url: str  # the SPARQL endpoint URL


def oxigraph_binary(explicit: str | None) -> str | None:
    if explicit:
        return explicit
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def start_server(name: str, turtle: Path, work: Path, args: argparse.Namespace) -> Started:
    port = free_port()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE}
    if name == "gcm-graph":
        store = work / "gcm-store"
        if not store.exists():
            import pyoxigraph as ox

            s = ox.Store(str(store))
            s.bulk_load(path=str(turtle), format=ox.RdfFormat.TURTLE)
            s.flush()
            del s
        code = ("import sys; from gcm_graph.server import serve; "
                f"serve(sys.argv[1], port={port}, workers={args.workers or 'None'}, log_level='warning', "
                "access_log=False)")
        proc = subprocess.Popen([sys.executable, "-c", code, str(store)], **quiet)
        return Started(name, proc, f"http://127.0.0.1:{port}/sparql")
    if name == "oxigraph":
        exe = oxigraph_binary(args.oxigraph)
        if exe is None:
            raise RuntimeError("the oxigraph server binary was not found (pip install oxigraph, or --oxigraph PATH)")
        store = work / "oxigraph-store"
        if not store.exists():
            subprocess.run([exe, "load", "--location", str(store), "--file", str(turtle)], check=True,
                           capture_output=True)
        proc = subprocess.Popen([exe, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}"],
                                **quiet)
        return Started(name, proc, f"http://127.0.0.1:{port}/query")
    if name == "rdflib-endpoint":
        code = ("import sys, uvicorn; from rdflib import Graph; from rdflib_endpoint import SparqlEndpoint; "
                "g = Graph(); g.parse(sys.argv[1], format='turtle'); "
                f"uvicorn.run(SparqlEndpoint(graph=g), host='127.0.0.1', port={port}, log_level='warning', "
                "access_log=False)")
        proc = subprocess.Popen([sys.executable, "-c", code, str(turtle)], **quiet)
        return Started(name, proc, f"http://127.0.0.1:{port}/")
    raise ValueError(name)


def fetch(url: str, query: str, timeout: float = 60) -> bytes:
    req = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": ACCEPT})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.read()


def wait_ready(server: Started, query: str, timeout: float = 120) -> bytes:
    deadline = time.monotonic() + timeout
    while True:
        if server.proc.poll() is not None:
            err = server.proc.stderr.read().decode(errors="replace") if server.proc.stderr else ""
            raise RuntimeError(f"{server.name} exited during start-up: {err.strip()[-500:]}")
        try:
            return fetch(server.url, query)
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{server.name} did not answer within {timeout:.0f} s") from None
            time.sleep(0.2)


def stop_server(server: Started) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(20)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait()


# ------------------------------------------------------------------------------------------------------ client

async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool, bytes]:
    """(status, keep-alive, body) of one HTTP/1.1 response."""
    status_line = await reader.readuntil(b"\r\n")
    status = int(status_line.split(b" ", 2)[1])
    length, chunked, keep = None, False, True
    while (line := await reader.readuntil(b"\r\n")) != b"\r\n":
        key, _, value = line.decode("latin-1").partition(":")
        key, value = key.strip().lower(), value.strip().lower()
        if key == "content-length":
            length = int(value)
        elif key == "transfer-encoding" and "chunked" in value:
            chunked = True
        elif key == "connection" and value == "close":
            keep = False
    if chunked:
        parts = []
        while (size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)) > 0:
            parts.append(await reader.readexactly(size))
            await reader.readexactly(2)
        while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers
            pass
        return status, keep, b"".join(parts)
    if length is not None:
        return status, keep, await reader.readexactly(length)
    return status, False, await reader.read()


@dataclass
class Result:
    server: str
    requests: int
    errors: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float


async def load(url: str, query: str, expected_size: int, concurrency: int, max_requests: int,
               duration: float) -> tuple[list[float], int, float]:
    parsed = urllib.parse.urlsplit(url)
    target = (parsed.path or "/") + "?" + urllib.parse.urlencode({"query": query})
    request = (f"GET {target} HTTP/1.1\r\nHost: {parsed.netloc}\r\nAccept: {ACCEPT}\r\n"
               "User-Agent: gcm-graph-load\r\n\r\n").encode()
    latencies: list[float] = []
    errors = 0
    remaining = max_requests
    began = time.perf_counter()
    deadline = began + duration

    async def connection() -> None:
        nonlocal remaining, errors
        reader = writer = None
        while remaining > 0 and time.perf_counter() < deadline:
            remaining -= 1
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(parsed.hostname, parsed.port)
                t0 = time.perf_counter()
                writer.write(request)
                status, keep, body = await read_response(reader)
                latencies.append(time.perf_counter() - t0)
                if status != 200 or len(body) != expected_size:
                    errors += 1
                if not keep:
                    writer.close()
                    writer = None
            except (OSError, asyncio.IncompleteReadError, ValueError):
                errors += 1
                if writer is not None:
                    writer.close()
                writer = None
        if writer is not None:
            writer.close()

    await asyncio.gather(*(connection() for _ in range(concurrency)))
    return latencies, errors, time.perf_counter() - began


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(round(p / 100 * (len(sorted_values) - 1))))]


def measure(server: Started, query: str, args: argparse.Namespace) -> Result:
    sample = wait_ready(server, query)
    for _ in range(args.warmup):
        fetch(server.url, query)
    latencies, errors, seconds = asyncio.run(load(server.url, query, len(sample), args.concurrency, args.requests,
                                                  args.duration))
    latencies.sort()
    ms = [x * 1000 for x in latencies]
    return Result(server.name, len(latencies), errors, seconds, len(latencies) / seconds if seconds else 0.0,
                  percentile(ms, 50), percentile(ms, 90), percentile(ms, 99), ms[-1] if ms else float("nan"))


def table(results: list[Result]) -> str:
    ours = next((r for r in results if r.server == "gcm-graph"), None)
    head = f"{'server':<16}{'requests':>9}{'errors':>8}{'req/s':>10}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}" \
           f"{'max ms':>9}{'req/s ÷ ours':>14}{'p99 ÷ ours':>12}"
    lines = [head, "-" * len(head)]
    for r in results:
        rps_ratio = f"{r.rps / ours.rps:.2f}×" if ours and ours.rps else "-"
        p99_ratio = f"{r.p99_ms / ours.p99_ms:.2f}×" if ours and ours.p99_ms else "-"
        lines.append(f"{r.server:<16}{r.requests:>9}{r.errors:>8}{r.rps:>10.0f}{r.p50_ms:>9.1f}{r.p90_ms:>9.1f}"
                     f"{r.p99_ms:>9.1f}{r.max_ms:>9.1f}{rps_ratio:>14}{p99_ratio:>12}")
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        description="Measure requests/second and p50/p90/p99 latency for one SELECT query at N concurrent "
                    "connections, for the gcm-graph server and, over the same data in the same run, for "
                    "'oxigraph serve-read-only' and rdflib-endpoint. Loopback only; bounded by --requests and "
                    "--duration per server.",
        epilog="Example: python benchmarks/load.py --programmes 2000 --concurrency 32 --duration 10")
    p.add_argument("--concurrency", type=int, default=32, help="concurrent keep-alive connections (default: 32)")
    p.add_argument("--requests", type=int, default=20_000, help="at most this many requests per server (default: "
                                                                "%(default)s)")
    p.add_argument("--duration", type=float, default=10.0, help="at most this many seconds of load per server "
                                                                "(default: %(default)s)")
    p.add_argument("--warmup", type=int, default=20, help="requests sent one by one before measuring (default: 20)")
    p.add_argument("--programmes", type=int, default=2000, help="size of the synthetic graph (default: 2000)")
    p.add_argument("--data", type=Path, help="serve this RDF file instead of the synthetic graph")
    p.add_argument("--query", help="the SELECT query (default: programmes of objective 7 with agency and partner "
                                   "count; with --data, types by instance count)")
    p.add_argument("--query-file", type=Path, help="read the SELECT query from this file (e.g. queries/NAME.rq)")
    p.add_argument("--servers", default=",".join(SERVERS), help="comma-separated subset of: " + ", ".join(SERVERS))
    p.add_argument("--workers", type=int, help="query workers of the gcm-graph server (default: its own)")
    p.add_argument("--oxigraph", help="path of the oxigraph server binary (default: beside python, or on PATH)")
    p.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    names = [n.strip() for n in args.servers.split(",") if n.strip()]
    unknown = set(names) - set(SERVERS)
    if unknown:
        print(f"load.py: unknown server(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    if args.query_file:
        args.query = args.query_file.read_text(encoding="utf-8")
    query = args.query or (GENERIC_QUERY if args.data else DEFAULT_QUERY)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="gcm-graph-load-") as tmp:
        work = Path(tmp)
        turtle = work / "data.ttl"
        if args.data:
            flatten_to_turtle(args.data, turtle)
        else:
            turtle.write_text(synthetic_turtle(args.programmes), encoding="utf-8")
        import pyoxigraph as ox

        triples = sum(1 for _ in ox.parse(path=str(turtle), format=ox.RdfFormat.TURTLE))
        print(f"data: {args.data or f'synthetic, {args.programmes} programmes'}: {triples} triples "
              f"({turtle.stat().st_size} bytes of Turtle); {os.cpu_count()} CPUs shared by the server under test "
              "and the load generator")
        print(f"load: {args.concurrency} connections, up to {args.requests} requests or {args.duration:g} s per "
              "server, HTTP/1.1 keep-alive GET, Accept: " + ACCEPT)
        print("query:\n  " + query.replace("\n", "\n  "))
        answers: dict[str, int] = {}
        for name in names:
            try:
                server = start_server(name, turtle, work, args)
            except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
                print(f"{name}: not measured: {exc}", file=sys.stderr)
                continue
            try:
                rows = len(json.loads(wait_ready(server, query))["results"]["bindings"])
                answers[name] = rows
                print(f"{name}: ready at {server.url}, {rows} result rows; measuring…", flush=True)
                results.append(measure(server, query, args))
            except (RuntimeError, OSError, ValueError, KeyError) as exc:
                print(f"{name}: not measured: {exc}", file=sys.stderr)
            finally:
                stop_server(server)
    if len(set(answers.values())) > 1:
        print(f"warning: the servers disagree on the number of rows: {answers}", file=sys.stderr)
    print()
    print(table(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"query": query, "concurrency": args.concurrency, "cpus": os.cpu_count(),
                                         "rows": answers, "results": [asdict(r) for r in results]}, indent=2))
    ours = next((r for r in results if r.server == "gcm-graph"), None)
    return 0 if ours is not None and ours.errors == 0 and ours.requests > 0 else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Every canned query on the real graph: pyoxigraph against rdflib's SPARQL engine, in the same process.

Each query runs with the parameters of its ``#+ example:`` header line (none when it has none), through the same
engines ``gcm-graph query`` uses (:class:`gcm_graph.store.OxigraphEngine` over the persisted ``dist/store``, and
:class:`gcm_graph.store.RdflibEngine` over ``dist/gcm-graph.trig``), so a time covers query parsing, evaluation and
turning every row into plain values. After one warm-up run, pyoxigraph runs ``--repeat`` times and rdflib
``--rdflib-repeat`` times; the table gives wall-clock medians, pyoxigraph's fastest run and its median CPU time
(which the load of other processes on a shared machine does not inflate), and the ratio of wall-clock medians. With
``--memory`` the same queries also run on an in-memory pyoxigraph store holding the same quads (what a long-running
server could keep), and ``--json FILE`` writes every measurement.

Targets (issue 5): every median at most 10 ms on pyoxigraph and at least 20x faster than rdflib; misses are marked.
Timings on a shared machine vary from run to run: compare medians of the same run, and re-run before concluding.

    python benchmarks/queries.py [--dist dist] [--repeat 25] [--rdflib-repeat 3] [--memory] [--json FILE] [NAME ...]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from gcm_graph import paths
from gcm_graph.queries import CannedQuery, bind, load_all, parse_header, render
from gcm_graph.store import OxigraphEngine, RdflibEngine, open_store

TARGET_MS = 10.0
TARGET_RATIO = 20.0


def example_params(query: CannedQuery) -> dict[str, str]:
    """The parameters of the query's ``#+ example: k=v; k=v`` header line."""
    spec = parse_header(query.text, query.path).get("example", "")
    return dict(part.strip().split("=", 1) for part in spec.split(";") if part.strip())


def timed(engine, text: str, runs: int) -> tuple[list[float], list[float], int]:
    """Wall-clock and CPU (this thread) milliseconds of each run, and the number of rows."""
    engine.run(text)  # warm-up: caches, lazy imports
    wall, cpu, rows = [], [], 0
    for _ in range(runs):
        c0, t0 = time.thread_time(), time.perf_counter()
        result = engine.run(text)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
        rows = len(result.rows)
    return wall, cpu, rows


def summary(wall: list[float], cpu: list[float]) -> dict:
    return {"median_ms": statistics.median(wall), "min_ms": min(wall), "cpu_median_ms": statistics.median(cpu),
            "runs_ms": wall, "cpu_runs_ms": cpu}


def in_memory(store: ox.Store) -> ox.Store:
    memory = ox.Store()
    memory.bulk_load(store.dump(format=ox.RdfFormat.N_QUADS), ox.RdfFormat.N_QUADS)
    return memory


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help="only these queries (default: every canned query)")
    ap.add_argument("--dist", default=str(paths.DEFAULT_DIST), help="built output folder (default: dist)")
    ap.add_argument("--repeat", type=int, default=25, help="timed pyoxigraph runs per query (default 25)")
    ap.add_argument("--rdflib-repeat", type=int, default=3, help="timed rdflib runs per query (default 3)")
    ap.add_argument("--memory", action="store_true", help="also time an in-memory pyoxigraph store")
    ap.add_argument("--json", metavar="FILE", help="write every measurement to FILE")
    args = ap.parse_args(argv)

    dist = Path(args.dist)
    t0 = time.perf_counter()
    store = open_store(dist)
    engines = {"pyoxigraph": OxigraphEngine(store)}
    open_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    reference = RdflibEngine.from_dist(dist)
    rdflib_load_ms = (time.perf_counter() - t0) * 1000
    if args.memory:
        engines["pyoxigraph-memory"] = OxigraphEngine(in_memory(store))

    queries = [q for q in load_all() if not args.names or q.name in args.names]
    unknown = set(args.names) - {q.name for q in queries}
    if unknown:
        print(f"unknown queries: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2

    results = []
    for q in queries:
        params = example_params(q)
        text = render(q, bind(q, params))
        entry = {"query": q.name, "params": params}
        for name, engine in engines.items():
            wall, cpu, rows = timed(engine, text, args.repeat)
            entry[name] = summary(wall, cpu)
            entry["rows"] = rows
        wall, cpu, rows = timed(reference, text, args.rdflib_repeat)
        if rows != entry["rows"]:
            print(f"warning: {q.name}: rdflib gave {rows} rows, pyoxigraph {entry['rows']}", file=sys.stderr)
        entry["rdflib"] = summary(wall, cpu)
        entry["ratio"] = entry["rdflib"]["median_ms"] / entry["pyoxigraph"]["median_ms"]
        entry["meets_time"] = entry["pyoxigraph"]["median_ms"] <= TARGET_MS
        entry["meets_ratio"] = entry["ratio"] >= TARGET_RATIO
        results.append(entry)
        print(f"  {q.name}: {entry['pyoxigraph']['median_ms']:.2f} ms", file=sys.stderr)

    memory = args.memory
    head = ["query", "rows", "pyoxigraph median ms", "min ms", "CPU median ms"] + (
        ["in-memory median ms"] if memory else []) + ["rdflib median ms", "ratio", "targets"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["---:"] * (len(head) - 2) + ["---"]) + "|"]
    for e in results:
        misses = [m for m, ok in (("> 10 ms", e["meets_time"]), ("< 20x", e["meets_ratio"])) if not ok]
        cells = [e["query"] + (f" ({', '.join(f'{k}={v}' for k, v in e['params'].items())})" if e["params"] else ""),
                 str(e["rows"]), f"{e['pyoxigraph']['median_ms']:.2f}", f"{e['pyoxigraph']['min_ms']:.2f}",
                 f"{e['pyoxigraph']['cpu_median_ms']:.2f}"]
        if memory:
            cells.append(f"{e['pyoxigraph-memory']['median_ms']:.2f}")
        cells += [f"{e['rdflib']['median_ms']:.0f}", f"{e['ratio']:.0f}x", "MISS " + ", ".join(misses) if misses else "ok"]
        lines.append("| " + " | ".join(cells) + " |")
    met = sum(1 for e in results if e["meets_time"] and e["meets_ratio"])
    print("\n".join(lines))
    print(f"\n{met}/{len(results)} queries meet both targets (median <= {TARGET_MS:g} ms on pyoxigraph, >= "
          f"{TARGET_RATIO:g}x rdflib). Store opened in {open_ms:.0f} ms, TriG parsed by rdflib in {rdflib_load_ms:.0f} ms; "
          f"{args.repeat} pyoxigraph and {args.rdflib_repeat} rdflib runs per query after one warm-up; "
          f"pyoxigraph {ox.__version__ if hasattr(ox, '__version__') else '?'}, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end (CPU ms = this thread's CPU time, "
          f"which other processes' load does not inflate).")
    if args.json:
        Path(args.json).write_text(json.dumps({"dist": str(dist), "targets": {"median_ms": TARGET_MS,
                                                                             "ratio": TARGET_RATIO},
                                               "results": results}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The enrich stage alone: :func:`gcm_graph.pipeline.enrich_reports` on the real document, and on a corpus folder.

Each run is a fresh Python process (the stage's caches start empty, as in ``gcm-graph build``) that parses the
sources and reads the agency registers untimed, then times one ``enrich_reports`` call: wall and CPU time (user +
system). The table gives, per corpus, the fastest and the median of ``--repeat`` runs and the time per programme
entry, and a digest of the results (SHA-256 of their ``repr``: the same digest, the same results).

``--code DIR`` times another checkout of the project the same way, in the same run, interleaved with this one (so
that a change in the machine's load hits both alike), to compare two versions; e.g. the version before a change:
``git archive <commit> | tar -x -C /tmp/before`` and ``--code /tmp/before``.

    python benchmarks/enrich.py [--repeat 3] [--no-real] [--sources DIR [--reference DIR]] [--code DIR] [--json FILE]

The 10x synthetic corpus of ``benchmarks/run``: ``--sources benchmarks/out/work/10x/corpus/source
--reference benchmarks/out/work/10x/corpus/reference``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def worker(code: Path, sources: Path | None, reference: Path | None) -> dict:
    """One timed run, in this process (called in a fresh one): parse untimed, enrich timed."""
    sys.path.insert(0, str(code))
    from gcm_graph import paths, pipeline

    if reference is not None:
        from gcm_graph.rdf.reference import add_countries

        add_countries(reference / "countries.csv")
    reports = pipeline.parse_sources(sources or paths.SOURCES_DIR)
    registers = pipeline.registers_for(reports, reference)
    wall, cpu = time.perf_counter(), time.process_time()
    enriched = pipeline.enrich_reports(reports, registers)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    digest = hashlib.sha256()
    for slug in sorted(enriched):
        digest.update(repr((slug, enriched[slug].entries, enriched[slug].acronyms)).encode("utf-8"))
    return {"wall_s": wall, "cpu_s": cpu, "entries": sum(len(e.entries) for e in enriched.values()),
            "reports": len(enriched), "digest": digest.hexdigest()[:16]}


def run_once(code: Path, sources: Path | None, reference: Path | None) -> dict:
    cmd = [sys.executable, __file__, "--worker", "--code", str(code)]
    if sources is not None:
        cmd += ["--sources", str(sources)]
    if reference is not None:
        cmd += ["--reference", str(reference)]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=code, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"enrich run failed ({code}):\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs per corpus and version (default 3)")
    ap.add_argument("--sources", type=Path, help="a corpus folder of sources (besides the real document)")
    ap.add_argument("--reference", type=Path, help="its extra registers: agencies-<cc>.csv, countries.csv")
    ap.add_argument("--no-real", action="store_true", help="skip the real document")
    ap.add_argument("--code", type=Path, help="another checkout of the project to time alongside this one")
    ap.add_argument("--json", type=Path, help="write the runs and the summary here")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    resolve = (lambda p: p.resolve() if p is not None else None)
    sources, reference = resolve(args.sources), resolve(args.reference)
    if args.worker:
        print(json.dumps(worker(resolve(args.code) or ROOT, sources, reference)))
        return 0

    corpora: list[tuple[str, Path | None, Path | None]] = [] if args.no_real else [("real", None, None)]
    if sources is not None:
        named = sources.parent if sources.name == "source" else sources  # …/10x/corpus/source: "10x"
        corpora.append((named.parent.name if named.name == "corpus" else named.name, sources, reference))
    if not corpora:
        ap.error("nothing to time: give --sources or drop --no-real")
    versions = [("this", ROOT)] + ([("other", resolve(args.code))] if args.code else [])
    runs: dict[str, dict[str, list[dict]]] = {}
    for name, src, ref in corpora:
        for _ in range(args.repeat):
            for version, code in versions:  # interleaved
                r = run_once(code, src, ref)
                runs.setdefault(name, {}).setdefault(version, []).append(r)
                print(f"  {name:>8} {version:<5} wall {r['wall_s']:.3f} s  cpu {r['cpu_s']:.3f} s", file=sys.stderr)

    summary: dict[str, dict] = {}
    print("| corpus | version | entries | best wall s | median wall s | median CPU s | ms / entry (best wall) "
          "| digest |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for name, by_version in runs.items():
        for version, rs in by_version.items():
            walls, cpus = [r["wall_s"] for r in rs], [r["cpu_s"] for r in rs]
            entries = rs[0]["entries"]
            digests = sorted({r["digest"] for r in rs})
            s = summary.setdefault(name, {})[version] = {
                "entries": entries, "best_wall_s": min(walls), "median_wall_s": statistics.median(walls),
                "median_cpu_s": statistics.median(cpus), "ms_per_entry": 1000 * min(walls) / entries,
                "digest": ",".join(digests)}
            print(f"| {name} | {version} | {entries} | {s['best_wall_s']:.3f} | {s['median_wall_s']:.3f} | "
                  f"{s['median_cpu_s']:.3f} | {s['ms_per_entry']:.3f} | {s['digest']} |")
        if "other" in by_version:
            this, other = summary[name]["this"], summary[name]["other"]
            same = "same results" if this["digest"] == other["digest"] else "RESULTS DIFFER"
            print(f"\n{name}: other / this = {other['best_wall_s'] / this['best_wall_s']:.1f}x (best wall), "
                  f"{other['median_cpu_s'] / this['median_cpu_s']:.1f}x (median CPU); {same}\n")
    if args.json:
        args.json.write_text(json.dumps({"runs": runs, "summary": summary}, indent=2) + "\n", encoding="utf-8")
    differ = any(len({v["digest"] for v in s.values()}) > 1 for s in summary.values())
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())

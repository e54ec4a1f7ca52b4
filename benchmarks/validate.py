#!/usr/bin/env python3
"""SHACL validation of a built graph: the native engine (gcm_graph.shacl, shapes compiled to SPARQL run in
pyoxigraph) against pySHACL, the reference, in the same process, results compared.

The file (TriG or N-Quads; default ``dist/gcm-graph.trig``) is loaded once into a pyoxigraph store (timed, as
"load"); pySHACL gets the union of the store's graphs as an rdflib graph (made untimed, so both see the same terms).
Then, interleaved ``--repeat`` times (a change in the machine's load hits all alike):

* ``native``: :func:`gcm_graph.validate.native_problems` on the store (every shape, results as problems with their
  source lines);
* ``pyshacl``: :func:`gcm_graph.validate.shacl_problems`, pySHACL with ``inference='none'`` as the project runs it
  (the reference of the equivalence tests);
* ``pyshacl-defaults``: ``pyshacl.validate(graph, shacl_graph=shapes)`` with the library's default settings (its
  results are compared too).

Prints wall-time medians and the ratios pySHACL / native, and whether every engine's problems equal the native ones
as sets of (severity, focus, path, value, source, message). Exit code 1 when they differ.

    python benchmarks/validate.py [FILE] [--repeat 3] [--pyshacl-repeat 1] [--no-pyshacl] [--no-defaults]
                                  [--json OUT]

At 10x: ``python benchmarks/validate.py benchmarks/out/work/10x/dist/gcm-graph.trig`` (pySHACL takes minutes).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FORMATS = {".trig": "TRIG", ".nq": "N_QUADS", ".nt": "N_TRIPLES", ".ttl": "TURTLE"}


def key(problems) -> set[tuple]:
    return {(p.severity, p.focus, p.path, p.value, p.source, p.message) for p in problems}


def defaults_problems(graph, shapes):
    """pySHACL with the library's defaults, its report read as :func:`gcm_graph.validate.shacl_problems` reads it."""
    import pyshacl
    from rdflib import URIRef
    from rdflib.namespace import RDF

    from gcm_graph.namespaces import SH
    from gcm_graph.shacl import path_text
    from gcm_graph.validate import Problem

    _conforms, results, _ = pyshacl.validate(graph, shacl_graph=shapes)
    out = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        shape = results.value(r, SH.sourceShape)
        value = results.value(r, SH.value)
        out.append(Problem(str(results.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
                           str(results.value(r, SH.focusNode)), str(results.value(r, SH.resultMessage)),
                           path_text(results, results.value(r, SH.resultPath)), None if value is None else str(value),
                           str(shape) if isinstance(shape, URIRef) else str(results.value(r, SH.sourceConstraintComponent))))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", nargs="?", default=str(ROOT / "dist" / "gcm-graph.trig"))
    ap.add_argument("--repeat", type=int, default=3, help="runs of the native engine (default 3)")
    ap.add_argument("--pyshacl-repeat", type=int, default=1, help="runs of each pySHACL setting (default 1)")
    ap.add_argument("--no-pyshacl", action="store_true", help="time the native engine only")
    ap.add_argument("--no-defaults", action="store_true", help="skip pySHACL with its default settings")
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args(argv)

    import pyoxigraph as ox

    from gcm_graph import validate as V

    path = Path(args.file)
    if not path.exists():
        print(f"{path}: not found (build it with 'gcm-graph build --out DIR')", file=sys.stderr)
        return 2
    shapes = V.load_shapes()
    t = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(path), format=getattr(ox.RdfFormat, FORMATS.get(path.suffix, "TRIG")))
    load = time.perf_counter() - t
    triples = V._triples(store)
    graph = None if args.no_pyshacl else V._store_graph(store)

    engines = {"native": (lambda: V.native_problems(store, shapes)[0], args.repeat)}
    if not args.no_pyshacl:
        engines["pyshacl"] = (lambda: V.shacl_problems(graph, shapes, store)[0], args.pyshacl_repeat)
        if not args.no_defaults:
            engines["pyshacl-defaults"] = (lambda: defaults_problems(graph, shapes), args.pyshacl_repeat)
    times: dict[str, list[float]] = {name: [] for name in engines}
    found: dict[str, set] = {}
    for i in range(max(n for _, n in engines.values())):
        for name, (run, n) in engines.items():
            if i >= n:
                continue
            t = time.perf_counter()
            problems = run()
            times[name].append(time.perf_counter() - t)
            found.setdefault(name, key(problems))

    native = statistics.median(times["native"])
    print(f"{path}: {triples} triples (store load {load:.2f} s); {len(found['native'])} distinct problems")
    print(f"{'engine':<18}{'median s':>10}{'min s':>10}{'runs':>6}{'x native':>10}  same results")
    same_all = True
    figures = {"file": str(path), "triples": triples, "load_s": load, "engines": {}}
    for name in engines:
        med, best = statistics.median(times[name]), min(times[name])
        same = found[name] == found["native"]
        same_all &= same
        print(f"{name:<18}{med:>10.3f}{best:>10.3f}{len(times[name]):>6}{med / native:>10.1f}  {'yes' if same else 'NO'}")
        if not same:
            for p in sorted(found["native"] - found[name])[:10]:
                print("    native only:", p)
            for p in sorted(found[name] - found["native"])[:10]:
                print(f"    {name} only:", p)
        figures["engines"][name] = {"median_s": med, "min_s": best, "runs": times[name], "ratio": med / native,
                                    "same_results": same}
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0 if same_all else 1


if __name__ == "__main__":
    sys.exit(main())

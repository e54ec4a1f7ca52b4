#!/usr/bin/env python3
"""OWL 2 RL reasoning on the real graph: our SPARQL rule engine against owlrl (the reference) and, when installed,
the Rust reasoner ``reasonable`` (PyPI), in the same run, with the entailments compared.

The graph is built in this process exactly as ``gcm-graph build`` builds it (parse, agency registers, enrich,
build: ontology, reference registers and one graph per report), untimed. Then each engine runs ``--repeat`` times,
interleaved (ours, owlrl, reasonable, ours, …) so that a change in the machine's load hits all of them alike:

* ``ours``: what the build's reason stage runs: the asserted graphs to pyoxigraph quads
  (:func:`gcm_graph.rdf.quads.to_quads`) and the rule closure (:func:`gcm_graph.reason.infer_quads`);
* ``owlrl``: :func:`gcm_graph.reason.infer_owlrl` (owlrl's OWL-RL closure, never its RDFS semantics, minus the
  asserted triples and :func:`gcm_graph.reason.is_trivial` ones);
* ``reasonable``: ``PyReasoner.from_graph`` over the union of the graphs and ``reason()``, minus the asserted triples
  and the trivial ones, its ``"x"^^xsd:string`` literals read as ``"x"`` (the same RDF 1.1 literal; rdflib keeps them
  apart). Its time includes building the union graph, as owlrl's does.

Every run gives wall time, CPU time (user + system, all threads) and the peak RSS while it ran (the high-water mark
is reset when the run starts; see ``benchmarks/measure.py``). The table gives medians, fastest wall time, and the
ratios owlrl / engine of the wall and the CPU medians, and says whether each engine's entailments equal owlrl's;
for ``reasonable`` it lists what differs, by predicate. Exit code 1 when our engine's entailments differ from
owlrl's (the equality ``tests/test_reason.py`` asserts), 0 otherwise.

    python benchmarks/reason.py [--repeat 3] [--no-reasonable] [--json FILE] [--sources DIR --reference DIR]
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Meter, describe, machine, median, mib  # noqa: E402


def build_graphs(sources: Path, reference: Path | None):
    """The build's named graphs (ontology, reference, one per report), as ``gcm-graph build`` makes them."""
    from gcm_graph.pipeline import build_graphs as build, enrich_reports, parse_sources, registers_for

    if reference is not None:
        from gcm_graph.rdf.reference import add_countries

        add_countries(Path(reference) / "countries.csv")
    reports = parse_sources(Path(sources))
    registers = registers_for(reports, reference)
    return reports, build(reports, registers, enrichments=enrich_reports(reports, registers))


def run_ours(graphs):
    from gcm_graph.pipeline import GRAPH_ONTOLOGY
    from gcm_graph.rdf.quads import to_quads
    from gcm_graph.reason import infer_quads

    return set(infer_quads(to_quads(graphs), [graphs[GRAPH_ONTOLOGY]]))


def run_owlrl(graphs):
    from gcm_graph.reason import infer_owlrl

    return set(infer_owlrl(graphs.values()))


def _plain_string(term):
    from rdflib import Literal
    from rdflib.namespace import XSD

    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def run_reasonable(graphs):
    import reasonable
    from rdflib import Graph

    from gcm_graph.reason import is_trivial

    full = Graph()
    for g in graphs.values():
        full += g
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(full)
    out = set()
    for t in reasoner.reason():
        t = tuple(_plain_string(x) for x in t)
        if t not in full and not is_trivial(t):
            out.add(t)
    return out


ENGINES = {"ours": run_ours, "owlrl": run_owlrl, "reasonable": run_reasonable}


def difference(found: set, reference: set, examples: int = 3) -> dict:
    extra, missing = found - reference, reference - found

    def by_predicate(triples):
        return dict(Counter(str(t[1]) for t in triples).most_common())

    def show(triples):
        return [" ".join(x.n3() for x in t) for t in sorted(triples)[:examples]]

    return {"same": not extra and not missing, "extra": len(extra), "missing": len(missing),
            "extra_by_predicate": by_predicate(extra), "missing_by_predicate": by_predicate(missing),
            "extra_examples": show(extra), "missing_examples": show(missing)}


def main(argv: list[str] | None = None) -> int:
    root = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="Ratios are owlrl's median over the engine's median, from the same run. "
                                        "Compare CPU times when the machine is loaded (wall times grow with the "
                                        "load, CPU times do not).")
    ap.add_argument("--sources", default=str(root / "data" / "source"), metavar="DIR",
                    help="source documents (default: the real one, data/source)")
    ap.add_argument("--reference", metavar="DIR", help="extra registers for countries the project does not ship "
                                                       "(as gcm-graph build --reference)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each engine (default 3); the table gives medians")
    ap.add_argument("--no-reasonable", action="store_true", help="leave out the reasonable engine")
    ap.add_argument("--json", metavar="FILE", help="write every measurement and the comparison to FILE")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")

    engines = ["ours", "owlrl"]
    skipped = {}
    if not args.no_reasonable:
        try:
            import reasonable  # noqa: F401

            engines.append("reasonable")
        except ImportError:
            skipped["reasonable"] = "not installed (pip install reasonable)"

    print("building the graph…", file=sys.stderr, flush=True)
    reports, graphs = build_graphs(Path(args.sources), Path(args.reference) if args.reference else None)
    asserted = sum(len(g) for g in graphs.values())
    runs: dict[str, list[dict]] = {e: [] for e in engines}
    results: dict[str, set] = {}
    for i in range(args.repeat):
        for engine in engines:
            gc.collect()
            print(f"run {i + 1}/{args.repeat}: {engine}…", file=sys.stderr, flush=True)
            with Meter() as m:
                results[engine] = ENGINES[engine](graphs)
            runs[engine].append(m.sample.as_dict())
            print(f"  {m.sample.wall_s:.2f} s wall, {m.sample.cpu_s:.2f} s CPU", file=sys.stderr, flush=True)

    reference = results["owlrl"]
    summary = {}
    for engine in engines:
        r = runs[engine]
        summary[engine] = {
            "entailments": len(results[engine]),
            "wall_median_s": median([x["wall_s"] for x in r]), "wall_min_s": min(x["wall_s"] for x in r),
            "cpu_median_s": median([x["cpu_s"] for x in r]), "peak_rss_max": max(x["peak_rss"] for x in r),
            "runs": r,
            "vs_owlrl": difference(results[engine], reference),
        }
    for engine in engines:
        s = summary[engine]
        s["ratio_wall"] = summary["owlrl"]["wall_median_s"] / s["wall_median_s"]
        s["ratio_cpu"] = summary["owlrl"]["cpu_median_s"] / s["cpu_median_s"]

    info = machine()
    programmes = sum(len(r.document.programmes) for r in reports)
    lines = [f"Reasoning on {args.sources}: {len(reports)} report(s), {programmes} programme entries, {asserted:,} "
             f"asserted triples; {args.repeat} run(s) per engine, interleaved.", "",
             "| engine | entailments | same as owlrl | wall median s | wall min s | CPU median s | peak RSS MiB "
             "| owlrl / engine (wall) | owlrl / engine (CPU) |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|"]
    for engine in engines:
        s = summary[engine]
        d = s["vs_owlrl"]
        same = "yes" if d["same"] else f"no: {d['missing']} missing, {d['extra']} extra"
        lines.append(f"| {engine} | {s['entailments']:,} | {same} | {s['wall_median_s']:.3f} | {s['wall_min_s']:.3f} "
                     f"| {s['cpu_median_s']:.3f} | {mib(s['peak_rss_max'])} | {s['ratio_wall']:.1f}x "
                     f"| {s['ratio_cpu']:.1f}x |")
    for engine, why in skipped.items():
        lines.append(f"| {engine} | — | — | — | — | — | — | — | {why} |")
    if "reasonable" in summary and not summary["reasonable"]["vs_owlrl"]["same"]:
        d = summary["reasonable"]["vs_owlrl"]
        lines += ["", "reasonable vs owlrl (after dropping asserted and is_trivial triples):"]
        for kind in ("missing", "extra"):
            if d[kind]:
                lines.append(f"  {kind} ({d[kind]}), by predicate: "
                             + ", ".join(f"{p.rsplit('/', 1)[-1]} {n}" for p, n in d[f'{kind}_by_predicate'].items()))
                lines += [f"    e.g. {x}" for x in d[f"{kind}_examples"]]
    lines += ["", f"Peak RSS: the process's largest RSS during the run (inputs included). Machine: {describe(info)}"]
    print("\n".join(lines))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({
            "machine": info, "sources": str(args.sources), "reports": len(reports), "programmes": programmes,
            "asserted_triples": asserted, "repeat": args.repeat, "skipped": skipped, "engines": summary,
        }, indent=2) + "\n", encoding="utf-8")
    return 0 if summary["ours"]["vs_owlrl"]["same"] else 1


if __name__ == "__main__":
    sys.exit(main())

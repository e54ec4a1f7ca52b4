#!/usr/bin/env python3
"""OWL 2 RL reasoning on the real graph: our engine against the previous one (generic SPARQL rules), owlrl (the
reference) and, when installed, the Rust reasoner ``reasonable`` (PyPI), in the same run, entailments compared.

The graph is built in this process exactly as ``gcm-graph build`` builds it (parse, agency registers, enrich,
build: ontology, reference registers and one graph per report), untimed. Then each engine runs ``--repeat`` times,
interleaved (ours, generic, owlrl, reasonable, ours, …) so that a change in the machine's load hits all alike:

* ``ours``: what the build's reason stage runs on the asserted pyoxigraph quads (made once, untimed, by
  :func:`gcm_graph.rdf.quads.to_quads`): :func:`gcm_graph.reason.infer_triples` (schema tables, semi-naive closure
  on sets), sorted pyoxigraph triples;
* ``generic``: the previous engine on the same quads, generic OWL 2 RL rules as SPARQL UPDATE to a fixpoint in a
  pyoxigraph store (:func:`gcm_graph.reason.infer_generic`);
* ``owlrl``: :func:`gcm_graph.reason.infer_owlrl` (owlrl's OWL-RL closure, never its RDFS semantics, minus the
  asserted triples and :func:`gcm_graph.reason.is_trivial` ones);
* ``reasonable``: ``PyReasoner.from_graph`` over the union of the graphs and ``reason()``, minus the asserted triples
  and the trivial ones, its ``"x"^^xsd:string`` literals read as ``"x"`` (the same RDF 1.1 literal; rdflib keeps them
  apart). Its time includes building the union graph, as owlrl's does.

Every run gives wall time, CPU time (user + system, all threads) and the peak RSS while it ran (the high-water mark
is reset when the run starts; see ``benchmarks/measure.py``). The table gives medians, fastest wall time, and the
ratios owlrl / engine and generic / engine of the wall and the CPU medians, and says whether each engine's
entailments equal the reference's: owlrl's, or the generic engine's with ``--no-owlrl`` (results are turned into
rdflib triples for the comparison after the clock stops);
for ``reasonable`` it lists what differs, by predicate. Exit code 1 when our engine's entailments differ from
the reference's (the equality ``tests/test_reason.py`` asserts), 0 otherwise.

    python benchmarks/reason.py [--repeat 3] [--no-generic] [--no-owlrl] [--no-reasonable] [--json FILE]
                                [--sources DIR --reference DIR]

At 10x: ``--sources benchmarks/out/work/10x/corpus/source --reference benchmarks/out/work/10x/corpus/reference``
(``--no-owlrl --no-reasonable``: owlrl takes many minutes there; the generic engine is then the reference).
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


def run_ours(graphs, quads):
    from gcm_graph.pipeline import GRAPH_ONTOLOGY
    from gcm_graph.reason import infer_triples

    return infer_triples(quads, [graphs[GRAPH_ONTOLOGY]])


def run_generic(graphs, quads):
    from gcm_graph.pipeline import GRAPH_ONTOLOGY
    from gcm_graph.reason import infer_generic

    return infer_generic(quads, [graphs[GRAPH_ONTOLOGY]])


def run_owlrl(graphs, quads):
    from gcm_graph.reason import infer_owlrl

    return set(infer_owlrl(graphs.values()))


def _plain_string(term):
    from rdflib import Literal
    from rdflib.namespace import XSD

    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def run_reasonable(graphs, quads):
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


ENGINES = {"ours": run_ours, "generic": run_generic, "owlrl": run_owlrl, "reasonable": run_reasonable}


def as_set(result) -> set:
    """An engine's result as a set of rdflib triples (pyoxigraph triples converted), for the comparison."""
    if isinstance(result, list):
        from gcm_graph.reason import as_graph

        return set(as_graph(result))
    return set(result)


def difference(found: set, reference: set, examples: int = 3) -> dict:
    extra, missing = found - reference, reference - found

    def by_predicate(triples):
        return dict(Counter(str(t[1]) for t in triples).most_common())

    def show(triples):
        return [" ".join(x.n3() for x in t) for t in sorted(triples)[:examples]]

    return {"same": not extra and not missing, "extra": len(extra), "missing": len(missing),
            "extra_by_predicate": by_predicate(extra), "missing_by_predicate": by_predicate(missing),
            "extra_examples": show(extra), "missing_examples": show(missing)}


def _ratio(summary: dict, key: str) -> str:
    return f"{summary[key]:.1f}x" if key in summary else "—"


def main(argv: list[str] | None = None) -> int:
    root = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="Ratios are owlrl's (the generic engine's) median over the engine's median, from the "
                                        "same run. "
                                        "Compare CPU times when the machine is loaded (wall times grow with the "
                                        "load, CPU times do not).")
    ap.add_argument("--sources", default=str(root / "data" / "source"), metavar="DIR",
                    help="source documents (default: the real one, data/source)")
    ap.add_argument("--reference", metavar="DIR", help="extra registers for countries the project does not ship "
                                                       "(as gcm-graph build --reference)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each engine (default 3); the table gives medians")
    ap.add_argument("--no-generic", action="store_true", help="leave out the previous (generic rules) engine")
    ap.add_argument("--no-owlrl", action="store_true", help="leave out owlrl (the generic engine is then the "
                                                            "reference)")
    ap.add_argument("--no-reasonable", action="store_true", help="leave out the reasonable engine")
    ap.add_argument("--json", metavar="FILE", help="write every measurement and the comparison to FILE")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    if args.no_owlrl and args.no_generic:
        ap.error("--no-owlrl and --no-generic leave nothing to compare with")

    engines = ["ours"] + ([] if args.no_generic else ["generic"]) + ([] if args.no_owlrl else ["owlrl"])
    ref = "generic" if args.no_owlrl else "owlrl"
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
    from gcm_graph.rdf.quads import to_quads

    quads = to_quads(graphs)
    runs: dict[str, list[dict]] = {e: [] for e in engines}
    results: dict[str, set] = {}
    for i in range(args.repeat):
        for engine in engines:
            gc.collect()
            print(f"run {i + 1}/{args.repeat}: {engine}…", file=sys.stderr, flush=True)
            with Meter() as m:
                result = ENGINES[engine](graphs, quads)
            results[engine] = as_set(result)
            del result
            runs[engine].append(m.sample.as_dict())
            print(f"  {m.sample.wall_s:.2f} s wall, {m.sample.cpu_s:.2f} s CPU", file=sys.stderr, flush=True)

    reference = results[ref]
    summary = {}
    for engine in engines:
        r = runs[engine]
        summary[engine] = {
            "entailments": len(results[engine]),
            "wall_median_s": median([x["wall_s"] for x in r]), "wall_min_s": min(x["wall_s"] for x in r),
            "cpu_median_s": median([x["cpu_s"] for x in r]), "peak_rss_max": max(x["peak_rss"] for x in r),
            "runs": r,
            "reference": ref, "vs_reference": difference(results[engine], reference),
        }
    for engine in engines:
        s = summary[engine]
        for other in ("owlrl", "generic"):
            if other in summary:
                s[f"vs_{other}_wall"] = summary[other]["wall_median_s"] / s["wall_median_s"]
                s[f"vs_{other}_cpu"] = summary[other]["cpu_median_s"] / s["cpu_median_s"]

    info = machine()
    programmes = sum(len(r.document.programmes) for r in reports)
    lines = [f"Reasoning on {args.sources}: {len(reports)} report(s), {programmes} programme entries, {asserted:,} "
             f"asserted triples; {args.repeat} run(s) per engine, interleaved.", "",
             f"| engine | entailments | same as {ref} | wall median s | wall min s | CPU median s | peak RSS MiB "
             "| owlrl / engine (wall) | owlrl / engine (CPU) | generic / engine (wall) | generic / engine (CPU) |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for engine in engines:
        s = summary[engine]
        d = s["vs_reference"]
        same = "yes" if d["same"] else f"no: {d['missing']} missing, {d['extra']} extra"
        lines.append(f"| {engine} | {s['entailments']:,} | {same} | {s['wall_median_s']:.3f} | {s['wall_min_s']:.3f} "
                     f"| {s['cpu_median_s']:.3f} | {mib(s['peak_rss_max'])} | {_ratio(s, 'vs_owlrl_wall')} "
                     f"| {_ratio(s, 'vs_owlrl_cpu')} | {_ratio(s, 'vs_generic_wall')} | {_ratio(s, 'vs_generic_cpu')} |")
    for engine, why in skipped.items():
        lines.append(f"| {engine} | — | — | — | — | — | — | — | — | — | {why} |")
    if "reasonable" in summary and not summary["reasonable"]["vs_reference"]["same"]:
        d = summary["reasonable"]["vs_reference"]
        lines += ["", f"reasonable vs {ref} (after dropping asserted and is_trivial triples):"]
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
    return 0 if summary["ours"]["vs_reference"]["same"] else 1


if __name__ == "__main__":
    sys.exit(main())

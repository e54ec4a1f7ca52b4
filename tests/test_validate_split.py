"""Validating report graphs independently: a worker validates its own report's nodes (``report_focus``) in a small
store, the parent validates every other node (``shared_focus``) in the store of the whole build, and together they
find exactly the problems of validating everything at once — on a clean build and with violations planted on both
sides (report nodes, shared nodes, SPARQL constraints, the disjoint-classes check query).

The build: the real report (mx-2020) and a small synthetic one (gt-2019), validation off. A worker's store holds
what the build's worker has: the ontology, its country's agency register and the organisations, its report's
graph and the entailments of those.
"""

from __future__ import annotations

import re
import shutil
import time

import pyoxigraph as ox
import pytest

from gcm_graph import paths
from gcm_graph.namespaces import DEFAULT_BASE
from gcm_graph.pipeline import build, infer_lines
from gcm_graph.rdf.lines import GraphLines, graph_lines
from gcm_graph.shacl import FocusFilter
from gcm_graph.validate import VIOLATION, load_shapes, report_focus, shared_focus, validate_store

from .test_synth import synth

BASE = DEFAULT_BASE
GCM = BASE + "ontology#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
TITLE = "<http://purl.org/dc/terms/title>"
REAL, SYN = "mx-2020", "gt-2019"
SLUGS = (REAL, SYN)
ASSERTED = ("ontology", "reference", *SLUGS)  # what the reasoner sees (the dataset graph comes after it)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("split")
    corpus = synth.generate(root / "corpus", reports=1, entries=60, seed=5, countries=["GT"])
    sources = root / "sources"
    sources.mkdir()
    for ext in ("md", "toml"):
        shutil.copyfile(paths.SOURCES_DIR / f"{REAL}.{ext}", sources / f"{REAL}.{ext}")
        shutil.copyfile(corpus.out / "source" / f"{SYN}.{ext}", sources / f"{SYN}.{ext}")
    result = build(sources, root / "out", reference=corpus.out / "reference", validate=False, parallel=False)
    from gcm_graph.rdf.dataset import reference_graph
    from gcm_graph.registers import load_organisations

    graphs = {name: list(lines) for name, lines in result.data.graphs.items()}
    assert set(SLUGS) <= set(graphs) and {"ontology", "reference", "inferred", "dataset"} <= set(graphs)
    countries = {r.slug: r.meta.country for r in result.reports}
    workers = {slug: graph_lines(reference_graph([result.registers[countries[slug]]], load_organisations(), BASE))
               for slug in SLUGS}
    return {"graphs": graphs, "worker_reference": workers, "ontology": result.graphs["ontology"],
            "shapes": load_shapes()}


def _store(graphs: dict[str, list[str]]) -> ox.Store:
    store = ox.Store()
    for name, lines in graphs.items():
        data = "".join(f"{line} <urn:x-graph:{name}> .\n" for line in lines)
        store.bulk_load(data.encode("utf-8"), ox.RdfFormat.N_QUADS)
    return store


def _infer(built, graphs: dict[str, list[str]]) -> list[str]:
    data = GraphLines(BASE)
    data.graphs.update(graphs)
    return infer_lines(data, built["ontology"])


def _whole(built, graphs: dict[str, list[str]]) -> dict[str, list[str]]:
    """The build's graphs with the inferred graph reasoned again over the (mutated) asserted graphs."""
    out = {name: graphs[name] for name in (*ASSERTED, "dataset")}
    out["inferred"] = _infer(built, {name: graphs[name] for name in ASSERTED})
    return out


def _worker(built, graphs: dict[str, list[str]], slug: str, mutate=None) -> dict[str, list[str]]:
    """What a worker holds: ontology, its country's register and the organisations, its report, their closure."""
    own = {"ontology": graphs["ontology"], "reference": list(built["worker_reference"][slug]), slug: graphs[slug]}
    if mutate is not None:  # the same change, on the worker's reference lines
        own["reference"] = mutate({"reference": own["reference"]}).get("reference", own["reference"])
    own["inferred"] = _infer(built, own)
    return own


def _split(built, graphs: dict[str, list[str]], mutate=None):
    """(problems of the whole store, problems of the workers and the parent together, the parent's, each worker's)."""
    shapes = built["shapes"]
    whole = _store(_whole(built, graphs))
    everything = set(validate_store(whole, shapes).problems)
    parent = set(validate_store(whole, shapes, focus=shared_focus(BASE, SLUGS)).problems)
    workers = {slug: set(validate_store(_store(_worker(built, graphs, slug, mutate)), shapes,
                                        focus=report_focus(BASE, slug)).problems) for slug in SLUGS}
    return everything, parent.union(*workers.values()), parent, workers


def _assert_same(everything, together):
    missing, extra = everything - together, together - everything

    def show(problems) -> list:
        return [(p.focus, p.source, p.message) for p in sorted(problems, key=str)][:5]

    assert not missing and not extra, f"missing {show(missing)} extra {show(extra)}"


# --- the filters ------------------------------------------------------------------------------------------------------

def test_report_and_shared_focus_partition_the_focus_nodes(built):
    """Every node of the build (subjects and objects that are IRIs or blank nodes, plus edge cases) is kept by
    exactly one of report_focus(mx), report_focus(gt), shared_focus; the SPARQL condition agrees with keeps()."""
    filters = [report_focus(BASE, s) for s in SLUGS] + [shared_focus(BASE, SLUGS)]
    store = _store(_whole(built, built["graphs"]))
    nodes = {sol["n"] for sol in store.query("SELECT DISTINCT ?n WHERE { { ?n ?p ?o } UNION { ?s ?p ?n } "
                                             "FILTER (!isLiteral(?n)) }", use_default_graph_as_union=True)}
    edge = [f"{BASE}id/report/{REAL}", f"{BASE}id/report/{REAL}/period", f"{BASE}id/report/{REAL}/periodic",
            f"{BASE}id/report/{REAL}/period/1", f"{BASE}id/report/{REAL}0/footnote/1", f"{BASE}id/report/{REAL}x",
            f"{BASE}id/programme/{SYN}", f"{BASE}id/programme/{SYN}/1-1", f"{BASE}id/programme/xx-2000/1-1",
            f"{BASE}id/report/xx-2000/period", f"{BASE}id/org/mx/segob", "urn:x:other"]
    nodes |= {ox.NamedNode(i) for i in edge} | {ox.BlankNode("b0")}
    counts = {id(f): 0 for f in filters}
    for n in nodes:
        keeping = [f for f in filters if f.keeps(n)]
        assert len(keeping) == 1, (n, keeping)
        counts[id(keeping[0])] += 1
    assert all(counts.values()), counts  # each side has nodes
    assert filters[-1].keeps(ox.NamedNode(f"{BASE}id/report/{REAL}"))
    assert filters[-1].keeps(ox.NamedNode(f"{BASE}id/report/{SYN}/period"))
    assert not filters[0].keeps(ox.NamedNode(f"{BASE}id/report/{REAL}/period"))
    assert filters[0].keeps(ox.NamedNode(f"{BASE}id/report/{REAL}/footnote/1"))
    assert filters[1].keeps(f"{BASE}id/programme/{SYN}/3-1/result/1")
    # the SPARQL condition (what the queries use) keeps the same nodes as keeps()
    values = " ".join(str(n) if isinstance(n, ox.NamedNode) else "" for n in nodes)
    more = [FocusFilter(), FocusFilter(include_iris=frozenset({f"{BASE}id/org/mx/segob"})),
            shared_focus(BASE, SLUGS + ("xx-2000", "yy-2001")),  # many IRIs and prefixes: regular expressions
            FocusFilter(include_prefixes=(f"{BASE}id/report/", f"{BASE}id/org/", "urn:x:"),
                        exclude_iris=frozenset(edge[:6]), blank_nodes=False)]
    for f in filters + more:
        q = (f"SELECT ?n WHERE {{ {{ VALUES ?n {{ {values} }} }} UNION {{ BIND (BNODE() AS ?n) }} "
             f"FILTER {f.condition('n')} }}")
        kept = {("blank" if isinstance(s["n"], ox.BlankNode) else s["n"].value) for s in store.query(q)}
        expected = {("blank" if isinstance(n, ox.BlankNode) else n.value) for n in nodes if f.keeps(n)}
        assert kept == expected


def test_slugs_must_be_plain():
    with pytest.raises(ValueError):
        report_focus(BASE, "mx/2020")
    with pytest.raises(ValueError):
        shared_focus(BASE, ["mx-2020", ""])


def test_a_focus_filter_needs_the_native_engine(built):
    with pytest.raises(ValueError, match="native"):
        validate_store(ox.Store(), built["shapes"], engine="pyshacl", focus=shared_focus(BASE, SLUGS))


# --- exactness --------------------------------------------------------------------------------------------------------

def test_clean_build_split_is_exact(built):
    everything, together, parent, workers = _split(built, built["graphs"])
    _assert_same(everything, together)
    assert not any(p.severity == VIOLATION for p in everything)
    real = {p for p in everything if p.focus.startswith((f"{BASE}id/report/{REAL}", f"{BASE}id/programme/{REAL}/"))}
    assert len(real) == 6, sorted(real, key=str)  # the real report's six warnings
    assert {p.focus for p in workers[REAL]} | {p.focus for p in parent} >= {p.focus for p in real}
    # lines and documents are found alike in a worker's store
    assert all(p.line is not None for p in workers[REAL] if "/id/programme/" in p.focus)


def test_build_inferred_graph_restricted_to_the_report_is_enough(built):
    """Instead of reasoning again, a worker may take the build's inferred lines whose subject is its own (or the
    whole inferred graph): the same problems."""
    g = built["graphs"]
    shapes = built["shapes"]
    for slug in SLUGS:
        own = (f"<{BASE}id/report/{slug}/", f"<{BASE}id/programme/{slug}/", f"<{BASE}id/report/{slug}>")
        expected = set(validate_store(_store(_worker(built, g, slug)), shapes, focus=report_focus(BASE, slug)).problems)
        for inferred in ([line for line in g["inferred"] if line.startswith(own)], g["inferred"]):
            store = _store({"ontology": g["ontology"], "reference": g["reference"], slug: g[slug],
                            "inferred": inferred})
            assert set(validate_store(store, shapes, focus=report_focus(BASE, slug)).problems) == expected


def _edit(name: str, pattern: str, replace=None, add: tuple[str, ...] = ()):
    """A mutation of the graph ``name``: lines matching ``pattern`` removed (or rewritten by ``replace``), ``add``
    appended."""
    def mutate(graphs: dict[str, list[str]]) -> dict[str, list[str]]:
        if name not in graphs:
            return graphs
        out = dict(graphs)
        lines = []
        for line in graphs[name]:
            if re.search(pattern, line):
                if replace is not None:
                    lines.append(re.sub(pattern, replace, line))
            else:
                lines.append(line)
        out[name] = sorted(set(lines) | set(add))
        return out
    return mutate


def _first(built, name: str, pattern: str) -> str:
    return next(line for line in built["graphs"][name] if re.search(pattern, line))


def _row(built) -> str:
    """The line giving the position of a second row of some table of the synthetic report."""
    return _first(built, SYN, rf'^<{re.escape(BASE)}id/programme/{SYN}/[0-9-]+/table/[0-9]+-2> <{GCM}row>|'
                              rf'^<[^>]*/table/[0-9]+-2> <{GCM}position> "2"')


ENTRY = f"{BASE}id/programme/{SYN}/1-1"
MX_ENTRY = f"{BASE}id/programme/{REAL}/1-1"
MUTATIONS = {
    # report nodes (the workers' side)
    "entry without objective": (lambda b: _edit(SYN, rf"^<{re.escape(ENTRY)}> <{GCM}(objective|section)> "),
                                ENTRY, "worker"),
    "result position not an integer": (lambda b: _edit(
        REAL, rf'^(<{re.escape(MX_ENTRY)}/result/1> <{GCM}position> )"1"\^\^<[^>]*>$', r'\1"1"'),
        MX_ENTRY + "/result/1", "worker"),
    "two Spanish titles": (lambda b: _edit(SYN, "^$", add=(f'<{ENTRY}> {TITLE} "Otro título"@es',)), ENTRY, "worker"),
    "table row positions repeated (SPARQL)": (lambda b: _edit(
        SYN, "^(" + re.escape(_row(b).split(" ")[0]) + rf' <{GCM}position> )"2"', r'\1"1"'), "row", "worker"),
    "entry typed as a result (check query)": (lambda b: _edit(SYN, "^$", add=(f"<{ENTRY}> {RDF_TYPE} <{GCM}Result>",)),
                                              ENTRY, "worker"),
    # shared nodes (the parent's side)
    "agency without its label": (lambda b: _edit(
        "reference", "^" + re.escape(_first(b, SYN, rf"^<[^>]*> <{GCM}responsibleAgency> ").split(" ")[2])
        + r" <http://www.w3.org/2004/02/skos/core#prefLabel> "), None, "parent"),
    "dataset triple count broken": (lambda b: _edit(
        "dataset", rf'^(<{re.escape(BASE)}id/dataset> <http://rdfs.org/ns/void#triples> )"\d+"', r'\1"zero"'),
        f"{BASE}id/dataset", "parent"),
    "report without title": (lambda b: _edit(SYN, rf"^<{re.escape(BASE)}id/report/{SYN}> {re.escape(TITLE)} "),
                             f"{BASE}id/report/{SYN}", "parent"),
    "entry numbers repeated (SPARQL on the report)": (lambda b: _edit(
        SYN, rf'^(<{re.escape(ENTRY)[:-1]}2> <{GCM}entryNumber> )"2"', r'\1"1"'), f"{BASE}id/report/{SYN}", "parent"),
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_mutated_build_split_is_exact(built, name):
    make, focus, side = MUTATIONS[name]
    mutate = make(built)
    if focus == "row":
        focus = _row(built).split(" ")[0][1:-1]
    graphs = mutate(built["graphs"])
    assert graphs != built["graphs"], "the mutation changed nothing"
    everything, together, parent, workers = _split(built, graphs, mutate)
    _assert_same(everything, together)
    violations = {p for p in everything if p.severity == VIOLATION}
    assert violations, "the mutation made no violation"
    found = parent if side == "parent" else set().union(*workers.values())
    if focus is not None:
        assert any(p.focus == focus and p.severity == VIOLATION for p in found), sorted(violations, key=str)[:5]
    else:
        assert {p for p in found if p.severity == VIOLATION} == violations


# --- cost -------------------------------------------------------------------------------------------------------------

def test_a_report_focus_costs_less_than_everything(built, capsys):
    """On the whole store, validating one report's nodes is faster than validating all (the filter is in the
    queries, and shapes without a kept target are skipped); a worker's own small store is faster still."""
    shapes = built["shapes"]
    store = _store(_whole(built, built["graphs"]))
    small = _store(_worker(built, built["graphs"], SYN))

    def best(run) -> float:
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            run()
            times.append(time.perf_counter() - t0)
        return min(times)

    full = best(lambda: validate_store(store, shapes))
    one = best(lambda: validate_store(store, shapes, focus=report_focus(BASE, SYN)))
    shared = best(lambda: validate_store(store, shapes, focus=shared_focus(BASE, SLUGS)))
    worker = best(lambda: validate_store(small, shapes, focus=report_focus(BASE, SYN)))
    with capsys.disabled():
        print(f"\nvalidation of {len(store)} quads: everything {full:.3f} s, report_focus({SYN}) {one:.3f} s, "
              f"shared_focus {shared:.3f} s; {SYN}'s own store ({len(small)} quads) {worker:.3f} s")
    assert one < full and worker < full

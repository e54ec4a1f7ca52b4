"""Golden RDF for a few programme entries, compared as graphs (isomorphism), not as text.

The entries are chosen for what makes them hard: two agencies (11-2), a table with a footnote (2-3), a programme with
no text at all (10-1), sub-headed results (10-5), a repeated programme (7-14). To accept an intended change, rerun
with GCM_GRAPH_REGENERATE_GOLDEN=1 and review the diff of tests/golden/*.ttl like any other change.
"""

from __future__ import annotations

import os

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from gcm_graph.namespaces import bind_all
from gcm_graph.pipeline import build_graphs, enrich_reports, parse_sources, registers_for

from .conftest import ROOT

BASE = "https://w3id.org/gcm-graph/"
KEYS = ["11-2", "2-3", "10-1", "10-5", "7-14"]
GOLDEN = ROOT / "tests" / "golden"


@pytest.fixture(scope="module")
def report_graph():
    reports = parse_sources()
    registers = registers_for(reports)
    return build_graphs(reports, registers, BASE, enrich_reports(reports, registers))["mx-2020"]


def entry_subgraph(g: Graph, key: str) -> Graph:
    """The entry's own triples and those of its parts (results, challenges, tables, figures, matches)."""
    iri = f"{BASE}id/programme/mx-2020/{key}"
    out = bind_all(Graph())
    for s, p, o in g:
        if isinstance(s, URIRef) and (str(s) == iri or str(s).startswith(iri + "/")):
            out.add((s, p, o))
    return out


@pytest.mark.parametrize("key", KEYS)
def test_entry_matches_golden_graph(report_graph, key):
    got = entry_subgraph(report_graph, key)
    path = GOLDEN / f"entry-mx-2020-{key}.ttl"
    if os.environ.get("GCM_GRAPH_REGENERATE_GOLDEN"):
        path.write_text(got.serialize(format="turtle"), encoding="utf-8")
    want = Graph().parse(path, format="turtle")
    if not isomorphic(got, want):
        _both, only_got, only_want = graph_diff(to_isomorphic(got), to_isomorphic(want))
        extra = sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in only_got)[:10]
        missing = sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in only_want)[:10]
        pytest.fail(f"{key}: graph differs from {path.name}\n+ " + "\n+ ".join(extra) + "\n- " + "\n- ".join(missing))
    assert len(got) > 5

"""The VoID counts of a build are those of the distinct triples of its asserted graphs, however they are added up:
graph by graph (the workers count their reports) when no two graphs describe a subject, over the union otherwise."""

from __future__ import annotations

from gcm_graph.export.description import found_in, graph_counts, lines_about, union_counts
from gcm_graph.rdf.lines import GraphLines

B = "https://w3id.org/gcm-graph/"
T = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def data(**graphs: list[str]) -> GraphLines:
    d = GraphLines(B)
    for name, lines in graphs.items():
        d.set(name, lines)
    return d


A1 = f"<{B}id/a> {T} <{B}ontology#Report>"
A2 = f'<{B}id/a> <http://purl.org/dc/terms/title> "a"@es'
B1 = f"<{B}id/b> {T} <{B}ontology#Report>"
C1 = f"<{B}id/c> <http://www.w3.org/2004/02/skos/core#exactMatch> <http://www.wikidata.org/entity/Q96>"


def test_disjoint_graphs_are_added_up():
    d = data(one=[A1, A2], two=[B1, C1])
    got = union_counts(d, ["one", "two"], B).stats()
    assert got == graph_counts(sorted({A1, A2, B1, C1}), B).stats()
    assert got.triples == 4 and got.distinct_subjects == 3 and got.classes == {B + "ontology#Report": 2}
    assert got.links == {("wikidata", "http://www.w3.org/2004/02/skos/core#exactMatch"): 1}


def test_a_triple_in_two_graphs_is_counted_once():
    d = data(one=[A1, A2], two=[A1, B1])
    got = union_counts(d, ["one", "two"], B).stats()
    assert got.triples == 3 and got.classes == {B + "ontology#Report": 2}
    # counts made beforehand (by the workers) give the same answer
    known = {"one": graph_counts(d.graphs["one"], B)}
    assert union_counts(d, ["one", "two"], B, known).stats() == got


def test_lines_are_found_by_subject_in_sorted_graphs():
    d = data(one=[A1, A2, B1], two=[C1])
    assert list(lines_about(d.graphs["one"], f"<{B}id/a>")) == sorted([A1, A2])
    assert list(lines_about(d.graphs["one"], f"<{B}id/")) == []  # a prefix of a subject is not that subject
    assert found_in(d, ["one", "two"], [A2, C1, f"<{B}id/z> {T} <{B}ontology#Report>"]) == {A2, C1}

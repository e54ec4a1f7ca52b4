"""The thesauri enrichment matches against are valid SKOS: labels in en and es, one scheme, no broader cycles."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from gcm_graph import paths
from gcm_graph.enrich.registers import OTHER_THEME, load_concepts
from gcm_graph.namespaces import GCM

THESAURI = {"populations.ttl": ("https://w3id.org/gcm-graph/id/population", GCM.TargetPopulation),
            "challenge-themes.ttl": ("https://w3id.org/gcm-graph/id/theme", GCM.ChallengeTheme)}


@pytest.fixture(scope="module", params=sorted(THESAURI))
def thesaurus(request):
    graph = Graph().parse(paths.ONTOLOGY_DIR / request.param, format="turtle")
    scheme, cls = THESAURI[request.param]
    return request.param, graph, URIRef(scheme), cls


def concepts(graph):
    return sorted(set(graph.subjects(RDF.type, SKOS.Concept)))


def test_every_concept_has_one_english_and_one_spanish_preferred_label(thesaurus):
    _, graph, _, _ = thesaurus
    for c in concepts(graph):
        languages = sorted(o.language for o in graph.objects(c, SKOS.prefLabel))
        assert languages == ["en", "es"], c


def test_every_concept_is_typed_and_in_the_scheme(thesaurus):
    _, graph, scheme, cls = thesaurus
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    for c in concepts(graph):
        assert (c, RDF.type, cls) in graph, c
        assert (c, SKOS.inScheme, scheme) in graph, c
        assert str(c).startswith(str(scheme) + "/")


def test_broader_concepts_exist_and_never_loop(thesaurus):
    _, graph, _, _ = thesaurus
    known = set(concepts(graph))

    def walk(c, path):
        for b in graph.objects(c, SKOS.broader):
            assert b in known, (c, b)
            assert b not in path, f"skos:broader cycle: {[*path, b]}"
            walk(b, [*path, b])

    for c in known:
        walk(c, [c])


def test_top_concepts_are_exactly_those_without_broader(thesaurus):
    _, graph, scheme, _ = thesaurus
    tops = set(graph.objects(scheme, SKOS.hasTopConcept))
    assert tops == {c for c in concepts(graph) if not list(graph.objects(c, SKOS.broader))}


def test_no_two_concepts_share_a_matching_label(thesaurus):
    name, graph, _, _ = thesaurus
    owner: dict[str, str] = {}
    for slug, c in load_concepts(paths.ONTOLOGY_DIR / name).items():
        for text, _kind in c.labels:
            assert owner.setdefault(text.lower(), slug) == slug, (text, owner[text.lower()], slug)


def test_the_other_theme_has_no_keywords():
    themes = load_concepts(paths.ONTOLOGY_DIR / "challenge-themes.ttl")
    assert [kind for _, kind in themes[OTHER_THEME].labels] == ["prefLabel"]
    assert themes[OTHER_THEME].pref_en == "other"

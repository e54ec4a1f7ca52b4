"""The previous engine: generic OWL 2 RL rules as SPARQL UPDATE statements, run to a fixpoint in a pyoxigraph store.

Every rule scans the whole store each round (``FILTER NOT EXISTS`` keeps it from inserting what is there), so a
round costs the size of the store whatever it adds. Schema axioms that need list walking (property chains,
``owl:intersectionOf``, ``owl:unionOf``) are read once from the ``schema`` graphs and become one rule each. Kept as
the cross-check of :mod:`.abox` (``tests/test_reason.py``) and as the baseline of ``benchmarks/reason.py``.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL

from ..rdf.quads import rdflib_term
from .vocab import is_trivial

_SKOLEM_AUTHORITY = "https://w3id.org/gcm-graph/"

# Generic OWL 2 RL rules (names as in the OWL 2 RL/RDF rule tables).
_RULES: dict[str, str] = {
    "scm-sco": "INSERT { ?a rdfs:subClassOf ?c } WHERE { ?a rdfs:subClassOf ?b . ?b rdfs:subClassOf ?c "
               "FILTER(?a != ?c) FILTER NOT EXISTS { ?a rdfs:subClassOf ?c } }",
    "scm-spo": "INSERT { ?a rdfs:subPropertyOf ?c } WHERE { ?a rdfs:subPropertyOf ?b . ?b rdfs:subPropertyOf ?c "
               "FILTER(?a != ?c) FILTER NOT EXISTS { ?a rdfs:subPropertyOf ?c } }",
    "scm-eqc": "INSERT { ?a rdfs:subClassOf ?b . ?b rdfs:subClassOf ?a } WHERE { ?a owl:equivalentClass ?b "
               "FILTER(?a != ?b) }",
    "scm-eqp": "INSERT { ?a rdfs:subPropertyOf ?b . ?b rdfs:subPropertyOf ?a } WHERE { ?a owl:equivalentProperty ?b "
               "FILTER(?a != ?b) }",
    "scm-dom1": "INSERT { ?p rdfs:domain ?d } WHERE { ?p rdfs:domain ?c . ?c rdfs:subClassOf ?d FILTER(?c != ?d) "
                "FILTER NOT EXISTS { ?p rdfs:domain ?d } }",
    "scm-dom2": "INSERT { ?p rdfs:domain ?c } WHERE { ?p rdfs:subPropertyOf ?q . ?q rdfs:domain ?c FILTER(?p != ?q) "
                "FILTER NOT EXISTS { ?p rdfs:domain ?c } }",
    "scm-rng1": "INSERT { ?p rdfs:range ?d } WHERE { ?p rdfs:range ?c . ?c rdfs:subClassOf ?d FILTER(?c != ?d) "
                "FILTER NOT EXISTS { ?p rdfs:range ?d } }",
    "scm-rng2": "INSERT { ?p rdfs:range ?c } WHERE { ?p rdfs:subPropertyOf ?q . ?q rdfs:range ?c FILTER(?p != ?q) "
                "FILTER NOT EXISTS { ?p rdfs:range ?c } }",
    "cax-sco": "INSERT { ?x a ?d } WHERE { ?c rdfs:subClassOf ?d . ?x a ?c FILTER NOT EXISTS { ?x a ?d } }",
    "prp-dom": "INSERT { ?x a ?c } WHERE { ?p rdfs:domain ?c . ?x ?p ?y FILTER NOT EXISTS { ?x a ?c } }",
    "prp-rng": "INSERT { ?y a ?c } WHERE { ?p rdfs:range ?c . ?x ?p ?y FILTER(!isLiteral(?y)) "
               "FILTER NOT EXISTS { ?y a ?c } }",
    "prp-spo1": "INSERT { ?x ?q ?y } WHERE { ?p rdfs:subPropertyOf ?q . ?x ?p ?y FILTER(?p != ?q) "
                "FILTER NOT EXISTS { ?x ?q ?y } }",
    "prp-inv1": "INSERT { ?y ?q ?x } WHERE { ?p owl:inverseOf ?q . ?x ?p ?y FILTER(!isLiteral(?y)) "
                "FILTER NOT EXISTS { ?y ?q ?x } }",
    "prp-inv2": "INSERT { ?y ?p ?x } WHERE { ?p owl:inverseOf ?q . ?x ?q ?y FILTER(!isLiteral(?y)) "
                "FILTER NOT EXISTS { ?y ?p ?x } }",
    "prp-symp": "INSERT { ?y ?p ?x } WHERE { ?p a owl:SymmetricProperty . ?x ?p ?y FILTER NOT EXISTS { ?y ?p ?x } }",
    "prp-trp": "INSERT { ?x ?p ?z } WHERE { ?p a owl:TransitiveProperty . ?x ?p ?y . ?y ?p ?z "
               "FILTER NOT EXISTS { ?x ?p ?z } }",
    "cls-hv1": "INSERT { ?x ?p ?v } WHERE { ?c owl:hasValue ?v ; owl:onProperty ?p . ?x a ?c "
               "FILTER NOT EXISTS { ?x ?p ?v } }",
    "cls-hv2": "INSERT { ?x a ?c } WHERE { ?c owl:hasValue ?v ; owl:onProperty ?p . ?x ?p ?v "
               "FILTER NOT EXISTS { ?x a ?c } }",
    "cls-svf1": "INSERT { ?x a ?c } WHERE { ?c owl:someValuesFrom ?d ; owl:onProperty ?p . ?x ?p ?y . ?y a ?d "
                "FILTER(?d != owl:Thing) FILTER NOT EXISTS { ?x a ?c } }",
    "cls-svf2": "INSERT { ?x a ?c } WHERE { ?c owl:someValuesFrom owl:Thing ; owl:onProperty ?p . ?x ?p ?y "
                "FILTER NOT EXISTS { ?x a ?c } }",
    "cls-avf": "INSERT { ?y a ?d } WHERE { ?c owl:allValuesFrom ?d ; owl:onProperty ?p . ?x a ?c ; ?p ?y "
               "FILTER(!isLiteral(?y)) FILTER NOT EXISTS { ?y a ?d } }",
}
_PREFIXES = ("PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
             "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX owl: <http://www.w3.org/2002/07/owl#> ")


def _is_skolem(term) -> bool:
    return isinstance(term, URIRef) and "/.well-known/genid/" in str(term)


def _skolem(term) -> URIRef:
    return URIRef(f"{_SKOLEM_AUTHORITY}.well-known/genid/{term}")


def _n3(term) -> str:
    return (_skolem(term) if isinstance(term, BNode) else term).n3()


def _list_rules(schema: Graph) -> list[str]:
    """Rules for axioms that hold RDF lists: property chains, intersections, unions."""
    rules: list[str] = []
    for prop, head in sorted(schema.subject_objects(OWL.propertyChainAxiom)):
        chain = list(Collection(schema, head))
        if not chain:
            continue
        pattern = " . ".join(f"?v{i} {_n3(p)} ?v{i + 1}" for i, p in enumerate(chain))
        last = f"?v{len(chain)}"
        rules.append(f"INSERT {{ ?v0 {_n3(prop)} {last} }} WHERE {{ {pattern} "
                     f"FILTER NOT EXISTS {{ ?v0 {_n3(prop)} {last} }} }}")
    for cls, head in sorted(schema.subject_objects(OWL.intersectionOf)):
        members = list(Collection(schema, head))
        if not members:
            continue
        pattern = " . ".join(f"?x a {_n3(m)}" for m in members)
        rules.append(f"INSERT {{ ?x a {_n3(cls)} }} WHERE {{ {pattern} FILTER NOT EXISTS {{ ?x a {_n3(cls)} }} }}")
        for m in members:  # cls-int2
            rules.append(f"INSERT {{ ?x a {_n3(m)} }} WHERE {{ ?x a {_n3(cls)} FILTER NOT EXISTS {{ ?x a {_n3(m)} }} }}")
    for cls, head in sorted(schema.subject_objects(OWL.unionOf)):
        for m in Collection(schema, head):  # cls-uni
            rules.append(f"INSERT {{ ?x a {_n3(cls)} }} WHERE {{ ?x a {_n3(m)} FILTER NOT EXISTS {{ ?x a {_n3(cls)} }} }}")
    return rules


def _reasoning_store(quads: Iterable[ox.Quad]) -> ox.Store:
    """The quads in one store's default graph, blank nodes turned into skolem IRIs so that rules can name them."""
    def term(t):
        return ox.NamedNode(str(_skolem(t.value))) if isinstance(t, ox.BlankNode) else t

    store = ox.Store()
    store.bulk_extend(ox.Quad(term(q.subject), q.predicate, term(q.object), ox.DefaultGraph()) for q in quads)
    return store


def infer_generic(quads: Iterable[ox.Quad], schema: Iterable[Graph], max_rounds: int = 50) -> Graph:
    """The OWL 2 RL entailments of ``quads`` by the generic rules, without the asserted triples and the trivial
    ones; list axioms are read from the ``schema`` graphs (the ontology), whose blank-node labels must be those of
    the quads."""
    rules = [_PREFIXES + r for r in _RULES.values()]
    for g in schema:
        if any(True for _ in g.triples((None, OWL.propertyChainAxiom, None))) or \
                any(True for _ in g.triples((None, OWL.intersectionOf, None))) or \
                any(True for _ in g.triples((None, OWL.unionOf, None))):
            rules += [_PREFIXES + r for r in _list_rules(g)]
    store = _reasoning_store(quads)
    asserted_quads = set(store)
    size = len(store)
    for _ in range(max_rounds):
        for rule in rules:
            store.update(rule)
        if len(store) == size:
            break
        size = len(store)
    else:
        raise RuntimeError(f"reasoning did not reach a fixpoint in {max_rounds} rounds")
    out = Graph()
    for q in store:
        if q in asserted_quads:
            continue
        t = (rdflib_term(q.subject), rdflib_term(q.predicate), rdflib_term(q.object))
        if not is_trivial(t) and not any(_is_skolem(x) for x in t):
            out.add(t)
    return out

"""Reason: OWL 2 RL entailments of the asserted graph, kept apart from it (the ``inferred`` named graph).

Three engines give the same answers on our graph:

* :func:`infer_triples` (the default; :func:`infer_quads` and :func:`infer` wrap it) reads the schema axioms out of
  the input once (:mod:`gcm_graph.reasoning.tbox`: ``rdfs:subClassOf``/``subPropertyOf``, equivalences, domains,
  ranges, ``owl:inverseOf``, symmetric and transitive properties, ``hasValue``/``someValuesFrom``/``allValuesFrom``
  restrictions, property chains, intersections, unions), emits their closure (the ``scm-*`` rules) and turns them
  into per-predicate and per-class rule tables; then :mod:`gcm_graph.reasoning.abox` computes the closure of the
  facts in one semi-naive pass in Python: each fact, asserted or derived, is matched once against the tables of
  its predicate or class, and the rules with two premises look the other one up in indexes of the facts known.
  Terms stay pyoxigraph terms. If the facts entail a schema triple (a data property declared a sub-property of
  ``rdfs:subClassOf``, say), the tables are made again with it and the closure recomputed, to a fixpoint, so the
  answer never depends on schema and data being apart; our data holds no schema triple and entails none, so one
  pass is all the build does.
* :func:`infer_generic` is the previous engine: the same rules as generic SPARQL UPDATE statements run to a
  fixpoint in a pyoxigraph store (:mod:`gcm_graph.reasoning.generic`); the tests hold the two equal, and
  ``benchmarks/reason.py`` times both.
* :func:`infer_owlrl` runs owlrl's OWL-RL closure, the reference implementation, and drops what owlrl adds that is
  trivial or axiomatic (:func:`is_trivial`); ``tests/test_reason.py`` checks that the sets are equal.

CPU times (``benchmarks/reason.py``, same process, loaded 2-CPU machine): real graph (25k triples) 0.04 s against
0.37 s for the generic engine and 24 s for owlrl; 10x (251k) 0.43 s against 4.9 s; 100x (2.4M) about 5 s, the
same entailments as the build's generic engine made. Most of it is reading the terms out of the pyoxigraph quads.

The rules are those of the OWL 2 RL/RDF tables our ontology can use: scm-sco, scm-eqc1/2, scm-spo, scm-eqp1/2,
scm-dom1/2, scm-rng1/2, scm-int, scm-uni, cax-sco, prp-dom, prp-rng, prp-spo1, prp-spo2 (chains), prp-inv1/2,
prp-symp, prp-trp, cls-hv1/2, cls-svf1/2, cls-avf, cls-int1/2, cls-uni (the generic engine lacks scm-eqc2,
scm-eqp2, scm-int and scm-uni, which on our ontology only relate anonymous classes). Not covered (our ontology has
none of them, and the tests would show it if owlrl found more): equality (``owl:sameAs``, functional and
inverse-functional properties, ``maxCardinality``, ``hasKey``), and the schema rules between restrictions
(scm-hv, scm-svf1/2, scm-avf1/2), which only relate anonymous classes here. Disjointness axioms only make a graph
inconsistent; they add nothing.

Reasoning per report. The build holds up to ~100 report graphs that share only the ontology and the reference
graph. For our ontology the closure of their union equals the union of the closures of (ontology + reference +
one report), because no rule can join facts of two reports:

* every rule but the property chains has a single fact as premise (given the schema), and one fact sits in one
  graph: the same consequence comes out of the closure of that graph's report;
* the three chains (``section ∘ sectionObjective ⊑ objective``, ``section ∘ report ⊑ report``,
  ``servesPopulation ∘ skos:broader ⊑ servesPopulation``) join on a section, whose IRI is scoped by its report
  (``id/report/<slug>/objective/<n>``), or on a population concept, whose ``skos:broader`` links are asserted in
  the ontology graph only and derived by no rule: the premises come from one report plus the shared graphs;
* nothing merges nodes (no ``owl:sameAs``, functional or inverse-functional property, ``maxCardinality``,
  ``hasKey``), and no transitive or symmetric property, ``someValuesFrom``/``allValuesFrom`` with a class, or
  intersection could meet two reports' facts on a node they both mention (an agency, an objective, a population);
* shared nodes do get facts from several reports (``sre a gcm:GovernmentAgency``, ``objective/7
  gcm:hasProgrammeEntry …``), but each is made in the closure of a report alone and is the premise of no join.

This holds as long as reports assert no ``skos:broader`` and mint section IRIs under their own slug, and the
ontology gains none of the constructs above (a disjointness violation across reports, an agency typed both
government and international by two reports, is an inconsistency of the union, for validation, not an
entailment). ``tests/test_reason.py`` checks the equality on the real report plus a synthetic one. The build still
reasons over everything at once: the engine is linear in the facts, so splitting buys nothing.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from contextlib import contextmanager

import pyoxigraph as ox
from rdflib import Graph

from .rdf.quads import rdflib_term
from .reasoning.abox import by_predicate, closure, schema_facts
from .reasoning.generic import infer_generic
from .reasoning.tbox import TBox
from .reasoning.vocab import (SCHEMA_CLASSES, SCHEMA_PREDICATES, TYPE, drop_trivial, is_schema, is_trivial,
                              is_trivial_term)

__all__ = ["infer", "infer_quads", "infer_triples", "infer_generic", "infer_owlrl", "is_trivial", "is_trivial_term",
           "entailments", "as_graph", "rdflib_term"]


def _schema_triples(groups: dict, schema: Iterable[Graph]) -> set:
    """The schema axioms among the grouped facts and in the ``schema`` graphs, as ``(s, p, o)`` of pyoxigraph terms."""
    from .rdf.quads import ox_term

    found = set()
    for p, facts in groups.items():
        if p in SCHEMA_PREDICATES:
            found.update((q.subject, p, q.object) for q in facts)
    found.update((q.subject, TYPE, q.object) for q in groups.get(TYPE, ()) if q.object in SCHEMA_CLASSES)
    for g in schema:
        for s, p, o in g:
            t = (ox_term(s), ox_term(p), ox_term(o))
            if is_schema(*t):
                found.add(t)
    return found


@contextmanager
def _no_gc():
    """The cyclic collector off: reasoning makes millions of small containers, none cyclic, which it would only
    rescan again and again (it took a third of the time at 10x)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def entailments(quads: Iterable, schema: Iterable[Graph] = ()) -> set[tuple]:
    """Every ``(s, p, o)`` (pyoxigraph terms) entailed by ``quads`` and not among them, trivial ones included.

    The schema axioms are read from the quads and from the ``schema`` graphs (normally the ontology, which is also
    among the quads; blank-node labels must be those of the quads)."""
    with _no_gc():
        groups = by_predicate(quads)
        tbox_triples = _schema_triples(groups, schema)
        while True:
            tbox = TBox(tbox_triples)
            derived = closure(groups, tbox)
            new = schema_facts(derived) - tbox.triples - tbox.closure
            if not new:
                return set(derived)
            tbox_triples |= new  # the data entails schema axioms: make the tables again with them


def infer_triples(quads: Iterable, schema: Iterable[Graph] = ()) -> list[ox.Triple]:
    """The non-trivial OWL 2 RL entailments of ``quads`` (pyoxigraph quads or triples: ontology and data together),
    without the asserted triples, sorted by ``(str(s), str(p), str(o))``; see :func:`entailments` for ``schema``."""
    with _no_gc():
        kept = drop_trivial(entailments(quads, schema))
        text: dict = {}

        def key(t):
            s, p, o = t
            return (text.get(s) or text.setdefault(s, str(s)), text.get(p) or text.setdefault(p, str(p)),
                    text.get(o) or text.setdefault(o, str(o)))

        kept.sort(key=key)
        return [ox.Triple(s, p, o) for s, p, o in kept]


def as_graph(triples: Iterable[ox.Triple]) -> Graph:
    """pyoxigraph triples as an rdflib graph."""
    out = Graph()
    for t in triples:
        out.add((rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object)))
    return out


def infer_quads(quads: Iterable[ox.Quad], schema: Iterable[Graph] = ()) -> Graph:
    """:func:`infer_triples` as an rdflib graph (the build's single conversion is to the quads)."""
    return as_graph(infer_triples(quads, schema))


def infer(asserted: Iterable[Graph]) -> Graph:
    """The OWL 2 RL entailments of ``asserted`` (ontology and data together), without the asserted triples."""
    from .rdf.quads import ox_term

    asserted = list(asserted)
    triples = [ox.Triple(ox_term(s), ox_term(p), ox_term(o)) for g in asserted for s, p, o in g]
    return infer_quads(triples)


def infer_owlrl(asserted: Iterable[Graph]) -> Graph:
    """The reference: owlrl's OWL-RL closure (never its RDFS semantics), minus asserted and trivial triples."""
    import owlrl

    full = Graph()
    for g in asserted:
        full += g
    closure_ = Graph()
    closure_ += full
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure_)
    out = Graph()
    for t in closure_:
        if t not in full and not is_trivial(t):
            out.add(t)
    return out


# --- reasoning per report -------------------------------------------------------------------------------------

_OWL = "http://www.w3.org/2002/07/owl#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
# Constructs whose rules can join facts of two reports through a node they share (or merge nodes).
_JOINING_TYPES = {_OWL + t for t in ("FunctionalProperty", "InverseFunctionalProperty", "TransitiveProperty",
                                     "SymmetricProperty")}
_JOINING_PREDICATES = {_OWL + t for t in ("sameAs", "maxCardinality", "maxQualifiedCardinality", "cardinality",
                                          "qualifiedCardinality", "hasKey", "allValuesFrom", "intersectionOf")}


def splittable(ontology: Graph) -> bool:
    """Whether, under ``ontology``, the closure of a build is the union of the closures of (ontology + reference
    + one report): no construct whose rule joins two facts on a node reports share (see the module docstring).
    Property chains are allowed here; :func:`splittable_data` checks their joins in each report."""
    from rdflib import URIRef

    for s, p, o in ontology:
        if str(p) in _JOINING_PREDICATES:
            return False
        if str(p) == _RDF + "type" and str(o) in _JOINING_TYPES:
            return False
        if str(p) == _OWL + "someValuesFrom" and o != URIRef(_OWL + "Thing"):
            return False
    return True


def chain_tails(ontology: Graph) -> frozenset[str]:
    """The predicates after the first of every property chain, as N-Triples text (``<iri>``)."""
    from rdflib.collection import Collection
    from rdflib.namespace import OWL

    tails = set()
    for _prop, head in ontology.subject_objects(OWL.propertyChainAxiom):
        tails.update(f"<{p}>" for p in list(Collection(ontology, head))[1:])
    return frozenset(tails)


def splittable_data(lines: Iterable[str], tails: frozenset[str], own: tuple[str, ...]) -> bool:
    """Whether one report's lines can be reasoned over without the other reports: they hold no schema triple, and
    every fact of a chain's later predicates is about a node minted under the report's own IRIs (``own``:
    ``<…/id/report/<slug>/`` and the like), so that a chain cannot continue through another report's facts."""
    schema = {str(p) for p in SCHEMA_PREDICATES}
    schema_classes = {str(c) for c in SCHEMA_CLASSES}
    rdf_type = str(TYPE)
    for line in lines:
        s, p, o = line.split(" ", 2)
        if p in schema or (p == rdf_type and o in schema_classes):
            return False
        if p in tails and not s.startswith(own):
            return False
    return True

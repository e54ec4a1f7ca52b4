"""The vocabulary the rules use, as pyoxigraph terms, and what counts as a trivial entailment."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal
from rdflib.namespace import OWL, RDF, RDFS, XSD

_RDF, _RDFS, _OWL, _XSD = str(RDF), str(RDFS), str(OWL), str(XSD)


def _iri(ns: str, name: str) -> ox.NamedNode:
    return ox.NamedNode(ns + name)


TYPE = _iri(_RDF, "type")
FIRST, REST, NIL = _iri(_RDF, "first"), _iri(_RDF, "rest"), _iri(_RDF, "nil")
SUBCLASS, SUBPROPERTY = _iri(_RDFS, "subClassOf"), _iri(_RDFS, "subPropertyOf")
DOMAIN, RANGE = _iri(_RDFS, "domain"), _iri(_RDFS, "range")
EQ_CLASS, EQ_PROPERTY = _iri(_OWL, "equivalentClass"), _iri(_OWL, "equivalentProperty")
INVERSE = _iri(_OWL, "inverseOf")
ON_PROPERTY, HAS_VALUE = _iri(_OWL, "onProperty"), _iri(_OWL, "hasValue")
SOME_VALUES, ALL_VALUES = _iri(_OWL, "someValuesFrom"), _iri(_OWL, "allValuesFrom")
CHAIN = _iri(_OWL, "propertyChainAxiom")
INTERSECTION, UNION = _iri(_OWL, "intersectionOf"), _iri(_OWL, "unionOf")
TRANSITIVE, SYMMETRIC = _iri(_OWL, "TransitiveProperty"), _iri(_OWL, "SymmetricProperty")
THING = _iri(_OWL, "Thing")

#: Predicates of the schema axioms the rules read (and of the RDF lists some of them hold).
SCHEMA_PREDICATES = frozenset({SUBCLASS, SUBPROPERTY, DOMAIN, RANGE, EQ_CLASS, EQ_PROPERTY, INVERSE, ON_PROPERTY,
                               HAS_VALUE, SOME_VALUES, ALL_VALUES, CHAIN, INTERSECTION, UNION, FIRST, REST})
#: Classes whose membership is a schema axiom (``p a owl:TransitiveProperty``).
SCHEMA_CLASSES = frozenset({TRANSITIVE, SYMMETRIC})


def is_schema(s, p, o) -> bool:
    """Whether a triple (pyoxigraph terms) is one the rule tables are made from."""
    return p in SCHEMA_PREDICATES or (p == TYPE and o in SCHEMA_CLASSES)


_BUILTIN = (_RDF, _RDFS, _OWL, _XSD)
_REFLEXIVE = (OWL.sameAs, RDFS.subClassOf, OWL.equivalentClass, RDFS.subPropertyOf, OWL.equivalentProperty)
_ROLE_CLASSES = (OWL.Thing, RDFS.Resource, RDFS.Datatype, OWL.AnnotationProperty, RDF.Property, RDFS.Class, OWL.Class,
                 OWL.ObjectProperty, OWL.DatatypeProperty, RDFS.Literal)
_TOP = (OWL.Thing, RDFS.Resource)


def is_trivial(triple: tuple) -> bool:
    """What owlrl adds that says nothing about our data: named here so the comparison test can cite it.

    * anything involving a blank node: membership of anonymous restriction classes and the RDF lists of axioms;
    * anything about a literal (owlrl types literals: ``"3"^^xsd:integer a xsd:integer``);
    * reflexive statements: ``x owl:sameAs x``, ``C rdfs:subClassOf C``, ``C owl:equivalentClass C``,
      ``p rdfs:subPropertyOf p``, ``p owl:equivalentProperty p``;
    * ``x a owl:Thing``, ``C rdfs:subClassOf owl:Thing``, ``owl:Nothing rdfs:subClassOf C``, and
      ``p rdfs:domain owl:Thing`` / ``p rdfs:range owl:Thing``;
    * axiomatic triples about the RDF, RDFS, OWL and XSD vocabularies themselves (subject in those namespaces);
    * declarations of vocabulary roles (``C a owl:Class``, ``p a rdf:Property``, ``d a rdfs:Datatype``…);
    * ``owl:sameAs`` / ``owl:differentFrom`` (our data states no identity; owlrl derives them from datatypes);
    * typing with XSD datatypes.

    :func:`is_trivial_term` is the same test on pyoxigraph terms (the engines' hot path).
    """
    s, p, o = triple
    if isinstance(s, Literal) or (p == RDF.type and isinstance(o, Literal)):
        return True
    if isinstance(s, BNode) or isinstance(o, BNode):
        return True  # membership of anonymous class expressions (restrictions, lists): no statement about data
    if p in _REFLEXIVE and s == o:
        return True
    if p == RDF.type and o in _ROLE_CLASSES:
        return True
    if p == RDFS.subClassOf and (o in _TOP or s == OWL.Nothing):
        return True
    if p in (RDFS.domain, RDFS.range) and o in _TOP:
        return True
    if str(s).startswith(_BUILTIN):
        return True
    if p == OWL.sameAs or p == OWL.differentFrom:
        return True  # nothing in our data states identity; owlrl's datatype reasoning produces these
    if str(o).startswith(_XSD) and p in (RDF.type, RDFS.range):
        return True
    return False


def _ox_set(terms) -> frozenset:
    return frozenset(ox.NamedNode(str(t)) for t in terms)


_OX_REFLEXIVE = _ox_set(_REFLEXIVE)
_OX_ROLE_CLASSES = _ox_set(_ROLE_CLASSES)
_OX_TOP = _ox_set(_TOP)
_OX_NOTHING = ox.NamedNode(str(OWL.Nothing))
_OX_DOMAIN_RANGE = _ox_set((RDFS.domain, RDFS.range))
_OX_IDENTITY = _ox_set((OWL.sameAs, OWL.differentFrom))
_OX_TYPE_RANGE = frozenset({TYPE, RANGE})


def is_trivial_term(s, p, o) -> bool:
    """:func:`is_trivial` for a triple of pyoxigraph terms, without converting them."""
    if isinstance(s, ox.Literal) or (p == TYPE and isinstance(o, ox.Literal)):
        return True
    if isinstance(s, ox.BlankNode) or isinstance(o, ox.BlankNode):
        return True
    if p in _OX_REFLEXIVE and s == o:
        return True
    if p == TYPE and o in _OX_ROLE_CLASSES:
        return True
    if p == SUBCLASS and (o in _OX_TOP or s == _OX_NOTHING):
        return True
    if p in _OX_DOMAIN_RANGE and o in _OX_TOP:
        return True
    if s.value.startswith(_BUILTIN):
        return True
    if p in _OX_IDENTITY:
        return True
    if o.value.startswith(_XSD) and p in _OX_TYPE_RANGE:
        return True
    return False


_SPECIAL = _OX_REFLEXIVE | {SUBCLASS} | _OX_DOMAIN_RANGE | _OX_IDENTITY | _OX_TYPE_RANGE
_NEUTRAL = ox.NamedNode("https://w3id.org/gcm-graph/")


def drop_trivial(triples: Iterable[tuple]) -> list[tuple]:
    """The triples (``(s, p, o)`` of pyoxigraph terms) that are not :func:`is_trivial_term`, with the tests on each
    subject, class and predicate made once: a triple ``x a C`` is trivial when ``x`` is a trivial subject (a literal,
    a blank node, a term of the built-in vocabularies) or ``C`` a trivial class; ``x p y``, for a predicate no test
    names, when ``x`` is a trivial subject or ``y`` a blank node."""
    subject_ok: dict = {}
    class_ok: dict = {}
    kinds: dict = {}  # predicate → 0 (named by no test), 1 (rdf:type), 2 (named: the full test)
    BlankNode = ox.BlankNode
    out = []
    for t in triples:
        s, p, o = t
        ok = subject_ok.get(s)
        if ok is None:
            ok = subject_ok[s] = not is_trivial_term(s, _NEUTRAL, _NEUTRAL)
        if not ok:
            continue
        kind = kinds.get(p)
        if kind is None:
            kind = kinds[p] = 1 if p == TYPE else 2 if p in _SPECIAL else 0
        if kind == 0:
            ok = not isinstance(o, BlankNode)
        elif kind == 1:
            ok = class_ok.get(o)
            if ok is None:
                ok = class_ok[o] = not is_trivial_term(_NEUTRAL, TYPE, o)
        else:
            ok = not is_trivial_term(s, p, o)
        if ok:
            out.append(t)
    return out

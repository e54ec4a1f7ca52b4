"""The schema (T-box): axioms read from the input, their closure, and the rule tables of the A-box engine.

:class:`TBox` is made from every schema triple (:func:`~.vocab.is_schema`) of the input, wherever it is. It gives

* ``closure``: the schema triples the ``scm-*`` rules entail (transitive ``rdfs:subClassOf`` and
  ``rdfs:subPropertyOf``, with ``owl:equivalentClass``/``owl:equivalentProperty`` read as both directions and
  given back for classes/properties below each other, an intersection below its members and the members of a
  union below it, and domains and ranges inherited down the property hierarchy and up the class hierarchy),
  never reflexive;
* ``props``: predicate → :class:`PropRules`, what one fact ``x p y`` entails or joins with;
* ``classes``: class → :class:`ClassRules`, what one fact ``x a C`` entails or joins with;
* ``indexed``: the predicates whose pairs the engine must keep because a rule derives them (to tell new from
  known) or joins on them; ``joined``: those a rule joins on (indexed by subject and by object too);
* ``kept_classes``: the classes whose members the engine must keep, for the same reasons.

Only direct axioms go into the rule tables: the engine reaches the closure by deriving one step at a time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from .vocab import (ALL_VALUES, CHAIN, DOMAIN, EQ_CLASS, EQ_PROPERTY, FIRST, HAS_VALUE, INTERSECTION, INVERSE, NIL,
                    ON_PROPERTY, RANGE, REST, SOME_VALUES, SUBCLASS, SUBPROPERTY, SYMMETRIC, THING, TRANSITIVE, TYPE,
                    UNION)


@dataclass
class PropRules:
    """What a fact ``x p y`` entails (rule names of the OWL 2 RL/RDF tables)."""

    supers: list = field(default_factory=list)      # prp-spo1: x q y
    domains: list = field(default_factory=list)     # prp-dom: x a C
    ranges: list = field(default_factory=list)      # prp-rng: y a C (y not a literal)
    inverses: list = field(default_factory=list)    # prp-inv1/2: y q x (y not a literal)
    symmetric: bool = False                         # prp-symp: y p x
    transitive: bool = False                        # prp-trp: joins with x' p x and y p y'
    has_value: dict = field(default_factory=dict)   # cls-hv2: y → [R]: x a R
    some_thing: list = field(default_factory=list)  # cls-svf2: [R]: x a R
    some: list = field(default_factory=list)        # cls-svf1: [(R, D)]: x a R when y a D
    all_values: list = field(default_factory=list)  # cls-avf: [(C, D)]: y a D when x a C
    chains: list = field(default_factory=list)      # prp-spo2: [(head, chain, position of p)]

    def as_tuple(self) -> tuple:
        return (self.supers, self.domains, self.ranges, self.inverses, self.symmetric, self.transitive,
                self.has_value, self.some_thing, self.some, self.all_values, self.chains)


@dataclass
class ClassRules:
    """What a fact ``x a C`` entails."""

    supers: list = field(default_factory=list)      # cax-sco, cls-uni, cls-int2: x a D
    has_value: list = field(default_factory=list)   # cls-hv1: [(p, v)]: x p v
    all_values: list = field(default_factory=list)  # cls-avf: [(p, D)]: y a D for every x p y
    some: list = field(default_factory=list)        # cls-svf1 (C the filler): [(p, R)]: w a R for every w p x
    intersections: list = field(default_factory=list)  # cls-int1: [(I, members)]: x a I when x is a every member

    def as_tuple(self) -> tuple:
        return self.supers, self.has_value, self.all_values, self.some, self.intersections


def _closure(edges: dict) -> dict:
    """Node → every node reachable through one or more edges (the node itself only on a cycle)."""
    out = {}
    for start in edges:
        seen: set = set()
        todo = list(edges[start])
        while todo:
            n = todo.pop()
            if n not in seen:
                seen.add(n)
                todo.extend(edges.get(n, ()))
        out[start] = seen
    return out


class TBox:
    def __init__(self, triples: Iterable[tuple]):
        by: dict = defaultdict(lambda: defaultdict(set))  # predicate → subject → objects
        for s, p, o in triples:
            by[p][s].add(o)
        self.triples = {(s, p, o) for p, m in by.items() for s, os in m.items() for o in os}

        def pairs(p):
            return ((s, o) for s, os in by[p].items() for o in os)

        def walk(head) -> list:
            items, seen = [], set()
            while head != NIL and head not in seen:
                seen.add(head)
                first, rest = by[FIRST].get(head), by[REST].get(head)
                if not first or not rest:
                    return []  # not a well-formed list: the axiom is ignored
                items.append(next(iter(first)))
                head = next(iter(rest))
            return items if head == NIL else []

        # scm-sco, scm-eqc, scm-spo, scm-eqp
        sco: dict = defaultdict(set)
        spo: dict = defaultdict(set)
        for a, b in pairs(SUBCLASS):
            sco[a].add(b)
        for a, b in pairs(EQ_CLASS):
            if a != b:
                sco[a].add(b)
                sco[b].add(a)
        intersections = {}
        for c, lists in by[INTERSECTION].items():
            for lst in lists:
                members = walk(lst)
                if members:
                    intersections.setdefault(c, []).append(tuple(members))
                    sco[c].update(members)  # scm-int (cls-int2 in the A-box)
        for c, lists in by[UNION].items():
            for lst in lists:
                for m in walk(lst):
                    sco[m].add(c)  # scm-uni (cls-uni in the A-box)
        for a, b in pairs(SUBPROPERTY):
            spo[a].add(b)
        for a, b in pairs(EQ_PROPERTY):
            if a != b:
                spo[a].add(b)
                spo[b].add(a)
        sco_all, spo_all = _closure(sco), _closure(spo)
        derived = {(a, SUBCLASS, c) for a, cs in sco_all.items() for c in cs if c != a}
        derived |= {(a, SUBPROPERTY, c) for a, cs in spo_all.items() for c in cs if c != a}
        # scm-eqc2, scm-eqp2: classes (properties) below each other are equivalent
        derived |= {(a, EQ_CLASS, c) for a, cs in sco_all.items() for c in cs if c != a and a in sco_all.get(c, ())}
        derived |= {(a, EQ_PROPERTY, c) for a, cs in spo_all.items() for c in cs
                    if c != a and a in spo_all.get(c, ())}
        # scm-dom1/2, scm-rng1/2: a property has the domains (ranges) of its super-properties and their super-classes
        for axiom in (DOMAIN, RANGE):
            direct = by[axiom]
            for prop in set(direct) | set(spo_all):
                supers = {prop} | spo_all.get(prop, set())
                classes = {c for q in supers for c in direct.get(q, ())}
                derived |= {(prop, axiom, d) for c in classes for d in {c} | sco_all.get(c, set())}
        self.closure = derived - self.triples

        props: dict = defaultdict(PropRules)
        classes: dict = defaultdict(ClassRules)
        for p, qs in spo.items():
            props[p].supers.extend(q for q in qs if q != p and isinstance(q, ox.NamedNode))
        for p, cs in by[DOMAIN].items():
            props[p].domains.extend(cs)
        for p, cs in by[RANGE].items():
            props[p].ranges.extend(cs)
        for p, q in pairs(INVERSE):
            if isinstance(q, ox.NamedNode):
                props[p].inverses.append(q)
            if isinstance(p, ox.NamedNode):
                props[q].inverses.append(p)
        for p in by[TYPE]:
            kinds = by[TYPE][p]
            if SYMMETRIC in kinds and isinstance(p, ox.NamedNode):
                props[p].symmetric = True
            if TRANSITIVE in kinds and isinstance(p, ox.NamedNode):
                props[p].transitive = True
        for c, ps in by[ON_PROPERTY].items():
            for p in ps:
                for v in by[HAS_VALUE].get(c, ()):
                    props[p].has_value.setdefault(v, []).append(c)
                    if isinstance(p, ox.NamedNode):
                        classes[c].has_value.append((p, v))
                for d in by[SOME_VALUES].get(c, ()):
                    if d == THING:
                        props[p].some_thing.append(c)
                    else:
                        props[p].some.append((c, d))
                        classes[d].some.append((p, c))
                for d in by[ALL_VALUES].get(c, ()):
                    props[p].all_values.append((c, d))
                    classes[c].all_values.append((p, d))
        for c, ds in sco.items():
            classes[c].supers.extend(d for d in ds if d != c)
        for head, lists in by[CHAIN].items():
            for lst in lists:
                chain = walk(lst)
                if chain and isinstance(head, ox.NamedNode):
                    for i, p in enumerate(chain):
                        props[p].chains.append((head, tuple(chain), i))
        for c, lists in intersections.items():
            for members in lists:
                for m in set(members):
                    classes[m].intersections.append((c, members))  # cls-int1

        # Predicates that rules derive (their pairs are kept to tell new from known) or join on (also indexed by
        # subject and by object).
        joined = set()
        for p, r in props.items():
            if r.transitive or r.some or r.all_values:
                joined.add(p)
            for _, chain, _ in r.chains:
                joined.update(chain)
        for r in classes.values():
            joined.update(p for p, _ in r.all_values)
            joined.update(p for p, _ in r.some)
        indexed = set(joined)
        for p, r in props.items():
            indexed.update(r.supers)
            indexed.update(r.inverses)
            if r.symmetric:
                indexed.add(p)
            indexed.update(head for head, _, _ in r.chains)
        for r in classes.values():
            indexed.update(p for p, _ in r.has_value)
        self.joined = joined
        self.indexed = indexed
        self.props = {p: r.as_tuple() for p, r in props.items()}
        self.classes = {c: r.as_tuple() for c, r in classes.items()}
        # Classes whose members the engine must remember: those a rule derives or tests.
        kept = set()
        for r in props.values():
            kept.update(r.domains)
            kept.update(r.ranges)
            kept.update(c for cs in r.has_value.values() for c in cs)
            kept.update(r.some_thing)
            kept.update(c for c, _ in r.some)
            kept.update(d for _, d in r.some)
            kept.update(c for c, _ in r.all_values)
            kept.update(d for _, d in r.all_values)
        for c, r in classes.items():
            kept.update(r.supers)
            kept.update(d for _, d in r.all_values)
            if r.intersections:
                kept.add(c)
                kept.update(i for i, _ in r.intersections)
        self.kept_classes = kept

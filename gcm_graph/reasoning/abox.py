"""The A-box engine: the OWL 2 RL closure of the facts under a fixed :class:`~.tbox.TBox`, semi-naive, on sets.

The facts are sorted once by predicate (:func:`by_predicate`). A fact ``x a C`` is kept in the set of members of
``C``, a fact ``x p y`` in the set of pairs of ``p``, for the classes and predicates some rule mentions; the others
are never looked at again. Then rounds: each rule of the rule tables is applied to what the previous round found
(the delta; at first, everything asserted) as set operations (members of a domain ``|=`` subjects of the new
pairs, pairs of a super-property ``|=`` new pairs, …), joining with everything known where a rule has two premises
(chains, transitive properties, ``someValuesFrom``/``allValuesFrom`` with a class, intersections: indexes by
subject and by object of their predicates). What a round derives minus what is known is the next delta; the
closure is reached when a delta is empty. Terms stay pyoxigraph terms.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from .tbox import TBox
from .vocab import TYPE, is_schema


def by_predicate(facts: Iterable) -> dict:
    """Quads or triples grouped by predicate: predicate → [fact]."""
    groups: dict = {}
    get = groups.get
    for q in facts:
        p = q.predicate
        group = get(p)
        if group is None:
            groups[p] = [q]
        else:
            group.append(q)
    return groups


def closure(groups: dict, tbox: TBox) -> list[tuple]:
    """The facts entailed by the facts in ``groups`` (:func:`by_predicate`) and ``tbox``, without the given ones,
    as ``(s, p, o)`` tuples (``tbox.closure`` included)."""
    props, classes = tbox.props, tbox.classes
    Literal = ox.Literal
    derived: list = []

    # What is known: members of the classes and pairs of the predicates the rules mention.
    members: dict = {c: set() for c in set(classes) | tbox.kept_classes}
    for q in groups.get(TYPE, ()):
        m = members.get(q.object)
        if m is not None:
            m.add(q.subject)
    pairs: dict = {p: {(q.subject, q.object) for q in groups.get(p, ())} for p in tbox.indexed}
    joined = tbox.joined
    out_idx: dict = {p: defaultdict(set) for p in joined}  # p → s → {o}
    in_idx: dict = {p: defaultdict(set) for p in joined}   # p → o → {s}
    for p in joined:
        out, inn = out_idx[p], in_idx[p]
        for s, o in pairs[p]:
            out[s].add(o)
            inn[o].add(s)

    new_types: dict = defaultdict(set)
    new_pairs: dict = defaultdict(set)

    def fire(p, rules, ps):
        """Apply the rules of predicate ``p`` to its new pairs ``ps``."""
        (supers, domains, ranges, inverses, symmetric, transitive, has_value, some_thing, some, all_values,
         chains) = rules
        for q in supers:
            new_pairs[q] |= ps
        if domains or some_thing:
            subjects = {s for s, _ in ps}
            for c in domains:
                new_types[c] |= subjects
            for r in some_thing:
                new_types[r] |= subjects
        if ranges or inverses or symmetric or all_values:
            resources = [(s, o) for s, o in ps if not isinstance(o, Literal)]
            if ranges:
                objects = {o for _, o in resources}
                for c in ranges:
                    new_types[c] |= objects
            if inverses or symmetric:
                flipped = {(o, s) for s, o in resources}
                for q in inverses:
                    new_pairs[q] |= flipped
                if symmetric:
                    new_pairs[p] |= flipped
            for c, d in all_values:
                known = members.get(c, ())
                new_types[d].update(o for s, o in resources if s in known)
        if has_value:
            for s, o in ps:
                rs = has_value.get(o)
                if rs:
                    for r in rs:
                        new_types[r].add(s)
        for r, d in some:
            known = members.get(d, ())
            new_types[r].update(s for s, o in ps if o in known)
        if transitive:
            out, inn = out_idx[p], in_idx[p]
            add = new_pairs[p].add
            for s, o in ps:
                for z in out.get(o, ()):
                    add((s, z))
                for w in inn.get(s, ()):
                    add((w, o))
        for head, chain, i in chains:
            before = [in_idx[q] for q in reversed(chain[:i])]
            after = [out_idx[q] for q in chain[i + 1:]]
            add = new_pairs[head].add
            for s, o in ps:
                starts = [s]
                for inn in before:
                    starts = [w for v in starts for w in inn.get(v, ())]
                ends = [o]
                for out in after:
                    ends = [z for v in ends for z in out.get(v, ())]
                for a in starts:
                    for b in ends:
                        add((a, b))

    for s, p, o in tbox.closure:
        if p == TYPE:
            new_types[o].add(s)
        elif p in pairs:
            new_pairs[p].add((s, o))
        else:
            derived.append((s, p, o))
    delta_types = {c: set(xs) for c, xs in members.items() if xs}
    delta_pairs = {p: set(ps) for p, ps in pairs.items() if ps}
    # Facts of predicates no rule derives or joins on are seen once, here, and never kept.
    for p, rules in props.items():
        facts = groups.get(p)
        if p in pairs or not facts:
            continue
        supers, domains, ranges, inverses, _, _, has_value, some_thing, _, _, _ = rules
        if supers or inverses or has_value:
            fire(p, rules, {(q.subject, q.object) for q in facts})
            continue
        if domains or some_thing:
            subjects = {q.subject for q in facts}
            for c in domains:
                new_types[c] |= subjects
            for r in some_thing:
                new_types[r] |= subjects
        if ranges:
            objects = {q.object for q in facts}
            objects = {o for o in objects if not isinstance(o, Literal)}
            for c in ranges:
                new_types[c] |= objects

    while delta_types or delta_pairs or new_types or new_pairs:
        for c, xs in delta_types.items():
            rules = classes.get(c)
            if rules is None:
                continue
            supers, has_value, all_values, some, intersections = rules
            for d in supers:
                new_types[d] |= xs
            for p, v in has_value:
                new_pairs[p].update((x, v) for x in xs)
            for p, d in all_values:
                out = out_idx[p]
                new_types[d].update(y for x in xs if x in out for y in out[x] if not isinstance(y, Literal))
            for p, r in some:
                inn = in_idx[p]
                new_types[r].update(w for x in xs if x in inn for w in inn[x])
            for i, ms in intersections:
                known = [members.get(m, ()) for m in ms]
                new_types[i].update(x for x in xs if all(x in k for k in known))
        for p, ps in delta_pairs.items():
            rules = props.get(p)
            if rules is not None:
                fire(p, rules, ps)
        # What is new becomes known and the next delta.
        delta_types, delta_pairs = {}, {}
        for c, xs in new_types.items():
            known = members.get(c)
            if known is None:
                known = members[c] = set()
            xs -= known
            if xs:
                known |= xs
                delta_types[c] = xs
                derived.extend((x, TYPE, c) for x in xs)
        for p, ps in new_pairs.items():
            known = pairs.get(p)
            if known is None:
                known = pairs[p] = set()
            ps -= known
            if ps:
                known |= ps
                delta_pairs[p] = ps
                derived.extend((s, p, o) for s, o in ps)
                if p in out_idx:
                    out, inn = out_idx[p], in_idx[p]
                    for s, o in ps:
                        out[s].add(o)
                        inn[o].add(s)
        new_types, new_pairs = defaultdict(set), defaultdict(set)
    return derived


def schema_facts(derived: Iterable[tuple]) -> set:
    """The schema triples among derived facts (which would change the rule tables)."""
    return {t for t in derived if is_schema(*t)}

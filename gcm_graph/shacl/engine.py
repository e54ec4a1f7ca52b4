"""Run compiled shapes on a pyoxigraph store and build validation results.

Queries see the union of every graph of the store (``use_default_graph_as_union=True``), so the data may sit in the
default graph, in named graphs, or both. Each constraint is one query over all focus nodes of its shape; nested
shapes (sh:node, sh:or, sh:qualifiedValueShape) are evaluated as the set of value nodes that do not conform.
A :class:`~.focus.FocusFilter` restricts the target nodes in every query (the nested shapes' focus nodes are the
value nodes reached from those targets, so they follow).
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef

from . import checks as k_
from . import compile as c
from . import sparql as sq
from .focus import FocusFilter
from .model import SH_NS, Shape, read_shapes


@dataclass(frozen=True)
class Result:
    """One validation result, as pySHACL would report it (terms are pyoxigraph terms)."""
    shape: Shape
    component: str
    focus: object
    value: object = None
    path: str | None = None  # as model.Path.text
    message: str = ""

    @property
    def severity(self) -> str:
        return self.shape.severity

    @property
    def source(self) -> str:
        return str(self.shape.node) if isinstance(self.shape.node, URIRef) else self.component


def _generic(kind: str, shape: Shape, value) -> str:
    """A default message for a shape without sh:message (pySHACL's wording is not reproduced exactly)."""
    return f"{kind} constraint of {shape.node} not met" + (f" by {value.value}" if value is not None else "")


def _pick(messages) -> str | None:
    if not messages:
        return None
    best = sorted(messages, key=lambda m: (m.language not in (None, "en"), str(m)))[0]
    return str(best)


class Engine:
    def __init__(self, store: ox.Store, shapes: Graph | list[Shape], focus: FocusFilter | None = None):
        self.store = store
        self.shapes = read_shapes(shapes) if isinstance(shapes, Graph) else list(shapes)
        self.focus = focus  # which target nodes to validate (None: all)
        self.queries = 0

    def query(self, text: str):
        self.queries += 1
        return self.store.query(text, use_default_graph_as_union=True)

    def rows(self, text: str, *names: str):
        for sol in self.query(text):
            yield tuple(sol[n] for n in names)

    # -- top level ----------------------------------------------------------------------------------------------------

    def validate(self, workers: int | None = None) -> list[Result]:
        """Every result of every targeted shape. On a large store the shapes run in ``workers`` threads (default:
        one per CPU, at most 8; a single thread under 100,000 quads, where threads cost more than they give):
        pyoxigraph evaluates queries without holding the GIL. The order of the results does not depend on it."""
        active = [s for s in self.shapes if not s.deactivated]
        if workers is None:
            workers = min(8, os.cpu_count() or 1) if len(self.store) >= 100_000 else 1

        def run(shape: Shape) -> list[Result]:
            focus = c.target_focus(shape, self.focus)
            if self.focus is not None and not self.any_focus(focus):
                return []  # no target kept: nothing to evaluate (oxigraph would not always start from the targets)
            return self.evaluate(shape, focus)

        if workers <= 1 or len(active) < 2:
            parts = [run(s) for s in active]
        else:
            with ThreadPoolExecutor(workers) as pool:
                parts = list(pool.map(run, active))
        return [r for part in parts for r in part]

    def evaluate(self, shape: Shape, focus: c.Focus, counted: bool = False) -> list[Result]:
        """Every result of ``shape`` on the focus nodes of ``focus`` (``counted``: its min/maxCount already ran)."""
        if shape.deactivated:
            return []
        out = self.simple(shape, focus)
        for constraint in shape.constraints:
            if not (counted and constraint.kind in ("minCount", "maxCount")):
                out.extend(self.constraint(shape, focus, constraint))
        for sc in shape.sparql:
            out.extend(self.sparql(shape, focus, sc))
        batched, done = self.counts(shape.properties, focus)
        out.extend(batched)
        for prop in shape.properties:
            out.extend(self.evaluate(prop, focus, counted=prop.node in done))
        return out

    def any_focus(self, focus: c.Focus) -> bool:
        self.queries += 1
        return bool(self.store.query(f"ASK {{ {focus('this')} }}", use_default_graph_as_union=True))

    def counts(self, properties, focus: c.Focus) -> tuple[list[Result], set]:
        """sh:minCount/sh:maxCount of all property shapes of a shape whose path is one predicate (or its inverse), in
        one query per direction."""
        out, done = [], set()
        for inverse in (False, True):
            bounds = {}
            for i, p in enumerate(properties):
                if p.deactivated or p.node in done or p.path is None:
                    continue
                if inverse:
                    m = re.fullmatch(r"\^(<[^<>]*>)", p.path.sparql)
                    iri = m.group(1) if m else None
                else:
                    iri = f"<{p.path.iri}>" if p.path.iri is not None else None
                if iri is None:
                    continue
                lo = next((k.value for k in p.constraints if k.kind == "minCount"), None)
                hi = next((k.value for k in p.constraints if k.kind == "maxCount"), None)
                lo = lo if lo is not None and lo > 0 else None  # sh:minCount 0 always holds
                if lo is None and hi is None:
                    continue
                bounds[i] = (p, iri, lo, hi)
            if not bounds:
                continue
            for p, *_ in bounds.values():
                done.add(p.node)
            for t, k, n in self.rows(c.counts_query(focus, inverse, {i: b[1:] for i, b in bounds.items()}),
                                     "this", "k", "n"):
                p, _iri, lo, hi = bounds[int(k.value)]
                n = int(n.value)
                if lo is not None and n < lo:
                    out.append(self.result(p, "minCount", t))
                if hi is not None and n > hi:
                    out.append(self.result(p, "maxCount", t))
        return out, done

    def nonconforming(self, shape: Shape, focus: c.Focus) -> set:
        """The focus nodes (given by ``focus``) that do not conform to ``shape``."""
        return {r.focus for r in self.evaluate(shape, focus)}

    # -- results ------------------------------------------------------------------------------------------------------

    def result(self, shape: Shape, kind: str, focus, value=None) -> Result:
        message = _pick(shape.messages) or _generic(kind, shape, value)
        return Result(shape, c.component(kind if kind != "qualified" else "qualifiedMinCount"), focus, value,
                      shape.path.text if shape.path else None, message)

    def simple(self, shape: Shape, focus: c.Focus) -> list[Result]:
        """Every value-by-value constraint of ``shape`` whose test is a SPARQL expression, in one query; where
        pySHACL's semantics could differ the expression selects candidates and Python decides."""
        tests = []  # (kind, condition, exact check or None, index of the compared predicate or None)
        others, classes = [], []
        for k in shape.constraints:
            kind, v = k.kind, k.value
            if kind == "nodeKind":
                tests.append((kind, c.node_kind_condition(v), None))
            elif kind == "languageIn":
                tests.append((kind, c.language_in_condition(v), None))
            elif kind == "in":
                tests.append((kind, c.in_condition(v), None))
            elif kind == "minLength":
                tests.append((kind, c.min_length_condition(v), None))
            elif kind == "datatype":
                tests.append((kind, c.datatype_candidates(v), lambda x, v=v: k_.datatype_ok(x, v)))
            elif kind == "pattern":
                regex = k_.compile_pattern(v, k.extra[0])
                tests.append((kind, c.pattern_candidates(str(v), k.extra[0]), lambda x, r=regex: k_.pattern_ok(x, r)))
            elif kind in ("minInclusive", "maxInclusive"):
                op = ">=" if kind == "minInclusive" else "<="
                tests.append((kind, c.range_candidates(v, op), lambda x, v=v, op=op: k_.range_ok(x, v, op)))
            elif kind == "lessThanOrEquals":
                tests.append((kind, c.less_or_equal_condition(len(others)), None, len(others)))
                others.append(v)
            elif kind == "class":
                tests.append((kind, c.class_condition(len(classes)), None))
                classes.append(v)
        tests = [t if len(t) == 4 else (*t, None) for t in tests]
        if not tests:
            return []
        out, seen = [], set()
        names = [f"c{i}" for i in range(len(tests))] + [f"o{i}" for i in range(len(others))]
        query = c.flags_query(shape, focus, [t[1] for t in tests], tuple(others), tuple(classes))
        for row in self.rows(query, "this", "value", *names):
            this, value, flags, compared = row[0], row[1], row[2:2 + len(tests)], row[2 + len(tests):]
            converted = None
            for n, ((kind, _cond, check, o), flag) in enumerate(zip(tests, flags)):
                if flag is None or flag.value != "true":
                    continue
                other = compared[o] if o is not None else None
                key = (n, this, value, other)  # rows repeat per compared value: one result per pair, as pySHACL
                if key in seen:
                    continue
                seen.add(key)
                if o is not None:
                    if k_.less_or_equal_ok(k_.to_rdflib(value), k_.to_rdflib(other)):
                        continue
                elif check is not None:
                    converted = converted if converted is not None else k_.to_rdflib(value)
                    if check(converted):
                        continue
                out.append(self.result(shape, kind, this, value))
        return out

    def constraint(self, shape: Shape, focus: c.Focus, k) -> list[Result]:
        kind, v = k.kind, k.value
        if kind in ("nodeKind", "languageIn", "in", "minLength", "datatype", "pattern", "minInclusive",
                    "maxInclusive", "lessThanOrEquals", "class"):
            return []  # see simple()
        if kind == "minCount":
            if v <= 0:
                return []
            return [self.result(shape, kind, t) for (t,) in self.rows(c.count_query(shape, focus, "<", v), "this")]
        if kind == "maxCount":
            return [self.result(shape, kind, t) for (t,) in self.rows(c.count_query(shape, focus, ">", v), "this")]
        if kind == "uniqueLang":
            if v.toPython() is not True:
                return []
            return [self.result(shape, kind, t) for t, _ in self.rows(c.unique_lang_query(shape, focus), "this",
                                                                       "lang")]
        if kind == "hasValue":
            return [self.result(shape, kind, t) for (t,) in self.rows(c.has_value_query(shape, focus, v), "this")]
        if kind == "disjoint":
            return [self.result(shape, kind, t, val)
                    for t, val in self.rows(c.disjoint_query(shape, focus, v), "this", "value")]
        if kind in ("or", "node"):
            return self.value_shapes(shape, focus, kind, v if kind == "or" else (v,))
        if kind == "qualified":
            return self.qualified(shape, focus, v, *k.extra)
        raise AssertionError(kind)

    def value_focus(self, shape: Shape, focus: c.Focus) -> c.Focus:
        return focus if shape.path is None else c.values_focus(focus, shape.path)

    def value_shapes(self, shape: Shape, focus: c.Focus, kind: str, alternatives) -> list[Result]:
        """sh:or (a value fails every alternative) and sh:node (a value fails the shape). As pySHACL does, a failed
        sh:node also reports the nested shape's own results (its sh:detail results) for that value."""
        vf = self.value_focus(shape, focus)
        failing = None
        details: dict = defaultdict(list)
        for alt in alternatives:
            nested = self.evaluate(alt, vf)
            if kind == "node":
                for r in nested:
                    details[r.focus].append(r)
            bad = {r.focus for r in nested}
            failing = bad if failing is None else failing & bad
            if not failing:
                return []
        out = []
        for t, val in self.rows(c.pairs_query(shape, focus), "this", "value"):
            if val in failing:
                out.append(self.result(shape, kind, t, val))
                out.extend(details.get(val, ()))
        return out

    def qualified(self, shape: Shape, focus: c.Focus, q: Shape, qmin, qmax) -> list[Result]:
        bad = self.nonconforming(q, self.value_focus(shape, focus))
        counts: dict = defaultdict(int)
        for (t,) in self.rows(f"SELECT ?this WHERE {{ {focus('this')} }}", "this"):
            counts[t] += 0
        for t, val in self.rows(c.pairs_query(shape, focus), "this", "value"):
            if val not in bad:
                counts[t] += 1
        out = []
        for t, n in counts.items():
            if qmax is not None and n > qmax:
                out.append(self.result(shape, "qualifiedMaxCount", t))
            if qmin is not None and n < qmin:
                out.append(self.result(shape, "qualifiedMinCount", t))
        return out

    # -- SPARQL-based constraints -------------------------------------------------------------------------------------

    def sparql(self, shape: Shape, focus: c.Focus, sc) -> list[Result]:
        text, projects_this = sq.prepare_select(sc, shape)
        if sq.joinable(text):
            runs = [(None, sq.joined_query(text, projects_this, focus))]
        else:
            runs = [(f, sq.bound_query(text, f)) for (f,) in self.rows(f"SELECT ?this WHERE {{ {focus('this')} }}",
                                                                      "this")]
        out = []
        seen = set()
        for fixed, query in runs:
            results = self.query(query)
            names = [v.value for v in results.variables]
            failed = set()
            for sol in results:
                row = {n: sol[n] for n in names if sol[n] is not None}
                f = fixed if fixed is not None else row.get("this")
                if f is None:
                    continue
                if "failure" in row:
                    del row["failure"]
                    if f in failed:
                        continue
                    failed.add(f)
                    fdict = {k: v.value for k, v in row.items()}
                    out.append(self._sparql_result(shape, sc, f, f if shape.path is None else None, None, fdict))
                    continue
                p, v, t = row.pop("path", None), row.pop("value", None), row.pop("this", None)
                if fixed is not None and not projects_this:
                    t = None
                if p is None and v is None and t is None:
                    continue
                key = (f, t, p, v, frozenset(row.items()))
                if key in seen:
                    continue
                seen.add(key)
                fdict = {k: x.value for k, x in row.items()}
                for name, x in (("this", t), ("path", p), ("value", v)):
                    if x is not None:
                        fdict[name] = x.value
                value = v if v is not None else (f if shape.path is None else None)
                out.append(self._sparql_result(shape, sc, t or f, value, p, fdict))
        return out

    def _sparql_result(self, shape: Shape, sc, focus, value, path, fdict) -> Result:
        messages = [sq.format_message(str(m), fdict) for m in sc.messages]
        if not messages:
            messages = [sq.format_message(str(m), fdict) for m in shape.messages]
        message = sorted(messages)[0] if messages else _generic("SPARQL", shape, value)
        path_text = path.value if path is not None else (shape.path.text if shape.path else None)
        return Result(shape, SH_NS + "SPARQLConstraintComponent", focus, value, path_text, message)


def validate(store: ox.Store, shapes: Graph | list[Shape], workers: int | None = None,
             focus: FocusFilter | None = None) -> list[Result]:
    """Every validation result of ``shapes`` on the union of the graphs of ``store``; ``focus``: only those found
    from the target nodes the filter keeps (see :class:`FocusFilter`: the filter is in the queries)."""
    return Engine(store, shapes, focus).validate(workers)

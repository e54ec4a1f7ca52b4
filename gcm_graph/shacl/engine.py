"""Run compiled shapes on a pyoxigraph store and build validation results.

Queries see the union of every graph of the store (``use_default_graph_as_union=True``), so the data may sit in the
default graph, in named graphs, or both. Each constraint is one query over all focus nodes of its shape; nested
shapes (sh:node, sh:or, sh:qualifiedValueShape) are evaluated as the set of value nodes that do not conform.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef

from . import compile as c
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
    def __init__(self, store: ox.Store, shapes: Graph | list[Shape]):
        self.store = store
        self.shapes = read_shapes(shapes) if isinstance(shapes, Graph) else list(shapes)
        self.queries = 0

    def query(self, text: str):
        self.queries += 1
        return self.store.query(text, use_default_graph_as_union=True)

    def rows(self, text: str, *names: str):
        for sol in self.query(text):
            yield tuple(sol[n] for n in names)

    # -- top level ----------------------------------------------------------------------------------------------------

    def validate(self) -> list[Result]:
        out: list[Result] = []
        for shape in self.shapes:
            if not shape.deactivated:
                out.extend(self.evaluate(shape, c.target_focus(shape)))
        return out

    def evaluate(self, shape: Shape, focus: c.Focus) -> list[Result]:
        if shape.deactivated:
            return []
        out = []
        for constraint in shape.constraints:
            out.extend(self.constraint(shape, focus, constraint))
        for sc in shape.sparql:
            out.extend(self.sparql(shape, focus, sc))
        for prop in shape.properties:
            out.extend(self.evaluate(prop, focus))
        return out

    def nonconforming(self, shape: Shape, focus: c.Focus) -> set:
        """The focus nodes (given by ``focus``) that do not conform to ``shape``."""
        return {r.focus for r in self.evaluate(shape, focus)}

    # -- results ------------------------------------------------------------------------------------------------------

    def result(self, shape: Shape, kind: str, focus, value=None) -> Result:
        message = _pick(shape.messages) or _generic(kind, shape, value)
        return Result(shape, c.component(kind if kind != "qualified" else "qualifiedMinCount"), focus, value,
                      shape.path.text if shape.path else None, message)

    def filtered(self, shape: Shape, focus: c.Focus, kind: str, condition: str, check=None) -> list[Result]:
        out = []
        for this, value in self.rows(c.filter_query(shape, focus, condition), "this", "value"):
            if check is None or not check(c.to_rdflib(value)):
                out.append(self.result(shape, kind, this, value))
        return out

    def constraint(self, shape: Shape, focus: c.Focus, k) -> list[Result]:
        kind, v = k.kind, k.value
        if kind == "minCount":
            if v <= 0:
                return []
            return [self.result(shape, kind, t) for (t,) in self.rows(c.count_query(shape, focus, "<", v), "this")]
        if kind == "maxCount":
            return [self.result(shape, kind, t) for (t,) in self.rows(c.count_query(shape, focus, ">", v), "this")]
        if kind == "nodeKind":
            return self.filtered(shape, focus, kind, c.node_kind_condition(v))
        if kind == "class":
            return self.filtered(shape, focus, kind, c.class_condition(v))
        if kind == "languageIn":
            return self.filtered(shape, focus, kind, c.language_in_condition(v))
        if kind == "in":
            return self.filtered(shape, focus, kind, c.in_condition(v))
        if kind == "minLength":
            return self.filtered(shape, focus, kind, c.min_length_condition(v))
        if kind == "datatype":
            return self.filtered(shape, focus, kind, c.datatype_candidates(v), lambda x: c.datatype_ok(x, v))
        if kind == "pattern":
            regex = c.compile_pattern(v, k.extra[0])
            return self.filtered(shape, focus, kind, c.pattern_candidates(str(v), k.extra[0]),
                                 lambda x: c.pattern_ok(x, regex))
        if kind in ("minInclusive", "maxInclusive"):
            op = ">=" if kind == "minInclusive" else "<="
            return self.filtered(shape, focus, kind, c.range_candidates(v, op), lambda x: c.range_ok(x, v, op))
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
        if kind == "lessThanOrEquals":
            out = []
            for t, val, other in self.rows(c.less_or_equal_query(shape, focus, v), "this", "value", "other"):
                if not c.less_or_equal_ok(c.to_rdflib(val), c.to_rdflib(other)):
                    out.append(self.result(shape, kind, t, val))
            return out
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
        text, projects_this = c.prepare_select(sc, shape)
        if c.joinable(text):
            runs = [(None, c.joined_query(text, projects_this, focus))]
        else:
            runs = [(f, c.bound_query(text, f)) for (f,) in self.rows(f"SELECT ?this WHERE {{ {focus('this')} }}",
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
        messages = [c.format_message(str(m), fdict) for m in sc.messages]
        if not messages:
            messages = [c.format_message(str(m), fdict) for m in shape.messages]
        message = sorted(messages)[0] if messages else _generic("SPARQL", shape, value)
        path_text = path.value if path is not None else (shape.path.text if shape.path else None)
        return Result(shape, SH_NS + "SPARQLConstraintComponent", focus, value, path_text, message)


def validate(store: ox.Store, shapes: Graph | list[Shape]) -> list[Result]:
    """Every validation result of ``shapes`` on the union of the graphs of ``store``."""
    return Engine(store, shapes).validate()

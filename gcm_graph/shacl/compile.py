"""Constraint → SPARQL: focus-node patterns and one violation query per constraint over all focus nodes at once.
Where SPARQL and pySHACL semantics could differ the query returns candidates, decided in Python (``checks``).

A focus pattern is a function ``focus(var) -> str``: a SPARQL group that binds ``?var`` to each focus node once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from .focus import FocusFilter
from .model import SH_NS, Path, Shape, UnsupportedShapeError

Focus = Callable[[str], str]

_TYPE = f"<{RDF.type}>/<{RDFS.subClassOf}>*"


def term(t) -> str:
    """An rdflib or pyoxigraph IRI/literal in SPARQL syntax."""
    if isinstance(t, (ox.NamedNode, ox.Literal)):
        return str(t)
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, Literal):
        if t.language:
            return str(ox.Literal(str(t), language=t.language))
        return str(ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype or XSD.string))))
    raise UnsupportedShapeError("(term)", f"cannot use {t!r} as a constant in a query")


def string(s: str) -> str:
    return str(ox.Literal(s))


# --- focus patterns ---------------------------------------------------------------------------------------------------

def target_focus(shape: Shape, only: FocusFilter | None = None) -> Focus:
    """The target nodes of ``shape``; ``only``: those of them the filter keeps (a FILTER right after the target
    pattern, so the others are never joined with the constraint's patterns)."""
    filtered = only is not None and not only.everything

    def focus(v: str) -> str:
        parts = [f"{{ ?{v} {_TYPE} <{c}> }}" for c in shape.target_classes]
        parts += [f"{{ ?{v} <{p}> ?{v}_o }}" for p in shape.target_subjects_of]
        keep = f" FILTER {only.condition(v)}" if filtered else ""
        return f"{{ SELECT DISTINCT ?{v} WHERE {{ {' UNION '.join(parts)}{keep} }} }}"
    return focus


def values_focus(parent: Focus, path: Path) -> Focus:
    """The value nodes of ``path`` from the focus nodes of ``parent`` (the focus nodes of a nested shape)."""
    def focus(v: str) -> str:
        return f"{{ SELECT DISTINCT ?{v} WHERE {{ {parent(v + 'p')} ?{v}p {path.sparql} ?{v} . }} }}"
    return focus


def value_pattern(shape: Shape, focus: Focus) -> str:
    """Binds ?this (focus node) and ?value (each value node: the focus itself for a node shape)."""
    if shape.path is None:
        return f"{focus('this')} BIND (?this AS ?value)"
    return f"{focus('this')} ?this {shape.path.sparql} ?value ."


# --- per-constraint queries -------------------------------------------------------------------------------------------


def flags_query(shape: Shape, focus: Focus, conditions: list[str], others: tuple = (), classes: tuple = ()) -> str:
    """Pairs (?this, ?value) meeting any of ``conditions``, with ?c0, ?c1... telling which (one query for all the
    value-by-value constraints of a shape; a condition that raises an error counts as false). Each IRI of ``others``
    (sh:lessThanOrEquals) adds ?o0, ?o1...: a value of that predicate at the focus node, compared by a condition;
    each class of ``classes`` (sh:class) binds ?k0, ?k1... when the value is an instance (``class_condition``)."""
    optionals = " ".join(f"OPTIONAL {{ ?this <{p}> ?o{i} }}" for i, p in enumerate(others))
    optionals += " ".join(f" OPTIONAL {{ ?value {_TYPE} <{cls}> BIND (true AS ?k{i}) }}" for i, cls in enumerate(classes))
    binds = " ".join(f"BIND (COALESCE({cond}, false) AS ?c{i})" for i, cond in enumerate(conditions))
    flags = " ".join([f"?c{i}" for i in range(len(conditions))] + [f"?o{i}" for i in range(len(others))])
    any_ = " || ".join(f"?c{i}" for i in range(len(conditions)))
    return (f"SELECT DISTINCT ?this ?value {flags} WHERE {{ {value_pattern(shape, focus)} {optionals} {binds} "
            f"FILTER ({any_}) }}")


def class_condition(i: int) -> str:
    return f"!BOUND(?k{i})"


def less_or_equal_condition(i: int) -> str:
    """A value that may not be <= ?o{i} (decided in Python unless both are numbers oxigraph compares alike)."""
    numbers = f"(<{XSD.integer}>, <{XSD.decimal}>)"
    sure = (f"DATATYPE(?value) IN {numbers} && DATATYPE(?o{i}) IN {numbers} && isNumeric(?value) && "
            f"isNumeric(?o{i}) && ?value <= ?o{i}")
    return f"BOUND(?o{i}) && !COALESCE({sure}, false)"


def count_query(shape: Shape, focus: Focus, op: str, n: int) -> str:
    path = shape.path.sparql
    if op == "<":
        body = f"{focus('this')} OPTIONAL {{ ?this {path} ?value }}"
    else:
        body = f"{focus('this')} ?this {path} ?value ."
    return f"SELECT ?this WHERE {{ {body} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {op} {n})"


def counts_query(focus: Focus, inverse: bool, bounds: dict) -> str:
    """The number of values (``?n``) of several predicates (``?k`` = key of ``bounds``: (predicate, min, max))
    for each focus node where it is out of bounds."""
    rows = " ".join(f"({k} {iri})" for k, (iri, _lo, _hi) in bounds.items())
    edge = "?value ?p ?this" if inverse else "?this ?p ?value"
    having = []
    for k, (_iri, lo, hi) in bounds.items():
        tests = ([f"COUNT(DISTINCT ?value) < {lo}"] if lo is not None else []) + (
            [f"COUNT(DISTINCT ?value) > {hi}"] if hi is not None else [])
        having.append(f"(?k = {k} && ({' || '.join(tests)}))")
    return (f"SELECT ?this ?k (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {focus('this')} VALUES (?k ?p) {{ {rows} }} "
            f"OPTIONAL {{ {edge} }} }} GROUP BY ?this ?k HAVING ({' || '.join(having)})")


def unique_lang_query(shape: Shape, focus: Focus) -> str:
    return (f"SELECT ?this ?lang WHERE {{ {focus('this')} ?this {shape.path.sparql} ?value . "
            f"FILTER (isLiteral(?value) && LANG(?value) != \"\") BIND (LCASE(LANG(?value)) AS ?lang) }} "
            f"GROUP BY ?this ?lang HAVING (COUNT(DISTINCT ?value) > 1)")


def has_value_query(shape: Shape, focus: Focus, value) -> str:
    if shape.path is None:
        return f"SELECT DISTINCT ?this WHERE {{ {focus('this')} FILTER (!sameTerm(?this, {term(value)})) }}"
    return (f"SELECT DISTINCT ?this WHERE {{ {focus('this')} "
            f"FILTER NOT EXISTS {{ ?this {shape.path.sparql} {term(value)} }} }}")


def node_kind_condition(kind) -> str:
    tests = {"IRI": "isIRI(?value)", "Literal": "isLiteral(?value)", "BlankNode": "isBlank(?value)",
             "BlankNodeOrIRI": "(isBlank(?value) || isIRI(?value))",
             "BlankNodeOrLiteral": "(isBlank(?value) || isLiteral(?value))",
             "IRIOrLiteral": "(isIRI(?value) || isLiteral(?value))"}
    name = str(kind).removeprefix(SH_NS)
    if name not in tests:
        raise UnsupportedShapeError("(nodeKind)", f"unknown sh:nodeKind {kind}")
    return f"!{tests[name]}"



def language_in_condition(languages) -> str:
    wanted = [str(lang).lower() for lang in languages]
    if "*" in wanted:
        return "!(isLiteral(?value) && LANG(?value) != \"\")"
    listed = ", ".join(string(w) for w in wanted)
    return (f"!(isLiteral(?value) && LANG(?value) != \"\" && (LCASE(LANG(?value)) IN ({listed}) || "
            f"LCASE(STRBEFORE(CONCAT(LANG(?value), \"-\"), \"-\")) IN ({listed})))")


def in_condition(members) -> str:
    if not members:
        return "true"
    return "!(" + " || ".join(f"sameTerm(?value, {term(m)})" for m in members) + ")"


def min_length_condition(n: int) -> str:
    if n == 0:
        return "false"
    return f"(isBlank(?value) || STRLEN(STR(?value)) < {n})"


def datatype_candidates(datatype) -> str:
    """Values that may fail sh:datatype: everything but what surely passes (exact check in Python). A numeric literal
    oxigraph accepts (isNumeric) is stored in canonical form, which rdflib reads as well-typed too."""
    d = str(datatype)
    if d == str(RDF.langString):
        sure = "isLiteral(?value) && LANG(?value) != \"\""
    elif d == str(XSD.string):
        sure = f"isLiteral(?value) && DATATYPE(?value) = <{XSD.string}>"
    elif d in (str(XSD.integer), str(XSD.decimal)):
        sure = f"isLiteral(?value) && DATATYPE(?value) = <{d}> && isNumeric(?value)"
    else:
        sure = "false"
    return f"!COALESCE({sure}, false)"


_UNSAFE_REGEX = re.compile(r"\\[A-Za-z0-9]|\(\?|&&|--|~~|\[\[|\[:")


def pattern_candidates(pattern: str, flags: str) -> str:
    """Values that may fail sh:pattern. The regex subset where Rust (SPARQL REGEX in oxigraph) and Python agree is
    pre-filtered in SPARQL (strings with a newline always go to Python: ``$`` differs there); others all go to Python."""
    if flags or _UNSAFE_REGEX.search(pattern):
        return "true"
    return f"(isBlank(?value) || CONTAINS(STR(?value), \"\\n\") || !REGEX(STR(?value), {string(pattern)}))"


def range_candidates(bound: Literal, op: str) -> str:
    if isinstance(bound.value, (int, Decimal)) and not isinstance(bound.value, bool):
        sure = (f"DATATYPE(?value) IN (<{XSD.integer}>, <{XSD.decimal}>) && isNumeric(?value) && "
                f"?value {op} {term(bound)}")
        return f"!COALESCE({sure}, false)"
    return "true"


def disjoint_query(shape: Shape, focus: Focus, other) -> str:
    return f"SELECT DISTINCT ?this ?value WHERE {{ {value_pattern(shape, focus)} ?this <{other}> ?value . }}"


def pairs_query(shape: Shape, focus: Focus) -> str:
    return f"SELECT DISTINCT ?this ?value WHERE {{ {value_pattern(shape, focus)} }}"


def component(kind: str) -> str:
    from .model import COMPONENTS
    return SH_NS + COMPONENTS[kind]

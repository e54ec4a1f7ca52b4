"""Constraint → SPARQL: focus-node patterns, one violation query per constraint over all focus nodes at once, and
the exact (pySHACL-compatible) Python checks applied to the few candidate rows where SPARQL and pySHACL semantics
could differ (ill-typed literals, Python regular expressions, comparisons of mixed datatypes).

A focus pattern is a function ``focus(var) -> str``: a SPARQL group that binds ``?var`` to each focus node once.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from .model import SH_NS, Path, Shape, SparqlConstraint, UnsupportedShapeError

Focus = Callable[[str], str]

_TYPE = f"<{RDF.type}>/<{RDFS.subClassOf}>*"
_NUMBER = r"^[+-]?[0-9]+(\\.[0-9]+)?$"  # (as it appears inside a SPARQL string)
_INTEGER = r"^[+-]?[0-9]+$"


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

def target_focus(shape: Shape) -> Focus:
    def focus(v: str) -> str:
        parts = [f"{{ ?{v} {_TYPE} <{c}> }}" for c in shape.target_classes]
        parts += [f"{{ ?{v} <{p}> ?{v}_o }}" for p in shape.target_subjects_of]
        return f"{{ SELECT DISTINCT ?{v} WHERE {{ {' UNION '.join(parts)} }} }}"
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

def filter_query(shape: Shape, focus: Focus, condition: str, extra: str = "") -> str:
    """Pairs (?this, ?value) whose value meets ``condition`` (a violation or a candidate for a Python check)."""
    return f"SELECT DISTINCT ?this ?value WHERE {{ {value_pattern(shape, focus)} {extra} FILTER ({condition}) }}"


def count_query(shape: Shape, focus: Focus, op: str, n: int) -> str:
    path = shape.path.sparql
    if op == "<":
        body = f"{focus('this')} OPTIONAL {{ ?this {path} ?value }}"
    else:
        body = f"{focus('this')} ?this {path} ?value ."
    return f"SELECT ?this WHERE {{ {body} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {op} {n})"


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


def class_condition(cls) -> str:
    return f"NOT EXISTS {{ ?value {_TYPE} <{cls}> }}"


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
    """Values that may fail sh:datatype: everything but what surely passes (exact check in Python)."""
    d = str(datatype)
    if d == str(RDF.langString):
        sure = "isLiteral(?value) && LANG(?value) != \"\""
    elif d == str(XSD.string):
        sure = f"isLiteral(?value) && DATATYPE(?value) = <{XSD.string}>"
    elif d == str(XSD.integer):
        sure = f"isLiteral(?value) && DATATYPE(?value) = <{d}> && REGEX(STR(?value), \"{_INTEGER}\")"
    elif d == str(XSD.decimal):
        sure = f"isLiteral(?value) && DATATYPE(?value) = <{d}> && REGEX(STR(?value), \"{_NUMBER}\")"
    else:
        sure = "false"
    return f"!({sure})"


_UNSAFE_REGEX = re.compile(r"\\[A-Za-z0-9]|\(\?|&&|--|~~|\[\[|\[:")


def pattern_candidates(pattern: str, flags: str) -> str:
    """Values that may fail sh:pattern. The regex subset where Rust (SPARQL REGEX in oxigraph) and Python agree is
    pre-filtered in SPARQL (strings with a newline always go to Python: ``$`` differs there); others all go to Python."""
    if flags or _UNSAFE_REGEX.search(pattern):
        return "true"
    return f"(isBlank(?value) || CONTAINS(STR(?value), \"\\n\") || !REGEX(STR(?value), {string(pattern)}))"


def range_candidates(bound: Literal, op: str) -> str:
    if isinstance(bound.value, (int, Decimal)) and not isinstance(bound.value, bool):
        sure = (f"isLiteral(?value) && DATATYPE(?value) IN (<{XSD.integer}>, <{XSD.decimal}>) && "
                f"REGEX(STR(?value), \"{_NUMBER}\") && ?value {op} {term(bound)}")
        return f"!({sure})"
    return "true"


def less_or_equal_query(shape: Shape, focus: Focus, other) -> str:
    sure = (f"(isLiteral(?value) && isLiteral(?other) && DATATYPE(?value) IN (<{XSD.integer}>, <{XSD.decimal}>) && "
            f"DATATYPE(?other) IN (<{XSD.integer}>, <{XSD.decimal}>) && REGEX(STR(?value), \"{_NUMBER}\") && "
            f"REGEX(STR(?other), \"{_NUMBER}\") && ?value <= ?other)")
    return (f"SELECT DISTINCT ?this ?value ?other WHERE {{ {value_pattern(shape, focus)} ?this <{other}> ?other . "
            f"FILTER (!{sure}) }}")


def disjoint_query(shape: Shape, focus: Focus, other) -> str:
    return f"SELECT DISTINCT ?this ?value WHERE {{ {value_pattern(shape, focus)} ?this <{other}> ?value . }}"


def pairs_query(shape: Shape, focus: Focus) -> str:
    return f"SELECT DISTINCT ?this ?value WHERE {{ {value_pattern(shape, focus)} }}"


# --- exact checks (pySHACL semantics) on rdflib terms -----------------------------------------------------------------

def to_rdflib(t):
    """A pyoxigraph term as pySHACL sees it after a round trip through N-Triples (xsd:string → plain literal)."""
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        if t.datatype.value == str(XSD.string):
            return Literal(t.value)
        return Literal(t.value, datatype=URIRef(t.datatype.value))
    return t


_ACTUAL = {XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
           XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: datetime.date, XSD.time: datetime.time,
           XSD.dateTime: datetime.datetime}


def datatype_ok(v, datatype) -> bool:
    if not isinstance(v, Literal):
        return False
    actual = _ACTUAL.get(datatype)

    def real() -> bool:
        return actual is None or isinstance(v.value, actual)

    if v.datatype == datatype:
        return False if getattr(v, "ill_typed", None) is True else real()
    if datatype == RDFS.Literal:
        return True
    if datatype == RDFS.Datatype and v.datatype:
        return True
    if v.datatype is None and v.language is None and datatype == XSD.string:
        return real()
    if datatype == RDF.langString and v.language:
        return real()
    return False


def lexical(v) -> str:
    if isinstance(v, Literal) and v.value is not None and v.datatype in (None, RDF.langString, XSD.string):
        return str(v.value)
    return str(v)


def pattern_ok(v, regex: re.Pattern) -> bool:
    if isinstance(v, BNode):
        return False
    return regex.search(lexical(v)) is not None


def compile_pattern(pattern: Literal, flags: str) -> re.Pattern:
    f = 0
    if "i" in flags.lower():
        f |= re.I
    if "m" in flags.lower():
        f |= re.M
    text = str(pattern.value) if pattern.value is not None and len(pattern.value) > 1 else str(pattern)
    return re.compile(text, f)


def _compare(a: Literal, b: Literal) -> int:
    if a.eq(b):
        return 0
    if a.value.__class__ in (datetime.datetime, datetime.time):
        if a.value == b.value:
            return 0
        return 1 if a.value > b.value else -1
    return 1 if a > b else -1


def range_ok(v, bound: Literal, op: str) -> bool:
    if not isinstance(v, Literal):
        return False
    if isinstance(bound.value, str) != isinstance(v.value, str):
        return False
    try:
        c = _compare(v, bound)
    except (TypeError, NotImplementedError):
        return False
    return c >= 0 if op == ">=" else c <= 0


def less_or_equal_ok(v, other) -> bool:
    def plain(x):
        if isinstance(x, BNode):
            raise ValueError("sh:lessThanOrEquals cannot compare a blank node")
        if isinstance(x, URIRef):
            return str(x), True
        if isinstance(x, Literal) and isinstance(x.value, str):
            return x.value, True
        return x, False

    a, a_str = plain(v)
    b, b_str = plain(other)
    if a_str != b_str:
        return False
    return bool(a <= b)


# --- SPARQL-based constraints -----------------------------------------------------------------------------------------

def _strip(text: str) -> str:
    """The query without string literals, IRIs and comments (for keyword checks)."""
    text = re.sub(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', '""', text)
    text = re.sub(r"<[^<>\s\"{}|^`\\]*>", "<>", text)
    return re.sub(r"#[^\n]*", "", text)


def _bind_mentions_this(text: str) -> bool:
    for m in re.finditer(r"\bBIND\s*\(", text, re.I):
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        if re.search(r"[?$]this\b", text[m.end():i]):
            return True
    return False


def joinable(select: str) -> bool:
    """Whether joining the focus pattern into the WHERE clause keeps SHACL's pre-bound $this semantics: no
    subquery, MINUS, OPTIONAL, VALUES, aggregate, solution modifier or BIND that reads $this."""
    s = _strip(select)
    if len(re.findall(r"\bSELECT\b", s, re.I)) != 1:
        return False
    if re.search(r"\b(MINUS|OPTIONAL|VALUES|SERVICE|GRAPH|GROUP|HAVING|ORDER|LIMIT|OFFSET|COUNT|SUM|MIN|MAX|AVG|"
                 r"SAMPLE|GROUP_CONCAT)\b", s, re.I):
        return False
    return not _bind_mentions_this(s)


def prepare_select(sc: SparqlConstraint, shape: Shape) -> tuple[str, bool]:
    """The constraint's query with prefixes and $PATH filled in; and whether it projects $this."""
    text = sc.select
    s = _strip(text)
    for var in ("currentShape", "shapesGraph"):
        if re.search(r"\$" + var + r"\b", s):
            raise UnsupportedShapeError(shape.node, f"${var} in SPARQL constraint {sc.node} is not supported")
    if re.search(r"\$PATH\b", s):
        if shape.path is None:
            raise UnsupportedShapeError(shape.node, f"$PATH in SPARQL constraint {sc.node} of a node shape")
        text = re.sub(r"\$PATH\b", lambda _: shape.path.sparql, text)
    head = re.search(r"\bSELECT\b(.*?)\bWHERE\b|\bSELECT\b(.*?)\{", _strip(text), re.I | re.S)
    projection = (head.group(1) or head.group(2) or "") if head else ""
    projects_this = "*" in projection or re.search(r"[?$]this\b", projection) is not None
    prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sc.prefixes)
    return prefixes + text, projects_this


def _where_brace(text: str) -> int:
    """Offset just after the opening brace of the WHERE clause (strings and comments skipped)."""
    stripped = list(text)
    for m in re.finditer(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*|'
                         r"<[^<>\s\"{}|^`\\]*>", text):
        for i in range(m.start(), m.end()):
            stripped[i] = " "
    s = "".join(stripped)
    sel = re.search(r"\bSELECT\b", s, re.I)
    if sel is None:
        raise ValueError("not a SELECT query")
    brace = s.find("{", sel.end())
    if brace < 0:
        raise ValueError("no WHERE clause")
    return brace + 1


def joined_query(text: str, projects_this: bool, focus: Focus) -> str:
    at = _where_brace(text)
    out = text[:at] + " " + focus("this") + " " + text[at:]
    if not projects_this:
        sel = re.search(r"\bSELECT\b(\s+(DISTINCT|REDUCED)\b)?", out, re.I)
        out = out[:sel.end()] + " ?this " + out[sel.end():]
    return out


def bound_query(text: str, node) -> str:
    """The query with $this replaced by a focus node (SHACL's pre-binding, for queries that cannot be joined): in a
    projection ``$this`` becomes ``(<node> AS ?this)``, in GROUP BY ``(<node>)``, elsewhere the constant."""
    if isinstance(node, ox.BlankNode):
        raise UnsupportedShapeError("(sparql)", "cannot pre-bind a blank-node focus node in this SPARQL constraint")
    constant = str(node)
    masked = list(text)
    for m in re.finditer(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*|'
                         r"<[^<>\s\"{}|^`\\]*>", text):
        for i in range(m.start(), m.end()):
            masked[i] = " "
    s = "".join(masked)
    tokens = re.finditer(r"\bSELECT\b|\bGROUP\s+BY\b|\bWHERE\b|\bHAVING\b|\bORDER\s+BY\b|[{}()]|[?$]this\b", s, re.I)
    out, last, context, depth, selects = [], 0, "body", 0, 0
    for m in tokens:
        tok = m.group(0).upper()
        if tok == "SELECT":
            context, depth, selects = "select", 0, selects + 1
        elif tok.startswith("GROUP"):
            context, depth = "group", 0
        elif tok in ("WHERE", "{", "}", "HAVING") or tok.startswith("ORDER"):
            context = "body"
        elif tok == "(":
            depth += 1
        elif tok == ")":
            depth -= 1
        else:
            if context == "select" and depth == 0:  # a subquery's projection needs no constant
                repl = f"({constant} AS ?this)" if selects == 1 else ""
            elif context == "group" and depth == 0:
                repl = f"({constant})"
            else:
                repl = constant
            out.append(text[last:m.start()] + repl)
            last = m.end()
    out.append(text[last:])
    return "".join(out)


def format_message(msg: str, fdict: dict) -> str:
    for var, val in fdict.items():
        msg = re.sub("{[?$]" + var + "}", str(val), msg)
    return msg


def component(kind: str) -> str:
    from .model import COMPONENTS
    return SH_NS + COMPONENTS[kind]

"""SPARQL-based constraints (sh:sparql / sh:select): prefixes and $PATH filled in, the focus nodes joined into the
query when that keeps SHACL's pre-bound $this semantics (else $this is substituted per focus node), and
FILTER [NOT] EXISTS rewritten to OPTIONAL + BOUND, which oxigraph evaluates far faster with the same results."""

from __future__ import annotations

import re

import pyoxigraph as ox

from .compile import Focus
from .model import Shape, SparqlConstraint, UnsupportedShapeError

_OPAQUE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*|'
                     r"<[^<>\s\"{}|^`\\]*>")
_VAR = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


def _mask(text: str) -> str:
    """``text`` with strings, IRIs and comments blanked out (same length, so offsets agree)."""
    return _OPAQUE.sub(lambda m: " " * len(m.group(0)), text)


def _close(masked: str, at: int) -> int:
    """Offset of the bracket closing the one at ``at``."""
    pair = {"{": "}", "(": ")"}[masked[at]]
    depth = 0
    for i in range(at, len(masked)):
        if masked[i] == masked[at]:
            depth += 1
        elif masked[i] == pair:
            depth -= 1
            if depth == 0:
                return i
    raise ValueError("unbalanced brackets in SPARQL constraint")


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


def _projection(text: str) -> str:
    head = re.search(r"\bSELECT\b(.*?)\bWHERE\b|\bSELECT\b(.*?)\{", _mask(text), re.I | re.S)
    return (head.group(1) or head.group(2) or "") if head else ""


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
    s = _mask(text)
    sel = re.search(r"\bSELECT\b", s, re.I)
    if sel is None:
        raise ValueError("not a SELECT query")
    brace = s.find("{", sel.end())
    if brace < 0:
        raise ValueError("no WHERE clause")
    return brace + 1


def _top_level(masked: str, start: int, end: int):
    """Offsets in ``masked[start:end]`` that are at the top level of the group (outside any bracket)."""
    depth = 0
    for i in range(start, end):
        ch = masked[i]
        if ch in "{(":
            depth += 1
        elif ch in "})":
            depth -= 1
        elif depth == 0:
            yield i


_SIMPLE = re.compile(r"[{}]|\b(OPTIONAL|UNION|MINUS|GRAPH|SERVICE|VALUES|BIND|EXISTS|SELECT|FILTER)\b", re.I)


def rewrite_exists(text: str) -> str:
    """``FILTER [NOT] EXISTS { triples FILTER(...) }`` at the top level of the WHERE group becomes
    ``OPTIONAL { triples' BIND(true AS ?m) FILTER(...) } FILTER([!]BOUND(?m))`` at the end of the group, its own
    variables renamed apart. The OPTIONAL's filter is its left-join condition, so it sees the outer variables as the
    EXISTS did; rows may repeat where EXISTS would not, and the engine drops repeated rows as pySHACL does."""
    masked = _mask(text)
    start = _where_brace(text)
    end = _close(masked, start - 1)
    found = []
    positions = set(_top_level(masked, start, end))
    for m in re.finditer(r"\bFILTER\s+(NOT\s+)?EXISTS\s*\{", masked[:end], re.I):
        if m.start() in positions:
            brace = m.end() - 1
            found.append((m.start(), _close(masked, brace) + 1, bool(m.group(1)), brace + 1, _close(masked, brace)))
    if not found:
        return text
    added, removed = [], []
    for n, (a, b, negated, bs, be) in enumerate(found):
        body, mbody = text[bs:be], masked[bs:be]
        filters, spans = [], []
        for f in re.finditer(r"\bFILTER\s*", mbody, re.I):
            i = f.end()
            call = re.match(r"[A-Za-z_:][A-Za-z0-9_:]*\s*(?=\()", mbody[i:])
            paren = i + (call.end() if call else 0)
            if paren >= len(mbody) or mbody[paren] != "(":
                return text
            close = _close(mbody, paren)
            filters.append(body[i:close + 1])
            spans.append((f.start(), close + 1))
        triples, mtriples, last = "", "", 0
        for x, y in spans:
            triples += body[last:x]
            mtriples += mbody[last:x]
            last = y
        triples += body[last:]
        mtriples += mbody[last:]
        if _SIMPLE.search(mtriples) or any(_SIMPLE.search(_mask(f)) and re.search(r"\bEXISTS\b", _mask(f), re.I)
                                            for f in filters):
            return text
        outside = {v.group(1) for v in _VAR.finditer(masked[:a] + masked[b:])}
        local = {v.group(1) for v in _VAR.finditer(_mask(triples + " ".join(filters)))} - outside

        def rename(part: str) -> str:
            mp = _mask(part)
            out, last = [], 0
            for v in _VAR.finditer(mp):
                if v.group(1) in local:
                    out.append(part[last:v.start()] + f"?_x{n}_{v.group(1)}")
                    last = v.end()
            return "".join(out) + part[last:]

        marker = f"?_m{n}"
        condition = " && ".join(f"({rename(f)})" for f in filters) or "true"
        added.append(f" OPTIONAL {{ {rename(triples)} BIND (true AS {marker}) FILTER ({condition}) }} "
                     f"FILTER ({'!' if negated else ''}BOUND({marker}))")
        removed.append((a, b))
    out, last = [], 0
    for a, b in removed:
        out.append(text[last:a])
        last = b
    out.append(text[last:end])
    return "".join(out) + " ".join(added) + " " + text[end:]


def joined_query(text: str, projects_this: bool, focus: Focus) -> str:
    """The query run once for all focus nodes: the focus pattern joined in (into each branch of a leading UNION of
    plain triple patterns, where oxigraph would otherwise evaluate the branches unbound), EXISTS rewritten."""
    if "*" not in _projection(text):  # (with SELECT * the renamed variables would show)
        text = rewrite_exists(text)
    at = _where_brace(text)
    masked = _mask(text)
    branches, i = [], at
    while True:
        j = len(masked[i:]) - len(masked[i:].lstrip()) + i
        if j >= len(masked) or masked[j] != "{":
            break
        k = _close(masked, j)
        if _SIMPLE.search(masked[j + 1:k]):
            branches = []
            break
        branches.append(j + 1)
        u = re.match(r"\s*UNION\b", masked[k + 1:], re.I)
        if not u:
            break
        i = k + 1 + u.end()
    if len(branches) >= 2:
        out, last = [], 0
        for b in branches:
            out.append(text[last:b] + " " + focus("this") + " ")
            last = b
        out = "".join(out) + text[last:]
    else:
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
    s = _mask(text)
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

"""What a SPARQL request is, decided before any of it reaches the engine: query or update, which form, whether it
names a dataset, and whether it could reach outside the store (``SERVICE``).

pyoxigraph exposes no parsed algebra, so this is a scan that follows the lexical rules of Oxigraph's own SPARQL
grammar rather than a substring search: comments, strings, IRIs and variables are recognised as the parser
recognises them, and only the remaining code is inspected. Two properties of that parser shape the rules below,
both demonstrated in ``tests/test_server_guard.py`` against a live listener:

- keywords are matched without a word boundary: ``?s ?p trueSERVICE <http://…> {…}`` is the literal ``true``
  followed by ``SERVICE``, and pyoxigraph really opens the connection. So the code is cut into maximal runs of
  name characters (letters, digits, ``_ - . : %`` and local-name escapes) and ``service`` is searched as a
  substring of each run, not compared as a whole word;
- a prefixed name whose prefix is not declared makes the parser backtrack, so ``trueSERVICE:x`` can also become
  ``true`` ``SERVICE`` ``:x``. A run is therefore exempt only when it is a prefixed name whose prefix is declared
  (in the query or among the server's default prefixes) and does not itself contain ``service``, with a plain
  local part (name characters and colons: no escapes, no inner dots), i.e. when the parser cannot read it as
  anything but one prefixed name.

Every doubt goes towards refusing: a query that merely *looks* like it could call a service (a word
``myservice``, an undeclared ``x:service``) is refused with a message that names the position. Strings
(``"service"``), IRIs (``<…/service>``), variables (``?service``), comments and ordinary prefixed names
(``schema:serviceType``) are not. The scan is linear: about 1-2 µs per token, up to ~3 s for a hostile 1 MB
query (the server runs long scans in a thread).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

# Character classes of Oxigraph's SPARQL grammar (spargebra), which are those of the SPARQL 1.1 recommendation.
_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
         "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD")
_U = _BASE + "_"
_CHARS = _U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_VARCHARS = _U + "0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PREFIX = rf"(?:[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?)"

# Names (keywords, prefixed names, numbers, blank node labels) are taken as maximal runs of name characters,
# dots, colons and local-name escapes, matched possessively: a run is at least as long as any token the parser
# could see there, so a keyword can only hide *inside* a run, where the substring search finds it; and every
# character is looked at a bounded number of times (no quadratic rescans on hostile input).
_TOKEN = re.compile(
    rf"""
    (?P<ws>[ \t\r\n]++)
  | (?P<comment>\#[^\r\n]*+)
  | (?P<string>'''(?:(?:''|')?(?:[^'\\]|\\.))*+'''
              | \"\"\"(?:(?:\"\"|\")?(?:[^\"\\]|\\.))*+\"\"\"
              | '(?:[^'\\\r\n]|\\.)*+'
              | "(?:[^"\\\r\n]|\\.)*+")
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*+>)
  | (?P<var>[?$][{_VARCHARS}]++)
  | (?P<name>(?:[{_CHARS}.:%]|\\[_~.\-!$&'()*+,;=/?\#@%])++)
  | (?P<other>(?:[^ \t\r\n\#'"<?$\\{_CHARS}.:%]|[?$](?![{_VARCHARS}])|\\(?![_~.\-!$&'()*+,;=/?\#@%])
                |<(?![^<>"{{}}|^`\\\x00-\x20]*+>))++|.)
    """,
    re.VERBOSE | re.DOTALL,
)
_PLAIN_PNAME = re.compile(rf"({_PREFIX}?):([{_U}0-9:][{_CHARS}:]*)?")

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
SOLUTION_FORMS = frozenset({"SELECT", "ASK"})
GRAPH_FORMS = frozenset({"CONSTRUCT", "DESCRIBE"})


class Token(NamedTuple):
    kind: str  # ws, comment, string, iri, var, name, other
    text: str
    start: int

    @property
    def name(self) -> str:
        """A name run without the dots that end a triple or start a number ('' for other kinds)."""
        return self.text.strip(".") if self.kind == "name" else ""


@dataclass(frozen=True)
class QueryShape:
    """What the scan found. ``form`` is None when the text starts with neither a query form nor an update."""

    operation: str  # "query", "update" or "unknown"
    form: str | None
    has_dataset_clause: bool  # FROM or FROM NAMED: the query names its own dataset
    service_at: int | None  # offset of the first code that may be a SERVICE call, None if there is none
    prefixes: dict[str, str] = field(default_factory=dict)

    @property
    def uses_service(self) -> bool:
        return self.service_at is not None


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens (see ``_TOKEN``); the tokens always cover the whole text."""
    return [Token(m.lastgroup, m.group(), m.start()) for m in _TOKEN.finditer(text)]  # type: ignore[arg-type]


def _code_tokens(text: str) -> list[Token]:
    """The tokens the parser acts on: everything but whitespace and comments."""
    skip = ("ws", "comment")
    return [Token(m.lastgroup, m.group(), m.start()) for m in _TOKEN.finditer(text)  # type: ignore[arg-type]
            if m.lastgroup not in skip]


def _declared_prefixes(code: list[Token]) -> dict[str, str]:
    """``PREFIX p: <iri>`` declarations anywhere in the text (a prologue may also follow ``;`` in an update)."""
    found: dict[str, str] = {}
    for i, tok in enumerate(code[:-2]):
        if tok.kind == "name" and tok.name.upper() == "PREFIX":
            name, iri = code[i + 1], code[i + 2]
            if name.kind == "name" and name.text.endswith(":") and iri.kind == "iri":
                found[name.text[:-1]] = iri.text[1:-1]
    return found


def _service_risk(tok: Token, declared: Mapping[str, str]) -> bool:
    """Could the parser read part of this name run as the keyword SERVICE?"""
    name = tok.name
    if "service" not in name.lower():
        return False
    m = _PLAIN_PNAME.fullmatch(name)
    if m and m.group(1) in declared and "service" not in m.group(1).lower():
        return False  # a declared prefix and a plain local name: the parser can only read a prefixed name
    return True


def inspect_query(text: str, default_prefixes: Mapping[str, str] | None = None) -> QueryShape:
    """Classify ``text`` without evaluating it. ``default_prefixes`` are those the engine is given besides the
    query's own ``PREFIX`` declarations."""
    code = _code_tokens(text)
    declared = dict(default_prefixes or {})
    own = _declared_prefixes(code)
    declared.update(own)

    operation, form = "unknown", None
    i = 0
    while i < len(code):  # skip the prologue: BASE <iri> and PREFIX p: <iri>
        word = code[i].name.upper()
        if word == "BASE":
            i += 2
        elif word == "PREFIX":
            i += 3
        else:
            break
    if i < len(code) and code[i].kind == "name" and ":" not in code[i].text:
        head = code[i].name.upper()
        form = next((f for f in QUERY_FORMS if head.startswith(f)), None)
        if form:
            operation = "query"
        elif head.startswith(UPDATE_KEYWORDS):
            operation = "update"

    names = [t for t in code if t.kind == "name"]
    has_dataset = any(t.name[:4].upper() == "FROM" for t in names)
    service_at = next((t.start for t in names if _service_risk(t, declared)), None)
    return QueryShape(operation, form, has_dataset, service_at, own)


def describe_position(text: str, offset: int) -> str:
    """``line L, column C`` (1-based) of ``offset`` in ``text``, for error messages."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"

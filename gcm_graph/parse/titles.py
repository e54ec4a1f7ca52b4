"""Programme titles: the responsible agencies in the trailing parenthesis, and the title without them."""

from __future__ import annotations

import re

_TRAILING_PAREN = re.compile(r"\s*\(([^()]*)\)\s*\.?\s*$")
_SPLIT = re.compile(r"\s*(?:/|,|\s+y\s+)\s*")
_ACRONYM = re.compile(r"^[A-Za-zÁÉÍÓÚÜÑáéíóúüñ.&\-]+$")


def _is_acronym(token: str) -> bool:
    return bool(_ACRONYM.match(token)) and sum(1 for ch in token if ch.isupper()) >= 2


def split_agencies(title: str) -> tuple[str, tuple[str, ...]]:
    """``("Programa paisano", ("INM",))`` from ``"Programa paisano (INM)"``.

    Only the last parenthesis counts, and only when everything in it looks like acronyms (``SHCP/SAT`` gives two);
    other parentheses belong to the name and stay (``Migración y Salud (Publicación)``).
    """
    m = _TRAILING_PAREN.search(title)
    if not m:
        return title.strip(), ()
    tokens = [t for t in _SPLIT.split(m.group(1).strip()) if t]
    if not tokens or not all(_is_acronym(t) for t in tokens):
        return title.strip(), ()
    return title[: m.start()].strip(), tuple(tokens)

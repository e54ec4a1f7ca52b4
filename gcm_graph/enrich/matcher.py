"""The shared, explainable matcher: register labels found as whole words or phrases in folded text.

A :class:`Label` is one form of a target (an organisation's name or acronym, a population's synonym…). Matching is
done on folded text (lower case, no accents, single spaces), so ``"Organización Mundial del Trabajo"`` also matches
``"organizacion mundial  del trabajo"``; but every word of a label that has two or more capital letters (an acronym
such as ``NNA``, ``OIM``, ``ONU-Mujeres``) must appear in the source exactly as written, so ``NNA`` does not match the
``nna`` inside ``connacionales`` and ``UE`` does not match ``que``. A label marked ``exact`` (a register's acronym
column) is compared case-sensitively as a whole.

Whole words: a label must start and end at a word boundary, except a keyword ``stem`` (challenge themes), which is
matched anywhere and reported with the whole words it falls in. When labels overlap, the
longest match wins and the shorter one is dropped (``ONU-Mujeres`` hides ``ONU``; ``Comisión Mexicana de Ayuda a
Refugiados``, a blocking label with no target, hides ``Refugiados``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .text import Folded, fold

_WORD = r"[^\W_]"


def is_acronym(word: str) -> bool:
    """A word with two or more capital letters: compared exactly, not folded."""
    return sum(1 for c in word if c.isupper()) >= 2


@dataclass(frozen=True)
class Label:
    """One matchable form of ``target`` (``None``: a blocking label that only hides overlapping matches)."""

    target: str | None
    text: str
    kind: str = "name"  # name, acronym, variant, prefLabel, altLabel, hiddenLabel, block…
    exact: bool = False  # compare case-sensitively as a whole (acronym columns)
    stem: bool = False  # a keyword stem, matched anywhere inside words ("discrimina" in "antidiscriminatoria")


@dataclass(frozen=True)
class Hit:
    """A label found in a text: the source span and the exact source words."""

    label: Label
    start: int
    end: int
    text: str

    @property
    def target(self) -> str | None:
        return self.label.target


class Matcher:
    """All labels of one register, compiled once; :meth:`find` returns non-overlapping hits in text order."""

    def __init__(self, labels: Iterable[Label]):
        self.labels = tuple(dict.fromkeys(lb for lb in labels if lb.text.strip()))
        self._compiled = [(lb, self._needle(lb), self._compile(lb)) for lb in self.labels]

    @staticmethod
    def _needle(label: Label) -> str:
        """A word the text must contain for the label to match (a cheap test before the pattern)."""
        words = (" ".join(label.text.split()) if label.exact else fold(label.text)).split(" ")
        return max(words, key=len)

    @staticmethod
    def _compile(label: Label) -> re.Pattern[str]:
        body = fold(label.text)
        if label.exact:
            body = " ".join(label.text.split())
        pattern = r"\s+".join(re.escape(w) for w in body.split(" "))
        left = rf"(?<!{_WORD})" if re.match(_WORD, body) and not label.stem else ""
        right = rf"(?!{_WORD})" if re.search(_WORD + "$", body) and not label.stem else ""
        return re.compile(left + pattern + right)

    def find(self, text: str, folded: Folded | None = None) -> list[Hit]:
        """Every label found in ``text``; overlapping hits resolved longest first (then leftmost)."""
        folded = folded or Folded.of(text)
        cased = Folded.of(text, keep_case=True)  # for exact labels: white space collapsed, case kept
        candidates: list[Hit] = []
        for label, needle, rx in self._compiled:
            mapper = cased if label.exact else folded
            if needle not in mapper.text:
                continue
            for m in rx.finditer(mapper.text):
                if m.end() == m.start():
                    continue
                s, e = mapper.span(m.start(), m.end())
                if label.stem:  # report the whole word a stem is in
                    while e < len(text) and (text[e].isalnum() or unicodedata.combining(text[e])):
                        e += 1
                    while s > 0 and (text[s - 1].isalnum() or unicodedata.combining(text[s - 1])):
                        s -= 1
                printed = text[s:e]
                if not label.exact and not _acronyms_agree(label.text, printed):
                    continue
                candidates.append(Hit(label, s, e, printed))
        candidates.sort(key=lambda h: (-(h.end - h.start), h.start, h.label.target is not None, h.label.text))
        kept: list[Hit] = []
        for hit in candidates:
            if all(hit.end <= k.start or hit.start >= k.end for k in kept):
                kept.append(hit)
        return sorted(kept, key=lambda h: (h.start, h.end))


def _acronyms_agree(label: str, printed: str) -> bool:
    """Every acronym word of the label is printed exactly so (``NNA`` but not ``nna``)."""
    lw, pw = label.split(), printed.split()
    if len(lw) != len(pw):
        return not any(is_acronym(w) for w in lw)
    return all(p == w for w, p in zip(lw, pw) if is_acronym(w))

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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from .text import Folded, fold, fold_each, words_of

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
    """All labels of one register, indexed once; :meth:`find` returns non-overlapping hits in text order.

    Only the labels that can match a text are tried on it. A label's body (folded, or case kept for ``exact``
    labels) is a literal with single spaces, so when it matches, every word of it bounded on both sides — by
    punctuation or white space inside the body, or by the word boundary the pattern asserts — is a whole word
    (a maximal run of letters and digits) of the text. Each label is indexed under its longest such word, and
    :meth:`find` tries, in register order, the labels indexed under the words of the text whose other whole words
    are all words of the text too and whose longest word occurs in it (for a stem, maybe inside a longer word).
    Labels with no whole word (a one-word keyword ``stem``) are tried when their longest word occurs in the text.

    Exact labels are looked for in the folded text too when it was folded one to one (see
    :class:`~gcm_graph.enrich.text.Folded`): it is then the case-kept text folded letter by letter, so their
    words, folded so, are words of it; the case-kept text is only made when an exact label may match.
    """

    def __init__(self, labels: Iterable[Label]):
        self.labels = tuple(dict.fromkeys(lb for lb in labels if lb.text.strip()))
        prepared = [_prepare(lb) for lb in self.labels]
        self._bodies = [p[0] for p in prepared]
        self._acronyms = [p[1] for p in prepared]  # per label: see _acronyms_agree
        # key word → labels (index, every whole word, longest word), for: folded labels in folded text; exact
        # labels in case-kept text; both in folded text folded one to one (exact ones folded so).
        self._folded: _Index = {}
        self._cased: _Index = {}
        self._one_to_one: _Index = {}
        self._loose: list[tuple[int, str]] = []  # (label index, needle) of labels without a whole word
        self._loose_exact: list[tuple[int, str]] = []
        # Stems of several words: the text has a word that starts with the first letters of the last one.
        self._by_prefix: dict[str, list[tuple[int, frozenset[str], str]]] = {}
        for i, (label, (body, _, _), entry) in enumerate(zip(self.labels, self._bodies, (p[2] for p in prepared))):
            prefix = _last_word_prefix(body) if label.stem and not label.exact else None
            if prefix is not None:
                required = entry[1] if entry is not None else frozenset()
                self._by_prefix.setdefault(prefix, []).append((i, required, max(body.split(" "), key=len)))
        for i, (label, (_, _, entry, needle, folded_entry)) in enumerate(zip(self.labels, prepared)):
            if label.stem and not label.exact and _last_word_prefix(self._bodies[i][0]) is not None:
                continue  # indexed by prefix
            if entry is None:
                (self._loose_exact if label.exact else self._loose).append((i, needle))
            elif not label.exact:
                _add(self._folded, i, entry)
                _add(self._one_to_one, i, entry)
            else:
                _add(self._cased, i, entry)
                if folded_entry is not None:  # else it cannot be in a text folded one to one
                    _add(self._one_to_one, i, folded_entry)
        self._keys = {id(index): frozenset(index) for index in (self._folded, self._cased, self._one_to_one)}
        self._any_exact = any(lb.exact for lb in self.labels)

    def _candidates(self, text: str, folded: Folded) -> tuple[list[int], Folded | None]:
        """The indices of the labels that may match, in register order, and the case-kept text if needed."""
        found: set[int] = set()
        cased = None
        if folded.one_to_one and not self._loose_exact:
            self._look(self._one_to_one, folded.text, found)
        else:
            self._look(self._folded, folded.text, found)
            if self._any_exact:
                cased = Folded.of(text, keep_case=True)
                self._look(self._cased, cased.text, found)
                found.update(i for i, needle in self._loose_exact if needle in cased.text)
        if self._loose:
            found.update(i for i, needle in self._loose if needle in folded.text)
        if self._by_prefix:
            ftext, words = folded.text, words_of(folded.text)
            starts = {w[:_PREFIX] for w in words if len(w) >= _PREFIX}
            for prefix in starts.intersection(self._by_prefix):
                found.update(i for i, required, needle in self._by_prefix[prefix]
                             if required <= words and needle in ftext)
        if cased is None and self._any_exact and any(self.labels[i].exact for i in found):
            cased = Folded.of(text, keep_case=True)
        return sorted(found), cased

    def _look(self, index: _Index, text: str, found: set[int]) -> None:
        words = words_of(text)
        for key in self._keys[id(index)].intersection(words):
            sure, checked = index[key]
            found.update(sure)
            if checked:
                found.update(i for i, required, needle in checked if required <= words and needle in text)

    def find(self, text: str, folded: Folded | None = None) -> list[Hit]:
        """Every label found in ``text``; overlapping hits resolved longest first (then leftmost)."""
        folded = folded or Folded.of(text)
        indices, cased = self._candidates(text, folded)  # cased: for exact labels, white space collapsed only
        if not indices:
            return []
        candidates: list[Hit] = []
        for i in indices:
            label = self.labels[i]
            mapper = cased if label.exact else folded
            for start, end in _occurrences(mapper.text, *self._bodies[i]):
                s, e = mapper.span(start, end)
                if label.stem:  # report the whole word a stem is in
                    while e < len(text) and (text[e].isalnum() or unicodedata.combining(text[e])):
                        e += 1
                    while s > 0 and (text[s - 1].isalnum() or unicodedata.combining(text[s - 1])):
                        s -= 1
                printed = text[s:e]
                if not label.exact and not _acronyms_agree(self._acronyms[i], printed):
                    continue
                candidates.append(Hit(label, s, e, printed))
        candidates.sort(key=lambda h: (-(h.end - h.start), h.start, h.label.target is not None, h.label.text))
        kept: list[Hit] = []
        for hit in candidates:
            if all(hit.end <= k.start or hit.start >= k.end for k in kept):
                kept.append(hit)
        return sorted(kept, key=lambda h: (h.start, h.end))


_WORDS = re.compile(_WORD + "+")
# key word → (labels sure to be worth trying when the key is a word of the text, labels to check further)
_Index = dict[str, tuple[list[int], list[tuple[int, frozenset[str], str]]]]


def _entry(words: list[str], needle: str) -> tuple[str, frozenset[str], str, bool]:
    """A label's key (its longest whole word), whole words and needle, and whether the key is all it takes (a
    one-word label: its word in the text is all it takes)."""
    key = max(words, key=lambda w: (len(w), w))
    required = frozenset(words)
    return key, required, needle, required == {key} and needle == key


def _add(index: _Index, i: int, entry: tuple[str, frozenset[str], str, bool]) -> None:
    """Index label ``i`` under its key."""
    key, required, needle, alone = entry
    sure, checked = index.setdefault(key, ([], []))
    if alone:
        sure.append(i)
    else:
        checked.append((i, required, needle))


def _body(label: Label) -> str:
    """What a label is compared with: its folded text, or its text with white space collapsed when exact."""
    return " ".join(label.text.split()) if label.exact else fold(label.text)


@lru_cache(maxsize=None)
def _prepare(label: Label) -> tuple:
    """What a matcher keeps of a label (labels recur in the matchers of several countries): its literal, its
    acronym words, its whole words and longest word, and those folded letter by letter for an exact label that
    can be in a text folded one to one (else None)."""
    body = _body(label)
    lw = label.text.split()
    acronyms = (len(lw), tuple((k, w) for k, w in enumerate(lw) if is_acronym(w)))
    # needle: the longest word, which the text must contain for the label to match (a cheap test)
    words, needle = _whole_words(label, body), max(body.split(" "), key=len)
    folded = None
    if label.exact and words and fold_each(body) is not None:
        folded = _entry([fold_each(w) for w in words], fold_each(needle))
    return _literal(label, body), acronyms, _entry(words, needle) if words else None, needle, folded


_PREFIX = 4


def _last_word_prefix(body: str) -> str | None:
    """For a body of several words whose last one opens with ``_PREFIX`` letters or digits, those: where the body
    is in a text, the last word starts after a space, so a whole word of the text starts with them."""
    if " " not in body:
        return None
    m = _WORDS.match(body, body.rindex(" ") + 1)
    return m.group()[:_PREFIX] if m and len(m.group()) >= _PREFIX else None


def _literal(label: Label, body: str) -> tuple[str, bool, bool]:
    """The label's body and whether a word boundary must come before it and after it (not for stems)."""
    return body, body[:1].isalnum() and not label.stem, body[-1:].isalnum() and not label.stem


def _occurrences(text: str, body: str, left: bool, right: bool) -> Iterator[tuple[int, int]]:
    """The spans of ``body`` in ``text``, left to right and not overlapping, with no letter or digit just before
    (``left``) and after (``right``) them: what ``re.finditer`` gives for the literal between ``(?<![^\\W_])`` and
    ``(?![^\\W_])`` (``[^\\W_]`` is exactly ``str.isalnum``). The texts searched have single spaces only, so a
    body's space stands for any white space of the source."""
    if not body:
        return
    size = len(body)
    i = text.find(body)
    while i >= 0:
        e = i + size
        if (not left or i == 0 or not text[i - 1].isalnum()) and (not right or e == len(text)
                                                                  or not text[e].isalnum()):
            yield i, e
            i = text.find(body, e)
        else:
            i = text.find(body, i + 1)


def _whole_words(label: Label, body: str) -> list[str]:
    """The words of the label's body that a match shows as whole words of the text.

    A word is whole when the body has a character that is no letter or digit on each side of it, or when the pattern
    asserts a word boundary there (at the body's ends, except for stems).
    """
    out = []
    for m in _WORDS.finditer(body):
        left = m.start() > 0 or not label.stem  # at the start: the pattern's (?<!word) boundary
        right = m.end() < len(body) or not label.stem
        if left and right:
            out.append(m.group())
    return out


def _acronyms_agree(acronyms: tuple[int, tuple[tuple[int, str], ...]], printed: str) -> bool:
    """Every acronym word of the label is printed exactly so (``NNA`` but not ``nna``). ``acronyms``: the number of
    words of the label and its acronym words with their positions."""
    count, words = acronyms
    if not words:
        return True
    pw = printed.split()
    return len(pw) == count and all(pw[k] == w for k, w in words)

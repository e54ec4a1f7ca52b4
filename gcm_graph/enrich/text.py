"""Text as the matchers see it: folded for comparison, with every folded offset traced back to the source text.

Folding is lower-casing, removing accents (``"Niñas"`` → ``"ninas"``) and collapsing runs of white space into one
space. A :class:`Folded` keeps, for each character of the folded string, the offset of the source character it came
from, so that a match found in folded text is reported with the exact words printed in the document.

A :class:`Passage` is one piece of a programme entry that enrichment reads: its title, or one block (paragraph or
list item) of its description, results or challenges, with the source lines it spans.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..parse import markup as mk
from ..records import CHALLENGES, DESCRIPTION, RESULTS, Block, ProgrammeEntry

TITLE = "title"
#: The parts of an entry a match can be found in, in reading order.
PARTS = (TITLE, DESCRIPTION, RESULTS, CHALLENGES)

_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[¿¡\"“(]?[A-ZÁÉÍÓÚÑ0-9])")


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    """One source character folded: lower case, no accents (``"Ñ"`` → ``"n"``); may be empty or longer."""
    decomposed = unicodedata.normalize("NFD", ch.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class _FoldTable(dict):
    """A :meth:`str.translate` table filled on demand: white space kept, every other character folded."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        value = self[code] = ch if ch.isspace() else fold_char(ch)
        return value


class _IrregularTable(dict):
    """A :meth:`str.translate` table that keeps only the characters that do not fold to exactly one character."""

    def __missing__(self, code: int) -> str | None:
        ch = chr(code)
        value = self[code] = None if ch.isspace() or len(fold_char(ch)) == 1 else ch
        return value


_FOLD_TABLE = _FoldTable()
_IRREGULAR_TABLE = _IrregularTable()
_NON_SPACE = re.compile(r"\S+")  # \s is exactly str.isspace, as str.split() uses


def low(text: str) -> str:
    """Folded character by character, white space kept as is (``"Niñas  y"`` → ``"ninas  y"``)."""
    return text.translate(_FOLD_TABLE)


def fold(text: str) -> str:
    """``"  Niñas,\\n Niños "`` → ``"ninas, ninos"``."""
    return Folded.of(text).text


@dataclass(frozen=True)
class Folded:
    """A folded string and, per folded character, the offset of the source character it came from."""

    source: str
    text: str
    origin: tuple[int, ...]

    @classmethod
    def of(cls, source: str, keep_case: bool = False) -> Folded:
        """Fold ``source``; with ``keep_case`` only white space is collapsed (for exact comparison)."""
        return _folded(source, keep_case)

    @classmethod
    def _build(cls, source: str, keep_case: bool) -> Folded:
        if not keep_case and source.translate(_IRREGULAR_TABLE):
            return cls._build_slow(source, keep_case)  # a character folds to none or several: trace each one
        # Every character folds to exactly one: fold the whole string at once and keep its words, one space apart.
        spans = [m.span() for m in _NON_SPACE.finditer(source)]
        lowered = source if keep_case else source.translate(_FOLD_TABLE)
        origin: list[int] = []
        previous_end = -1
        for s, e in spans:
            if previous_end >= 0:
                origin.append(previous_end)  # the space stands for the first white space character after a word
            origin.extend(range(s, e))
            previous_end = e
        return cls(source, " ".join([lowered[s:e] for s, e in spans]), tuple(origin))

    @classmethod
    def _build_slow(cls, source: str, keep_case: bool) -> Folded:
        out: list[str] = []
        origin: list[int] = []
        space = True  # drop leading white space
        for i, ch in enumerate(source):
            if ch.isspace():
                if not space:
                    out.append(" ")
                    origin.append(i)
                space = True
                continue
            space = False
            for f in (ch if keep_case else fold_char(ch)):
                out.append(f)
                origin.append(i)
        if out and out[-1] == " ":
            out.pop()
            origin.pop()
        return cls(source, "".join(out), tuple(origin))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The source span ``[s, e)`` of the folded span ``[start, end)`` (``end > start``)."""
        s = self.origin[start]
        last = self.origin[end - 1]
        e = last + 1
        # A folded character may come from a longer source sequence (a letter with its combining accent).
        while e < len(self.source) and unicodedata.combining(self.source[e]):
            e += 1
        return s, e


@lru_cache(maxsize=8192)
def _folded(source: str, keep_case: bool) -> Folded:
    return Folded._build(source, keep_case)


@dataclass(frozen=True)
class Passage:
    """A piece of an entry: ``part`` is title, description, results or challenges; ``index`` is 1-based within it."""

    part: str
    index: int
    text: str
    first_line: int
    last_line: int
    line_starts: tuple[tuple[int, int], ...] = ()  # (offset in text, source line) for blocks spanning lines
    heading: str | None = None
    depth: int = 0
    kind: str = "paragraph"

    def line_at(self, offset: int) -> int:
        """The source line of the character at ``offset`` (the block's first line when unknown)."""
        line = self.first_line
        for start, ln in self.line_starts:
            if start <= offset:
                line = ln
        return line

    def sentence_bounds(self, offset: int) -> tuple[int, int]:
        """The span of the sentence holding ``offset``."""
        start = 0
        for m in _SENTENCE.finditer(self.text):
            if m.start() > offset:
                return start, m.start()
            start = m.end()
        return start, len(self.text)


def _line_starts(block: Block, source_lines: list[str] | None) -> tuple[tuple[int, int], ...]:
    """Where each source line of a multi-line block starts in the block's text (needs the source lines)."""
    if source_lines is None or block.first_line == block.last_line:
        return ()
    starts: list[tuple[int, int]] = []
    pos = 0
    for number in range(block.first_line, block.last_line + 1):
        raw = source_lines[number - 1] if number - 1 < len(source_lines) else ""
        line = mk.classify(number, raw)
        if line.kind in (mk.BLANK, mk.FOOTNOTE, mk.SEPARATOR) or line.is_url_only:
            continue
        piece = mk.clean_inline(line.content)[0]
        if not piece:
            continue
        found = block.text.find(piece[: min(len(piece), 24)], pos)
        if found < 0:
            continue
        starts.append((found, number))
        pos = found + 1
    return tuple(starts)


def passages(entry: ProgrammeEntry, source_lines: list[str] | None = None) -> list[Passage]:
    """The title and every block of the entry, in reading order."""
    out = [Passage(TITLE, 1, entry.title, entry.first_line, entry.first_line)]
    for part in (DESCRIPTION, RESULTS, CHALLENGES):
        for i, block in enumerate(entry.blocks(part), start=1):
            out.append(Passage(part, i, block.text, block.first_line, block.last_line,
                               _line_starts(block, source_lines), block.heading, block.depth, block.kind))
    return out

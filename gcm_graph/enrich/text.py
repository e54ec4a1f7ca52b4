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
from dataclasses import dataclass, field
from functools import lru_cache

from ..parse import markup as mk
from ..records import CHALLENGES, DESCRIPTION, RESULTS, Block, ProgrammeEntry

TITLE = "title"
#: The parts of an entry a match can be found in, in reading order.
PARTS = (TITLE, DESCRIPTION, RESULTS, CHALLENGES)

# White space after . ; ! ? before what opens a sentence. The look-behind comes after the first white space
# character (the same condition): a pattern that starts with one is tried at every position of the text.
_SENTENCE = re.compile(r"\s(?<=[.;!?]\s)\s*(?=[¿¡\"“(]?[A-ZÁÉÍÓÚÑ0-9])")


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
    """A :meth:`str.translate` table that keeps only the characters that are not *regular*.

    A regular character is white space, or folds to exactly one character that is no white space, is its own
    fold and its own lower case, and is a letter or digit exactly when the character is. A string of regular
    characters folds one to one, position by position, whether folded character by character or all at once.
    """

    def __missing__(self, code: int) -> str | None:
        ch = chr(code)
        f = fold_char(ch)
        regular = ch.isspace() or (len(f) == 1 and not f.isspace() and fold_char(f) == f and f.lower() == f
                                   and f.isalnum() == ch.isalnum())
        value = self[code] = None if regular else ch
        return value


_FOLD_TABLE = _FoldTable()
_IRREGULAR_TABLE = _IrregularTable()
_NON_SPACE = re.compile(r"\S+")  # \s is exactly str.isspace, as str.split() uses
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def fold_each(text: str) -> str | None:
    """``text`` folded character by character, white space kept, when all its characters are regular (else None).

    ASCII is lower-cased; each other character is replaced by its fold (a fold is its own fold, so the order of
    the replacements does not matter), then the rest lower-cased (a fold is its own lower case, and no "Σ" is left
    whose lower case depends on its neighbours)."""
    if text.isascii():
        return text.lower()
    chars = set(_NON_ASCII.findall(text))
    if "".join(chars).translate(_IRREGULAR_TABLE):
        return None
    for ch in chars:
        f = _FOLD_TABLE[ord(ch)]
        if f != ch:
            text = text.replace(ch, f)
    return text.lower()


def low(text: str) -> str:
    """Folded character by character, white space kept as is (``"Niñas  y"`` → ``"ninas  y"``)."""
    out = fold_each(text)
    return text.translate(_FOLD_TABLE) if out is None else out


_WORDS = re.compile(r"[^\W_]+")


@lru_cache(maxsize=8192)
def words_of(text: str) -> frozenset[str]:
    """The whole words of a text: maximal runs of letters and digits (``[^\\W_]+``)."""
    return frozenset(_WORDS.findall(text))


def fold(text: str) -> str:
    """``"  Niñas,\\n Niños "`` → ``"ninas, ninos"``."""
    return Folded.of(text).text


@dataclass(frozen=True)
class Folded:
    """A folded string and, per folded character, the offset of the source character it came from.

    ``one_to_one``: every source character that is no white space gave exactly one folded character (always so
    with ``keep_case``). Then the folded text is the source's words, each folded letter by letter, one space apart,
    and offsets are worked out from where the words start; ``origin`` is only built when asked for.
    """

    source: str
    text: str
    _origin: tuple[int, ...] | None = field(default=None, repr=False, compare=False)
    one_to_one: bool = field(default=False, repr=False, compare=False)
    _starts: list[int] | int | None = field(default=None, repr=False, compare=False)  # word starts, or a shift

    @property
    def origin(self) -> tuple[int, ...]:
        if self._origin is None:  # one to one: each word's characters, and a space after each word but the last
            origin: list[int] = []
            for m in _NON_SPACE.finditer(self.source):
                if origin:
                    origin.append(origin[-1] + 1)
                origin.extend(range(*m.span()))
            object.__setattr__(self, "_origin", tuple(origin))
        return self._origin

    @classmethod
    def of(cls, source: str, keep_case: bool = False) -> Folded:
        """Fold ``source``; with ``keep_case`` only white space is collapsed (for exact comparison)."""
        return _folded(source, keep_case)

    @classmethod
    def _build(cls, source: str, keep_case: bool) -> Folded:
        folded = source if keep_case else fold_each(source)
        if folded is None:
            return cls._build_slow(source, keep_case)  # a character folds to none or several: trace each one
        return cls(source, " ".join(folded.split()), one_to_one=True)

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

    def _offset(self, i: int) -> int:
        """The source offset of the folded character ``i``."""
        if not self.one_to_one:
            return self.origin[i]
        starts = self._starts
        if starts is None:
            source = self.source
            unindented = source.lstrip()
            if len(unindented.rstrip()) == len(self.text):  # one white space character between words: a shift
                starts = len(source) - len(unindented)
            else:
                starts = [m.start() for m in _NON_SPACE.finditer(source)]
            object.__setattr__(self, "_starts", starts)
        if isinstance(starts, int):
            return i + starts
        text = self.text
        if text[i] == " ":  # the first white space character after the word before it
            return self._offset(i - 1) + 1
        return starts[text.count(" ", 0, i)] + i - (text.rfind(" ", 0, i) + 1)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The source span ``[s, e)`` of the folded span ``[start, end)`` (``end > start``)."""
        s = self._offset(start)
        e = self._offset(end - 1) + 1
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
        for s, e in _sentence_breaks(self.text):
            if s > offset:
                return start, s
            start = e
        return start, len(self.text)


@lru_cache(maxsize=1024)
def _sentence_breaks(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(m.span() for m in _SENTENCE.finditer(text))


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

"""Line-level reading of the converted Markdown: what kind of line each is, and its text without markup.

The conversion from PDF is irregular: headings at any level or only in bold, list items with unbalanced ``**``,
tab-separated tables with ``<b>`` cells, footnotes as ``<sup>N</sup>`` lines. This module only classifies single
lines; the document structure is built in :mod:`gcm_graph.parse.document`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Kinds of line.
BLANK = "blank"
SEPARATOR = "separator"
FOOTNOTE = "footnote"
TABLE = "table"
HEADING = "heading"
BOLD = "bold"
ITEM = "item"
TEXT = "text"

_SUP_REF = re.compile(r"<sup>\s*(\d+)\s*</sup>")
_SUP_ANY = re.compile(r"</?sup>")
_BOLD_TAG = re.compile(r"</?b>", re.IGNORECASE)
_MD_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_ESCAPED = re.compile(r"\\+([_*$#\[\]()`~>|\\.-])")
_SPACES = re.compile(r"\s+")

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_ITEM = re.compile(r"^(\s*)([-*+•]|\d{1,3}[.)])\s+(.*)$")
_FOOTNOTE = re.compile(r"^<sup>\s*(\d+)\s*</sup>\s*(.*)$")
_SEPARATOR = re.compile(r"^\s*(-{3,}|\*{3,}|_{3,})\s*$")
_URL_ONLY = re.compile(r"^\s*((<https?://[^>\s]+>|\[[^\]]*\]\([^)\s]+\))\s*)+$")

_NUMBERED = re.compile(r"^(\d{1,3})\.\s+(.*)$", re.DOTALL)
_OBJECTIVE = re.compile(r"^Objetivo\s+(\d{1,2})\s*[.:\-–]\s*(.*)$", re.IGNORECASE | re.DOTALL)
_SECTION_NAMES = {
    "resultados": "results",
    "resultado": "results",
    "retos identificados": "challenges",
    "reto identificado": "challenges",
    "retos": "challenges",
}


def clean_inline(text: str) -> tuple[str, tuple[int, ...]]:
    """Text without Markdown/HTML markup, and the footnote numbers referenced in it (in order)."""
    refs = tuple(int(n) for n in _SUP_REF.findall(text))
    text = _SUP_REF.sub("", text)
    text = _SUP_ANY.sub("", text)
    text = _BOLD_TAG.sub("", text)
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    text = _AUTOLINK.sub(lambda m: m.group(1), text)
    # Protect escaped characters, drop emphasis markers, restore.
    escaped: list[str] = []

    def protect(m: re.Match[str]) -> str:
        escaped.append(m.group(1))
        return f"\x00{len(escaped) - 1}\x00"

    text = _ESCAPED.sub(protect, text)
    text = text.replace("**", "").replace("*", "")
    text = re.sub(r"\x00(\d+)\x00", lambda m: escaped[int(m.group(1))], text)
    return _SPACES.sub(" ", text).strip(), refs


def urls_in(text: str) -> tuple[str, ...]:
    """Every URL a line links to, in order, without duplicates."""
    found: list[str] = []
    for m in _MD_LINK.finditer(text):
        found.append(m.group(2))
    for m in _AUTOLINK.finditer(text):
        found.append(m.group(1))
    rest = _AUTOLINK.sub(" ", _MD_LINK.sub(" ", text))
    found.extend(re.findall(r"https?://[^\s<>)\]]+", rest))
    out: list[str] = []
    for url in found:
        url = url.replace("\\", "")
        if url not in out:
            out.append(url)
    return tuple(out)


@dataclass(frozen=True)
class Line:
    number: int  # 1-based
    raw: str
    kind: str
    content: str = ""  # the line's content without its heading / list marker (markup kept)
    level: int = 0  # heading level
    indent: int = 0  # list indentation in spaces
    marker: str | None = None  # list marker
    footnote: int | None = None  # footnote number of a footnote definition
    hard_break: bool = False  # the line ends in two spaces (a Markdown line break)

    @property
    def text(self) -> str:
        return clean_inline(self.content)[0]

    @property
    def structural(self) -> bool:
        """Set apart by markup: a heading, a bold line, or a list item carrying bold (``- 1. Title**``)."""
        return self.kind in (HEADING, BOLD) or (self.kind == ITEM and "**" in self.content)

    @property
    def is_url_only(self) -> bool:
        return bool(_URL_ONLY.match(self.raw))


def classify(number: int, raw: str) -> Line:
    stripped = raw.rstrip()
    hard = raw.endswith("  ")
    if not stripped.strip():
        return Line(number, raw, BLANK)
    if "\t" in raw:
        return Line(number, raw, TABLE, content=raw)
    if _SEPARATOR.match(stripped):
        return Line(number, raw, SEPARATOR)
    m = _FOOTNOTE.match(stripped)
    if m:
        return Line(number, raw, FOOTNOTE, content=m.group(2), footnote=int(m.group(1)), hard_break=hard)
    m = _HEADING.match(stripped)
    if m:
        return Line(number, raw, HEADING, content=m.group(2).strip(), level=len(m.group(1)), hard_break=hard)
    m = _ITEM.match(stripped)
    if m:
        indent = len(m.group(1).expandtabs(4))
        return Line(number, raw, ITEM, content=m.group(3).strip(), indent=indent, marker=m.group(2), hard_break=hard)
    if stripped.lstrip().startswith("**"):
        return Line(number, raw, BOLD, content=stripped.strip(), hard_break=hard)
    return Line(number, raw, TEXT, content=stripped.strip(), hard_break=hard)


def section_of(line: Line) -> str | None:
    """``results`` or ``challenges`` when the line is such a section heading (any level, bold or not)."""
    if line.kind not in (HEADING, BOLD, TEXT):
        return None
    key = line.text.lower().strip(" :.")
    if line.kind == TEXT and key == "retos":
        return None  # a bare word in running text is too weak a signal
    return _SECTION_NAMES.get(key)


def objective_of(line: Line) -> tuple[int, str] | None:
    """(number, printed title) when the line is an objective heading."""
    if not line.structural:
        return None
    m = _OBJECTIVE.match(line.text)
    if not m:
        return None
    return int(m.group(1)), m.group(2).strip()


def numbered_title(line: Line) -> tuple[int, str] | None:
    """(number, text) when the line is set apart by markup and starts with ``N.``: a programme title."""
    if not line.structural:
        return None
    m = _NUMBERED.match(line.text)
    if not m:
        return None
    return int(m.group(1)), m.group(2).strip()


def table_cells(line: Line) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The cells of a tab-separated row (trailing empty cells dropped) and the footnotes they reference."""
    cells: list[str] = []
    refs: list[int] = []
    for cell in line.raw.rstrip("\r\n").split("\t"):
        text, r = clean_inline(cell)
        cells.append(text)
        refs.extend(r)
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells), tuple(refs)

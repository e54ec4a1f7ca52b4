"""The parsed document as plain values: frozen dataclasses, no RDF.

Every record carries the 1-based source lines it came from, so that everything built from it can be traced back
to the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Sections a block of a programme entry can sit in.
DESCRIPTION = "description"
RESULTS = "results"
CHALLENGES = "challenges"
SECTIONS = (DESCRIPTION, RESULTS, CHALLENGES)


@dataclass(frozen=True)
class Footnote:
    number: int
    text: str
    urls: tuple[str, ...]
    first_line: int
    last_line: int


@dataclass(frozen=True)
class Block:
    """A paragraph or a list item, as printed (markup removed)."""

    kind: str  # "paragraph" or "item"
    text: str
    first_line: int
    last_line: int
    depth: int = 0  # list nesting: 0 top level, 1 a sub-item…
    marker: str | None = None  # "-", "1." … as printed for list items
    heading: str | None = None  # the sub-heading (e.g. a year) the block sits under, if any
    footnote_refs: tuple[int, ...] = ()


@dataclass(frozen=True)
class Table:
    section: str
    rows: tuple[tuple[str, ...], ...]
    first_line: int
    last_line: int
    heading: str | None = None
    footnote_refs: tuple[int, ...] = ()

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass(frozen=True)
class ProgrammeEntry:
    """One occurrence of a programme under one objective of a report."""

    objective: int
    number: int
    title: str  # markup removed, trailing agency parenthesis removed
    agencies: tuple[str, ...]  # acronyms exactly as printed
    first_line: int  # the title line
    last_line: int
    printed_title: str = ""  # the title line's text with markup removed, agency parenthesis included
    description: tuple[Block, ...] = ()
    results: tuple[Block, ...] = ()
    challenges: tuple[Block, ...] = ()
    tables: tuple[Table, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    results_line: int | None = None  # line of the "Resultados" heading, if the entry has one
    challenges_line: int | None = None  # line of the "Retos identificados" heading, if any

    @property
    def key(self) -> str:
        """``objective-number`` as in identifiers: ``7-14``."""
        return f"{self.objective}-{self.number}"

    def blocks(self, section: str) -> tuple[Block, ...]:
        return {DESCRIPTION: self.description, RESULTS: self.results, CHALLENGES: self.challenges}[section]


@dataclass(frozen=True)
class ObjectiveSection:
    number: int
    printed_title: str
    line: int
    programmes: tuple[ProgrammeEntry, ...] = ()


@dataclass(frozen=True)
class LineRole:
    """What one non-blank source line was attributed to."""

    line: int
    role: str  # front-matter, introduction, objective, title, description, results, challenges, table, footnote…
    owner: str | None = None  # programme key ("7-14"), objective number, footnote number…


@dataclass(frozen=True)
class ParsedDocument:
    path: str
    line_count: int
    title: str
    place_date: str  # "Ciudad de México 18 de septiembre de 2020." as printed
    introduction: tuple[Block, ...]
    objectives: tuple[ObjectiveSection, ...]
    footnotes: tuple[Footnote, ...]
    roles: tuple[LineRole, ...]
    unattributed: tuple[int, ...] = ()

    @property
    def programmes(self) -> tuple[ProgrammeEntry, ...]:
        return tuple(p for o in self.objectives for p in o.programmes)


@dataclass(frozen=True)
class SourceMeta:
    """The metadata file beside a source document (``data/source/<slug>.toml``)."""

    slug: str
    country: str  # ISO 3166-1 alpha-2, upper case
    year: int
    title: str
    publisher: str
    publisher_agency: str | None  # acronym of the publishing agency in the country's register
    place: str
    published: date
    period_start: date
    period_end: date
    language: str
    sha256: str
    source_file: str  # file name of the document, relative to the sources folder
    title_en: str | None = None
    url: str | None = None
    extra: tuple[tuple[str, str], ...] = field(default=())


@dataclass(frozen=True)
class Source:
    """A source document read from disk: its metadata and its text."""

    meta: SourceMeta
    path: str
    text: str


@dataclass(frozen=True)
class ParsedReport:
    """A source's metadata with its parsed document."""

    meta: SourceMeta
    document: ParsedDocument

    @property
    def slug(self) -> str:
        return self.meta.slug

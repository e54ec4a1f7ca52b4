"""What enrichment finds in a report, as plain frozen values (no RDF): links with their evidence, quantities, dates."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..records import ParsedReport


@dataclass(frozen=True)
class Match:
    """The evidence for a link: which words of which part of the entry matched which register label, and why."""

    target: str  # organisation id, population or theme slug, agency id
    section: str  # title, description, results or challenges
    text: str  # the matched words exactly as printed
    line: int  # source line of the first matched character
    index: int  # 1-based block index within the section (the title is 1)
    label: str  # the register label that matched (as in the register)
    rule: str  # why this match makes a link: "name", "acronym", "title", "cue 'dirigido a'", "counted", "keyword"


@dataclass(frozen=True)
class Link:
    """A link from an entry to ``target`` and every match that supports it (in text order)."""

    target: str
    matches: tuple[Match, ...]


@dataclass(frozen=True)
class Quantity:
    """A number stated in a result or a table cell, read as what it counts.

    ``value`` is scaled (``"667 mil"`` → 667000, ``"$16,103 MDP"`` → 16103000000); ``upper`` is the top of a range
    (``"12 a 15"``); ``text`` is the exact source text. The source is a result (``result`` = its 1-based index) or a
    table cell (``table``, ``row``, ``column``, 1-based, with the cell's ``column_heading`` and row ``label``).
    """

    value: int | Decimal
    unit: str
    counted: str | None
    text: str
    section: str
    line: int
    result: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    column_heading: str | None = None
    label: str | None = None  # the row's label in a table, or the label before a colon ("Chiapas: 51,863")
    period: str | None = None  # the period or year as stated
    year: int | None = None  # the year the period is, or ends in
    qualifier: str | None = None  # "más de", "casi", "alrededor de"…
    upper: int | Decimal | None = None
    note: str | None = None  # how an irregular number was read


@dataclass(frozen=True)
class PartialDate:
    """A calendar date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def iso(self) -> str:
        """``2020``, ``2020-06`` or ``2020-06-30`` (the lexical forms of xsd:gYear, xsd:gYearMonth, xsd:date)."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def precision(self) -> str:
        return "year" if self.month is None else "month" if self.day is None else "day"


@dataclass(frozen=True)
class StatedDate:
    """A date or period stated in an entry: ``start`` alone for a date, ``start``–``end`` for a period."""

    text: str
    section: str
    line: int
    start: PartialDate | None
    end: PartialDate | None = None

    @property
    def is_period(self) -> bool:
        return self.end is not None


@dataclass(frozen=True)
class ChallengeThemes:
    """The themes of one challenge (``index`` 1-based among the entry's challenges)."""

    index: int
    line: int
    themes: tuple[Link, ...]  # an "other" link with no matches when no keyword matched


@dataclass(frozen=True)
class EntryEnrichment:
    key: str  # "7-14"
    objective: int
    number: int
    programme: str  # the distinct programme's key: the key of its first occurrence
    partners: tuple[Link, ...] = ()
    populations: tuple[Link, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    challenges: tuple[ChallengeThemes, ...] = ()
    collaborating: tuple[Link, ...] = ()  # Mexican agencies named in the text, not responsible for the entry
    links: tuple[str, ...] = ()  # footnote URLs
    dates: tuple[StatedDate, ...] = ()


@dataclass(frozen=True)
class EnrichedReport:
    report: ParsedReport
    entries: tuple[EntryEnrichment, ...]
    acronyms: tuple[tuple[str, str], ...] = ()  # (organisation id, Spanish acronym) of every partner found

    @property
    def slug(self) -> str:
        return self.report.slug

    @property
    def country(self) -> str:
        return self.report.meta.country

    def entry(self, key: str) -> EntryEnrichment:
        for e in self.entries:
            if e.key == key:
                return e
        raise KeyError(key)

    def __iter__(self) -> Iterator[EntryEnrichment]:
        return iter(self.entries)

    def programmes(self) -> dict[str, tuple[str, ...]]:
        """Distinct programme key → the keys of its occurrences, in document order."""
        out: dict[str, list[str]] = {}
        for e in self.entries:
            out.setdefault(e.programme, []).append(e.key)
        return {k: tuple(v) for k, v in out.items()}

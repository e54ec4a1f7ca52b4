"""Dates and periods stated in Spanish text: "1 de junio de 2019", "del 17 al 20 de diciembre de 2019",
"de 2014 a junio de 2020", "noviembre 2019", "2019-2024", "19.08.19".

:func:`find_dates` returns every date expression of a text with its source span. Each becomes a
:class:`~gcm_graph.enrich.model.StatedDate` known to the day, month or year, or stays a bare span (``start`` None)
when the text leaves it incomplete ("del 9 al 10 de diciembre": no year). Every span — complete or not — hides
the numbers inside it from the quantity reader (a day or a year is not a count).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import PartialDate

_YEAR = r"(?:19|20)\d{2}"
_DIGIT = re.compile(r"\d")
# The words that introduce a date: "en 2019", "del 1 de julio…".
_LEADS = ("al", "hasta el", "hasta", "desde el", "desde", "en el", "en", "durante el", "durante", "a partir del",
          "a partir de", "a finales de", "finales de", "a principios de", "del", "de")


def _longest(words) -> int | None:
    """The length of the longest of ``words`` (None when one is empty or ends in white space)."""
    words = list(words)
    if any(not w or w[-1].isspace() for w in words):
        return None
    return max(map(len, words), default=0)


def _at_end(rx: re.Pattern[str], head: str, longest: int | None) -> re.Match[str] | None:
    """``rx.search(head)`` for a pattern of one of some words (at most ``longest`` characters, matched case-
    insensitively, so as long as written) then white space to the end: such a match ends where ``head.rstrip()``
    ends, so it starts at most ``longest`` characters before; the search starts there, not at every position of
    the text before."""
    return rx.search(head, max(0, len(head.rstrip()) - longest) if longest is not None else 0)


@dataclass(frozen=True)
class DateSpan:
    start: int
    end: int
    text: str
    first: PartialDate | None  # None: the expression is incomplete (no year)
    last: PartialDate | None = None  # the end of a period
    lead: str | None = None  # the word that introduces it: "del", "en", "hasta"…

    @property
    def anchored(self) -> bool:
        """Stated as a time (a period, a full date, or introduced by a preposition), not a year inside a name
        ("Invierno 2019", "Convocatoria 2019", "Política Migratoria … 2018-2024")."""
        if self.first is None:
            return False
        if self.lead is not None:
            return True  # "en 2019", "del 1 de julio…", or "" for a year that opens the text ("2019 se tuvo…")
        return self.first.precision == "day" and (self.last is None or self.last.precision == "day")

    @property
    def is_period(self) -> bool:
        return self.last is not None


@dataclass(frozen=True)
class _Atom:
    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None


class DateReader:
    """Compiled date patterns for one language's rules (``[dates]`` of enrich-rules-<lang>.toml)."""

    def __init__(self, rules: dict):
        d = rules.get("dates", {})
        self.months = [m.lower() for m in d.get("months", ())]
        months = "|".join(sorted(map(re.escape, self.months), key=len, reverse=True))
        joiners = "|".join(map(re.escape, d.get("joiners", ("de",))))
        fuzzy = "|".join(map(re.escape, d.get("fuzzy", ()))) or "(?!)"
        self._fuzzy = fuzzy
        # Look-behinds come after the first character they guard (same matches): a pattern that starts with one
        # is tried at every position of the text, one that starts with a digit or a letter is not.
        day = r"(?P<d>\d(?<![\d.,]\d)\d?)(?:º|°|o|ro|er)?"
        month = rf"(?P<m>{months})"
        year = rf"(?P<y>{_YEAR})"
        j = rf"(?:\s+(?:{joiners}))?\s+"
        self._atoms = [
            re.compile(rf"{day}\s+(?:{joiners})\s+{month}(?:{j}{year}(?!\d|,\d))?", re.I),
            re.compile(rf"(?<![\w]){month}{j}{year}(?!\d|,\d)", re.I),
            re.compile(rf"{year}(?<![\w$.,'/-]{_YEAR})(?!\d|,\d|\.\d|\s*%)", re.I),
            re.compile(r"(?P<d>\d(?<![\d.]\d)\d)\.(?P<m2>\d{2})\.(?P<y2>\d{2})(?![\d.])"),
        ]
        # What each atom cannot match without, found much faster (no look-behind at every position): a text
        # without it skips the atom's pattern.
        has_year = re.compile(r"[12][09]\d\d")  # what (?:19|20)\d\d needs, opening with a class: searched fast
        self._needs = [
            re.compile(rf"\d(?:º|°|o|ro|er)?\s+(?:{joiners})\s+(?:{months})", re.I),
            has_year,
            has_year,
            re.compile(r"\d{2}\.\d{2}\.\d{2}"),
        ]
        # "del 17 al 20 de diciembre de 2019", "el 5 y 6 de diciembre de 2019": a bare day before a full date.
        self._bare_month = re.compile(rf"(?<![\w])({months})\s*(?:a|al|hasta|y|-|–)\s*(?:(?:{fuzzy})\s+)?$", re.I)
        self._longest_from = _longest(d.get("from", ()))
        froms = "|".join(sorted(map(re.escape, d.get("from", ())), key=len, reverse=True)) or "(?!)"
        tos = "|".join(sorted(map(re.escape, d.get("to", ())), key=len, reverse=True)) or "(?!)"
        self._from = re.compile(rf"(?:^|(?<=[\s(]))(?P<w>{froms})\s+$", re.I)
        self._to = re.compile(rf"^\s*(?:(?P<w>{tos})\s+|[-–]\s*)(?:(?:{fuzzy})\s+)?(?:el\s+)?$", re.I)
        self._years = re.compile(rf"(?P<a>{_YEAR})(?<![\w$.,'/-]{_YEAR})\s*[-–]\s*(?P<b>{_YEAR})(?!\d|,\d)")
        self._lead = re.compile(r"(?:^|(?<=[\s(]))(?P<w>" + "|".join(_LEADS) + r")\s+$", re.I)
        self._found: dict[str, tuple[DateSpan, ...]] = {}  # text → its dates (a reader serves one report)

    def _atoms_in(self, text: str) -> list[_Atom]:
        found: list[_Atom] = []
        if not _DIGIT.search(text):
            return found  # every atom has a day, a year or both: digits
        seen: dict[int, bool] = {}  # the year test serves two atoms: search once
        needed = [seen[id(need)] if id(need) in seen else seen.setdefault(id(need), need.search(text) is not None)
                  for need in self._needs]
        for m in self._years.finditer(text) if needed[1] else ():  # "2019-2024"
            found += [_Atom(m.start("a"), m.end("a"), int(m.group("a")), None, None),
                      _Atom(m.start("b"), m.end("b"), int(m.group("b")), None, None)]
        for rx, wanted in zip(self._atoms, needed):
            if not wanted:
                continue
            for m in rx.finditer(text):
                if any(not (m.end() <= a.start or m.start() >= a.end) for a in found):
                    continue
                g = m.groupdict()
                if g.get("m2"):
                    month, day, year = int(g["m2"]), int(g["d"]), 2000 + int(g["y2"])
                    if not (1 <= month <= 12 and 1 <= day <= 31):
                        continue
                else:
                    month = self.months.index(g["m"].lower()) + 1 if g.get("m") else None
                    day = int(g["d"]) if g.get("d") else None
                    year = int(g["y"]) if g.get("y") else None
                    if day is not None and not 1 <= day <= 31:
                        continue
                found.append(_Atom(m.start(), m.end(), year, month, day))
        return sorted(found, key=lambda a: a.start)

    def find(self, text: str) -> list[DateSpan]:
        """Every date or period expression of ``text``, in text order."""
        # The same block is read for its dates, its figures and its first period: read it once.
        found = self._found.get(text)
        if found is None:
            found = self._found[text] = tuple(self._find(text))
        return list(found)

    def _find(self, text: str) -> list[DateSpan]:
        atoms = self._atoms_in(text)
        out: list[DateSpan] = []
        i = 0
        while i < len(atoms):
            a = atoms[i]
            start = a.start
            first = a
            # A bare day before a day-month atom: "del 17 al 20 de diciembre", "5 y 6 de diciembre".
            bare: _Atom | None = None
            if a.day is not None:
                head = text[:a.start]
                m = re.search(r"(?<![\d.,])(\d{1,2})(?:º|°|o|ro|er)?\s+(?:al|a|y|-)\s+$", head, re.I)
                if m and 1 <= int(m.group(1)) <= 31:
                    bare = _Atom(m.start(1), m.end(1), None, None, int(m.group(1)))
                    start = bare.start
                    first = bare
            elif a.month is not None and a.year is not None:
                # "de enero a diciembre de 2019", "de octubre a junio de 2020": a bare month before a month-year.
                m = self._bare_month.search(text[:a.start])
                if m:
                    month = self.months.index(m.group(1).lower()) + 1
                    year = a.year if month <= a.month else a.year - 1
                    bare = _Atom(m.start(1), m.end(1), year, month, None)
                    start = bare.start
                    first = bare
            last = None
            if bare is None and i + 1 < len(atoms):
                b = atoms[i + 1]
                between = text[a.end:b.start]
                m = self._to.match(between)
                if m:
                    word = (m.group("w") or "-").lower()
                    lead = _at_end(self._from, text[:a.start], self._longest_from)
                    joins = word.startswith("y") and lead is not None and lead.group("w").lower().startswith("entre")
                    if not word.startswith("y") or joins:
                        last = b
                        i += 1
            elif bare is not None:
                last = a
            end = (last or a).end
            lead = _at_end(self._from, text[:start], self._longest_from) if last is not None else \
                _at_end(self._lead, text[:start], _longest(_LEADS))
            if lead:
                start = lead.start("w")
            span = self._span(text, start, end, first, last)
            word = lead.group("w").lower() if lead else ("" if not text[:start].strip(" -–•:") else None)
            out.append(DateSpan(span.start, span.end, span.text, span.first, span.last, word))
            i += 1
        return out

    def _span(self, text: str, start: int, end: int, first: _Atom, last: _Atom | None) -> DateSpan:
        words = text[start:end]
        if last is None:
            return DateSpan(start, end, words, _date(first.year, first.month, first.day))
        year = first.year if first.year is not None else last.year
        month = first.month if first.month is not None else (last.month if first.day is not None else None)
        a = _date(year, month, first.day)
        b = _date(last.year, last.month, last.day)
        if a is None or b is None:
            return DateSpan(start, end, words, None)
        return DateSpan(start, end, words, a, b)


def _date(year: int | None, month: int | None, day: int | None) -> PartialDate | None:
    if year is None:
        return None
    if month is None:
        return PartialDate(year)
    if day is None:
        return PartialDate(year, month)
    import datetime

    try:
        datetime.date(year, month, day)
    except ValueError:
        return PartialDate(year, month)
    return PartialDate(year, month, day)


def year_of(span: DateSpan) -> int | None:
    """The year a stated period is, or ends in."""
    last = span.last or span.first
    return last.year if last is not None else None

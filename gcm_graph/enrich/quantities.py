"""Reported figures: every count in an entry's results and tables as a :class:`~gcm_graph.enrich.model.Quantity`.

For a number in a result (read by :class:`~gcm_graph.enrich.numbers.NumberReader`):

- counted: the noun phrase after it (``"45,689 empleos directos"`` → ``empleos directos``); when nothing follows,
  the label before a colon (``"CPVE tramitadas: 1,162,557"``); when neither, what the previous figure of the same
  result, or of the result that introduces a list, counted (``"Chiapas: 51,863"`` after ``"6,960 consultas"``);
- unit: percent, pesos or dollars when the number says so, else the unit of the first word of the counted phrase
  found in ``units-<lang>.csv`` (``empleos`` → jobs), else ``count``;
- period: the date or period stated nearest before it in the same sentence (else after it in the sentence, else
  before it in the result), a year label (``"2015: 140, 694"``), the result's sub-heading (``2019``), or the
  period of the result that introduces the list or table.

A table becomes one quantity per numeric cell, with its column heading (the first row without counts; a one-cell
first row is the table's caption), the label of its row (the nearest text cell to its left, or ``"label: n"`` inside
the cell) and, for year columns or ``Periodo`` cells, its period.
"""

from __future__ import annotations

import re
from ..records import RESULTS, ProgrammeEntry, Table
from .dates import DateReader, DateSpan, year_of
from .model import Quantity
from .numbers import NumberHit, NumberReader, low
from .text import Passage, fold

_YEAR_LABEL = re.compile(r"^\s*((?:19|20)\d{2})\b")


class QuantityReader:
    def __init__(self, rules: dict, units: dict[str, str]):
        self.numbers = NumberReader(rules)
        self.dates = DateReader(rules)
        self.units = units
        c = rules.get("counted", {})
        self.max_words = int(c.get("max_words", 6))
        self.stop = {fold(w) for w in c.get("stop_words", ())}
        self.articles = {fold(w) for w in c.get("articles", ())}
        self.lead_skip = sorted((fold(w) for w in c.get("lead_skip", ())), key=len, reverse=True)
        self._lead_skip = [re.compile(rf"\s+{re.escape(skip)}(?=\s)") for skip in self.lead_skip]
        self.verb_skip = {fold(w) for w in c.get("verb_skip", ())}
        self.partitives = sorted((fold(w) for w in c.get("partitives", ())), key=len, reverse=True)
        t = rules.get("tables", {})
        self.period_headings = {fold(w) for w in t.get("period_headings", ())}
        self.generic_headings = {fold(w) for w in t.get("generic_headings", ())}

    # -- phrases -------------------------------------------------------------------------------------------------
    def _words(self, text: str, pos: int, allow_articles: bool = False) -> list[tuple[int, int, str]]:
        words: list[tuple[int, int, str]] = []
        for m in re.finditer(r"\s*([^\W\d_][\w\-/]*|[A-Z]{2,}s?)", text[pos:]):
            if m.start() != (words[-1][1] - pos if words else 0):
                break  # punctuation between words ends the phrase
            w = fold(m.group(1))
            if len(words) >= self.max_words or (w in self.stop and not (allow_articles and w in self.articles)):
                break
            if words and words[-1][2] in ("de", "del") and w in self.articles and not allow_articles:
                words.pop()
                break
            words.append((pos + m.start(1), pos + m.end(1), w))
        while words and words[-1][2] in ("de", "del"):
            words.pop()
        return words

    def counted_after(self, text: str, hit: NumberHit) -> tuple[str | None, str | None, int]:
        """What a number counts, read after it: (counted phrase, label of a breakdown, end of the phrase).

        ``"45,689 empleos directos"`` → counted; ``"1 de Camboya"`` → label ``Camboya`` (a breakdown of the figure
        before); ``"siete de las aduanas"`` → counted ``aduanas``; ``"19,748 fueron mujeres"`` → ``mujeres``.
        """
        pos = hit.end
        after = low(text[pos:])
        if hit.unit == "percent" or text[hit.num_end:hit.end].strip():
            for skip in self._lead_skip:
                m = skip.match(after)
                if m:
                    pos += m.end()
                    break
        else:
            m = re.match(r"\s+(\w+)(?=\s)", after)
            if m and m.group(1) in self.verb_skip:
                pos += m.end()
            m = re.match(r"\s+(de|del)\s+(?:(\w+)\s+)?(?=\S)", text[pos:])
            if m:
                article = m.group(2) if m.group(2) and m.group(2) in self.articles else None
                words = self._words(text, pos + (m.end() if article else m.end(1)), allow_articles=article is None)
                if words and not article and words[0][2] in ("de", "del"):
                    words = words[1:]
                if not words:
                    return None, None, hit.end
                phrase = text[words[0][0]:words[-1][1]]
                spelled = not re.search(r"\d", text[hit.num_start:hit.num_end])
                if article or (spelled and words[0][2] in self.units):
                    return phrase, None, words[-1][1]  # "siete de las aduanas", "medio millón de personas"
                return None, phrase, words[-1][1]  # "1 de Camboya", "3 de Estados Unidos de América"
        words = self._words(text, pos)
        if not words:
            return None, None, hit.end
        return text[words[0][0]:words[-1][1]], None, words[-1][1]

    @staticmethod
    def label_before(text: str, hit: NumberHit) -> str | None:
        """``"CPVE tramitadas"`` in ``"CPVE tramitadas: 1,162,557"`` (a short clause ending in a colon)."""
        before = text[:hit.start].rstrip()
        if not before.endswith(":"):
            return None
        clause = re.split(r"[.;•]\s+", before[:-1])[-1].strip(" -–")
        if _YEAR_LABEL.match(clause):
            return clause
        if not clause or re.search(r"\d", clause) or len(clause.split()) > 20:
            return None
        return clause

    def partitive(self, text: str, hit: NumberHit) -> bool:
        before = low(text[:hit.start]).rstrip(" ,")
        return any(before.endswith(p.rstrip(",")) for p in self.partitives)

    def unit_of(self, *phrases: str | None) -> str | None:
        for phrase in phrases:
            for word in fold(phrase or "").replace("/", " ").split()[:3]:
                if word in self.units:
                    return self.units[word]
        return None

    # -- results -------------------------------------------------------------------------------------------------
    @staticmethod
    def _period(passage: Passage, dates: list[DateSpan], hit: NumberHit) -> DateSpan | None:
        stated = [d for d in dates if d.anchored]
        s0, s1 = passage.sentence_bounds(hit.num_start)
        before = [d for d in stated if d.end <= hit.start and d.start >= s0]
        if before:
            return before[-1]
        after = [d for d in stated if d.start >= hit.end and d.end <= s1]
        if after:
            return after[0]
        earlier = [d for d in stated if d.end <= hit.start and d.is_period]
        return earlier[-1] if earlier else None

    def from_passage(self, passage: Passage, lead: tuple[Quantity, ...] = (),
                     lead_period: tuple[str | None, int | None] = (None, None)) -> list[Quantity]:
        text = passage.text
        dates = self.dates.find(text)
        hits = self.numbers.read(text, [(d.start, d.end) for d in dates])
        out: list[Quantity] = []
        for hit in hits:
            counted, label, end = self.counted_after(text, hit)
            label = label or self.label_before(text, hit)
            period, year = None, None
            span = self._period(passage, dates, hit)
            if label and _YEAR_LABEL.match(label):
                period, year, label = label, int(_YEAR_LABEL.match(label).group(1)), None
            elif span is not None:
                period, year = span.text, year_of(span)
            elif passage.heading and _YEAR_LABEL.match(passage.heading):
                period, year = passage.heading, int(_YEAR_LABEL.match(passage.heading).group(1))
            else:
                period, year = lead_period
            # Figures without a phrase of their own count what the figure before them counts.
            previous = [q for q in out if q.unit not in ("percent", "pesos", "dollars")] or \
                [q for q in lead if q.unit not in ("percent", "pesos", "dollars")]
            source = previous[-1] if previous else None
            unit = hit.unit
            if counted is None and hit.unit is None and source is not None and (label or self.partitive(text, hit)
                                                                                 or not counted):
                counted = source.counted
                unit = source.unit
            from_label = counted is None and label is not None and hit.unit is None
            if from_label:
                counted = label
            if unit is None and from_label:
                unit = (lead[0].unit if lead else None) or self.unit_of(label)
            if unit is None:
                unit = self.unit_of(counted) or self.unit_of(label)
            out.append(Quantity(
                value=hit.value, unit=unit or "count", counted=counted, text=text[hit.start:max(end, hit.end)],
                section=passage.part, line=passage.line_at(hit.num_start), result=passage.index, label=label,
                period=period, year=year, qualifier=hit.qualifier, upper=hit.upper, note=hit.note))
        return out

    # -- tables --------------------------------------------------------------------------------------------------
    def noun_of(self, text: str) -> str | None:
        """The first phrase of a text that starts with a unit noun ("Las transacciones realizadas con…:")."""
        for m in re.finditer(r"[^\W\d_]+", text):
            if fold(m.group(0)) in self.units:
                words = self._words(text, m.start())
                if words:
                    return text[words[0][0]:words[-1][1]]
        return None

    def from_table(self, table: Table, index: int, lead: tuple[Quantity, ...],
                   lead_period: tuple[str | None, int | None], lead_text: str = "") -> list[Quantity]:
        rows = [tuple(c.strip() for c in r) for r in table.rows]
        caption = None
        first = 0
        if rows and len([c for c in rows[0] if c]) == 1 and not self._cell_numbers(rows[0][0]):
            caption, first = rows[0][0].rstrip(":").strip() or None, 1
        headings: tuple[str, ...] = ()
        if first < len(rows) and all(not self._cell_numbers(c) or _is_year(c) for c in rows[first] if c) \
                and any(rows[first]):
            headings, first = rows[first], first + 1
        out: list[Quantity] = []
        for r in range(first, len(rows)):
            row_label: str | None = None
            period, year = lead_period
            for c, cell in enumerate(rows[r]):
                if not cell:
                    continue
                heading = headings[c] if c < len(headings) and headings[c] else None
                if heading and fold(heading) in self.period_headings and _is_year(cell):
                    period, year = cell, int(cell[:4])
                    continue
                hits = self._cell_numbers(cell)
                if not hits:
                    row_label = cell
                    continue
                for hit in hits:
                    inline = self.label_before(cell, hit)
                    p, y = (heading, int(heading[:4])) if heading and _is_year(heading) else (period, year)
                    named = heading if heading and not _is_year(heading) and \
                        fold(heading) not in self.generic_headings else None
                    counted = named or caption or (lead[0].counted if lead else None) or \
                        (self.noun_of(lead_text) if lead_text.rstrip().endswith(":") else None)
                    unit = hit.unit or self.unit_of(named, caption) or (lead[0].unit if lead else None) or \
                        self.unit_of(counted, inline, row_label)
                    out.append(Quantity(
                        value=hit.value, unit=unit or "count", counted=counted, text=cell, section=table.section,
                        line=table.first_line + r, table=index, row=r + 1, column=c + 1, column_heading=heading,
                        label=inline or row_label, period=p, year=y, qualifier=hit.qualifier, upper=hit.upper,
                        note=hit.note))
        return out

    def _cell_numbers(self, cell: str) -> list[NumberHit]:
        return self.numbers.read(cell, [(d.start, d.end) for d in self.dates.find(cell) if not _is_year(cell)])

    # -- an entry ------------------------------------------------------------------------------------------------
    def read(self, entry: ProgrammeEntry, passages: list[Passage]) -> tuple[Quantity, ...]:
        results = [p for p in passages if p.part == RESULTS]
        out: list[Quantity] = []
        by_index: dict[int, list[Quantity]] = {}
        lead_of: dict[int, int] = {}  # an item → the paragraph that introduces it
        last_paragraph = None
        for p in results:
            if p.kind == "item" and last_paragraph is not None:
                lead_of[p.index] = last_paragraph
            elif p.kind != "item":
                last_paragraph = p.index
        periods: dict[int, tuple[str | None, int | None]] = {}
        for p in results:
            lead_index = lead_of.get(p.index)
            lead = tuple(by_index.get(lead_index, ())) if lead_index else ()
            lead_period = periods.get(lead_index, (None, None)) if lead_index else (None, None)
            found = self.from_passage(p, lead, lead_period)
            by_index[p.index] = found
            periods[p.index] = self._first_period(p) or lead_period
            out += found
        for t_index, table in enumerate(entry.tables, start=1):
            before = [p for p in results if p.last_line < table.first_line]
            lead_p = before[-1] if before else None
            lead = tuple(by_index.get(lead_p.index, ())) if lead_p else ()
            lead_period = periods.get(lead_p.index, (None, None)) if lead_p else (None, None)
            out += self.from_table(table, t_index, lead, lead_period, lead_p.text if lead_p else "")
        return tuple(out)

    def _first_period(self, passage: Passage) -> tuple[str | None, int | None] | None:
        for d in self.dates.find(passage.text):
            if d.first is not None:
                return d.text, year_of(d)
        if passage.heading and _YEAR_LABEL.match(passage.heading):
            return passage.heading, int(_YEAR_LABEL.match(passage.heading).group(1))
        return None


def _is_year(cell: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d{2}", cell.strip()))

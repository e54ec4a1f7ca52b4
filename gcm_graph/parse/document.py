"""The document → :class:`~gcm_graph.records.ParsedDocument`: objectives, programme entries, their sections.

A single pass over classified lines. Every non-blank line is attributed to exactly one thing (a
:class:`~gcm_graph.records.LineRole`); lines that fit nowhere are reported as unattributed, and structure the parser
does not know (a programme before any objective, objectives out of order, a repeated programme number, a results
heading outside a programme…) is a :class:`~gcm_graph.errors.ParseError` naming the line.

Page breaks and footnotes cut paragraphs and list items in two in the converted PDF. A text line that follows such
a break (two or more blank lines, a footnote or a ``---`` separator) continues the block before it when that block
did not end a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..errors import ParseError
from ..records import (
    CHALLENGES,
    DESCRIPTION,
    RESULTS,
    Block,
    Footnote,
    LineRole,
    ObjectiveSection,
    ParsedDocument,
    ProgrammeEntry,
    Table,
)
from . import markup as mk
from .titles import split_agencies

OBJECTIVE_COUNT = 23
_SENTENCE_END = (".", "!", "?", ":", ";", "…")
_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre")


@dataclass
class _OpenBlock:
    kind: str
    parts: list[str]
    first_line: int
    last_line: int
    depth: int = 0
    marker: str | None = None
    heading: str | None = None
    refs: list[int] = field(default_factory=list)

    def freeze(self) -> Block:
        text, refs = mk.clean_inline(" ".join(self.parts))
        return Block(self.kind, text, self.first_line, self.last_line, self.depth, self.marker, self.heading,
                     tuple(dict.fromkeys([*self.refs, *refs])))

    def ends_sentence(self) -> bool:
        text = mk.clean_inline(" ".join(self.parts))[0].rstrip(" \"'”’»)*")
        return text.endswith(_SENTENCE_END)


@dataclass
class _OpenProgramme:
    objective: int
    number: int
    title: str
    printed_title: str
    agencies: tuple[str, ...]
    first_line: int
    last_line: int
    section: str = DESCRIPTION
    heading: str | None = None
    blocks: dict[str, list[_OpenBlock]] = field(default_factory=lambda: {DESCRIPTION: [], RESULTS: [], CHALLENGES: []})
    tables: list[Table] = field(default_factory=list)
    refs: list[int] = field(default_factory=list)
    results_line: int | None = None
    challenges_line: int | None = None

    @property
    def key(self) -> str:
        return f"{self.objective}-{self.number}"


class _Parser:
    def __init__(self, path: str, text: str):
        self.path = path
        self.lines = [mk.classify(i + 1, raw) for i, raw in enumerate(text.split("\n"))]
        if text.endswith("\n"):
            self.lines.pop()  # the newline ends the last line; it does not start another
        self.roles: dict[int, LineRole] = {}
        self.objectives: list[ObjectiveSection] = []
        self.objective: tuple[int, str, int] | None = None
        self.entries: list[_OpenProgramme] = []  # of the current objective
        self.seen_numbers: dict[int, int] = {}
        self.prog: _OpenProgramme | None = None
        self.block: _OpenBlock | None = None  # the block lines are being added to
        self.last_block: _OpenBlock | None = None  # the block a page break may continue
        self.broken = False  # a page break, footnote or separator since the last content line
        self.blank_run = 0
        self.table_rows: list[tuple[tuple[str, ...], int, tuple[int, ...]]] = []
        self.footnotes: dict[int, dict] = {}
        self.footnote: dict | None = None  # the footnote definition being read
        self.footnote_owner: dict[int, str | None] = {}
        self.title_refs: dict[str, tuple[int, ...]] = {}  # footnotes called from a programme title
        self._called: set[int] | None = None
        self.front: list[mk.Line] = []
        self.intro: list[_OpenBlock] = []
        self.in_intro = False
        self.intro_block: _OpenBlock | None = None

    # -- helpers ---------------------------------------------------------------------------------------------
    def error(self, line: int, message: str) -> ParseError:
        return ParseError(message, self.path, line)

    def attribute(self, line: mk.Line, role: str, owner: str | None = None) -> None:
        self.roles[line.number] = LineRole(line.number, role, owner)

    def close_block(self) -> None:
        self.block = None

    def flush_table(self) -> None:
        if not self.table_rows or self.prog is None:
            self.table_rows = []
            return
        rows = tuple(r for r, _, _ in self.table_rows)
        refs = tuple(dict.fromkeys(x for _, _, rr in self.table_rows for x in rr))
        self.prog.tables.append(Table(self.prog.section, rows, self.table_rows[0][1], self.table_rows[-1][1],
                                      self.prog.heading, refs))
        self.prog.refs.extend(refs)
        self.table_rows = []

    def close_programme(self) -> None:
        self.flush_table()
        self.close_block()
        self.last_block = None
        if self.prog is not None:
            self.entries.append(self.prog)
            self.prog = None

    def close_objective(self) -> None:
        self.close_programme()
        if self.objective is not None:
            number, title, line = self.objective
            self.objectives.append(ObjectiveSection(number, title, line, tuple(self._freeze(p) for p in self.entries)))
        self.entries = []
        self.seen_numbers = {}

    def _freeze(self, p: _OpenProgramme) -> ProgrammeEntry:
        return ProgrammeEntry(
            objective=p.objective, number=p.number, title=p.title, agencies=p.agencies,
            first_line=p.first_line, last_line=p.last_line, printed_title=p.printed_title,
            description=tuple(b.freeze() for b in p.blocks[DESCRIPTION]),
            results=tuple(b.freeze() for b in p.blocks[RESULTS]),
            challenges=tuple(b.freeze() for b in p.blocks[CHALLENGES]),
            tables=tuple(p.tables), results_line=p.results_line, challenges_line=p.challenges_line,
        )

    # -- the pass ----------------------------------------------------------------------------------------------
    def run(self) -> ParsedDocument:
        if not any(line.kind != mk.BLANK for line in self.lines):
            raise self.error(1, "the document is empty")
        for line in self.lines:
            self.step(line)
        self.flush_table()
        self.close_objective()
        last = max((ln.number for ln in self.lines if ln.kind != mk.BLANK), default=1)
        if not self.objectives:
            raise self.error(last, "no objective heading ('Objetivo 1. …') found: not a GCM implementation report?")
        if self.objectives[-1].number != OBJECTIVE_COUNT:
            raise self.error(last, f"the document ends after objective {self.objectives[-1].number}; a report covers "
                                   f"objectives 1–{OBJECTIVE_COUNT} (is the file truncated?)")
        return self.finish()

    def step(self, line: mk.Line) -> None:
        if line.kind == mk.BLANK:
            self.blank_run += 1
            if self.blank_run >= 2:
                self.broken = True
            self.close_block()
            self.intro_block = None
            if self.footnote is not None and self.blank_run >= 2:
                self.footnote = None
            if self.table_rows:
                self.flush_table()
            return
        blank_before = self.blank_run
        self.blank_run = 0
        if line.kind != mk.TABLE and self.table_rows:
            self.flush_table()

        # Footnote definitions and their continuation lines (URLs, hard line breaks).
        if line.kind == mk.FOOTNOTE:
            self.start_footnote(line)
            return
        if self.footnote is not None:
            if line.is_url_only or (self.footnote["hard"] and blank_before == 0):
                self.continue_footnote(line)
                return
            self.footnote = None
        if line.kind == mk.SEPARATOR:
            self.attribute(line, "separator")
            self.broken = True
            self.close_block()
            return

        objective = mk.objective_of(line)
        if objective is not None:
            self.start_objective(line, *objective)
            return
        if self.objective is None:
            self.front_matter(line)
            return
        title = mk.numbered_title(line)
        if title is not None:
            self.start_programme(line, *title)
            return
        if self.prog is None:
            return  # text between an objective heading and its first programme: reported as unattributed
        self.prog.last_line = line.number
        section = mk.section_of(line)
        if section is not None:
            self.start_section(line, section)
            return
        if line.kind == mk.TABLE:
            cells, refs = mk.table_cells(line)
            self.table_rows.append((cells, line.number, refs))
            self.attribute(line, "table", self.prog.key)
            self.close_block()
            self.last_block = None
            self.broken = False
            return
        if line.kind == mk.HEADING:
            self.close_block()
            self.last_block = None
            self.prog.heading = line.text
            self.attribute(line, "subheading", self.prog.key)
            return
        self.content(line, blank_before)

    def front_matter(self, line: mk.Line) -> None:
        if numbered := mk.numbered_title(line):
            raise self.error(line.number, f"programme '{numbered[0]}. {numbered[1][:60]}' comes before any "
                                          "objective heading ('Objetivo N. …')")
        if mk.section_of(line) in (RESULTS, CHALLENGES) and line.kind != mk.TEXT:
            raise self.error(line.number, f"'{line.text}' section before any objective and programme")
        if line.kind == mk.HEADING and line.text.lower().startswith("introducci"):
            self.in_intro = True
            self.attribute(line, "introduction")
            return
        if self.in_intro:
            self.attribute(line, "introduction")
            if self.intro_block is None or line.kind == mk.ITEM:
                self.intro_block = _OpenBlock("paragraph", [line.content], line.number, line.number)
                self.intro.append(self.intro_block)
            else:
                self.intro_block.parts.append(line.content)
                self.intro_block.last_line = line.number
            return
        self.front.append(line)
        self.attribute(line, "front-matter")

    def start_objective(self, line: mk.Line, number: int, title: str) -> None:
        expected = 1 if self.objective is None else self.objective[0] + 1
        if number != expected:
            if self.objective is not None and number <= self.objective[0]:
                known = [(o.number, o.line) for o in self.objectives] + [(self.objective[0], self.objective[2])]
                earlier = next((ln for n, ln in known if n == number), None)
                again = f" (already at line {earlier})" if earlier else ""
                raise self.error(line.number, f"objective {number} is out of order or repeated{again}: "
                                              f"expected objective {expected}")
            raise self.error(line.number, f"objective {number} is out of order: expected objective {expected}")
        self.close_objective()
        self.objective = (number, title, line.number)
        self.broken = False
        self.attribute(line, "objective", str(number))

    def start_programme(self, line: mk.Line, number: int, text: str) -> None:
        objective = self.objective[0]  # type: ignore[index]
        if number in self.seen_numbers:
            raise self.error(line.number, f"programme number {number} is repeated in objective {objective} "
                                          f"(first at line {self.seen_numbers[number]})")
        expected = len(self.seen_numbers) + 1
        if number != expected:
            raise self.error(line.number, f"programme number {number} is out of order in objective {objective}: "
                                          f"expected {expected}")
        self.close_programme()
        self.seen_numbers[number] = line.number
        title, agencies = split_agencies(text)
        self.prog = _OpenProgramme(objective, number, title, text, agencies, line.number, line.number)
        self.title_refs[self.prog.key] = mk.clean_inline(line.content)[1]
        self.broken = False
        self.attribute(line, "title", self.prog.key)

    def start_section(self, line: mk.Line, section: str) -> None:
        assert self.prog is not None
        self.close_block()
        self.last_block = None
        self.prog.section = section
        self.prog.heading = None
        if section == RESULTS and self.prog.results_line is None:
            self.prog.results_line = line.number
        if section == CHALLENGES and self.prog.challenges_line is None:
            self.prog.challenges_line = line.number
        self.attribute(line, "section", self.prog.key)

    def content(self, line: mk.Line, blank_before: int) -> None:
        prog = self.prog
        assert prog is not None
        section = prog.section
        self.attribute(line, section, prog.key)
        is_item = line.kind == mk.ITEM
        # Lines of one paragraph (or lazy continuation of a list item) with no blank line between.
        if self.block is not None and blank_before == 0 and not is_item:
            self.block.parts.append(line.content)
            self.block.last_line = line.number
            return
        # A page break or a footnote cut the previous block: continue it.
        if (not is_item and self.broken and self.last_block is not None and not self.last_block.ends_sentence()
                and self.last_block in prog.blocks[section]):
            self.last_block.parts.append(line.content)
            self.last_block.last_line = line.number
            self.block = self.last_block
            self.broken = False
            return
        if is_item:
            block = _OpenBlock("item", [line.content], line.number, line.number, depth=line.indent // 2,
                               marker=line.marker, heading=prog.heading)
        else:
            block = _OpenBlock("paragraph", [line.content], line.number, line.number, heading=prog.heading)
        prog.blocks[section].append(block)
        self.block = block
        self.last_block = block
        self.broken = False

    def start_footnote(self, line: mk.Line) -> None:
        number = line.footnote
        assert number is not None
        if number in self.footnotes:
            raise self.error(line.number, f"footnote {number} is defined twice (first at line "
                                          f"{self.footnotes[number]['first']})")
        self.footnote = {"number": number, "parts": [line.content], "urls": list(mk.urls_in(line.content)),
                         "first": line.number, "last": line.number, "hard": line.hard_break}
        self.footnotes[number] = self.footnote
        self.footnote_owner[number] = self.prog.key if self.prog else None
        self.attribute(line, "footnote", str(number))
        self.broken = True
        self.close_block()
        if self.prog is not None:
            self.prog.last_line = line.number

    def continue_footnote(self, line: mk.Line) -> None:
        fn = self.footnote
        assert fn is not None
        fn["parts"].append(line.raw.strip())
        fn["urls"].extend(u for u in mk.urls_in(line.raw) if u not in fn["urls"])
        fn["last"] = line.number
        fn["hard"] = line.hard_break
        self.attribute(line, "footnote", str(fn["number"]))
        if self.prog is not None:
            self.prog.last_line = line.number

    # -- assembling --------------------------------------------------------------------------------------------
    def finish(self) -> ParsedDocument:
        footnotes = {n: Footnote(n, mk.clean_inline(" ".join(f["parts"]))[0], tuple(f["urls"]), f["first"], f["last"])
                     for n, f in sorted(self.footnotes.items())}
        objectives = tuple(self._attach_footnotes(o, footnotes) for o in self.objectives)
        unattributed = tuple(ln.number for ln in self.lines if ln.kind != mk.BLANK and ln.number not in self.roles)
        roles = tuple(self.roles[n] for n in sorted(self.roles))
        return ParsedDocument(
            path=self.path, line_count=len(self.lines), title=self._title(), place_date=self._place_date(),
            introduction=tuple(b.freeze() for b in self.intro), objectives=objectives,
            footnotes=tuple(footnotes.values()), roles=roles, unattributed=unattributed,
        )

    def _attach_footnotes(self, objective: ObjectiveSection, footnotes: dict[int, Footnote]) -> ObjectiveSection:
        """Each footnote goes to the programmes that call it; one nobody calls stays where it was printed."""
        called = self._called_footnotes()
        programmes = []
        for p in objective.programmes:
            refs = [n for b in (*p.description, *p.results, *p.challenges) for n in b.footnote_refs]
            refs += [n for t in p.tables for n in t.footnote_refs]
            refs += self.title_refs.get(p.key, ())
            refs += [n for n, owner in self.footnote_owner.items() if owner == p.key and n not in called]
            attached = tuple(footnotes[n] for n in dict.fromkeys(refs) if n in footnotes)
            programmes.append(replace(p, footnotes=attached))
        return ObjectiveSection(objective.number, objective.printed_title, objective.line, tuple(programmes))

    def _called_footnotes(self) -> set[int]:
        if self._called is None:
            self._called = set()
            for o in self.objectives:
                for p in o.programmes:
                    self._called.update(n for b in (*p.description, *p.results, *p.challenges) for n in b.footnote_refs)
                    self._called.update(n for t in p.tables for n in t.footnote_refs)
            for refs in self.title_refs.values():
                self._called.update(refs)
        return self._called

    def _title(self) -> str:
        bold = [mk.clean_inline(ln.content)[0] for ln in self.front if ln.kind in (mk.BOLD, mk.HEADING)]
        return max(bold, key=len, default="")

    def _place_date(self) -> str:
        for ln in self.front:
            text = ln.text
            if any(f" de {m} de " in text.lower() for m in _MONTHS):
                return text
        return ""


def parse_document(text: str, path: str = "<document>") -> ParsedDocument:
    """Parse a compendium in the converted-Markdown form; raises :class:`ParseError` naming the line."""
    return _Parser(path, text).run()

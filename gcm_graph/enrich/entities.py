"""Links found by name: international partners, collaborating agencies, challenge themes; footnote URLs.

Each link carries every :class:`~gcm_graph.enrich.model.Match` that supports it, so a reader can see which words
in which part of the entry made it.

- Partners: an organisation of the register named anywhere in the entry (title, description, results, challenges)
  by its Spanish or English name, its acronyms or a variant the register lists. Acronyms are case-sensitive whole
  words; names are case- and accent-insensitive; Mexican bodies listed in the rules (COMAR, AMEXCID…) hide the
  words they contain. An organisation that is the programme's subject still counts.
- Collaborating agencies: agencies of the report's country named in the entry (full Spanish name, or an acronym
  with two or more capitals) other than the responsible agencies and the bodies they belong to.
- Themes: every challenge is tagged with the themes whose keyword stems start a word of it; a challenge no keyword
  matches gets the single theme ``other`` (a link with no matches).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..records import CHALLENGES, ProgrammeEntry
from ..registers import AgencyRegister
from .matcher import Hit, Matcher
from .model import ChallengeThemes, Link, Match
from .registers import OTHER_THEME
from .text import Passage


def match_of(hit: Hit, passage: Passage, rule: str | None = None) -> Match:
    return Match(hit.target or "", passage.part, hit.text, passage.line_at(hit.start), passage.index,
                 hit.label.text, rule or hit.label.kind)


def group(matches: Iterable[Match], order: Iterable[str] | None = None) -> tuple[Link, ...]:
    """Matches grouped into links, targets in order of first appearance (or ``order``), matches in text order."""
    by_target: dict[str, list[Match]] = {}
    for m in matches:
        by_target.setdefault(m.target, []).append(m)
    targets = list(order) if order is not None else list(by_target)
    return tuple(Link(t, tuple(by_target[t])) for t in targets if t in by_target)


def find_matches(passages: Iterable[Passage], matcher: Matcher, parts: Iterable[str] | None = None) -> list[Match]:
    wanted = set(parts) if parts is not None else None
    out: list[Match] = []
    for p in passages:
        if wanted is not None and p.part not in wanted:
            continue
        out += [match_of(h, p) for h in matcher.find(p.text) if h.target]
    return out


def partners(passages: list[Passage], matcher: Matcher) -> tuple[Link, ...]:
    return group(find_matches(passages, matcher))


def _ancestors(register: AgencyRegister, agency_id: str) -> set[str]:
    out: set[str] = set()
    cur = register.agencies.get(agency_id)
    while cur is not None and cur.parent and cur.parent not in out:
        out.add(cur.parent)
        cur = register.agencies.get(cur.parent)
    return out


def collaborating(entry: ProgrammeEntry, passages: list[Passage], matcher: Matcher,
                  register: AgencyRegister) -> tuple[Link, ...]:
    responsible: set[str] = set()
    for printed in entry.agencies:
        agency = register.lookup(printed)
        if agency is not None:
            responsible |= {agency.id, *_ancestors(register, agency.id)}
    found = [m for m in find_matches(passages, matcher) if m.target not in responsible]
    return group(found)


def themes(passages: list[Passage], matcher: Matcher) -> tuple[ChallengeThemes, ...]:
    out = []
    for p in passages:
        if p.part != CHALLENGES:
            continue
        found = [match_of(h, p, "keyword") for h in matcher.find(p.text) if h.target]
        links = group(found) or (Link(OTHER_THEME, ()),)
        out.append(ChallengeThemes(p.index, p.first_line, links))
    return tuple(out)


def footnote_links(entry: ProgrammeEntry) -> tuple[str, ...]:
    """Every URL of the entry's footnotes, in footnote order, without duplicates."""
    return tuple(dict.fromkeys(url for fn in entry.footnotes for url in fn.urls))

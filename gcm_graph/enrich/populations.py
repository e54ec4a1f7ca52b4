"""Target populations: link an entry to a population when its text shows the programme serves it.

The rule (documented in data/reference/enrich-rules.md, measured there on a sample read by hand):

1. a population label (``ontology/populations.ttl``, prefLabel/altLabel/hiddenLabel @es) in the entry's **title**
   links it (rule ``title``), unless a topic word of the rules file comes before it ("Estadísticas de la Población
   Mexicana en el Exterior", "Elaborar estudios … asilo y protección complementaria": a subject, not a service);
2. in the **description** or the **results**, a label links it when, in the same sentence and before it, a
   **serving cue** of the rules file occurs at most ``cue_window`` words before it (``dirigido a``, ``población
   objetivo``, ``atiende``, ``brinda``, ``beneficia``, ``a favor de``…; or a direct cue such as ``para`` at most two
   words before it; rule ``cue '<cue>'``), or when a **number counts it** (``3,155 NNA migrantes``,
   ``937 connacionales víctimas de trata``: a figure at most two words before; rule ``counted``);
3. never from the **challenges** (they name groups as problems to solve, not as people served), and never from
   inside the name of a Mexican body, law or programme (blocking names of the rules file and the agency
   register: ``Comisión Mexicana de Ayuda a Refugiados``, ``Procuraduría … de Niñas, Niños y Adolescentes``).

Other mentions (a list of groups in a statistics project, a group named as a topic) are left unlinked; every
mention is still available with :func:`mentions` and its verdict, for review and tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import DESCRIPTION, RESULTS
from .entities import group, match_of
from .matcher import Matcher
from .model import Link, Match
from .numbers import low
from .text import TITLE, Passage, fold

_COUNTED = re.compile(r"\d[\d,.']*\s+(?:[^\W\d_][\w\-]*\s+){0,2}$")


@dataclass(frozen=True)
class Mention:
    match: Match
    served: bool
    reason: str  # the rule that accepted it, or why it was left


class PopulationRule:
    def __init__(self, rules: dict, matcher: Matcher):
        pop = rules.get("populations", {})
        cues = sorted({fold(c) for c in pop.get("serving_cues", ())}, key=len, reverse=True)
        self._cues = re.compile(r"(?<![\w])(" + "|".join(re.escape(c) for c in cues) + r")(?![\w])") if cues \
            else re.compile("(?!)")
        direct = sorted({fold(c) for c in pop.get("direct_cues", ())}, key=len, reverse=True)
        self._direct = re.compile(r"(?<![\w])(" + "|".join(re.escape(c) for c in direct) +
                                  r")(?:\s+[^\W\d_]+){0,2}\s*$") if direct else re.compile("(?!)")
        self.window = int(pop.get("cue_window", 15))
        topics = sorted({fold(w) for w in pop.get("topic_words", ())}, key=len, reverse=True)
        self._topic = re.compile(r"(?<![\w])(" + "|".join(re.escape(w) for w in topics) + r")(?![\w])") if topics \
            else re.compile("(?!)")
        self.matcher = matcher

    def judge(self, passage: Passage, start: int) -> tuple[bool, str]:
        if passage.part == TITLE:
            topic = self._topic.search(low(passage.text[:start]))
            if topic:
                return False, f"title names it as a topic ('{topic.group(1)}')"
            return True, "title"
        if passage.part not in (DESCRIPTION, RESULTS):
            return False, f"in {passage.part}"
        s0, _ = passage.sentence_bounds(start)
        before = passage.text[s0:start]
        if _COUNTED.search(before):
            return True, "counted"
        near = low(before)
        words = list(re.finditer(r"\S+", near))
        if len(words) > self.window:
            near = near[words[-self.window].start():]
        cues = list(self._cues.finditer(near))
        if cues:
            return True, f"cue '{cues[-1].group(1)}'"
        direct = self._direct.search(near)
        if direct:
            return True, f"cue '{direct.group(1)}'"
        return False, "no serving cue before it in its sentence"

    def mentions(self, passages: list[Passage]) -> list[Mention]:
        out = []
        for p in passages:
            for hit in self.matcher.find(p.text):
                if not hit.target:
                    continue
                served, reason = self.judge(p, hit.start)
                out.append(Mention(match_of(hit, p, reason), served, reason))
        return out

    def links(self, passages: list[Passage]) -> tuple[Link, ...]:
        return group(m.match for m in self.mentions(passages) if m.served)

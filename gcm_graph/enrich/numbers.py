"""Numbers in Spanish text as printed in the compendium, and whether each is a count.

Formats read: ``45,689`` · ``6359`` · ``667 mil`` · ``2.5 millones`` · ``$2,373,371,778`` · ``$158,412 USD`` ·
``$16,103 MDP`` · ``10'520,560`` and ``1'735,482`` (apostrophe before the millions) · ``74, 458`` (a space after
the thousands comma; not when it continues a list such as ``56, 107, 120``) · ``69.12%`` · ``93 %`` · ranges
``12 a 15`` and ``entre 10 y 12`` · number words (``dos``, ``doce``, ``medio millón``).

Malformed grouping — ``8,8000`` (line 577) and ``8,5441`` (line 855): a comma followed by four digits. The number
is read from its digits with the misplaced comma ignored (88000, 85441), the exact text is kept, and the quantity
says so in ``note``.

Not counts (never returned): dates and years (spans from :mod:`gcm_graph.enrich.dates`); legal references
(``Art. 58``, ``artículos 72, 73 y 74``); numbers in names and codes (``COVID 19``, ``nivel 4``,
``NOM-027-SSA3-2013``, ``INE/CG243/2019``, ``02/04/17``); times (``09:00``, ``de 9 a 10 am``); ordinals (``1º``,
``1er``, ``4ª``); list references (``2)``); and digit strings of ``identifier_digits`` or more with no separators
(phone numbers such as ``018005533000``). Which words mark these is data: ``[not_counts]`` of the rules file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal

from .text import Folded, fold, fold_each, low, words_of  # noqa: F401  (low: also for populations, quantities)

_NUMBER = re.compile(r"""
    (?P<num>
        \d (?<![\w.,'/:\-]\d)                 # a first digit with none of these before it (checked after
        (?:                                   # the digit: the engine then only stops at digits)
            \d{0,2}'\d{3}(?:,\d{3})+            # 1'735,482
          | \d{0,2}(?:,\d{3})+(?:\.\d+)?(?![\d]) # 45,689  5,000,000.00
          | \d{0,2},\d{4,}                     # 8,8000 (malformed)
          | \d{0,2},\ \d{3}(?![\d])            # 74, 458
          | \d*\.\d+(?![\d.])                  # 2.5
          | \d*
        )
    )
    (?![\w]|[.,]\d|:\d|/\d)
""", re.VERBOSE)


@dataclass(frozen=True)
class NumberHit:
    start: int  # source span of the number with its qualifier, currency, scale and percent sign
    end: int
    num_start: int  # the digits (or number words) alone
    num_end: int
    value: int | Decimal
    upper: int | Decimal | None = None
    unit: str | None = None  # "percent", "pesos", "dollars" when the number says so
    qualifier: str | None = None
    note: str | None = None

    @property
    def text_span(self) -> tuple[int, int]:
        return self.start, self.end


def _value(digits: str) -> tuple[int | Decimal, str | None]:
    """The value of a number as printed, and a note when its grouping is irregular."""
    if re.fullmatch(r"\d{1,3},\d{4,}", digits):
        return int(digits.replace(",", "")), f"malformed thousands grouping '{digits}': read from its digits"
    clean = digits.replace("'", "").replace(",", "").replace(" ", "")
    if "." in clean:
        d = Decimal(clean)
        return (int(d), None) if d == d.to_integral_value() else (d, None)
    return int(clean), None


def _words_re(words) -> str:
    return "|".join(sorted((re.escape(fold(w)) for w in words), key=len, reverse=True)) or "(?!)"


class NumberReader:
    """Reads the counts of a text under one language's rules (``[numbers]`` and ``[not_counts]``)."""

    def __init__(self, rules: dict):
        n, nc = rules.get("numbers", {}), rules.get("not_counts", {})
        self.words: dict[str, int] = {fold(k): int(v) for k, v in n.get("words", {}).items()}
        self.phrases: dict[str, int] = {fold(k): int(v) for k, v in n.get("phrases", {}).items()}
        self.word_stops = [fold(w) for w in n.get("word_stops", ())]
        self.scales = n.get("scales", ())
        self.currencies = n.get("currencies", ())
        self.default_currency = n.get("default_currency", "money")
        self._qualifier = re.compile(rf"(?:^|(?<=[\s(]))({_words_re(n.get('qualifiers', ()))})\s+$")
        self._longest_qualifier = _longest(n.get("qualifiers", ()))
        self.percent = tuple(n.get("percent", ("%",)))
        self._joiners = _words_re(n.get("range_joiners", ("a",)))
        self._article = re.compile(rf"(?:^|\W)(?:{_words_re(nc.get('article_words', ()))})\.?\s*"
                                   r"(?:[\d.]+\s*(?:,|y|e)\s*)*$")
        self._name = re.compile(rf"(?:^|\W)(?:{_words_re(nc.get('name_prefixes', ()))})\.?[\s\-]*$")
        self._longest_article = _longest(nc.get("article_words", ()))
        self._longest_name = _longest(nc.get("name_prefixes", ()))
        self._range_after = re.compile(rf"^\s+(?:{self._joiners})\s+\d+")
        self._time = re.compile(rf"^\s*(?:(?:{_words_re(nc.get('time_words', ()))})\b|:\d)")
        self.identifier_digits = int(nc.get("identifier_digits", 7))
        self._spelled = re.compile(rf"(?<![\w])({_words_re([*self.words, *self.phrases])})(?![\w])")
        # The first word of every number word or phrase: a text with none of them as a whole word has none.
        firsts = [re.match(r"[^\W_]+", fold(w)) for w in [*self.words, *self.phrases]]
        self._spelled_firsts = frozenset(m.group() for m in firsts if m) if all(firsts) else None

    # -- helpers -----------------------------------------------------------------------------------------------
    def _after_number(self, text: str, end: int) -> tuple[int, int, str | None]:
        """Scale, percent and currency words right after a number: (new end, scale factor, unit)."""
        factor, unit = 1, None
        first = _first(text, end)
        if first is None:
            return end, factor, unit  # nothing but white space after it: no word can start there
        for s in self.scales:
            n = _could_start(first, s["word"], s.get("exact", False)) and \
                _starts_with(text, end, s["word"], s.get("exact", False), need_space=True)
            if n:
                end += n
                factor, unit = int(s["factor"]), s.get("unit")
                first = _first(text, end)
                break
        for word in self.percent:
            n = first is not None and _could_start(first, word, False) and \
                _starts_with(text, end, word, False, need_space=False)
            if n:
                return end + n, factor, "percent"
        for c in self.currencies:
            n = first is not None and _could_start(first, c["word"], c.get("exact", False)) and \
                _starts_with(text, end, c["word"], c.get("exact", False), need_space=False)
            if n:
                return end + n, factor, c["unit"]
        return end, factor, unit

    def _not_a_count(self, text: str, start: int, end: int, digits: str) -> bool:
        lowered = _low_whole(text)
        before = low(text[:start]) if lowered is None else lowered[:start]
        after = low(text[end:]) if lowered is None else lowered[end:]
        head = before.rstrip()
        # Both patterns end in a word then only characters of a few kinds: the search starts where it can.
        if self._article.search(head, _tail_start(head, _after_article, self._longest_article)) or \
                self._name.search(head, _tail_start(head, _after_name, self._longest_name)):
            return True
        if self._time.match(after):
            return True
        m = self._range_after.match(after)
        if m and self._time.match(after[m.end():]):
            return True  # "de 9 a 10 am": the first number of a range of times
        if _YEAR_DIGITS.fullmatch(digits):
            return True  # a year
        if _DIGITS.fullmatch(digits) and len(digits) >= self.identifier_digits:
            return True
        if after.startswith(")") and "(" not in before.rsplit(".", 1)[-1]:
            return True  # "2) Movilidades": a list reference
        return False

    # -- reading -------------------------------------------------------------------------------------------------
    def read(self, text: str, blocked: list[tuple[int, int]] = ()) -> list[NumberHit]:
        """The counts of ``text``, in text order; numbers inside ``blocked`` spans (dates) are skipped."""
        hits: list[NumberHit] = []
        taken: list[tuple[int, int]] = list(blocked)
        for m in _NUMBER.finditer(text):
            s, e = m.span("num")
            digits = m.group("num")
            if ", " in digits and (re.search(r"\d,\s*$", text[:s]) or re.match(r",\s*\d", text[e:])):
                digits = digits.split(",")[0]  # "56, 107, 120": a list, not 56,107
                e = s + len(digits)
            if any(not (e <= b0 or s >= b1) for b0, b1 in taken):
                continue
            if self._not_a_count(text, s, e, digits):
                continue
            hits.append(self._hit(text, s, e, *(_value(digits))))
            taken.append((hits[-1].start, hits[-1].end))
        folded = Folded.of(text)
        spelled = self._spelled_firsts is None or not self._spelled_firsts.isdisjoint(words_of(folded.text))
        for m in self._spelled.finditer(folded.text) if spelled else ():
            s, e = folded.span(m.start(1), m.end(1))
            if any(not (e <= b0 or s >= b1) for b0, b1 in taken):
                continue
            if any(st <= m.start(1) and m.end(1) <= st + len(stop)
                   for stop in self.word_stops for st in _occurrences(folded.text, stop)):
                continue  # "los tres órdenes de gobierno", "Canal Once": a fixed phrase
            word = m.group(1)
            value = self.words.get(word, self.phrases.get(word))
            hits.append(self._hit(text, s, e, value, None))
            taken.append((hits[-1].start, hits[-1].end))
        hits = self._ranges(text, sorted(hits, key=lambda h: h.start))
        return _same_currency(text, hits, self.default_currency)

    def _hit(self, text: str, s: int, e: int, value: int | Decimal, note: str | None) -> NumberHit:
        start = s
        unit = None
        before = text[:s]
        if before.rstrip().endswith("$"):
            start = before.rstrip().rfind("$")
            before = text[:start]
            unit = self.default_currency
            if re.search(r"(?:US|USD)\s*\\?$", text[:start]):
                unit = "dollars"
        end, factor, after_unit = self._after_number(text, e)
        if after_unit:
            unit = after_unit if not (after_unit == "percent" and unit) else unit
        if factor != 1:
            value = value * factor
            value = int(value) if isinstance(value, Decimal) and value == value.to_integral_value() else value
        qualifier = None
        lowered = _low_whole(text)
        head = low(before) if lowered is None else lowered[:len(before)]
        q = self._qualifier.search(head, _tail_start(head, str.isspace, self._longest_qualifier))
        if q:
            qualifier = _tail(before, len(q.group(1)))
            start -= len(qualifier) + (len(before) - len(before.rstrip()))
            start = max(start, 0)
            qualifier = " ".join(qualifier.split())
        return NumberHit(start, end, s, e, value, None, unit, qualifier, note)

    def _ranges(self, text: str, hits: list[NumberHit]) -> list[NumberHit]:
        """``12 a 15``, ``entre 10 y 12``: two numbers become one range."""
        out: list[NumberHit] = []
        i = 0
        while i < len(hits):
            h = hits[i]
            if i + 1 < len(hits):
                nxt = hits[i + 1]
                between = low(text[h.end:nxt.start])
                joined = re.fullmatch(rf"\s+({self._joiners})\s+", between)
                if joined and (joined.group(1) != "y" or low(text[:h.start]).rstrip().endswith("entre")) \
                        and nxt.unit == h.unit and nxt.qualifier is None:
                    out.append(NumberHit(h.start, nxt.end, h.num_start, h.num_end, h.value, nxt.value,
                                         h.unit or nxt.unit, h.qualifier, h.note or nxt.note))
                    i += 2
                    continue
            out.append(h)
            i += 1
        return out


_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")
_DIGITS = re.compile(r"\d+")


def _longest(words) -> int | None:
    """The longest folded length of ``words`` (None when one is empty or ends in white space)."""
    folded = [fold(w) for w in words]
    if any(not w or w[-1].isspace() for w in folded):
        return None
    return max(map(len, folded), default=0)


def _after_article(ch: str) -> bool:
    """What can follow an article word to the end: ``"artículos 72, 73 y "``."""
    return ch.isspace() or ch.isdecimal() or ch in ".,ye"


def _after_name(ch: str) -> bool:
    return ch.isspace() or ch in ".-"


def _tail_start(text: str, trailing, longest: int | None) -> int:
    """Where to start searching ``text`` for a pattern ``(?:^|\\W)word…$`` (or ``…word\\s+$``) whose part after the
    word (at most ``longest`` characters) is only characters ``trailing`` accepts: one character before the
    longest word that can end where those characters start. (0 when ``longest`` is None.)"""
    if longest is None:
        return 0
    i = len(text)
    while i > 0 and trailing(text[i - 1]):
        i -= 1
    return max(0, i - longest - 1)


@lru_cache(maxsize=64)
def _low_whole(text: str) -> str | None:
    """The text folded character by character when every character folds to one (so slices of it are the folds
    of slices of the text), else None."""
    return fold_each(text)


def _tail(text: str, folded_len: int) -> str:
    """The last words of ``text`` whose folded form is ``folded_len`` long (white space at the end ignored)."""
    stripped = text.rstrip()
    f = Folded.of(stripped)
    if folded_len > len(f.text):
        return stripped
    s, _ = f.span(len(f.text) - folded_len, len(f.text))
    return stripped[s:]


_LEAD = re.compile(r"\s*")


@lru_cache(maxsize=1024)
def _target(word: str, exact: bool) -> str:
    return " ".join(word.split()) if exact else fold(word)


def _first(text: str, pos: int) -> tuple[str, str] | None:
    """The first character after ``pos`` that is no white space, as is and folded (None: there is none)."""
    at = _LEAD.match(text, pos).end()
    return (text[at], low(text[at])) if at < len(text) else None


def _could_start(first: tuple[str, str], word: str, exact: bool) -> bool:
    """False when the word surely does not start with this character (the quick test of :func:`_starts_with`)."""
    target = _target(word, exact)
    ch = first[0] if exact else first[1]
    return not (target and len(ch) == 1 and ch != target[0])


def _starts_with(text: str, pos: int, word: str, exact: bool, need_space: bool) -> int:
    """How many source characters of ``text[pos:]`` the word takes (white space before it included), or 0."""
    lead = _LEAD.match(text, pos).end() - pos
    if (need_space and lead == 0) or pos + lead >= len(text):  # no space before it, or nothing but space
        return 0
    target = _target(word, exact)
    first = text[pos + lead] if exact else low(text[pos + lead])  # the first folded character, if it folds to one
    if target and len(first) == 1 and first != target[0]:
        return 0
    rest = text[pos:]
    # Only the first len(target) + 1 folded characters matter: fold a prefix of ``rest`` that gives them (the fold
    # of a prefix is a prefix of the fold, with the same offsets), not the whole rest of the text.
    size = lead + 2 * len(target) + 8 if target else len(rest)
    while True:
        piece = rest[:size]
        whole = size >= len(rest)
        f = Folded._build(piece, exact)
        if whole or len(f.text) > len(target):
            if not f.text.startswith(target):
                return 0
            if target[-1:].isalnum() and len(f.text) > len(target) and (f.text[len(target)].isalnum()):
                return 0
            end = f.span(0, len(target))[1]
            if whole or end < len(piece):  # the accents after the word's last letter all inside the prefix
                return end
        size *= 2


def _same_currency(text: str, hits: list[NumberHit], default: str) -> list[NumberHit]:
    """A bare ``$`` amount after an explicit ``USD`` amount of the same text is in dollars too (line 271)."""
    out, explicit = [], None
    for h in hits:
        bare = h.unit == default and text[h.start:h.end].lstrip().startswith("$") and \
            not re.search(r"(?:pesos|MDP)\s*$", text[h.start:h.end])
        if bare and explicit:
            from dataclasses import replace

            h = replace(h, unit=explicit)
        elif h.unit not in (None, "percent") and not bare:
            explicit = h.unit
        out.append(h)
    return out


def _occurrences(text: str, phrase: str) -> list[int]:
    out, i = [], text.find(phrase)
    while i >= 0:
        out.append(i)
        i = text.find(phrase, i + 1)
    return out

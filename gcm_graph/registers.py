"""Curated registers kept as CSV data: government agencies per country, international organisations.

A register is the source of truth for names and hierarchy; code only reads it. An acronym the source prints that
the register does not know is an error naming the source line, so a data steward adding a report learns exactly
what to add.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .errors import RegisterError
from .records import ParsedReport

AGENCY_COLUMNS = ("id", "acronym", "variants", "name_es", "name_en", "kind", "parent")
ORGANISATION_COLUMNS = ("acronym_es", "acronym_en", "name_en", "name_es", "wikidata", "id", "kind", "variants")


@dataclass(frozen=True)
class Agency:
    id: str
    acronym: str
    variants: tuple[str, ...]
    name_es: str
    name_en: str
    kind: str
    parent: str | None
    country: str
    line: int  # line in the register file


@dataclass(frozen=True)
class Organisation:
    id: str
    acronym_es: str
    acronym_en: str
    name_en: str
    name_es: str
    wikidata: str | None
    kind: str
    variants: tuple[str, ...]
    line: int


def _read_csv(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RegisterError("register not found", str(path)) from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise RegisterError(f"missing column(s): {', '.join(missing)}", str(path), 1)
    rows = []
    for row in reader:
        if None in row:
            raise RegisterError("row has more cells than the header", str(path), reader.line_num)
        rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
    return rows


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(";") if v.strip())


class AgencyRegister:
    """The agencies of one country, looked up by any printed form of their acronym."""

    def __init__(self, country: str, agencies: list[Agency], path: Path):
        self.country = country.upper()
        self.path = path
        self.agencies = {a.id: a for a in agencies}
        self._by_form: dict[str, Agency] = {}
        for a in agencies:
            for form in (a.acronym, *a.variants):
                other = self._by_form.get(form)
                if other is not None and other.id != a.id:
                    raise RegisterError(f"acronym {form!r} names both {other.id} and {a.id}", str(path), a.line)
                self._by_form[form] = a
        for a in agencies:
            if a.parent and a.parent not in self.agencies:
                raise RegisterError(f"parent {a.parent!r} of {a.id} is not in the register", str(path), a.line)
        self._check_cycles()

    def _check_cycles(self) -> None:
        for a in self.agencies.values():
            seen = {a.id}
            cur = a
            while cur.parent:
                if cur.parent in seen:
                    raise RegisterError(f"parent chain of {a.id} loops", str(self.path), a.line)
                seen.add(cur.parent)
                cur = self.agencies[cur.parent]

    def lookup(self, printed: str) -> Agency | None:
        return self._by_form.get(printed)

    def resolve(self, printed: str, source: str, line: int) -> Agency:
        """The agency for an acronym as printed at ``source:line``; an unknown one is an error naming that line."""
        agency = self.lookup(printed)
        if agency is None:
            raise RegisterError(f"agency {printed!r} is not in the register {self.path.name}; add a row for it "
                                f"(id,acronym,variants,name_es,name_en,kind,parent)", source, line)
        return agency

    def __iter__(self):
        return iter(sorted(self.agencies.values(), key=lambda a: a.id))

    def __len__(self) -> int:
        return len(self.agencies)


def load_agencies(country: str, reference_dir: Path = paths.REFERENCE_DIR) -> AgencyRegister:
    path = Path(reference_dir) / f"agencies-{country.lower()}.csv"
    agencies = []
    for line, row in _read_csv(path, AGENCY_COLUMNS):
        if not row["id"] or not row["acronym"]:
            raise RegisterError("every row needs an id and an acronym", str(path), line)
        agencies.append(Agency(row["id"], row["acronym"], _split(row["variants"]), row["name_es"], row["name_en"],
                               row["kind"], row["parent"] or None, country.upper(), line))
    return AgencyRegister(country, agencies, path)


def load_organisations(reference_dir: Path = paths.REFERENCE_DIR) -> list[Organisation]:
    path = Path(reference_dir) / "international-organisations.csv"
    out = []
    for line, row in _read_csv(path, ORGANISATION_COLUMNS[:5]):
        ident = row.get("id") or row["acronym_en"].lower().replace(" ", "-")
        out.append(Organisation(ident, row["acronym_es"], row["acronym_en"], row["name_en"], row["name_es"],
                                row["wikidata"] or None, row.get("kind", "") or "other",
                                _split(row.get("variants", "")), line))
    ids = [o.id for o in out]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise RegisterError(f"duplicate organisation id(s): {', '.join(sorted(dup))}", str(path))
    return sorted(out, key=lambda o: o.id)


def check_agencies(report: ParsedReport, register: AgencyRegister) -> None:
    """Every agency the report prints must be in the register (error names the first unknown one's line)."""
    for p in report.document.programmes:
        for printed in p.agencies:
            register.resolve(printed, report.document.path, p.first_line)

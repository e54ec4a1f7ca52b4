"""Repeated programmes: the same programme reported under several objectives is one distinct programme.

Rule: two entries of a report are occurrences of the same programme when their **normalised titles are equal**
(folded: lower case, no accents, punctuation and spacing ignored) **and their responsible agencies are the same
set** (resolved through the agency register, so ``CONACyT`` and ``CONACYT`` agree). A similar title alone is not
enough: "Semana Binacional de Salud" is SSA's in 15-4 and SRE's in 16-11 — two programmes.
Titles that only resemble each other ("Oficiales de Protección a la Infancia (OPI)" and "Programa para Oficiales de
Protección a la Infancia") stay distinct: the rule prefers a missed repeat to a false merge.

The distinct programme's key is the key of its first occurrence in document order.
"""

from __future__ import annotations

import re

from ..records import ProgrammeEntry
from ..registers import AgencyRegister
from .text import fold


def title_key(title: str) -> str:
    """``"Campaña de Doble Nacionalidad (SRE)"`` → ``"campana de doble nacionalidad sre"``."""
    return re.sub(r"[^a-z0-9]+", " ", fold(title)).strip()


def agency_key(entry: ProgrammeEntry, register: AgencyRegister | None) -> tuple[str, ...]:
    ids = []
    for printed in entry.agencies:
        agency = register.lookup(printed) if register is not None else None
        ids.append(agency.id if agency is not None else printed.upper())
    return tuple(sorted(set(ids)))


def distinct_programmes(entries: list[ProgrammeEntry], register: AgencyRegister | None) -> dict[str, str]:
    """Entry key → the key of the first entry of the same programme."""
    first: dict[tuple[str, tuple[str, ...]], str] = {}
    out: dict[str, str] = {}
    for e in entries:
        k = (title_key(e.title), agency_key(e, register))
        out[e.key] = first.setdefault(k, e.key)
    return out

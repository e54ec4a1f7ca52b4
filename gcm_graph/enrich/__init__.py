"""Enrich: recognise what a parsed report says — partners, populations, figures, themes, repeats, dates, links.

All recognition is driven by registers kept as data (see :mod:`gcm_graph.enrich.registers`) and one shared,
explainable matcher (:mod:`gcm_graph.enrich.matcher`); every link records the words that made it.

    registers = load_registers()
    enriched = enrich(report, registers)            # EnrichedReport, frozen values, no RDF
    links = csv_links([enriched])                  # for dist/programmes.csv
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..records import ParsedReport
from .entities import collaborating, footnote_links, partners, themes
from .model import (
    ChallengeThemes,
    EnrichedReport,
    EntryEnrichment,
    Link,
    Match,
    PartialDate,
    Quantity,
    StatedDate,
)
from .populations import PopulationRule
from .quantities import QuantityReader
from .registers import Registers, load_registers
from .repeats import distinct_programmes
from .text import passages

__all__ = [
    "ChallengeThemes", "EnrichedReport", "EntryEnrichment", "Link", "Match", "PartialDate", "Quantity", "Registers",
    "StatedDate", "csv_links", "enrich", "load_registers",
]


def _stated_dates(reader, entry_passages) -> tuple[StatedDate, ...]:
    out = []
    for p in entry_passages:
        for span in reader.dates.find(p.text):
            if span.first is None:
                continue  # no year stated: not an exact date
            out.append(StatedDate(span.text, p.part, p.line_at(span.start), span.first, span.last))
    return tuple(out)


def enrich(report: ParsedReport, registers: Registers, source_text: str | None = None) -> EnrichedReport:
    """Everything enrichment finds in ``report``. ``source_text`` (the document as read) only makes the line of
    a match inside a block that spans several lines exact; without it such a match gets the block's first line."""
    language = report.meta.language
    country = report.meta.country
    rules = registers.rules_for(language)
    # Without an agency register for the country (one can be added: registers.agencies["GT"] = load_agencies(…))
    # there are no collaborating agencies and repeats compare agencies as printed.
    agency_register = registers.agencies.get(country.upper())
    partner_m = registers.partner_matcher(language)
    theme_m = registers.theme_matcher(language)
    agency_m = registers.agency_matcher(country, language) if agency_register is not None else None
    population = PopulationRule(rules, registers.population_matcher(language, country))
    quantities = QuantityReader(rules, registers.units_for(language))
    lines = source_text.split("\n") if source_text is not None else None
    programmes = list(report.document.programmes)
    distinct = distinct_programmes(programmes, agency_register)
    entries = []
    for entry in programmes:
        ps = passages(entry, lines)
        entries.append(EntryEnrichment(
            key=entry.key, objective=entry.objective, number=entry.number, programme=distinct[entry.key],
            partners=partners(ps, partner_m),
            populations=population.links(ps),
            quantities=quantities.read(entry, ps),
            challenges=themes(ps, theme_m),
            collaborating=collaborating(entry, ps, agency_m, agency_register) if agency_m is not None else (),
            links=footnote_links(entry),
            dates=_stated_dates(quantities, ps),
        ))
    found = {link.target for e in entries for link in e.partners}
    acronyms = tuple((o.id, o.acronym_es or o.acronym_en or o.id) for o in registers.organisations if o.id in found)
    return EnrichedReport(report, tuple(entries), acronyms)


CsvLinks = dict[tuple[str, str], Mapping[str, Sequence[str]]]


def csv_links(enriched: EnrichedReport | Iterable[EnrichedReport]) -> CsvLinks:
    """``{(report_slug, key): {"partners": [acronym_es…], "populations": [population slug…]}}`` for the CSV.

    Partners are named by the register's Spanish acronym (``acronym_es``), populations by their slug; both in order
    of first appearance in the entry. Takes one enriched report or several.
    """
    reports = [enriched] if isinstance(enriched, EnrichedReport) else list(enriched)
    out: CsvLinks = {}
    for report in reports:
        acronyms = dict(report.acronyms)
        for e in report:
            out[(report.slug, e.key)] = {
                "partners": [acronyms.get(link.target, link.target) for link in e.partners],
                "populations": [link.target for link in e.populations],
            }
    return out

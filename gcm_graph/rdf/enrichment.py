"""What the enrich stage found, as RDF in the report's graph: links, their evidence, figures, themes, programmes.

For each programme entry (IRIs from :func:`gcm_graph.iris.mint`, terms from ontology/gcm.ttl):

- ``gcm:partner`` → organisation, ``gcm:targetPopulation`` → population, ``gcm:collaboratingAgency`` → agency;
- ``gcm:Match`` nodes (``…/match/n``) with ``gcm:matchOf``, ``gcm:matchTarget``, ``gcm:matchedText``,
  ``gcm:matchedIn``, ``gcm:firstLine`` and, in ``rdfs:comment``, the rule that made the link;
- ``gcm:quantity`` → ``gcm:ReportedQuantity`` (``…/quantity/n``): ``schema:value`` (lower end of a range, whose
  top is ``schema:maxValue``), ``schema:unitText``, ``gcm:counted``, ``gcm:period``, ``gcm:periodYear``,
  ``gcm:sourceText``, ``gcm:firstLine``/``gcm:lastLine``, ``gcm:quantitySource`` (the result or table cell);
- ``gcm:theme`` on each ``gcm:Challenge``;
- ``gcm:occurrenceOf`` → ``gcm:Programme`` (``…/p/<first key>``, titled like its first occurrence);
- ``gcm:link`` → each footnote URL; ``gcm:reportingPeriod`` → a ``gcm:Period`` when the results state one.

No blank nodes; every node is numbered in a fixed order, so the same input gives the same triples.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, XSD

from ..enrich.model import EnrichedReport, EntryEnrichment, Match, PartialDate, Quantity
from ..iris import mint
from ..namespaces import GCM, SCHEMA
from ..records import RESULTS
from .terms import decimal, en, integer, lang, positive, string

_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_DATATYPES = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date}


def date_literal(d: PartialDate) -> Literal:
    """``2020`` as xsd:gYear, ``2020-06`` as xsd:gYearMonth, ``2020-06-30`` as xsd:date: as exact as stated."""
    return Literal(d.iso, datatype=_DATATYPES[d.precision])


def _value(v: int | Decimal) -> Literal:
    return integer(v) if isinstance(v, int) else decimal(v)


class _Entry:
    def __init__(self, g: Graph, enriched: EnrichedReport, e: EntryEnrichment, base: str):
        self.g, self.e, self.base = g, e, base
        self.slug = enriched.slug
        self.country = enriched.country.lower()
        self.language = enriched.report.meta.language
        self.iri = mint("programme", base, report=self.slug, objective=e.objective, number=e.number)
        self.matches = 0

    def part(self, kind: str, index: object) -> URIRef:
        return mint("part", self.base, report=self.slug, objective=self.e.objective, number=self.e.number,
                    kind=kind, index=index)

    def match(self, m: Match, target: URIRef) -> None:
        self.matches += 1
        node = self.part("match", self.matches)
        g = self.g
        g.add((node, RDF.type, GCM.Match))
        g.add((node, GCM.matchOf, self.iri))
        g.add((node, GCM.matchTarget, target))
        g.add((node, GCM.matchedText, string(m.text)))
        g.add((node, GCM.matchedIn, string(m.section)))
        g.add((node, GCM.firstLine, positive(m.line)))
        g.add((node, RDFS.comment, en(f"rule: {m.rule}; register label: '{m.label}'")))

    def links(self, prop: URIRef, links, target_of) -> None:
        for link in links:
            target = target_of(link.target)
            self.g.add((self.iri, prop, target))
            for m in link.matches:
                self.match(m, target)

    def quantity(self, n: int, q: Quantity) -> None:
        g = self.g
        node = self.part("quantity", n)
        g.add((self.iri, GCM.quantity, node))
        g.add((node, RDF.type, GCM.ReportedQuantity))
        g.add((node, SCHEMA.value, _value(q.value)))
        if q.upper is not None:
            g.add((node, SCHEMA.minValue, _value(q.value)))
            g.add((node, SCHEMA.maxValue, _value(q.upper)))
        g.add((node, SCHEMA.unitText, string(q.unit)))
        if q.counted:
            g.add((node, GCM.counted, lang(q.counted, self.language)))
        if q.period:
            g.add((node, GCM.period, string(q.period)))
        if q.year is not None:
            g.add((node, GCM.periodYear, Literal(f"{q.year:04d}", datatype=XSD.gYear)))
        g.add((node, GCM.sourceText, string(q.text)))
        g.add((node, GCM.firstLine, positive(q.line)))
        g.add((node, GCM.lastLine, positive(q.line)))
        if q.table is not None:
            source = self.part("table", f"{q.table}-{q.row}-{q.column}")
        else:
            source = self.part("result", q.result)
        g.add((node, GCM.quantitySource, source))
        if q.note:
            g.add((node, RDFS.comment, en(q.note)))

    def reporting_period(self) -> None:
        """The period stated in the results that most figures refer to (the first such, on a tie)."""
        periods = [d for d in self.e.dates if d.section == RESULTS and d.start is not None and d.end is not None]
        if not periods:
            return
        use = Counter(q.period for q in self.e.quantities if q.period)
        best = max(periods, key=lambda d: (use.get(d.text, 0), -periods.index(d)))
        node = self.part("period", 1)
        g = self.g
        g.add((self.iri, GCM.reportingPeriod, node))
        g.add((node, RDF.type, GCM.Period))
        g.add((node, DCAT.startDate, date_literal(best.start)))
        g.add((node, DCAT.endDate, date_literal(best.end)))
        g.add((node, RDFS.label, lang(best.text, self.language)))
        g.add((node, GCM.firstLine, positive(best.line)))


def add_enrichment(graph: Graph, enriched: EnrichedReport, base: str) -> None:
    """Add everything ``enriched`` found to ``graph`` (the report's graph built from the same records)."""
    titles = {p.key: p.title for p in enriched.report.document.programmes}
    language = enriched.report.meta.language
    for e in enriched:
        w = _Entry(graph, enriched, e, base)
        w.links(GCM.partner, e.partners, lambda t: mint("organisation", base, slug=t))
        w.links(GCM.targetPopulation, e.populations, lambda t: mint("population", base, slug=t))
        w.links(GCM.collaboratingAgency, e.collaborating, lambda t: mint("agency", base, country=w.country, slug=t))
        for ch in e.challenges:
            challenge = w.part("challenge", ch.index)
            for link in ch.themes:
                theme = mint("theme", base, slug=link.target)
                graph.add((challenge, GCM.theme, theme))
                for m in link.matches:
                    w.match(m, theme)
        for n, q in enumerate(e.quantities, start=1):
            w.quantity(n, q)
        programme = mint("distinct-programme", base, report=enriched.slug, key=e.programme)
        graph.add((w.iri, GCM.occurrenceOf, programme))
        if e.programme == e.key:
            graph.add((programme, RDF.type, GCM.Programme))
            graph.add((programme, DCTERMS.title, lang(titles[e.key], language)))
            graph.add((programme, RDFS.label, lang(titles[e.key], language)))
        for url in e.links:
            if _IRI.match(url):
                graph.add((w.iri, GCM.link, URIRef(url)))
        w.reporting_period()

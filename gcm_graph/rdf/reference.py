"""Reference entities as RDF: government agencies (per country) and international organisations."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .. import paths
from ..iris import mint
from ..namespaces import GCM, ORG, WD
from ..registers import AgencyRegister, Organisation
from .terms import en, es, string


def country_iri(code: str) -> URIRef:
    """Wikidata IRI of a country, from data/reference/countries.csv."""
    return URIRef(str(WD) + countries()[code.upper()]["wikidata"])


_COUNTRIES: dict[str, dict[str, str]] = {}


def countries() -> dict[str, dict[str, str]]:
    if not _COUNTRIES:
        with open(paths.reference_file("countries.csv"), encoding="utf-8") as fh:
            _COUNTRIES.update({row["code"]: row for row in csv.DictReader(fh)})
    return _COUNTRIES


def agency_iri(base: str, country: str, agency_id: str) -> URIRef:
    return mint("agency", base, country=country, slug=agency_id)


def add_agencies(g: Graph, register: AgencyRegister, base: str) -> None:
    country = country_iri(register.country)
    for a in register:
        s = agency_iri(base, register.country, a.id)
        g.add((s, RDF.type, GCM.GovernmentAgency))
        g.add((s, GCM.acronym, es(a.acronym)))
        if a.name_es:
            g.add((s, SKOS.prefLabel, es(a.name_es)))
            g.add((s, RDFS.label, es(a.name_es)))
        if a.name_en:
            g.add((s, SKOS.prefLabel, en(a.name_en)))
            g.add((s, RDFS.label, en(a.name_en)))
        for v in a.variants:
            g.add((s, SKOS.hiddenLabel, es(v)))
        if a.kind:
            g.add((s, GCM.agencyKind, string(a.kind)))
        if a.parent:
            g.add((s, ORG.subOrganizationOf, agency_iri(base, register.country, a.parent)))
        g.add((s, GCM.country, country))


def add_organisations(g: Graph, organisations: Iterable[Organisation], base: str) -> None:
    for o in organisations:
        s = mint("organisation", base, slug=o.id)
        g.add((s, RDF.type, GCM.InternationalOrganisation))
        g.add((s, SKOS.prefLabel, en(o.name_en)))
        g.add((s, SKOS.prefLabel, es(o.name_es)))
        g.add((s, RDFS.label, en(o.name_en)))
        g.add((s, RDFS.label, es(o.name_es)))
        g.add((s, GCM.acronym, es(o.acronym_es)))
        g.add((s, GCM.acronym, en(o.acronym_en)))
        if o.wikidata:
            g.add((s, SKOS.exactMatch, URIRef(str(WD) + o.wikidata)))

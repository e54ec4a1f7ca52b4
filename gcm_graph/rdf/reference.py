"""Reference entities as RDF: government agencies (per country) and international organisations."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .. import paths
from ..iris import mint
from ..namespaces import GCM, ORG, WD
from ..errors import RegisterError
from ..registers import AgencyRegister, Organisation
from .terms import en, es, string


def country_iri(code: str) -> URIRef:
    """Wikidata IRI of a country, from the countries tables (data/reference/countries.csv and any added)."""
    row = countries().get(code.upper())
    if row is None:
        raise RegisterError(f"country {code!r} is not in countries.csv (code,name_en,name_es,wikidata,geonames); "
                            "add a row for it", str(paths.reference_file("countries.csv")))
    return URIRef(str(WD) + row["wikidata"])


_COUNTRIES: dict[str, dict[str, str]] = {}
_SOURCES: list[Path] = []


def _read_countries(path: Path) -> dict[str, dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return {row["code"].upper(): row for row in csv.DictReader(fh)}


def countries() -> dict[str, dict[str, str]]:
    """Every known country: the project's table, plus those added by :func:`add_countries`."""
    if not _COUNTRIES:
        _COUNTRIES.update(_read_countries(paths.reference_file("countries.csv")))
        for path in _SOURCES:
            _merge(path)
    return _COUNTRIES


def _merge(path: Path) -> None:
    for code, row in _read_countries(path).items():
        known = _COUNTRIES.get(code)
        if known is not None and known["wikidata"] != row["wikidata"]:
            raise RegisterError(f"country {code} has Wikidata {row['wikidata']} here but {known['wikidata']} in "
                                "another countries table", str(path))
        _COUNTRIES[code] = row


def add_countries(path: Path) -> None:
    """Add the rows of another countries table (an extra reference folder's, or a build's own)."""
    path = Path(path)
    if path.exists() and path not in _SOURCES:
        _SOURCES.append(path)
        if _COUNTRIES:
            _merge(path)


def countries_csv(codes) -> bytes:
    """The rows of ``codes`` as a countries table (a build records the countries it contains)."""
    import io

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["code", "name_en", "name_es", "wikidata", "geonames"], lineterminator="\n",
                       extrasaction="ignore")
    w.writeheader()
    for code in sorted(codes):
        w.writerow(countries()[code])
    return buf.getvalue().encode("utf-8")


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

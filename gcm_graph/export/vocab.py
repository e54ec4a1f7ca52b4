"""Vocabulary the dataset description needs beyond :mod:`gcm_graph.namespaces`, and the IRIs of formats and media
types. Namespaces are taken from :mod:`gcm_graph.namespaces` wherever it has them; the two it lacks (SPDX for
checksums, as DCAT 3 uses them, and the SPARQL Service Description vocabulary for graph names) are defined here and
merged into every prefix map the export writes."""

from __future__ import annotations

from rdflib import Namespace, URIRef

from ..namespaces import DEFAULT_BASE, prefixes

SPDX = Namespace("http://spdx.org/rdf/terms#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

EXTRA_PREFIXES: dict[str, str] = {"spdx": str(SPDX), "sd": str(SD)}

# Our own identifier namespaces are left out of prefix maps for dumps, as gcm_graph.rdf.quads.serialize does.
ID_PREFIXES = ("obj", "principle", "pop", "theme", "gorg", "report", "prog")

CC_BY_4 = URIRef("https://creativecommons.org/licenses/by/4.0/")
ORIGINATOR = URIRef("http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/originator")
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
WIKIDATA_SPACE = "http://www.wikidata.org/entity/"
GEONAMES_SPACE = "https://sws.geonames.org/"
LANGUAGES = "http://id.loc.gov/vocabulary/iso639-1/"


def media_type(mime: str) -> URIRef:
    """The IANA IRI of a media type, as DCAT 3 recommends for dcat:mediaType."""
    return URIRef("https://www.iana.org/assignments/media-types/" + mime)


def w3c_format(name: str) -> URIRef:
    """``http://www.w3.org/ns/formats/Turtle`` and its siblings (the formats of the SPARQL Service Description)."""
    return URIRef("http://www.w3.org/ns/formats/" + name)


def geonames(identifier: str) -> URIRef:
    return URIRef(f"{GEONAMES_SPACE}{identifier}/")


def dump_prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """Prefixes for Turtle, TriG and RDF/XML written by the export (vocabularies only, ours included)."""
    out = {k: v for k, v in prefixes(base).items() if k not in ID_PREFIXES}
    out.update(EXTRA_PREFIXES)
    return out


def vocabulary_prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The same map: the prefixes the JSON-LD context defines."""
    return dump_prefixes(base)

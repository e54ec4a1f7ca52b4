"""Every prefix the project uses, bound in one place. Turtle output and the JSON-LD context both come from here."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

DEFAULT_BASE = "https://w3id.org/gcm-graph/"

GCM = Namespace(DEFAULT_BASE + "ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
VOID = Namespace("http://rdfs.org/ns/void#")
SH = Namespace("http://www.w3.org/ns/shacl#")
WD = Namespace("http://www.wikidata.org/entity/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")


def id_namespaces(base: str = DEFAULT_BASE) -> dict[str, Namespace]:
    """Prefixes for our own identifiers under ``base``."""
    return {
        "obj": Namespace(base + "id/objective/"),
        "principle": Namespace(base + "id/principle/"),
        "pop": Namespace(base + "id/population/"),
        "theme": Namespace(base + "id/theme/"),
        "org": Namespace(base + "id/org/"),  # bound as "gorg" to keep "org" for W3C ORG
        "report": Namespace(base + "id/report/"),
        "prog": Namespace(base + "id/programme/"),
    }


PREFIXES: dict[str, str] = {
    "gcm": str(GCM),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "prov": str(PROV),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "void": str(VOID),
    "sh": str(SH),
    "wd": str(WD),
    "foaf": str(FOAF),
}


def prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """All prefixes, ours included, for ``base``."""
    out = dict(PREFIXES)
    if base != DEFAULT_BASE:
        out["gcm"] = base + "ontology#"
    ids = id_namespaces(base)
    out.update({
        "obj": str(ids["obj"]),
        "principle": str(ids["principle"]),
        "pop": str(ids["pop"]),
        "theme": str(ids["theme"]),
        "gorg": str(ids["org"]),
        "report": str(ids["report"]),
        "prog": str(ids["prog"]),
    })
    return out


def bind_all(graph: Graph, base: str = DEFAULT_BASE) -> Graph:
    """Bind every project prefix on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, ns in prefixes(base).items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph

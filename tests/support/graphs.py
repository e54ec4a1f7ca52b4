"""Deterministic RDF graphs shaped like ours (reports, programmes, agencies, quantities), for store tests.

Same arguments, same bytes: no randomness, no clock. Literals use canonical forms (``"1.5"`` not ``"1.50"``), so
a store that canonicalises gives back exactly what was sent.
"""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox

BASE = "https://w3id.org/gcm-graph/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
GCM = BASE + "ontology#"
SCHEMA = "https://schema.org/"


def graph_iri(slug: str) -> str:
    return f"{BASE}graph/{slug}"


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _lit(value, datatype: str | None = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(str(value), language=lang)
    return ox.Literal(str(value), datatype=_n(XSD + datatype)) if datatype else ox.Literal(str(value))


def report_triples(slug: str, programmes: int, version: int = 1) -> list[ox.Triple]:
    """About 10 triples per programme, one blank-node quantity for every fifth; ``version`` changes some."""
    report = _n(f"{BASE}id/report/{slug}")
    out = [ox.Triple(report, RDF_TYPE, _n(GCM + "Report")),
           ox.Triple(report, RDFS_LABEL, _lit(f"Informe {slug}", lang="es")),
           ox.Triple(report, _n("http://purl.org/dc/terms/issued"), _lit("2020-12-01", "date"))]
    for i in range(programmes):
        objective = i % 23 + 1
        prog = _n(f"{BASE}id/programme/{slug}/{objective}-{i + 1}")
        agency = _n(f"{BASE}id/org/mx/agency-{i % 37}")
        out += [
            ox.Triple(prog, RDF_TYPE, _n(GCM + "Programme")),
            ox.Triple(prog, RDFS_LABEL, _lit(f"Programa número {i + 1} — niñas, niños y adolescentes", lang="es")),
            ox.Triple(prog, _n(GCM + "objective"), _n(f"{BASE}id/objective/{objective}")),
            ox.Triple(prog, _n(GCM + "responsibleAgency"), agency),
            ox.Triple(prog, _n(GCM + "report"), report),
            ox.Triple(prog, _n(GCM + "sourceLine"), _lit(100 + 3 * i, "integer")),
            ox.Triple(prog, _n(GCM + "budget"), _lit(Decimal(i * 1000 + 250) / 4, "decimal")),
            ox.Triple(prog, _n(GCM + "active"), _lit("true" if i % 3 else "false", "boolean")),
            ox.Triple(prog, _n(GCM + "started"), _lit(f"20{10 + i % 10}-0{1 + i % 9}-1{i % 10}", "date")),
        ]
        if version > 1 and i % 10 == 0:  # a changed title, a dropped property, a new one
            out[-8] = ox.Triple(prog, RDFS_LABEL, _lit(f"Programa {i + 1} (revisado v{version})", lang="es"))
            out.pop(-1)
            out.append(ox.Triple(prog, _n(GCM + "revision"), _lit(version, "integer")))
        if i % 5 == 0:
            quantity = ox.BlankNode(f"q{i}")
            out += [ox.Triple(prog, _n(SCHEMA + "result"), quantity),
                    ox.Triple(quantity, RDF_TYPE, _n(SCHEMA + "QuantitativeValue")),
                    ox.Triple(quantity, _n(SCHEMA + "value"), _lit(i * 7 + version, "integer")),
                    ox.Triple(quantity, _n(SCHEMA + "unitText"), _lit("personas atendidas", lang="es"))]
    return out


def ontology_triples() -> list[ox.Triple]:
    cls = ox.NamedNode("http://www.w3.org/2002/07/owl#Class")
    out = []
    for name, es, en in (("Report", "Informe", "Report"), ("Programme", "Programa", "Programme")):
        term = _n(GCM + name)
        out += [ox.Triple(term, RDF_TYPE, cls), ox.Triple(term, RDFS_LABEL, _lit(es, lang="es")),
                ox.Triple(term, RDFS_LABEL, _lit(en, lang="en"))]
    return out


def ntriples(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def store_of(graphs: dict[str, list[ox.Triple]]) -> ox.Store:
    """An in-memory pyoxigraph store holding each list of triples in its named graph."""
    store = ox.Store()
    store.extend([ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g)) for g, ts in graphs.items() for t in ts])
    return store

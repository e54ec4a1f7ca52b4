"""What the pages read from the graph: SPARQL run through :meth:`ServerContext.query` (every limit applies), its
JSON results turned into :class:`Term` rows, labels in English and Spanish, and the description of one resource.

Identifiers are only ever put into query text as ``<iri>`` after pyoxigraph has accepted them as IRIs
(:func:`iri_term`), and literals never are: values from users go through the canned-query binder instead.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..namespaces import prefixes
from .context import ServerContext
from .web import HttpError

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
LABEL_PROPERTIES = (SKOS + "prefLabel", RDFS + "label", DCTERMS + "title")


@dataclass(frozen=True)
class Term:
    kind: str  # "uri", "literal", "bnode", "triple"
    value: str
    lang: str | None = None
    datatype: str | None = None

    @property
    def is_iri(self) -> bool:
        return self.kind == "uri"

    @property
    def is_literal(self) -> bool:
        return self.kind in ("literal", "typed-literal")

    def number(self) -> float | None:
        try:
            return float(self.value)
        except ValueError:
            return None

    def __str__(self) -> str:
        return self.value


def term_from_json(binding: dict) -> Term:
    kind = binding.get("type", "literal")
    if kind == "triple":
        v = binding["value"]
        return Term("triple", f"<< {term_from_json(v['subject'])} {term_from_json(v['predicate'])} "
                              f"{term_from_json(v['object'])} >>")
    return Term(kind, binding.get("value", ""), binding.get("xml:lang"), binding.get("datatype"))


@dataclass
class Table:
    columns: list[str]
    rows: list[dict[str, Term]]


def parse_results(body: bytes) -> Table | bool:
    data = json.loads(body)
    if "boolean" in data:
        return bool(data["boolean"])
    columns = list(data.get("head", {}).get("vars", []))
    rows = [{k: term_from_json(v) for k, v in b.items()} for b in data.get("results", {}).get("bindings", [])]
    return Table(columns, rows)


def iri_term(iri: str) -> str:
    """``<iri>`` for query text; pyoxigraph checks that it is an IRI (a 404 if not: it cannot be in the store)."""
    try:
        return str(ox.NamedNode(iri))
    except ValueError:
        raise HttpError(404, "not found") from None


def prologue(base: str) -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes(base).items()))


async def select(ctx: ServerContext, text: str) -> Table:
    """Rows of a SELECT query run with the server's limits; a failure becomes the HTTP error it is."""
    answer = await ctx.query(prologue(ctx.config.base_url) + text, format_values=["json"])
    if not answer.ok:
        raise HttpError(answer.status, answer.body.decode("utf-8", "replace").strip(), answer.headers)
    result = parse_results(answer.body)
    assert isinstance(result, Table)
    return result


@dataclass
class Label:
    en: str | None = None
    es: str | None = None
    other: str | None = None
    acronym: str | None = None
    notation: str | None = None
    text: str | None = None

    def best(self, lang: str = "en") -> str | None:
        first, second = (self.en, self.es) if lang == "en" else (self.es, self.en)
        return first or second or self.other


async def labels(ctx: ServerContext, iris: set[str] | list[str]) -> dict[str, Label]:
    """English and Spanish labels (skos:prefLabel, else rdfs:label, else dcterms:title), acronym, notation and,
    for things without a name (a result, a challenge), the start of their text."""
    wanted = sorted({i for i in iris if i})
    out: dict[str, Label] = {}
    for start in range(0, len(wanted), 400):
        chunk = wanted[start:start + 400]
        values = " ".join(iri_term(i) for i in chunk)
        table = await select(ctx, f"""
SELECT ?x ?k ?v WHERE {{
  VALUES ?x {{ {values} }}
  {{ ?x skos:prefLabel ?v BIND(1 AS ?k) }} UNION {{ ?x rdfs:label ?v BIND(2 AS ?k) }}
  UNION {{ ?x dcterms:title ?v BIND(3 AS ?k) }} UNION {{ ?x gcm:acronym ?v BIND(4 AS ?k) }}
  UNION {{ ?x skos:notation ?v BIND(5 AS ?k) }} UNION {{ ?x gcm:text ?v BIND(6 AS ?k) }}
}} ORDER BY ?x ?k ?v""")
        found: dict[str, dict[int, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for row in table.rows:
            found[row["x"].value][int(row["k"].value)].append(row["v"])
        for iri, kinds in found.items():
            label = Label()
            for k in (1, 2, 3):
                for v in kinds.get(k, []):
                    if v.lang == "en" and not label.en:
                        label.en = v.value
                    elif v.lang == "es" and not label.es:
                        label.es = v.value
                    elif not v.lang and not label.other:
                        label.other = v.value
            acronyms = kinds.get(4, [])
            if acronyms:
                label.acronym = next((a.value for a in acronyms if a.lang == "en"), acronyms[0].value)
            if kinds.get(5):
                label.notation = kinds[5][0].value
            if kinds.get(6):
                label.text = kinds[6][0].value
            out[iri] = label
    return out


@dataclass
class Statement:
    predicate: str
    value: Term
    inferred: bool = False


@dataclass
class Description:
    iri: str
    outgoing: list[Statement] = field(default_factory=list)
    incoming: list[Statement] = field(default_factory=list)  # value: the subject pointing here
    incoming_truncated: bool = False

    @property
    def known(self) -> bool:
        return bool(self.outgoing or self.incoming)

    def values(self, predicate: str) -> list[Term]:
        return [s.value for s in self.outgoing if s.predicate == predicate]

    def first(self, predicate: str) -> Term | None:
        found = self.values(predicate)
        return found[0] if found else None

    def types(self) -> list[str]:
        return [t.value for t in self.values(RDF_TYPE)]


async def exists(ctx: ServerContext, iri: str) -> bool:
    """A resource is known when it is the subject or the object of a triple in any graph."""
    t = iri_term(iri)
    table = await select(ctx, f"SELECT ?x WHERE {{ {{ {t} ?p ?x }} UNION {{ ?x ?p {t} }} }} LIMIT 1")
    return bool(table.rows)


async def describe(ctx: ServerContext, iri: str, max_incoming: int = 2000) -> Description:
    """The resource's triples in both directions, each marked inferred when only the inference graph has it."""
    t = iri_term(iri)
    inferred = iri_term(ctx.config.graph_iri("inferred"))
    out = await select(ctx, f"""
SELECT DISTINCT ?p ?x ?inferred WHERE {{
  {t} ?p ?x .
  BIND(EXISTS {{ GRAPH {inferred} {{ {t} ?p ?x }} }}
       && NOT EXISTS {{ GRAPH ?g {{ {t} ?p ?x }} FILTER(?g != {inferred}) }} AS ?inferred)
}} ORDER BY ?p ?x""")
    inc = await select(ctx, f"""
SELECT DISTINCT ?p ?x ?inferred WHERE {{
  ?x ?p {t} .
  BIND(EXISTS {{ GRAPH {inferred} {{ ?x ?p {t} }} }}
       && NOT EXISTS {{ GRAPH ?g {{ ?x ?p {t} }} FILTER(?g != {inferred}) }} AS ?inferred)
}} ORDER BY ?p ?x LIMIT {max_incoming + 1}""")
    d = Description(iri)
    d.outgoing = [Statement(r["p"].value, r["x"], r.get("inferred", Term("literal", "false")).value == "true")
                  for r in out.rows]
    d.incoming = [Statement(r["p"].value, r["x"], r.get("inferred", Term("literal", "false")).value == "true")
                  for r in inc.rows[:max_incoming]]
    d.incoming_truncated = len(inc.rows) > max_incoming
    return d


def rdf_description_query(iri: str) -> str:
    """CONSTRUCT of what a machine gets for ``iri``: its triples (asserted and inferred) in both directions, the
    triples of blank nodes it points to, and the labels of everything it links to or is linked from; the
    resource's own triples first."""
    t = iri_term(iri)
    labels_filter = ", ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    return f"""CONSTRUCT {{ {t} ?p ?o . ?b ?bp ?bo . ?s ?q {t} . ?x ?lp ?l . }}
WHERE {{
  {{ {t} ?p ?o BIND(1 AS ?k) }}
  UNION
  {{ {t} ?p0 ?b FILTER(isBlank(?b)) ?b ?bp ?bo BIND(2 AS ?k) }}
  UNION
  {{ ?s ?q {t} BIND(3 AS ?k) }}
  UNION
  {{ SELECT DISTINCT ?x ?lp ?l (4 AS ?k) WHERE {{
       {{ {t} ?p1 ?x }} UNION {{ ?x ?q1 {t} }}
       FILTER(!isBlank(?x) && ?x != {t})
       ?x ?lp ?l FILTER(?lp IN ({labels_filter}))
  }} }}
}}
ORDER BY ?k ?p ?o ?bp ?q ?s ?x ?lp ?l"""


def namespace_query(ns: str, ontology_graph: str) -> str:
    """CONSTRUCT of a hash namespace document (``…/ontology``): every triple whose subject is the document or one
    of its ``#`` terms, in any graph, plus the blank nodes of the ontology graph (restrictions, lists)."""
    doc = iri_term(ns)
    graph = iri_term(ontology_graph)
    return f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{ ?s ?p ?o FILTER(isIRI(?s) && (?s = {doc} || STRSTARTS(STR(?s), CONCAT(STR({doc}), "#")))) }}
  UNION
  {{ GRAPH {graph} {{ ?s ?p ?o FILTER(isBlank(?s)) }} }}
}}"""

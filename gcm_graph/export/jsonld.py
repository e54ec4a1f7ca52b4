"""JSON-LD for people who read JSON: a compact document with short keys, written deterministically.

``context.jsonld`` is generated from :mod:`gcm_graph.namespaces` (prefixes), the term table below (short keys for the
properties people look at, with ``@type``/``@container`` where they make the JSON simpler) and the ontology (every
``gcm:`` class and property gets its local name as a key unless the table names it). ``gcm-graph.jsonld`` refers to
it by the relative URL ``context.jsonld`` and holds the asserted union as one ``@graph``:

- one JSON object per resource, sorted by ``id``; the parts of a programme entry (results, challenges, figures,
  tables, rows, cells, its reporting period) and of the dataset description (distributions, partitions, subsets,
  checksums) are nested inside their owner; blank nodes referenced once are nested, RDF lists become ``@list``;
- ``id`` and every IRI value are full IRIs (links you can open), ``type`` uses class names (``ProgrammeEntry``);
- text in a language is a map by language (``"title": {"es": "…", "en": "…"}``), counts and numbers are JSON
  numbers, dates are strings, and multi-valued keys (``agencies``, ``results``…) are always arrays;
- a value a key's definition cannot hold (say, a plain string under a language-map key) is written under the
  property's compact IRI (``dcterms:title``) in expanded form, so nothing is lost.

This module writes the compaction itself (a JSON-LD processor would do the same, slower and less predictably);
the tests expand the result with two independent processors (pyld, rdflib) and compare it with the Turtle.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from ..namespaces import DEFAULT_BASE
from .vocab import vocabulary_prefixes

XSD_NS = "http://www.w3.org/2001/XMLSchema#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE, RDF_FIRST, RDF_REST, RDF_NIL = (RDF_NS + x for x in ("type", "first", "rest", "nil"))
XSD_STRING, XSD_INTEGER, XSD_BOOLEAN = (XSD_NS + x for x in ("string", "integer", "boolean"))

IRI, LANG, PLAIN, TYPED = "iri", "lang", "plain", "typed"


@dataclass(frozen=True)
class Term:
    key: str
    iri: str  # compact IRI (prefix:local) in the table; expanded by :class:`Context`
    kind: str = PLAIN  # IRI: values are IRIs; LANG: a language map; PLAIN: no coercion; TYPED: values of ``datatype``
    many: bool = False  # always an array (@container @set)
    datatype: str | None = None


def _t(key: str, iri: str, kind: str = PLAIN, many: bool = False, datatype: str | None = None) -> Term:
    return Term(key, iri, kind, many, datatype)


# Short keys. Order is the order in context.jsonld.
TERMS: tuple[Term, ...] = (
    # text, as maps by language
    _t("title", "dcterms:title", LANG), _t("description", "dcterms:description", LANG),
    _t("label", "rdfs:label", LANG), _t("comment", "rdfs:comment", LANG), _t("name", "skos:prefLabel", LANG),
    _t("alternativeNames", "skos:altLabel", LANG), _t("variants", "skos:hiddenLabel", LANG),
    _t("definition", "skos:definition", LANG), _t("keywords", "dcat:keyword", LANG),
    _t("text", "gcm:text", LANG), _t("heading", "gcm:heading", LANG), _t("printedTitle", "gcm:printedTitle", LANG),
    _t("introduction", "gcm:introduction", LANG), _t("counted", "gcm:counted", LANG),
    _t("acronym", "gcm:acronym", LANG),
    # programme entries and reports
    _t("report", "gcm:report", IRI), _t("objective", "gcm:objective", IRI), _t("section", "gcm:section", IRI),
    _t("sectionObjective", "gcm:sectionObjective", IRI), _t("number", "gcm:entryNumber"),
    _t("agencies", "gcm:responsibleAgency", IRI, True),
    _t("coResponsibleAgencies", "gcm:coResponsibleAgency", IRI, True),
    _t("collaboratingAgencies", "gcm:collaboratingAgency", IRI, True),
    _t("printedAgencies", "gcm:printedAgency", PLAIN, True),
    _t("partners", "gcm:partner", IRI, True), _t("populations", "gcm:targetPopulation", IRI, True),
    _t("results", "gcm:result", IRI, True), _t("challenges", "gcm:challenge", IRI, True),
    _t("themes", "gcm:theme", IRI, True), _t("figures", "gcm:quantity", IRI, True),
    _t("figureSource", "gcm:quantitySource", IRI), _t("tables", "gcm:table", IRI, True),
    _t("rows", "gcm:row", IRI, True), _t("cells", "gcm:cell", IRI, True),
    _t("footnotes", "gcm:footnote", IRI, True), _t("links", "gcm:link", IRI, True), _t("url", "schema:url", IRI),
    _t("matchOf", "gcm:matchOf", IRI), _t("matchTarget", "gcm:matchTarget", IRI),
    _t("programme", "gcm:occurrenceOf", IRI), _t("reportingPeriod", "gcm:reportingPeriod", IRI),
    _t("country", "gcm:country", IRI), _t("kind", "gcm:agencyKind"), _t("year", "gcm:periodYear", TYPED,
                                                                          datatype="xsd:gYear"),
    _t("value", "schema:value"), _t("minValue", "schema:minValue"), _t("maxValue", "schema:maxValue"),
    _t("unit", "schema:unitText"), _t("startDate", "dcat:startDate"), _t("endDate", "dcat:endDate"),
    _t("issued", "dcterms:issued", TYPED, datatype="xsd:date"), _t("language", "dcterms:language"),
    _t("publisher", "dcterms:publisher", IRI), _t("creator", "dcterms:creator"),
    _t("derivedFrom", "prov:wasDerivedFrom", IRI, True),
    # organisations and concepts
    _t("parent", "org:subOrganizationOf", IRI), _t("exactMatch", "skos:exactMatch", IRI, True),
    _t("broader", "skos:broader", IRI, True), _t("inScheme", "skos:inScheme", IRI, True),
    _t("topConceptOf", "skos:topConceptOf", IRI, True), _t("hasTopConcept", "skos:hasTopConcept", IRI, True),
    _t("notation", "skos:notation"),
    # the ontology
    _t("subClassOf", "rdfs:subClassOf", IRI, True), _t("subPropertyOf", "rdfs:subPropertyOf", IRI, True),
    _t("domain", "rdfs:domain", IRI, True), _t("range", "rdfs:range", IRI, True),
    _t("inverseOf", "owl:inverseOf", IRI), _t("isDefinedBy", "rdfs:isDefinedBy", IRI),
    # the dataset description
    _t("license", "dcterms:license", IRI), _t("rights", "dcterms:rights", IRI),
    _t("source", "dcterms:source", IRI, True), _t("spatial", "dcterms:spatial", IRI, True),
    _t("temporal", "dcterms:temporal", IRI, True), _t("landingPage", "dcat:landingPage", IRI),
    _t("distributions", "dcat:distribution", IRI, True), _t("mediaType", "dcat:mediaType", IRI),
    _t("format", "dcterms:format", IRI), _t("downloadURL", "dcat:downloadURL", IRI),
    _t("accessURL", "dcat:accessURL", IRI), _t("byteSize", "dcat:byteSize"),
    _t("conformsTo", "dcterms:conformsTo", IRI, True), _t("identifier", "dcterms:identifier"),
    _t("endpointURL", "dcat:endpointURL", IRI), _t("endpointDescription", "dcat:endpointDescription", IRI),
    _t("servesDataset", "dcat:servesDataset", IRI, True), _t("homepage", "foaf:homepage", IRI),
    _t("sparqlEndpoint", "void:sparqlEndpoint", IRI), _t("dataDumps", "void:dataDump", IRI, True),
    _t("uriSpace", "void:uriSpace"), _t("triples", "void:triples"), _t("entities", "void:entities"),
    _t("classes", "void:classes"), _t("properties", "void:properties"),
    _t("distinctSubjects", "void:distinctSubjects"),
    _t("classPartitions", "void:classPartition", IRI, True),
    _t("propertyPartitions", "void:propertyPartition", IRI, True),
    _t("class", "void:class", IRI), _t("property", "void:property", IRI),
    _t("subsets", "void:subset", IRI, True), _t("vocabularies", "void:vocabulary", IRI, True),
    _t("features", "void:feature", IRI, True), _t("rootResources", "void:rootResource", IRI, True),
    _t("exampleResources", "void:exampleResource", IRI, True), _t("linkPredicate", "void:linkPredicate", IRI),
    _t("subjectsTarget", "void:subjectsTarget", IRI), _t("objectsTarget", "void:objectsTarget", IRI),
    _t("graphName", "sd:name", IRI), _t("checksum", "spdx:checksum", IRI), _t("algorithm", "spdx:algorithm", IRI),
    _t("checksumValue", "spdx:checksumValue", TYPED, datatype="xsd:hexBinary"),
    _t("wasGeneratedBy", "prov:wasGeneratedBy", IRI), _t("generatedAt", "prov:generatedAtTime", TYPED,
                                                             datatype="xsd:dateTime"),
    _t("endedAt", "prov:endedAtTime", TYPED, datatype="xsd:dateTime"), _t("used", "prov:used", IRI, True),
    _t("wasAssociatedWith", "prov:wasAssociatedWith", IRI), _t("attributions", "prov:qualifiedAttribution", IRI, True),
    _t("agent", "prov:agent", IRI, True), _t("role", "dcat:hadRole", IRI),
    _t("softwareVersion", "schema:softwareVersion"),
)

# Class names for ``type`` besides the ontology's own classes.
CLASSES: tuple[tuple[str, str], ...] = (
    ("Concept", "skos:Concept"), ("ConceptScheme", "skos:ConceptScheme"), ("Organization", "org:Organization"),
    ("FormalOrganization", "org:FormalOrganization"), ("QuantitativeValue", "schema:QuantitativeValue"),
    ("Dataset", "dcat:Dataset"), ("Distribution", "dcat:Distribution"), ("DataService", "dcat:DataService"),
    ("Linkset", "void:Linkset"), ("Entity", "prov:Entity"), ("Activity", "prov:Activity"),
    ("SoftwareAgent", "prov:SoftwareAgent"), ("Attribution", "prov:Attribution"), ("Checksum", "spdx:Checksum"),
)

# Properties whose objects are nested inside their subject (when it is their only such owner).
NESTED = ("gcm:result", "gcm:challenge", "gcm:quantity", "gcm:table", "gcm:row", "gcm:cell", "gcm:reportingPeriod",
          "dcat:distribution", "void:classPartition", "void:propertyPartition", "void:subset", "spdx:checksum",
          "prov:qualifiedAttribution")


class Context:
    """The term definitions of context.jsonld, and the lookups the writer needs."""

    def __init__(self, base: str = DEFAULT_BASE, ontology: Graph | None = None):
        self.prefixes = dict(sorted(vocabulary_prefixes(base).items()))
        self.terms: list[Term] = []
        self.classes: dict[str, str] = {}  # class IRI → key
        used_keys: set[str] = set(self.prefixes) | {"id", "type"}
        seen_iris: set[str] = set()

        def add_term(term: Term) -> None:
            iri = self.expand(term.iri)
            if term.key in used_keys:
                raise ValueError(f"JSON-LD key {term.key!r} defined twice")
            if iri in seen_iris:
                raise ValueError(f"two JSON-LD keys for {iri}")
            used_keys.add(term.key)
            seen_iris.add(iri)
            self.terms.append(Term(term.key, iri, term.kind, term.many,
                                   self.expand(term.datatype) if term.datatype else None))

        for term in TERMS:
            add_term(term)
        class_iris: list[tuple[str, str]] = []
        gcm_ns = base + "ontology#"
        if ontology is not None:
            for s in sorted(set(ontology.subjects(RDF.type, OWL.Class)), key=str):
                if isinstance(s, URIRef) and str(s).startswith(gcm_ns):
                    class_iris.append((str(s)[len(gcm_ns):], str(s)))
        class_iris += [(k, self.expand(v)) for k, v in CLASSES]
        for key, iri in class_iris:
            if key in used_keys:
                raise ValueError(f"JSON-LD class name {key!r} is also another key")
            used_keys.add(key)
            self.classes[iri] = key
        if ontology is not None:
            kinds = {OWL.ObjectProperty: IRI, OWL.DatatypeProperty: PLAIN, OWL.AnnotationProperty: PLAIN}
            found: dict[str, str] = {}
            for kind_iri, kind in kinds.items():
                for s in ontology.subjects(RDF.type, kind_iri):
                    if isinstance(s, URIRef) and str(s).startswith(gcm_ns):
                        found.setdefault(str(s), kind)
            for iri, kind in sorted(found.items()):
                if iri not in seen_iris:
                    add_term(Term(iri[len(gcm_ns):], iri, kind, kind == IRI))
        self.by_iri = {t.iri: t for t in self.terms}
        self._order = {t.key: i for i, t in enumerate(self.terms)}
        self.nested = frozenset(self.expand(p) for p in NESTED)
        self._compacted: dict[str, str] = {}

    def key_order(self, key: str) -> tuple[int, str]:
        """Keys in the context's order (text first, then structure, then counts…), other keys after, sorted."""
        return (self._order.get(key, len(self._order)), key)

    def expand(self, curie: str) -> str:
        prefix, _, local = curie.partition(":")
        if prefix in self.prefixes and not local.startswith("//"):
            return self.prefixes[prefix] + local
        return curie

    def compact(self, iri: str) -> str:
        """``prefix:local`` when a prefix fits and the result cannot be mistaken for anything else, else the IRI."""
        found = self._compacted.get(iri)
        if found is None:
            found = self._compacted[iri] = self._compact(iri)
        return found

    def _compact(self, iri: str) -> str:
        best = max((p for p, ns in self.prefixes.items() if iri.startswith(ns)),
                   key=lambda p: len(self.prefixes[p]), default=None)
        if best is not None:
            local = iri[len(self.prefixes[best]):]
            if local and not local.startswith("//") and ":" not in local and " " not in local:
                return f"{best}:{local}"
        return iri

    def as_json(self) -> dict:
        ctx: dict = {}
        ctx.update(self.prefixes)
        ctx["id"] = "@id"
        ctx["type"] = "@type"
        for t in self.terms:
            ctx[t.key] = self._definition(t)
        for iri, key in self.classes.items():
            ctx[key] = self.compact(iri)
        return {"@context": ctx}

    def _definition(self, t: Term):
        iri = self.compact(t.iri)
        d: dict = {"@id": iri}
        if t.kind == IRI:
            d["@type"] = "@id"
        elif t.kind == TYPED:
            d["@type"] = self.compact(t.datatype)
        elif t.kind == LANG:
            d["@container"] = "@language"
        if t.many and t.kind != LANG:
            d["@container"] = "@set"
        return iri if list(d) == ["@id"] else d


def context_bytes(context: Context) -> bytes:
    return (json.dumps(context.as_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --- the document ------------------------------------------------------------------------------------------------


def _key(term) -> str:
    return str(term)


class _Document:
    def __init__(self, triples: Sequence[ox.Triple], context: Context):
        self.ctx = context
        self.props: dict = defaultdict(list)  # subject → [(predicate IRI, object)]
        incoming: dict = defaultdict(int)
        last_ref: dict = {}
        nested_parents: dict = defaultdict(list)
        props, nested, Literal = self.props, context.nested, ox.Literal
        for t in triples:  # each attribute read makes a new Python object: read each once
            s, p, o = t.subject, t.predicate.value, t.object
            props[s].append((p, o))
            if not isinstance(o, Literal) and o != s:
                incoming[o] += 1
                last_ref[o] = (s, p)
                if p in nested:
                    nested_parents[o].append((s, p))
        self.parent: dict = {}  # child → (subject, predicate) it is nested under
        for child, parents in nested_parents.items():
            if len(parents) == 1 and child in self.props:
                self.parent[child] = parents[0]
        for node, n in incoming.items():  # blank nodes referenced once are nested where they are referenced
            if isinstance(node, ox.BlankNode) and n == 1 and node in self.props and node not in self.parent:
                self.parent[node] = last_ref[node]
        self.lists: dict = {}  # head blank node → [(list cell, item)]
        for node in list(self.parent):
            if isinstance(node, ox.BlankNode):
                items = self._list_items(node, incoming)
                if items is not None:
                    self.lists[node] = items
        self.in_list: set = set()
        for head in self.lists:
            cur = head
            while isinstance(cur, ox.BlankNode):
                self.in_list.add(cur)
                cur = dict(self.props[cur])[RDF_REST]
        # a list head that is the rest of another list is part of that list, not a list of its own
        for head in [h for h in self.lists if self.parent[h][1] == RDF_REST and self.parent[h][0] in self.in_list]:
            del self.lists[head]
        self.emitted: set = set()

    def _list_items(self, node, incoming) -> list | None:
        items, cur, seen = [], node, set()
        while cur != ox.NamedNode(RDF_NIL):
            if not isinstance(cur, ox.BlankNode) or cur in seen or incoming.get(cur, 0) != 1:
                return None
            pos = self.props.get(cur, [])
            preds = sorted(p for p, _ in pos)
            if preds != [RDF_FIRST, RDF_REST]:
                return None
            seen.add(cur)
            d = dict(pos)
            items.append((cur, d[RDF_FIRST]))
            cur = d[RDF_REST]
        return items

    # ---------------------------------------------------------------------------------------------------------

    def nodes(self) -> list[dict]:
        out = []
        roots = sorted((s for s in self.props if s not in self.parent and s not in self.in_list), key=_key)
        for s in roots:
            out.append(self.node(s))
        left = sorted((s for s in self.props if s not in self.emitted and s not in self.in_list), key=_key)
        while left:  # nesting that loops back on itself: start from the first node of the loop
            s = left[0]
            self.parent.pop(s, None)
            out.append(self.node(s))
            left = sorted((s for s in self.props if s not in self.emitted and s not in self.in_list), key=_key)
        out.sort(key=lambda n: n.get("id", ""))
        return out

    def node(self, s) -> dict:
        self.emitted.add(s)
        obj: dict = {}
        if isinstance(s, ox.NamedNode):
            obj["id"] = s.value
        elif s not in self.parent:
            obj["id"] = "_:" + s.value
        keyed: dict[str, list] = defaultdict(list)
        langs: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        many: set[str] = set()
        types = []
        by_pred: dict[str, list] = defaultdict(list)
        for p, o in self.props[s]:
            by_pred[p].append(o)
        for p, objects in by_pred.items():
            if p == RDF_TYPE and all(isinstance(o, ox.NamedNode) for o in objects):
                types = sorted(self.ctx.classes.get(o.value) or self.ctx.compact(o.value) for o in objects)
                continue
            term = self.ctx.by_iri.get(p)
            fallback = self.ctx.compact(p)
            for o in self._ordered(s, p, objects):
                if term is not None and term.kind == LANG:
                    if isinstance(o, ox.Literal) and o.language:
                        langs[term.key][o.language].append(o.value)
                        continue
                    keyed[fallback].append(self.generic(o, s, p))
                    continue
                if term is None:
                    keyed[fallback].append(self.generic(o, s, p))
                    continue
                keyed[term.key].append(self.value(term, o, s, p))
                if term.many:
                    many.add(term.key)
        if types:
            obj["type"] = types[0] if len(types) == 1 else types
        for key in sorted(set(keyed) | set(langs), key=self.ctx.key_order):
            if key in langs:
                obj[key] = {lang: (v[0] if len(v) == 1 else v) for lang, v in sorted(langs[key].items())}
            else:
                values = keyed[key]
                obj[key] = values if key in many or len(values) > 1 else values[0]
        return obj

    def _ordered(self, s, p, objects: list) -> list:
        """Nested parts in their printed order (gcm:position), everything else as sorted."""
        def position(o) -> int:
            for q, v in self.props.get(o, ()):
                if q.endswith("ontology#position") and isinstance(v, ox.Literal):
                    try:
                        return int(v.value)
                    except ValueError:
                        return 0
            return 0

        if p in self.ctx.nested:
            return sorted(objects, key=lambda o: (position(o), _key(o)))
        return objects

    def _nested_here(self, o, s, p) -> bool:
        return self.parent.get(o) == (s, p) and o not in self.emitted

    def reference(self, o, s, p, as_string: bool):
        """An IRI or blank node as a value: the nested object, a list, or a reference."""
        if o in self.lists and self.parent.get(o) == (s, p):
            self.emitted.add(o)
            return {"@list": [self.generic(item, cell, RDF_FIRST) for cell, item in self.lists[o]]}
        if self._nested_here(o, s, p):
            return self.node(o)
        ident = o.value if isinstance(o, ox.NamedNode) else "_:" + o.value
        return ident if as_string else {"id": ident}

    def generic(self, o, s, p):
        """A value under a key with no coercion: expanded forms except for strings, integers and booleans."""
        if isinstance(o, (ox.NamedNode, ox.BlankNode)):
            return self.reference(o, s, p, as_string=False)
        if o.language:
            return {"@value": o.value, "@language": o.language}
        dt = o.datatype.value
        if dt == XSD_STRING:
            return o.value
        native = _native(o.value, dt)
        if native is not None:
            return native
        return {"@value": o.value, "@type": self.ctx.compact(dt)}

    def value(self, term: Term, o, s, p):
        if term.kind == IRI:
            if isinstance(o, (ox.NamedNode, ox.BlankNode)):
                return self.reference(o, s, p, as_string=True)
            return _value_object(o, self.ctx)
        if term.kind == TYPED:
            if isinstance(o, ox.Literal) and not o.language and o.datatype.value == term.datatype:
                return o.value
            if isinstance(o, ox.Literal):
                return _value_object(o, self.ctx)
            return self.reference(o, s, p, as_string=False)
        return self.generic(o, s, p)


def _native(lexical: str, datatype: str):
    """The JSON number or boolean that a JSON-LD processor turns back into exactly this literal, else None."""
    if datatype == XSD_INTEGER:
        try:
            n = int(lexical)
        except ValueError:
            return None
        return n if str(n) == lexical and abs(n) < 10 ** 21 else None
    if datatype == XSD_BOOLEAN and lexical in ("true", "false"):
        return lexical == "true"
    return None


def _value_object(o: ox.Literal, ctx: Context) -> dict:
    if o.language:
        return {"@value": o.value, "@language": o.language}
    if o.datatype.value == XSD_STRING:
        return {"@value": o.value}
    return {"@value": o.value, "@type": ctx.compact(o.datatype.value)}


def document(triples: Iterable[ox.Triple], context: Context, context_url: str = "context.jsonld",
             presorted: bool = False) -> dict:
    """``presorted``: the triples come sorted by subject, predicate and object text already (the build's lines
    are), so the sort, a large part of the time on a big build, is skipped."""
    if not presorted:
        triples = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return {"@context": context_url, "@graph": _Document(triples, context).nodes()}


def document_bytes(triples: Iterable[ox.Triple], context: Context, context_url: str = "context.jsonld",
                   presorted: bool = False) -> bytes:
    """The document as text: one resource per line (grep- and diff-friendly, and written by the json module's C
    encoder: indenting every level runs its pure-Python encoder, several times slower on a big build)."""
    doc = document(triples, context, context_url, presorted)
    return assemble(doc["@context"], [json.dumps(node, ensure_ascii=False) for node in doc["@graph"]])


def assemble(context_url, nodes: list[str]) -> bytes:
    """The document's text from its nodes' JSON texts."""
    head = json.dumps(context_url, ensure_ascii=False)
    body = ",\n  ".join(nodes)
    return f'{{\n "@context": {head},\n "@graph": [\n  {body}\n ]\n}}\n'.encode("utf-8")

"""The hand-written ontology and concept schemes (ontology/*.ttl): they parse, every gcm: term is documented, the term
contract the build relies on is there, the schemes agree with the reference CSVs, the axioms stay inside OWL 2 RL and
OWL 2 DL typing rules, skos:broader has no cycle, and the principle-inference axioms give the intended answers."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from gcm_graph import paths

GCM = Namespace("https://w3id.org/gcm-graph/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
VANN = Namespace("http://purl.org/vocab/vann/")
ONTOLOGY = URIRef("https://w3id.org/gcm-graph/ontology")
OBJECTIVE_SCHEME = URIRef("https://w3id.org/gcm-graph/id/objective")
PRINCIPLE_SCHEME = URIRef("https://w3id.org/gcm-graph/id/principle")
OBJ = Namespace("https://w3id.org/gcm-graph/id/objective/")
PRINCIPLE = Namespace("https://w3id.org/gcm-graph/id/principle/")
POP = Namespace("https://w3id.org/gcm-graph/id/population/")
XSD_NS = "http://www.w3.org/2001/XMLSchema#"  # a plain string: rdflib's closed XSD namespace warns under pytest

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
BUILTIN = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
           "http://www.w3.org/2002/07/owl#")
DATATYPES = {RDFS.Literal, RDF.langString, RDF.PlainLiteral}

# The term contract: what the build code emits. Renaming any of these breaks the build.
CONTRACT_CLASSES = """Report ObjectiveSection Objective GuidingPrinciple TargetPopulation ChallengeTheme ProgrammeEntry
    Programme GovernmentAgency InternationalOrganisation Result Challenge ReportedQuantity Table TableRow TableCell
    Footnote Period Match""".split()
CONTRACT_OBJECT_PROPERTIES = """objective hasProgrammeEntry report hasEntry section responsibleAgency responsibleFor
    coResponsibleAgency collaboratingAgency partner partnerIn targetPopulation servedBy servesPopulation result
    challenge table row cell footnote quantity quantitySource theme occurrenceOf occurrence evidencesPrinciple
    reportingPeriod country link matchOf matchTarget""".split()
CONTRACT_DATATYPE_PROPERTIES = """entryNumber objectiveNumber firstLine lastLine position depth heading text
    printedTitle printedAgency acronym agencyKind sha256 sourceFile introduction footnoteNumber column counted period
    periodYear sourceText matchedText matchedIn""".split()
EXTERNAL_TYPES = {
    ORG.Organization: OWL.Class, ORG.FormalOrganization: OWL.Class, SKOS.Concept: OWL.Class,
    Namespace("http://www.w3.org/ns/prov#").Entity: OWL.Class,
    Namespace("https://schema.org/").QuantitativeValue: OWL.Class,
    Namespace("https://schema.org/").Report: OWL.Class,
    ORG.subOrganizationOf: OWL.ObjectProperty, SKOS.exactMatch: OWL.ObjectProperty, SKOS.broader: OWL.ObjectProperty,
    Namespace("http://www.w3.org/ns/prov#").wasDerivedFrom: OWL.ObjectProperty,
    Namespace("https://schema.org/").url: OWL.ObjectProperty, DCTERMS.publisher: OWL.ObjectProperty,
    Namespace("https://schema.org/").value: OWL.DatatypeProperty,
    Namespace("https://schema.org/").unitText: OWL.DatatypeProperty,
    Namespace("http://www.w3.org/ns/dcat#").startDate: OWL.DatatypeProperty,
    Namespace("http://www.w3.org/ns/dcat#").endDate: OWL.DatatypeProperty,
    DCTERMS.issued: OWL.DatatypeProperty, DCTERMS.language: OWL.DatatypeProperty,
    DCTERMS.title: OWL.AnnotationProperty, DCTERMS.description: OWL.AnnotationProperty,
    SKOS.prefLabel: OWL.AnnotationProperty,
}


def ontology_files() -> list[Path]:
    return sorted(paths.ONTOLOGY_DIR.glob("*.ttl"))


@lru_cache(maxsize=1)
def merged() -> Graph:
    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return graph


@lru_cache(maxsize=1)
def vocabulary() -> Graph:
    return Graph().parse(paths.ONTOLOGY_DIR / "gcm.ttl", format="turtle")


def literals(graph: Graph, subject, predicate, language=None) -> list[str]:
    return [str(o) for o in graph.objects(subject, predicate)
            if isinstance(o, Literal) and (language is None or o.language == language)]


def read_csv(name: str) -> list[dict[str, str]]:
    with open(paths.REFERENCE_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --------------------------------------------------------------------------------------------------------------------
# Parsing and documentation
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ontology_files(), ids=lambda p: p.name)
def test_file_parses(path: Path):
    assert len(Graph().parse(path, format="turtle")) > 0


def test_core_files_present():
    names = {p.name for p in ontology_files()}
    assert {"gcm.ttl", "objectives.ttl"} <= names


def test_ontology_header():
    g = vocabulary()
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in g
    assert g.value(ONTOLOGY, OWL.versionIRI) == URIRef("https://w3id.org/gcm-graph/ontology/0.1.0")
    assert str(g.value(ONTOLOGY, OWL.versionInfo)) == "0.1.0"
    for predicate in (DCTERMS.title, DCTERMS.description):
        for language in ("en", "es"):
            assert literals(g, ONTOLOGY, predicate, language), f"{predicate}@{language} missing"
    assert literals(g, ONTOLOGY, DCTERMS.creator) == ["gcm-graph contributors"]
    assert g.value(ONTOLOGY, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert literals(g, ONTOLOGY, VANN.preferredNamespacePrefix) == ["gcm"]
    assert literals(g, ONTOLOGY, VANN.preferredNamespaceUri) == [str(GCM)]


def test_every_gcm_term_is_documented():
    g = merged()
    terms = {s for t in TERM_TYPES for s in g.subjects(RDF.type, t) if str(s).startswith(str(GCM))}
    assert len(terms) > 50
    problems = []
    for term in sorted(terms):
        for language in ("en", "es"):
            if len(literals(g, term, RDFS.label, language)) != 1:
                problems.append(f"{term}: needs exactly one rdfs:label@{language}")
        if not literals(g, term, RDFS.comment, "en"):
            problems.append(f"{term}: no rdfs:comment@en")
        if g.value(term, RDFS.isDefinedBy) != ONTOLOGY:
            problems.append(f"{term}: rdfs:isDefinedBy is not {ONTOLOGY}")
    assert not problems, "\n".join(problems)


def test_every_gcm_iri_used_is_declared():
    g = merged()
    declared = {s for t in TERM_TYPES for s in g.subjects(RDF.type, t)}
    used = {term for triple in g for term in triple if isinstance(term, URIRef) and str(term).startswith(str(GCM))}
    assert not (used - declared), f"used but not declared: {sorted(used - declared)}"


def test_term_contract():
    g = vocabulary()
    missing = [f"gcm:{n} as {t.split('#')[-1]}"
               for names, t in ((CONTRACT_CLASSES, OWL.Class), (CONTRACT_OBJECT_PROPERTIES, OWL.ObjectProperty),
                                (CONTRACT_DATATYPE_PROPERTIES, OWL.DatatypeProperty))
               for n in names if (GCM[n], RDF.type, t) not in g]
    missing += [f"{term} as {t.split('#')[-1]}" for term, t in EXTERNAL_TYPES.items() if (term, RDF.type, t) not in g]
    assert not missing, f"contract terms missing or wrongly typed: {missing}"


def test_contract_axioms():
    g = vocabulary()
    sub = lambda a, b: (a, RDFS.subClassOf, b) in g  # noqa: E731
    prov = Namespace("http://www.w3.org/ns/prov#")
    schema = Namespace("https://schema.org/")
    assert sub(GCM.Report, prov.Entity) and sub(GCM.Report, schema.Report)
    assert sub(GCM.ProgrammeEntry, prov.Entity)
    for concept in (GCM.Objective, GCM.GuidingPrinciple, GCM.TargetPopulation, GCM.ChallengeTheme):
        assert sub(concept, SKOS.Concept)
    assert sub(GCM.GovernmentAgency, ORG.FormalOrganization) and sub(GCM.InternationalOrganisation, ORG.FormalOrganization)
    assert sub(GCM.ReportedQuantity, schema.QuantitativeValue)
    assert (GCM.report, RDFS.subPropertyOf, prov.wasDerivedFrom) in g
    assert (GCM.coResponsibleAgency, RDFS.subPropertyOf, GCM.responsibleAgency) in g
    assert (GCM.targetPopulation, RDFS.subPropertyOf, GCM.servesPopulation) in g
    for prop, inverse in ((GCM.objective, GCM.hasProgrammeEntry), (GCM.report, GCM.hasEntry),
                          (GCM.responsibleAgency, GCM.responsibleFor), (GCM.partner, GCM.partnerIn),
                          (GCM.targetPopulation, GCM.servedBy), (GCM.occurrenceOf, GCM.occurrence)):
        assert (prop, OWL.inverseOf, inverse) in g, f"{prop} owl:inverseOf {inverse}"
    chains = [list(Collection(g, c)) for c in g.objects(GCM.servesPopulation, OWL.propertyChainAxiom)]
    assert [GCM.servesPopulation, SKOS.broader] in chains
    assert (GCM.GovernmentAgency, OWL.disjointWith, GCM.InternationalOrganisation) in g
    disjoint = [set(Collection(g, g.value(a, OWL.members))) for a in g.subjects(RDF.type, OWL.AllDisjointClasses)]
    required = {GCM.ProgrammeEntry, GCM.Programme, GCM.Report, GCM.Result, GCM.Challenge, GCM.ReportedQuantity,
                GCM.Table, GCM.Footnote, ORG.Organization}
    assert any(required <= members for members in disjoint)


# --------------------------------------------------------------------------------------------------------------------
# OWL 2 DL typing: no punning, no clash between annotation, object and datatype properties
# --------------------------------------------------------------------------------------------------------------------


def test_no_punning_or_property_type_clash():
    g = merged()
    kinds = {OWL.Class: "class", OWL.ObjectProperty: "object property", OWL.DatatypeProperty: "datatype property",
             OWL.AnnotationProperty: "annotation property", OWL.NamedIndividual: "individual"}
    typed: dict = {}
    for owl_type, name in kinds.items():
        for s in g.subjects(RDF.type, owl_type):
            if isinstance(s, URIRef):
                typed.setdefault(s, set()).add(name)
    # Anything typed with a class that is not an OWL/RDF built-in is an individual.
    for s, o in g.subject_objects(RDF.type):
        if isinstance(s, URIRef) and not str(o).startswith(BUILTIN):
            typed.setdefault(s, set()).add("individual")
    clashes = {str(s): sorted(k) for s, k in typed.items() if len(k) > 1}
    assert not clashes, f"IRIs with more than one OWL kind: {clashes}"


def test_predicates_are_declared_and_used_as_declared():
    g = merged()
    object_props = set(g.subjects(RDF.type, OWL.ObjectProperty))
    data_props = set(g.subjects(RDF.type, OWL.DatatypeProperty))
    annotation_props = set(g.subjects(RDF.type, OWL.AnnotationProperty))
    problems = []
    for s, p, o in g:
        if str(p).startswith(BUILTIN):
            continue
        if p in object_props and isinstance(o, Literal):
            problems.append(f"object property {p} with a literal: {s} {o!r}")
        elif p in data_props and not isinstance(o, Literal):
            problems.append(f"datatype property {p} with a resource: {s} {o}")
        elif p not in object_props | data_props | annotation_props:
            problems.append(f"undeclared property {p}")
    assert not problems, "\n".join(sorted(set(problems)))


# --------------------------------------------------------------------------------------------------------------------
# OWL 2 RL profile (class expressions in the positions where they occur)
# --------------------------------------------------------------------------------------------------------------------


def _is_datatype(g: Graph, node) -> bool:
    return (node in DATATYPES or str(node).startswith(XSD_NS)
            or (node, RDF.type, RDFS.Datatype) in g)


def _named(node) -> bool:
    return isinstance(node, URIRef) and node != OWL.Thing


def rl_sub(g: Graph, c) -> bool:
    """OWL 2 RL subClassExpression."""
    if _named(c):
        return True
    if (c, OWL.intersectionOf, None) in g:
        return all(rl_sub(g, x) for x in Collection(g, g.value(c, OWL.intersectionOf)))
    if (c, OWL.unionOf, None) in g:
        return all(rl_sub(g, x) for x in Collection(g, g.value(c, OWL.unionOf)))
    if (c, OWL.oneOf, None) in g or (c, OWL.hasValue, None) in g:
        return True
    if (c, OWL.someValuesFrom, None) in g:
        filler = g.value(c, OWL.someValuesFrom)
        return filler == OWL.Thing or _is_datatype(g, filler) or rl_sub(g, filler)
    return False


def rl_super(g: Graph, c) -> bool:
    """OWL 2 RL superClassExpression."""
    if _named(c):
        return True
    if (c, OWL.intersectionOf, None) in g:
        return all(rl_super(g, x) for x in Collection(g, g.value(c, OWL.intersectionOf)))
    if (c, OWL.complementOf, None) in g:
        return rl_sub(g, g.value(c, OWL.complementOf))
    if (c, OWL.hasValue, None) in g:
        return True
    if (c, OWL.allValuesFrom, None) in g:
        filler = g.value(c, OWL.allValuesFrom)
        return _is_datatype(g, filler) or rl_super(g, filler)
    for cardinality in (OWL.maxCardinality, OWL.maxQualifiedCardinality):
        value = g.value(c, cardinality)
        if value is not None:
            filler = g.value(c, OWL.onClass)
            return int(value) in (0, 1) and (filler is None or filler == OWL.Thing or rl_sub(g, filler))
    return False


def rl_equivalent(g: Graph, c) -> bool:
    if _named(c) or (c, OWL.hasValue, None) in g:
        return True
    if (c, OWL.intersectionOf, None) in g:
        return all(rl_equivalent(g, x) for x in Collection(g, g.value(c, OWL.intersectionOf)))
    return False


def test_axioms_stay_in_owl2_rl():
    g = vocabulary()
    problems = []
    for sub, sup in g.subject_objects(RDFS.subClassOf):
        if not rl_sub(g, sub):
            problems.append(f"subclass side not RL: {sub} {list(g.predicate_objects(sub))}")
        if not rl_super(g, sup):
            problems.append(f"superclass side not RL: {sup} {list(g.predicate_objects(sup))}")
    for a, b in g.subject_objects(OWL.equivalentClass):
        if not (rl_equivalent(g, a) and rl_equivalent(g, b)):
            problems.append(f"equivalence not RL: {a} = {b}")
    for predicate in (RDFS.domain, RDFS.range):
        for prop, c in g.subject_objects(predicate):
            if not (_is_datatype(g, c) or rl_super(g, c)):
                problems.append(f"{predicate} of {prop} not RL: {c}")
    for a, b in g.subject_objects(OWL.disjointWith):
        if not (rl_sub(g, a) and rl_sub(g, b)):
            problems.append(f"disjointness not RL: {a} {b}")
    for axiom in g.subjects(RDF.type, OWL.AllDisjointClasses):
        for member in Collection(g, g.value(axiom, OWL.members)):
            if not rl_sub(g, member):
                problems.append(f"disjoint member not RL: {member}")
    # The explicit rule from the brief: nothing existential or min-cardinality on a superclass side.
    for sup in g.objects(None, RDFS.subClassOf):
        for forbidden in (OWL.someValuesFrom, OWL.minCardinality, OWL.minQualifiedCardinality, OWL.cardinality,
                          OWL.qualifiedCardinality, OWL.unionOf):
            if (sup, forbidden, None) in g:
                problems.append(f"{forbidden} on a superclass side: {sup}")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------------------------------------------------
# Concept schemes
# --------------------------------------------------------------------------------------------------------------------


def test_objectives_equal_csv():
    g = merged()
    rows = read_csv("gcm-objectives.csv")
    assert len(rows) == 23
    objectives = set(g.subjects(RDF.type, GCM.Objective))
    assert objectives == {OBJ[row["number"]] for row in rows}
    for row in rows:
        concept = OBJ[row["number"]]
        assert literals(g, concept, SKOS.prefLabel, "en") == [row["title_en"]], concept
        assert literals(g, concept, SKOS.prefLabel, "es") == [row["title_es"]], concept
        assert literals(g, concept, SKOS.notation) == [row["number"]]
        assert g.value(concept, GCM.objectiveNumber) == Literal(int(row["number"]))
        assert (concept, RDF.type, SKOS.Concept) in g
        assert (concept, SKOS.inScheme, OBJECTIVE_SCHEME) in g
        assert (concept, SKOS.topConceptOf, OBJECTIVE_SCHEME) in g
    assert (OBJECTIVE_SCHEME, RDF.type, SKOS.ConceptScheme) in g


def test_principles_equal_csv():
    g = merged()
    rows = read_csv("gcm-guiding-principles.csv")
    assert len(rows) == 10
    principles = set(g.subjects(RDF.type, GCM.GuidingPrinciple))
    assert principles == {PRINCIPLE[row["letter"]] for row in rows}
    for row in rows:
        concept = PRINCIPLE[row["letter"]]
        assert literals(g, concept, SKOS.prefLabel, "en") == [row["label_en"]], concept
        assert literals(g, concept, SKOS.prefLabel, "es") == [row["label_es"]], concept
        assert literals(g, concept, SKOS.notation) == [row["letter"]]
        assert (concept, RDF.type, SKOS.Concept) in g
        assert (concept, SKOS.inScheme, PRINCIPLE_SCHEME) in g
        assert (concept, SKOS.topConceptOf, PRINCIPLE_SCHEME) in g
    assert (PRINCIPLE_SCHEME, RDF.type, SKOS.ConceptScheme) in g


def test_no_broader_cycle_in_any_scheme():
    g = merged()
    schemes = set(g.subjects(RDF.type, SKOS.ConceptScheme))
    assert {OBJECTIVE_SCHEME, PRINCIPLE_SCHEME} <= schemes
    cycles = []
    for scheme in sorted(schemes):
        for concept in sorted(g.subjects(SKOS.inScheme, scheme)):
            seen, frontier = set(), set(g.objects(concept, SKOS.broader))
            while frontier:
                if concept in frontier:
                    cycles.append(f"{concept} (scheme {scheme})")
                    break
                seen |= frontier
                frontier = {b for c in frontier for b in g.objects(c, SKOS.broader)} - seen
    assert not cycles, f"skos:broader cycles through: {cycles}"


# --------------------------------------------------------------------------------------------------------------------
# Reasoning: what the OWL 2 RL closure gives on a small example
# --------------------------------------------------------------------------------------------------------------------

EXAMPLE = """
@prefix gcm:  <https://w3id.org/gcm-graph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix pop:  <https://w3id.org/gcm-graph/id/population/> .
@prefix obj:  <https://w3id.org/gcm-graph/id/objective/> .
@prefix ex:   <https://example.org/> .

ex:unaccompanied a gcm:TargetPopulation ; skos:broader pop:children-and-adolescents .
pop:children-and-adolescents a gcm:TargetPopulation .
ex:survivors a gcm:TargetPopulation ; skos:broader pop:victims-of-gender-based-violence .
pop:victims-of-gender-based-violence a gcm:TargetPopulation .

ex:section a gcm:ObjectiveSection ; gcm:sectionObjective obj:7 ; gcm:report ex:report .
ex:children-entry a gcm:ProgrammeEntry ; gcm:section ex:section ; gcm:targetPopulation ex:unaccompanied .
ex:women-entry a gcm:ProgrammeEntry ; gcm:targetPopulation pop:women .
ex:survivors-entry a gcm:ProgrammeEntry ; gcm:targetPopulation ex:survivors .
ex:joint-entry a gcm:ProgrammeEntry ;
    gcm:responsibleAgency ex:a , ex:b ; gcm:coResponsibleAgency ex:a , ex:b .
ex:collaboration-entry a gcm:ProgrammeEntry ; gcm:responsibleAgency ex:a ; gcm:collaboratingAgency ex:c .
ex:partner-entry a gcm:ProgrammeEntry ; gcm:partner ex:iom .
ex:plain-entry a gcm:ProgrammeEntry ; gcm:responsibleAgency ex:a .
"""


@lru_cache(maxsize=1)
def closure() -> Graph:
    owlrl = pytest.importorskip("owlrl")
    graph = Graph()
    graph += vocabulary()
    graph.parse(data=EXAMPLE, format="turtle")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    return graph


EX = Namespace("https://example.org/")


@pytest.mark.parametrize("entry, principles", [
    (EX["children-entry"], {"h"}),
    (EX["women-entry"], {"g"}),
    (EX["survivors-entry"], {"g"}),
    (EX["joint-entry"], {"i"}),
    (EX["collaboration-entry"], {"i"}),
    (EX["partner-entry"], {"b", "j"}),
    (EX["plain-entry"], set()),
])
def test_principle_inference(entry, principles):
    g = closure()
    assert set(g.objects(entry, GCM.evidencesPrinciple)) == {PRINCIPLE[p] for p in principles}


def test_population_chain_and_section_chain():
    g = closure()
    entry = EX["children-entry"]
    assert set(g.objects(entry, GCM.servesPopulation)) == {EX.unaccompanied, POP["children-and-adolescents"]}
    assert (POP["children-and-adolescents"], GCM.servedBy, entry) not in g  # servedBy mirrors targetPopulation only
    assert (EX.unaccompanied, GCM.servedBy, entry) in g
    assert set(g.objects(entry, GCM.objective)) == {OBJ["7"]}
    assert set(g.objects(entry, GCM.report)) == {EX.report}
    assert (OBJ["7"], GCM.hasProgrammeEntry, entry) in g
    assert (OBJ["7"], GCM.hasProgrammeEntry, EX.section) not in g


def test_closure_is_consistent():
    from owlrl.Namespaces import ERRNS

    g = closure()
    errors = [str(g.value(m, ERRNS.error)) for m in g.subjects(RDF.type, ERRNS.ErrorMessage)]
    assert not errors, errors
    assert not list(g.subjects(RDF.type, OWL.Nothing))

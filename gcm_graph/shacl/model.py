"""Shapes read from an rdflib shapes graph into frozen dataclasses.

Only the SHACL features the native engine implements are accepted: any other ``sh:`` term on a shape (or a path
form the engine cannot compile) raises :class:`UnsupportedShapeError` naming the shape, so nothing is ever silently
ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD

SH_NS = "http://www.w3.org/ns/shacl#"


def sh(name: str) -> URIRef:
    return URIRef(SH_NS + name)


class UnsupportedShapeError(ValueError):
    """A shape uses a SHACL feature the native engine does not implement (or a malformed one)."""

    def __init__(self, shape, message: str):
        self.shape = str(shape)
        super().__init__(f"shape {shape}: {message}")


# Constraint parameters the engine compiles, with the component each belongs to.
COMPONENTS = {
    "minCount": "MinCountConstraintComponent", "maxCount": "MaxCountConstraintComponent",
    "datatype": "DatatypeConstraintComponent", "nodeKind": "NodeKindConstraintComponent",
    "class": "ClassConstraintComponent", "pattern": "PatternConstraintComponent",
    "minInclusive": "MinInclusiveConstraintComponent", "maxInclusive": "MaxInclusiveConstraintComponent",
    "minLength": "MinLengthConstraintComponent", "languageIn": "LanguageInConstraintComponent",
    "uniqueLang": "UniqueLangConstraintComponent", "in": "InConstraintComponent",
    "hasValue": "HasValueConstraintComponent", "or": "OrConstraintComponent", "node": "NodeConstraintComponent",
    "qualifiedMinCount": "QualifiedMinCountConstraintComponent",
    "qualifiedMaxCount": "QualifiedMaxCountConstraintComponent",
    "disjoint": "DisjointConstraintComponent", "lessThanOrEquals": "LessThanOrEqualsConstraintComponent",
    "sparql": "SPARQLConstraintComponent",
}
# sh: terms on a shape that are not constraints but that the engine understands (or that do not affect results).
_KNOWN = {"targetClass", "targetSubjectsOf", "path", "property", "message", "severity", "deactivated", "name",
          "description", "order", "group", "flags", "qualifiedValueShape", "declare", "prefixes"}
_PROPERTY_ONLY = {"minCount", "maxCount", "uniqueLang", "qualifiedValueShape", "disjoint", "lessThanOrEquals"}


@dataclass(frozen=True)
class Path:
    """A property path: ``sparql`` in SPARQL syntax (full IRIs); ``iri`` set when it is a single predicate."""
    sparql: str
    iri: str | None = None

    @property
    def text(self) -> str:
        """How reports show the path: the predicate IRI, or the SPARQL path."""
        return self.iri if self.iri is not None else self.sparql


@dataclass(frozen=True)
class Constraint:
    kind: str  # a key of COMPONENTS (qualifiedValueShape is kind "qualified")
    value: object = None  # the parameter (rdflib term, tuple of terms, nested Shape(s))
    extra: tuple = ()  # pattern: (flags,); qualified: (min, max)


@dataclass(frozen=True)
class SparqlConstraint:
    node: object  # the constraint's node in the shapes graph
    select: str
    prefixes: tuple[tuple[str, str], ...]
    messages: tuple[Literal, ...]


@dataclass(frozen=True)
class Shape:
    node: object
    path: Path | None  # None for node shapes
    severity: str = "Violation"
    messages: tuple[Literal, ...] = ()
    target_classes: tuple[str, ...] = ()
    target_subjects_of: tuple[str, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    properties: tuple["Shape", ...] = ()
    sparql: tuple[SparqlConstraint, ...] = ()
    deactivated: bool = False
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_property(self) -> bool:
        return self.path is not None

    @property
    def has_target(self) -> bool:
        return bool(self.target_classes or self.target_subjects_of)


def _iri(term) -> str:
    return "<" + str(term) + ">"


def read_path(g: Graph, shape, node, depth: int = 0) -> Path:
    if depth > 10:
        raise UnsupportedShapeError(shape, "sh:path nested too deeply")
    if isinstance(node, URIRef):
        return Path(_iri(node), str(node))
    if isinstance(node, BNode):
        if (node, RDF.first, None) in g:
            items = [read_path(g, shape, item, depth + 1) for item in Collection(g, node)]
            if len(items) < 2:
                raise UnsupportedShapeError(shape, "a sequence path needs at least two members")
            return Path("/".join(p.sparql if p.iri or p.sparql.startswith("^") else f"({p.sparql})"
                                 for p in items))
        inverse = list(g.objects(node, sh("inversePath")))
        others = {p for p in g.predicates(node, None)} - {sh("inversePath")}
        if len(inverse) == 1 and not others:
            inner = read_path(g, shape, inverse[0], depth + 1)
            return Path("^" + (inner.sparql if inner.iri else f"({inner.sparql})"))
        kinds = ", ".join(sorted(str(p).removeprefix(SH_NS) for p in g.predicates(node, None)))
        raise UnsupportedShapeError(shape, f"unsupported property path ({kinds or 'empty'})")
    raise UnsupportedShapeError(shape, f"sh:path must be an IRI or a path node, not {node!r}")


def path_text(g: Graph, node) -> str | None:
    """How a result path node of any graph is shown (same format as :attr:`Path.text`)."""
    if node is None:
        return None
    try:
        return read_path(g, "(result)", node).text
    except UnsupportedShapeError:
        return str(node)


def _one(g: Graph, shape, name: str):
    values = list(g.objects(shape, sh(name)))
    if len(values) > 1:
        raise UnsupportedShapeError(shape, f"more than one sh:{name}")
    return values[0] if values else None


def _int(g: Graph, shape, name: str) -> int | None:
    value = _one(g, shape, name)
    if value is None:
        return None
    if not isinstance(value, Literal) or not isinstance(value.value, int) or isinstance(value.value, bool):
        raise UnsupportedShapeError(shape, f"sh:{name} must be an integer literal")
    return int(value.value)


class ShapeReader:
    """Reads shapes once each (shared property shapes are the same object) and guards against cycles."""

    def __init__(self, graph: Graph):
        self.g = graph
        self.cache: dict = {}
        self.reading: set = set()

    def all_targeted(self) -> list[Shape]:
        g = self.g
        nodes = set()
        for name in ("targetClass", "targetSubjectsOf"):
            nodes.update(g.subjects(sh(name), None))
        for name in ("targetNode", "targetObjectsOf", "target"):
            for s in g.subjects(sh(name), None):
                raise UnsupportedShapeError(s, f"sh:{name} is not supported by the native engine")
        for s in g.subjects(RDF.type, RDFS.Class):
            if (s, RDF.type, sh("NodeShape")) in g or (s, RDF.type, sh("PropertyShape")) in g:
                raise UnsupportedShapeError(s, "implicit class targets are not supported by the native engine")
        return [self.read(n) for n in sorted(nodes, key=str)]

    def read(self, node) -> Shape:
        if node in self.cache:
            return self.cache[node]
        if node in self.reading:
            raise UnsupportedShapeError(node, "recursive shape references are not supported")
        self.reading.add(node)
        try:
            shape = self._read(node)
        except UnsupportedShapeError as err:
            if err.shape != str(node):  # name the enclosing shape too
                raise UnsupportedShapeError(node, str(err)) from None
            raise
        finally:
            self.reading.discard(node)
        self.cache[node] = shape
        return shape

    def _read(self, node) -> Shape:
        g = self.g
        for p in set(g.predicates(node, None)):
            if str(p).startswith(SH_NS):
                name = str(p)[len(SH_NS):]
                if name not in _KNOWN and name not in COMPONENTS and name not in ("qualifiedMinCount",
                                                                                   "qualifiedMaxCount"):
                    raise UnsupportedShapeError(node, f"sh:{name} is not supported by the native engine")
        path_node = _one(g, node, "path")
        path = read_path(g, node, path_node) if path_node is not None else None
        if path is None:
            for name in _PROPERTY_ONLY:
                if (node, sh(name), None) in g:
                    raise UnsupportedShapeError(node, f"sh:{name} needs a property shape (sh:path)")
        severity = _one(g, node, "severity")
        if severity is not None and str(severity) not in (SH_NS + "Violation", SH_NS + "Warning", SH_NS + "Info"):
            raise UnsupportedShapeError(node, f"unsupported sh:severity {severity}")
        deactivated = _one(g, node, "deactivated")
        cs: list[Constraint] = []
        for name in ("minCount", "maxCount", "minLength"):
            value = _int(g, node, name)
            if value is not None:
                cs.append(Constraint(name, value))
        for name in ("datatype", "nodeKind", "minInclusive", "maxInclusive", "uniqueLang"):
            value = _one(g, node, name)
            if value is not None:
                cs.append(Constraint(name, value))
        for name in ("class", "hasValue", "disjoint", "lessThanOrEquals"):
            for value in sorted(g.objects(node, sh(name)), key=str):
                cs.append(Constraint(name, value))
        flags = _one(g, node, "flags")
        for value in sorted(g.objects(node, sh("pattern")), key=str):
            if not isinstance(value, Literal):
                raise UnsupportedShapeError(node, "sh:pattern must be a literal")
            cs.append(Constraint("pattern", value, (str(flags) if flags is not None else "",)))
        for name in ("in", "languageIn"):
            head = _one(g, node, name)
            if head is not None:
                cs.append(Constraint(name, tuple(Collection(g, head))))
        for head in sorted(g.objects(node, sh("or")), key=str):
            cs.append(Constraint("or", tuple(self.read(m) for m in Collection(g, head))))
        for value in sorted(g.objects(node, sh("node")), key=str):
            cs.append(Constraint("node", self.read(value)))
        qvs = list(g.objects(node, sh("qualifiedValueShape")))
        qmin, qmax = _int(g, node, "qualifiedMinCount"), _int(g, node, "qualifiedMaxCount")
        if qvs or qmin is not None or qmax is not None:
            disjoint = _one(g, node, "qualifiedValueShapesDisjoint")
            if disjoint is not None and disjoint.toPython() is True:
                raise UnsupportedShapeError(node, "sh:qualifiedValueShapesDisjoint is not supported")
            if len(qvs) != 1:
                raise UnsupportedShapeError(node, "sh:qualifiedMin/MaxCount needs exactly one sh:qualifiedValueShape")
            cs.append(Constraint("qualified", self.read(qvs[0]), (qmin, qmax)))
        sparql = tuple(sc for sc in (self._sparql(node, c) for c in sorted(g.objects(node, sh("sparql")), key=str))
                       if sc is not None)
        properties = tuple(self.read(p) for p in sorted(g.objects(node, sh("property")), key=str))
        return Shape(
            node=node, path=path,
            severity=str(severity).removeprefix(SH_NS) if severity is not None else "Violation",
            messages=tuple(sorted((m for m in g.objects(node, sh("message")) if isinstance(m, Literal)), key=str)),
            target_classes=tuple(sorted(str(c) for c in g.objects(node, sh("targetClass")))),
            target_subjects_of=tuple(sorted(str(c) for c in g.objects(node, sh("targetSubjectsOf")))),
            constraints=tuple(cs), properties=properties, sparql=sparql,
            deactivated=bool(deactivated is not None and deactivated.toPython() is True),
        )

    def _sparql(self, shape, node) -> SparqlConstraint | None:
        g = self.g
        for p in set(g.predicates(node, None)):
            if str(p).startswith(SH_NS) and str(p)[len(SH_NS):] not in ("select", "prefixes", "message",
                                                                         "deactivated"):
                raise UnsupportedShapeError(shape, f"{p} on SPARQL constraint {node} is not supported")
        selects = list(g.objects(node, sh("select")))
        if len(selects) != 1:
            raise UnsupportedShapeError(shape, f"SPARQL constraint {node} needs exactly one sh:select")
        deactivated = _one(g, node, "deactivated")
        if deactivated is not None and deactivated.toPython() is True:
            return None  # skipped, as SHACL says
        prefixes = {}
        for owner in g.objects(node, sh("prefixes")):
            for decl in g.objects(owner, sh("declare")):
                prefix, ns = _one(g, decl, "prefix"), _one(g, decl, "namespace")
                if prefix is None or ns is None:
                    raise UnsupportedShapeError(shape, f"incomplete sh:declare on {owner}")
                prefixes[str(prefix)] = str(ns)
        return SparqlConstraint(node, str(selects[0]), tuple(sorted(prefixes.items())),
                                tuple(sorted((m for m in g.objects(node, sh("message")) if isinstance(m, Literal)),
                                             key=str)))


def read_shapes(graph: Graph) -> list[Shape]:
    """Every shape with a target (the ones validation starts from); nested shapes hang off them."""
    return ShapeReader(graph).all_targeted()


XSD_NS = str(XSD)

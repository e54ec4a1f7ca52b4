"""VoID statistics of a set of triples: counts, class and property partitions, links to external datasets."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field


from ..namespaces import OWL, SCHEMA, SKOS
from .vocab import GEONAMES_SPACE, WIKIDATA_SPACE

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True)
class External:
    """A dataset we link to: its key (for identifiers), name, URI space and homepage."""

    key: str
    title: str
    uri_space: str
    homepage: str
    sparql: str | None = None


EXTERNALS: tuple[External, ...] = (
    External("wikidata", "Wikidata", WIKIDATA_SPACE, "https://www.wikidata.org/", "https://query.wikidata.org/sparql"),
    External("geonames", "GeoNames", GEONAMES_SPACE, "https://www.geonames.org/"),
)

# Properties whose IRI objects in an external URI space count as links to that dataset (a void:Linkset each).
LINK_PREDICATES: tuple[str, ...] = (
    str(SKOS.exactMatch), str(SKOS.closeMatch), str(SCHEMA.sameAs), str(OWL.sameAs),
    "https://w3id.org/gcm-graph/ontology#country", "http://purl.org/dc/terms/spatial",
)


@dataclass(frozen=True)
class Stats:
    triples: int
    entities: int  # distinct subject IRIs in the URI space
    distinct_subjects: int
    classes: dict[str, int] = field(default_factory=dict)  # class IRI → distinct instances
    properties: dict[str, int] = field(default_factory=dict)  # property IRI → triples
    links: dict[tuple[str, str], int] = field(default_factory=dict)  # (external key, predicate IRI) → triples
    vocabularies: tuple[str, ...] = ()  # namespaces of the properties and classes used


class Counts:
    """Running counts over distinct triples; :meth:`stats` reads them. :meth:`copy` lets a fixed point add a few
    triples to the counts of many without counting the many again."""

    def __init__(self, uri_space: str, namespaces: Iterable[str], base: str,
                 link_predicates: Iterable[str] = LINK_PREDICATES):
        self.uri_space, self.namespaces, self.base = uri_space, tuple(namespaces), base
        # gcm:country is written for the default base; rewrite it for another one
        self.link_predicates = frozenset(p.replace("https://w3id.org/gcm-graph/", base) for p in link_predicates)
        self.n = 0
        self.subjects: set = set()
        self.entities: set = set()
        self.instances: dict[str, set] = defaultdict(set)
        self.properties: Counter = Counter()
        self.links: Counter = Counter()

    def copy(self) -> "Counts":
        c = Counts.__new__(Counts)
        c.uri_space, c.namespaces, c.base, c.link_predicates = self.uri_space, self.namespaces, self.base, \
            self.link_predicates
        c.n = self.n
        c.subjects, c.entities = set(self.subjects), set(self.entities)
        c.instances = defaultdict(set, {k: set(v) for k, v in self.instances.items()})
        c.properties, c.links = Counter(self.properties), Counter(self.links)
        return c

    def merge(self, other: "Counts") -> "Counts":
        """Add the counts of other triples (none of them among these: the caller makes sure)."""
        self.n += other.n
        self.subjects |= other.subjects
        self.entities |= other.entities
        for c, members in other.instances.items():
            self.instances[c] |= members
        self.properties.update(other.properties)
        self.links.update(other.links)
        return self

    def add(self, lines: Iterable[str]) -> "Counts":
        """Count distinct triples given as N-Triples lines (``<s> <p> o``, see :mod:`gcm_graph.rdf.lines`)."""
        ours = "<" + self.uri_space
        base = "<" + self.base
        link_predicates = {f"<{p}>" for p in self.link_predicates}
        spaces = [("<" + ext.uri_space, ext.key) for ext in EXTERNALS]
        rdf_type = f"<{RDF_TYPE}>"
        subjects, entities, instances, properties, links = (self.subjects, self.entities, self.instances,
                                                            self.properties, self.links)
        n = 0
        for line in lines:
            n += 1
            s, p, o = line.split(" ", 2)
            subjects.add(s)
            properties[p] += 1
            if s.startswith(ours):
                entities.add(s)
            if p == rdf_type and o[0] == "<":
                instances[o].add(s)
            if p in link_predicates and o[0] == "<" and s.startswith(base):
                for space, key in spaces:
                    if o.startswith(space):
                        links[(key, p[1:-1])] += 1
        self.n += n
        return self

    def stats(self) -> Stats:
        used = {iri[1:-1] for iri in (*self.properties, *self.instances)}
        spaces = sorted({ns for ns in self.namespaces for iri in used if iri.startswith(ns)})
        return Stats(
            triples=self.n, entities=len(self.entities), distinct_subjects=len(self.subjects),
            classes={c[1:-1]: len(v) for c, v in sorted(self.instances.items())},
            properties={p[1:-1]: n for p, n in sorted(self.properties.items())},
            links=dict(sorted(self.links.items())),
            vocabularies=tuple(spaces),
        )


def compute(lines: Iterable[str], uri_space: str, namespaces: Iterable[str], base: str,
            link_predicates: Iterable[str] = LINK_PREDICATES) -> Stats:
    """Statistics of distinct triples given as N-Triples lines. ``base`` prefixes the IRIs that count as ours in
    links."""
    return Counts(uri_space, namespaces, base, link_predicates).add(lines).stats()

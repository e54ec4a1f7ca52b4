"""The dataset description: DCAT 3, VoID and PROV-O, in its own named graph ``…/graph/dataset``.

What it says (identifiers under ``…/id/dataset``):

- the dataset (``dcat:Dataset``, ``void:Dataset``): titles, descriptions and keywords in English and Spanish,
  publisher, licence (CC BY 4.0) and a rights statement attributing the source documents to their publishers
  (with a ``prov:qualifiedAttribution`` to each publishing agency), the reports it derives from
  (``dcterms:source``, each with its SHA-256), temporal coverage (each report's reporting period), spatial
  coverage (each country, by its Wikidata and GeoNames IRIs), landing page, SPARQL endpoint (also as a
  ``dcat:DataService``), ``void:uriSpace``, ``void:dataDump`` for every RDF dump, VoID counts, one class
  partition per class and one property partition per property, one subset per named graph and one
  ``void:Linkset`` per (external dataset, link property);
- one ``dcat:Distribution`` per file of ``dist/`` (see :mod:`gcm_graph.export.files`), with media type,
  format, download URL and licence;
- the build as a ``prov:Activity``: the software (``gcm_graph.__version__``), every input with its SHA-256, and a
  time taken from the input (the latest report's publication date), not the clock.

Counts describe the asserted union (what ``gcm-graph.nt`` holds), this description included: they are computed
by iterating until the description's own triples no longer change them.

File facts (``dcat:byteSize``, ``spdx:checksum``) cannot be stated inside the files they describe; they are added
only in ``dist/void.ttl``, written after every other file (:func:`file_facts`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from functools import lru_cache
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from .. import __version__
from ..iris import mint
from ..namespaces import DEFAULT_BASE, GCM, SCHEMA, VOID, WD, bind_all
from ..records import ParsedReport
from .config import ExportConfig
from .files import ASSERTED, QUADS, FileSpec, all_files
from .inputs import InputFile
from .stats import EXTERNALS, Counts, Stats
from .vocab import (
    EXTRA_PREFIXES, LANGUAGES, ORIGINATOR, SD, SPARQL_PROTOCOL, SPDX, dump_prefixes, geonames, media_type, w3c_format,
)

GRAPH_DATASET = "dataset"
SHA256 = SPDX.checksumAlgorithm_sha256


def en(text: str) -> Literal:
    return Literal(text, lang="en")


def es(text: str) -> Literal:
    return Literal(text, lang="es")


def integer(n: int) -> Literal:
    return Literal(str(int(n)), datatype=XSD.integer)


def part(base: str, name: str) -> URIRef:
    """An IRI under the dataset's: ``…/id/dataset/<name>``."""
    return mint("distribution", base, name=name)


def curie_key(iri: str, namespaces: dict[str, str]) -> str:
    """A readable, unique path segment for a class or property: ``gcm-ProgrammeEntry``, ``dcterms-title``."""
    return _curie_key(iri, tuple(sorted(namespaces.items())))


@lru_cache(maxsize=4096)
def _curie_key(iri: str, namespaces: tuple[tuple[str, str], ...]) -> str:
    best = max((ns for _, ns in namespaces if iri.startswith(ns)), key=len, default=None)
    if best is not None:
        local = iri[len(best):]
        if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", local):
            prefix = next(k for k, v in namespaces if v == best)
            return f"{prefix}-{local}"
    return "iri-" + hashlib.sha256(iri.encode("utf-8")).hexdigest()[:16]


def build_time(reports: Sequence[ParsedReport], config: ExportConfig) -> str:
    """``xsd:dateTime`` lexical form of the build's time: from the config, else the latest publication date."""
    if config.build_time is not None:
        t = config.build_time
        if t.tzinfo is None:
            t = t.replace(tzinfo=timezone.utc)
        return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    latest = max((r.meta.published for r in reports), default=None)
    if latest is None:
        return "1970-01-01T00:00:00Z"
    return datetime(latest.year, latest.month, latest.day, tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _country_rows(reports: Sequence[ParsedReport]) -> list[dict[str, str]]:
    from ..rdf.reference import countries

    known = countries()
    return [known[c] for c in sorted({r.meta.country for r in reports}) if c in known]


def _source_line(report: ParsedReport, country: dict[str, str] | None, lang: str) -> str:
    m = report.meta
    title = (m.title_en or m.title) if lang == "en" else m.title
    name = (country or {}).get("name_en" if lang == "en" else "name_es", m.country)
    return f"{name}, {m.year}: “{title}” ({m.publisher}, {m.place}, {m.published.isoformat()})"


class _Writer:
    def __init__(self, base: str, config: ExportConfig):
        self.base, self.config = base, config
        self.g = bind_all(Graph(), base)
        for k, v in EXTRA_PREFIXES.items():
            self.g.bind(k, v, override=True, replace=True)
        self.served = config.served_at(base)
        self.dataset = mint("dataset", base)

    def add(self, s, p, o) -> None:
        self.g.add((s, p, o))

    def url(self, path: str) -> URIRef:
        return URIRef(self.served + path)

    def checksum(self, node: URIRef, subject: URIRef, digest: str) -> None:
        self.add(subject, SPDX.checksum, node)
        self.add(node, RDF.type, SPDX.Checksum)
        self.add(node, SPDX.algorithm, SHA256)
        self.add(node, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary))


def description_graph(reports: Sequence[ParsedReport], graph_sizes: dict[str, int], stats: Stats | None,
                      inputs: Sequence[InputFile], base: str = DEFAULT_BASE, config: ExportConfig | None = None,
                      publishers: dict[str, Sequence[str]] | None = None) -> Graph:
    """The description as an rdflib graph. ``graph_sizes`` are the triples of each named graph (this one's
    included once known); ``stats`` the VoID statistics of the asserted union (None on the first round);
    ``publishers`` the agency IRIs each report's graph gives as its ``dcterms:publisher``."""
    config = config or ExportConfig()
    w = _Writer(base, config)
    D, add = w.dataset, w.add
    countries = _country_rows(reports)
    by_code = {c["code"].upper(): c for c in countries}
    files = all_files(r.slug for r in reports)

    # --- the dataset --------------------------------------------------------------------------------------------
    for cls in (DCAT.Dataset, VOID.Dataset, PROV.Entity):
        add(D, RDF.type, cls)
    add(D, DCTERMS.title, en("gcm-graph: national implementation of the Global Compact for Migration"))
    add(D, DCTERMS.title, es("gcm-graph: implementación nacional del Pacto Mundial para la Migración"))
    sources_en = "; ".join(_source_line(r, by_code.get(r.meta.country), "en") for r in reports)
    sources_es = "; ".join(_source_line(r, by_code.get(r.meta.country), "es") for r in reports)
    add(D, DCTERMS.description, en(
        "Knowledge graph of government reports on the implementation of the Global Compact for Safe, Orderly and "
        "Regular Migration (GCM): the programmes each report lists under the 23 GCM objectives, with their "
        "responsible agencies, international partners, target populations, reported results and figures, and "
        f"challenges, each traceable to its source lines. Sources: {sources_en}."))
    add(D, DCTERMS.description, es(
        "Grafo de conocimiento de los informes gubernamentales sobre la implementación del Pacto Mundial para una "
        "Migración Segura, Ordenada y Regular: los programas que cada informe enumera bajo los 23 objetivos del "
        "Pacto, con sus dependencias responsables, socios internacionales, poblaciones destinatarias, resultados y "
        f"cifras reportadas, y retos, cada uno rastreable hasta sus líneas de origen. Fuentes: {sources_es}."))
    for word in ("migration", "Global Compact for Migration", "GCM", "migration policy", "linked data",
                 *(c["name_en"] for c in countries)):
        add(D, DCAT.keyword, en(word))
    for word in ("migración", "Pacto Mundial para la Migración", "política migratoria", "datos enlazados",
                 *(c["name_es"] for c in countries)):
        add(D, DCAT.keyword, es(word))
    for code in sorted({r.meta.language for r in reports} | {"en"}):
        add(D, DCTERMS.language, URIRef(LANGUAGES + code))
    add(D, DCAT.landingPage, URIRef(w.served))

    # publisher of the derived data, licence, rights and attribution of the sources
    publisher = part(base, "publisher")
    add(D, DCTERMS.publisher, publisher)
    add(D, DCTERMS.creator, publisher)
    add(publisher, RDF.type, FOAF.Agent)
    add(publisher, RDF.type, PROV.Agent)
    add(publisher, FOAF.name, Literal(config.publisher_name))
    if config.publisher_url:
        add(publisher, FOAF.homepage, URIRef(config.publisher_url))
    licence = URIRef(config.licence)
    add(D, DCTERMS.license, licence)
    add(licence, RDF.type, DCTERMS.LicenseDocument)
    add(licence, RDFS.label, en(config.licence_label))
    rights = part(base, "rights")
    add(D, DCTERMS.rights, rights)
    add(rights, RDF.type, DCTERMS.RightsStatement)
    add(rights, RDFS.label, en(
        f"The derived data (this graph, its dumps and tables) are published by {config.publisher_name} under "
        f"{config.licence_label}. When you reuse them, attribute them to {config.publisher_name} and the source "
        f"documents to their publishers: {sources_en}. The source documents remain their publishers' works; this "
        "dataset restates, structures and links their content."))
    add(rights, RDFS.label, es(
        f"Los datos derivados (este grafo, sus volcados y tablas) los publica {config.publisher_name} bajo la "
        f"licencia {config.licence_label}. Al reutilizarlos, atribúyalos a {config.publisher_name} y los documentos "
        f"de origen a sus editores: {sources_es}. Los documentos de origen siguen siendo obra de sus editores; este "
        "conjunto de datos reexpresa, estructura y enlaza su contenido."))

    # the sources: the reports, their checksums, publishers, periods and countries
    for r in reports:
        m = r.meta
        report = mint("report", base, report=r.slug)
        add(D, DCTERMS.source, report)
        add(D, PROV.wasDerivedFrom, report)
        add(D, VOID.rootResource, report)
        add(report, RDF.type, PROV.Entity)
        add(report, DCTERMS.title, Literal(m.title, lang=m.language))
        if m.title_en:
            add(report, DCTERMS.title, en(m.title_en))
        add(report, DCTERMS.issued, Literal(m.published.isoformat(), datatype=XSD.date))
        add(report, GCM.sha256, Literal(m.sha256))
        w.checksum(part(base, f"source/{r.slug}/sha256"), report, m.sha256)
        if r.document.programmes:
            p = r.document.programmes[0]
            add(D, VOID.exampleResource, mint("programme", base, report=r.slug, objective=p.objective,
                                              number=p.number))
        agencies = sorted((publishers or {}).get(r.slug, ()))
        if agencies:
            attribution = part(base, f"attribution/{r.slug}")
            add(D, PROV.qualifiedAttribution, attribution)
            add(attribution, RDF.type, PROV.Attribution)
            add(attribution, DCAT.hadRole, ORIGINATOR)
            add(attribution, RDFS.label, en(f"Source document: {_source_line(r, by_code.get(m.country), 'en')}"))
            for agency in agencies:
                add(report, DCTERMS.publisher, URIRef(agency))
                add(attribution, PROV.agent, URIRef(agency))
        period = mint("period", base, report=r.slug)
        add(D, DCTERMS.temporal, period)
        add(period, RDF.type, DCTERMS.PeriodOfTime)
        add(period, DCAT.startDate, Literal(m.period_start.isoformat(), datatype=XSD.date))
        add(period, DCAT.endDate, Literal(m.period_end.isoformat(), datatype=XSD.date))
    for c in countries:
        place = URIRef(str(WD) + c["wikidata"])
        names = [place]
        if c.get("geonames"):
            names.append(geonames(c["geonames"]))
            add(place, SKOS.exactMatch, names[1])
        for node in names:
            add(D, DCTERMS.spatial, node)
            add(node, RDF.type, DCTERMS.Location)
            add(node, RDFS.label, en(c["name_en"]))
            add(node, RDFS.label, es(c["name_es"]))

    # --- access: SPARQL endpoint, dumps, distributions ----------------------------------------------------------
    endpoint = w.url("sparql")
    add(D, VOID.sparqlEndpoint, endpoint)
    service = part(base, "sparql")
    add(service, RDF.type, DCAT.DataService)
    add(service, DCTERMS.title, en("gcm-graph SPARQL endpoint"))
    add(service, DCTERMS.title, es("Punto de acceso SPARQL de gcm-graph"))
    add(service, DCAT.endpointURL, endpoint)
    add(service, DCAT.endpointDescription, endpoint)
    add(service, DCAT.servesDataset, D)
    add(service, DCTERMS.conformsTo, SPARQL_PROTOCOL)
    add(service, DCTERMS.license, licence)
    add(D, VOID.uriSpace, Literal(base))
    for f in files:
        add_distribution(w, f, licence)
        if f.kind in (ASSERTED, QUADS):
            add(D, VOID.dataDump, w.url("dumps/" + f.name))
            add(D, VOID.feature, w3c_format(f.w3c_format))

    # --- VoID statistics, partitions, subsets, linksets ---------------------------------------------------------
    if stats is not None:
        add(D, VOID.triples, integer(stats.triples))
        add(D, VOID.entities, integer(stats.entities))
        add(D, VOID.distinctSubjects, integer(stats.distinct_subjects))
        add(D, VOID.classes, integer(len(stats.classes)))
        add(D, VOID.properties, integer(len(stats.properties)))
        namespaces = dump_prefixes(base)
        for cls, n in stats.classes.items():
            node = part(base, "class/" + curie_key(cls, namespaces))
            add(D, VOID.classPartition, node)
            add(node, VOID["class"], URIRef(cls))
            add(node, VOID.entities, integer(n))
        for prop, n in stats.properties.items():
            node = part(base, "property/" + curie_key(prop, namespaces))
            add(D, VOID.propertyPartition, node)
            add(node, VOID.property, URIRef(prop))
            add(node, VOID.triples, integer(n))
        for ns in stats.vocabularies:
            add(D, VOID.vocabulary, URIRef(ns))
        externals = {e.key: e for e in EXTERNALS}
        for (key, prop), n in stats.links.items():
            ext = externals[key]
            target = part(base, f"external/{key}")
            linkset = part(base, f"linkset/{key}/{curie_key(prop, namespaces)}")
            add(D, VOID.subset, linkset)
            add(linkset, RDF.type, VOID.Linkset)
            add(linkset, DCTERMS.title, en(f"Links to {ext.title} by {curie_key(prop, namespaces).replace('-', ':', 1)}"))
            add(linkset, VOID.subjectsTarget, D)
            add(linkset, VOID.objectsTarget, target)
            add(linkset, VOID.linkPredicate, URIRef(prop))
            add(linkset, VOID.triples, integer(n))
            add(target, RDF.type, VOID.Dataset)
            add(target, DCTERMS.title, en(ext.title))
            add(target, FOAF.homepage, URIRef(ext.homepage))
            add(target, VOID.uriSpace, Literal(ext.uri_space))
            if ext.sparql:
                add(target, VOID.sparqlEndpoint, URIRef(ext.sparql))
    slugs = {r.slug for r in reports}
    for name in sorted(graph_sizes):
        subset = part(base, f"graph/{name}")
        add(D, VOID.subset, subset)
        add(subset, RDF.type, VOID.Dataset)
        add(subset, RDF.type, SD.NamedGraph)
        add(subset, SD.name, mint("graph", base, name=name))
        add(subset, DCTERMS.title, en(_graph_title(name, slugs)))
        add(subset, VOID.triples, integer(graph_sizes[name]))
        if name in slugs:
            add(subset, DCTERMS.source, mint("report", base, report=name))
            add(subset, VOID.dataDump, w.url(f"dumps/reports/{name}.nq"))

    # --- provenance of the build --------------------------------------------------------------------------------
    activity, software = part(base, "build"), part(base, "software")
    when = Literal(build_time(reports, config), datatype=XSD.dateTime, normalize=False)
    add(D, PROV.wasGeneratedBy, activity)
    add(D, PROV.generatedAtTime, when)
    add(activity, RDF.type, PROV.Activity)
    add(activity, RDFS.label, en(f"gcm-graph {__version__} build"))
    add(activity, RDFS.comment, en(
        "The time of the build is taken from its input (the publication date of the latest report, from its "
        "metadata file) unless a release sets it, never from the clock: the same input gives byte-identical output."))
    add(activity, PROV.endedAtTime, when)
    add(activity, PROV.wasAssociatedWith, software)
    add(software, RDF.type, PROV.SoftwareAgent)
    add(software, RDF.type, SCHEMA.SoftwareApplication)
    add(software, RDFS.label, en(f"gcm-graph {__version__}"))
    add(software, SCHEMA.name, Literal("gcm-graph"))
    add(software, SCHEMA.softwareVersion, Literal(__version__))
    for r in reports:
        add(activity, PROV.used, mint("report", base, report=r.slug))
    for item in inputs:
        node = part(base, "input/" + quote(item.label, safe="/-._~"))
        add(activity, PROV.used, node)
        add(node, RDF.type, PROV.Entity)
        add(node, DCTERMS.identifier, Literal(item.label))
        w.checksum(URIRef(f"{node}/sha256"), node, item.sha256)
    return w.g


def _graph_title(name: str, slugs: set[str]) -> str:
    if name in slugs:
        return f"Report {name}"
    return {"ontology": "Ontology and concept schemes", "reference": "Reference registers (agencies, organisations)",
            "inferred": "OWL 2 RL entailments of the asserted graphs",
            GRAPH_DATASET: "Dataset description (DCAT, VoID, PROV)"}.get(name, name)


def add_distribution(w: _Writer, f: FileSpec, licence: URIRef) -> URIRef:
    node = part(w.base, f.name)
    add = w.add
    add(w.dataset, DCAT.distribution, node)
    add(node, RDF.type, DCAT.Distribution)
    add(node, DCTERMS.title, en(f.title_en))
    add(node, DCTERMS.title, es(f.title_es))
    add(node, DCTERMS.description, en(f.description_en))
    add(node, DCTERMS.description, es(f.description_es))
    add(node, DCAT.mediaType, media_type(f.media))
    if f.w3c_format:
        add(node, DCTERMS["format"], w3c_format(f.w3c_format))
    url = w.url("dumps/" + f.name)
    add(node, DCAT.downloadURL, url)
    add(node, DCAT.accessURL, url)
    add(node, DCTERMS.license, licence)
    return node


# --- file facts: only in void.ttl ------------------------------------------------------------------------------


def file_facts(sizes: dict[str, tuple[int, str]], base: str = DEFAULT_BASE) -> Graph:
    """``dcat:byteSize`` and an SPDX SHA-256 checksum for each file: ``{name: (bytes, sha256)}``."""
    w = _Writer(base, ExportConfig())
    for name, (size, digest) in sorted(sizes.items()):
        node = part(base, name)
        w.add(node, DCAT.byteSize, Literal(str(size), datatype=XSD.nonNegativeInteger))
        w.checksum(part(base, f"{name}/sha256"), node, digest)
    return w.g


def _slug_of(iri: str, base: str) -> str | None:
    """``mx-2020`` from the report IRI ``…/id/report/mx-2020``, else None."""
    head = str(mint("report", base, report=""))
    rest = iri.removeprefix(head)
    return rest if rest != iri and "/" not in rest else None


# --- the fixed point ---------------------------------------------------------------------------------------------


def graph_counts(lines: Iterable[str], base: str = DEFAULT_BASE) -> Counts:
    """The VoID counts of one graph's lines (a build's workers count their report's; :func:`union_counts` adds
    them up)."""
    namespaces = [v for k, v in dump_prefixes(base).items() if k != "wd"]
    return Counts(base, namespaces, base).add(lines)


def union_counts(data, names: Sequence[str], base: str = DEFAULT_BASE, known: dict | None = None) -> Counts:
    """The counts of the distinct triples of the graphs ``names``: the sum of each graph's (``known`` ones are
    not counted again) when no two graphs describe the same subject, so that no triple can be in two of them;
    otherwise counted over their union."""
    total = graph_counts((), base)
    for name in names:
        part = (known or {}).get(name)
        if part is None:
            part = graph_counts(data.graphs[name], base)
        if not total.subjects.isdisjoint(part.subjects):
            return graph_counts(data.union_lines(exclude=[n for n in data.graphs if n not in names]), base)
        total.merge(part)
    return total


def lines_about(lines: Sequence[str], subject: str) -> Sequence[str]:
    """The lines of a sorted graph whose subject is ``subject`` (N-Triples text), found by bisection."""
    import bisect

    start = bisect.bisect_left(lines, subject + " ")
    end = start
    while end < len(lines) and lines[end].startswith(subject + " "):
        end += 1
    return lines[start:end]


def found_in(data, names: Sequence[str], lines: Iterable[str]) -> set[str]:
    """Which of ``lines`` some graph of ``names`` holds (each graph searched by bisection, subject by subject)."""
    from ..rdf.lines import split

    by_subject: dict[str, set[str]] = {}
    for line in lines:
        by_subject.setdefault(split(line)[0], set()).add(line)
    found: set[str] = set()
    for name in names:
        graph = data.graphs.get(name, ())
        for subject, wanted in by_subject.items():
            found.update(wanted.intersection(lines_about(graph, subject)))
    return found


def describe_lines(reports: Sequence[ParsedReport], data, inputs: Sequence[InputFile], base: str = DEFAULT_BASE,
                   config: ExportConfig | None = None, counts: dict | None = None) -> tuple[Graph, Graph, list[str]]:
    """The description: ``(full, own, own_lines)``, with counts that include its own triples.

    ``data`` is the build's :class:`gcm_graph.rdf.lines.GraphLines` (asserted graphs and ``inferred``; any
    previous description is ignored). ``full`` is everything the description says; ``own`` (and ``own_lines``,
    what the dumps and the store get) leaves out the triples another graph already has (a report's title, its
    period's dates, inferred types): a triple in two named graphs would be counted twice by stores whose default
    graph is the union of the named graphs (Oxigraph, Virtuoso), and canned queries would return duplicate rows.
    ``counts`` are :func:`graph_counts` of some graphs, made already (by the build's workers)."""
    from ..rdf.lines import TripleLines, split

    asserted = data.names(exclude=(GRAPH_DATASET, "inferred"))
    sizes = {name: data.count(name) for name in asserted}
    sizes["inferred"] = data.count("inferred")
    publishers: dict[str, list[str]] = {}
    dcterms_publisher = f"<{DCTERMS.publisher}>"
    slugs = {r.slug for r in reports}
    for name in asserted:
        if name not in slugs:
            continue
        for line in lines_about(data.graphs[name], f"<{mint('report', base, report=name)}>"):
            _s, p_, o_ = split(line)
            if p_ == dcterms_publisher and o_.startswith("<"):
                publishers.setdefault(name, []).append(o_[1:-1])
    sizes[GRAPH_DATASET] = 0
    counted = union_counts(data, asserted, base, counts)
    stats = counted.stats()  # a first guess: the description's own triples are added round by round
    for _ in range(20):
        full = description_graph(reports, sizes, stats, inputs, base, config, publishers)
        sink = TripleLines()
        for t in full:
            sink.add(t)
        elsewhere = found_in(data, [*asserted, "inferred"], sink.lines)
        kept = [t for t, line in zip(full, sink.lines) if line not in elsewhere]
        lines = sorted({line for line in sink.lines if line not in elsewhere})
        measured = counted.copy().add(lines).stats()
        if measured == stats and len(lines) == sizes[GRAPH_DATASET]:
            own = Graph()
            for prefix_name, ns in full.namespaces():
                own.bind(prefix_name, ns, override=True, replace=True)
            for t in kept:
                own.add(t)
            return full, own, lines
        stats, sizes[GRAPH_DATASET] = measured, len(lines)
    raise RuntimeError("the dataset description's counts did not settle")  # pragma: no cover - cannot happen


# What void.ttl repeats from the other graphs about the resources the description points at (reports, periods,
# places, inputs, agencies), so that the file read alone names and dates them.
CONTEXT_LINKS = (DCTERMS.source, DCTERMS.temporal, DCTERMS.spatial, PROV.used, PROV.agent)
CONTEXT_PREDICATES = (DCTERMS.title, DCTERMS.issued, DCTERMS.publisher, GCM.sha256, DCAT.startDate, DCAT.endDate,
                      SKOS.prefLabel)


def context_lines(data, description: Sequence[str], exclude: Iterable[str]) -> set[str]:
    """Lines of the graphs other than ``exclude`` (graph names) that void.ttl repeats (see CONTEXT_PREDICATES)."""
    from ..rdf.lines import split

    links = {f"<{p}>" for p in CONTEXT_LINKS}
    targets = set()
    for line in description:
        s_, p_, o_ = split(line)
        if p_ in links and o_.startswith("<"):
            targets.add(o_)
    wanted = {f"<{p}>" for p in CONTEXT_PREDICATES}
    found = set()
    for name in data.names(exclude):
        for line in data.graphs[name]:
            s_, p_, _o = split(line)
            if s_ in targets and p_ in wanted:
                found.add(line)
    return found

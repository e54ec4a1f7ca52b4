"""Every file a build puts in ``dist/`` that the dataset description describes, with what it holds.

The table is the one list both the description (one ``dcat:Distribution`` per file) and the writer use; a file in
``dist/`` that is missing here is a test failure, not a silent gap in the description. ``void.ttl`` (the description
itself) and ``store/`` (a database, not a download) are not in it.
"""

from __future__ import annotations

from dataclasses import dataclass

# What a file holds.
ASSERTED = "asserted"  # the union of the asserted named graphs, as one graph (no inferred triples)
QUADS = "quads"  # every named graph, the inferred one included
REPORT = "report"  # one report's named graph
TABLE = "table"  # a CSV table written from the records
CONTEXT = "context"  # the JSON-LD context of gcm-graph.jsonld

VOID = "void.ttl"
TURTLE, TRIG, NTRIPLES, NQUADS, RDFXML = "gcm-graph.ttl", "gcm-graph.trig", "gcm-graph.nt", "gcm-graph.nq", \
    "gcm-graph.rdf"
CONTEXT_FILE = "context.jsonld"
JSONLD = "gcm-graph.jsonld"
REPORTS_DIR = "reports"


@dataclass(frozen=True)
class FileSpec:
    name: str  # path inside dist/, "/" separated
    kind: str
    media: str  # IANA media type
    w3c_format: str | None  # local name under http://www.w3.org/ns/formats/, for RDF files
    title_en: str
    title_es: str
    description_en: str
    description_es: str
    report: str | None = None  # the report slug, for per-report files

    @property
    def is_rdf(self) -> bool:
        return self.kind in (ASSERTED, QUADS, REPORT)


_ASSERTED_EN = ("Every asserted named graph (ontology, reference registers, each report, the dataset description) "
                "as one graph; no inferred triples.")
_ASSERTED_ES = ("Todos los grafos nombrados afirmados (ontología, registros de referencia, cada informe, la "
                "descripción del conjunto de datos) como un solo grafo; sin tripletas inferidas.")
_QUADS_EN = "Every named graph, the OWL 2 RL entailments (graph/inferred) included, with its graph name."
_QUADS_ES = ("Todos los grafos nombrados, incluidas las implicaciones OWL 2 RL (graph/inferred), con el nombre de "
             "su grafo.")


def _rdf(name: str, kind: str, media: str, fmt: str, label: str) -> FileSpec:
    en, es = (_ASSERTED_EN, _ASSERTED_ES) if kind == ASSERTED else (_QUADS_EN, _QUADS_ES)
    what_en = "asserted graph" if kind == ASSERTED else "named graphs"
    what_es = "grafo afirmado" if kind == ASSERTED else "grafos nombrados"
    return FileSpec(name, kind, media, fmt, f"gcm-graph, {what_en} ({label})", f"gcm-graph, {what_es} ({label})",
                    en, es)


def _table(name: str, en: str, es: str, what_en: str, what_es: str) -> FileSpec:
    return FileSpec(name, TABLE, "text/csv", None, f"gcm-graph: {en} (CSV)", f"gcm-graph: {es} (CSV)",
                    f"{what_en} UTF-8, comma-separated, one header row; columns are documented in docs/export.md.",
                    f"{what_es} UTF-8, separado por comas, una fila de encabezado; las columnas se documentan en "
                    "docs/export.md.")


RDF_FILES: tuple[FileSpec, ...] = (
    _rdf(TURTLE, ASSERTED, "text/turtle", "Turtle", "Turtle"),
    _rdf(NTRIPLES, ASSERTED, "application/n-triples", "N-Triples", "N-Triples"),
    _rdf(RDFXML, ASSERTED, "application/rdf+xml", "RDF_XML", "RDF/XML"),
    FileSpec(JSONLD, ASSERTED, "application/ld+json", "JSON-LD", "gcm-graph, asserted graph (JSON-LD)",
             "gcm-graph, grafo afirmado (JSON-LD)",
             _ASSERTED_EN + " Compact JSON-LD with short keys (context.jsonld), readable as plain JSON.",
             _ASSERTED_ES + " JSON-LD compacto con claves cortas (context.jsonld), legible como JSON simple."),
    _rdf(TRIG, QUADS, "application/trig", "TriG", "TriG"),
    _rdf(NQUADS, QUADS, "application/n-quads", "N-Quads", "N-Quads"),
)

CONTEXT_SPEC = FileSpec(
    CONTEXT_FILE, CONTEXT, "application/ld+json", None, "gcm-graph: JSON-LD context", "gcm-graph: contexto JSON-LD",
    "The @context of gcm-graph.jsonld: the short JSON keys and the IRIs they stand for.",
    "El @context de gcm-graph.jsonld: las claves JSON cortas y los IRI que representan.")

TABLE_FILES: tuple[FileSpec, ...] = (
    _table("programmes.csv", "programme entries", "entradas de programas",
           "One row per programme entry of each report.", "Una fila por entrada de programa de cada informe."),
    _table("results.csv", "results and reported figures", "resultados y cifras reportadas",
           "One row per result item and figure read from it (and per figure read from a table).",
           "Una fila por resultado y cifra leída en él (y por cifra leída en una tabla)."),
    _table("challenges.csv", "challenges and their themes", "retos y sus temas",
           "One row per challenge item, with its themes.", "Una fila por reto, con sus temas."),
    _table("agencies.csv", "government agencies", "dependencias de gobierno",
           "One row per government agency of the registers of the reports' countries.",
           "Una fila por dependencia de los registros de los países de los informes."),
    _table("organisations.csv", "international organisations", "organismos internacionales",
           "One row per international organisation of the register.",
           "Una fila por organismo internacional del registro."),
    _table("populations.csv", "target populations", "poblaciones destinatarias",
           "One row per concept of the target-population thesaurus.",
           "Una fila por concepto del tesauro de poblaciones destinatarias."),
    _table("countries.csv", "countries", "países",
           "One row per country the build contains, with its Wikidata and GeoNames identifiers.",
           "Una fila por país que contiene la compilación, con sus identificadores de Wikidata y GeoNames."),
)


def report_file(slug: str) -> FileSpec:
    return FileSpec(f"{REPORTS_DIR}/{slug}.nq", REPORT, "application/n-quads", "N-Quads",
                    f"gcm-graph, report {slug} (N-Quads)", f"gcm-graph, informe {slug} (N-Quads)",
                    f"The named graph of report {slug} alone, with its graph name.",
                    f"Solo el grafo nombrado del informe {slug}, con el nombre de su grafo.", report=slug)


def all_files(slugs) -> tuple[FileSpec, ...]:
    """Every described file of a build of the reports ``slugs``, in a fixed order."""
    return (*RDF_FILES, CONTEXT_SPEC, *TABLE_FILES, *(report_file(s) for s in sorted(slugs)))

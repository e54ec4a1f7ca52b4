"""dist/ in every format, and its description (DCAT 3, VoID, PROV): see docs/export.md.

- every RDF file parses with two implementations besides the one that wrote it: Raptor's ``rapper`` (Debian
  package raptor2-utils; missing, the test fails with the command to install it) and pyoxigraph's parser;
- all formats hold the same graph (rdflib.compare.isomorphic; TriG and N-Quads graph by graph), and the JSON-LD
  expands, with pyld and with rdflib, to the graph of the Turtle;
- the description conforms to the shapes, and what it states is true: byte sizes and SHA-256 digests of the files
  as written, triple counts, class and property partitions, linksets, inputs' digests; recomputed here by other
  means (SPARQL over the N-Quads, hashlib over the files);
- two builds give byte-identical files.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from gcm_graph import __version__, paths
from gcm_graph.csvout import PROGRAMME_COLUMNS
from gcm_graph.export import ExportConfig
from gcm_graph.export.description import CONTEXT_PREDICATES, description_graph
from gcm_graph.export.files import all_files
from gcm_graph.export.tables import TABLE_COLUMNS
from gcm_graph.export.vocab import vocabulary_prefixes
from gcm_graph.namespaces import DEFAULT_BASE, GCM, prefixes
from gcm_graph.sources import load_meta

from .conftest import run_cli

BASE = DEFAULT_BASE
DATASET = BASE + "id/dataset"
GRAPH = BASE + "graph/"
INFERRED = GRAPH + "inferred"
DESCRIPTION = GRAPH + "dataset"
DUMPS = BASE + "dumps/"  # the default public URL is the IRI base

ASSERTED_FILES = {"gcm-graph.ttl": "turtle", "gcm-graph.nt": "ntriples", "gcm-graph.rdf": "rdfxml"}
QUAD_FILES = {"gcm-graph.trig": "trig", "gcm-graph.nq": "nquads"}
OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML,
              "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
GCM_SHA256 = GCM.sha256
RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml", "trig": "trig", "nquads": "nquads"}
MEDIA = {".ttl": "text/turtle", ".nt": "application/n-triples", ".rdf": "application/rdf+xml",
         ".jsonld": "application/ld+json", ".trig": "application/trig", ".nq": "application/n-quads",
         ".csv": "text/csv"}

PREFIXES = """
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX void: <http://rdfs.org/ns/void#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX spdx: <http://spdx.org/rdf/terms#>
PREFIX sd: <http://www.w3.org/ns/sparql-service-description#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


# --- fixtures ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dist(built_dist) -> Path:
    return built_dist


@pytest.fixture(scope="module")
def quads(dist) -> list[ox.Quad]:
    return list(ox.parse(path=str(dist / "gcm-graph.nq"), format=ox.RdfFormat.N_QUADS))


@pytest.fixture(scope="module")
def store(quads) -> ox.Store:
    s = ox.Store()
    s.extend(quads)
    return s


@pytest.fixture(scope="module")
def void_store(dist) -> ox.Store:
    s = ox.Store()
    s.load(path=str(dist / "void.ttl"), format=ox.RdfFormat.TURTLE)
    return s


@pytest.fixture(scope="module")
def reference(dist) -> Graph:
    """The Turtle dump, parsed by rdflib: the graph every other format is compared with."""
    return Graph().parse(dist / "gcm-graph.ttl", format="turtle")


@pytest.fixture(scope="module")
def context_json(dist) -> dict:
    return json.loads((dist / "context.jsonld").read_text(encoding="utf-8"))


def select(store: ox.Store, query: str) -> list[dict[str, str | None]]:
    result = store.query(PREFIXES + query)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]


def report_files(dist: Path) -> list[Path]:
    return sorted((dist / "reports").glob("*.nq"))


def distinct_triples(quads, exclude=(INFERRED,)) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name.value not in exclude}


def diff(a: Graph, b: Graph) -> str:
    _both, first, second = graph_diff(to_isomorphic(a), to_isomorphic(b))
    lines = [f"only in the first ({len(first)}):"] + [f"  {t}" for t in sorted(first)[:8]]
    lines += [f"only in the second ({len(second)}):"] + [f"  {t}" for t in sorted(second)[:8]]
    return "\n".join(lines)


# --- every dump parses with two more implementations ---------------------------------------------------------------


def rapper_count(path: Path, syntax: str) -> int:
    exe = shutil.which("rapper")
    if exe is None:
        pytest.fail("Raptor's rapper is not installed; install it with: apt-get install -y raptor2-utils")
    proc = subprocess.run([exe, "-i", syntax, "-c", str(path)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"rapper rejects {path.name}:\n{proc.stderr[-2000:]}"
    problems = [ln for ln in proc.stderr.splitlines() if re.search(r"\b(Error|Warning)\b", ln)]
    assert not problems, f"rapper reports problems in {path.name}:\n" + "\n".join(problems[:10])
    found = re.search(r"Parsing returned (\d+) (triples|statements)", proc.stderr)
    assert found, proc.stderr
    return int(found.group(1))


def test_rapper_parses_every_rdf_dump_with_the_right_count(dist, quads):
    asserted = len(distinct_triples(quads))
    for name, syntax in ASSERTED_FILES.items():
        assert rapper_count(dist / name, syntax) == asserted, name
    for name, syntax in QUAD_FILES.items():
        assert rapper_count(dist / name, syntax) == len(quads), name
    for path in report_files(dist):
        slug = path.stem
        assert rapper_count(path, "nquads") == sum(1 for q in quads if q.graph_name.value == GRAPH + slug)
    assert rapper_count(dist / "void.ttl", "turtle") > 0


def jsonld_with_context(dist: Path) -> dict:
    """gcm-graph.jsonld with its relative context replaced by the file's content (for processors that load none)."""
    doc = json.loads((dist / "gcm-graph.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == "context.jsonld"
    doc["@context"] = json.loads((dist / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    return doc


def test_pyoxigraph_parses_every_dump(dist, quads):
    asserted = distinct_triples(quads)
    for name, syntax in ASSERTED_FILES.items():
        got = {ox.Triple(q.subject, q.predicate, q.object)
               for q in ox.parse(path=str(dist / name), format=OX_FORMATS[syntax])}
        assert len(got) == len(asserted), name
    trig = list(ox.parse(path=str(dist / "gcm-graph.trig"), format=ox.RdfFormat.TRIG))
    assert len(trig) == len(quads)
    data = json.dumps(jsonld_with_context(dist)).encode("utf-8")
    got = list(ox.parse(data, format=ox.RdfFormat.JSON_LD))
    assert len({ox.Triple(q.subject, q.predicate, q.object) for q in got}) == len(asserted)
    for path in report_files(dist):
        assert list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))


# --- all formats hold the same graph -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["gcm-graph.nt", "gcm-graph.rdf"])
def test_asserted_dumps_are_isomorphic_to_the_turtle(dist, reference, name):
    other = Graph().parse(dist / name, format=RDFLIB_FORMATS[ASSERTED_FILES[name]])
    assert isomorphic(reference, other), diff(reference, other)


def named_graphs(path: Path, fmt: str) -> dict[str, Graph]:
    ds = Dataset()
    ds.parse(path, format=fmt)
    out = {}
    for g in ds.graphs():
        if len(g) and isinstance(g.identifier, URIRef):
            out[str(g.identifier)] = Graph() + g
    return out


def test_trig_and_nquads_hold_the_same_named_graphs_and_the_turtle_is_their_asserted_union(dist, reference):
    trig = named_graphs(dist / "gcm-graph.trig", "trig")
    nq = named_graphs(dist / "gcm-graph.nq", "nquads")
    assert sorted(trig) == sorted(nq)
    assert {INFERRED, DESCRIPTION, GRAPH + "ontology", GRAPH + "reference", GRAPH + "mx-2020"} <= set(trig)
    for name in trig:
        assert isomorphic(trig[name], nq[name]), f"graph {name}:\n{diff(trig[name], nq[name])}"
    union = Graph()
    for name, g in trig.items():
        if name != INFERRED:
            union += g
    assert isomorphic(reference, union), diff(reference, union)
    for path in report_files(dist):
        alone = named_graphs(path, "nquads")
        assert list(alone) == [GRAPH + path.stem]
        assert isomorphic(alone[GRAPH + path.stem], trig[GRAPH + path.stem])


@pytest.mark.parametrize("mode", ["json-ld-1.1", "json-ld-1.0"])
def test_jsonld_expands_with_pyld_to_the_graph_of_the_turtle(dist, reference, context_json, mode):
    """In JSON-LD 1.1 and in 1.0 processing mode: harvesters with older processors read it too."""
    try:
        from pyld import jsonld
    except ImportError:  # pragma: no cover - a missing test dependency must not pass silently
        pytest.fail("pyld is not installed; install it with: pip install pyld")
    url = (dist / "gcm-graph.jsonld").resolve().as_uri()
    loaded = []

    def loader(target, options=None):
        assert target == url.rsplit("/", 1)[0] + "/context.jsonld", target  # the relative URL, resolved
        loaded.append(target)
        return {"contextUrl": None, "documentUrl": target, "document": context_json,
                "contentType": "application/ld+json"}

    doc = json.loads((dist / "gcm-graph.jsonld").read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(doc, {"base": url, "documentLoader": loader, "format": "application/n-quads",
                                 "processingMode": mode})
    assert loaded, "pyld did not load context.jsonld"
    expanded = Graph().parse(data=nquads, format="nt")
    assert isomorphic(reference, expanded), diff(reference, expanded)


def test_jsonld_parses_with_rdflib_to_the_graph_of_the_turtle(dist, reference):
    got = Graph().parse(dist / "gcm-graph.jsonld", format="json-ld")
    assert isomorphic(reference, got), diff(reference, got)


# --- JSON-LD readable as JSON --------------------------------------------------------------------------------------


def test_jsonld_reads_as_plain_json(dist, context_json):
    ctx = context_json["@context"]
    doc = json.loads((dist / "gcm-graph.jsonld").read_text(encoding="utf-8"))
    nodes = {n["id"]: n for n in doc["@graph"]}
    entry = nodes[BASE + "id/programme/mx-2020/1-6"]
    assert entry["type"] == "ProgrammeEntry"
    assert entry["title"]["es"].startswith("Encuesta sobre Migración en la Frontera Norte")
    assert entry["number"] == 6 and entry["objective"] == BASE + "id/objective/1"
    assert entry["agencies"] == [BASE + "id/org/mx/upmrip"]
    assert [r["position"] for r in entry["results"]] == [1, 2]  # nested, in printed order
    assert all(isinstance(r["text"]["es"], str) for r in entry["results"])
    assert entry["figures"][0]["value"] == 21095 and entry["figures"][0]["unit"] == "people"
    assert [c["position"] for c in entry["challenges"]] == [1, 2, 3]
    assert all(isinstance(t, str) and t.startswith(BASE + "id/theme/") for t in entry["challenges"][0]["themes"])
    report = nodes[BASE + "id/report/mx-2020"]
    assert report["issued"] == "2020-09-18" and "Report" in report["type"]
    dataset = nodes[DATASET]
    assert isinstance(dataset["triples"], int) and set(dataset["title"]) == {"en", "es"}

    def language_map(key: str) -> bool:
        return isinstance(ctx.get(key), dict) and ctx[key].get("@container") == "@language"

    def check(node: dict, path: str) -> None:
        for key, value in node.items():
            assert key in ctx or key.startswith("@") or ":" in key, f"{path}{key} is not a key of the context"
            if language_map(key):
                assert all(re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", lang) for lang in value), (path, key)
                continue
            for v in value if isinstance(value, list) else [value]:
                if isinstance(v, dict):
                    check(v, f"{path}{key}.")

    for node in doc["@graph"]:
        check(node, node.get("id", "?") + ": ")


def test_context_comes_from_the_project_prefixes(context_json):
    ctx = context_json["@context"]
    for prefix, ns in vocabulary_prefixes(BASE).items():
        assert ctx[prefix] == ns
    assert ctx["gcm"] == prefixes(BASE)["gcm"]
    assert ctx["id"] == "@id" and ctx["type"] == "@type"
    assert ctx["agencies"] == {"@id": "gcm:responsibleAgency", "@type": "@id", "@container": "@set"}
    assert ctx["title"] == {"@id": "dcterms:title", "@container": "@language"}
    assert ctx["ProgrammeEntry"] == "gcm:ProgrammeEntry"


# --- the description: shapes, and what it states is true -------------------------------------------------------


def test_void_ttl_alone_conforms(dist):
    from gcm_graph.report_formats import as_text
    from gcm_graph.validate import validate_files

    report = validate_files([dist / "void.ttl"])
    assert report.conforms, as_text(report)


def test_the_whole_build_with_its_description_validates(dist):
    proc = run_cli("validate", "--dist", str(dist))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr


def test_void_ttl_is_the_description_graph_plus_file_facts_and_context(dist, quads):
    described = {ox.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name.value == DESCRIPTION}
    void = {ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(path=str(dist / "void.ttl"), format=ox.RdfFormat.TURTLE)}
    assert described <= void
    spdx, dcat = "http://spdx.org/rdf/terms#", "http://www.w3.org/ns/dcat#"
    facts = [t for t in void - described if t.subject.value.startswith(DATASET + "/")]
    n = len(all_files(["mx-2020"]))
    assert Counter(t.predicate.value for t in facts) == {
        dcat + "byteSize": n, spdx + "checksum": n, spdx + "algorithm": n, spdx + "checksumValue": n,
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": n}
    # the rest repeats, from the report and reference graphs, what names and dates the sources
    context = void - described - set(facts)
    assert context <= distinct_triples(quads)
    assert {t.predicate.value for t in context} <= {str(p) for p in CONTEXT_PREDICATES}
    assert ox.Triple(ox.NamedNode(BASE + "id/report/mx-2020"), ox.NamedNode(str(GCM_SHA256)),
                     ox.Literal(load_meta(paths.SOURCES_DIR / "mx-2020.toml").sha256)) in context
    # the description is in every dump: a harvester that loads any of them gets it
    for name in ("gcm-graph.ttl", "gcm-graph.jsonld", "gcm-graph.rdf"):
        assert DATASET in (dist / name).read_text(encoding="utf-8"), name


def test_the_description_graph_repeats_no_triple_of_another_graph(quads):
    """A triple in two named graphs comes twice out of a store whose default graph is their union."""
    own = {ox.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name.value == DESCRIPTION}
    others = {ox.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name.value != DESCRIPTION}
    assert own and not own & others


def test_every_file_is_described_with_its_true_size_and_digest(dist, void_store):
    rows = select(void_store, """
        SELECT ?d ?url ?media ?size ?digest WHERE {
            <%s> dcat:distribution ?d .
            ?d dcat:downloadURL ?url ; dcat:mediaType ?media ; dcat:byteSize ?size ;
               spdx:checksum [ spdx:algorithm spdx:checksumAlgorithm_sha256 ; spdx:checksumValue ?digest ] .
        }""" % DATASET)
    described = {}
    for r in rows:
        assert r["url"].startswith(DUMPS), r
        name = r["url"].removeprefix(DUMPS)
        assert r["d"] == DATASET + "/" + name
        described[name] = r
    on_disk = sorted(str(p.relative_to(dist)) for p in dist.rglob("*")
                     if p.is_file() and p.relative_to(dist).parts[0] != "store" and p.name != "void.ttl")
    assert sorted(described) == on_disk, "every file of dist/ (but void.ttl and store/) has one distribution"
    for name, r in described.items():
        data = (dist / name).read_bytes()
        assert int(r["size"]) == len(data), name
        assert r["digest"] == hashlib.sha256(data).hexdigest(), name
        assert r["media"] == "https://www.iana.org/assignments/media-types/" + MEDIA[Path(name).suffix], name


def _one(store, query: str) -> dict[str, str]:
    rows = select(store, query)
    assert len(rows) == 1, rows
    return rows[0]


def test_triple_counts_are_true(store, void_store, quads):
    not_inferred = f"FILTER (?g != <{INFERRED}>)"
    d = _one(void_store, f"""SELECT ?triples ?entities ?subjects ?classes ?properties WHERE {{
        <{DATASET}> void:triples ?triples ; void:entities ?entities ; void:distinctSubjects ?subjects ;
                    void:classes ?classes ; void:properties ?properties }}""")
    assert int(d["triples"]) == len(distinct_triples(quads))
    recount = _one(store, f"""SELECT (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties)
        WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {not_inferred} }}""")
    assert int(d["subjects"]) == int(recount["subjects"])
    assert int(d["properties"]) == int(recount["properties"])
    entities = _one(store, f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {not_inferred}
        FILTER (isIRI(?s) && STRSTARTS(STR(?s), "{BASE}")) }}""")
    assert int(d["entities"]) == int(entities["n"])

    classes = {r["c"]: int(r["n"]) for r in select(store, f"""SELECT ?c (COUNT(DISTINCT ?s) AS ?n)
        WHERE {{ GRAPH ?g {{ ?s a ?c }} {not_inferred} }} GROUP BY ?c""")}
    stated = {r["c"]: int(r["n"]) for r in select(void_store, f"""SELECT ?c ?n WHERE {{
        <{DATASET}> void:classPartition [ void:class ?c ; void:entities ?n ] }}""")}
    assert stated == classes and int(d["classes"]) == len(classes)

    properties = {r["p"]: int(r["n"]) for r in select(store, f"""SELECT ?p (COUNT(*) AS ?n) WHERE {{
        SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {not_inferred} }} }} GROUP BY ?p""")}
    stated = {r["p"]: int(r["n"]) for r in select(void_store, f"""SELECT ?p ?n WHERE {{
        <{DATASET}> void:propertyPartition [ void:property ?p ; void:triples ?n ] }}""")}
    assert stated == properties

    per_graph = Counter(q.graph_name.value for q in quads)
    stated = {r["g"]: int(r["n"]) for r in select(void_store, f"""SELECT ?g ?n WHERE {{
        <{DATASET}> void:subset [ sd:name ?g ; void:triples ?n ] }}""")}
    assert stated == dict(per_graph)


def test_linksets_are_true(store, void_store):
    linksets = select(void_store, f"""SELECT ?p ?space ?n WHERE {{
        <{DATASET}> void:subset ?l . ?l a void:Linkset ; void:subjectsTarget <{DATASET}> ;
        void:linkPredicate ?p ; void:triples ?n ; void:objectsTarget/void:uriSpace ?space }}""")
    by = {(r["p"], r["space"]): int(r["n"]) for r in linksets}
    assert ("http://www.w3.org/2004/02/skos/core#exactMatch", "http://www.wikidata.org/entity/") in by
    for (p, space), n in by.items():
        count = _one(store, f"""SELECT (COUNT(*) AS ?n) WHERE {{
            SELECT DISTINCT ?s ?o WHERE {{ GRAPH ?g {{ ?s <{p}> ?o }} FILTER (?g != <{INFERRED}>)
            FILTER (isIRI(?s) && STRSTARTS(STR(?s), "{BASE}") && isIRI(?o) && STRSTARTS(STR(?o), "{space}")) }} }}""")
        assert n == int(count["n"]), (p, space)


def test_description_states_source_licence_coverage_and_access(void_store):
    meta = load_meta(paths.SOURCES_DIR / "mx-2020.toml")
    d = _one(void_store, f"""SELECT ?licence ?sha ?start ?end ?endpoint ?space WHERE {{
        <{DATASET}> dcterms:license ?licence ; dcterms:source ?report ; dcterms:temporal ?period ;
                    void:sparqlEndpoint ?endpoint ; void:uriSpace ?space .
        ?report spdx:checksum/spdx:checksumValue ?sha .
        ?period dcat:startDate ?start ; dcat:endDate ?end }}""")
    assert d["licence"] == "https://creativecommons.org/licenses/by/4.0/"
    assert d["sha"] == meta.sha256
    assert (d["start"], d["end"]) == (meta.period_start.isoformat(), meta.period_end.isoformat())
    assert d["endpoint"] == BASE + "sparql" and d["space"] == BASE
    titles = {r["lang"] for r in select(void_store, f"""SELECT (LANG(?t) AS ?lang) WHERE {{
        <{DATASET}> dcterms:title ?t }}""")}
    assert titles == {"en", "es"}
    spatial = {r["s"] for r in select(void_store, f"SELECT ?s WHERE {{ <{DATASET}> dcterms:spatial ?s }}")}
    assert spatial == {"http://www.wikidata.org/entity/Q96", "https://sws.geonames.org/3996063/"}
    rights = select(void_store, f"SELECT ?text WHERE {{ <{DATASET}> dcterms:rights/rdfs:label ?text }}")
    assert any(meta.publisher in r["text"] for r in rights), "the rights statement attributes the source"
    agent = _one(void_store, f"SELECT ?a WHERE {{ <{DATASET}> prov:qualifiedAttribution/prov:agent ?a }}")
    assert agent["a"] == BASE + "id/org/mx/upmrip"
    dumps = {r["u"] for r in select(void_store, f"SELECT ?u WHERE {{ <{DATASET}> void:dataDump ?u }}")}
    assert {DUMPS + n for n in (*ASSERTED_FILES, *QUAD_FILES, "gcm-graph.jsonld")} == dumps


def test_provenance_names_the_software_its_inputs_and_a_time_from_the_input(void_store):
    meta = load_meta(paths.SOURCES_DIR / "mx-2020.toml")
    d = _one(void_store, f"""SELECT ?version ?time WHERE {{
        <{DATASET}> prov:wasGeneratedBy ?build . ?build prov:endedAtTime ?time ;
        prov:wasAssociatedWith/schema:softwareVersion ?version }}""")
    assert d["version"] == __version__
    assert d["time"] == f"{meta.published.isoformat()}T00:00:00Z"
    inputs = {r["id"]: r["sha"] for r in select(void_store, f"""SELECT ?id ?sha WHERE {{
        <{DATASET}> prov:wasGeneratedBy/prov:used ?i . ?i dcterms:identifier ?id ;
        spdx:checksum/spdx:checksumValue ?sha }}""")}
    folders = {"ontology": paths.ONTOLOGY_DIR, "shapes": paths.SHAPES_DIR, "reference": paths.REFERENCE_DIR,
               "source": paths.SOURCES_DIR}
    assert {"ontology/gcm.ttl", "shapes/dataset.ttl", "reference/agencies-mx.csv", "source/mx-2020.toml"} <= set(inputs)
    for label, sha in inputs.items():
        folder, name = label.split("/", 1)
        assert hashlib.sha256((folders[folder] / name).read_bytes()).hexdigest() == sha, label


def test_public_url_and_build_time_are_configurable():
    from datetime import datetime, timezone

    from gcm_graph.pipeline import parse_sources

    reports = parse_sources()
    config = ExportConfig(public_url="https://data.example.org/gcm",
                          build_time=datetime(2021, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
    g = description_graph(reports, {"mx-2020": 1}, None, [], BASE, config)
    text = g.serialize(format="nt")
    assert "<https://data.example.org/gcm/sparql>" in text
    assert "<https://data.example.org/gcm/dumps/gcm-graph.ttl>" in text
    assert '"2021-01-02T03:04:05Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>' in text
    assert "https://w3id.org/gcm-graph/dumps/" not in text


# --- CSV tables ----------------------------------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_every_csv_column_is_documented(dist):
    docs = (paths.ROOT / "docs" / "export.md").read_text(encoding="utf-8")
    tables = {**TABLE_COLUMNS, "programmes.csv": PROGRAMME_COLUMNS}
    for name, columns in tables.items():
        header = next(csv.reader(io.StringIO((dist / name).read_text(encoding="utf-8"))))
        assert tuple(header) == tuple(columns), name
        section = docs.split(f"### `{name}`", 1)
        assert len(section) == 2, f"docs/export.md has no section for {name}"
        body = section[1].split("\n### ", 1)[0]
        missing = [c for c in columns if f"`{c}`" not in body]
        assert not missing, f"{name}: columns not documented in docs/export.md: {missing}"


def test_csv_tables_agree_with_the_graph(dist, store):
    def count(cls: str) -> int:
        return int(_one(store, f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a <{cls}> }}
            FILTER (?g != <{INFERRED}>) }}""")["n"])

    gcm = BASE + "ontology#"
    results = read_csv(dist / "results.csv")
    assert len({r["result_iri"] for r in results if r["result_iri"]}) == count(gcm + "Result")
    assert len({r["figure_iri"] for r in results if r["figure_iri"]}) == count(gcm + "ReportedQuantity")
    challenges = read_csv(dist / "challenges.csv")
    assert len(challenges) == count(gcm + "Challenge") and all(c["themes"] for c in challenges)
    assert len(read_csv(dist / "agencies.csv")) == count(gcm + "GovernmentAgency")
    assert len(read_csv(dist / "organisations.csv")) == count(gcm + "InternationalOrganisation")
    assert len(read_csv(dist / "populations.csv")) == count(gcm + "TargetPopulation")
    subjects = {r["s"] for r in select(store, "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } }")}
    for name in TABLE_COLUMNS:
        for row in read_csv(dist / name):
            for column, value in row.items():
                if column.endswith("iri") and value and not column.startswith("wikidata"):
                    assert value in subjects, (name, column, value)
    emif = [r for r in results if r["figure_iri"].endswith("/1-6/quantity/1")]
    assert len(emif) == 1 and emif[0]["value"] == "21095" and emif[0]["unit"] == "people"
    assert emif[0]["result"] == "1" and emif[0]["year"] == "2018"


# --- determinism ---------------------------------------------------------------------------------------------------


def test_two_builds_give_byte_identical_files_in_every_format(dist, tmp_path):
    again = tmp_path / "dist"
    proc = run_cli("build", "--out", str(again), "--quiet")
    assert proc.returncode == 0, proc.stderr
    names = sorted(str(p.relative_to(dist)) for p in dist.rglob("*")
                   if p.is_file() and p.relative_to(dist).parts[0] != "store")
    assert sorted(str(p.relative_to(again)) for p in again.rglob("*")
                  if p.is_file() and p.relative_to(again).parts[0] != "store") == names
    assert {Path(n).suffix for n in names} >= {".ttl", ".nt", ".rdf", ".jsonld", ".trig", ".nq", ".csv"}
    for name in names:
        assert (again / name).read_bytes() == (dist / name).read_bytes(), name

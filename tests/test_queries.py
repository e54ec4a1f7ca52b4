"""Canned queries (issue 5): every ``queries/*.rq`` parses, runs, and gives the same rows on pyoxigraph and rdflib;
answers checked against facts read in ``data/source/mx-2020.md``; parameters cannot inject SPARQL; bad calls exit 2
with what is accepted; the README lists every query with its question.

Line numbers in comments are lines of ``data/source/mx-2020.md``.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from gcm_graph import api, paths
from gcm_graph.errors import QueryError
from gcm_graph.queries import CannedQuery, bind, fold, load, parse_header, render
from gcm_graph.store import OxigraphEngine, RdflibEngine, open_store

from .conftest import run_cli

QUERY_FILES = sorted(p for p in paths.QUERIES_DIR.glob("*.rq") if not p.stem.startswith("check-"))
BASE = "https://w3id.org/gcm-graph/"
PROG = BASE + "id/programme/mx-2020/"
DOCS = paths.ROOT / "README.md"

# Functions and prefixes of one engine (Virtuoso's bif:/sql:, Jena's afn:, Stardog's…) that a canned query must
# not use, so that it runs unchanged on any SPARQL 1.1 store.
STANDARD_PREFIXES = {
    "gcm": "https://w3id.org/gcm-graph/ontology#", "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/", "org": "http://www.w3.org/ns/org#", "schema": "https://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "prov": "http://www.w3.org/ns/prov#",
}


def example_params(q: CannedQuery) -> dict[str, str]:
    """The parameters of the query's ``#+ example: k=v; k=v`` header line (what the benchmark runs too)."""
    spec = parse_header(q.text, q.path).get("example", "")
    return dict(part.strip().split("=", 1) for part in spec.split(";") if part.strip())


def _plain(value):
    # rdflib and pyoxigraph both give Decimal for xsd:decimal, but computed values may come back as float.
    if isinstance(value, (Decimal, float)):
        return round(float(value), 9)
    return value


def rows(result) -> list[tuple]:
    return [tuple(_plain(v) for v in row) for row in result.rows]


@pytest.fixture(scope="session")
def engines(built_dist):
    return OxigraphEngine(open_store(built_dist)), RdflibEngine.from_dist(built_dist)


@pytest.fixture(scope="session")
def run(engines):
    ox, _ = engines

    def _run(name: str, **params):
        return api.query(name, params, runner=ox)

    return _run


def as_dicts(result) -> list[dict]:
    return [dict(zip(result.columns, row)) for row in result.rows]


# --- one parametrised test over every query ---------------------------------------------------------------------


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_query(path: Path, engines):
    ox, reference = engines
    q = load(path)

    # The header: a question, a description, tags, the columns it returns, parameters that parse and are used.
    assert q.summary.endswith("?"), "the summary is the question the query answers"
    assert q.description and q.tags and q.columns
    text_without_comments = re.sub(r"#[^\n]*", "", q.text)
    for p in q.params:
        assert re.search(rf"\?{p.name}\b", text_without_comments), f"parameter {p.name} is not used"
    for common in ("report", "country"):
        assert re.search(rf"\?{common}\b", text_without_comments), f"the query ignores the {common} parameter"

    # Standard SPARQL 1.1 that runs unchanged elsewhere: standard prefixes only, no GROUP_CONCAT (its order is not
    # defined), a total ORDER BY.
    for prefix, iri in re.findall(r"PREFIX\s+(\w*):\s*<([^>]*)>", q.text):
        assert STANDARD_PREFIXES.get(prefix) == iri, f"unexpected prefix {prefix}: <{iri}>"
    assert "GROUP_CONCAT" not in text_without_comments.upper()
    assert "ORDER BY" in text_without_comments

    params = example_params(q)
    for variant in (params, dict(params, lang="es", report="mx-2020", country="MX"), dict(params, report="zz-2099")):
        text = render(q, bind(q, variant))
        got = ox.run(text)
        assert got.columns == q.columns, "the columns are those the header declares"
        want = reference.run(text)
        assert want.columns == got.columns
        assert Counter(rows(got)) == Counter(rows(want)), f"pyoxigraph and rdflib disagree with {variant}"
        assert rows(got) == rows(want), f"same rows in another order with {variant}: ORDER BY is not total"
        if variant is params:
            first = got
        elif variant.get("report") == "mx-2020":
            # One report in the graph: scoping to it (and to its country) keeps every row.
            assert len(got.rows) == len(first.rows)
    assert first.rows or q.name in {"partners-across-countries"}, "the example finds something"


# --- answers checked against the document --------------------------------------------------------------------------


def test_objective_coverage_counts(run):
    got = {r["objective"]: r for r in as_dicts(run("objective-coverage"))}
    assert sorted(got) == list(range(1, 24)), "all 23 objectives, with or without programmes"
    # Objective 1: entries 1-18 (headings at lines 48 ... 361); objective 7: entries 1-21 (lines 1058 ... 1482);
    # objective 13: one entry, SNDIF (line 1960); objective 14: five SRE entries (lines 1974-2026); objective 19:
    # two SADER entries (lines 2901, 2926); objective 22 (line 3209) is followed directly by objective 23 (line 3211).
    assert got[1]["programmes"] == 18
    assert got[7]["programmes"] == 21
    assert got[13]["programmes"] == 1 and got[13]["agencies"] == 1
    assert got[14]["programmes"] == 5 and got[14]["agencies"] == 1
    assert got[19]["programmes"] == 2
    assert got[22] == {**got[22], "programmes": 0, "agencies": 0, "partners": 0, "populations": 0}
    assert sum(r["programmes"] for r in got.values()) == 176
    assert isinstance(got[7]["programmes"], int), "numbers are numbers"
    assert got[7]["title_en"] == "Address and reduce vulnerabilities in migration"
    assert got[7]["title_es"] == "Abordar y reducir las vulnerabilidades en la migración"


def test_objective_22_has_no_programme_and_no_partner(run):
    got = {r["objective"]: r["programmes"] for r in as_dicts(run("objectives-without-international-partner"))}
    assert got[22] == 0
    # Objective 7 has partners: 7-18 was developed with ONU-Mujeres (line 1440), 7-19 with UNICEF (line 1456).
    assert 7 not in got


def test_single_agency_objectives(run):
    got = [(r["objective"], r["agency"], r["programmes"]) for r in as_dicts(run("single-agency-objectives"))]
    assert (13, "SNDIF", 1) in got  # line 1960
    assert (14, "SRE", 5) in got  # lines 1974, 1986, 1999, 2014, 2026
    assert (19, "SADER", 2) in got  # lines 2901, 2926
    assert all(o not in (1, 7) for o, _, _ in got)


def test_agency_objective_matrix(run):
    got = {(r["agency"], r["objective"]): r["programmes"] for r in as_dicts(run("agency-objective-matrix"))}
    assert got[("SRE", 14)] == 5
    assert got[("SNDIF", 13)] == 1
    only_7 = as_dicts(run("agency-objective-matrix", objective="7"))
    assert {r["objective"] for r in only_7} == {7}
    assert sum(r["programmes"] for r in only_7) >= 21


def test_repeated_programmes(run):
    # 'Campaña de Doble Nacionalidad en Estados Unidos (SRE)' at lines 1383 (7-14) and 2527 (16-12); 'Protocolo de
    # Atención Consular para Víctimas Mexicanas de Trata de Personas en el Exterior (SRE)' at 1469 (7-20) and 1798 (10-6).
    got = {r["title"]: r for r in as_dicts(run("multi-objective-programmes"))}
    doble = got["Campaña de Doble Nacionalidad en Estados Unidos"]
    assert (doble["agencies"], doble["objectives"], doble["occurrences"]) == ("SRE", "7, 16", "7-14, 16-12")
    trata = got["Protocolo de Atención Consular para Víctimas Mexicanas de Trata de Personas en el Exterior"]
    assert (trata["agencies"], trata["objectives"], trata["occurrences"]) == ("SRE", "7, 10", "7-20, 10-6")
    profile = as_dicts(run("programme-profile", programme="7-14"))
    assert {"field": "also listed as", "position": 16012, "value": "16-12", "iri": PROG + "16-12"} in profile


@pytest.mark.parametrize("text", ["niñez", "NIÑEZ", "ninez", "Niñez", "  niñez "])
def test_search_is_case_and_accent_insensitive(run, text):
    # 'niñez' occurs at lines 1060 (7-1, description), 1178 (7-5, description), 1456 (7-19, description), 2295
    # (15-13, challenge 4) and 3314 (23-5, result); never as NIÑEZ or ninez, which must find the same.
    got = [(r["programme"], r["section"]) for r in as_dicts(run("search", text=text))]
    assert got == [(PROG + "7-1", "description"), (PROG + "7-5", "description"), (PROG + "7-19", "description"),
                   (PROG + "15-13", "challenges"), (PROG + "23-5", "results")]


def test_search_columns_and_snippet(run):
    got = as_dicts(run("search", text="doble nacionalidad"))
    titles = [r for r in got if r["section"] == "title"]
    assert [(r["objective"], r["number"]) for r in titles] == [(7, 14), (16, 12)]  # lines 1383, 2527
    assert all("doble nacionalidad" in r["snippet"].lower() for r in got)
    assert all(isinstance(r["number"], int) and isinstance(r["objective"], int) for r in got)
    # An accented search term finds unaccented text too: 'migración' and 'migracion' are the same search.
    assert run("search", text="migración").rows == run("search", text="MIGRACION").rows


def test_population_includes_narrower(run):
    got = {r["programme"]: r for r in as_dicts(run("programmes-for-population", population="children-and-adolescents"))}
    # 7-19, the consular protocol for unaccompanied children (line 1454).
    assert PROG + "7-19" in got and got[PROG + "7-19"]["agencies"] == "SRE"
    # 3-2 names only 'NNA no acompañados' (line 592): it serves children through the narrower population.
    assert PROG + "3-2" in got
    assert {r["population"] for r in got.values()} == {BASE + "id/population/children-and-adolescents"}
    narrower = {r["programme"] for r in as_dicts(run("programmes-for-population", population="unaccompanied-children"))}
    assert narrower < set(got)


def test_population_coverage_lists_every_population(run):
    got = as_dicts(run("population-coverage"))
    children = next(r for r in got if r["population"] == BASE + "id/population/children-and-adolescents")
    assert children["label"] == "children and adolescents"
    assert children["programmes"] == len(run("programmes-for-population", population="children-and-adolescents").rows)
    # The thesaurus was built from this report, so every population is served in it; in a report that is not in the
    # graph none is, and every population is still listed.
    unserved = as_dicts(run("population-coverage", report="zz-2099"))
    assert len(unserved) == len(got) and all(r["programmes"] == 0 for r in unserved)
    es = {r["population"]: r["label"] for r in as_dicts(run("population-coverage", lang="es"))}
    assert es[BASE + "id/population/children-and-adolescents"] == "niñas, niños y adolescentes"


def test_partners_and_principles(run):
    # 7-18 was developed 'en colaboración con ONU-Mujeres' (line 1440) for victims of gender-based violence.
    profile = as_dicts(run("programme-profile", programme="7-18"))
    assert {(r["field"], r["iri"]) for r in profile} >= {
        ("partner", BASE + "id/org/un-women"), ("principle", BASE + "id/principle/g"),
        ("principle", BASE + "id/principle/b"), ("agency", BASE + "id/org/mx/sre")}
    assert [r["value"] for r in profile if r["field"] == "number"] == [18]
    # 7-19 was developed with UNICEF (line 1456) and serves unaccompanied children (line 1454): child-sensitive (h).
    h = {r["programme"] for r in as_dicts(run("guiding-principle-evidence", letter="h"))}
    assert PROG + "7-19" in h
    principles = {r["letter"]: r for r in as_dicts(run("principle-coverage"))}
    assert sorted(principles) == list("abcdefghij")
    assert principles["h"]["programmes"] == len(h)
    partners = {r["partner"]: r for r in as_dicts(run("partner-engagement"))}
    assert {BASE + "id/org/un-women", BASE + "id/org/unicef", BASE + "id/org/iom"} <= set(partners)
    assert partners[BASE + "id/org/iom"]["name"] == "International Organization for Migration"
    es = {r["partner"]: r["name"] for r in as_dicts(run("partner-engagement", lang="es"))}
    assert es[BASE + "id/org/iom"] == "Organización Internacional para las Migraciones"


def test_reported_figures(run):
    # '667 mil visitas' (line 230, entry 1-10) is read as the number 667000.
    got = as_dicts(run("reported-figures", objective="1"))
    assert {r["objective"] for r in got} == {1}
    visits = [r for r in got if r["programme"] == PROG + "1-10" and r["value"] == 667000]
    assert visits and visits[0]["text"] == "667 mil visitas" and visits[0]["counted"] == "visitas"
    sre = as_dicts(run("reported-figures", agency="sre"))
    assert sre and PROG + "7-14" in {r["programme"] for r in sre}  # 479 events, 51,815 people (line 1389)
    children = {r["programme"] for r in as_dicts(run("reported-figures", population="children-and-adolescents"))}
    assert children <= {r["programme"] for r in as_dicts(run("programmes-for-population",
                                                             population="children-and-adolescents"))}


def test_agency_profile(run):
    got = as_dicts(run("agency-profile", agency="sre"))
    assert {"field": "acronym", "position": None, "value": "SRE", "programmes": 0, "iri": None} in got
    objectives = {r["position"]: r["programmes"] for r in got if r["field"] == "objective"}
    assert objectives[14] == 5
    programmes = [r["iri"] for r in got if r["field"] == "programme"]
    assert PROG + "7-14" in programmes and PROG + "16-12" in programmes
    inm = as_dicts(run("agency-profile", agency="mx/inm", lang="es"))
    assert inm[0] == {"field": "name", "position": None, "value": "Instituto Nacional de Migración", "programmes": 0,
                      "iri": None}
    assert ("part of", BASE + "id/org/mx/segob") in {(r["field"], r["iri"]) for r in inm}


def test_report_scoping(run):
    mx = as_dicts(run("report-overview"))
    assert [(r["report"], r["country"], r["programmes"], r["objectives"]) for r in mx] == [
        (BASE + "id/report/mx-2020", "http://www.wikidata.org/entity/Q96", 176, 22)]
    assert len(run("objectives-in-every-country").rows) == 22, "every objective but 22 has programmes"
    # A report that is not in the graph: the lists of every objective / population keep their rows with zeros.
    assert all(r["programmes"] == 0 for r in as_dicts(run("objective-coverage", report="zz-2099")))
    assert len(run("objectives-without-international-partner", report="zz-2099").rows) == 23
    assert run("search", text="niñez", report="zz-2099").rows == ()


# --- parameters are values, never query text -----------------------------------------------------------------------

INJECTIONS = ['"', "'", "\\", '"""', "}", "{", "} UNION { ?s ?p ?o }", '" } UNION { ?s ?p ?o } #',
              "niñez\" } UNION { ?s ?p ?o . FILTER(true) } #", "niñez\n} UNION { ?s ?p ?o }\n#", "# comment",
              "?s ?p ?o", "\n", "'') } ; DROP ALL ; SELECT * { ?s ?p ?o"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_in_text_and_string_parameters(engines, value):
    ox, reference = engines
    for name, param in (("search", "text"), ("guiding-principle-evidence", "letter")):
        q = load(paths.QUERIES_DIR / f"{name}.rq")
        try:
            text = render(q, bind(q, {param: value}))
        except QueryError as exc:  # an empty search text is refused, as a parameter error
            assert not value.strip() and "must not be empty" in str(exc)
            continue
        got = ox.run(text)  # never a syntax error
        if value in ('"', "} UNION { ?s ?p ?o }", "niñez\n} UNION { ?s ?p ?o }\n#"):  # rdflib is slow: a few
            assert rows(reference.run(text)) == rows(got)
        if name == "guiding-principle-evidence" or re.search(r"UNION|\?s|DROP|\n", value):
            assert got.rows == (), f"{value!r} found something"
        else:  # a quote or a brace is just text to look for: what is found contains it
            assert all(fold(value.strip()) in fold(r[-1]) for r in got.rows)


@pytest.mark.parametrize("param,value", [
    ("population", "children> } UNION { ?s ?p ?o"), ("population", 'x" . ?s ?p ?o'),
    ("programme", "7-14> } UNION {"), ("agency", "https://example.org/x> } UNION { ?s ?p ?o }"),
    ("objective", "7 } UNION { ?s ?p ?o }"), ("report", "mx-2020> } #"), ("lang", 'en" } #'),
])
def test_injection_in_typed_parameters_is_a_parameter_error(param, value):
    name = {"population": "programmes-for-population", "programme": "programme-profile", "agency": "agency-profile",
            "objective": "agency-objective-matrix"}.get(param, "objective-coverage")
    q = load(paths.QUERIES_DIR / f"{name}.rq")
    with pytest.raises(QueryError):
        bind(q, {**example_params(q), param: value})


def test_injection_through_the_cli(built_dist):
    proc = run_cli("query", "search", "--dist", str(built_dist), "-p", "text=} UNION { ?s ?p ?o } #", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "programme,objective,number,title,section,snippet\n"


# --- bad calls: exit 2 and say what is accepted --------------------------------------------------------------------


@pytest.mark.parametrize("args,expected", [
    (["no-such-query"], ["unknown query 'no-such-query'", "objective-coverage", "search"]),
    (["search"], ["needs parameter text (required, text)"]),
    (["search", "-p", "txt=niñez"], ["no parameter 'txt'", "text (required, text)", "lang (optional, lang"]),
    (["agency-objective-matrix", "-p", "objective=seven"], ["'objective' must be an integer"]),
    (["agency-objective-matrix", "-p", "objective=24"], ["between 1 and 23"]),
    (["objective-coverage", "-p", "lang=fr"], ["'en' or 'es'"]),
    (["objective-coverage", "-p", "country=ZZ"], ["country code", "MX"]),
    (["programme-profile", "-p", "programme=fourteen"], ["'7-14'"]),
    (["partners-across-countries", "-p", "minimum=0"], ["between 1 and 1000"]),
])
def test_bad_calls_exit_2_with_what_is_accepted(built_dist, args, expected):
    proc = run_cli("query", *args, "--dist", str(built_dist))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    for fragment in expected:
        assert fragment in proc.stderr


def test_list_names_every_query_with_its_question(built_dist):
    proc = run_cli("query", "--list")
    assert proc.returncode == 0
    for path in QUERY_FILES:
        q = load(path)
        assert re.search(rf"^{re.escape(q.name)}\s+{re.escape(q.summary)}$", proc.stdout, re.M), q.name


# --- the documentation lists every query ---------------------------------------------------------------------------


def test_docs_list_every_query_with_its_question_and_parameters():
    table = {}
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("## Canned queries"):]
    section = section[: section.index("\n## ", 3)] if "\n## " in section[3:] else section
    for line in section.splitlines():
        m = re.match(r"^\|\s*`([a-z0-9-]+)`\s*\|(.*)$", line)
        if m:
            cells = [c.strip() for c in m.group(2).rstrip("|").split("|")]
            assert m.group(1) not in table, f"{m.group(1)} is listed twice in {DOCS.name}"
            table[m.group(1)] = cells
    queries = {p.stem: load(p) for p in QUERY_FILES}
    assert set(table) == set(queries), f"{DOCS.name} and queries/ list different queries"
    for name, q in queries.items():
        question, params = table[name][0], table[name][1]
        assert question == q.summary, f"{name}: the question in {DOCS.name} is not the query's summary"
        assert set(re.findall(r"`([a-z_]+)`", params)) == {p.name for p in q.params}, f"{name}: parameters differ"

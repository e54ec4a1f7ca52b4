"""Canned queries over HTTP against the real server on the real build: the list (JSON and HTML), running one as
SPARQL JSON, CSV, TSV or an HTML table (by Accept or ?format=), and every kind of bad parameter (400 naming the
parameters the query accepts)."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse

import pytest

from gcm_graph import api
from gcm_graph.queries import load_all

from .test_web_support import HTML, qs, real_server, sparql_rows

JSON_RESULTS = "application/sparql-results+json"


@pytest.fixture(scope="module")
def srv(built_dist):
    with real_server(built_dist) as running:
        yield running


def rows_of(body: bytes) -> list[dict[str, str]]:
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]


def test_list_as_json_describes_every_canned_query(srv):
    status, headers, body = srv.get("/queries", {"Accept": "application/json"})
    assert status == 200 and headers["content-type"].startswith("application/json")
    assert "Accept" in headers["vary"]
    listed = {q["name"]: q for q in json.loads(body)["queries"]}
    assert set(listed) == {q.name for q in load_all()}  # check-* queries are validation, not listed
    coverage = listed["objective-coverage"]
    assert coverage["summary"] and coverage["url"] == "/queries/objective-coverage"
    assert {p["name"] for p in coverage["params"]} >= {"lang", "report", "country"}
    search = listed["search"]
    assert any(p["name"] == "text" and p["required"] for p in search["params"])
    assert search["example"].get("text")
    status, _, again = srv.get("/queries?format=json")
    assert status == 200 and json.loads(again) == json.loads(body)


def test_list_as_html_for_browsers(srv):
    status, headers, body = srv.get("/queries", {"Accept": HTML})
    page = body.decode()
    assert status == 200 and headers["content-type"].startswith("text/html")
    for q in load_all():
        assert f'href="/queries/{q.name}' in page
    assert "script-src 'self'" in headers["content-security-policy"]


def test_default_answer_is_sparql_json_with_every_objective(srv):
    status, headers, body = srv.get("/queries/objective-coverage")
    assert status == 200 and headers["content-type"].startswith(JSON_RESULTS)
    assert headers["vary"].startswith("Accept")
    rows = rows_of(body)
    assert [int(r["objective"]) for r in rows] == list(range(1, 24))
    # the same numbers as the Python API over the same build
    expected = api.query("objective-coverage", {}, dist=srv.config.dumps_dir).as_dicts()
    assert [int(r["programmes"]) for r in rows] == [int(r["programmes"]) for r in expected]


@pytest.mark.parametrize("how", ["accept", "format"])
def test_csv_by_accept_or_format(srv, how):
    if how == "accept":
        status, headers, body = srv.get("/queries/objective-coverage", {"Accept": "text/csv"})
    else:
        status, headers, body = srv.get("/queries/objective-coverage?format=csv", {"Accept": HTML})
    assert status == 200 and headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert len(table) == 23 and table[6]["objective"] == "7"
    assert {"title_en", "title_es", "programmes"} <= set(table[0])


def test_tsv_and_xml(srv):
    status, headers, body = srv.get("/queries/objective-coverage?format=tsv")
    assert status == 200 and headers["content-type"].startswith("text/tab-separated-values")
    assert len(body.decode().strip().splitlines()) == 24
    status, headers, body = srv.get("/queries/objective-coverage", {"Accept": "application/sparql-results+xml"})
    assert status == 200 and headers["content-type"].startswith("application/sparql-results+xml")


def test_html_table_for_browsers(srv):
    status, headers, body = srv.get("/queries/objective-coverage", {"Accept": HTML})
    page = body.decode()
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert page.count("<tr>") >= 24  # header row and 23 objectives
    assert "Address and reduce vulnerabilities in migration" in page
    assert 'href="/queries/objective-coverage?format=csv"' in page
    assert '<form class="params"' in page


def test_parameters_are_bound_as_typed_terms(srv):
    status, _, body = srv.get("/queries/search" + qs(text="NIÑEZ"))
    assert status == 200
    rows = rows_of(body)
    assert rows and all(r["programme"].startswith("https://w3id.org/gcm-graph/id/programme/") for r in rows)
    status, _, folded = srv.get("/queries/search" + qs(text="ninez"))
    assert rows_of(folded) == rows  # accent- and case-insensitive
    # a value full of SPARQL syntax is one literal: no rows, no error
    status, _, body = srv.get("/queries/search" + qs(text='x" } UNION { ?programme ?p ?o } #'))
    assert status == 200 and rows_of(body) == []


def test_lang_parameter_changes_labels(srv):
    _, _, en = srv.get("/queries/objective-coverage?lang=en&format=json")
    _, _, es = srv.get("/queries/objective-coverage?lang=es&format=json")
    assert rows_of(en)[0]["programmes"] == rows_of(es)[0]["programmes"]


def test_empty_form_fields_count_as_not_given(srv):
    status, _, body = srv.get("/queries/objective-coverage?lang=&report=&country=")
    assert status == 200 and len(rows_of(body)) == 23


@pytest.mark.parametrize("query_string, problem", [
    ("?objective=abc", "takes no parameter 'objective'"),
    ("?lang=fr", "must be 'en' or 'es'"),
    ("?report=not a report", "expected a report slug"),
    ("?lang=en&lang=es", "given 2 times"),
])
def test_bad_parameters_are_400_listing_what_is_accepted(srv, query_string, problem):
    status, headers, body = srv.get("/queries/objective-coverage" + query_string.replace(" ", "%20"))
    message = body.decode()
    assert status == 400, message
    assert headers["content-type"].startswith("text/plain")
    assert problem in message
    assert "accepts: lang (optional, lang, default en); report (optional, report); country (optional, country)" \
        in message


def test_missing_required_parameter(srv):
    status, _, body = srv.get("/queries/search")
    assert status == 400
    assert "needs parameter text (required, text)" in body.decode()
    assert "accepts: text (required, text)" in body.decode()


def test_bad_parameter_in_a_browser_is_a_400_page_with_the_form(srv):
    hostile = '<script>alert("x")</script>'
    status, headers, body = srv.get("/queries/objective-coverage" + qs(lang=hostile), {"Accept": HTML})
    page = body.decode()
    assert status == 400 and headers["content-type"].startswith("text/html")
    assert "must be" in page and "accepts:" in page
    assert hostile not in page and "&lt;script&gt;" in page


def test_unknown_query_is_404_naming_the_known_ones(srv):
    status, _, body = srv.get("/queries/no-such-query")
    assert status == 404 and "objective-coverage" in body.decode()
    status, headers, body = srv.get("/queries/..%2Fsparql")
    assert status == 404
    status, headers, _ = srv.get("/queries/no-such-query", {"Accept": HTML})
    assert status == 404 and headers["content-type"].startswith("text/html")


def test_unknown_format_is_406(srv):
    status, _, body = srv.get("/queries/objective-coverage?format=pdf")
    assert status == 406 and "unsupported format" in body.decode()


def test_search_matches_the_sparql_endpoint(srv):
    """The canned query over HTTP gives what the same text gives at /sparql (the binding is the only change)."""
    from gcm_graph.queries import bind, by_name, render

    q = by_name("search")
    text = render(q, bind(q, {"text": "repatriación"}))
    direct = sparql_rows(srv, text)
    status, _, body = srv.get("/queries/search?" + urllib.parse.urlencode({"text": "repatriación"}))
    assert status == 200 and rows_of(body) == direct and direct


def test_every_canned_query_runs_with_its_example_as_a_page_and_as_csv(srv):
    from gcm_graph.server.canned import example_values

    for q in load_all():
        example = example_values(q)
        if any(p.required and p.name not in example for p in q.all_params):
            continue
        status, headers, body = srv.get(f"/queries/{q.name}" + (qs(**example) if example else ""), {"Accept": HTML})
        assert status == 200 and headers["content-type"].startswith("text/html"), (q.name, body[:300])
        status, _, body = srv.get(f"/queries/{q.name}" + qs(**example, format="csv"))
        header = next(csv.reader(io.StringIO(body.decode("utf-8"))))
        assert status == 200 and (not q.columns or header == list(q.columns)), (q.name, header)

"""Pages over hostile data, and a graph built with another IRI base.

The data here are what a careless or malicious source document could put in titles and labels (HTML, script,
attribute breakers, a ``javascript:`` link, a source file name that walks out of the folder). Every page must show
them as text: checked in the HTML over HTTP, then in a real Chromium that no script ran and no dialog opened.
The graph's base is ``http://data.example.org/gcm/``: with ``ServerConfig(base_url=…)`` the server answers for
it under ``/id/…``, and the default base's identifiers are unknown.
"""

from __future__ import annotations

import urllib.parse

import pyoxigraph as ox
import pytest
import rdflib

from gcm_graph.server import ServerConfig

from .support.browser import chromium
from .test_server_support import running_server, turtle_string
from .test_web_support import HTML

BASE = "http://data.example.org/gcm/"
SCRIPT = "<script>window.__pwned = 1</script>"
ATTRIBUTE = '"><img src=x onerror="window.__pwned=2">'
TEXTAREA = "</textarea><script>window.__pwned=3</script>"
SVG = "<svg onload=window.__pwned=4>"
PAYLOADS = (SCRIPT, ATTRIBUTE, TEXTAREA, SVG)
PROG = f"{BASE}id/programme/zz-2021/1-1"


def hostile_trig() -> str:
    g, i = f"<{BASE}graph/zz-2021>", f"{BASE}id/"
    return f"""@prefix gcm: <{BASE}ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
{g} {{
  <{i}report/zz-2021> a gcm:Report ; dcterms:title {turtle_string(SCRIPT)}@en ;
      gcm:sourceFile "../../../etc/passwd" ; gcm:sha256 "{'0' * 64}" .
  <{i}objective/1> a gcm:Objective ; gcm:objectiveNumber 1 ; skos:notation "1" ;
      skos:prefLabel {turtle_string("Objective " + SCRIPT)}@en, {turtle_string("Objetivo " + ATTRIBUTE)}@es .
  <{i}org/zz/a> a gcm:GovernmentAgency ; skos:prefLabel {turtle_string(ATTRIBUTE)}@en ; gcm:acronym {turtle_string(SVG)} .
  <{i}population/p> a gcm:TargetPopulation ; skos:prefLabel {turtle_string(SVG)}@en .
  <{PROG}> a gcm:ProgrammeEntry ; gcm:objective <{i}objective/1> ; gcm:entryNumber 1 ;
      gcm:report <{i}report/zz-2021> ; dcterms:title {turtle_string(SCRIPT)}@es ; rdfs:label {turtle_string(SCRIPT)}@es ;
      dcterms:description {turtle_string(TEXTAREA + " niñez")}@es ; gcm:responsibleAgency <{i}org/zz/a> ;
      gcm:targetPopulation <{i}population/p> ; gcm:printedAgency {turtle_string(ATTRIBUTE)} ;
      gcm:link <javascript:window.__pwned=5> ; gcm:firstLine 1 ; gcm:lastLine 3 ;
      gcm:result <{PROG}/result/1> ; gcm:challenge <{PROG}/challenge/1> .
  <{PROG}/result/1> a gcm:Result ; gcm:text {turtle_string(TEXTAREA)}@es ; gcm:position 1 ; gcm:depth 0 .
  <{PROG}/challenge/1> a gcm:Challenge ; gcm:text {turtle_string(SVG)}@es ; gcm:position 1 ; gcm:depth 0 .
}}
"""


@pytest.fixture(scope="module")
def srv():
    store = ox.Store()
    store.load(hostile_trig().encode("utf-8"), format=ox.RdfFormat.TRIG)
    with running_server(store, ServerConfig(base_url=BASE, workers=2)) as running:
        yield running


PAGES = ["/", "/id/programme/zz-2021/1-1", "/id/objective/1", "/id/org/zz/a", "/id/report/zz-2021",
         "/id/programme/zz-2021/1-1/result/1", "/search?text=ni%C3%B1ez",
         "/query?" + urllib.parse.urlencode({"query": f"SELECT * WHERE {{ ?s ?p ?o }} # {TEXTAREA}"}),
         "/queries/search?" + urllib.parse.urlencode({"text": SCRIPT})]


def test_identifiers_under_the_configured_base_resolve_here(srv):
    status, headers, body = srv.get("/id/programme/zz-2021/1-1", {"Accept": "text/turtle"})
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=body, format="turtle")
    assert (rdflib.URIRef(PROG), rdflib.URIRef(BASE + "ontology#entryNumber"), rdflib.Literal(1)) in g
    status, _, _ = srv.get("/id/objective/7", {"Accept": "text/turtle"})  # a default-base identifier
    assert status == 404


@pytest.mark.parametrize("path", PAGES)
def test_pages_show_hostile_text_as_text(srv, path):
    status, headers, body = srv.get(path, {"Accept": HTML})
    page = body.decode()
    assert status == 200, (path, page[:500])
    assert "script-src 'self'" in headers["content-security-policy"]
    for payload in PAYLOADS:
        assert payload not in page, (path, payload)
    assert 'href="javascript:' not in page.lower()
    assert "<script>" not in page  # our only script is <script src=…>


def test_programme_page_escapes_and_keeps_the_text(srv):
    _, _, body = srv.get("/id/programme/zz-2021/1-1", {"Accept": HTML})
    page = body.decode()
    assert "&lt;/textarea&gt;&lt;script&gt;window.__pwned=3&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;" in page
    assert "javascript:window.__pwned=5" in page  # shown, not linked
    assert "root:" not in page and "source-lines" not in page  # no file outside the sources folders is read


def test_no_script_runs_in_a_real_browser(srv):
    with chromium() as browser:
        tab = browser.page(1280)
        dialogs: list[str] = []
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in PAGES:
            tab.goto(srv.base + path)
            tab.wait_for_load_state("load")
            assert tab.evaluate("typeof window.__pwned") == "undefined", path
        assert dialogs == []
        # everything the pages asked for came from this server
        assert all(u.startswith(srv.base) for u in browser.console.requests), browser.console.requests

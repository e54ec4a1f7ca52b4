"""The web pages in a real headless Chromium (Debian's, see tests/support/browser.py) against the real server
over the real build: the front page's chart and links (desktop and phone widths), a search, the SPARQL editor
running a canned query and downloading CSV, a programme page with the document's own lines. Every test also
checks that the browser console stayed free of errors (script errors, CSP refusals, failed requests) and that
nothing was requested from another origin. Screenshots go to $GCM_SCREENSHOTS (default: a pytest temp folder).
"""

from __future__ import annotations

import csv
import io
import json
import os
import struct
from pathlib import Path

import pytest

from gcm_graph.queries import fold

from .support.browser import chromium
from .test_web_support import real_server, sparql_rows

DESKTOP, PHONE = 1280, 390


@pytest.fixture(scope="module")
def srv(built_dist):
    with real_server(built_dist) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


@pytest.fixture
def clean(browser, srv):
    """The console before and after a test: nothing wrong, nothing fetched from elsewhere."""
    browser.console.clear()
    yield browser.console
    assert browser.console.errors() == []
    assert [u for u in browser.console.requests if not u.startswith(srv.base)] == []


def coverage(srv) -> dict[int, int]:
    status, _, body = srv.get("/queries/objective-coverage?format=json")
    assert status == 200
    rows = json.loads(body)["results"]["bindings"]
    return {int(r["objective"]["value"]): int(r["programmes"]["value"]) for r in rows}


def count_of(srv, cls: str) -> int:
    return int(sparql_rows(srv, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {cls} }}")[0]["n"])


def test_front_page_chart_and_links_on_a_desktop(browser, srv, clean):
    tab = browser.page(DESKTOP)
    tab.goto(srv.base + "/")
    chart = tab.locator("svg.chart-columns")
    assert chart.is_visible() and not tab.locator("svg.chart-rows").is_visible()
    bars = chart.locator("rect.bar")
    assert bars.count() == 23
    expected = coverage(srv)
    drawn = {int(bars.nth(i).get_attribute("data-objective")): int(bars.nth(i).get_attribute("data-programmes"))
             for i in range(23)}
    assert drawn == expected and sum(drawn.values()) > 100
    # heights are proportional to the counts (the tallest bar is the largest count)
    heights = {int(bars.nth(i).get_attribute("data-objective")): bars.nth(i).bounding_box()["height"]
               for i in range(23)}
    top = max(expected, key=expected.get)
    assert max(heights, key=heights.get) == top
    assert all((heights[n] > 0) == (expected[n] > 0) for n in expected)
    title = bars.nth(6).locator("title").text_content()
    assert "Objective 7" in title and "Objetivo 7" in title  # bilingual
    # links to every objective, agency, partner and population page
    hrefs = set(tab.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"))
    assert {f"/id/objective/{n}" for n in range(1, 24)} <= hrefs
    assert tab.locator("ul.agencies a").count() == count_of(srv, "gcm:GovernmentAgency")
    assert tab.locator("ul.partners a").count() == count_of(srv, "gcm:InternationalOrganisation")
    assert tab.locator("ul.populations a").count() == count_of(srv, "gcm:TargetPopulation")
    # a bar is a link to its objective
    chart.locator("a.bar-link").nth(6).click()
    tab.wait_for_url(srv.base + "/id/objective/7")
    assert "Address and reduce vulnerabilities" in tab.locator("h1").inner_text()
    tab.close()


def test_front_page_on_a_phone(browser, srv, clean):
    tab = browser.page(PHONE, 844)
    tab.goto(srv.base + "/")
    rows = tab.locator("svg.chart-rows")
    assert rows.is_visible() and not tab.locator("svg.chart-columns").is_visible()
    assert rows.locator("rect.bar").count() == 23
    box = rows.bounding_box()
    assert box["width"] <= PHONE and box["width"] > PHONE * 0.8
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE  # nothing wider than the screen
    assert tab.evaluate("getComputedStyle(document.body).fontSize") == "16px"
    tab.close()


def test_search_returns_results(browser, srv, clean):
    tab = browser.page(DESKTOP)
    tab.goto(srv.base + "/")
    tab.fill("#search-text", "niñez")
    tab.press("#search-text", "Enter")
    tab.wait_for_url("**/search?text=*")
    status, _, body = srv.get("/queries/search?format=json&text=ni%C3%B1ez")
    expected = {b["programme"]["value"] for b in json.loads(body)["results"]["bindings"]}
    hits = tab.locator("li.hit")
    assert hits.count() == len(expected) > 0
    marks = tab.locator("li.hit mark").all_inner_texts()
    assert marks and all(fold(m) == "ninez" for m in marks)
    hits.first.locator("h3 a").click()
    tab.wait_for_url("**/id/programme/**")
    assert tab.locator("h1 .key").is_visible()
    tab.close()


def test_query_page_runs_a_canned_query_and_downloads_csv(browser, srv, clean):
    tab = browser.page(DESKTOP)
    tab.goto(srv.base + "/query")
    tab.select_option("#examples", "objective-coverage")
    assert "gcm:objectiveNumber" in tab.input_value("#query")
    with tab.expect_response(lambda r: r.url.endswith("/sparql") and r.request.method == "POST") as answer:
        tab.click("#run")
    assert answer.value.status == 200
    rows = tab.locator("#results table tbody tr")
    rows.nth(22).wait_for()
    assert rows.count() == 23
    assert tab.locator("#results table thead th").all_inner_texts()[:3] == ["objective", "title_en", "title_es"]
    assert "23 rows" in tab.locator("#results .count").inner_text()
    with tab.expect_download() as download:
        tab.click("#download")
    content = Path(download.value.path()).read_text(encoding="utf-8")
    table = list(csv.DictReader(io.StringIO(content)))
    assert len(table) == 23 and {int(r["objective"]): int(r["programmes"]) for r in table} == coverage(srv)
    tab.close()


def test_query_page_reports_a_malformed_query(browser, srv):
    tab = browser.page(DESKTOP)
    tab.goto(srv.base + "/query")
    tab.fill("#query", "SELECT * WHERE {")
    tab.click("#run")
    error = tab.locator("#results .error")
    error.wait_for()
    assert "malformed query" in error.inner_text()
    tab.close()
    browser.console.clear()  # the 400 is logged by Chromium as a failed resource, as it should be


def test_query_page_shows_a_graph_as_turtle(browser, srv, clean):
    tab = browser.page(DESKTOP)
    tab.goto(srv.base + "/query")
    tab.fill("#query", "CONSTRUCT { obj:7 ?p ?o } WHERE { obj:7 ?p ?o }")
    assert "format=ttl" in tab.get_attribute("#download", "href")
    tab.click("#run")
    graph = tab.locator("#results pre.graph")
    graph.wait_for()
    assert "skos:prefLabel" in graph.inner_text()
    tab.close()


def test_programme_page_shows_the_source(browser, srv, clean):
    tab = browser.page(DESKTOP)
    tab.goto(srv.base + "/id/programme/mx-2020/7-3")
    assert tab.locator("h1 .key").inner_text() == "7-3"
    lines = tab.locator("ol.source-lines li")
    assert lines.count() == 15 and tab.locator("ol.source-lines").get_attribute("start") == "1114"
    assert lines.first.inner_text().startswith("### 3. Visitante por Razones Humanitarias")
    assert tab.locator("table.source-table tr").count() == 3
    assert tab.locator("table.figures-table tbody tr").count() == 8
    assert tab.locator("dl.facts").inner_text().count("personas") >= 1  # Spanish beside English labels
    tab.close()


def png_size(path: Path) -> tuple[int, int]:
    with open(path, "rb") as fh:
        head = fh.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_screenshots(browser, srv, clean, tmp_path, width):
    folder = Path(os.environ.get("GCM_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    tab = browser.page(width)
    for name, path in (("front", "/"), ("programme", "/id/programme/mx-2020/7-3")):
        tab.goto(srv.base + path)
        target = folder / f"{name}-{width}.png"
        tab.screenshot(path=str(target), full_page=True)
        shot_width, shot_height = png_size(target)
        assert shot_width == width and shot_height > 600  # nothing wider than the viewport
    tab.close()

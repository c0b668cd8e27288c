"""The UI in a real headless browser (Debian chromium through Playwright, never a downloaded
browser): run an example query, see rows, follow a result to its resource page, see the chart
views, share a query by URL, and check that a document containing ``<script>`` stays text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from ui_fixtures import SCRIPT, UiServer

from browser_support import launch_chromium, open_page

pytestmark = pytest.mark.browser

TIMEOUT_MS = 20_000
ACTIVE = ".tabPanel.active"  # YASGUI keeps one panel per tab; only the selected one shows

COUNT_BY_STATE = """PREFIX rcm: <https://w3id.org/rcm-graph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?state (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?meeting) AS ?meetings) WHERE {
  ?meeting rcm:hasParticipation/rcm:participant ?state .
  ?state a rcm:State ; rdfs:label ?l FILTER(lang(?l) = "en")
} GROUP BY ?state ORDER BY DESC(?meetings)"""


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from launch_chromium()


@pytest.fixture()
def page(browser: object, ui_server: UiServer, request: pytest.FixtureRequest) -> Iterator[object]:
    """A page 1,360 px wide, or as wide as an indirect parameter says."""
    width = getattr(request, "param", 1360)
    yield from open_page(
        browser, ui_server.url, width=width, timeout_ms=TIMEOUT_MS, console_errors=True
    )


def assert_no_sideways_scroll(pg: object) -> None:
    scroll, inner = pg.evaluate(  # type: ignore[attr-defined]
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll <= inner, f"the page scrolls sideways: scrollWidth {scroll} > {inner}"


def test_example_query_shows_rows_that_link_to_resource_pages(page: object) -> None:
    pg = page
    pg.goto("/query")
    pg.click('button[data-name="meetings"]')
    rows = pg.locator(ACTIVE + " .yasr table.dataTable tbody tr")
    rows.first.wait_for()
    assert rows.count() == 2
    assert "Ninth Plenary Meeting" in pg.locator(ACTIVE + " .yasr table.dataTable").inner_text()
    link = pg.locator(ACTIVE + ' .yasr table.dataTable a[href^="/id/meeting/"]').first
    href = link.get_attribute("href")
    link.click(position={"x": 8, "y": 6})  # the cell is ellipsed: click the visible start
    pg.wait_for_url("**" + href)
    assert pg.locator("h1").inner_text() in ("Ninth Plenary Meeting", "Tenth Plenary Meeting")
    assert pg.locator("#evidence blockquote").count() >= 1
    assert not [e for e in pg.errors if "Content Security Policy" in e], pg.errors


def test_bar_chart_and_timeline_views_draw_svg(page: object) -> None:
    pg = page
    pg.goto("/query?query=" + quote(COUNT_BY_STATE))
    pg.locator(ACTIVE + " .yasr table.dataTable tbody tr").first.wait_for()
    pg.click(ACTIVE + " .yasr .select_barchart")
    bars = pg.locator(ACTIVE + " .yasr svg.chart-bar rect.bar")
    bars.first.wait_for()
    assert bars.count() == 2
    labels = pg.locator(ACTIVE + " .yasr svg.chart-bar").text_content() or ""
    assert "Panama" in labels and "Costa Rica" in labels

    pg.goto("/query")
    pg.click('button[data-name="meetings"]')
    pg.locator(ACTIVE + " .yasr table.dataTable tbody tr").first.wait_for()
    pg.click(ACTIVE + " .yasr .select_timeline")
    dots = pg.locator(ACTIVE + " .yasr svg.chart-timeline circle.dot")
    dots.first.wait_for()
    assert dots.count() == 2
    assert "2031-03-12" in pg.locator(ACTIVE + " .yasr svg.chart-timeline").text_content() or ""


def test_share_link_reopens_the_same_query(page: object, ui_server: UiServer) -> None:
    pg = page
    pg.goto("/query?query=" + quote(COUNT_BY_STATE))
    pg.locator(ACTIVE + " .yasr table.dataTable tbody tr").first.wait_for()
    pg.click("#share-link")
    url = pg.locator("#share-url").input_value()
    assert url.startswith(ui_server.url + "/query?query=")
    pg.goto(url)
    pg.locator(ACTIVE + " .yasr table.dataTable tbody tr").first.wait_for()
    editor = pg.evaluate("window.rcmYasgui.getTab().getQuery()")
    assert editor.strip() == COUNT_BY_STATE.strip()


def test_add_prefixes_declares_the_project_prefixes(page: object) -> None:
    pg = page
    pg.goto("/query?run=0&query=" + quote("SELECT * WHERE { ?s a rcm:Meeting }"))
    pg.wait_for_function("window.rcmYasgui && window.rcmYasgui.getTab().getQuery().length > 0")
    pg.click("#add-prefixes")
    text = pg.evaluate("window.rcmYasgui.getTab().getQuery()")
    assert "PREFIX rcm: <https://w3id.org/rcm-graph/ontology#>" in text
    assert "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>" in text


def test_csv_download_has_the_result_rows(page: object) -> None:
    pg = page
    pg.goto("/query?query=" + quote(COUNT_BY_STATE))
    pg.locator(ACTIVE + " .yasr table.dataTable tbody tr").first.wait_for()
    with pg.expect_download() as info:
        pg.click("#download-csv")
    lines = Path(info.value.path()).read_text(encoding="utf-8").strip().splitlines()
    assert lines[0].split(",") == ["state", "label", "meetings"]
    assert len(lines) == 3


def test_document_with_script_does_not_execute_it(page: object) -> None:
    pg = page
    pg.goto("/id/document/hostile-communique")
    text = pg.locator("#doc-text").inner_text()
    assert SCRIPT in text
    assert pg.evaluate("typeof window.__xss") == "undefined"
    assert pg.title() != "pwned" and "pwned" not in pg.title()
    assert pg.locator("#doc-text script").count() == 0
    assert pg.locator("h1").inner_text() == "Communiqué <b>bold</b> & <i>co</i>"


def test_fragment_link_highlights_the_span(page: object) -> None:
    pg = page
    pg.goto("/id/document/hostile-communique#span-220-236")
    marked = pg.locator("mark.target")
    marked.first.wait_for()
    assert marked.inner_text() == "Panama took part"


def test_browse_pages_show_charts_and_link_to_their_query(page: object) -> None:
    pg = page
    pg.goto("/browse/objectives")
    assert pg.locator("svg.chart-bar rect.bar").count() == 23
    pg.goto("/browse/meetings")
    assert pg.locator("svg.chart-timeline circle.dot").count() == 2
    pg.click("text=open the query behind this page")
    pg.locator(ACTIVE + " .yasr table.dataTable tbody tr").first.wait_for()
    assert pg.locator(ACTIVE + " .yasr table.dataTable tbody tr").count() == 2


@pytest.mark.parametrize("page", [1366, 390], ids=["desktop", "phone"], indirect=True)
def test_language_switch_turns_the_interface_and_the_labels_spanish(page: object) -> None:
    """The header's switch (issue 19, point 9): the same page in Spanish, interface text and
    labels; the choice stays while navigating, and the suggestions name kinds in Spanish. At
    both widths, and the longer Spanish text never makes a page scroll sideways."""
    pg = page
    pg.goto("/browse/states")
    assert pg.locator("html").get_attribute("lang") == "en"
    assert pg.locator("h1").inner_text().startswith("States")
    pg.click(".lang-switch a[hreflang=es]")
    pg.wait_for_url("**/browse/states?lang=es")
    assert pg.locator("html").get_attribute("lang") == "es"
    assert pg.locator("h1").inner_text().startswith("Estados")
    assert pg.locator('table.data a[href^="/id/state/PAN"]').inner_text() == "Panamá"
    assert_no_sideways_scroll(pg)
    pg.click('.main-nav a[href^="/browse/meetings"]')  # the header's links keep the language
    pg.wait_for_url("**/browse/meetings?lang=es")
    assert pg.locator("h1").inner_text().startswith("Reuniones")
    assert_no_sideways_scroll(pg)
    pg.goto("/id/state/PAN")  # no parameter: the cookie the switch set keeps it Spanish
    assert pg.locator("h1").inner_text() == "Panamá"
    assert pg.locator("#meetings h2").inner_text().startswith("Reuniones en las que participó")
    assert_no_sideways_scroll(pg)
    pg.locator("#site-search").press_sequentially("panam", delay=20)
    option = pg.locator("#site-search-list li").first
    option.wait_for()
    assert option.locator(".kind").inner_text() == "Estado"
    assert_no_sideways_scroll(pg)
    # the query page: the pager in Spanish, the @es label beside the IRI in the result table
    pg.goto("/query?query=" + quote(COUNT_BY_STATE))
    pg.locator(ACTIVE + " .rcm-pager-status").first.wait_for()
    assert pg.locator(ACTIVE + " .rcm-pager-status").first.inner_text().startswith("Filas 1–")
    label = pg.locator(ACTIVE + ' td[data-iri$="/state/PAN"] .iri-label')
    label.wait_for()
    assert label.inner_text() == "Panamá"
    assert_no_sideways_scroll(pg)
    pg.goto("/id/state/PAN")
    # the switch is a link in the tab order: back to English from the keyboard
    pg.focus(".lang-switch a[hreflang=en]")
    pg.keyboard.press("Enter")
    pg.wait_for_url("**/id/state/PAN?lang=en")
    assert pg.locator("html").get_attribute("lang") == "en"
    assert not pg.errors, pg.errors

"""Layouts in headless chromium at 1,366 px and 390 px, and the readable sections (issue 19).

No page may scroll sideways at either width (``document.documentElement.scrollWidth`` at most
``window.innerWidth``): wide tables scroll inside their panel, long IRIs and texts wrap. At
1,366 px nothing needs that inner scroll either: a panel whose table is wider than the panel
fails, so a long commitment kept on one line (``white-space: nowrap`` once made that table
2,235 px wide) is caught although the page itself would not scroll. No table header breaks
inside a word ("objectiv|e") at either width, no table column is squeezed to a sliver, and no
chart text is drawn under 8 px high. The
meeting page names its participants (labels, not participation IRIs) with their roles and a
link to the quote. One server (the session's) and one browser for the module; the pages are
visited in a loop, one browser context per width.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from ui_fixtures import BASE, LONG_COMMITMENT, UiServer

from browser_support import launch_chromium

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
EXAMPLES = """PREFIX rcm: <https://w3id.org/rcm-graph/ontology#>
SELECT ?kind ?iri WHERE {
  { ?iri a rcm:Meeting BIND("meeting" AS ?kind) }
  UNION { ?iri a rcm:Commitment BIND("commitment" AS ?kind) }
  UNION { ?iri a rcm:Document BIND("document" AS ?kind) }
} ORDER BY ?kind ?iri"""
# Long variable names are the long column headers of a result table.
QUERY = """SELECT ?subjectOfTheTriple ?predicateLinkingThem ?objectOrLiteralValue
WHERE { ?subjectOfTheTriple ?predicateLinkingThem ?objectOrLiteralValue } LIMIT 30"""

# Every word of every visible table header (and of Swagger UI's section descriptions, once
# squeezed to a word's width at 390 px) on one line: a word whose characters give client
# rectangles on two lines was broken inside it ("objectiv" / "e"); a header whose text is
# wider than its cell sticks out of it. Words are split at spaces, hyphens and slashes, where
# a break is fine.
BROKEN_HEADERS = """() => {
  const broken = [];
  for (const th of document.querySelectorAll("thead th, .swagger-ui .opblock-tag small")) {
    if (!th.getClientRects().length) continue;
    if (th.scrollWidth > th.clientWidth + 1) broken.push("wider than its cell: " + th.innerText);
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/[^\\s\\-\\u2013\\/]+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push("word broken: " + word[0] + " in " + th.innerText);
      }
    }
  }
  return broken;
}"""
# Panels (and the query page's table box) wider inside than outside: they scroll sideways.
SCROLLING_PANELS = """() => [...document.querySelectorAll(".panel, .table-scroll")]
  .filter((el) => el.getClientRects().length && el.scrollWidth > el.clientWidth + 1)
  .map((el) => (el.id || el.className) + " " + el.scrollWidth + " > " + el.clientWidth)"""

# Table cells squeezed to a sliver: a column a few characters wide holding a longer text
# (the downloads' SHA-256 column once got 5 px at 390 px, its hash 64 lines high).
SQUEEZED_CELLS = """() => [...document.querySelectorAll("td")]
  .filter((td) => td.getClientRects().length && td.innerText.trim().length > 6)
  .filter((td) => td.getBoundingClientRect().width < 48)
  .slice(0, 3).map((td) => td.innerText.trim().slice(0, 30) + " " +
    Math.round(td.getBoundingClientRect().width) + " px wide")"""
# Chart text drawn smaller than 8 px (a chart scaled down to a phone's width once drew its
# 12-unit labels 5 px high): its first such text and how high it is.
TINY_CHART_TEXT = """() => [...document.querySelectorAll("svg.chart text")]
  .map((t) => [t.textContent, t.getBoundingClientRect().height])
  .filter(([, height]) => height > 0 && height < 8).slice(0, 1)"""


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from launch_chromium()


@pytest.fixture(scope="module")
def examples(ui_server: UiServer) -> dict[str, list[str]]:
    """Kind -> local paths of every meeting, commitment and document of the fixture data."""
    response = httpx.post(
        ui_server.url + "/sparql",
        data={"query": EXAMPLES},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    found: dict[str, list[str]] = {}
    for row in response.json()["results"]["bindings"]:
        found.setdefault(row["kind"]["value"], []).append(row["iri"]["value"].replace(BASE, "/"))
    return found


def every_page(examples: dict[str, list[str]]) -> list[str]:
    meetings = examples["meeting"]
    english = [
        "/",
        "/browse/meetings",
        "/browse/states",
        "/browse/objectives",
        "/browse/commitments",
        "/downloads",
        "/shapes",
        "/ontology",
        "/.well-known/void",
        "/query?query=" + quote(QUERY),
        "/queries",
        "/queries/meetings-in-country",
        "/queries/meetings-in-country?country=PAN",  # the form page with its results
        "/search?q=an",  # the search results page
        "/docs",
        *meetings,
        *examples["commitment"],
        *examples["document"],
        "/id/state/PAN",
        "/id/org/iom",
        "/id/person/ana-maria-ejemplo",
        "/id/no-such-resource",  # the error page
    ]
    # Spanish words are longer ("Responsable", "Objetivos del PMM"); ?lang=es sets the cookie,
    # so these come last, and ?lang=en then turns the rest back.
    spanish = ["/browse/commitments", "/shapes", meetings[-1], "/id/person/ana-maria-ejemplo"]
    return english + [path + "?lang=es" for path in spanish]


def settle(page: object, path: str) -> None:
    """Wait for what scripts draw after loading: the result table, Swagger UI's operations."""
    if path.startswith("/query?"):
        page.locator(".tabPanel.active .yasr table tbody tr").first.wait_for()  # type: ignore[attr-defined]
    elif path == "/docs":
        page.locator(".swagger-ui .opblock").first.wait_for()  # type: ignore[attr-defined]


@pytest.mark.parametrize("device", WIDTHS)
def test_no_page_scrolls_sideways_and_no_header_breaks_a_word(
    browser: object, ui_server: UiServer, examples: dict[str, list[str]], device: str
) -> None:
    width, height = WIDTHS[device]
    context = browser.new_context(  # type: ignore[attr-defined]
        base_url=ui_server.url, viewport={"width": width, "height": height}
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    problems = []
    for path in every_page(examples):
        page.goto(path)
        settle(page, path)
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            problems.append(f"{path}: scrollWidth {scroll} > {inner}")
        problems += [f"{path}: {p}" for p in page.evaluate(BROKEN_HEADERS)]
        problems += [f"{path}: squeezed cell {p}" for p in page.evaluate(SQUEEZED_CELLS)]
        problems += [
            f"{path}: chart text {t!r} {h:.1f} px" for t, h in page.evaluate(TINY_CHART_TEXT)
        ]
        if device == "desktop":
            problems += [f"{path}: panel scrolls: {p}" for p in page.evaluate(SCROLLING_PANELS)]
    # the header's search with its suggestions open, in both languages (the longer Spanish
    # menu wraps the box onto a row of its own; its suggestions once opened off the left edge)
    for lang in ("en", "es"):
        page.goto("/browse/states?lang=" + lang)
        page.locator("#site-search").press_sequentially("Estados", delay=10)
        page.locator("#site-search-list li").first.wait_for()
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            problems.append(f"{lang} suggestions open: scrollWidth {scroll} > {inner}")
        box = page.locator("#site-search-list").bounding_box()
        if box is None or box["x"] < 0 or box["x"] + box["width"] > inner:
            problems.append(f"{lang} suggestions outside the window: {box}")
    context.close()
    assert not problems, "\n".join(problems)


def test_long_commitment_wraps_in_the_commitments_table(
    browser: object, ui_server: UiServer
) -> None:
    """The fixture's long commitment is in the table (so the layout test sees it) and wraps."""
    context = browser.new_context(  # type: ignore[attr-defined]
        base_url=ui_server.url, viewport={"width": 1366, "height": 900}
    )
    page = context.new_page()
    page.goto("/browse/commitments")
    cell = page.locator("table.data td.text", has_text=LONG_COMMITMENT[:60])
    assert cell.count() == 1
    table_width = page.locator("table.data").bounding_box()["width"]
    assert table_width <= 1366, table_width
    line = page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight) || 20")
    assert cell.bounding_box()["height"] > 2 * line  # several lines, not one
    context.close()


def test_meeting_page_names_participants_with_roles_and_quotes(
    browser: object, ui_server: UiServer, examples: dict[str, str]
) -> None:
    context = browser.new_context(  # type: ignore[attr-defined]
        base_url=ui_server.url, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.goto(examples["meeting"][0])
    section = page.locator("section#participants")
    rows = section.locator("tbody tr")
    names = sorted(rows.nth(i).locator("td").first.inner_text() for i in range(rows.count()))
    assert names == ["Costa Rica", "Panama"]
    text = section.inner_text()
    assert "host" in text and "participant" in text
    assert "/id/participation/" not in text and "https://" not in text
    quote_link = section.locator("a.quote-link").first.get_attribute("href") or ""
    assert quote_link.startswith("/id/document/") and "?highlight=" in quote_link
    # the property table is still there, below the sections
    assert page.locator("section#participants ~ section table.props").count() >= 1
    context.close()

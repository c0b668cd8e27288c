"""Layouts in headless chromium at 1,366 px and 390 px, and the readable sections (issue 19).

No page may scroll sideways at either width (``document.documentElement.scrollWidth`` at most
``window.innerWidth``): wide tables scroll inside their panel, long IRIs and texts wrap. The
meeting page names its participants (labels, not participation IRIs) with their roles and a
link to the quote. One server (the session's) and one browser for the module; the pages are
visited in a loop, one browser context per width.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from ui_fixtures import BASE, UiServer

from browser_support import launch_chromium

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
EXAMPLES = """PREFIX rcm: <https://w3id.org/rcm-graph/ontology#>
SELECT ?kind ?iri WHERE {
  { SELECT ("meeting" AS ?kind) (MIN(?m) AS ?iri) WHERE { ?m a rcm:Meeting } }
  UNION { SELECT ("commitment" AS ?kind) (MIN(?c) AS ?iri) WHERE { ?c a rcm:Commitment } }
  UNION { SELECT ("document" AS ?kind) (MIN(?d) AS ?iri) WHERE { ?d a rcm:Document } }
}"""
QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 30"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from launch_chromium()


@pytest.fixture(scope="module")
def examples(ui_server: UiServer) -> dict[str, str]:
    """Kind -> local path of a meeting, a commitment and a document of the fixture data."""
    response = httpx.post(
        ui_server.url + "/sparql",
        data={"query": EXAMPLES},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    rows = response.json()["results"]["bindings"]
    return {r["kind"]["value"]: r["iri"]["value"].replace(BASE, "/") for r in rows}


def every_page(examples: dict[str, str]) -> list[str]:
    return [
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
        examples["meeting"],
        examples["commitment"],
        examples["document"],
        "/id/state/PAN",
        "/id/no-such-resource",  # the error page
    ]


def test_no_page_scrolls_sideways_at_desktop_or_phone_width(
    browser: object, ui_server: UiServer, examples: dict[str, str]
) -> None:
    overflowing = []
    for device, (width, height) in WIDTHS.items():
        context = browser.new_context(  # type: ignore[attr-defined]
            base_url=ui_server.url, viewport={"width": width, "height": height}
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        for path in every_page(examples):
            page.goto(path)
            if path.startswith("/query"):
                page.locator(".tabPanel.active .yasr table tbody tr").first.wait_for()
            scroll, inner = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            if scroll > inner:
                overflowing.append(f"{device} {path}: scrollWidth {scroll} > {inner}")
        context.close()
    assert not overflowing, "\n".join(overflowing)


def test_meeting_page_names_participants_with_roles_and_quotes(
    browser: object, ui_server: UiServer, examples: dict[str, str]
) -> None:
    context = browser.new_context(  # type: ignore[attr-defined]
        base_url=ui_server.url, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.goto(examples["meeting"])
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

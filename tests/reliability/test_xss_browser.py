"""Hostile markup in a source document never runs in a reader's browser.

End to end with real parts: a tiny corpus whose documents carry ``<script>``, ``onerror`` and
``onload`` payloads in the title, the meeting name, the place, statements and commitments is
built with the real pipeline, served by the real server, and every page reachable from the
home page, the browse pages and the documents' pages is opened in headless Debian Chromium.
Each payload would set ``window.__pwned`` (or open a dialog): neither may happen, and the
payload must be visible as text on the document page (so the test sees the data at all).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from reliability_support import Server, build_dataset, need

import rcm_graph.web.server as web_server
from browser_support import launch_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MAX_PAGES = 60
# Links to raw data (downloads, other RDF syntaxes) start a download, not a page.
RAW = re.compile(r"\.(nt|ttl|jsonld|rdf|owl|xml|csv|tsv|json|nq|trig|gz)$|format=|^/downloads/")
# Pages whose scripts fetch after the load event (query.js runs the query and fetches labels,
# api-docs.js loads the OpenAPI document) are waited on until the network is idle. WHY only
# those: every other page is rendered by the server and its scripts fetch nothing, so every
# payload in it has run by the load event (inline scripts while parsing, onerror/onload before
# the window's load), and networkidle's fixed 500 ms of quiet per page was most of this test's
# 40 s in CI. A task queued while loading (an ontoggle) runs in the macrotask turn after load.
# Visit.open fails if any other page makes a fetch/XHR request, so a page that starts fetching
# data is caught and must be added here.
FETCHING_PAGES = ("/query", "/docs")

HOSTILE_EN = """Joint Communiqué <script>window.__pwned='title'</script>

Regional Conference on Migration (RCM)

<img src=x onerror="window.__pwned='heading'"> Plenary Meeting
Panama City <svg onload="window.__pwned='place'"> - Republic of Panama
August 23rd, 2023

In Panama City, Republic of Panama, on August 23, 2023, the Regional Conference on Migration \
(RCM) held its <script>window.__pwned='meeting'</script> Plenary Meeting, with the \
participation of representatives from Mexico, Costa Rica and Canada.

The Government of Mexico proposed to hold a workshop on <img src=x \
onerror="alert('statement')"> labour migration.

1. The Member States agreed to strengthen regional cooperation against trafficking in persons \
<a href="javascript:window.__pwned='href'">click</a> by December 31, 2024.

2. The Technical Secretariat will prepare a report on remittances \
"><script>window.__pwned='attribute'</script> before the next meeting.
"""

HOSTILE_ES = """Declaración <iframe srcdoc="<script>parent.__pwned='iframe'</script>"></iframe>

Conferencia Regional sobre Migración (CRM)

Reunión Viceministerial <body onload="window.__pwned='body'">
Ciudad de Guatemala, 15 de marzo de 2024

Los Países Miembros acordaron <details open ontoggle="window.__pwned='toggle'"> fortalecer \
la protección consular de las personas migrantes antes del 30 de junio de 2025.
"""


@pytest.fixture(scope="module")
def hostile_server(
    built_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    need(web_server, "run_server")
    base = tmp_path_factory.mktemp("xss")
    corpus = base / "corpus"
    corpus.mkdir()
    (corpus / "hostile-communique.txt").write_text(HOSTILE_EN, encoding="utf-8")
    (corpus / "declaracion-hostil.md").write_text(HOSTILE_ES, encoding="utf-8")
    # Start from a copy of the session data directory: its cache spares the reference reasoning.
    data_dir = base / "data"
    shutil.copytree(built_data_dir, data_dir, symlinks=True)
    build_dataset(data_dir, corpus)
    server = Server(data_dir=data_dir).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from launch_chromium()


class Visit:
    """Opens pages in one browser context and records anything that ran."""

    def __init__(self, browser: object, base_url: str) -> None:
        self.context = browser.new_context(base_url=base_url)  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.dialogs: list[str] = []
        self.page.on("dialog", self._dialog)
        self.fetched: list[str] = []
        self.page.on(
            "request",
            lambda r: self.fetched.append(r.url) if r.resource_type in ("fetch", "xhr") else None,
        )
        self.base_url = base_url

    def _dialog(self, dialog: object) -> None:
        self.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    def open(self, path: str) -> list[str]:
        """Open ``path``, wait for it to settle, assert nothing ran; return same-site links."""
        fetches = urlsplit(path).path.startswith(FETCHING_PAGES)
        self.fetched.clear()
        response = self.page.goto(path, wait_until="networkidle" if fetches else "load")
        assert response is not None and response.status < 500, (path, response)
        self.page.evaluate("() => new Promise(done => setTimeout(done, 0))")
        assert fetches or not self.fetched, f"{path} fetches {self.fetched}: see FETCHING_PAGES"
        pwned = self.page.evaluate("() => window.__pwned")
        assert pwned is None, f"{path}: payload {pwned!r} executed"
        assert self.dialogs == [], f"{path}: dialog opened: {self.dialogs}"
        hrefs: list[str] = self.page.eval_on_selector_all(
            "a[href]", "els => els.map(e => e.getAttribute('href'))"
        )
        links = []
        for href in hrefs:
            parts = urlsplit(href)
            same_site = parts.scheme in ("", "http") and (
                not parts.netloc or href.startswith(self.base_url)
            )
            page_like = parts.path.startswith("/") and not RAW.search(parts.path + parts.query)
            if same_site and page_like:
                links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        return links


def test_no_page_runs_markup_from_the_documents(browser: object, hostile_server: Server) -> None:
    visit = Visit(browser, hostile_server.base_url)
    try:
        document_paths = ["/id/document/hostile-communique", "/id/document/declaracion-hostil"]
        text = ""
        queue = [*document_paths, "/", "/browse/meetings", "/browse/commitments"]
        queue += ["/browse/states", "/browse/objectives", "/query"]
        seen: set[str] = set()
        while queue and len(seen) < MAX_PAGES:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            links = visit.open(path)
            if path in document_paths:
                text += visit.page.inner_text("body")
                # Follow what the document page links to: meetings, actors, spans, queries.
                queue[0:0] = [link for link in links if link not in seen]
        assert "<script>window.__pwned='title'</script>" in text, "payload not shown as text"
        assert "onerror=" in text
        assert len(seen) >= 10, f"only {len(seen)} pages reached: {sorted(seen)}"
    finally:
        visit.context.close()


def test_query_results_showing_the_payload_do_not_run_it(
    browser: object, hostile_server: Server
) -> None:
    """The query page renders literals from the data in its result table: still text."""
    query = (
        "PREFIX rcm: <https://w3id.org/rcm-graph/ontology#>\n"
        "SELECT ?doc ?text WHERE { ?doc rcm:fullText ?text }"
    )
    visit = Visit(browser, hostile_server.base_url)
    try:
        visit.open("/query?query=" + quote(query))
        results = visit.page.locator(".tabPanel.active .yasr")
        results.locator("table tbody tr").first.wait_for()
        visit.page.wait_for_timeout(500)
        assert visit.page.evaluate("() => window.__pwned") is None
        assert visit.dialogs == []
        assert "window.__pwned" in results.inner_text()
    finally:
        visit.context.close()

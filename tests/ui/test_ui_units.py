"""Pure parts of the UI: Accept negotiation, extensions, span segmentation, IRI binding."""

from __future__ import annotations

import httpx
import pytest
from ui_fixtures import UiServer

from rcm_graph.web.ui import page_queries, query_page
from rcm_graph.web.ui.conneg import (
    HTML,
    JSON_LD,
    N_TRIPLES,
    RDF_XML,
    TURTLE,
    negotiate,
    split_extension,
)
from rcm_graph.web.ui.document_view import FactSpan, parse_highlight, segments


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, HTML),
        ("*/*", HTML),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", HTML),
        ("text/turtle", TURTLE),
        ("application/rdf+xml, text/turtle;q=0.8", RDF_XML),
        ("text/turtle;q=0.2, application/ld+json;q=0.7, */*;q=0.1", JSON_LD),
        ("application/n-triples;q=1, text/html;q=0.5", N_TRIPLES),
        ("text/*", HTML),
        ("image/png", None),
        ("text/turtle;q=0", None),
    ],
)
def test_negotiate(accept: str | None, expected: object) -> None:
    assert negotiate(accept) is expected


def test_split_extension_only_strips_known_rdf_extensions() -> None:
    assert split_extension("state/PAN.ttl") == ("state/PAN", TURTLE)
    assert split_extension("state/PAN.jsonld") == ("state/PAN", JSON_LD)
    assert split_extension("span/doc/1-2") == ("span/doc/1-2", None)
    assert split_extension("a.b/c") == ("a.b/c", None)
    assert split_extension("doc.exe") == ("doc.exe", None)


def test_overlapping_spans_are_cut_into_marked_segments() -> None:
    text = "abcdefghij"
    spans = [FactSpan("f1", None, None, 2, 8), FactSpan("f2", None, None, 4, 6)]
    segs = segments(text, spans, (4, 6))
    assert "".join(s.text for s in segs) == text
    by_text = {s.text: s for s in segs}
    assert by_text["cd"].covering == ("span-2-8",) and by_text["cd"].anchors == ("span-2-8",)
    assert set(by_text["ef"].covering) == {"span-2-8", "span-4-6"} and by_text["ef"].current
    assert not by_text["ab"].marked and not by_text["gh"].current


def test_out_of_range_highlight_is_ignored() -> None:
    segs = segments("abc", [], (2, 99))
    assert [s.text for s in segs] == ["abc"] and not segs[0].current
    assert parse_highlight("3-x") is None and parse_highlight("12-30") == (12, 30)


@pytest.mark.parametrize(
    "iri", ["https://x/a> } ; DROP ALL #", "https://x/a b", 'https://x/"', "no-scheme"]
)
def test_bind_iri_refuses_anything_but_a_plain_iri(iri: str) -> None:
    with pytest.raises(ValueError):
        page_queries.bind_iri(page_queries.RESOURCE_OUTGOING, iri)


def test_query_page_says_how_to_install_missing_editor_assets(
    ui_server: UiServer, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(query_page, "STATIC_DIR", tmp_path)
    html = httpx.get(ui_server.url + "/query", headers={"Accept": "text/html"}).text
    assert 'id="assets-missing"' in html and "scripts/install-ui-assets" in html
    assert "yasgui.min.js" not in html

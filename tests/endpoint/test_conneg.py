"""Content negotiation: q-values, wildcards, specificity, aliases, format names."""

from __future__ import annotations

import pytest

from rcm_graph.model.formats import GRAPH_MEDIA_TYPES, SOLUTION_MEDIA_TYPES
from rcm_graph.web.conneg import from_format_param, negotiate, prefers_html


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/csv", "text/csv"),
        ("TEXT/CSV; charset=utf-8", "text/csv"),
        ("text/*;q=0.5, application/sparql-results+xml;q=0.4", "text/csv"),
        ("text/*;q=0.5, text/csv;q=0.1", "text/tab-separated-values"),
        ("*/*;q=0.1, application/sparql-results+xml", "application/sparql-results+xml"),
        ("application/json", "application/sparql-results+json"),
        ("image/png", None),
        ("text/csv;q=0", None),
        ("*/*;q=0", None),
        ("text/csv;q=bogus, text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_negotiate_solutions(accept: str | None, expected: str | None) -> None:
    assert negotiate(accept, SOLUTION_MEDIA_TYPES) == expected


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/turtle"),
        ("application/json", "application/ld+json"),
        ("application/xml", "application/rdf+xml"),
        ("application/n-quads, text/turtle;q=0.9", "application/n-quads"),
        ("text/plain", "application/n-triples"),
        ("text/csv", None),
    ],
)
def test_negotiate_graphs(accept: str | None, expected: str | None) -> None:
    assert negotiate(accept, GRAPH_MEDIA_TYPES, graph=True) == expected


def test_format_names() -> None:
    assert from_format_param("csv", graph=False) == "text/csv"
    assert from_format_param("JSON", graph=True) == "application/ld+json"
    assert from_format_param("ttl", graph=False) is None
    assert from_format_param("text/turtle", graph=True) == "text/turtle"
    assert from_format_param("nonsense", graph=True) is None


def test_prefers_html() -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert prefers_html(browser, SOLUTION_MEDIA_TYPES)
    assert not prefers_html("application/sparql-results+json", SOLUTION_MEDIA_TYPES)
    assert not prefers_html("text/html;q=0.5, text/csv", SOLUTION_MEDIA_TYPES)
    assert not prefers_html(None, SOLUTION_MEDIA_TYPES)

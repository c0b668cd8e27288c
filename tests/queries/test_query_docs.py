"""The catalogue's documentation: generated from the headers, and the views' mapping explained."""

from __future__ import annotations

import re
from pathlib import Path

from query_harness import VIEW_VARIABLES

from rcm_graph.query.catalogue import load_catalogue
from rcm_graph.tools.querydoc import render_markdown

ROOT = Path(__file__).resolve().parents[2]


def test_query_catalogue_page_is_current() -> None:
    actual = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    assert actual == render_markdown(load_catalogue()), (
        "docs/queries.md is stale: run scripts/gen-query-docs"
    )


def test_catalogue_page_lists_every_query_and_parameter() -> None:
    page = render_markdown(load_catalogue())
    for query in load_catalogue():
        assert f'<a id="{query.name}"></a>' in page
        assert f"### {query.title}" in page
        for p in query.parameters:
            assert f"| `{p.name}` | `{p.type}` |" in page


def test_views_page_explains_every_view_and_variable() -> None:
    page = (ROOT / "docs" / "views.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## `(\w+)`\n(.*?)(?=^## |\Z)", page, flags=re.M | re.S))
    assert set(sections) == set(VIEW_VARIABLES)
    for view, variables in VIEW_VARIABLES.items():
        for variable in variables:
            assert f"?{variable}" in sections[view], f"docs/views.md: {view} lacks ?{variable}"

"""The catalogue as HTML: ``/queries`` (every named query with its parameters) and each named
query's page ``/queries/{name}`` with its ``# param:`` values as a typed form and its rows.

WHY here and not in :mod:`rcm_graph.web.named_queries`: those routes are the programs' API and
work without the UI package; they hand browsers to the :class:`CataloguePages` installed here
(``app.state.catalogue_pages``). The form submits to the same URL, so a filled-in form is a
shareable link, and the values are bound by :meth:`NamedQuery.bind` as typed RDF terms.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from rcm_graph.errors import RcmGraphError
from rcm_graph.model.formats import SPARQL_JSON
from rcm_graph.query.catalogue import PARAMETER_TYPES, NamedQuery
from rcm_graph.query.contract import QueryRequest
from rcm_graph.query.policy import check
from rcm_graph.web.named_queries import RESERVED
from rcm_graph.web.ui.labels import LabelService
from rcm_graph.web.ui.rendering import query_link, render
from rcm_graph.web.ui.sparql_client import Term, parse_select
from rcm_graph.web.ui.state import UiState

PAGE_ROWS = 500
"""Rows a named query's page shows; the CSV and JSON links give the whole result."""


@dataclass(frozen=True)
class Cell:
    term: Term
    label: str | None


@dataclass
class HtmlCatalogue:
    """The :class:`rcm_graph.web.named_queries.CataloguePages` of the UI."""

    ui: UiState
    labels: LabelService

    def index(self, request: Request) -> Response:
        catalogue = self.ui.context.catalogue()
        return render(
            request,
            "queries.html",
            {
                "queries": list(catalogue),
                "types": sorted((n, what) for n, (_, what) in PARAMETER_TYPES.items()),
            },
            links=self.ui.links,
        )

    def query(self, request: Request, named: NamedQuery, values: Mapping[str, str]) -> Response:
        given = {k: v for k, v in values.items() if k not in RESERVED}
        shown = {p.name: given.get(p.name, p.default or "") for p in named.parameters}
        error: RcmGraphError | None = None
        columns: list[str] = []
        rows: list[list[Cell | None]] = []
        truncated = False
        sparql = ""
        try:
            sparql = named.bind(given)
            columns, rows, truncated = self._run(sparql)
        except RcmGraphError as exc:
            error = exc
        bound = {k: v for k, v in shown.items() if v}
        return render(
            request,
            "named_query.html",
            {
                "q": named,
                "shown": shown,
                "error": error,
                "columns": columns,
                "rows": rows,
                "truncated": truncated,
                "page_rows": PAGE_ROWS,
                "csv_href": f"/queries/{named.name}?" + urlencode({**bound, "format": "csv"}),
                "json_href": f"/queries/{named.name}?" + urlencode({**bound, "format": "json"}),
                "text_href": f"/queries/{named.name}.rq?" + urlencode(bound),
                "editor_href": query_link(sparql or named.text),
            },
            links=self.ui.links,
            status_code=400 if error is not None and error.http_status < 500 else 200,
        )

    def _run(self, sparql: str) -> tuple[list[str], list[list[Cell | None]], bool]:
        settings = self.ui.context.settings
        analysis = check(sparql, dataset_graphs=None, base_iri=settings.base_iri)
        if (analysis.form or "SELECT") != "SELECT":
            return [], [], False
        outcome = self.ui.context.backend.query(
            QueryRequest(
                sparql,
                accept_format=SPARQL_JSON,
                timeout_s=settings.query_timeout_s,
                max_rows=min(PAGE_ROWS, settings.max_result_rows),
                base_iri=settings.base_iri,
            )
        )
        head: dict[str, Any] = json.loads(outcome.body).get("head", {})
        columns = [str(v) for v in head.get("vars", [])]
        results = parse_select(outcome.body)
        iris = {t.value for row in results for t in row.values() if t.is_iri}
        names = self.labels.labels(iris)
        rows = [
            [
                Cell(row[c], _pick(names.get(row[c].value, {})) if row[c].is_iri else None)
                if c in row
                else None
                for c in columns
            ]
            for row in results
        ]
        return columns, rows, outcome.truncated


def _pick(by_lang: Mapping[str, str]) -> str | None:
    """The label to show: English, then Spanish, then one without a language."""
    for lang in ("en", "es", ""):
        if lang in by_lang:
            return by_lang[lang]
    return next(iter(by_lang.values()), None)


def install_catalogue_pages(app: FastAPI, ui: UiState, labels: LabelService) -> None:
    """Hand the catalogue routes their HTML pages (see :mod:`rcm_graph.web.named_queries`)."""
    app.state.catalogue_pages = HtmlCatalogue(ui, labels)

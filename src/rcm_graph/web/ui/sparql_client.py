"""The pages' only door to the data: SPARQL through the app's query backend.

WHY through the backend and not the pyoxigraph store: the same pages then work on a local
dataset and on a remote SPARQL server, and every page query gets the endpoint's time limit
and row cap. Results come back as SPARQL JSON (SELECT/ASK) or N-Triples (CONSTRUCT) and are
turned into small typed values here, once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from rdflib import Graph

from rcm_graph.model.formats import N_TRIPLES, SPARQL_JSON
from rcm_graph.query.contract import QueryBackend, QueryOutcome, QueryRequest
from rcm_graph.settings import Settings

PAGE_MAX_ROWS = 10_000


@dataclass(frozen=True)
class Term:
    """One RDF term of a result row, as the SPARQL JSON results format describes it."""

    kind: Literal["uri", "literal", "bnode"]
    value: str
    lang: str | None = None
    datatype: str | None = None

    @property
    def is_iri(self) -> bool:
        return self.kind == "uri"

    def __str__(self) -> str:
        return self.value


Row = dict[str, Term]


def _term(raw: dict[str, str]) -> Term:
    kind = raw.get("type", "literal")
    if kind == "typed-literal":  # SPARQL 1.0 JSON spelling
        kind = "literal"
    if kind not in ("uri", "literal", "bnode"):
        kind = "literal"
    return Term(
        kind=kind,  # type: ignore[arg-type]
        value=raw.get("value", ""),
        lang=raw.get("xml:lang"),
        datatype=raw.get("datatype"),
    )


def parse_select(body: bytes) -> list[Row]:
    """Rows of a SPARQL JSON results document."""
    data = json.loads(body)
    bindings = data.get("results", {}).get("bindings", [])
    return [{name: _term(value) for name, value in row.items()} for row in bindings]


class PageStore:
    """Runs the page queries of :mod:`rcm_graph.web.ui.page_queries`."""

    def __init__(self, backend: QueryBackend, settings: Settings) -> None:
        self._backend = backend
        self._timeout_s = settings.query_timeout_s
        self._max_rows = min(settings.max_result_rows, PAGE_MAX_ROWS)

    def _run(self, sparql: str, accept: str) -> QueryOutcome:
        return self._backend.query(
            QueryRequest(
                sparql, accept_format=accept, timeout_s=self._timeout_s, max_rows=self._max_rows
            )
        )

    def select(self, sparql: str) -> list[Row]:
        return parse_select(self._run(sparql, SPARQL_JSON).body)

    def ask(self, sparql: str) -> bool:
        data = json.loads(self._run(sparql, SPARQL_JSON).body)
        return bool(data.get("boolean"))

    def construct(self, sparql: str) -> Graph:
        outcome = self._run(sparql, N_TRIPLES)
        graph = Graph()
        if outcome.body.strip():
            graph.parse(data=outcome.body.decode("utf-8"), format="nt")
        return graph

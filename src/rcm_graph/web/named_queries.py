"""``/queries``: the catalogue's index, and ``/queries/{name}``: run a named query with its
parameters bound safely.

Parameters come from the URL (``/queries/commitments-due?before=2017-07-01``) and are bound by
:meth:`rcm_graph.query.catalogue.NamedQuery.bind` as typed RDF terms, never formatted into the text.
Output is CSV by default (spreadsheets), JSON with ``format=json`` or by Accept; every other
result format of ``/sparql`` is available too. ``/queries/{name}.rq`` gives the bound query text.

Browsers (Accept ranks HTML first, no ``format``) get HTML pages when the UI package installed
them as ``app.state.catalogue_pages`` (a :class:`CataloguePages`): the index with each query's
parameters, and each query's page with its parameters as a form and its rows. Without the UI
the same URLs answer JSON and CSV.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Protocol

from fastapi import APIRouter, Request
from starlette.responses import Response

from rcm_graph.errors import QueryError
from rcm_graph.model.formats import SPARQL_CSV, SPARQL_JSON
from rcm_graph.query.catalogue import PARAMETER_TYPES, NamedQuery
from rcm_graph.query.contract import QueryForm, QueryRequest, media_types_for
from rcm_graph.query.policy import check
from rcm_graph.web import conneg
from rcm_graph.web.context import AppContext
from rcm_graph.web.errors import HTTPProblem
from rcm_graph.web.sparql import decode_utf8, parse_pairs, parse_timeout, result_response

# Request parameters that are not query parameters.
RESERVED = ("format", "timeout")
SPARQL_QUERY_TYPE = "application/sparql-query"


class CataloguePages(Protocol):
    """The HTML pages of the catalogue (installed by :mod:`rcm_graph.web.ui`)."""

    def index(self, request: Request) -> Response: ...

    def query(self, request: Request, named: NamedQuery, values: Mapping[str, str]) -> Response: ...


def _html_pages(request: Request, fmt: str | None) -> CataloguePages | None:
    """The UI's catalogue pages when a browser asks without ``format``; else None."""
    pages: CataloguePages | None = getattr(request.app.state, "catalogue_pages", None)
    if pages is None or fmt:
        return None
    accept = request.headers.get("accept")
    return pages if conneg.prefers_html(accept, [SPARQL_JSON, SPARQL_CSV]) else None


def catalogue_index(context: AppContext) -> dict[str, object]:
    """The ``/queries`` JSON document: every query with its parameters, and the types."""
    catalogue = context.catalogue()
    return {
        "queries": [
            q.as_json() | {"href": f"/queries/{q.name}", "text": f"/queries/{q.name}.rq"}
            for q in catalogue
        ],
        "parameterTypes": {name: what for name, (_, what) in sorted(PARAMETER_TYPES.items())},
    }


def query_values(request: Request) -> dict[str, str]:
    """The URL's parameters, each given once (``format`` and ``timeout`` included)."""
    raw_query = decode_utf8(request.scope.get("query_string", b""), "URL")
    values: dict[str, str] = {}
    for key, value in parse_pairs(raw_query, "URL"):
        if key in values:
            raise QueryError(f"the parameter {key!r} was given twice", where=key)
        values[key] = value
    return values


def _media_type(request: Request, fmt: str | None, form: QueryForm) -> str:
    graph = form in ("CONSTRUCT", "DESCRIBE")
    offered = media_types_for(form)
    if fmt:
        chosen = conneg.from_format_param(fmt, graph=graph)
        if chosen not in offered:
            raise HTTPProblem(
                400,
                f"format {fmt!r} is not available for this query",
                where="format",
                hint="available: csv, json, tsv, xml",
            )
        assert chosen is not None
        return chosen
    accept = request.headers.get("accept")
    if not accept or accept.strip() in ("*/*", "") or conneg.prefers_html(accept, offered):
        return SPARQL_CSV if not graph else offered[0]
    chosen = conneg.negotiate(accept, offered, graph=graph)
    if chosen is None:
        raise HTTPProblem(
            406,
            f"no acceptable result format (Accept: {accept})",
            hint="acceptable: " + ", ".join(offered),
        )
    return chosen


def router(context: AppContext) -> APIRouter:
    routes = APIRouter()

    def lookup(name: str) -> NamedQuery:
        catalogue = context.catalogue()
        if name not in catalogue:
            raise HTTPProblem(
                404,
                f"there is no named query {name!r}",
                hint="known: " + ", ".join(catalogue.names()) + " (index: /queries)",
            )
        return catalogue.get(name)

    # HEAD kept out of the description: one route with both methods gives both one operation id.
    @routes.get("/queries", name="query_catalogue")
    @routes.head("/queries", include_in_schema=False)
    @routes.api_route("/queries/", methods=["GET", "HEAD"], include_in_schema=False)
    def query_catalogue(request: Request) -> Response:
        """The catalogue: each named query's title, description and typed parameters."""
        pages = _html_pages(request, request.query_params.get("format"))
        if pages is not None:
            return pages.index(request)
        return Response(
            json.dumps(catalogue_index(context), ensure_ascii=False),
            media_type="application/json",
        )

    @routes.get("/queries/{name}.rq", name="named_query_text")
    @routes.head("/queries/{name}.rq", include_in_schema=False)
    def named_query_text(name: str, request: Request) -> Response:
        """The query text with the URL's parameters (and the defaults) bound as RDF terms."""
        values = query_values(request)
        for key in RESERVED:
            values.pop(key, None)
        return Response(lookup(name).bind(values), media_type=f"{SPARQL_QUERY_TYPE}; charset=utf-8")

    # Described per query by rcm_graph.web.api_docs (one operation each, from its # param:s).
    @routes.api_route(
        "/queries/{name}", methods=["GET", "HEAD"], name="named_query", include_in_schema=False
    )
    def named_query(name: str, request: Request) -> Response:
        query = lookup(name)
        values = query_values(request)
        fmt = values.pop("format", None)
        pages = _html_pages(request, fmt)
        if pages is not None:
            return pages.query(request, query, values)
        timeout_raw = values.pop("timeout", None)
        sparql = query.bind(values)
        analysis = check(sparql, dataset_graphs=None, base_iri=context.settings.base_iri)
        form: QueryForm = analysis.form or "SELECT"
        timeout_s = parse_timeout(timeout_raw, context.settings.query_timeout_s)
        outcome = context.backend.query(
            QueryRequest(
                sparql,
                accept_format=_media_type(request, fmt, form),
                timeout_s=timeout_s,
                max_rows=context.settings.max_result_rows,
                base_iri=context.settings.base_iri,
            ),
        )
        return result_response(outcome)

    return routes

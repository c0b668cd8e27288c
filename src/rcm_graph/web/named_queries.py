"""``/queries/{name}``: run a named query of the catalogue with its parameters bound safely.

Parameters come from the URL (``/queries/commitments-due?before=2017-07-01``) and are bound by
:meth:`rcm_graph.query.catalogue.NamedQuery.bind` as typed RDF terms, never formatted into the text.
Output is CSV by default (spreadsheets), JSON with ``format=json`` or by Accept; every other
result format of ``/sparql`` is available too.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from rcm_graph.errors import QueryError
from rcm_graph.model.formats import SPARQL_CSV
from rcm_graph.query.contract import QueryForm, QueryRequest, media_types_for
from rcm_graph.query.policy import check
from rcm_graph.web import conneg
from rcm_graph.web.context import AppContext
from rcm_graph.web.errors import HTTPProblem
from rcm_graph.web.sparql import decode_utf8, parse_pairs, parse_timeout, result_response

# Request parameters that are not query parameters.
RESERVED = ("format", "timeout")


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

    @routes.api_route("/queries/{name}", methods=["GET", "HEAD"], name="named_query")
    def named_query(name: str, request: Request) -> Response:
        catalogue = context.catalogue()
        if name not in catalogue:
            raise HTTPProblem(
                404,
                f"there is no named query {name!r}",
                hint="known: " + ", ".join(catalogue.names()),
            )
        query = catalogue.get(name)
        raw_query = decode_utf8(request.scope.get("query_string", b""), "URL")
        pairs = parse_pairs(raw_query, "URL")
        values: dict[str, str] = {}
        for key, value in pairs:
            if key in values:
                raise QueryError(f"the parameter {key!r} was given twice", where=key)
            values[key] = value
        fmt = values.pop("format", None)
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

"""``/sparql``: the SPARQL 1.1 Protocol (query operation) over the query backend.

Strict where the standard is strict, because clients depend on it: exactly one ``query``
(400 otherwise), UTF-8 only, exact POST media types (415 otherwise), the protocol dataset
(``default-graph-uri``/``named-graph-uri``) used instead of ``FROM``, relative IRIs resolved
against the dataset's base IRI, and a Content-Type that names what the body is.

Updates (``update=`` in a form body, or an ``application/sparql-update`` body) are accepted only
when the server has a write token and the request carries it (:mod:`rcm_graph.web.writes`);
each one becomes a new published build (:mod:`rcm_graph.writes.writer`, docs/writing.md).

The route is ``async``, but nothing slow runs on the event loop: a short query is checked
there and its worker's answer awaited without a thread (:func:`handle_async`,
``LocalBackend.query_async``); updates, long query texts, slow answers and every wait for a
worker go to the thread pool (measured before: a blocking ``async def`` pushed p99 to 3 s at
32 clients).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from rcm_graph.errors import QueryError, QueryTimeout
from rcm_graph.model.formats import GRAPH_MEDIA_TYPES, SOLUTION_MEDIA_TYPES, SPARQL_JSON
from rcm_graph.query.contract import QueryForm, QueryOutcome, QueryRequest, media_types_for
from rcm_graph.query.policy import analyse, check, check_update, with_using
from rcm_graph.web import api_docs, conneg, service_description, writes
from rcm_graph.web.context import AppContext
from rcm_graph.web.errors import HTTPProblem
from rcm_graph.writes.edit import Edit
from rcm_graph.writes.writer import Writer

FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
UI_PATH = "/query"


@dataclass
class ProtocolRequest:
    """The protocol parameters of one request, after strict parsing."""

    params: list[tuple[str, str]] = field(default_factory=list)
    direct_query: str | None = None
    direct_update: str | None = None

    def values(self, name: str) -> list[str]:
        return [v for k, v in self.params if k == name]

    def one(self, name: str) -> str | None:
        found = self.values(name)
        if len(found) > 1:
            raise QueryError(
                f"the parameter {name!r} was given {len(found)} times",
                where=name,
                hint="send it once",
            )
        return found[0] if found else None


async def read_body(request: Request) -> bytes:
    """The raw request body (size-limited by the RequestLimit middleware)."""
    if request.method != "POST":
        return b""
    return await request.body()


def decode_utf8(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QueryError(
            f"the {where} is not valid UTF-8 (byte {exc.start})",
            where=where,
            hint="the SPARQL protocol requires UTF-8",
        ) from None


def parse_pairs(text: str, where: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise QueryError(
            f"the {where} has percent-escapes that are not UTF-8",
            where=where,
            hint="the SPARQL protocol requires UTF-8",
        ) from None


def _media_type(header: str) -> tuple[str, dict[str, str]]:
    main, *rest = header.split(";")
    params = {}
    for item in rest:
        name, _, value = item.partition("=")
        params[name.strip().lower()] = value.strip().strip('"').lower()
    return main.strip().lower(), params


def parse_request(request: Request, body: bytes) -> ProtocolRequest:
    """Collect the parameters of a GET or POST request (415/400 for what the protocol bans)."""
    url_params = parse_pairs(decode_utf8(request.scope.get("query_string", b""), "URL"), "URL")
    parsed = ProtocolRequest(params=list(url_params))
    if request.method != "POST":
        return parsed
    header = request.headers.get("content-type")
    if not header:
        raise HTTPProblem(
            415, "a POST request needs a Content-Type", hint=f"use {FORM_TYPE} or {QUERY_TYPE}"
        )
    media_type, params = _media_type(header)
    charset = params.get("charset")
    if charset and charset not in ("utf-8", "utf8"):
        raise HTTPProblem(
            415, f"charset {charset!r} is not supported", hint="the SPARQL protocol requires UTF-8"
        )
    if media_type == FORM_TYPE:
        parsed.params.extend(parse_pairs(decode_utf8(body, "request body"), "request body"))
    elif media_type == QUERY_TYPE:
        parsed.direct_query = decode_utf8(body, "request body")
    elif media_type == UPDATE_TYPE:
        parsed.direct_update = decode_utf8(body, "request body")
    else:
        raise HTTPProblem(
            415, f"unsupported Content-Type {media_type!r}", hint=f"use {FORM_TYPE} or {QUERY_TYPE}"
        )
    return parsed


def parse_timeout(raw: str | None, cap: float) -> float:
    """The ``timeout`` request parameter in seconds, capped by the server's limit."""
    if raw is None or raw == "":
        return cap
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0 or value != value:
        raise QueryError(
            f"timeout {raw!r} is not a positive number of seconds",
            where="timeout",
            hint=f"the server allows at most {cap:g} s",
        )
    return min(value, cap)


def _choose_media_type(accept: str | None, fmts: list[str], form: QueryForm) -> str:
    graph = form in ("CONSTRUCT", "DESCRIBE")
    offered = media_types_for(form)
    if fmts:
        wanted = conneg.from_format_params(fmts, offered, graph=graph)
        if len(wanted) != 1 or wanted[0] not in offered:
            shown = " and ".join(repr(v) for v in fmts)
            raise HTTPProblem(
                400,
                f"format {shown} is not available for a {form} query"
                if len(wanted) == 1
                else f"the format parameters {shown} name different formats",
                where="format",
                hint="available: " + ", ".join(offered),
            )
        named = wanted[0]
        assert named is not None
        return named
    chosen = conneg.negotiate(accept, offered, graph=graph)
    if chosen is None:
        raise HTTPProblem(
            406,
            f"no acceptable result format for a {form} query (Accept: {accept})",
            hint="acceptable: " + ", ".join(offered),
        )
    return chosen


def _content_type(media_type: str) -> str:
    textual = media_type.startswith("text/") or media_type in GRAPH_MEDIA_TYPES
    return f"{media_type}; charset=utf-8" if textual else media_type


def _with_warning(outcome: QueryOutcome) -> bytes:
    """Announce truncation inside SPARQL JSON too (a top-level ``warnings`` member)."""
    body = outcome.body
    if not (outcome.truncated and outcome.media_type == SPARQL_JSON and body.startswith(b"{")):
        return body
    warning = json.dumps(
        [
            f"the result was truncated to the first {outcome.max_rows} rows "
            "(the server's max_result_rows); add LIMIT/OFFSET to page through it"
        ]
    )
    return b'{"warnings":' + warning.encode() + b"," + body[1:]


def result_response(outcome: QueryOutcome) -> Response:
    headers = {
        "Vary": "Accept",
        "X-RCM-Query-Form": outcome.query_form,
        "X-RCM-Rows": str(outcome.row_count),
        "X-RCM-Max-Rows": str(outcome.max_rows),
        "X-RCM-Truncated": "true" if outcome.truncated else "false",
        "X-RCM-Elapsed-Ms": f"{outcome.elapsed_s * 1000:.1f}",
    }
    return Response(
        _with_warning(outcome), media_type=_content_type(outcome.media_type), headers=headers
    )


def _ui_redirect(request: Request) -> Response | None:
    if not any(getattr(route, "path", None) == UI_PATH for route in request.app.routes):
        return None
    query = request.scope.get("query_string", b"").decode("latin-1")
    return RedirectResponse(UI_PATH + (f"?{query}" if query else ""), status_code=303)


def plan_query(
    context: AppContext,
    request: Request,
    parsed: ProtocolRequest,
    sparql: str,
    *,
    started: float | None = None,
) -> Response | QueryRequest:
    """Everything before the engine: the policy, the redirect of browsers, the media type.

    The request's time limit counts from ``started`` (when its handling began, by
    ``time.monotonic``; the backend is given it), not from when the engine gets the query.
    WHY (issue 17): a 140,000-row ``VALUES`` query spent seconds in the policy check before
    the worker's clock started, and ran 15 s against a 10 s limit."""
    started = time.monotonic() if started is None else started
    settings = context.settings
    default_graphs = parsed.values("default-graph-uri")
    named_graphs = parsed.values("named-graph-uri")
    limit_s = parse_timeout(parsed.one("timeout"), settings.query_timeout_s)
    analysis = check(
        sparql,
        dataset_graphs=context.graph_iris,
        default_graph_uris=default_graphs,
        named_graph_uris=named_graphs,
        base_iri=settings.base_iri,
        service_allowlist=settings.service_allowlist,
        timeout_s=max(limit_s - (time.monotonic() - started), 0.001),
    )
    form: QueryForm = analysis.form or "SELECT"
    fmts = [v for v in parsed.values("format") if v.strip()]
    accept = request.headers.get("accept")
    if (
        not fmts
        and request.method in ("GET", "HEAD")
        and conneg.prefers_html(accept, media_types_for(form))
    ):
        redirect = _ui_redirect(request)
        if redirect is not None:
            return redirect
    if time.monotonic() - started >= limit_s:
        raise QueryTimeout(
            f"the query used its whole time limit of {limit_s:g} s before it could run "
            "(reading and checking it)",
            hint="send a shorter query text, or raise the `timeout` parameter "
            "(capped by the server's query_timeout_s)",
        )
    return QueryRequest(
        sparql,
        accept_format=_choose_media_type(accept, fmts, form),
        # The time spent reading and checking the query counts against its limit.
        timeout_s=limit_s,
        started=started,
        max_rows=settings.max_result_rows,
        default_graph_uris=default_graphs,
        named_graph_uris=named_graphs,
        base_iri=settings.base_iri,
    )


def run_query(
    context: AppContext,
    request: Request,
    parsed: ProtocolRequest,
    sparql: str,
    *,
    started: float | None = None,
) -> Response:
    planned = plan_query(context, request, parsed, sparql, started=started)
    if isinstance(planned, Response):
        return planned
    return result_response(context.backend.query(planned))


def run_update(
    context: AppContext,
    writer: Writer | None,
    request: Request,
    parsed: ProtocolRequest,
    update: str,
) -> Response:
    """One SPARQL Update: refused unless writes are on and the token matches; then published."""
    if request.method != "POST":
        raise QueryError(
            f"an update cannot be sent with {request.method}",
            where="update",
            hint=f"POST it as update=... ({FORM_TYPE}) or as a {UPDATE_TYPE} body",
        )
    if not update.strip():
        raise QueryError("the update is empty", where="update")
    # The policy first: what no token may do (LOAD, SERVICE, file:) is refused the same way
    # for everyone, before anything else is said about the request.
    check_update(
        update,
        base_iri=context.settings.base_iri,
        timeout_s=parse_timeout(parsed.one("timeout"), context.settings.query_timeout_s),
    )
    writes.authorise(context, request)
    update = with_using(
        update, parsed.values("using-graph-uri"), parsed.values("using-named-graph-uri")
    )
    timeout_s = parse_timeout(parsed.one("timeout"), context.settings.query_timeout_s)
    writer = writer or writes.writer_for(context)
    outcome = writer.write(Edit("update", update), timeout_s=timeout_s)
    return writes.written(context, outcome)


def _operation(request: Request, parsed: ProtocolRequest) -> tuple[str, str | None]:
    """Which operation the request asks for: ``("query"|"update", text)`` or
    ``("description", None)``; 400 for what the protocol forbids."""
    queries = parsed.values("query") + (
        [parsed.direct_query] if parsed.direct_query is not None else []
    )
    updates = parsed.values("update") + (
        [parsed.direct_update] if parsed.direct_update is not None else []
    )
    if len(queries) > 1:
        raise QueryError(
            "more than one query was sent", where="query", hint="send exactly one query per request"
        )
    if queries and updates:
        raise QueryError("a request may carry a query or an update, not both", where="update")
    if len(updates) > 1:
        raise QueryError(
            "more than one update was sent",
            where="update",
            hint="send one update per request (it may hold several operations separated by ;)",
        )
    if updates:
        return "update", updates[0]
    if not queries:
        if request.method == "POST":
            raise QueryError(
                "the request has no query",
                where="query",
                hint=f"send query=... ({FORM_TYPE}) or a {QUERY_TYPE} body",
            )
        return "description", None
    if not queries[0].strip():
        raise QueryError("the query is empty", where="query")
    return "query", queries[0]


def handle(
    context: AppContext, request: Request, body: bytes, writer: Writer | None = None
) -> Response:
    """One protocol request, from raw HTTP to the response (blocking: run it in a thread)."""
    started = time.monotonic()
    parsed = parse_request(request, body)
    kind, text = _operation(request, parsed)
    if kind == "update":
        assert text is not None
        return run_update(context, writer, request, parsed, text)
    if kind == "description":
        return service_description.respond(context, request)
    assert text is not None
    return run_query(context, request, parsed, text, started=started)


def _names_graphs(sparql: str, parsed: ProtocolRequest, base_iri: str) -> bool:
    """Whether checking the query needs the dataset's graph list (which may have to wait for a
    build coming up: not on the event loop)."""
    if parsed.values("default-graph-uri") or parsed.values("named-graph-uri"):
        return True
    analysis = analyse(sparql, base_iri=base_iri)  # remembered: check() will reuse it
    return bool(analysis.from_iris or analysis.from_named_iris)


# Queries longer than this are checked in a thread (tokenizing them could hold up the loop).
LOOP_QUERY_CHARS = 8 * 1024


async def handle_async(
    context: AppContext, request: Request, body: bytes, writer: Writer | None = None
) -> Response:
    """:func:`handle` on the event loop for the common case, a short query.

    WHY: the thread-pool hop of a ``def`` route was a tenth of a cheap query's CPU. Parsing,
    the policy check (remembered per query text) and content negotiation of a short query
    take microseconds, and the backend's ``query_async`` awaits the worker without a thread.
    Updates, the service description and long query texts run in the thread pool, as before.
    """
    started = time.monotonic()
    parsed = parse_request(request, body)
    kind, text = _operation(request, parsed)
    query_async = getattr(context.backend, "query_async", None)
    if (
        kind != "query"
        or text is None
        or len(text) > LOOP_QUERY_CHARS
        or query_async is None
        or _names_graphs(text, parsed, context.settings.base_iri)
    ):
        return await run_in_threadpool(handle, context, request, body, writer)
    planned = plan_query(context, request, parsed, text, started=started)
    if isinstance(planned, Response):
        return planned
    return result_response(await query_async(planned))


_GRAPH_LIST = {"type": "array", "items": {"type": "string"}}
_PROTOCOL_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "default-graph-uri",
        "in": "query",
        "description": "a graph of the dataset to use as the default graph (repeatable)",
        "schema": _GRAPH_LIST,
        "style": "form",
        "explode": True,
    },
    {
        "name": "named-graph-uri",
        "in": "query",
        "description": "a graph of the dataset to use as a named graph (repeatable)",
        "schema": _GRAPH_LIST,
        "style": "form",
        "explode": True,
    },
    {
        "name": "timeout",
        "in": "query",
        "description": "time limit in seconds, capped by the server's query_timeout_s",
        "schema": {"type": "number", "exclusiveMinimum": 0},
    },
    {
        "name": "format",
        "in": "query",
        "description": "result format instead of Accept: json, xml, csv, tsv, ttl, nt, rdfxml, "
        "jsonld, trig, nq (n3: Turtle); may repeat if every value names the same format",
        "schema": {"type": "string"},
    },
]
_QUERY_PARAMETER: dict[str, Any] = {
    "name": "query",
    "in": "query",
    "description": "the SPARQL query; without it GET answers the service description",
    "schema": {"type": "string"},
}
_RESULT_CONTENT = {
    m: {"schema": {"type": "string"}} for m in (*SOLUTION_MEDIA_TYPES, *GRAPH_MEDIA_TYPES)
}
_READ_RESPONSES: dict[str, Any] = {
    "200": {
        "description": "Query results (SELECT/ASK: SPARQL results; CONSTRUCT/DESCRIBE: RDF), "
        "or the service description (RDF) when there is no query",
        "content": _RESULT_CONTENT,
    },
    "303": {"description": "A browser (Accept: text/html) is sent to the query page"},
    **api_docs.errors(400, 403, 406, 413, 503),
}
_FORM_BODY: dict[str, Any] = {
    "type": "object",
    "properties": {
        "query": {"type": "string"},
        "update": {"type": "string", "description": "SPARQL Update (needs the write token)"},
        "default-graph-uri": _GRAPH_LIST,
        "named-graph-uri": _GRAPH_LIST,
        "timeout": {"type": "string"},
        "format": {"type": "string"},
    },
}
_GET_DOC: dict[str, Any] = {
    "description": "SPARQL 1.1 Protocol query operation via GET (docs/cli.md, README).",
    "parameters": [_QUERY_PARAMETER, *_PROTOCOL_PARAMETERS],
    "responses": _READ_RESPONSES,
}
_POST_DOC: dict[str, Any] = {
    "description": "Query via POST (form or application/sparql-query), or update via POST "
    "(form update= or application/sparql-update; needs Authorization: Bearer <write token>).",
    "parameters": [
        *_PROTOCOL_PARAMETERS,
        {"name": "Authorization", "in": "header", "schema": {"type": "string"}},
    ],
    "requestBody": {
        "required": True,
        "content": {
            FORM_TYPE: {"schema": _FORM_BODY},
            QUERY_TYPE: {"schema": {"type": "string"}},
            UPDATE_TYPE: {"schema": {"type": "string"}},
        },
    },
    "responses": {
        **_READ_RESPONSES,
        "200": {
            "description": "Query results, or for an update the published write "
            "(seq, build_id, derived_from, added, removed, elapsed_ms)",
            "content": {**_RESULT_CONTENT, "application/json": {"schema": {"type": "object"}}},
        },
        **api_docs.errors(400, 401, 403, 406, 413, 415, 503),
    },
}


def router(context: AppContext, writer: Writer | None = None) -> APIRouter:
    """``/sparql`` as three operations (GET, HEAD, POST) with distinct operation ids.

    WHY declared by hand: the route reads the raw request (strict protocol parsing), so
    FastAPI cannot infer the parameters and bodies; clients generated from /openapi.json
    need them.
    """
    routes = APIRouter()

    async def sparql(request: Request, body: bytes = Depends(read_body)) -> Response:
        return await handle_async(context, request, body, writer)

    for method, operation_id, summary, doc in (
        ("GET", "sparql_get", "SPARQL query (GET), or the service description", _GET_DOC),
        ("HEAD", "sparql_head", "Headers of a SPARQL query's answer", _GET_DOC),
        ("POST", "sparql_post", "SPARQL query or update (POST)", _POST_DOC),
    ):
        routes.add_api_route(
            "/sparql",
            sparql,
            methods=[method],
            name="sparql",
            operation_id=operation_id,
            summary=summary,
            response_class=Response,
            openapi_extra=doc,
        )
    return routes


__all__ = ["handle", "handle_async", "parse_request", "plan_query", "result_response", "router"]

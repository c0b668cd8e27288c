"""``/graph-store``: the SPARQL 1.1 Graph Store HTTP Protocol, indirect graph identification.

``?graph=<absolute IRI>`` names a named graph, ``?default`` the default graph (the union of all
named graphs, see docs/data-model.md). GET and HEAD are open to everyone, like ``/sparql``, and
answer Turtle, N-Triples, RDF/XML or JSON-LD by content negotiation (404 for a graph the
dataset does not have). PUT, POST and DELETE need the write token (:mod:`rcm_graph.web.writes`)
and go through the same path as SPARQL Update (:mod:`rcm_graph.writes.writer`): each one is a new
published build, journalled. Status codes follow the specification: 201 Created when a PUT or
POST created the graph, 204 No Content otherwise, 400 for a body that does not parse (with the
parser's line and column), 415 for a media type that is not one of the four.

WHY a path of its own and not ``/sparql?graph=``: ``/sparql`` already gives GET a meaning (a
query, or the service description), and clients such as rdflib's ``SPARQLUpdateStore`` and
Jena's ``RDFConnection`` are configured with a separate graph store URL. The service
description announces it.

Reads go through the query backend (local workers or the remote store), so they get the same
time limit and the same announced row cap as ``/sparql``; the full dataset is in the dumps.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from rcm_graph.errors import QueryError
from rcm_graph.model.formats import JSON_LD, N_TRIPLES, RDF_XML, TURTLE
from rcm_graph.query.contract import QueryRequest
from rcm_graph.store import internal_sparql as sparql
from rcm_graph.web import conneg, writes
from rcm_graph.web.api_docs import errors as _errors
from rcm_graph.web.context import AppContext
from rcm_graph.web.errors import HTTPProblem
from rcm_graph.web.sparql import decode_utf8, parse_pairs, result_response
from rcm_graph.writes.edit import BODY_FORMATS, Edit, Operation, parse_body
from rcm_graph.writes.writer import Writer

PATH = "/graph-store"
OFFERED = (TURTLE, N_TRIPLES, RDF_XML, JSON_LD)

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\x00-\x20]*$")


def target_graph(request: Request) -> str | None:
    """The graph a request names: an IRI, or None for ``?default`` (400 for anything else)."""
    params = parse_pairs(decode_utf8(request.scope.get("query_string", b""), "URL"), "URL")
    graphs = [v for k, v in params if k == "graph"]
    default = any(k == "default" for k, _ in params)
    if len(graphs) + int(default) != 1:
        raise QueryError(
            "name exactly one graph",
            where="graph",
            hint="use ?graph=<absolute IRI> or ?default",
        )
    if default:
        return None
    iri = graphs[0]
    if not _IRI.match(iri) or iri[:5].lower() == "file:":
        raise QueryError(
            f"graph {iri!r} is not an absolute IRI", where="graph", hint="e.g. ?graph=urn:x:g"
        )
    return iri


def _known(context: AppContext, graph: str | None) -> bool:
    """Whether the served dataset has the graph (asked of the backend: local or remote)."""
    return graph is None or graph in context.graph_iris()


def read(context: AppContext, request: Request) -> Response:
    """GET/HEAD: the graph, as the client asked for it."""
    graph = target_graph(request)
    if not _known(context, graph):
        raise HTTPProblem(
            404,
            f"the dataset has no graph <{graph}>",
            where="graph",
            hint="list the graphs with SELECT DISTINCT ?g { GRAPH ?g {} } on /sparql",
        )
    accept = request.headers.get("accept")
    media_type = conneg.negotiate(accept, OFFERED, graph=True)
    if media_type is None:
        raise HTTPProblem(
            406,
            f"no acceptable format for a graph (Accept: {accept})",
            hint="acceptable: " + ", ".join(OFFERED),
        )
    # The graph IRI was checked (an absolute IRI without <>"{}, and a graph of the dataset).
    query = sparql.DEFAULT_GRAPH if graph is None else sparql.NAMED_GRAPH % {"g": graph}
    settings = context.settings
    outcome = context.backend.query(
        QueryRequest(
            query,
            accept_format=media_type,
            timeout_s=settings.query_timeout_s,
            max_rows=settings.max_result_rows,
        ),
    )
    return result_response(outcome)


def _body_media_type(request: Request) -> str:
    header = request.headers.get("content-type", "")
    main, *rest = header.split(";")
    media_type = main.strip().lower()
    for item in rest:
        name, _, value = item.partition("=")
        charset = value.strip().strip('"').lower()
        if name.strip().lower() == "charset" and charset not in ("utf-8", "utf8"):
            raise HTTPProblem(415, f"charset {charset!r} is not supported", hint="send UTF-8")
    if media_type not in BODY_FORMATS:
        raise HTTPProblem(
            415,
            f"unsupported Content-Type {media_type or '(none)'!r} for a graph",
            where="Content-Type",
            hint="send one of " + ", ".join(BODY_FORMATS),
        )
    return media_type


def write(
    context: AppContext, writer: Writer, request: Request, body: bytes, operation: Operation
) -> Response:
    """PUT/POST/DELETE with the token: one edit, published before the answer."""
    writes.authorise(context, request)
    graph = target_graph(request)
    settings = context.settings
    if operation == "delete":
        if not _known(context, graph):
            raise HTTPProblem(404, f"the dataset has no graph <{graph}>", where="graph")
        edit = Edit("delete", "", graph)
    else:
        media_type = _body_media_type(request)
        edit = Edit(operation, decode_utf8(body, "request body"), graph, media_type)
        parse_body(edit, settings.base_iri)  # a 400 with line and column before any work
    outcome = writer.write(edit, timeout_s=settings.query_timeout_s)
    if operation != "delete" and not outcome.graph_existed:
        response = writes.written(context, outcome, status=201)
        response.headers["Location"] = str(request.url)
        return response
    return writes.written(context, outcome, status=204)


async def read_any_body(request: Request) -> bytes:
    """The raw body of a PUT or POST (size-limited by the RequestLimit middleware)."""
    if request.method not in ("PUT", "POST"):
        return b""
    return await request.body()


_TARGET = [
    {
        "name": "graph",
        "in": "query",
        "description": "IRI of the named graph (absolute)",
        "schema": {"type": "string"},
    },
    {
        "name": "default",
        "in": "query",
        "description": "present (empty value): the default graph, the union of all graphs",
        "schema": {"type": "string"},
        "allowEmptyValue": True,
    },
]
_GRAPH_CONTENT = {m: {"schema": {"type": "string"}} for m in OFFERED}
_BODY = {
    "required": True,
    "content": {m: {"schema": {"type": "string"}} for m in BODY_FORMATS},
}
_AUTH = [{"name": "Authorization", "in": "header", "schema": {"type": "string"}}]


def _write_doc(summary: str, *, body: bool) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "summary": summary,
        "parameters": _TARGET + _AUTH,
        "responses": {
            "201": {
                "description": "The graph was created",
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            "204": {"description": "Done; the new build serves the change"},
            **_errors(400, 401, 403, 404, 413, 415, 503),
        },
    }
    if body:
        doc["requestBody"] = _BODY
    return doc


def router(context: AppContext, writer: Writer) -> APIRouter:
    routes = APIRouter()
    read_doc: dict[str, Any] = {
        "parameters": _TARGET,
        "responses": {
            "200": {"description": "The graph", "content": _GRAPH_CONTENT},
            **_errors(400, 404, 406, 503),
        },
    }

    @routes.get(
        PATH,
        operation_id="graph_store_get",
        openapi_extra=read_doc,
        summary="Get a graph",
        response_class=Response,
    )
    def get_graph(request: Request) -> Response:
        return read(context, request)

    @routes.head(
        PATH,
        operation_id="graph_store_head",
        openapi_extra=read_doc,
        summary="Headers of a graph",
        response_class=Response,
    )
    def head_graph(request: Request) -> Response:
        return read(context, request)

    @routes.put(
        PATH,
        operation_id="graph_store_put",
        response_class=Response,
        openapi_extra=_write_doc("Replace a graph", body=True),
    )
    def put_graph(request: Request, body: bytes = Depends(read_any_body)) -> Response:
        return write(context, writer, request, body, "put")

    @routes.post(
        PATH,
        operation_id="graph_store_post",
        response_class=Response,
        openapi_extra=_write_doc("Add triples to a graph", body=True),
    )
    def post_graph(request: Request, body: bytes = Depends(read_any_body)) -> Response:
        return write(context, writer, request, body, "post")

    @routes.delete(
        PATH,
        operation_id="graph_store_delete",
        response_class=Response,
        openapi_extra=_write_doc("Delete a graph", body=False),
    )
    def delete_graph(request: Request) -> Response:
        return write(context, writer, request, b"", "delete")

    return routes


__all__ = ["OFFERED", "PATH", "router", "target_graph"]

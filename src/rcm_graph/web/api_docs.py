"""The API's description and its documentation page: one place for ``/openapi.json`` and
``/docs``.

WHY: routes that read the raw request (the SPARQL protocol, the graph store) declare their
parameters, bodies and responses by hand; the error responses must be described the same way
everywhere, as :mod:`rcm_graph.web.errors` produces them. The named queries are one generic
route, so their operations are generated here from the catalogue's ``# param:`` headers. The
documentation viewer, Swagger UI, is a vendored npm build (``scripts/install-ui-assets``), as the
query editor is: the page loads nothing from another host.

WHY no ``/redoc``: ReDoc 2.5's standalone bundle shows a logo it loads from the vendor's CDN
(hard-coded, no option turns it off), ReDoc 3 does not install from the npm registry this
project uses (a dependency is missing there), and the pinned 2.5 build pulls 112 npm packages
for a second viewer of the same description.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import HTMLResponse, Response

from rcm_graph.query.catalogue import PARAMETER_TYPES, Catalogue, NamedQuery
from rcm_graph.query.contract import media_types_for
from rcm_graph.query.policy import analyse
from rcm_graph.web.errors import error_response

_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "title", "detail", "where", "hint"],
            "properties": {
                "status": {"type": "integer"},
                "title": {"type": "string"},
                "detail": {"type": "string"},
                "where": {"type": ["string", "null"]},
                "hint": {"type": ["string", "null"]},
            },
        }
    },
}
ERROR_CONTENT: dict[str, Any] = {"application/json": {"schema": _ERROR_SCHEMA}}


def errors(*codes: int) -> dict[str, Any]:
    """OpenAPI ``responses`` entries for these error statuses, in the one error shape."""
    text = {
        400: "Malformed request, query, update or body (the detail names the position)",
        401: "Missing or invalid write token (WWW-Authenticate: Bearer)",
        403: "Refused by policy (writes off, SERVICE/LOAD/file: IRIs)",
        404: "No such graph",
        406: "No acceptable result format",
        413: "Request body too large",
        415: "Unsupported Content-Type",
        503: "Time limit reached, or no dataset to serve",
    }
    return {str(c): {"description": text[c], "content": ERROR_CONTENT} for c in codes}


# --- the named queries as operations ---------------------------------------------------------

# Catalogue parameter type → JSON Schema of the URL parameter. Loose where the server is lenient
# (it strips blanks and accepts either case for iso3 and principle), so that a generated client
# never refuses what the server would take; the description says what is expected.
PARAMETER_SCHEMAS: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "iri": {"type": "string", "format": "uri"},
    "integer": {"type": "integer"},
    "year": {"type": "integer", "minimum": 1000, "maximum": 9999},
    "date": {"type": "string", "format": "date"},
    "iso3": {"type": "string", "minLength": 3},
    "objective": {"type": "integer", "minimum": 1, "maximum": 23},
    "principle": {"type": "string", "minLength": 1},
    "topic": {"type": "string", "minLength": 1},
    "notation": {"type": "string", "minLength": 1},
    "acronym": {"type": "string", "minLength": 1},
}
NAMED_QUERY_TAG = "named queries"
_NAMED_QUERY_FORMATS = {
    "name": "format",
    "in": "query",
    "description": "result format instead of Accept: csv (the default), json, tsv, xml "
    "(CONSTRUCT/DESCRIBE queries: ttl, nt, rdfxml, jsonld, trig, nq)",
    "schema": {"type": "string"},
}
_NAMED_QUERY_TIMEOUT = {
    "name": "timeout",
    "in": "query",
    "description": "time limit in seconds, capped by the server's query_timeout_s",
    "schema": {"type": "number", "exclusiveMinimum": 0},
}


def operation_id(query_name: str) -> str:
    """``commitments-due-before`` → ``query_commitments_due_before`` (ids are identifiers in
    generated clients)."""
    return "query_" + re.sub(r"[^A-Za-z0-9_]", "_", query_name)


def named_query_operation(query: NamedQuery) -> dict[str, Any]:
    """One ``GET /queries/{name}`` operation, its parameters from the ``# param:`` headers."""
    form = analyse(query.text).form or "SELECT"
    parameters: list[dict[str, Any]] = []
    for param in query.parameters:
        schema = dict(PARAMETER_SCHEMAS[param.type])
        if param.default is not None:
            schema["default"] = int(param.default) if schema["type"] == "integer" else param.default
        expected = PARAMETER_TYPES[param.type][1]
        parameters.append(
            {
                "name": param.name,
                "in": "query",
                "required": param.required,
                "description": f"{param.description} ({param.type}: {expected})".lstrip(),
                "schema": schema,
            }
        )
    media_types = media_types_for(form)
    return {
        "tags": [NAMED_QUERY_TAG],
        "operationId": operation_id(query.name),
        "summary": query.title or query.name,
        "description": (query.description + "\n\n" if query.description else "")
        + f"The catalogue's `queries/{query.name}.rq`, with the parameters bound as typed RDF "
        "terms (never formatted into the text).",
        "parameters": [*parameters, _NAMED_QUERY_FORMATS, _NAMED_QUERY_TIMEOUT],
        "responses": {
            "200": {
                "description": f"The {form} query's results",
                "content": {m: {"schema": {"type": "string"}} for m in media_types},
            },
            **errors(400, 406, 503),
        },
    }


def add_named_queries(schema: dict[str, Any], catalogue: Catalogue) -> None:
    """Add one path per named query to an OpenAPI ``schema`` (in place)."""
    paths = schema.setdefault("paths", {})
    for query in catalogue:
        paths[f"/queries/{query.name}"] = {"get": named_query_operation(query)}
    tags = schema.setdefault("tags", [])
    if not any(t.get("name") == NAMED_QUERY_TAG for t in tags):
        tags.append(
            {
                "name": NAMED_QUERY_TAG,
                "description": "The catalogue of documented queries (queries/*.rq, "
                "docs/queries.md); CSV by default",
            }
        )


def install_openapi(app: FastAPI, catalogue: Callable[[], Catalogue]) -> None:
    """``/openapi.json`` with the named queries; duplicate operation ids are a startup error.

    WHY an error and not a renaming: FastAPI warns about a duplicate id on every start, and a
    client generator keys methods by id; a route that serves GET and HEAD must register them
    as two operations with their own ids (as ``/sparql`` and ``/health`` do)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        add_named_queries(schema, catalogue())
        ids = [op.get("operationId") for ops in schema["paths"].values() for op in ops.values()]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise RuntimeError(f"duplicate OpenAPI operation ids: {', '.join(repeated)}")
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


# --- the interactive documentation pages ------------------------------------------------------

VENDOR_DIR = Path(__file__).resolve().parent / "static" / "vendor"
INSTALL_HINT = "run `bash scripts/install-ui-assets` in the rcm-graph checkout (needs npm)"
_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{head}
</head>
<body>
{body}
</body>
</html>
"""
# Swagger UI is started by our own script file (the pages' CSP allows no inline script).
_SWAGGER = _PAGE.format(
    title="rcm-graph API (Swagger UI)",
    head='<link rel="icon" href="/static/vendor/swagger-ui/favicon-32x32.png">\n'
    '<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">\n'
    '<link rel="stylesheet" href="/static/api-docs.css">',
    body='<div id="swagger-ui" data-openapi="/openapi.json"></div>\n'
    '<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>\n'
    '<script src="/static/api-docs.js"></script>',
)


def install_pages(app: FastAPI) -> None:
    """``/docs``: Swagger UI from the vendored npm build; never a CDN."""

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> Response:
        if not (VENDOR_DIR / "swagger-ui" / "swagger-ui-bundle.js").is_file():
            return error_response(
                404,
                "the API documentation viewer is not installed",
                where=request.url.path,
                hint=INSTALL_HINT,
            )
        return HTMLResponse(_SWAGGER)


__all__ = [
    "ERROR_CONTENT",
    "PARAMETER_SCHEMAS",
    "add_named_queries",
    "errors",
    "install_openapi",
    "install_pages",
    "named_query_operation",
    "operation_id",
]

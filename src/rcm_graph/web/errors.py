"""The one place that turns errors into HTTP responses, always in the same JSON body shape::

    {"error": {"status": 400, "title": "Bad Request", "detail": "...", "where": null, "hint": null}}

WHY: clients (and tests) can rely on one shape on every route. An ``RcmGraphError`` is the
user's to fix and answers with its own ``http_status``; anything else is a bug in the server:
a 500 with a log line carrying the traceback, never a 400.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from rcm_graph.errors import QueryTimeout, RcmGraphError

log = logging.getLogger("rcm_graph.web")

ERROR_MEDIA_TYPE = "application/json"


class HTTPProblem(Exception):
    """A protocol-level refusal raised by a route (415, 406, 413 …) with a clear detail."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        where: str | None = None,
        hint: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.where = where
        self.hint = hint
        self.headers = headers or {}


def error_body(
    status: int, detail: str, *, where: str | None = None, hint: str | None = None
) -> bytes:
    """The serialised error body (also used by middlewares that answer before routing)."""
    title = _title(status)
    payload = {
        "error": {"status": status, "title": title, "detail": detail, "where": where, "hint": hint}
    }
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def error_response(
    status: int,
    detail: str,
    *,
    where: str | None = None,
    hint: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return Response(
        error_body(status, detail, where=where, hint=hint),
        status_code=status,
        media_type=ERROR_MEDIA_TYPE,
        headers=headers,
    )


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


# Set on the request's scope when a query reached its time limit; ``rcm_graph.web.metrics``
# counts it on the way out (the scope is the one object every layer of a request shares).
STOPPED_BY_TIME_LIMIT = "rcm.stopped_by_time_limit"


async def _on_rcm_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RcmGraphError)
    if isinstance(exc, QueryTimeout):
        request.scope[STOPPED_BY_TIME_LIMIT] = True
    if exc.http_status >= 500:
        log.warning(
            "%s %s -> %d: %s", request.method, request.url.path, exc.http_status, exc.one_line()
        )
    return error_response(exc.http_status, exc.what, where=exc.where, hint=exc.hint)


async def _on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPProblem)
    return error_response(
        exc.status, exc.detail, where=exc.where, hint=exc.hint, headers=exc.headers
    )


async def _on_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else _title(exc.status_code)
    if exc.status_code == 404:
        detail = f"there is nothing at {request.url.path}"
        hint: str | None = "the SPARQL endpoint is /sparql; named queries are under /queries/"
    elif exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
        hint = None
    else:
        hint = None
    return error_response(exc.status_code, detail, hint=hint, headers=dict(exc.headers or {}))


async def _on_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors()
    )
    return error_response(400, f"invalid request parameters ({problems})")


async def _on_bug(request: Request, exc: Exception) -> Response:
    log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(
        500,
        "internal server error",
        hint="this is a bug in rcm-graph; the server log has the details",
    )


def install(app: FastAPI) -> None:
    """Register the handlers on ``app`` (called once by ``create_app``)."""
    app.add_exception_handler(RcmGraphError, _on_rcm_error)
    app.add_exception_handler(HTTPProblem, _on_problem)
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(Exception, _on_bug)

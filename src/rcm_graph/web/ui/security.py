"""Security headers on every HTML response of the app (CSP, nosniff, referrer, framing)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from rcm_graph.web.ui.rendering import add_security_headers


def install_security_headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def html_security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        if response.headers.get("content-type", "").startswith("text/html"):
            add_security_headers(response.headers)
        else:
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

"""Security headers on every HTML response of the app (CSP, nosniff, referrer, framing).

WHY a pure ASGI middleware (not ``@app.middleware("http")``, Starlette's BaseHTTPMiddleware):
it only rewrites the headers of ``http.response.start``, so it neither wraps the response in a
second streaming task nor copies the body. The anatomy benchmark measured the decorator form
at about 0.5 ms per request, a quarter of the server's CPU per cheap SPARQL query.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rcm_graph.web.ui.rendering import add_security_headers


class SecurityHeaders:
    """HTML answers get the full set of security headers; every other answer ``nosniff``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith("text/html"):
                    add_security_headers(headers)
                elif "x-content-type-options" not in headers:
                    headers["X-Content-Type-Options"] = "nosniff"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install_security_headers(app: FastAPI) -> None:
    app.add_middleware(SecurityHeaders)

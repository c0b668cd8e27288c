"""Pure ASGI middlewares: request size limits and structured access logs.

WHY pure ASGI (not ``BaseHTTPMiddleware``): they must see the raw byte stream (a request body is
counted as it arrives, so an oversized upload is refused without being buffered) and must not
buffer streamed responses.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rcm_graph.web.errors import HTTPProblem, error_body

access_log = logging.getLogger("rcm_graph.access")

# Response headers the endpoint sets for clients; CORS must expose them to browser scripts.
EXPOSED_HEADERS = (
    "X-RCM-Query-Form",
    "X-RCM-Rows",
    "X-RCM-Max-Rows",
    "X-RCM-Truncated",
    "X-RCM-Elapsed-Ms",
    "X-RCM-Build",
)


# All request headers together (browsers and SPARQL clients send well under 8 KiB).
MAX_HEADER_BYTES = 32 * 1024


class _TooLarge(HTTPProblem):
    """Raised from ``receive``: the route's error handler answers it as a 413 in the one shape."""


def _is_too_large(exc: BaseException) -> bool:
    if isinstance(exc, BaseExceptionGroup):
        return any(_is_too_large(inner) for inner in exc.exceptions)
    return isinstance(exc, _TooLarge)


async def _send_error(send: Send, status: int, detail: str, hint: str) -> None:
    body = error_body(status, detail, hint=hint)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestLimit:
    """Refuse request bodies over ``max_bytes`` (413) and query strings over it (414)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        hint = f"the limit is {self.max_bytes} bytes (setting max_request_bytes)"
        if len(scope.get("query_string", b"")) > self.max_bytes:
            await _send_error(send, 414, "the query string is too long", hint)
            return
        headers = scope.get("headers", [])
        if sum(len(name) + len(value) for name, value in headers) > MAX_HEADER_BYTES:
            await _send_error(
                send,
                431,
                "the request headers are too large",
                f"the limit is {MAX_HEADER_BYTES} bytes for all headers together",
            )
            return
        for name, value in headers:
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await _send_error(send, 413, "the request body is too large", hint)
                return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge(413, "the request body is too large", hint=hint)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except Exception as exc:
            # Middlewares running the app in a task group wrap the error in an ExceptionGroup.
            if started or not _is_too_large(exc):
                raise
            await _send_error(send, 413, "the request body is too large", hint)


class AccessLog:
    """One JSON line per request on the ``rcm_graph.access`` logger.

    Fields: method, path, query string length, status, response bytes, duration in ms, client,
    user agent, and the query form, row count and truncation the SPARQL route reports in its
    ``X-RCM-*`` headers, so that slow or truncated queries can be found in the logs.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        record: dict[str, Any] = {
            "ts": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "method": scope.get("method"),
            "path": scope.get("path"),
            "query_bytes": len(scope.get("query_string", b"")),
            "status": None,
            "bytes": 0,
        }
        client = scope.get("client")
        if client:
            record["client"] = f"{client[0]}:{client[1]}"
        for name, value in scope.get("headers", []):
            if name == b"user-agent":
                record["user_agent"] = value.decode("latin-1")[:200]

        async def logging_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                record["status"] = message["status"]
                for name, value in message.get("headers", []):
                    key = name.decode("latin-1").lower()
                    if key.startswith("x-rcm-"):
                        record[key[6:].replace("-", "_")] = value.decode("latin-1")
            elif message["type"] == "http.response.body":
                record["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, logging_send)
        finally:
            record["ms"] = round((time.perf_counter() - start) * 1000, 2)
            if record["status"] is None:
                record["status"] = 500
            access_log.info(json.dumps(record, ensure_ascii=False))

"""Answering a repeated SPARQL query from memory, before routing, on the event loop.

WHY: a cheap query's answer costs the engine tens of microseconds, while the way there
(routing, the thread-pool hop of a ``def`` route, protocol parsing, the query policy, content
negotiation, the worker round trip, CORS and compression) costs about a millisecond of CPU
(docs/performance.md, anatomy). A build is immutable once published, so the complete response
to the same request against the same build is the same bytes: this middleware keeps it and
sends it again without entering the application.

What makes two requests "the same": method, path, query string, the ``Accept``,
``Accept-Encoding``, ``Origin``, ``Content-Type`` and ``Authorization`` headers (the only request
headers the layers below read for a query answer; an answer to a request with a token is
``no-store``, :mod:`rcm_graph.web.http_cache`) and the body. What makes an answer reusable: status
200 and an ``X-RCM-Query-Form`` header (only query results carry it: never an update, an
error, a redirect or the service description). Which build: the backend's
``answer_token()``; while a new build is being brought up there is none, and requests go the
full way (and wait for it), so a rebuild or a write is seen by the next request. With a
backend that has no such token (a remote store, which may change under us) nothing is cached.

Sits inside the access log and the size limits (every request is still logged and bounded)
and outside HTTP caching, CORS and compression (the kept response already has their headers and
bytes: its ``ETag`` and ``Cache-Control`` too). A request with ``If-None-Match`` that matches the
kept answer's tag gets the ``304`` instead, by the rule of :mod:`rcm_graph.web.http_cache`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rcm_graph.query.cache import ByteLRU
from rcm_graph.web.http_cache import not_modified, send_not_modified

# Request headers that change a query's response (conneg, compression, CORS, POST parsing,
# caching headers).
KEY_HEADERS = (b"accept", b"accept-encoding", b"origin", b"content-type", b"authorization")
# POST bodies longer than this are not keyed (a query that long is rarely repeated verbatim).
MAX_KEYED_BODY_BYTES = 64 * 1024
_CACHEABLE_POST_TYPES = (b"application/sparql-query", b"application/x-www-form-urlencoded")
_ELAPSED = b"x-rcm-elapsed-ms"

# A kept response: its headers, its body and its entity tag ("" when it has none).
Response = tuple[list[tuple[bytes, bytes]], bytes, str]


class ResponseCache:
    """Pure ASGI middleware: send a kept response for a repeated ``/sparql`` query."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        cache: ByteLRU[Response],
        token: Callable[[], str | None],
        path: str = "/sparql",
    ) -> None:
        self.app = app
        self.cache = cache
        self.token = token
        self.path = path
        self._token_seen: str | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            not self.cache.max_bytes
            or scope["type"] != "http"
            or scope.get("path") != self.path
            or scope.get("method") not in ("GET", "POST")
        ):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        token = self.token()
        if token is None:
            await self.app(scope, receive, send)
            return
        if token != self._token_seen:  # a new build: the kept answers are of the old one
            self.cache.clear()
            self._token_seen = token
        wanted = dict.fromkeys(KEY_HEADERS, b"")
        condition: bytes | None = None
        for name, value in scope.get("headers", ()):
            if name in wanted:
                wanted[name] = value
            elif name == b"if-none-match":
                condition = value
        body = b""
        if scope["method"] == "POST":
            media_type = wanted[b"content-type"].split(b";", 1)[0].strip().lower()
            if media_type not in _CACHEABLE_POST_TYPES:
                await self.app(scope, receive, send)
                return
            read, whole = await _read_body(receive, MAX_KEYED_BODY_BYTES)
            receive = _replay(read, receive)
            if whole is None:
                await self.app(scope, receive, send)
                return
            body = whole
        key = (token, scope["method"], scope.get("query_string", b""), *wanted.values(), body)
        kept = self.cache.get(key)
        if kept is not None:
            if condition is not None and kept[2] and not_modified(condition, kept[2]):
                await send_not_modified(send, kept[0])
            else:
                await _send_kept(send, kept, started)
            return
        await self.app(scope, receive, self._keeping(send, key))

    def _keeping(self, send: Send, key: tuple[object, ...]) -> Send:
        """``send``, keeping a copy of a reusable response as it passes."""
        limit = self.cache.max_bytes // 8
        headers: list[tuple[bytes, bytes]] | None = None
        chunks: list[bytes] = []
        size = 0

        async def keeping_send(message: Message) -> None:
            nonlocal headers, size
            kind = message["type"]
            if kind == "http.response.start":
                found = message.get("headers", [])
                if message["status"] == 200 and any(n == b"x-rcm-query-form" for n, _ in found):
                    headers = [(bytes(n), bytes(v)) for n, v in found]
            elif kind == "http.response.body" and headers is not None:
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    headers = None  # too big to keep: pass it through only
                else:
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        kept = b"".join(chunks) if len(chunks) != 1 else chunks[0]
                        header_bytes = sum(len(n) + len(v) for n, v in headers)
                        tag = next((v.decode("latin-1") for n, v in headers if n == b"etag"), "")
                        self.cache.put(key, (headers, kept, tag), size + header_bytes)
            await send(message)

        return keeping_send


async def _read_body(receive: Receive, limit: int) -> tuple[list[Message], bytes | None]:
    """Read the request body up to ``limit`` bytes.

    Returns the messages read (to be replayed to the application as they were) and the whole
    body, or ``None`` when it is longer than ``limit`` or the client went away first.
    """
    read: list[Message] = []
    size = 0
    while True:
        message = await receive()
        read.append(message)
        if message["type"] != "http.request":
            return read, None
        size += len(message.get("body", b""))
        if size > limit:
            return read, None
        if not message.get("more_body", False):
            return read, b"".join(m.get("body", b"") for m in read)


def _replay(read: list[Message], receive: Receive) -> Receive:
    """A ``receive`` that gives the messages already read first, then ``receive``'s."""
    pending = list(reversed(read))

    async def replay() -> Message:
        if pending:
            return pending.pop()
        return await receive()

    return replay


async def _send_kept(send: Send, kept: Response, started: float) -> None:
    headers, body, _ = kept
    elapsed = f"{(time.perf_counter() - started) * 1000:.1f}".encode()
    message: dict[str, Any] = {
        "type": "http.response.start",
        "status": 200,
        "headers": [(n, elapsed if n == _ELAPSED else v) for n, v in headers],
    }
    await send(message)
    await send({"type": "http.response.body", "body": body})


__all__ = ["KEY_HEADERS", "ResponseCache"]

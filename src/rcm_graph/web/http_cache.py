"""HTTP caching for proxies and browsers: ``ETag``, ``Cache-Control`` and ``304 Not Modified``.

WHY one middleware for every route: a build is immutable once published, so every ``GET`` answer
made from it (a query's results, a resource page, a dump) stays right until the next build is
published. A proxy in front (nginx, Varnish, a CDN) can keep it for a short while and then
revalidate it with ``If-None-Match``; that costs the server a header comparison instead of a
query. Routes do not each compute tags: the rules below are the one place that says which answer
may be kept, for how long, and what names it.

The entity tag is weak (``W/"<build>-<variant>"``): the build being served (the backend's
``answer_token()``) and a hash of what selects the representation within that build: the path and
query string (for ``/sparql`` the query and its parameters), the media type, content coding and
language (``Content-Language``: an HTML page in English or Spanish) of the answer, and the
package version (templates change with it). Weak, because pages are
semantically the same for one build but their bytes need not be (a CSP nonce, a timing header).
After a rebuild or a write the build part changes, so every old tag stops matching.

``If-None-Match`` is compared weakly (RFC 9110 §13.1.2): ``*`` or any listed tag equal to the
answer's, ignoring ``W/``. A match answers ``304`` with the 200's caching headers and no body.
Known tags are remembered per build (request key → headers), so a revalidation of a known answer
is answered before the application runs: no query, no page rendering, no file read.

The response cache (:mod:`rcm_graph.web.response_cache`) sits *outside* this middleware: it keeps
``/sparql`` answers with the tag and ``Cache-Control`` set here, and answers ``If-None-Match`` on
them with :func:`not_modified` and :func:`send_not_modified` from this module. WHY: a repeated
cheap query then costs no tagging at all; the tag of a kept answer is computed once, when it is
first answered. With the tagging of every kept answer, this middleware and the metrics made a
cached ``ASK`` cost a fifth more server CPU (349 against 283 µs per request, paired benchmark).

Static files keep the tag Starlette's ``FileResponse`` gives them (size and modification time);
``POST`` and other writes, requests carrying ``Authorization``, errors, ``/health`` and
``/metrics`` are ``no-store``. With a backend that has no ``answer_token`` (a remote store,
which may change under us) data answers get ``Cache-Control`` but no tag.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rcm_graph import __version__


@dataclass(frozen=True)
class Policy:
    """How answers under a path prefix may be kept: ``Cache-Control`` and the kind of tag."""

    cache_control: str
    tag: str  # "build": from the build and the variant; "file": the route's own; "": none


# Answers of one build: short, so that a proxy shows a rebuild within a minute even without
# revalidating; revalidation itself is cheap (a 304 from the tag memory below).
ANSWERS = Policy("public, max-age=60", "build")
# Dumps are large and named the same in every build: a few minutes, then revalidate.
DUMPS = Policy("public, max-age=300", "build")
# Our CSS/JS and the vendored editor: their URLs carry no content hash, so an hour, not a year.
STATIC = Policy("public, max-age=3600", "file")
NO_STORE = Policy("no-store", "")
# Generated from the code and the catalogue (not the build): revalidate every time.
DESCRIBED = Policy("no-cache", "")

# First matching prefix wins; paths matching none are pages of the current build (ANSWERS).
RULES: tuple[tuple[str, Policy], ...] = (
    ("/health", NO_STORE),
    ("/metrics", NO_STORE),
    ("/openapi.json", DESCRIBED),
    ("/docs", DESCRIBED),
    ("/static/", STATIC),
    ("/downloads/", DUMPS),
)

# Request headers that select a variant (with path and query string): the remembered tags are
# keyed by them, so a revalidation is only answered from memory for the same variant. The
# language of an HTML page comes from Accept-Language or the language cookie (ui.i18n).
KEY_HEADERS = (b"accept", b"accept-encoding", b"origin", b"accept-language", b"cookie")
# How many answers' tags are remembered per build (each a few hundred bytes of headers).
MAX_REMEMBERED = 4096
# Headers a 304 must not carry: they describe a body that is not sent (RFC 9110 §15.4.5).
_BODY_HEADERS = frozenset(
    {b"content-length", b"content-type", b"content-encoding", b"content-range", b"accept-ranges"}
)
_TAG = re.compile(r'\s*(?:W/)?"([^"]*)"\s*(?:,|$)')
_VERSION = __version__.encode()
_NO_STORE = NO_STORE.cache_control.encode()


def policy_for(method: str, path: str, headers: list[tuple[bytes, bytes]]) -> Policy:
    """The rule for one request: writes and anything sent with a token are never kept."""
    if method not in ("GET", "HEAD"):
        return NO_STORE
    for name, _ in headers:
        if name == b"authorization":
            return NO_STORE
    for prefix, policy in RULES:
        if path == prefix or path.startswith(prefix):
            return policy
    return ANSWERS


def if_none_match(value: str) -> set[str] | None:
    """The opaque tags of an ``If-None-Match`` value (``{"*"}`` for ``*``); ``None`` if it
    cannot be parsed (then the condition is ignored and the full answer sent)."""
    if value.strip() == "*":
        return {"*"}
    tags: set[str] = set()
    position = 0
    text = value.strip()
    while position < len(text):
        found = _TAG.match(text, position)
        if found is None:
            return None
        tags.add(found.group(1))
        position = found.end()
    return tags or None


def opaque(tag: str) -> str:
    """``W/"x"`` or ``"x"`` → ``x``: the weak comparison ignores the weakness flag."""
    tag = tag.strip()
    if tag.startswith("W/"):
        tag = tag[2:]
    return tag.strip('"')


def matches(wanted: set[str], tag: str) -> bool:
    return "*" in wanted or opaque(tag) in wanted


def not_modified(if_none_match_value: bytes, tag: str) -> bool:
    """Whether a request's raw ``If-None-Match`` header matches ``tag`` (an unparsable value
    never does: the full answer is sent)."""
    wanted = if_none_match(if_none_match_value.decode("latin-1"))
    return wanted is not None and matches(wanted, tag)


@functools.lru_cache(maxsize=16)
def _build_name(token: str) -> str:
    """The build part of a tag: the last segment of the token (the build id), which is unique
    per published build. Cached: the token changes only with a rebuild or a write."""
    return re.sub(r"[^A-Za-z0-9._-]", "", token.rsplit("/", 1)[-1])[:64]


def build_tag(token: str, parts: list[bytes]) -> str:
    """``W/"<build>-<variant hash>"``."""
    variant = hashlib.sha256(b"\0".join([_VERSION, *parts])).hexdigest()[:16]
    return f'W/"{_build_name(token)}-{variant}"'


class HttpCaching:
    """Pure ASGI middleware: tags ``GET``/``HEAD`` answers, answers ``304``, sets
    ``Cache-Control`` (see the module docstring for the rules)."""

    def __init__(self, app: ASGIApp, *, token: Callable[[], str | None] | None) -> None:
        self.app = app
        self.token = token
        self._token_seen: str | None = None
        self._known: OrderedDict[tuple[bytes, ...], list[tuple[bytes, bytes]]] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = list(scope.get("headers", ()))
        policy = policy_for(scope.get("method", ""), scope.get("path", ""), headers)
        if policy.tag == "":
            await self.app(scope, receive, _with_cache_control(send, policy.cache_control))
            return
        wanted: set[str] | None = None
        selectors = dict.fromkeys(KEY_HEADERS, b"")
        for name, value in headers:
            if name == b"if-none-match":
                wanted = if_none_match(value.decode("latin-1"))
            elif name in selectors:
                selectors[name] = value
        token = self._current_token() if policy.tag == "build" else None
        key = (
            (token or "").encode(),
            scope.get("path", "").encode(),
            scope.get("query_string", b""),
            *selectors.values(),
        )
        if wanted is not None and token is not None:
            known = self._known.get(key)
            if known is not None and matches(wanted, _header(known, b"etag")):
                await send_not_modified(send, known)
                return
        await self.app(scope, receive, self._tagging(send, scope, policy, token, key, wanted))

    def _current_token(self) -> str | None:
        token = self.token() if self.token is not None else None
        if token != self._token_seen:  # a new build: forget the old build's tags
            self._known.clear()
            self._token_seen = token
        return token

    def _remember(self, key: tuple[bytes, ...], headers: list[tuple[bytes, bytes]]) -> None:
        self._known[key] = headers
        self._known.move_to_end(key)
        while len(self._known) > MAX_REMEMBERED:
            self._known.popitem(last=False)

    def _tagging(
        self,
        send: Send,
        scope: Scope,
        policy: Policy,
        token: str | None,
        key: tuple[bytes, ...],
        wanted: set[str] | None,
    ) -> Send:
        """``send``, adding the tag and Cache-Control; a 304 instead when the tag matches."""
        not_modified = False

        async def tagging_send(message: Message) -> None:
            nonlocal not_modified
            if message["type"] == "http.response.start":
                headers = message["headers"] = list(message.get("headers", ()))
                status = message["status"]
                if status not in (200, 206, 304):  # errors and redirects are not kept
                    _set_header(headers, b"cache-control", _NO_STORE)
                    await send(message)
                    return
                found = dict(reversed(headers))  # the first of each name, as Headers.get does
                if b"cache-control" not in found:
                    headers.append((b"cache-control", policy.cache_control.encode()))
                if policy.tag == "build":
                    tag = None
                    # The token again: a build switched while answering must not be named.
                    if token is not None and self.token is not None and self.token() == token:
                        tag = build_tag(
                            token,
                            [
                                scope.get("path", "").encode(),
                                scope.get("query_string", b""),
                                found.get(b"content-type", b""),
                                found.get(b"content-encoding", b""),
                                found.get(b"content-language", b""),
                            ],
                        )
                        _set_header(headers, b"etag", tag.encode())
                        if status == 200:
                            self._remember(key, list(headers))
                    elif b"etag" in found:  # a file's own tag would outlive the build
                        headers[:] = [(n, v) for n, v in headers if n != b"etag"]
                else:
                    tag = found[b"etag"].decode("latin-1") if b"etag" in found else None
                if status == 200 and tag and wanted is not None and matches(wanted, tag):
                    not_modified = True
                    await send_not_modified(send, headers)
                    return
                await send(message)
            elif not_modified:
                # send_not_modified has ended the response: the 200's body is dropped whole. A
                # second final body message would be a protocol error that makes the server
                # close the connection; newer Starlette and uvicorn mostly hide it by
                # cancelling a file response whose client has its answer, older ones never.
                return
            else:
                await send(message)

        return tagging_send


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str:
    return next((v.decode("latin-1") for n, v in headers if n.lower() == name), "")


def _with_cache_control(send: Send, value: str) -> Send:
    encoded = value.encode()

    async def cache_control_send(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = message["headers"] = list(message.get("headers", ()))
            if all(name != b"cache-control" for name, _ in headers):
                headers.append((b"cache-control", encoded))
        await send(message)

    return cache_control_send


def _set_header(headers: list[tuple[bytes, bytes]], name: bytes, value: bytes) -> None:
    """Set ``name`` (lower case) to ``value`` in a raw ASGI header list: in place of the first
    such header, the others removed, else appended (as Starlette's ``MutableHeaders`` does,
    without its per-call decoding: this runs on every tagged answer)."""
    places = [i for i, (n, _) in enumerate(headers) if n == name]
    if not places:
        headers.append((name, value))
        return
    headers[places[0]] = (name, value)
    for i in reversed(places[1:]):
        del headers[i]


async def send_not_modified(send: Send, headers: list[tuple[bytes, bytes]]) -> None:
    """A ``304`` carrying the caching headers of the 200 it stands for (``headers``)."""
    kept = [(n, v) for n, v in headers if n.lower() not in _BODY_HEADERS]
    await send({"type": "http.response.start", "status": 304, "headers": kept})
    await send({"type": "http.response.body", "body": b""})


__all__ = [
    "RULES",
    "HttpCaching",
    "Policy",
    "build_tag",
    "if_none_match",
    "not_modified",
    "policy_for",
    "send_not_modified",
]

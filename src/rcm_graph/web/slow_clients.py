"""A time limit on reading each request: headers and body must arrive within
``request_read_timeout_s`` of the request's first byte (of the connection, for the first one).

WHY (issue 17): uvicorn's HTTP protocols have a keep-alive timeout between requests, but nothing
bounds a request that arrives slowly; a connection sending 1 byte/s (or nothing at all after
connecting) stayed open for as long as the client wished, and a few hundred of them hold every
file descriptor the server has. The limit is enforced in the protocol, where the header phase
is visible (no ASGI middleware sees a request before its headers are complete).

A client still sending its headers at the limit gets ``408 Request Timeout`` and the connection
is closed; one still sending its body has the connection closed (the route sees a disconnect).
A request whose bytes have all arrived is not limited here: its processing has its own limits.

Both of uvicorn's HTTP/1.1 protocols get the limit, and the server uses the one uvicorn itself
would choose: httptools (C, installed by ``uvicorn[standard]``) when it is there, h11 (pure
Python) otherwise. WHY: forcing h11 to add the limit cost about 60 % more server CPU on a cheap
cached query than uvicorn's default httptools (measured: 312 against 503 µs per request).
"""

from __future__ import annotations

import asyncio
import logging

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("rcm_graph.web")


class _ReadDeadline:
    """The timer both protocols share: armed when a request's first byte arrives (or the
    connection opens), disarmed when the request has arrived in full."""

    read_timeout_s: float = 30.0

    _read_timer: asyncio.TimerHandle | None = None
    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    client: tuple[str, int] | None

    def _arm(self) -> None:
        self._disarm()
        self._read_timer = self.loop.call_later(self.read_timeout_s, self._read_timed_out)

    def _disarm(self) -> None:
        if self._read_timer is not None:
            self._read_timer.cancel()
            self._read_timer = None

    def _still_in_headers(self) -> bool | None:
        """True: no whole header block yet (answer 408); False: in the body (close);
        None: the request has arrived after all (do nothing)."""
        raise NotImplementedError

    def _read_timed_out(self) -> None:
        self._read_timer = None
        if self.transport.is_closing():
            return
        in_headers = self._still_in_headers()
        if in_headers is None:
            return
        client = f"{self.client[0]}:{self.client[1]}" if self.client else "a client"
        log.warning(
            "closing the connection of %s: its request did not arrive within %g s",
            client,
            self.read_timeout_s,
        )
        if in_headers:
            # Written directly: no request was parsed, so the protocol has nothing to answer.
            self.transport.write(_REQUEST_TIMEOUT)
        self.transport.close()


class ReadTimeoutH11Protocol(_ReadDeadline, H11Protocol):
    """uvicorn's h11 protocol with a deadline on receiving each request."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._read_timer is None and self.conn.their_state is h11.IDLE:
            self._arm()  # the first bytes of the next request on a kept-alive connection
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE and self.conn.their_state is not h11.SEND_BODY:
            self._disarm()  # received in full (DONE), or the connection is ending

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _still_in_headers(self) -> bool | None:
        state = self.conn.their_state
        if state is h11.DONE:
            return None
        return state is h11.IDLE and self.conn.our_state is h11.IDLE


def _httptools_protocol() -> type[_ReadDeadline] | None:
    """The httptools variant, or None when httptools is not installed (uvicorn's own test)."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol  # imports httptools
    except ImportError:
        return None

    class ReadTimeoutHttpToolsProtocol(_ReadDeadline, HttpToolsProtocol):
        """uvicorn's httptools protocol with a deadline on receiving each request. The parser
        reports a request's phases by callbacks, which keep ``_in_headers`` and the timer."""

        _in_headers: bool = True  # until a request's header block is complete

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            if self._read_timer is None:
                self._in_headers = True
                self._arm()  # the first bytes of the next request on a kept-alive connection
            super().data_received(data)

        def on_headers_complete(self) -> None:
            self._in_headers = False
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            self._disarm()  # received in full; the response has its own limits
            super().on_message_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _still_in_headers(self) -> bool | None:
            return self._in_headers

    return ReadTimeoutHttpToolsProtocol


_REQUEST_TIMEOUT_BODY = b"the request was not received in time\n"
_REQUEST_TIMEOUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    + b"content-length: %d\r\nconnection: close\r\n\r\n" % len(_REQUEST_TIMEOUT_BODY)
    + _REQUEST_TIMEOUT_BODY
)


def protocol_with_read_timeout(seconds: float, *, parser: str = "auto") -> type[asyncio.Protocol]:
    """The protocol class to give ``uvicorn.Config(http=...)`` for a read limit of ``seconds``.

    ``parser``: ``auto`` (httptools when installed, as uvicorn chooses), ``httptools`` or
    ``h11``; asking for httptools without it installed is an error."""
    base: type[_ReadDeadline] | None
    if parser == "h11":
        base = ReadTimeoutH11Protocol
    else:
        base = _httptools_protocol()
        if base is None:
            if parser == "httptools":
                raise RuntimeError("httptools is not installed (pip install 'uvicorn[standard]')")
            base = ReadTimeoutH11Protocol
    return type(base.__name__, (base,), {"read_timeout_s": float(seconds)})

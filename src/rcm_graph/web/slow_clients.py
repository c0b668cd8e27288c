"""A time limit on reading each request: headers and body must arrive within
``request_read_timeout_s`` of the request's first byte (of the connection, for the first one).

WHY (issue 17): uvicorn's h11 protocol has a keep-alive timeout between requests, but nothing
bounds a request that arrives slowly; a connection sending 1 byte/s (or nothing at all after
connecting) stayed open for as long as the client wished, and a few hundred of them hold every
file descriptor the server has. The limit is enforced in the protocol, where the header phase
is visible (no ASGI middleware sees a request before its headers are complete).

A client still sending its headers at the limit gets ``408 Request Timeout`` and the connection
is closed; one still sending its body has the connection closed (the route sees a disconnect).
A request whose bytes have all arrived is not limited here: its processing has its own limits.
"""

from __future__ import annotations

import asyncio
import logging

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("rcm_graph.web")


class ReadTimeoutH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline on receiving each request."""

    read_timeout_s: float = 30.0

    _read_timer: asyncio.TimerHandle | None = None

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

    def _arm(self) -> None:
        self._disarm()
        self._read_timer = self.loop.call_later(self.read_timeout_s, self._read_timed_out)

    def _disarm(self) -> None:
        if self._read_timer is not None:
            self._read_timer.cancel()
            self._read_timer = None

    def _read_timed_out(self) -> None:
        self._read_timer = None
        if self.transport.is_closing():
            return
        state = self.conn.their_state
        if state is h11.DONE:
            return
        client = f"{self.client[0]}:{self.client[1]}" if self.client else "a client"
        log.warning(
            "closing the connection of %s: its request did not arrive within %g s",
            client,
            self.read_timeout_s,
        )
        if state is h11.IDLE and self.conn.our_state is h11.IDLE:  # still in its headers
            # Written directly: h11 has no request to answer yet, so it would refuse a Response.
            self.transport.write(_REQUEST_TIMEOUT)
        self.transport.close()


_REQUEST_TIMEOUT_BODY = b"the request was not received in time\n"
_REQUEST_TIMEOUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    + b"content-length: %d\r\nconnection: close\r\n\r\n" % len(_REQUEST_TIMEOUT_BODY)
    + _REQUEST_TIMEOUT_BODY
)


def protocol_with_read_timeout(seconds: float) -> type[ReadTimeoutH11Protocol]:
    """The protocol class to give ``uvicorn.Config(http=...)`` for a read limit of ``seconds``."""
    return type(
        "ReadTimeoutH11Protocol", (ReadTimeoutH11Protocol,), {"read_timeout_s": float(seconds)}
    )

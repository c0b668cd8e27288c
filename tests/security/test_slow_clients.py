"""Issue 17, point 8: a request must arrive within ``request_read_timeout_s`` (headers and body).
Before the fix a connection sending 1 byte/s, or nothing at all, stayed open indefinitely."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from hardening_server import ServerProcess, serve

pytestmark = pytest.mark.slow

LIMIT_S = 1.5


def _closed_after(sock: socket.socket, trickle: bytes, *, within_s: float) -> tuple[float, bytes]:
    """Send ``trickle`` one byte every 0.25 s until the server closes the connection; return
    when it did (seconds after the first byte) and what it answered."""
    sock.settimeout(0.25)
    started = time.monotonic()
    answer = b""
    for i in range(10_000):
        if time.monotonic() - started > within_s:
            raise AssertionError(f"still open after {within_s} s")
        try:
            sock.sendall(trickle[i % len(trickle) : i % len(trickle) + 1])
        except OSError:  # reset: closed
            return time.monotonic() - started, answer
        try:
            chunk = sock.recv(4096)
        except TimeoutError:
            continue
        except OSError:
            return time.monotonic() - started, answer
        if not chunk:
            return time.monotonic() - started, answer
        answer += chunk
    raise AssertionError("unreachable")


def _connect(server: ServerProcess) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=5)


def test_slow_and_silent_connections_are_cut(tmp_path: Path) -> None:
    env = {"RCM_GRAPH_REQUEST_READ_TIMEOUT_S": str(LIMIT_S)}
    with serve(tmp_path / "data", env=env) as server:
        # Headers at 4 bytes/s: 408, then closed.
        with _connect(server) as sock:
            slow_headers = b"GET /health HTTP/1.1\r\nX-Slow: aaaa"
            elapsed, answer = _closed_after(sock, slow_headers, within_s=8)
            assert LIMIT_S - 0.1 < elapsed < LIMIT_S + 2.5, elapsed
            assert answer.startswith(b"HTTP/1.1 408 "), answer
        # A body at 4 bytes/s: closed.
        with _connect(server) as sock:
            sock.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                b"Content-Length: 1000\r\n\r\n"
            )
            elapsed, _ = _closed_after(sock, b"ASK {}", within_s=8)
            assert elapsed < LIMIT_S + 2.5, elapsed
        # Connected, silent: closed.
        with _connect(server) as sock:
            sock.settimeout(LIMIT_S + 5)
            started = time.monotonic()
            assert sock.recv(4096).startswith(b"HTTP/1.1 408 ")
            assert time.monotonic() - started < LIMIT_S + 2.5
        # Prompt requests on a kept-alive connection are unaffected, across several limits.
        with _connect(server) as sock:
            for _ in range(3):
                sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                assert _response(sock).startswith(b"HTTP/1.1 200 ")
                time.sleep(LIMIT_S * 0.8)


def _response(sock: socket.socket) -> bytes:
    """One whole response (headers, then the body its Content-Length announces)."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body

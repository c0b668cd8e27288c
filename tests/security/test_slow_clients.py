"""Issue 17, point 8: a request must arrive within ``request_read_timeout_s`` (headers and body).
Before the fix a connection sending 1 byte/s, or nothing at all, stayed open indefinitely."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from hardening_server import ServerProcess, serve
from starlette.types import Receive, Scope, Send

from rcm_graph.web.slow_clients import protocol_with_read_timeout

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


async def _hello(scope: Scope, receive: Receive, send: Send) -> None:
    """A minimal ASGI app: reads the whole body, answers 200."""
    while scope["type"] == "http":
        message = await receive()
        if not message.get("more_body"):
            break
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]}
    )
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.mark.parametrize("parser", ["h11", "httptools"])
def test_each_http_parser_has_the_read_limit(parser: str) -> None:
    """The server uses httptools when it is installed (as uvicorn does) and h11 otherwise; the
    limit must hold with either. Real uvicorn on a loopback port, in a thread."""
    protocol = protocol_with_read_timeout(LIMIT_S, parser=parser)
    assert parser.lower() in " ".join(c.__name__.lower() for c in protocol.__mro__)
    config = uvicorn.Config(
        _hello, host="127.0.0.1", port=0, http=protocol, lifespan="off", log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
            time.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            elapsed, answer = _closed_after(sock, b"GET / HTTP/1.1\r\nX-Slow: aaaa", within_s=8)
            assert LIMIT_S - 0.1 < elapsed < LIMIT_S + 2.5, elapsed
            assert answer.startswith(b"HTTP/1.1 408 "), answer
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
            elapsed, answer = _closed_after(sock, b"abcdef", within_s=8)
            assert elapsed < LIMIT_S + 2.5 and b" 408 " not in answer, (elapsed, answer)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            for _ in range(3):
                sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                assert _response(sock).startswith(b"HTTP/1.1 200 ")
                time.sleep(LIMIT_S * 0.8)
    finally:
        server.should_exit = True
        thread.join(timeout=10)

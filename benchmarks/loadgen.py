"""A small HTTP/1.1 load client: c keep-alive connections on asyncio, bounded in time.

WHY our own: the brief allows no load tool beyond Python (wrk is not a dependency); this one
sends pre-encoded GET requests and parses only the status line, the headers and the body length
(Content-Length or chunked), so its cost per request is a few tens of microseconds. It runs in
its own process, on the same 2 cores as the server under test: every target pays that share
alike, so ratios between targets stay fair, while absolute req/s are a lower bound.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

try:  # uvloop makes the client cheaper when it is installed (uvicorn[standard] brings it)
    import uvloop
except ImportError:  # pragma: no cover
    uvloop = None


@dataclass
class CellResult:
    """One (target, query, concurrency) cell."""

    concurrency: int
    duration_s: float
    requests: int
    errors: int
    latencies_ms: list[float] = field(default_factory=list)
    status_codes: dict[int, int] = field(default_factory=dict)
    last_body_bytes: int = 0
    completed: int = 0  # every response, warm-up included (for CPU per request)

    @property
    def throughput(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0


def build_request(host: str, port: int, path: str, params: dict[str, str], accept: str) -> bytes:
    target = path + ("?" + urlencode(params) if params else "")
    return (
        f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: {accept}\r\n"
        "User-Agent: rcm-graph-bench\r\nConnection: keep-alive\r\n\r\n"
    ).encode("latin-1")


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, int]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = None
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        lname = name.strip().lower()
        if lname == b"content-length":
            length = int(value.strip())
        elif lname == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        total = 0
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";")[0].strip(), 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                return status, total
            await reader.readexactly(size + 2)
            total += size
    if length is None:
        raise ConnectionError("response without Content-Length or chunked encoding")
    if length:
        await reader.readexactly(length)
    return status, length


async def _worker(
    host: str,
    port: int,
    request: bytes,
    t_start: float,
    t_end: float,
    result: CellResult,
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while True:
            sent = time.perf_counter()
            if sent >= t_end:
                return
            writer.write(request)
            try:
                status, size = await _read_response(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                result.errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            done = time.perf_counter()
            result.completed += 1
            if sent >= t_start and done <= t_end:
                result.requests += 1
                result.latencies_ms.append((done - sent) * 1000)
                result.status_codes[status] = result.status_codes.get(status, 0) + 1
                result.last_body_bytes = size
                if status >= 400:
                    result.errors += 1
    finally:
        writer.close()


async def _run(
    host: str,
    port: int,
    request: bytes,
    concurrency: int,
    warmup_s: float,
    duration_s: float,
    drain_s: float,
) -> CellResult:
    now = time.perf_counter()
    t_start, t_end = now + warmup_s, now + warmup_s + duration_s
    result = CellResult(concurrency=concurrency, duration_s=duration_s, requests=0, errors=0)
    tasks = [
        asyncio.create_task(_worker(host, port, request, t_start, t_end, result))
        for _ in range(concurrency)
    ]
    done, pending = await asyncio.wait(tasks, timeout=warmup_s + duration_s + drain_s)
    for task in pending:  # requests still running past the drain time are abandoned
        task.cancel()
    for task in done:
        if task.exception() is not None:
            result.errors += 1
    return result


def run_cell(
    host: str,
    port: int,
    request: bytes,
    *,
    concurrency: int,
    warmup_s: float,
    duration_s: float,
    drain_s: float = 30.0,
) -> CellResult:
    """Hammer one URL with ``concurrency`` connections for ``duration_s`` (after a warm-up)."""
    coro = _run(host, port, request, concurrency, warmup_s, duration_s, drain_s)
    if uvloop is not None:
        return uvloop.run(coro)
    return asyncio.run(coro)

"""A pathological query is stopped by its time limit: its worker is killed and replaced, the
client gets 503, and other clients are served meanwhile (concurrent requests, real server)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from endpoint_support import LiveServer, error_of, parse_solutions, start_server

from rcm_graph.executor import LocalBackend

V = " ".join(str(i) for i in range(100))
# 10^10 solutions to count: runs for hours unless stopped.
PATHOLOGICAL = (
    f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?a {{ {V} }} VALUES ?b {{ {V} }} "
    f"VALUES ?c {{ {V} }} VALUES ?d {{ {V} }} VALUES ?e {{ {V} }} }}"
)
SERVER_TIMEOUT_S = 2.0

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def slow_server(fixture_data_dir: Path) -> Iterator[LiveServer]:
    live = start_server(fixture_data_dir, query_timeout_s=SERVER_TIMEOUT_S, query_workers=2)
    yield live
    live.stop()


def backend_of(server: LiveServer) -> LocalBackend:
    backend = server.app.state.context.backend
    assert isinstance(backend, LocalBackend)
    return backend


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return (
        Path(f"/proc/{pid}").exists()
        and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
    )


def wait_for_pool(backend: LocalBackend, size: int, within_s: float = 60) -> None:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if len(backend.worker_pids()) == size:
            return
        time.sleep(0.05)
    raise AssertionError(f"the pool did not get back to {size} workers")


def timed_get(url: str, params: dict[str, str]) -> tuple[httpx.Response, float]:
    start = time.monotonic()
    response = httpx.get(url, params=params, timeout=60)
    return response, time.monotonic() - start


def test_pathological_query_gets_503_while_others_are_served(slow_server: LiveServer) -> None:
    backend = backend_of(slow_server)
    wait_for_pool(backend, 2)
    with ThreadPoolExecutor(max_workers=1) as pool:
        slow = pool.submit(timed_get, slow_server.endpoint, {"query": PATHOLOGICAL})
        deadline = time.monotonic() + 10
        while not backend.busy_pids and time.monotonic() < deadline:
            time.sleep(0.01)
        victim = backend.busy_pids[0]
        cheap_latencies = []
        while not slow.done():
            response, elapsed = timed_get(
                slow_server.endpoint, {"query": "ASK { ?s ?p ?o }", "format": "json"}
            )
            assert parse_solutions(response) is True
            cheap_latencies.append(elapsed)
        response, elapsed = slow.result()
    assert response.status_code == 503
    error = error_of(response)
    assert "time limit" in str(error["detail"])
    assert SERVER_TIMEOUT_S <= elapsed < SERVER_TIMEOUT_S + 3
    assert len(cheap_latencies) >= 5, "other clients were not served during the slow query"
    assert max(cheap_latencies) < 1.5
    # the work really stopped: the worker that ran it is gone, and a fresh one replaced it
    deadline = time.monotonic() + 10
    while pid_alive(victim) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not pid_alive(victim)
    wait_for_pool(backend, 2)
    assert victim not in backend.worker_pids()
    assert parse_solutions(httpx.get(slow_server.endpoint, params={"query": "ASK {}"})) is True


def test_timeout_parameter_is_honoured_and_capped(slow_server: LiveServer) -> None:
    wait_for_pool(backend_of(slow_server), 2)
    short, elapsed = timed_get(slow_server.endpoint, {"query": PATHOLOGICAL, "timeout": "0.5"})
    assert short.status_code == 503
    assert 0.5 <= elapsed < SERVER_TIMEOUT_S
    wait_for_pool(backend_of(slow_server), 2)
    capped, elapsed = timed_get(slow_server.endpoint, {"query": PATHOLOGICAL, "timeout": "600"})
    assert capped.status_code == 503
    assert elapsed < SERVER_TIMEOUT_S + 3
    bad = httpx.get(slow_server.endpoint, params={"query": "ASK {}", "timeout": "soon"})
    assert bad.status_code == 400
    assert error_of(bad)["where"] == "timeout"


def test_every_worker_stuck_still_answers_and_recovers(slow_server: LiveServer) -> None:
    backend = backend_of(slow_server)
    wait_for_pool(backend, 2)
    with ThreadPoolExecutor(max_workers=3) as pool:
        stuck = [
            pool.submit(timed_get, slow_server.endpoint, {"query": PATHOLOGICAL}) for _ in range(2)
        ]
        time.sleep(0.3)
        waiting = pool.submit(timed_get, slow_server.endpoint, {"query": "ASK {}", "timeout": "1"})
        results = [f.result() for f in stuck]
        queued, _ = waiting.result()
    assert [r.status_code for r, _ in results] == [503, 503]
    # the third client could not get a worker within its own 1 s limit: a clear 503, not a hang
    assert queued.status_code == 503
    assert "busy" in str(error_of(queued)["detail"])
    wait_for_pool(backend, 2)
    assert parse_solutions(httpx.get(slow_server.endpoint, params={"query": "ASK {}"})) is True

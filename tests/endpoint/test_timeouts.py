"""A pathological query is stopped by its time limit: its worker is killed and replaced, the
client gets 503, and other clients are served meanwhile (concurrent requests, real server).
With every long-query slot taken, a further long query is refused early and short queries
still get a worker (the fast lane)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from endpoint_support import LiveServer, error_of, parse_solutions, start_server

from rcm_graph.query.local.backend import LocalBackend

V = " ".join(str(i) for i in range(100))
# 10^10 solutions to count: runs for hours unless stopped.
PATHOLOGICAL = (
    f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?a {{ {V} }} VALUES ?b {{ {V} }} "
    f"VALUES ?c {{ {V} }} VALUES ?d {{ {V} }} VALUES ?e {{ {V} }} }}"
)
SERVER_TIMEOUT_S = 2.0
LANE_TIMEOUT_S = 8.0

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
    wait_for_pool(backend, backend.size)
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
    wait_for_pool(backend, backend.size)
    assert victim not in backend.worker_pids()
    assert parse_solutions(httpx.get(slow_server.endpoint, params={"query": "ASK {}"})) is True


def test_timeout_parameter_is_honoured_and_capped(slow_server: LiveServer) -> None:
    wait_for_pool(backend_of(slow_server), backend_of(slow_server).size)
    short, elapsed = timed_get(slow_server.endpoint, {"query": PATHOLOGICAL, "timeout": "0.5"})
    assert short.status_code == 503
    assert 0.5 <= elapsed < SERVER_TIMEOUT_S
    wait_for_pool(backend_of(slow_server), backend_of(slow_server).size)
    capped, elapsed = timed_get(slow_server.endpoint, {"query": PATHOLOGICAL, "timeout": "600"})
    assert capped.status_code == 503
    assert elapsed < SERVER_TIMEOUT_S + 3
    bad = httpx.get(slow_server.endpoint, params={"query": "ASK {}", "timeout": "soon"})
    assert bad.status_code == 400
    assert error_of(bad)["where"] == "timeout"


@pytest.fixture(scope="module")
def lane_server(fixture_data_dir: Path) -> Iterator[LiveServer]:
    """Time limits long enough that the two long queries surely outlast the third one, even
    when a loaded machine gives the third little CPU."""
    live = start_server(fixture_data_dir, query_timeout_s=LANE_TIMEOUT_S, query_workers=2)
    yield live
    live.stop()


def test_long_queries_cannot_take_the_fast_lane(lane_server: LiveServer) -> None:
    """Two long queries hold both long slots: a third long one is stopped early (503, busy)
    and short queries keep getting answers from the fast lane meanwhile."""
    slow_server = lane_server
    backend = backend_of(slow_server)
    wait_for_pool(backend, backend.size)
    assert backend.long_slots == 2 and backend.size > backend.long_slots
    with ThreadPoolExecutor(max_workers=3) as pool:
        stuck = [
            pool.submit(timed_get, slow_server.endpoint, {"query": PATHOLOGICAL + f" # {i}"})
            for i in range(2)
        ]
        deadline = time.monotonic() + 10
        while backend.status()["long_running"] != 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert backend.status()["long_running"] == 2
        third = pool.submit(timed_get, slow_server.endpoint, {"query": PATHOLOGICAL + " # 3"})
        cheap = []
        while not third.done():
            response, elapsed = timed_get(slow_server.endpoint, {"query": "ASK { ?s ?p ?o }"})
            assert parse_solutions(response) is True
            cheap.append(elapsed)
        refused, refused_after = third.result()
        results = [f.result() for f in stuck]
    assert [r.status_code for r, _ in results] == [503, 503]
    assert refused.status_code == 503
    assert "long queries" in str(error_of(refused)["detail"])
    assert refused_after < LANE_TIMEOUT_S  # stopped early, not at its time limit
    assert cheap and max(cheap) < 1.5
    wait_for_pool(backend, backend.size)
    assert parse_solutions(httpx.get(slow_server.endpoint, params={"query": "ASK {}"})) is True


def test_a_query_seen_to_run_long_waits_for_a_long_slot(slow_server: LiveServer) -> None:
    """The same long query sent again while both long slots are busy never starts: it waits
    for a slot until its own time limit (503, busy), and short queries are still answered."""
    backend = backend_of(slow_server)
    wait_for_pool(backend, backend.size)
    with ThreadPoolExecutor(max_workers=3) as pool:
        stuck = [
            pool.submit(timed_get, slow_server.endpoint, {"query": PATHOLOGICAL}) for _ in range(2)
        ]
        time.sleep(0.5)
        queued = pool.submit(
            timed_get, slow_server.endpoint, {"query": PATHOLOGICAL, "timeout": "1"}
        )
        ask, _ = timed_get(slow_server.endpoint, {"query": "ASK {}", "timeout": "1"})
        results = [f.result() for f in stuck]
        waited, _ = queued.result()
    assert parse_solutions(ask) is True
    assert [r.status_code for r, _ in results] == [503, 503]
    assert waited.status_code == 503
    assert "busy" in str(error_of(waited)["detail"])
    wait_for_pool(backend, backend.size)
    assert parse_solutions(httpx.get(slow_server.endpoint, params={"query": "ASK {}"})) is True

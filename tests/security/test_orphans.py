"""Issue 17, point 7: when the server is SIGKILLed its query processes die with it. Before the
fix a worker kept running its query with no limit (47 s and more against a 5 s limit; up to 7
processes, 972 MiB) once the server that would have killed it at its limit was gone."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest
from hardening_server import alive, serve

pytestmark = pytest.mark.slow

# Five copies of the dataset joined: about 60**5 rows to count, minutes of CPU.
SLOW = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o }"


def _busy(url: str) -> bool:
    try:
        pool = httpx.get(url + "/health", timeout=2).json().get("pool", {})
    except (httpx.HTTPError, ValueError):
        return False
    return bool(pool.get("busy"))


def test_no_query_process_outlives_a_killed_server(tmp_path: Path) -> None:
    with serve(tmp_path / "data", env={"RCM_GRAPH_QUERY_TIMEOUT_S": "120"}) as server:

        def run_slow_query() -> None:
            with contextlib.suppress(httpx.HTTPError):  # the server is killed under it
                httpx.get(server.url + "/sparql", params={"query": SLOW}, timeout=130)

        threading.Thread(target=run_slow_query, daemon=True).start()
        deadline = time.monotonic() + 30
        while not _busy(server.url):
            assert time.monotonic() < deadline, "the slow query never started"
            time.sleep(0.1)
        time.sleep(0.5)  # well into the query
        processes = server.descendants()
        assert len(processes) >= 3, processes  # the zygote and two workers at least
        os.kill(server.pid, signal.SIGKILL)
        server.proc.wait(timeout=10)
        time.sleep(2.0)
        survivors = sorted(pid for pid in processes if alive(pid))
        assert not survivors, f"still running 2 s after the server was killed: {survivors}"

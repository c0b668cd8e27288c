"""Answers awaited on the event loop: large ones arrive whole, under concurrency, without cache.

Regression: uvloop's ``add_reader`` left the worker pipe non-blocking, so an answer larger than
the socket buffer failed half-way (503 "the query worker stopped") once clients overlapped.
"""

from __future__ import annotations

import concurrent.futures
import json
from pathlib import Path

import httpx
from endpoint_support import EX, TRIG, start_server, write_dataset

ROWS = 400


def test_large_answers_to_concurrent_clients_arrive_whole(tmp_path: Path) -> None:
    big = "\n".join(
        f"<urn:x:s{i}> <urn:x:label> {json.dumps(f'{i} ' + 'label text ' * 60)} ."
        for i in range(ROWS)
    )
    write_dataset(tmp_path, TRIG + f"<{EX}graph/big> {{ {big} }}")
    live = start_server(tmp_path, query_cache_mb=0, max_result_rows=1000, query_workers=2)
    query = "SELECT ?s ?l WHERE { ?s <urn:x:label> ?l }"

    def ask(_: int) -> tuple[int, int]:
        response = httpx.get(
            live.endpoint,
            params={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        rows = len(response.json()["results"]["bindings"]) if response.status_code == 200 else -1
        return response.status_code, rows

    try:
        with concurrent.futures.ThreadPoolExecutor(12) as pool:
            answers = list(pool.map(ask, range(120)))
    finally:
        live.stop()
    assert answers == [(200, ROWS)] * 120

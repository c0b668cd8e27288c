"""The local backend on its own: memory limit, rebuilds picked up, both store modes, no data."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from endpoint_support import EX, TRIG, LiveServer, error_of, start_server, write_dataset
from rdflib.compare import isomorphic

from rcm_graph.errors import DatasetError, QueryError
from rcm_graph.model.formats import SPARQL_JSON, TURTLE
from rcm_graph.query.contract import QueryRequest
from rcm_graph.query.local.backend import LocalBackend
from rcm_graph.query.local.pool import QueryAborted
from rcm_graph.settings import Settings

NEW_FACT = f"<{EX}graph/reference> {{ <urn:x:new> <urn:x:p> 1 . }}"


def ask(backend: LocalBackend, query: str) -> bool:
    outcome = backend.query(
        QueryRequest(query, accept_format=SPARQL_JSON, timeout_s=30, max_rows=10)
    )
    return bool(json.loads(outcome.body)["boolean"])


@pytest.fixture()
def backend(tmp_path: Path) -> Iterator[LocalBackend]:
    write_dataset(tmp_path)
    pool = LocalBackend(tmp_path, workers=1)
    pool.start()
    yield pool
    pool.close()


def test_a_published_rebuild_is_served_without_restart(
    backend: LocalBackend, tmp_path: Path
) -> None:
    assert ask(backend, "ASK { <urn:x:new> ?p ?o }") is False
    old_pids = backend.worker_pids()
    write_dataset(tmp_path, TRIG + NEW_FACT)
    assert ask(backend, "ASK { <urn:x:new> ?p ?o }") is True
    assert not set(old_pids) & set(backend.worker_pids())


def test_syntax_errors_carry_the_position(backend: LocalBackend) -> None:
    with pytest.raises(QueryError) as raised:
        backend.query(
            QueryRequest("SELECT * {\n ?s ?p }", accept_format=SPARQL_JSON, timeout_s=5, max_rows=1)
        )
    assert "2:" in raised.value.what and raised.value.http_status == 400


def test_disk_mode_gives_the_same_answers(tmp_path: Path) -> None:
    write_dataset(tmp_path)
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{EX}graph/reference> {{ ?s ?p ?o }} }}"
    bodies = []
    for mode in ("memory", "disk"):
        pool = LocalBackend(tmp_path, workers=1, mode=mode)  # type: ignore[arg-type]
        try:
            outcome = pool.query(
                QueryRequest(query, accept_format=TURTLE, timeout_s=30, max_rows=1000)
            )
        finally:
            pool.close()
        bodies.append(outcome.body)
        assert outcome.row_count == 11  # 3 states: type, labels (CRI has one), ISO code
    graphs = [rdflib.Graph().parse(data=b, format="turtle") for b in bodies]
    assert isomorphic(graphs[0], graphs[1])


@pytest.mark.slow
def test_memory_limit_stops_a_greedy_query(tmp_path: Path) -> None:
    write_dataset(tmp_path)
    pool = LocalBackend(tmp_path, workers=1, memory_limit_mb=300)
    values = " ".join(str(i) for i in range(200))
    greedy = (
        f"SELECT ?x WHERE {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} "
        f"VALUES ?c {{ {values} }} BIND(CONCAT(STR(?a), STR(?b), STR(?c), "
        f'"{"x" * 64}") AS ?x) }} ORDER BY DESC(?x)'
    )
    try:
        with pytest.raises(QueryAborted) as raised:
            pool.query(QueryRequest(greedy, accept_format=SPARQL_JSON, timeout_s=120, max_rows=10))
        assert raised.value.http_status == 503
        assert ask(pool, "ASK { ?s ?p ?o }") is True  # a fresh worker answers
    finally:
        pool.close()


def test_no_dataset_is_503_until_one_is_published(tmp_path: Path) -> None:
    pool = LocalBackend(tmp_path, workers=1)
    pool.start()
    try:
        with pytest.raises(DatasetError) as raised:
            ask(pool, "ASK {}")
        assert raised.value.http_status == 503 and "rcm-graph build" in str(raised.value.hint)
        write_dataset(tmp_path)
        assert ask(pool, "ASK { ?s ?p ?o }") is True
    finally:
        pool.close()


def test_server_without_dataset_answers_503_in_the_error_shape(tmp_path: Path) -> None:
    live = LiveServer(Settings(data_dir=tmp_path / "nothing", query_workers=1))
    live.thread.start()
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(live.url + "/health")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert health.status_code == 503
        assert "rcm-graph build" in str(error_of(health)["hint"])
        query = httpx.get(live.endpoint, params={"query": "ASK {}"})
        assert query.status_code == 503
        error_of(query)
    finally:
        live.stop()


def test_the_result_cache_is_exact_per_build_and_bounded(tmp_path: Path) -> None:
    write_dataset(tmp_path)
    pool = LocalBackend(tmp_path, workers=1, cache_bytes=64 * 1024)
    select = "SELECT ?s WHERE { ?s a ?t } ORDER BY ?s"
    try:
        first = pool.query(
            QueryRequest(select, accept_format=SPARQL_JSON, timeout_s=30, max_rows=100)
        )
        again = pool.query(
            QueryRequest(select, accept_format=SPARQL_JSON, timeout_s=5, max_rows=100)
        )
        assert again.body == first.body and again.row_count == first.row_count
        assert pool.cache.stats()["hits"] == 1
        # Another media type or row cap is another answer, not a hit.
        capped = pool.query(
            QueryRequest(select, accept_format=SPARQL_JSON, timeout_s=30, max_rows=1)
        )
        assert capped.truncated and capped.row_count == 1
        tsv = pool.query(
            QueryRequest(
                select, accept_format="text/tab-separated-values", timeout_s=30, max_rows=100
            )
        )
        assert tsv.body.startswith(b"?s")
        assert pool.cache.stats()["hits"] == 1
        # A new build: the next query answers from it, never from the cache of the old one.
        assert ask(pool, "ASK { <urn:x:new> ?p ?o }") is False
        write_dataset(tmp_path, TRIG + NEW_FACT)
        assert ask(pool, "ASK { <urn:x:new> ?p ?o }") is True
        # Bounded: many distinct answers never hold more than the budget.
        for i in range(200):
            pool.query(
                QueryRequest(
                    f"SELECT ?s ({i} AS ?i) WHERE {{ ?s ?p ?o }}",
                    accept_format=SPARQL_JSON,
                    timeout_s=30,
                    max_rows=100,
                ),
            )
        stats = pool.cache.stats()
        assert 0 < stats["bytes"] <= stats["max_bytes"] and stats["entries"] < 200
    finally:
        pool.close()


def test_a_graph_of_a_new_build_can_be_named_at_once(tmp_path: Path) -> None:
    """The graph list follows the served build (no time-to-live): FROM a graph that a rebuild
    just published is accepted by the very next request."""
    write_dataset(tmp_path)
    live = start_server(tmp_path)
    query = "ASK FROM <urn:x:fresh> { <urn:x:new> ?p ?o }"
    try:
        first = httpx.get(live.endpoint, params={"query": query})
        assert first.status_code == 400  # no such graph yet
        write_dataset(tmp_path, TRIG + "<urn:x:fresh> { <urn:x:new> <urn:x:p> 1 . }")
        again = httpx.get(live.endpoint, params={"query": query})
        assert again.status_code == 200 and again.json()["boolean"] is True
    finally:
        live.stop()


def test_auto_store_mode_reads_large_builds_from_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``query_store = auto``: memory for a small dump, the on-disk store past the threshold;
    the answers are the same either way and /health-style status says which."""
    from rcm_graph.query.local import builds

    write_dataset(tmp_path)
    query = "ASK { ?s a ?t }"
    for threshold, expected in ((1 << 40, "memory"), (0, "disk")):
        monkeypatch.setattr(builds, "AUTO_DISK_NQUADS_BYTES", threshold)
        pool = LocalBackend(tmp_path, workers=1, mode="auto")
        try:
            assert ask(pool, query) is True
            assert pool.status()["store"] == expected
        finally:
            pool.close()


def test_the_query_store_setting_is_checked() -> None:
    assert Settings(query_store="disk").query_store == "disk"
    from rcm_graph.settings import load_settings

    assert load_settings({}, {"RCM_GRAPH_QUERY_STORE": "Disk"}).query_store == "disk"
    with pytest.raises(Exception, match="auto"):
        load_settings({}, {"RCM_GRAPH_QUERY_STORE": "ram"})

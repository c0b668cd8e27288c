"""A new build published while the server answers queries: no gap, and read-your-writes.

What must hold (issue 10): while ``current`` switches to a new build under a steady stream of
queries, every query is answered (200; in-flight ones finish on the previous build, later
ones wait for the new build's workers instead of failing), the first query sent after the
publish returned already answers from the new build (a writer that published sees its
write), with the result cache on, and the previous build's worker processes are retired.
"""

from __future__ import annotations

import gzip
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph
import pytest
from reliability_support import Server, descendants, need

import rcm_graph.web.server as web_server
from rcm_graph.model.iris import Iris
from rcm_graph.settings import DEFAULT_BASE_IRI
from rcm_graph.store.dataset import load_dataset
from rcm_graph.store.publish import publish_quads

MARKER = "urn:rcm-graph:test:switch-marker"
ASK_MARKER = f"ASK {{ <{MARKER}> ?p ?o }}"
CHEAP = "SELECT ?s ?t WHERE { ?s a ?t } LIMIT 10"


def ask(server: Server, query: str) -> bool:
    response = httpx.get(
        server.base_url + "/sparql", params={"query": query, "format": "json"}, timeout=60
    )
    assert response.status_code == 200, response.text[:500]
    return bool(response.json()["boolean"])


def publish_with_marker(data_dir: Path) -> Path:
    """A new build: the current quads plus one marker triple in a named graph."""
    dataset = load_dataset(data_dir, verify=False)
    with gzip.open(dataset.nquads_path, "rb") as fh:
        quads = list(pyoxigraph.parse(fh.read(), format=pyoxigraph.RdfFormat.N_QUADS))
    graph = pyoxigraph.NamedNode(str(Iris(DEFAULT_BASE_IRI).graph("reference")))
    marker = pyoxigraph.NamedNode(MARKER)
    quads.append(pyoxigraph.Quad(marker, marker, pyoxigraph.Literal("new"), graph))
    named = [q for q in quads if not isinstance(q.graph_name, pyoxigraph.DefaultGraph)]
    return publish_quads(data_dir, named, meta_graph=str(Iris(DEFAULT_BASE_IRI).graph("meta")))


@pytest.mark.slow
def test_publishing_a_build_under_load_has_no_gap_and_is_read_by_the_next_query(
    data_dir_copy: Path,
) -> None:
    need(web_server, "run_server")
    server = Server(data_dir=data_dir_copy, env={"RCM_GRAPH_QUERY_TIMEOUT_S": "10"}).start()
    statuses: list[int | str] = []
    stop = threading.Event()

    def stream() -> None:
        with httpx.Client(timeout=30) as client:
            while not stop.is_set():
                try:
                    response = client.get(
                        server.base_url + "/sparql", params={"query": CHEAP, "format": "json"}
                    )
                    statuses.append(response.status_code)
                except httpx.HTTPError as exc:
                    statuses.append(type(exc).__name__)

    try:
        assert ask(server, ASK_MARKER) is False  # cached from here on: must not survive
        processes_before = len(descendants(server.proc.pid))  # type: ignore[union-attr]
        threads = [threading.Thread(target=stream) for _ in range(6)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        before_switch = len(statuses)
        new_build = publish_with_marker(data_dir_copy)
        # Read-your-writes: the very first query after the publish sees the new build.
        assert ask(server, ASK_MARKER) is True
        time.sleep(1.0)
        stop.set()
        for thread in threads:
            thread.join(60)
        assert before_switch > 0 and len(statuses) > before_switch, "no load around the switch"
        assert set(statuses) == {200}, f"queries failed around the switch: {set(statuses)}"
        assert ask(server, ASK_MARKER) is True
        health = httpx.get(server.base_url + "/health", timeout=30).json()
        assert health["build_id"] == new_build.name
        # The previous build's zygote and workers are gone: as many processes as before.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if len(descendants(server.proc.pid)) <= processes_before:  # type: ignore[union-attr]
                break
            time.sleep(0.2)
        assert len(descendants(server.proc.pid)) <= processes_before  # type: ignore[union-attr]
    finally:
        stop.set()
        server.stop()

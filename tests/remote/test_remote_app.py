"""The HTTP endpoint in front of a real ``oxigraph serve``: ``Settings.remote_endpoint`` selects
the remote backend, and ``/sparql`` answers as the embedded store does for the same data."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Protocol

import httpx
import pyoxigraph as ox
import pytest
import uvicorn

from rcm_graph.query.remote import RemoteBackend, load_into
from rcm_graph.settings import Settings
from rcm_graph.store.dataset import NQUADS, create_build_dir, file_entries, finish_build, publish
from rcm_graph.web.app import create_app, make_backend

pytestmark = pytest.mark.remote

B = "https://w3id.org/rcm-graph/"
TRIG = f"""
@prefix rcm: <{B}ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{B}graph/reference> {{ <{B}id/state/PAN> a rcm:State ; rdfs:label "Panama"@en, "Panamá"@es . }}
<{B}graph/document/a> {{
  <{B}id/meeting/m1> a rcm:Meeting ; rdfs:label "IV Plenary Meeting" ;
      rcm:hasParticipation [ rcm:participant <{B}id/state/PAN> ] .
}}
"""
QUERIES = [
    f"PREFIX rcm: <{B}ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?m ?label ?actor WHERE { ?m a rcm:Meeting ; rdfs:label ?label ; "
    "rcm:hasParticipation/rcm:participant ?actor }",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    f"ASK {{ <{B}id/state/PAN> ?p ?o }}",
]


class OxigraphServer(Protocol):
    query_url: str
    store_url: str


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A published local dataset (the app reads its manifest) holding the same quads."""
    data = tmp_path / "data"
    build = create_build_dir(data)
    store = ox.Store()  # the default graph materialised as the distinct union, as a build does
    store.load(TRIG.encode(), format=ox.RdfFormat.TRIG)
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    quads = store.dump(format=ox.RdfFormat.N_QUADS)
    (build / NQUADS).write_bytes(gzip.compress(quads))
    store = ox.Store(str(build / "store"))
    store.bulk_load(quads, format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    graphs = {f"{B}graph/reference": {}, f"{B}graph/document/a": {}}
    finish_build(
        build, {"build_id": build.name, "graphs": graphs, "files": file_entries(build, [NQUADS])}
    )
    publish(data, build)
    return data


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rows(body: bytes) -> Counter[tuple[str, ...]] | bool:
    data = json.loads(body)
    if "boolean" in data:
        return bool(data["boolean"])
    return Counter(
        tuple(sorted((k, v["value"] if v["type"] != "bnode" else "_") for k, v in b.items()))
        for b in data["results"]["bindings"]
    )


def test_endpoint_over_remote_backend_answers_like_the_embedded_store(
    oxigraph_server: OxigraphServer, data_dir: Path
) -> None:
    load_into(oxigraph_server.store_url, (data_dir / "current").resolve())
    settings = Settings(data_dir=data_dir, remote_endpoint=oxigraph_server.query_url)
    assert isinstance(make_backend(settings), RemoteBackend)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        embedded = ox.Store()
        embedded.bulk_load(
            gzip.decompress((data_dir / "current" / NQUADS).read_bytes()),
            format=ox.RdfFormat.N_QUADS,
        )
        for query in QUERIES:
            response = httpx.get(
                f"http://127.0.0.1:{port}/sparql",
                params={"query": query},
                headers={"Accept": "application/sparql-results+json"},
                timeout=30,
            )
            assert response.status_code == 200, response.text
            assert response.headers["content-type"].startswith("application/sparql-results+json")
            expected = embedded.query(query).serialize(format=ox.QueryResultsFormat.JSON)
            assert _rows(response.content) == _rows(expected)
    finally:
        server.should_exit = True
        thread.join(timeout=30)

"""``service_allowlist``: SERVICE federates with the listed endpoints and no other.

Two real rcm-graph servers on loopback: the second one is allow-listed on the first, so a
SERVICE query on the first returns the second one's rows. A SERVICE to a loopback listener
that is not on the list is refused with 403 and the listener sees no connection.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from endpoint_support import (
    LiveServer,
    error_of,
    parse_solutions,
    start_server,
    write_dataset,
)

from rcm_graph.errors import ConfigError
from rcm_graph.settings import load_settings

REMOTE_TRIG = """
<urn:x:remote-graph> {
  <urn:x:alice> <urn:x:name> "Alice" .
  <urn:x:bob> <urn:x:name> "Bob" .
}
"""


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir: Path = tmp_path_factory.mktemp("remote-data")
    write_dataset(data_dir, REMOTE_TRIG)
    live = start_server(data_dir, query_workers=1)
    yield live
    live.stop()


@pytest.fixture(scope="module")
def federating(fixture_data_dir: Path, remote: LiveServer) -> Iterator[LiveServer]:
    live = start_server(fixture_data_dir, query_workers=1, service_allowlist=(remote.endpoint,))
    yield live
    live.stop()


def test_an_allow_listed_service_federates(federating: LiveServer, remote: LiveServer) -> None:
    query = (
        f"SELECT ?name WHERE {{ SERVICE <{remote.endpoint}> {{ ?s <urn:x:name> ?name }} }} "
        "ORDER BY ?name"
    )
    response = httpx.get(federating.endpoint, params={"query": query, "format": "json"}, timeout=60)
    assert response.status_code == 200, response.text
    assert parse_solutions(response) == (["name"], [{"name": "Alice"}, {"name": "Bob"}])


def test_a_service_not_on_the_list_is_refused_without_a_connection(
    federating: LiveServer,
) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        for query in (
            f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        ):
            response = httpx.get(federating.endpoint, params={"query": query}, timeout=30)
            assert response.status_code == 403, response.text
            assert "SERVICE" in str(error_of(response)["detail"])
        with pytest.raises(TimeoutError):
            listener.accept()


def test_the_service_description_names_the_allow_list(
    federating: LiveServer, remote: LiveServer
) -> None:
    response = httpx.get(federating.endpoint, headers={"Accept": "text/turtle"}, timeout=30)
    assert response.status_code == 200
    assert f"SERVICE is allowed only to {remote.endpoint}" in response.text


@pytest.mark.parametrize(
    "raw",
    ["ftp://example.org/sparql", "example.org/sparql", "http:///sparql", "http://a b/sparql"],
)
def test_the_setting_accepts_only_absolute_http_iris(raw: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings(environ={"RCM_GRAPH_SERVICE_ALLOWLIST": raw})
    assert refused.value.where == "RCM_GRAPH_SERVICE_ALLOWLIST"
    assert "http(s) IRI" in refused.value.what or "not allowed in an IRI" in refused.value.what
    good = load_settings(
        environ={"RCM_GRAPH_SERVICE_ALLOWLIST": " http://a.example/sparql ,https://b.example/q"}
    )
    assert good.service_allowlist == ("http://a.example/sparql", "https://b.example/q")

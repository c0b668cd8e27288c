"""Real clients write through the token: rdflib's ``SPARQLUpdateStore`` (SPARQL Update with an
``application/sparql-update`` body) and SPARQLWrapper (a form POST), then read their writes
back through the same client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from endpoint_support import LiveServer, start_server, write_dataset
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import Unauthorized

TOKEN = "client-write-token"


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir: Path = tmp_path_factory.mktemp("client-write-data")
    write_dataset(data_dir)
    live = start_server(data_dir, write_token=TOKEN)
    yield live
    live.stop()


def test_rdflib_sparql_update_store_adds_and_removes(writable: LiveServer) -> None:
    store = SPARQLUpdateStore(
        query_endpoint=writable.endpoint,
        update_endpoint=writable.endpoint,
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    graph = rdflib.Graph(store, identifier=rdflib.URIRef("urn:x:rdflib"))
    alice = (rdflib.URIRef("urn:x:alice"), rdflib.URIRef("urn:x:name"), rdflib.Literal("Alice"))
    bob = (rdflib.URIRef("urn:x:bob"), rdflib.URIRef("urn:x:name"), rdflib.Literal("Bob"))
    graph.add(alice)
    graph.add(bob)
    assert set(graph) == {alice, bob}
    graph.remove(bob)
    assert set(graph) == {alice}
    store.close()


def test_sparqlwrapper_posts_an_update_and_reads_it_back(writable: LiveServer) -> None:
    client = SPARQLWrapper(writable.endpoint)
    client.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    client.setMethod(POST)
    client.setQuery('INSERT DATA { <urn:x:wrapper> <urn:x:says> "hello"@en }')
    client.query()
    reader = SPARQLWrapper(writable.endpoint)
    reader.setReturnFormat(JSON)
    reader.setQuery("SELECT ?o WHERE { <urn:x:wrapper> <urn:x:says> ?o }")
    bindings = reader.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert [(b["o"]["value"], b["o"]["xml:lang"]) for b in bindings] == [("hello", "en")]


def test_a_client_without_the_token_gets_an_http_error(writable: LiveServer) -> None:
    client = SPARQLWrapper(writable.endpoint)
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <urn:x:anonymous> <urn:x:p> 1 }")
    with pytest.raises(Unauthorized, match="this write needs the write token"):
        client.query()

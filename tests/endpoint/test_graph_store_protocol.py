"""The Graph Store HTTP Protocol at ``/graph-store`` against a real server: reads for everyone in
four RDF formats, writes with the token and the specification's status codes, each write
visible to the next request and journalled like a SPARQL Update."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph
import pytest
import rdflib
from endpoint_support import (
    EX,
    G_DOC,
    G_REF,
    TRIG,
    LiveServer,
    error_of,
    media_type,
    parse_graph,
    parse_solutions,
    start_server,
    write_dataset,
)
from rdflib.compare import isomorphic

from rcm_graph.store.dataset import load_dataset
from rcm_graph.writes.journal import journal_files, read_entry, replay

TOKEN = "graph-store-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
GSP = "/graph-store"
FORMATS = ["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"]
RDFLIB = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
NEW = """@prefix ex: <urn:x:> .
ex:alice ex:knows ex:bob ; ex:name "Alice"@en .
ex:bob ex:name "Bob" .
"""


def expected_graph(iri: str) -> rdflib.Graph:
    dataset = rdflib.Dataset()
    dataset.parse(data=TRIG, format="trig")
    graph = rdflib.Graph()
    for triple in dataset.graph(rdflib.URIRef(iri)):
        graph.add(triple)
    return graph


def union() -> rdflib.Graph:
    graph = rdflib.Graph()
    for iri in (G_REF, G_DOC):
        for triple in expected_graph(iri):
            graph.add(triple)
    return graph


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gsp-data")
    write_dataset(path)
    return path


@pytest.fixture(scope="module")
def original_nquads(data_dir: Path) -> bytes:
    """The dataset as first published, before any test wrote to it (for the replay test)."""
    return gzip.decompress(load_dataset(data_dir).nquads_path.read_bytes())


@pytest.fixture(scope="module")
def writable(data_dir: Path, original_nquads: bytes) -> Iterator[LiveServer]:
    live = start_server(
        data_dir, write_token=TOKEN, max_request_bytes=20_000, max_result_rows=100_000
    )
    yield live
    live.stop()


@pytest.fixture()
def client(writable: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=writable.url, timeout=60) as c:
        yield c


def get_graph(client: httpx.Client, accept: str = "text/turtle", **params: str) -> rdflib.Graph:
    response = client.get(GSP, params=params, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert media_type(response) == accept
    return parse_graph(response)


def put(
    client: httpx.Client, body: str, content_type: str = "text/turtle", **params: str
) -> httpx.Response:
    return client.put(
        GSP, params=params, content=body.encode(), headers={**AUTH, "Content-Type": content_type}
    )


# --- reads --------------------------------------------------------------------------------------


@pytest.mark.parametrize("accept", FORMATS)
def test_a_named_graph_in_every_format(client: httpx.Client, accept: str) -> None:
    assert isomorphic(get_graph(client, accept, graph=G_REF), expected_graph(G_REF))


def test_the_default_graph_is_the_union(server: LiveServer) -> None:
    """On the read-only session server (nothing written): ?default is the union of the graphs."""
    response = httpx.get(server.url + GSP + "?default", headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.text
    assert isomorphic(parse_graph(response), union())


def test_head_has_the_headers_and_no_body(client: httpx.Client) -> None:
    response = client.head(GSP, params={"graph": G_DOC}, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert media_type(response) == "text/turtle"
    assert response.content == b""


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"graph": "urn:x:no-such-graph"}, 404),
        ({}, 400),
        ({"graph": G_REF, "default": ""}, 400),
        ({"graph": "not an iri"}, 400),
        ({"graph": "file:///etc/passwd"}, 400),
    ],
)
def test_bad_graph_names(client: httpx.Client, params: dict[str, str], status: int) -> None:
    response = client.get(GSP, params=params)
    assert response.status_code == status
    error_of(response)


def test_no_acceptable_format_is_406(client: httpx.Client) -> None:
    response = client.get(
        GSP, params={"graph": G_REF}, headers={"Accept": "text/csv, application/trig"}
    )
    assert response.status_code == 406
    assert "text/turtle" in str(error_of(response)["hint"])


# --- writes -------------------------------------------------------------------------------------


def test_writes_need_the_token(client: httpx.Client, server: LiveServer) -> None:
    response = client.put(
        GSP,
        params={"graph": "urn:x:t"},
        content=NEW.encode(),
        headers={"Content-Type": "text/turtle"},
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    wrong = client.delete(GSP, params={"graph": G_REF}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert isomorphic(get_graph(client, graph=G_REF), expected_graph(G_REF))
    read_only = httpx.delete(server.url + GSP, params={"graph": G_REF}, headers=AUTH)
    assert read_only.status_code == 403
    error_of(read_only)


def test_put_creates_then_replaces_post_merges_delete_removes(
    client: httpx.Client, data_dir: Path
) -> None:
    graph = "urn:x:people"
    created = put(client, NEW, graph=graph)
    assert created.status_code == 201, created.text
    assert created.headers["location"].endswith("graph=urn%3Ax%3Apeople")
    assert created.json()["added"] == 3
    assert isomorphic(
        get_graph(client, graph=graph), rdflib.Graph().parse(data=NEW, format="turtle")
    )
    # Read-your-write through SPARQL too, and the union holds it.
    response = client.get(
        "/sparql",
        params={"query": "SELECT ?n { <urn:x:bob> <urn:x:name> ?n }", "format": "json"},
    )
    assert parse_solutions(response) == (["n"], [{"n": "Bob"}])

    replaced = put(
        client, '<urn:x:carol> <urn:x:name> "Carol" .\n', "application/n-triples", graph=graph
    )
    assert replaced.status_code == 204
    assert replaced.content == b""
    assert set(get_graph(client, graph=graph)) == {
        (rdflib.URIRef("urn:x:carol"), rdflib.URIRef("urn:x:name"), rdflib.Literal("Carol"))
    }

    merged = client.post(
        GSP,
        params={"graph": graph},
        content=b'[{"@id": "urn:x:dave", "urn:x:name": "Dave"}]',
        headers={**AUTH, "Content-Type": "application/ld+json"},
    )
    assert merged.status_code == 204, merged.text
    names = {
        str(o) for o in get_graph(client, graph=graph).objects(None, rdflib.URIRef("urn:x:name"))
    }
    assert names == {"Carol", "Dave"}

    entry = read_entry(journal_files(data_dir)[-1])
    assert (entry.operation, entry.graph, entry.media_type) == (
        "post",
        graph,
        "application/ld+json",
    )

    deleted = client.delete(GSP, params={"graph": graph}, headers=AUTH)
    assert deleted.status_code == 204
    assert client.get(GSP, params={"graph": graph}).status_code == 404
    assert client.delete(GSP, params={"graph": graph}, headers=AUTH).status_code == 404
    response = client.get(
        "/sparql", params={"query": "ASK { <urn:x:carol> ?p ?o }", "format": "json"}
    )
    assert parse_solutions(response) is False


def test_post_to_the_default_graph_goes_to_the_edits_graph(client: httpx.Client) -> None:
    response = client.post(
        GSP,
        params={"default": ""},
        content=b'<urn:x:eve> <urn:x:name> "Eve" .',
        headers={**AUTH, "Content-Type": "application/n-triples"},
    )
    assert response.status_code == 204, response.text
    edits = get_graph(client, graph=EX + "graph/edits")
    assert (rdflib.URIRef("urn:x:eve"), rdflib.URIRef("urn:x:name"), rdflib.Literal("Eve")) in edits
    default = get_graph(client, default="")
    assert (
        rdflib.URIRef("urn:x:eve"),
        rdflib.URIRef("urn:x:name"),
        rdflib.Literal("Eve"),
    ) in default


def test_a_body_that_does_not_parse_is_400_with_line_and_column(
    client: httpx.Client, data_dir: Path
) -> None:
    before = load_dataset(data_dir).build_id
    response = put(client, "@prefix ex: <urn:x:> .\nex:a ex:b .\n", graph="urn:x:broken")
    assert response.status_code == 400
    detail = str(error_of(response)["detail"])
    assert "line 2" in detail and "column" in detail, detail
    assert load_dataset(data_dir).build_id == before


def test_a_body_naming_graphs_is_400(client: httpx.Client) -> None:
    response = put(
        client,
        '[{"@id": "urn:x:g", "@graph": [{"@id": "urn:x:s", "urn:x:p": "o"}]}]',
        "application/ld+json",
        graph="urn:x:named",
    )
    assert response.status_code == 400
    error_of(response)


@pytest.mark.parametrize("content_type", ["text/plain", "application/sparql-query", ""])
def test_an_unknown_content_type_is_415(client: httpx.Client, content_type: str) -> None:
    response = put(client, NEW, content_type, graph="urn:x:typed")
    assert response.status_code == 415
    assert "text/turtle" in str(error_of(response)["hint"])


def test_a_body_over_the_limit_is_413(client: httpx.Client) -> None:
    big = "".join(f'<urn:x:s{i}> <urn:x:p> "{"x" * 40}" .\n' for i in range(1000))
    response = put(client, big, "application/n-triples", graph="urn:x:big")
    assert response.status_code == 413
    error_of(response)
    assert client.get(GSP, params={"graph": "urn:x:big"}).status_code == 404


def test_the_journal_of_graph_store_writes_replays_to_the_served_dataset(
    client: httpx.Client, data_dir: Path, original_nquads: bytes
) -> None:
    """Run last in this module: PUT, POST and DELETE above are all in the journal."""
    assert put(client, NEW, graph="urn:x:kept").status_code == 201
    operations = {read_entry(p).operation for p in journal_files(data_dir)}
    assert {"put", "post", "delete"} <= operations
    store = pyoxigraph.Store()
    store.bulk_load(original_nquads, format=pyoxigraph.RdfFormat.N_QUADS)
    assert replay(store, data_dir, EX) == []
    served = pyoxigraph.Store()
    with gzip.open(load_dataset(data_dir).nquads_path, "rb") as fh:
        served.bulk_load(fh.read(), format=pyoxigraph.RdfFormat.N_QUADS)
    meta = pyoxigraph.NamedNode(EX + "graph/meta")  # regenerated per build (dates, ids)
    in_meta = {
        (q.subject, q.predicate, q.object) for q in served.quads_for_pattern(None, None, None, meta)
    }

    def content(s: pyoxigraph.Store) -> set[pyoxigraph.Quad]:
        return {
            q
            for q in s
            if q.graph_name != meta and (q.subject, q.predicate, q.object) not in in_meta
        }

    assert content(store) == content(served)

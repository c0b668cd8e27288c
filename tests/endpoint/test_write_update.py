"""SPARQL Update with the write token, against a real server: every accepted write is a new
published build, journalled, serialised with other writes, and stopped by the time limit.

Each test writes triples with its own ``urn:x:<test>`` IRIs, so the module can share one server.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import multiprocessing
import socket
import threading
import time
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
    LiveServer,
    error_of,
    parse_solutions,
    start_server,
    write_dataset,
)

from rcm_graph.errors import DatasetError
from rcm_graph.store.dataset import build_lock, current_build_dir, load_dataset
from rcm_graph.writes.edit import Edit
from rcm_graph.writes.journal import journal_files, read_entry, replay
from rcm_graph.writes.writer import WriteOutcome, Writer

TOKEN = "s3cret-write-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
UPDATE_TYPE = "application/sparql-update"
EDITS = EX + "graph/edits"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("write-data")
    write_dataset(path)
    return path


@pytest.fixture(scope="module")
def original_nquads(data_dir: Path) -> bytes:
    """The dataset as first published, before any test wrote to it (for the replay test)."""
    return gzip.decompress(load_dataset(data_dir).nquads_path.read_bytes())


@pytest.fixture(scope="module")
def writable(data_dir: Path, original_nquads: bytes) -> Iterator[LiveServer]:
    live = start_server(data_dir, write_token=TOKEN, query_timeout_s=8.0)
    yield live
    live.stop()


@pytest.fixture()
def client(writable: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=writable.url, timeout=60) as c:
        yield c


def update(client: httpx.Client, text: str, **params: str) -> httpx.Response:
    return client.post(
        "/sparql",
        content=text.encode(),
        params=params,
        headers={**AUTH, "Content-Type": UPDATE_TYPE},
    )


def select(client: httpx.Client, query: str) -> list[dict[str, str]]:
    response = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    parsed = parse_solutions(response)
    assert not isinstance(parsed, bool)
    return parsed[1]


def ask(client: httpx.Client, query: str) -> bool:
    response = client.get("/sparql", params={"query": query, "format": "json"})
    assert response.status_code == 200, response.text
    parsed = parse_solutions(response)
    assert isinstance(parsed, bool)
    return parsed


def assert_union_invariant(client: httpx.Client) -> None:
    """The default graph is exactly the distinct union of the named graphs."""
    assert not ask(client, "ASK { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }")
    assert not ask(client, "ASK { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?s ?p ?o } }")
    rows = select(client, "SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT *) AS ?d) { ?s ?p ?o }")
    assert rows[0]["n"] == rows[0]["d"]


# --- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer wrong", f"Bearer {TOKEN[:-1]}", f"Bearer {TOKEN}x", "Basic eDp5"],
)
def test_a_missing_or_wrong_token_is_401_with_a_bearer_challenge(
    client: httpx.Client, authorization: str | None
) -> None:
    headers = {"Content-Type": UPDATE_TYPE}
    if authorization is not None:
        headers["Authorization"] = authorization
    text = "INSERT DATA { <urn:x:unauthorised> <urn:x:p> 1 }"
    response = client.post("/sparql", content=text.encode(), headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert error_of(response)["where"] == "Authorization"
    form_headers = {k: v for k, v in headers.items() if k != "Content-Type"}
    form = client.post("/sparql", data={"update": text}, headers=form_headers)
    assert form.status_code == 401
    assert not ask(client, "ASK { <urn:x:unauthorised> ?p ?o }")


def test_writes_are_403_when_no_token_is_configured(server: LiveServer) -> None:
    text = "INSERT DATA { <urn:x:no-token> <urn:x:p> 1 }"
    response = httpx.post(
        server.endpoint, content=text.encode(), headers={**AUTH, "Content-Type": UPDATE_TYPE}
    )
    assert response.status_code == 403
    assert "read-only" in str(error_of(response)["detail"])


def test_writes_are_refused_in_front_of_a_remote_store(
    writable: LiveServer, tmp_path: Path
) -> None:
    """With a remote backend (here: the writable server itself, over HTTP) writes are 403:
    they would bypass the journal and be lost at the next ``build --target``."""
    write_dataset(tmp_path)  # /health reads the local manifest before the server counts as up
    front = start_server(tmp_path, write_token=TOKEN, remote_endpoint=writable.endpoint)
    try:
        text = "INSERT DATA { <urn:x:via-remote> <urn:x:p> 1 }"
        response = httpx.post(
            front.endpoint, content=text.encode(), headers={**AUTH, "Content-Type": UPDATE_TYPE}
        )
        assert response.status_code == 403
        assert "remote" in str(error_of(response)["detail"])
        put = httpx.put(
            front.url + "/graph-store",
            params={"graph": "urn:x:via-remote"},
            content=b"<urn:x:a> <urn:x:b> <urn:x:c> .",
            headers={**AUTH, "Content-Type": "application/n-triples"},
        )
        assert put.status_code == 403
        # Reads still go through to the remote store, the graph store's too.
        graph = httpx.get(
            front.url + "/graph-store", params={"graph": G_REF}, headers={"Accept": "text/turtle"}
        )
        assert graph.status_code == 200 and "Panama" in graph.text
    finally:
        front.stop()
    with httpx.Client(base_url=writable.url) as own:
        assert not ask(own, "ASK { <urn:x:via-remote> ?p ?o }")


def test_an_update_sent_with_get_is_400(client: httpx.Client) -> None:
    response = client.get(
        "/sparql", params={"update": "INSERT DATA { <urn:x:get> <urn:x:p> 1 }"}, headers=AUTH
    )
    assert response.status_code == 400
    assert error_of(response)["where"] == "update"
    assert not ask(client, "ASK { <urn:x:get> ?p ?o }")


@pytest.mark.parametrize(
    "text",
    [
        "LOAD <http://127.0.0.1:{port}/data.ttl>",
        "LOAD SILENT <http://127.0.0.1:{port}/data.ttl> INTO GRAPH <urn:x:g>",
        "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
        "INSERT DATA { <file:///etc/passwd> <urn:x:p> 1 }",
        "LOAD <file:///etc/passwd>",
    ],
)
def test_updates_never_reach_out(client: httpx.Client, text: str) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)
        port = listener.getsockname()[1]
        response = update(client, text.replace("{port}", str(port)))
        with pytest.raises(TimeoutError):
            listener.accept()  # nothing connected
    assert response.status_code == 403, response.text
    error_of(response)


def test_a_malformed_update_is_400_with_its_position(client: httpx.Client, data_dir: Path) -> None:
    before = current_build_dir(data_dir)
    response = update(client, "INSERT DATA { <urn:x:s> <urn:x:p> ")
    assert response.status_code == 400
    assert "1:" in str(error_of(response)["detail"])
    assert current_build_dir(data_dir) == before


def test_a_query_sent_as_an_update_is_400(client: httpx.Client) -> None:
    response = update(client, "SELECT * { ?s ?p ?o }")
    assert response.status_code == 400
    assert "SELECT" in str(error_of(response)["detail"])


# --- accepted writes ----------------------------------------------------------------------------


def test_read_your_write_and_the_new_build_records_it(client: httpx.Client, data_dir: Path) -> None:
    before = load_dataset(data_dir)
    response = update(
        client,
        f'INSERT DATA {{ <urn:x:ryw> <{EX}ontology#note> "first"@en . '
        f"GRAPH <urn:x:ryw-graph> {{ <urn:x:ryw> a <{EX}ontology#Note> }} }}",
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["derived_from"] == before.build_id
    assert body["added"] == 2  # the default-graph triple, and the named one through the union
    # The very next query sees the write, in the graph the rule puts it in.
    rows = select(client, "SELECT ?g WHERE { GRAPH ?g { <urn:x:ryw> ?p ?o } } ORDER BY ?g")
    assert [r["g"] for r in rows] == [EDITS, "urn:x:ryw-graph"]
    assert ask(client, f'ASK {{ <urn:x:ryw> a <{EX}ontology#Note> ; ?p "first"@en }}')
    assert ask(client, "ASK FROM NAMED <urn:x:ryw-graph> { GRAPH ?g { ?s ?p ?o } }")
    assert_union_invariant(client)
    after = load_dataset(data_dir)
    assert after.build_id == body["build_id"] != before.build_id
    assert after.manifest["derived_from"] == before.build_id
    assert after.manifest["edit"]["seq"] == body["seq"]
    assert body["seq"] in after.manifest["edits_applied"]
    assert {EDITS, "urn:x:ryw-graph", G_REF, G_DOC} <= set(after.graph_iris())
    # the new build's one triple count (rcm_graph.store.void.union_triples) is counted again
    count = select(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
    assert after.manifest["triples"] == int(count)
    entry = read_entry(journal_files(data_dir)[-1])
    assert (entry.seq, entry.operation, entry.build_id) == (body["seq"], "update", body["build_id"])
    assert "urn:x:ryw-graph" in entry.payload


def test_relative_iris_resolve_against_the_base_iri(client: httpx.Client) -> None:
    """W3C protocol case update_base_uri, accepted this time."""
    text = (
        "INSERT DATA { GRAPH <urn:x:base> "
        "{ <http://example.org/s> <http://example.org/p> <test> } }"
    )
    form = client.post("/sparql", data={"update": text}, headers=AUTH)
    assert form.status_code == 200, form.text
    rows = select(client, "SELECT ?o { GRAPH <urn:x:base> { ?s ?p ?o } }")
    assert rows == [{"o": EX + "test"}]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # W3C protocol cases update_dataset_default_graph(s) / named_graphs / full, on this data:
        # the reference graph types three states; the document graph a document, a meeting and
        # one of the states.
        ([("using-graph-uri", G_DOC)], {"declaration", "2019-11-07-vice-ministerial-24", "PAN"}),
        ([("using-graph-uri", G_REF)], {"PAN", "MEX", "CRI"}),
        ([("using-named-graph-uri", G_REF)], {"PAN", "MEX", "CRI"}),
        ([("using-graph-uri", G_DOC), ("using-named-graph-uri", G_REF)], None),
    ],
)
def test_using_graph_uri_sets_the_dataset_of_the_where_clause(
    client: httpx.Client, params: list[tuple[str, str]], expected: set[str] | None
) -> None:
    target = f"urn:x:using-{len(params)}-{params[0][0]}-{params[0][1].rsplit('/', 1)[-1]}"
    named = params[0][0] == "using-named-graph-uri"
    where = "GRAPH ?g { ?s a ?t }" if named else "?s a ?t"
    text = f"INSERT {{ GRAPH <{target}> {{ ?s a <urn:x:T> }} }} WHERE {{ {where} }}"
    response = client.post(
        "/sparql",
        content=text.encode(),
        params=params,
        headers={**AUTH, "Content-Type": UPDATE_TYPE},
    )
    assert response.status_code == 200, response.text
    found = {
        r["s"].rsplit("/", 1)[-1]
        for r in select(client, f"SELECT ?s {{ GRAPH <{target}> {{ ?s ?p ?o }} }}")
    }
    if expected is None:  # default graph = the document graph; named graphs = the reference
        expected = {"declaration", "2019-11-07-vice-ministerial-24", "PAN"}
    assert found == expected


def test_using_graph_uri_with_using_in_the_update_is_400(client: httpx.Client) -> None:
    """W3C protocol case bad_update_dataset_conflict."""
    text = (
        "INSERT { GRAPH <urn:x:conflict> { ?s a <urn:x:T> } } "
        f"USING <{G_REF}> WHERE {{ ?s a ?t }}"
    )
    response = client.post(
        "/sparql",
        content=text.encode(),
        params={"using-graph-uri": G_DOC},
        headers={**AUTH, "Content-Type": UPDATE_TYPE},
    )
    assert response.status_code == 400
    assert error_of(response)["where"] == "using-graph-uri"
    assert not ask(client, "ASK { GRAPH <urn:x:conflict> { ?s ?p ?o } }")


def test_the_service_description_announces_updates_only_when_writes_are_on(
    client: httpx.Client, server: LiveServer
) -> None:
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    for base, writable_here in ((str(client.base_url), True), (server.url, False)):
        response = httpx.get(base + "/sparql", headers={"Accept": "text/turtle"}, timeout=30)
        graph = rdflib.Graph().parse(data=response.text, format="turtle")
        service = rdflib.URIRef(base + "/sparql")
        languages = set(graph.objects(service, sd.supportedLanguage))
        assert (sd.SPARQL11Update in languages) is writable_here
        store = rdflib.URIRef(base + "/graph-store")
        assert (service, rdflib.RDFS.seeAlso, store) in graph
        assert (
            store,
            rdflib.DCTERMS.conformsTo,
            rdflib.URIRef("https://www.w3.org/TR/sparql11-http-rdf-update/"),
        ) in graph


def test_deleting_from_the_default_graph_deletes_from_every_named_graph(
    client: httpx.Client,
) -> None:
    triple = "<urn:x:del> <urn:x:p> <urn:x:o>"
    created = update(
        client,
        f"INSERT DATA {{ GRAPH <urn:x:del-1> {{ {triple} }} GRAPH <urn:x:del-2> {{ {triple} }} }}",
    )
    assert created.status_code == 200, created.text
    assert len(select(client, f"SELECT ?g {{ GRAPH ?g {{ {triple} }} }}")) == 2
    deleted = update(client, f"DELETE DATA {{ {triple} }}")
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["removed"] == 1
    assert not ask(client, f"ASK {{ GRAPH ?g {{ {triple} }} }}")
    assert not ask(client, f"ASK {{ {triple} }}")
    assert_union_invariant(client)


def test_a_read_modify_write_update_uses_the_data(client: httpx.Client) -> None:
    """DELETE/INSERT WHERE over data of the build: rename a state's English label."""
    response = update(
        client,
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        'DELETE { GRAPH ?g { ?s rdfs:label "Costa Rica"@en } }'
        ' INSERT { GRAPH ?g { ?s rdfs:label "Republic of Costa Rica"@en } }'
        ' WHERE { GRAPH ?g { ?s rdfs:label "Costa Rica"@en } }',
    )
    assert response.status_code == 200, response.text
    rows = select(
        client,
        f"SELECT ?l {{ <{EX}id/state/CRI> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}",
    )
    assert [r["l"] for r in rows] == ["Republic of Costa Rica"]
    graphs = select(
        client, f'SELECT ?g {{ GRAPH ?g {{ <{EX}id/state/CRI> ?p "Republic of Costa Rica"@en }} }}'
    )
    assert [r["g"] for r in graphs] == [G_REF]
    assert_union_invariant(client)


def test_concurrent_writers_are_serialised_and_no_update_is_lost(
    client: httpx.Client, writable: LiveServer, data_dir: Path
) -> None:
    """Four read-modify-write increments at once: the counter ends at exactly 4."""
    assert (
        update(
            client, "INSERT DATA { GRAPH <urn:x:counter> { <urn:x:c> <urn:x:n> 0 } }"
        ).status_code
        == 200
    )
    increment = (
        "DELETE { GRAPH <urn:x:counter> { <urn:x:c> <urn:x:n> ?n } } "
        "INSERT { GRAPH <urn:x:counter> { <urn:x:c> <urn:x:n> ?m } } "
        "WHERE { GRAPH <urn:x:counter> { <urn:x:c> <urn:x:n> ?n } BIND(?n + 1 AS ?m) }"
    )
    results: list[httpx.Response] = []

    def run() -> None:
        with httpx.Client(base_url=writable.url, timeout=120) as own:
            results.append(update(own, increment))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status_code for r in results] == [200] * 4, [r.text for r in results]
    bodies = sorted((r.json() for r in results), key=lambda b: b["seq"])
    seqs = [b["seq"] for b in bodies]
    assert seqs == list(range(seqs[0], seqs[0] + 4))
    # Each write was derived from the one before it: one chain, no fork.
    for earlier, later in itertools.pairwise(bodies):
        assert later["derived_from"] == earlier["build_id"]
    rows = select(client, "SELECT ?n { <urn:x:c> <urn:x:n> ?n }")
    assert [r["n"] for r in rows] == ["4"]


def test_a_pathological_update_is_killed_and_the_dataset_is_untouched(
    client: httpx.Client, data_dir: Path
) -> None:
    before = load_dataset(data_dir)
    journal = journal_files(data_dir)
    builds = sorted(p.name for p in (data_dir / "builds").iterdir())
    started = time.monotonic()
    response = update(
        client,
        "INSERT { GRAPH <urn:x:boom> { ?a <urn:x:q> ?f } } "
        "WHERE { ?a ?p1 ?b . ?c ?p2 ?d . ?e ?p3 ?f . ?g ?p4 ?h . ?i ?p5 ?j . ?k ?p6 ?l }",
        timeout="1",
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 503, response.text
    assert "time limit" in str(error_of(response)["detail"])
    assert elapsed < 30
    assert load_dataset(data_dir).build_id == before.build_id
    assert journal_files(data_dir) == journal
    assert sorted(p.name for p in (data_dir / "builds").iterdir()) == builds
    assert not [p for p in multiprocessing.active_children() if p.name == "rcm-write"]
    assert not ask(client, "ASK { GRAPH <urn:x:boom> { ?s ?p ?o } }")
    # The endpoint still answers, and still writes.
    ok = update(client, "INSERT DATA { <urn:x:after-kill> <urn:x:p> 1 }")
    assert ok.status_code == 200, ok.text


def test_the_journal_replayed_on_the_original_data_gives_the_served_dataset(
    client: httpx.Client, data_dir: Path, original_nquads: bytes
) -> None:
    """Run last in this module: every write above is in the journal."""
    assert update(client, 'INSERT DATA { <urn:x:replay> <urn:x:p> "last" }').status_code == 200
    store = pyoxigraph.Store()
    store.bulk_load(original_nquads, format=pyoxigraph.RdfFormat.N_QUADS)
    problems = replay(store, data_dir, EX)
    assert problems == []
    served = pyoxigraph.Store()
    with gzip.open(load_dataset(data_dir).nquads_path, "rb") as fh:
        served.bulk_load(fh.read(), format=pyoxigraph.RdfFormat.N_QUADS)
    meta = pyoxigraph.NamedNode(EX + "graph/meta")  # regenerated per build (dates, ids)
    served_meta = {
        (q.subject, q.predicate, q.object) for q in served.quads_for_pattern(None, None, None, meta)
    }

    def content(s: pyoxigraph.Store) -> set[pyoxigraph.Quad]:
        return {
            q
            for q in s
            if q.graph_name != meta
            and not (
                isinstance(q.graph_name, pyoxigraph.DefaultGraph)
                and (q.subject, q.predicate, q.object) in served_meta
            )
        }

    assert content(store) == content(served)
    assert len(journal_files(data_dir)) >= 1


def test_replay_reports_a_damaged_entry_and_applies_the_rest(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    write_dataset(data_dir)
    edits = data_dir / "edits"
    edits.mkdir()
    good = {
        "format": 1,
        "seq": 1,
        "time": "2026-01-01T00:00:00Z",
        "operation": "update",
        "graph": None,
        "media_type": None,
        "payload": "INSERT DATA { <urn:x:a> <urn:x:p> 1 }",
        "build_id": "b1",
        "derived_from": "b0",
    }
    good["sha256"] = hashlib.sha256(str(good["payload"]).encode()).hexdigest()
    (edits / "00000001.json").write_text(json.dumps(good))
    tampered = {**good, "seq": 2, "payload": "INSERT DATA { <urn:x:b> <urn:x:p> 1 }"}
    (edits / "00000002.json").write_text(json.dumps(tampered))
    store = pyoxigraph.Store()
    with gzip.open(load_dataset(data_dir).nquads_path, "rb") as fh:
        store.bulk_load(fh.read(), format=pyoxigraph.RdfFormat.N_QUADS)
    problems = replay(store, data_dir, EX)
    assert len(problems) == 1 and "00000002.json" in problems[0] and "SHA-256" in problems[0]
    assert store.query(f"ASK {{ GRAPH <{EDITS}> {{ <urn:x:a> <urn:x:p> 1 }} }}")
    assert not store.query("ASK { <urn:x:b> ?p ?o }")


def test_a_write_waits_for_a_running_build_and_gives_up_after_its_limit(tmp_path: Path) -> None:
    """Builds and writes share the build lock: a write waits for the build, then runs."""
    data_dir = tmp_path / "data"
    write_dataset(data_dir)
    before = load_dataset(data_dir).build_id
    edit = Edit("update", "INSERT DATA { <urn:x:waited> <urn:x:p> 1 }")
    with build_lock(data_dir):
        with pytest.raises(DatasetError, match="waited"):
            Writer(data_dir, EX, lock_wait_s=0.3).write(edit, timeout_s=10)
        assert load_dataset(data_dir).build_id == before
        done: list[WriteOutcome] = []
        waiting = threading.Thread(
            target=lambda: done.append(Writer(data_dir, EX).write(edit, timeout_s=10))
        )
        waiting.start()
        time.sleep(0.5)
        assert not done  # still waiting for the "build"
    waiting.join(60)
    assert done and done[0].derived_from == before
    assert load_dataset(data_dir).build_id == done[0].build_id

"""The response cache: a repeated query is answered without entering the app, never stale.

Real server, real HTTP. What is checked: the kept response is the same bytes and headers as
the first answer (except the elapsed time); every header the layers below read (Accept,
Accept-Encoding, Origin, Content-Type) and the body make another entry; errors, updates and the
service description are never kept; a new build is seen by the very next request.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from endpoint_support import EX, TRIG, LiveServer, start_server, write_dataset

SELECT = "SELECT ?s WHERE { ?s a ?t } ORDER BY ?s"
NEW_FACT = f"<{EX}graph/reference> {{ <urn:x:new> a <urn:x:T> . }}"
JSON_TYPE = "application/sparql-results+json"


def cache_stats(live: LiveServer) -> dict[str, int]:
    health = httpx.get(live.url + "/health").json()
    return dict(health["response_cache"])


def without_elapsed(response: httpx.Response) -> dict[str, str]:
    headers = {k.lower(): v for k, v in response.headers.items()}
    for volatile in ("x-rcm-elapsed-ms", "date"):
        headers.pop(volatile, None)
    return headers


@pytest.fixture()
def live(tmp_path: Path) -> Iterator[LiveServer]:
    write_dataset(tmp_path)
    server = start_server(tmp_path, cors_origins=("https://example.org",))
    yield server
    server.stop()


def test_a_repeated_query_gets_the_same_response_from_the_cache(live: LiveServer) -> None:
    headers = {"Accept": JSON_TYPE}
    first = httpx.get(live.endpoint, params={"query": SELECT}, headers=headers)
    before = cache_stats(live)
    again = httpx.get(live.endpoint, params={"query": SELECT}, headers=headers)
    after = cache_stats(live)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert without_elapsed(again) == without_elapsed(first)
    assert after["hits"] == before["hits"] + 1
    assert float(again.headers["x-rcm-elapsed-ms"]) >= 0


def test_every_header_that_shapes_the_answer_is_part_of_the_key(live: LiveServer) -> None:
    query = {"query": SELECT}
    as_json = httpx.get(live.endpoint, params=query, headers={"Accept": JSON_TYPE})
    as_tsv = httpx.get(live.endpoint, params=query, headers={"Accept": "text/tab-separated-values"})
    assert as_tsv.headers["content-type"].startswith("text/tab-separated-values")
    assert as_tsv.content.startswith(b"?s")
    again_json = httpx.get(live.endpoint, params=query, headers={"Accept": JSON_TYPE})
    assert again_json.content == as_json.content
    # CORS: the allow-origin header goes only to the origin that asked.
    cors = httpx.get(
        live.endpoint,
        params=query,
        headers={"Accept": JSON_TYPE, "Origin": "https://example.org"},
    )
    assert cors.headers["access-control-allow-origin"] == "https://example.org"
    plain = httpx.get(live.endpoint, params=query, headers={"Accept": JSON_TYPE})
    assert "access-control-allow-origin" not in plain.headers


def test_compressed_answers_go_only_to_clients_that_accept_them(tmp_path: Path) -> None:
    big = "\n".join(
        f"<urn:x:s{i}> a <urn:x:Type> ; <urn:x:label> {json.dumps('label ' * 20)} ."
        for i in range(200)
    )
    write_dataset(tmp_path, TRIG + f"<{EX}graph/big> {{ {big} }}")
    live = start_server(tmp_path, max_result_rows=1000)
    try:
        query = {"query": "SELECT ?s ?l WHERE { ?s <urn:x:label> ?l }"}
        for _ in range(2):  # the second time from the cache
            raw = httpx.get(
                live.endpoint,
                params=query,
                headers={"Accept": JSON_TYPE, "Accept-Encoding": "gzip"},
            )
            plain = httpx.get(
                live.endpoint,
                params=query,
                headers={"Accept": JSON_TYPE, "Accept-Encoding": "identity"},
            )
            assert raw.headers.get("content-encoding") == "gzip"
            assert plain.headers.get("content-encoding") is None
            assert len(json.loads(plain.content)["results"]["bindings"]) == 200
            assert json.loads(raw.content) == json.loads(plain.content)  # httpx decompressed
        assert cache_stats(live)["hits"] >= 2
    finally:
        live.stop()


def test_post_queries_are_kept_by_body(live: LiveServer) -> None:
    direct = {"Content-Type": "application/sparql-query", "Accept": JSON_TYPE}
    first = httpx.post(live.endpoint, content=SELECT, headers=direct)
    before = cache_stats(live)["hits"]
    again = httpx.post(live.endpoint, content=SELECT, headers=direct)
    other = httpx.post(live.endpoint, content="ASK { ?s ?p ?o }", headers=direct)
    form = httpx.post(live.endpoint, data={"query": SELECT}, headers={"Accept": JSON_TYPE})
    assert first.content == again.content == form.content
    assert json.loads(other.content)["boolean"] is True
    assert cache_stats(live)["hits"] == before + 1


def test_errors_and_the_service_description_are_never_kept(live: LiveServer) -> None:
    before = cache_stats(live)
    for _ in range(2):
        bad = httpx.get(live.endpoint, params={"query": "SELECT * {"})
        assert bad.status_code == 400
        refused = httpx.get(
            live.endpoint,
            params={"query": "SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }"},
        )
        assert refused.status_code == 403
        description = httpx.get(live.endpoint, headers={"Accept": "text/turtle"})
        assert description.status_code == 200
    after = cache_stats(live)
    assert after["hits"] == before["hits"] and after["entries"] == before["entries"]


def test_a_new_build_is_seen_by_the_next_request(live: LiveServer, tmp_path: Path) -> None:
    query = {"query": "ASK { <urn:x:new> a <urn:x:T> }"}
    headers = {"Accept": JSON_TYPE}
    for _ in range(2):
        assert httpx.get(live.endpoint, params=query, headers=headers).json()["boolean"] is False
    write_dataset(tmp_path, TRIG + NEW_FACT)
    # The first request after the publish waits for the new build: never the old answer.
    assert httpx.get(live.endpoint, params=query, headers=headers).json()["boolean"] is True
    assert httpx.get(live.endpoint, params=query, headers=headers).json()["boolean"] is True


def test_without_a_cache_budget_nothing_is_kept(tmp_path: Path) -> None:
    write_dataset(tmp_path)
    live = start_server(tmp_path, query_cache_mb=0)
    try:
        for _ in range(2):
            answer = httpx.get(
                live.endpoint, params={"query": SELECT}, headers={"Accept": JSON_TYPE}
            )
            assert answer.status_code == 200
        assert "response_cache" not in httpx.get(live.url + "/health").json()
    finally:
        live.stop()

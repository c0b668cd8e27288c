"""``/openapi.json`` describes the SPARQL protocol and the graph store well enough to generate a
client: distinct operations, every protocol parameter, the request bodies, the result media
types and the one error body shape. The description is then checked against the server: the
requests it describes are answered as it says."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from endpoint_support import G_REF, LiveServer, error_of, media_type, parse_solutions

from rcm_graph.model.formats import GRAPH_MEDIA_TYPES, SOLUTION_MEDIA_TYPES


@pytest.fixture(scope="module")
def spec(server: LiveServer) -> dict[str, Any]:
    response = httpx.get(server.url + "/openapi.json", timeout=30)
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def test_sparql_has_three_operations_with_distinct_ids(spec: dict[str, Any]) -> None:
    sparql = spec["paths"]["/sparql"]
    assert set(sparql) == {"get", "head", "post"}
    ids = [op["operationId"] for ops in spec["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids)), ids
    assert {"sparql_get", "sparql_head", "sparql_post"} <= set(ids)


def test_sparql_parameters_and_bodies(spec: dict[str, Any]) -> None:
    sparql = spec["paths"]["/sparql"]
    get_names = {p["name"] for p in sparql["get"]["parameters"]}
    assert get_names == {"query", "default-graph-uri", "named-graph-uri", "timeout", "format"}
    post = sparql["post"]
    content = post["requestBody"]["content"]
    assert set(content) == {
        "application/x-www-form-urlencoded",
        "application/sparql-query",
        "application/sparql-update",
    }
    form = content["application/x-www-form-urlencoded"]["schema"]["properties"]
    assert {"query", "update", "default-graph-uri", "named-graph-uri", "timeout"} <= set(form)
    graph_params = [p for p in post["parameters"] if p["name"].endswith("-graph-uri")]
    assert all(p["schema"]["type"] == "array" for p in graph_params)


def test_sparql_responses_name_media_types_and_the_error_shape(spec: dict[str, Any]) -> None:
    for method in ("get", "post"):
        responses = spec["paths"]["/sparql"][method]["responses"]
        assert set(SOLUTION_MEDIA_TYPES) | set(GRAPH_MEDIA_TYPES) <= set(
            responses["200"]["content"]
        )
        for status in ("400", "403", "406", "503"):
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema["required"] == ["error"]
            assert set(schema["properties"]["error"]["required"]) == {
                "status",
                "title",
                "detail",
                "where",
                "hint",
            }
    assert "401" in spec["paths"]["/sparql"]["post"]["responses"]
    assert "415" in spec["paths"]["/sparql"]["post"]["responses"]


def test_graph_store_operations(spec: dict[str, Any]) -> None:
    store = spec["paths"]["/graph-store"]
    assert set(store) == {"get", "head", "put", "post", "delete"}
    assert {p["name"] for p in store["get"]["parameters"]} == {"graph", "default"}
    assert "text/turtle" in store["put"]["requestBody"]["content"]
    assert {"201", "204", "400", "401", "415"} <= set(store["put"]["responses"])


def test_the_described_requests_are_answered_as_described(
    spec: dict[str, Any], client: httpx.Client
) -> None:
    """One request per described body type, parsed as the described response type."""
    ask = "ASK { ?s ?p ?o }"
    for response in (
        client.get("/sparql", params={"query": ask}, headers={"Accept": SOLUTION_MEDIA_TYPES[0]}),
        client.post("/sparql", data={"query": ask}),
        client.post(
            "/sparql", content=ask.encode(), headers={"Content-Type": "application/sparql-query"}
        ),
    ):
        assert response.status_code == 200
        described = spec["paths"]["/sparql"][response.request.method.lower()]
        assert media_type(response) in described["responses"]["200"]["content"]
        assert parse_solutions(response) is True
    refused = client.post(
        "/sparql",
        content=b"CLEAR ALL",
        headers={"Content-Type": "application/sparql-update"},
    )
    assert str(refused.status_code) in spec["paths"]["/sparql"]["post"]["responses"]
    error_of(refused)
    graph = client.get("/graph-store", params={"graph": G_REF})
    assert media_type(graph) in spec["paths"]["/graph-store"]["get"]["responses"]["200"]["content"]

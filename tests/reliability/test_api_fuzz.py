"""The HTTP API fuzzed from its own OpenAPI description with schemathesis, against the real server.

Every operation the server describes at ``/openapi.json`` gets schema-valid and schema-violating
requests (schemathesis' positive and negative generation). What must hold: no 5xx other than
the intended 503 of a query stopped by its time limit, every answer within the client timeout
(no hang), JSON errors in the one error shape, and no stack trace or server path in any body.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from reliability_support import Server, assert_error_shape, assert_no_leak, examples

from rcm_graph.query.catalogue import load_catalogue

CLIENT_TIMEOUT_S = 30  # the server's query timeout is 2 s: 30 s without an answer is a hang


def _described(server: Server) -> dict[str, Any]:
    response = httpx.get(server.base_url + "/openapi.json", timeout=30)
    assert response.status_code == 200, "the server does not describe its API at /openapi.json"
    spec: dict[str, Any] = response.json()
    return spec


def _operations(server: Server) -> list[object]:
    schema = schemathesis.openapi.from_dict(_fuzzed(_described(server)))  # as served, trimmed
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the OpenAPI description lists no operation"
    return operations


def _fuzzed(spec: dict[str, Any]) -> dict[str, Any]:
    """The description with the named queries cut to one per parameter type (and one without).

    WHY: every named query is one operation of the same route; they differ only in their
    parameters' types. Fuzzing all 32 took 80 s more of CI; one per type reaches every way
    a parameter is checked and bound."""
    types_by_query = {q.name: {p.type for p in q.parameters} for q in load_catalogue()}
    seen: set[str] = set()
    paths: dict[str, Any] = {}
    for path, operations in spec["paths"].items():
        name = path.removeprefix("/queries/")
        if name != path and name in types_by_query:
            types = types_by_query[name] or {"(none)"}
            if types <= seen:
                continue
            seen |= types
        paths[path] = operations
    return {**spec, "paths": paths}


def _check(case: object, server: Server) -> None:
    response = case.call(base_url=server.base_url, timeout=CLIENT_TIMEOUT_S)  # type: ignore[attr-defined]
    described = f"{case.method} {case.formatted_path}: {response.status_code}"  # type: ignore[attr-defined]
    text = response.text
    assert_no_leak(text)
    if response.status_code >= 500:
        assert response.status_code == 503, f"{described} {text[:300]}"
    if response.status_code >= 400 and "json" in response.headers.get("content-type", ""):
        assert_error_shape(response)  # type: ignore[arg-type]


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_every_described_operation_survives_generated_requests(server: Server, mode: str) -> None:
    generation = schemathesis.GenerationMode.POSITIVE
    if mode == "negative":
        generation = schemathesis.GenerationMode.NEGATIVE
    tried = []
    for operation in _operations(server):
        strategy = operation.as_strategy(generation_mode=generation)  # type: ignore[attr-defined]
        # A named query's parameters are few and checked by one function: fewer examples.
        named = "/queries/" in operation.label  # type: ignore[attr-defined]

        @settings(
            max_examples=examples(4 if named else 10),
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case: object) -> None:
            _check(case, server)

        try:
            run()
        except Unsatisfiable:
            # Negative mode on an operation without parameters: nothing can violate its schema.
            assert mode == "negative", operation.label  # type: ignore[attr-defined]
            continue
        tried.append(operation.label)  # type: ignore[attr-defined]
    assert any("/sparql" in label for label in tried), tried
    assert any("/queries/" in label for label in tried), tried


def test_the_openapi_description_declares_the_sparql_protocol(server: Server) -> None:
    """Clients generated from /openapi.json need /sparql's parameters and bodies described."""
    spec = _described(server)
    sparql = spec["paths"].get("/sparql", {})
    assert "get" in sparql and "post" in sparql
    names = {p["name"] for p in sparql["get"].get("parameters", [])}
    assert {"query", "default-graph-uri", "named-graph-uri"} <= names, names
    assert "application/sparql-query" in sparql["post"].get("requestBody", {}).get("content", {})
    ids = [op.get("operationId") for ops in spec["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids)), "duplicate operationIds"

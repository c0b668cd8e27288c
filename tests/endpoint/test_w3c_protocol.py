"""The W3C SPARQL 1.1 Protocol tests (w3c/rdf-tests, sparql/sparql11/protocol/manifest.ttl),
transcribed request by request, against a real server.

The manifest's dataset tests use graphs named ``http://kasei.us/2009/09/sparql/data/dataN.rdf``
whose data files are not published with the suite; the requests only need each graph to hold
``<dataN.rdf> a ?type`` with one shared type, so the fixture dataset holds exactly that (as
``foaf:Document``, the type the manifest's update tests insert). The manifest says ``/sparql/``;
this endpoint is ``/sparql``.

Applicability to a read-only endpoint: every query test applies as written. The seven
update-success tests (``update_*``) cannot succeed by design; they run here with the opposite
expectation (the update is refused with 4xx and the follow-up query shows nothing changed).
Erratum: ``query_multiple_dataset`` in the manifest percent-encodes the ``&`` between its two
``named-graph-uri`` parameters (one parameter whose value is not an IRI); the test below sends
the two parameters its name and expected result describe.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from endpoint_support import LiveServer, parse_graph, parse_solutions, start_server, write_dataset

K = "http://kasei.us/2009/09/sparql/data/"
D0, D1, D2, D3 = (f"{K}data{i}.rdf" for i in range(4))
ENC = {d: httpx.QueryParams({"x": d})["x"] for d in (D0, D1, D2, D3)}
KASEI_TRIG = "\n".join(
    f"<{g}> {{ <{g}> a <http://xmlns.com/foaf/0.1/Document> . }}" for g in (D0, D1, D2, D3)
)


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    params: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | None = None
    content_type: str | None = None
    expect: str = "2xx"  # "2xx" or "4xx"
    boolean: bool | None = None
    result: str | None = None  # "boolean", "tabular", "RDF"


def form(*pairs: tuple[str, str]) -> bytes:
    return str(httpx.QueryParams(list(pairs))).encode()


FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"

ASK_D1_D2 = f"ASK {{ <{D1}> a ?type . <{D2}> a ?type . }}"
ASK_NAMED = f"ASK {{ GRAPH ?g1 {{ <{D1}> a ?type }} GRAPH ?g2 {{ <{D2}> a ?type }} }}"
ASK_FULL = (
    f"ASK {{\n  <{D3}> a ?type\n  GRAPH ?g1 {{ <{D1}> a ?type }}\n"
    f"  GRAPH ?g2 {{ <{D2}> a ?type }}\n}}"
)

CASES = [
    Case(
        "query_post_form",
        "POST",
        [("default-graph-uri", D0)],
        form(("query", "ASK {}")),
        FORM,
        boolean=True,
        result="boolean",
    ),
    Case(
        "query_dataset_default_graphs_get",
        "GET",
        [("query", ASK_D1_D2), ("default-graph-uri", D1), ("default-graph-uri", D2)],
        boolean=True,
        result="boolean",
    ),
    Case(
        "query_dataset_default_graphs_post",
        "POST",
        [("default-graph-uri", D1), ("default-graph-uri", D2)],
        ASK_D1_D2.encode(),
        QUERY,
        boolean=True,
        result="boolean",
    ),
    Case(
        "query_dataset_named_graphs_post",
        "POST",
        [("named-graph-uri", D1), ("named-graph-uri", D2)],
        ASK_NAMED.encode(),
        QUERY,
        boolean=True,
        result="boolean",
    ),
    Case(
        "query_dataset_named_graphs_get",
        "GET",
        [("query", ASK_NAMED), ("named-graph-uri", D1), ("named-graph-uri", D2)],
        boolean=True,
        result="boolean",
    ),
    Case(
        "query_dataset_full",
        "POST",
        [("default-graph-uri", D3), ("named-graph-uri", D1), ("named-graph-uri", D2)],
        ASK_FULL.encode(),
        QUERY,
        boolean=True,
        result="boolean",
    ),
    Case(
        "query_multiple_dataset",
        "POST",
        [("named-graph-uri", D1), ("named-graph-uri", D2)],
        f"ASK FROM <{D3}> {ASK_NAMED[4:]}".encode(),
        QUERY,
        boolean=True,
        result="boolean",
    ),
    Case(
        "query_get",
        "GET",
        [("query", "ASK {}"), ("default-graph-uri", D0)],
        boolean=True,
        result="boolean",
    ),
    Case(
        "query_content_type_select",
        "POST",
        [("default-graph-uri", D0)],
        b"SELECT (1 AS ?value) {}",
        QUERY,
        result="tabular",
    ),
    Case(
        "query_content_type_ask",
        "POST",
        [("default-graph-uri", D0)],
        b"ASK {}",
        QUERY,
        result="boolean",
    ),
    Case(
        "query_content_type_describe",
        "POST",
        [("default-graph-uri", D0)],
        b"DESCRIBE <http://example.org/>",
        QUERY,
        result="RDF",
    ),
    Case(
        "query_content_type_construct",
        "POST",
        [("default-graph-uri", D0)],
        b"CONSTRUCT { <s> <p> 1 } WHERE {}",
        QUERY,
        result="RDF",
    ),
    Case("query_post_direct", "POST", [], b"ASK {}", QUERY, boolean=True, result="boolean"),
    Case(
        "bad_query_method",
        "PUT",
        [("query", "ASK {}"), ("default-graph-uri", D0)],
        b"",
        FORM,
        expect="4xx",
    ),
    Case(
        "bad_multiple_queries", "GET", [("query", "ASK {}"), ("query", "SELECT * {}")], expect="4xx"
    ),
    Case("bad_query_wrong_media_type", "POST", [], b"ASK {}", "text/plain", expect="4xx"),
    Case("bad_query_missing_form_type", "POST", [], b"query=ASK%20%7B%7D", None, expect="4xx"),
    Case("bad_query_missing_direct_type", "POST", [], b"ASK {}", None, expect="4xx"),
    Case(
        "bad_query_non_utf8",
        "POST",
        [],
        "ASK {}".encode("utf-16"),
        "application/sparql-query; charset=UTF-16",
        expect="4xx",
    ),
    Case("bad_query_syntax", "GET", [("query", "ASK {")], expect="4xx"),
    Case("bad_update_get", "GET", [("update", "CLEAR ALL")], expect="4xx"),
    Case(
        "bad_multiple_updates",
        "POST",
        [],
        b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
        FORM,
        expect="4xx",
    ),
    Case("bad_update_wrong_media_type", "POST", [], b"CLEAR NAMED", "text/plain", expect="4xx"),
    Case("bad_update_missing_form_type", "POST", [], b"update=CLEAR%20NAMED", None, expect="4xx"),
    Case(
        "bad_update_non_utf8",
        "POST",
        [],
        "CLEAR ALL".encode("utf-16"),
        "application/sparql-update; charset=UTF-16",
        expect="4xx",
    ),
    Case("bad_update_syntax", "POST", [], b"update=CLEAR%20XYZ", FORM, expect="4xx"),
    Case(
        "bad_update_dataset_conflict",
        "POST",
        [("using-graph-uri", D1)],
        f"PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nCLEAR ALL ;\nINSERT {{ GRAPH <{D1}> {{ "
        f"?s a foaf:Document }} }}\nUSING <{D2}>\nWHERE {{ ?s a foaf:Document }}".encode(),
        UPDATE,
        expect="4xx",
    ),
]

# The update-success tests of the manifest: refused here, and nothing changes.
UPDATES = [
    (
        "update_dataset_default_graph",
        [("using-graph-uri", D1)],
        UPDATE,
        f"CLEAR ALL ; INSERT DATA {{ GRAPH <{D1}> {{ <{D1}> a <urn:x:T> }} }}",
    ),
    (
        "update_dataset_default_graphs",
        [("using-graph-uri", D1), ("using-graph-uri", D2)],
        UPDATE,
        "INSERT { GRAPH <urn:x:g> { ?s a <urn:x:T> } } WHERE { ?s a ?t }",
    ),
    (
        "update_dataset_named_graphs",
        [("using-named-graph-uri", D1)],
        UPDATE,
        "INSERT { GRAPH <urn:x:g> { ?s a <urn:x:T> } } WHERE { GRAPH ?g { ?s a ?t } }",
    ),
    (
        "update_dataset_full",
        [("using-graph-uri", D3), ("using-named-graph-uri", D1)],
        UPDATE,
        "INSERT { GRAPH <urn:x:g> { ?s a <urn:x:T> } } WHERE { ?s a ?t }",
    ),
    ("update_post_form", [], FORM, "INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> a <urn:x:T> } }"),
    ("update_post_direct", [], UPDATE, "INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> a <urn:x:T> } }"),
    (
        "update_base_uri",
        [],
        UPDATE,
        "INSERT DATA { GRAPH <urn:x:g> { <http://example.org/s> <http://example.org/p> <test> } }",
    ),
]


@pytest.fixture(scope="module")
def w3c_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir: Path = tmp_path_factory.mktemp("w3c-data")
    write_dataset(data_dir, KASEI_TRIG)
    live = start_server(data_dir, query_workers=1)
    yield live
    live.stop()


def send(server: LiveServer, case: Case) -> httpx.Response:
    headers = {"Content-Type": case.content_type} if case.content_type else {}
    return httpx.request(
        case.method,
        server.endpoint,
        params=case.params,
        content=case.body,
        headers=headers,
        timeout=30,
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_manifest_case(w3c_server: LiveServer, case: Case) -> None:
    response = send(w3c_server, case)
    if case.expect == "4xx":
        assert 400 <= response.status_code < 500, (response.status_code, response.text)
        return
    assert 200 <= response.status_code < 400, response.text
    if case.result == "RDF":
        parse_graph(response)
        return
    parsed = parse_solutions(response)
    if case.result == "boolean":
        assert isinstance(parsed, bool)
        if case.boolean is not None:
            assert parsed is case.boolean
    else:
        assert not isinstance(parsed, bool)
        assert parsed[1] == [{"value": "1"}]


# The manifest's dataset tests all expect `true`; these requests must give `false` if the
# protocol dataset is really used (a server ignoring it would answer `true` from the union).
NEGATIVE = [
    Case("default_graph_excludes_others", "GET", [("query", ASK_D1_D2), ("default-graph-uri", D1)]),
    Case("named_graphs_exclude_others", "GET", [("query", ASK_NAMED), ("named-graph-uri", D1)]),
    Case(
        "protocol_dataset_overrides_from",
        "POST",
        [("named-graph-uri", D1)],
        f"ASK FROM NAMED <{D2}> {{ GRAPH ?g {{ <{D2}> a ?type }} }}".encode(),
        QUERY,
    ),
    Case(
        "named_graphs_not_in_default",
        "POST",
        [("named-graph-uri", D1)],
        f"ASK {{ <{D1}> a ?type }}".encode(),
        QUERY,
    ),
]


@pytest.mark.parametrize("case", NEGATIVE, ids=[c.name for c in NEGATIVE])
def test_protocol_dataset_really_restricts(w3c_server: LiveServer, case: Case) -> None:
    response = send(w3c_server, case)
    assert parse_solutions(response) is False


@pytest.mark.parametrize(
    ("name", "params", "content_type", "update"), UPDATES, ids=[u[0] for u in UPDATES]
)
def test_manifest_update_is_refused(
    w3c_server: LiveServer,
    name: str,
    params: list[tuple[str, str]],
    content_type: str,
    update: str,
) -> None:
    body = form(("update", update)) if content_type == FORM else update.encode()
    response = httpx.post(
        w3c_server.endpoint,
        params=params,
        content=body,
        headers={"Content-Type": content_type},
        timeout=30,
    )
    assert 400 <= response.status_code < 500
    unchanged = httpx.post(
        w3c_server.endpoint, content=b"ASK { ?s a <urn:x:T> }", headers={"Content-Type": QUERY}
    )
    assert parse_solutions(unchanged) is False
    still_there = httpx.get(w3c_server.endpoint, params={"query": f"ASK {{ <{D1}> a ?t }}"})
    assert parse_solutions(still_there) is True

"""The SPARQL 1.1 Protocol on a real server: every response parsed as its Content-Type says.

The fixture dataset (conftest.TRIG) has two named graphs: a reference graph with three states
and a document graph with one meeting and two participations.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx
import pytest
import rdflib
from endpoint_support import (
    EX,
    G_DOC,
    G_REF,
    LiveServer,
    error_of,
    media_type,
    parse_graph,
    parse_solutions,
    start_server,
)
from rdflib.compare import isomorphic

PREFIX = f"PREFIX rcm: <{EX}ontology#>\n"
STATES_QUERY = PREFIX + "SELECT ?iso WHERE { ?s rcm:iso3166Alpha3 ?iso } ORDER BY ?iso"
STATES = ["CRI", "MEX", "PAN"]
SOLUTION_TYPES = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]
GRAPH_TYPES = [
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "application/ld+json",
    "application/trig",
    "application/n-quads",
]
CONSTRUCT = PREFIX + "CONSTRUCT { ?s rcm:code ?iso } WHERE { ?s rcm:iso3166Alpha3 ?iso }"


def expected_construct() -> rdflib.Graph:
    g = rdflib.Graph()
    for iso in STATES:
        g.add(
            (
                rdflib.URIRef(f"{EX}id/state/{iso}"),
                rdflib.URIRef(f"{EX}ontology#code"),
                rdflib.Literal(iso),
            )
        )
    return g


def isos(response: httpx.Response) -> list[str]:
    parsed = parse_solutions(response)
    assert not isinstance(parsed, bool)
    variables, rows = parsed
    assert variables == ["iso"]
    return [row["iso"] for row in rows]


def ask(client: httpx.Client, query: str, **params: str) -> bool:
    response = client.get("/sparql", params={"query": query, **params})
    assert response.status_code == 200, response.text
    parsed = parse_solutions(response)
    assert isinstance(parsed, bool)
    return parsed


# --- three ways to send a query -------------------------------------------------------------


def test_query_via_get(client: httpx.Client) -> None:
    assert isos(client.get("/sparql", params={"query": STATES_QUERY})) == STATES


@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=UTF-8",
    ],
)
def test_query_via_post_form(client: httpx.Client, content_type: str) -> None:
    body = httpx.QueryParams({"query": STATES_QUERY}).__str__().encode()
    response = client.post("/sparql", content=body, headers={"Content-Type": content_type})
    assert isos(response) == STATES


@pytest.mark.parametrize(
    "content_type",
    [
        "application/sparql-query",
        "application/sparql-query;charset=utf-8",
        'Application/SPARQL-Query; charset="UTF-8"',
    ],
)
def test_query_via_post_direct(client: httpx.Client, content_type: str) -> None:
    response = client.post(
        "/sparql", content=STATES_QUERY.encode(), headers={"Content-Type": content_type}
    )
    assert isos(response) == STATES


# --- result formats -------------------------------------------------------------------------


@pytest.mark.parametrize("accept", SOLUTION_TYPES)
def test_select_in_every_results_format(client: httpx.Client, accept: str) -> None:
    response = client.get("/sparql", params={"query": STATES_QUERY}, headers={"Accept": accept})
    assert media_type(response) == accept
    assert isos(response) == STATES
    assert response.headers["x-rcm-rows"] == "3"
    assert response.headers["x-rcm-truncated"] == "false"


@pytest.mark.parametrize("accept", SOLUTION_TYPES)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ASK { ?s ?p ?o }", True),
        ("ASK { FILTER(false) }", False),
        (PREFIX + 'ASK { ?s rcm:iso3166Alpha3 "XXX" }', False),
    ],
)
def test_ask_in_every_results_format(
    client: httpx.Client, accept: str, query: str, expected: bool
) -> None:
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert media_type(response) == accept
    assert parse_solutions(response) is expected


@pytest.mark.parametrize("accept", GRAPH_TYPES)
def test_construct_in_every_rdf_format(client: httpx.Client, accept: str) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert media_type(response) == accept
    assert isomorphic(parse_graph(response), expected_construct())
    assert response.headers["x-rcm-query-form"] == "CONSTRUCT"


@pytest.mark.parametrize("accept", GRAPH_TYPES)
def test_describe_is_labelled_as_rdf(client: httpx.Client, accept: str) -> None:
    query = f"DESCRIBE <{EX}id/state/PAN>"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert media_type(response) == accept
    graph = parse_graph(response)
    labels = set(graph.objects(rdflib.URIRef(f"{EX}id/state/PAN"), rdflib.RDFS.label))
    assert labels == {rdflib.Literal("Panama", lang="en"), rdflib.Literal("Panamá", lang="es")}
    assert response.headers["x-rcm-query-form"] == "DESCRIBE"


def test_default_formats_without_accept(client: httpx.Client) -> None:
    select = client.get("/sparql", params={"query": STATES_QUERY}, headers={"Accept": ""})
    assert media_type(select) == "application/sparql-results+json"
    graph = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "*/*"})
    assert media_type(graph) == "text/turtle"
    assert isomorphic(parse_graph(graph), expected_construct())


# --- content negotiation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        (
            "application/sparql-results+xml;q=0.2, text/tab-separated-values;q=0.9",
            "text/tab-separated-values",
        ),
        ("text/*", "text/csv"),
        ("application/*;q=0.1, text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("application/xml", "application/sparql-results+xml"),
        (
            "text/html;q=0.5, application/sparql-results+json;q=0.9, */*;q=0.8",
            "application/sparql-results+json",
        ),
        # SPARQLWrapper's and Jena's typical headers
        (
            "application/sparql-results+json,application/json,text/javascript,application/javascript",
            "application/sparql-results+json",
        ),
        (
            "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
            "text/tab-separated-values;q=0.7, text/csv;q=0.5, application/json;q=0.2, "
            "application/xml;q=0.2, */*;q=0.1",
            "application/sparql-results+json",
        ),
    ],
)
def test_conneg_select(client: httpx.Client, accept: str, expected: str) -> None:
    response = client.get("/sparql", params={"query": STATES_QUERY}, headers={"Accept": accept})
    assert media_type(response) == expected
    assert isos(response) == STATES
    assert "Accept" in response.headers["vary"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/json", "application/ld+json"),
        ("application/rdf+xml;q=0.5, text/turtle;q=0.4", "application/rdf+xml"),
        ("text/plain", "application/n-triples"),
        ("application/*", "application/n-triples"),
        ("application/sparql-results+xml", "application/rdf+xml"),  # rdflib SPARQLStore
        ("application/sparql-results+json", "application/ld+json"),
    ],
)
def test_conneg_construct(client: httpx.Client, accept: str, expected: str) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert media_type(response) == expected
    assert isomorphic(parse_graph(response), expected_construct())


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        (STATES_QUERY, "image/png"),
        (STATES_QUERY, "text/turtle"),
        (CONSTRUCT, "text/csv"),
        (CONSTRUCT, "application/sparql-results+json;q=0, text/html;q=0"),
        (STATES_QUERY, "application/sparql-results+json;q=0"),
    ],
)
def test_conneg_unacceptable_is_406(client: httpx.Client, query: str, accept: str) -> None:
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 406
    assert "acceptable" in str(error_of(response)["hint"])


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
    ],
)
def test_format_parameter_overrides_accept(client: httpx.Client, fmt: str, expected: str) -> None:
    response = client.get(
        "/sparql", params={"query": STATES_QUERY, "format": fmt}, headers={"Accept": "image/png"}
    )
    assert media_type(response) == expected
    assert isos(response) == STATES


def test_format_parameter_for_graphs_and_unknown(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT, "format": "jsonld"})
    assert media_type(response) == "application/ld+json"
    assert isomorphic(parse_graph(response), expected_construct())
    bad = client.get("/sparql", params={"query": STATES_QUERY, "format": "ttl"})
    assert bad.status_code == 400
    assert error_of(bad)["where"] == "format"


# --- dataset, base IRI, semantics ------------------------------------------------------------

MEETING_ASK = f"ASK {{ <{EX}id/meeting/2019-11-07-vice-ministerial-24> ?p ?o }}"
PAN_ASK = f"ASK {{ <{EX}id/state/PAN> ?p ?o }}"


def test_default_graph_is_the_union(client: httpx.Client) -> None:
    assert ask(client, MEETING_ASK) and ask(client, PAN_ASK)


def test_default_graph_is_a_set_of_triples(client: httpx.Client) -> None:
    """<PAN> a rcm:State is in both named graphs, and once in their merge."""
    query = PREFIX + f"SELECT (COUNT(*) AS ?n) WHERE {{ <{EX}id/state/PAN> a rcm:State }}"
    parsed = parse_solutions(client.get("/sparql", params={"query": query}))
    assert not isinstance(parsed, bool)
    assert parsed[1] == [{"n": "1"}]
    in_graphs = PREFIX + f"SELECT ?g WHERE {{ GRAPH ?g {{ <{EX}id/state/PAN> a rcm:State }} }}"
    parsed = parse_solutions(client.get("/sparql", params={"query": in_graphs}))
    assert not isinstance(parsed, bool)
    assert sorted(r["g"] for r in parsed[1]) == sorted([G_DOC, G_REF])


@pytest.mark.parametrize("method", ["GET", "POST-form", "POST-direct"])
def test_default_graph_uri_selects_the_default_graph(client: httpx.Client, method: str) -> None:
    def run(query: str) -> bool:
        if method == "GET":
            r = client.get("/sparql", params={"query": query, "default-graph-uri": G_REF})
        elif method == "POST-form":
            r = client.post("/sparql", data={"query": query, "default-graph-uri": G_REF})
        else:
            r = client.post(
                "/sparql",
                params={"default-graph-uri": G_REF},
                content=query.encode(),
                headers={"Content-Type": "application/sparql-query"},
            )
        assert r.status_code == 200, r.text
        value = parse_solutions(r)
        assert isinstance(value, bool)
        return value

    assert run(PAN_ASK) is True
    assert run(MEETING_ASK) is False


def test_named_graph_uri_limits_the_named_graphs(client: httpx.Client) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    everything = parse_solutions(client.get("/sparql", params={"query": query}))
    assert not isinstance(everything, bool)
    assert [r["g"] for r in everything[1]] == sorted([G_DOC, G_REF])
    only = parse_solutions(client.get("/sparql", params={"query": query, "named-graph-uri": G_DOC}))
    assert not isinstance(only, bool)
    assert [r["g"] for r in only[1]] == [G_DOC]
    # the protocol dataset then has an empty default graph
    assert ask(client, PAN_ASK, **{"named-graph-uri": G_DOC}) is False


def test_from_is_honoured_and_protocol_overrides_it(client: httpx.Client) -> None:
    query = f"ASK FROM <{G_DOC}> {{ <{EX}id/state/PAN> <{EX}ontology#iso3166Alpha3> ?o }}"
    assert ask(client, query) is False  # FROM narrows the default graph to the document graph
    assert ask(client, query, **{"default-graph-uri": G_REF}) is True


@pytest.mark.parametrize(
    "params",
    [
        {"default-graph-uri": "http://example.org/not-a-graph"},
        {"named-graph-uri": "https://w3id.org/rcm-graph/graph/nope"},
    ],
)
def test_graphs_outside_the_dataset_are_refused(
    client: httpx.Client, params: dict[str, str]
) -> None:
    response = client.get("/sparql", params={"query": "ASK {}", **params})
    assert response.status_code == 400
    assert "not a graph of this dataset" in str(error_of(response)["detail"])


def test_relative_iris_resolve_against_the_dataset_base(client: httpx.Client) -> None:
    response = client.get(
        "/sparql", params={"query": "SELECT ?o WHERE { BIND(<id/state/PAN> AS ?o) }"}
    )
    parsed = parse_solutions(response)
    assert not isinstance(parsed, bool)
    assert parsed[1] == [{"o": f"{EX}id/state/PAN"}]
    assert ask(client, "ASK { <id/state/PAN> ?p ?o }") is True


@pytest.mark.parametrize("accept", SOLUTION_TYPES)
def test_non_ascii_round_trips(client: httpx.Client, accept: str) -> None:
    query = (
        "SELECT ?label WHERE { <id/state/PAN> <http://www.w3.org/2000/01/rdf-schema#label> ?label "
        "FILTER(lang(?label) = 'es') FILTER(?label != \"ñandú ☃\") }"
    )
    for response in (
        client.get("/sparql", params={"query": query}, headers={"Accept": accept}),
        client.post("/sparql", data={"query": query}, headers={"Accept": accept}),
        client.post(
            "/sparql",
            content=query.encode("utf-8"),
            headers={"Accept": accept, "Content-Type": "application/sparql-query"},
        ),
    ):
        parsed = parse_solutions(response)
        assert not isinstance(parsed, bool)
        assert parsed[1] == [{"label": "Panamá"}]


# --- errors -----------------------------------------------------------------------------------


def test_malformed_query_is_400_with_position(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE {\n  ?s ?p \n}"})
    assert response.status_code == 400
    error = error_of(response)
    assert re.search(r"\b3:\d+\b", str(error["detail"])), error  # line 3, with a column
    post = client.post(
        "/sparql", content=b"ASK {", headers={"Content-Type": "application/sparql-query"}
    )
    assert post.status_code == 400
    error_of(post)


@pytest.mark.parametrize(
    "params",
    [
        [("query", "ASK {}"), ("query", "SELECT * {}")],
        [("query", "ASK {}"), ("update", "CLEAR ALL")],
    ],
)
def test_two_queries_or_query_and_update_is_400(
    client: httpx.Client, params: list[tuple[str, str]]
) -> None:
    assert client.get("/sparql", params=params).status_code == 400
    response = client.post("/sparql", data=dict(params) | {}, files=None) if False else None
    body = httpx.QueryParams(params).__str__().encode()
    response = client.post(
        "/sparql", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 400
    error_of(response)


def test_query_in_url_and_direct_body_is_400(client: httpx.Client) -> None:
    response = client.post(
        "/sparql",
        params={"query": "ASK {}"},
        content=b"ASK {}",
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "text/plain"},
        {"Content-Type": "application/json"},
        {"Content-Type": "application/sparql-query; charset=UTF-16"},
        {},
    ],
)
def test_wrong_post_content_type_is_415(client: httpx.Client, headers: dict[str, str]) -> None:
    response = client.post("/sparql", content=b"ASK {}", headers=headers)
    assert response.status_code == 415
    error_of(response)


def test_non_utf8_body_is_400(client: httpx.Client) -> None:
    response = client.post(
        "/sparql",
        content='ASK { FILTER("é" = "é") }'.encode("latin-1"),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 400
    assert "UTF-8" in str(error_of(response)["detail"])


@pytest.mark.parametrize("how", ["get", "form", "direct", "query-param"])
def test_updates_are_refused_and_change_nothing(client: httpx.Client, how: str) -> None:
    update = f"INSERT DATA {{ GRAPH <{G_REF}> {{ <urn:x:s> <urn:x:p> <urn:x:o> }} }}"
    if how == "get":
        response = client.get("/sparql", params={"update": update})
    elif how == "form":
        response = client.post("/sparql", data={"update": update})
    elif how == "direct":
        response = client.post(
            "/sparql",
            content=update.encode(),
            headers={"Content-Type": "application/sparql-update"},
        )
    else:
        response = client.get("/sparql", params={"query": update})
    assert 400 <= response.status_code < 500
    error_of(response)
    assert ask(client, "ASK { <urn:x:s> ?p ?o }") is False


def test_post_without_query_is_400(client: httpx.Client) -> None:
    response = client.post("/sparql", data={"default-graph-uri": G_REF})
    assert response.status_code == 400
    assert error_of(response)["where"] == "query"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/nothing-here", 404),
        ("GET", "/sparql/extra", 404),
        ("PUT", "/sparql?query=ASK%20%7B%7D", 405),
        ("DELETE", "/sparql", 405),
        ("GET", "/queries/no-such-query", 404),
    ],
)
def test_error_shape_on_other_routes(
    client: httpx.Client, method: str, path: str, status: int
) -> None:
    response = client.request(method, path)
    assert response.status_code == status
    error_of(response)


# --- service description -----------------------------------------------------------------------

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


@pytest.mark.parametrize(
    "accept",
    [
        "text/turtle",
        "application/rdf+xml",
        "application/ld+json",
        "application/n-triples",
        "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8",
        "*/*",
    ],
)
def test_service_description(client: httpx.Client, server: LiveServer, accept: str) -> None:
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.status_code == 200
    graph = parse_graph(response)
    service = rdflib.URIRef(server.endpoint)
    assert (service, rdflib.RDF.type, SD.Service) in graph
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in graph
    names = {str(n) for n in graph.objects(None, SD.name)}
    assert names == {G_DOC, G_REF}
    formats = {str(f) for f in graph.objects(service, SD.resultFormat)}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_TSV" in formats


def test_service_description_unacceptable(client: httpx.Client) -> None:
    response = client.get("/sparql", headers={"Accept": "image/png"})
    assert response.status_code == 406
    error_of(response)


def test_browser_gets_the_query_page(client: httpx.Client) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/sparql", headers={"Accept": accept}, follow_redirects=True)
    assert response.status_code == 200
    assert media_type(response) == "text/html"
    assert "<form" in response.text or "yasgui" in response.text.lower()


def test_browser_following_a_query_link_gets_the_query_page(client: httpx.Client) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/sparql", params={"query": STATES_QUERY}, headers={"Accept": accept})
    assert response.status_code == 303
    location = httpx.URL(response.headers["location"])
    assert location.path == "/query"
    assert location.params["query"] == STATES_QUERY
    page = client.get(str(location), headers={"Accept": accept})
    assert page.status_code == 200 and media_type(page) == "text/html"
    # the same link with format= is for programs: results, not the page
    csv_link = client.get(
        "/sparql", params={"query": STATES_QUERY, "format": "csv"}, headers={"Accept": accept}
    )
    assert isos(csv_link) == STATES


# --- HTTP: HEAD, gzip, CORS, limits -------------------------------------------------------------


def test_head_has_the_headers_of_get_and_no_body(client: httpx.Client) -> None:
    get = client.get("/sparql", params={"query": STATES_QUERY, "format": "csv"})
    head = client.head("/sparql", params={"query": STATES_QUERY, "format": "csv"})
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["x-rcm-rows"] == "3"
    sd = client.head("/sparql", headers={"Accept": "text/turtle"})
    assert sd.status_code == 200 and media_type(sd) == "text/turtle"


def test_large_responses_are_gzipped(client: httpx.Client) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    raw = httpx.get(
        client.base_url.join("/sparql"),
        params={"query": query},
        headers={"Accept-Encoding": "gzip"},
    )
    assert raw.headers.get("content-encoding") == "gzip"
    json.loads(raw.content)  # httpx decoded it: a valid body
    with httpx.stream(
        "GET",
        str(client.base_url.join("/sparql")),
        params={"query": query},
        headers={"Accept-Encoding": "gzip"},
    ) as streamed:
        compressed = b"".join(streamed.iter_raw())
    assert json.loads(gzip.decompress(compressed))["head"]["vars"] == ["s", "p", "o"]


def test_cors_allows_cross_origin_reads(client: httpx.Client) -> None:
    origin = "https://notebook.example"
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": origin})
    assert response.headers["access-control-allow-origin"] in ("*", origin)
    assert "X-RCM-Truncated" in response.headers.get("access-control-expose-headers", "")
    preflight = client.options(
        "/sparql",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()


def test_request_size_limits(fixture_data_dir: Path) -> None:
    small = start_server(fixture_data_dir, max_request_bytes=2000, query_workers=1)
    try:
        big = "ASK {} #" + "x" * 2000
        response = httpx.post(
            small.endpoint,
            content=big.encode(),
            headers={"Content-Type": "application/sparql-query"},
        )
        assert response.status_code == 413
        assert "max_request_bytes" in str(error_of(response)["hint"])
        form = httpx.post(small.endpoint, data={"query": big})
        assert form.status_code == 413
        long_url = httpx.get(small.endpoint, params={"query": big})
        assert long_url.status_code == 414
        error_of(long_url)
        # a chunked upload without Content-Length is counted as it arrives
        chunked = httpx.post(
            small.endpoint,
            content=iter([big.encode()[:1000], big.encode()[1000:]]),
            headers={"Content-Type": "application/sparql-query"},
        )
        assert chunked.status_code == 413
        ok = httpx.get(small.endpoint, params={"query": "ASK {}"})
        assert parse_solutions(ok) is True
    finally:
        small.stop()


def test_oversized_headers_are_431(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"X-Big": "a" * 40_000})
    assert response.status_code == 431
    error_of(response)
    assert parse_solutions(client.get("/sparql", params={"query": "ASK {}"})) is True


def test_long_query_within_limits(client: httpx.Client) -> None:
    values = " ".join(str(i) for i in range(5000))
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?x {{ {values} }} }}"
    response = client.post("/sparql", data={"query": query})
    parsed = parse_solutions(response)
    assert not isinstance(parsed, bool)
    assert parsed[1] == [{"n": "5000"}]


# --- result cap ---------------------------------------------------------------------------------

MANY = "SELECT ?x WHERE { VALUES ?x { " + " ".join(str(i) for i in range(60)) + " } }"


@pytest.mark.parametrize("accept", SOLUTION_TYPES)
def test_row_cap_is_announced(client: httpx.Client, server: LiveServer, accept: str) -> None:
    cap = server.settings.max_result_rows
    response = client.get("/sparql", params={"query": MANY}, headers={"Accept": accept})
    assert response.status_code == 200
    parsed = parse_solutions(response)
    assert not isinstance(parsed, bool)
    assert [r["x"] for r in parsed[1]] == [str(i) for i in range(cap)]
    assert response.headers["x-rcm-truncated"] == "true"
    assert response.headers["x-rcm-max-rows"] == str(cap)
    assert response.headers["x-rcm-rows"] == str(cap)
    if accept.endswith("json"):
        warnings = json.loads(response.content)["warnings"]
        assert str(cap) in warnings[0]


def test_row_cap_applies_to_graphs(client: httpx.Client, server: LiveServer) -> None:
    query = (
        "CONSTRUCT { ?x <urn:x:p> 1 } WHERE { VALUES ?x { "
        + " ".join(f"<urn:x:{i}>" for i in range(60))
        + " } }"
    )
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "text/turtle"})
    assert len(parse_graph(response)) == server.settings.max_result_rows
    assert response.headers["x-rcm-truncated"] == "true"


def test_exactly_the_cap_is_not_truncated(client: httpx.Client, server: LiveServer) -> None:
    query = MANY + f" LIMIT {server.settings.max_result_rows}"
    response = client.get("/sparql", params={"query": query})
    assert response.headers["x-rcm-truncated"] == "false"
    assert "warnings" not in json.loads(response.content)


# --- no outbound requests -----------------------------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012

    def do_GET(self) -> None:
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(b'{"head":{"vars":[]},"results":{"bindings":[{}]}}')

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture()
def bait() -> Iterator[str]:
    """A local HTTP server that records every request: the endpoint must never call it."""
    _Recorder.hits = []
    httpd = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/sparql"
    httpd.shutdown()


@pytest.mark.parametrize(
    ("template", "status"),
    [
        ("SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", 403),
        ("SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}", 403),
        ("PREFIX r: <{url}#> SELECT * WHERE {{ SERVICE r:x {{ ?s ?p ?o }} }}", 403),
        ("SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}", 403),
        ("SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}", 400),
        ("SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", 400),
        ("SELECT * WHERE {{ ?s ?p <file:///etc/passwd> }}", 403),
        ("LOAD <{url}>", 400),  # an update sent as a query: malformed (the protocol)
    ],
)
def test_queries_never_reach_out(
    client: httpx.Client, bait: str, template: str, status: int
) -> None:
    response = client.get("/sparql", params={"query": template.format(url=bait)})
    assert response.status_code == status
    error_of(response)
    assert _Recorder.hits == []


def test_health(client: httpx.Client) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    report = json.loads(response.content)
    assert report["status"] == "ok" and report["graphs"] == 2

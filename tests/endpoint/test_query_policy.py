"""The lexical policy check: what it refuses, what it lets through, and the query form."""

from __future__ import annotations

import pytest

from rcm_graph.errors import QueryError, QueryRefused
from rcm_graph.query.policy import analyse, check

GRAPHS = {"https://w3id.org/rcm-graph/graph/reference", "http://example.org/g"}


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * { ?s ?p ?o }", "SELECT"),
        ("prefix ex: <http://e/> ask { ex:a ?p ?o }", "ASK"),
        ("# SELECT in a comment\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("BASE <http://e/> DESCRIBE <x>", "DESCRIBE"),
        ('ASK { ?s ?p "SELECT" } ', "ASK"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { { SELECT ?s ?p ?o { ?s ?p ?o } } }", "CONSTRUCT"),
        ("SELEC * {}", None),
    ],
)
def test_query_form(query: str, form: str | None) -> None:
    assert analyse(query).form == form


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }",
        "select * { service silent <http://evil.example/sparql> { ?s ?p ?o } }",
        "PREFIX e: <http://evil.example/> SELECT * { SERVICE e:sparql { ?s ?p ?o } }",
        "BASE <http://evil.example/> SELECT * { SERVICE <sparql> { ?s ?p ?o } }",
        "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
        "SELECT * { ?s ?p <file:///etc/passwd> }",
        "PREFIX f: <file:///etc/> SELECT * { ?s ?p f:passwd }",
        # The engine matches keywords without a word boundary: ``service:from`` can be read
        # as ``SERVICE :from``, so a prefix spelled like the keyword is refused too.
        "PREFIX service: <http://e/> SELECT * { ?s service:from ?o }",
    ],
)
def test_refused(query: str) -> None:
    with pytest.raises(QueryRefused):
        check(query, dataset_graphs=GRAPHS)


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <a> <b> <c> }",
        "LOAD <http://evil.example/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <http://example.org/g>",
        "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_an_update_as_a_query_is_malformed(update: str) -> None:
    """The SPARQL protocol's answer to an update in the query operation is 400, not 403."""
    with pytest.raises(QueryError) as raised:
        check(update, dataset_graphs=GRAPHS)
    assert not isinstance(raised.value, QueryRefused)
    assert raised.value.http_status == 400


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM <http://evil.example/data.ttl> { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://evil.example/g> { GRAPH ?g { ?s ?p ?o } }",
        "PREFIX e: <http://evil.example/> SELECT * FROM e:g { ?s ?p ?o }",
    ],
)
def test_graphs_outside_the_dataset(query: str) -> None:
    with pytest.raises(QueryError) as raised:
        check(query, dataset_graphs=GRAPHS)
    assert not isinstance(raised.value, QueryRefused)
    assert raised.value.http_status == 400


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?s ?p ?o }",
        'SELECT * { ?s ?p "SERVICE <http://evil.example/> FROM <file:///x>" }',
        "SELECT * { ?s ?p ?o } # SERVICE <http://evil.example/>",
        "SELECT ?service { ?service ?from ?load }",
        "SELECT * FROM <http://example.org/g> { ?s ?p ?o }",
        "PREFIX r: <https://w3id.org/rcm-graph/graph/> SELECT * FROM r:reference { ?s ?p ?o }",
        "SELECT * { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
        'SELECT * { ?s <http://e/insert> ?o . ?s <http://e/p> "DELETE" }',
    ],
)
def test_allowed(query: str) -> None:
    check(query, dataset_graphs=GRAPHS)


def test_allow_listed_service() -> None:
    query = "SELECT * { SERVICE <http://friend.example/sparql> { ?s ?p ?o } }"
    check(query, dataset_graphs=GRAPHS, service_allowlist={"http://friend.example/sparql"})


def test_protocol_dataset_iris() -> None:
    check("ASK {}", dataset_graphs=GRAPHS, default_graph_uris=["http://example.org/g"])
    with pytest.raises(QueryError):
        check("ASK {}", dataset_graphs=GRAPHS, named_graph_uris=["http://elsewhere/g"])
    with pytest.raises(QueryRefused):
        check("ASK {}", dataset_graphs=None, default_graph_uris=["file:///etc/passwd"])


def test_relative_from_resolves_against_the_base() -> None:
    analysis = analyse(
        "SELECT * FROM <graph/reference> { ?s ?p ?o }", base_iri="https://w3id.org/rcm-graph/"
    )
    assert analysis.from_iris == ["https://w3id.org/rcm-graph/graph/reference"]


def test_the_analysis_of_a_short_query_is_remembered_and_of_a_long_one_briefly() -> None:
    """Short texts in a large cache; long ones (up to the request size each) only the last
    few, so that the worker's call right after the policy check does not tokenize again."""
    from rcm_graph.query.policy import ANALYSIS_CACHED_CHARS, LONG_ANALYSES_KEPT, analyse

    short = "PREFIX ex: <https://example.org/> SELECT * { ?s ex:p ?o }"
    assert analyse(short) is analyse(short)
    assert analyse(short).prefixes == {"ex": "https://example.org/"}
    assert analyse(short, base_iri="https://example.org/") is not analyse(short)
    long = short + " " * ANALYSIS_CACHED_CHARS
    first = analyse(long)
    assert analyse(long) is first
    assert first.form == "SELECT"
    for n in range(LONG_ANALYSES_KEPT):
        analyse(long + " " * (n + 1))
    assert analyse(long) is not first

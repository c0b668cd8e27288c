"""``query_policy.check_update`` and ``with_using``: what an update may never do, and the
protocol's dataset parameters written into the update text."""

from __future__ import annotations

import pyoxigraph
import pytest

from rcm_graph.errors import QueryError, QueryRefused
from rcm_graph.query.policy import check_update, with_using


@pytest.mark.parametrize(
    "text",
    [
        "LOAD <http://example.org/data.ttl>",
        "load silent <http://example.org/data.ttl> into graph <urn:x:g>",
        "CLEAR ALL ; LOAD <http://example.org/x>",
        "INSERT { ?s ?p ?o } WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "INSERT { ?s ?p ?o } WHERE { VALUES ?e { <urn:x:e> } SERVICE ?e { ?s ?p ?o } }",
        "PREFIX f: <file:///etc/> INSERT DATA { f:passwd <urn:x:p> 1 }",
        "BASE <file:///etc/> INSERT DATA { <passwd> <urn:x:p> 1 }",
    ],
)
def test_refused_updates(text: str) -> None:
    with pytest.raises(QueryRefused):
        check_update(text)


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <urn:x:s> <urn:x:load> 'LOAD <http://example.org/>' }",
        "PREFIX ex: <urn:x:> INSERT DATA { ex:load ex:service ex:o }",
        "DELETE { ?load ?p ?o } WHERE { ?load ?p ?o # LOAD <http://example.org/>\n }",
        "DROP SILENT GRAPH <urn:x:g>",
        "WITH <urn:x:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_allowed_updates(text: str) -> None:
    assert check_update(text).is_update


def test_a_query_is_not_an_update() -> None:
    with pytest.raises(QueryError) as refused:
        check_update("PREFIX ex: <urn:x:> SELECT * { ?s ?p ?o }")
    assert not isinstance(refused.value, QueryRefused)


def test_with_using_gives_the_where_clause_its_dataset() -> None:
    """Run the rewritten update on a real store: only the USING graph feeds the WHERE."""
    store = pyoxigraph.Store()
    store.update(
        "INSERT DATA { GRAPH <urn:x:a> { <urn:x:s1> a <urn:x:T> } "
        "GRAPH <urn:x:b> { <urn:x:s2> a <urn:x:T> } }"
    )
    text = with_using(
        "INSERT { GRAPH <urn:x:out> { ?s <urn:x:seen> true } } WHERE { ?s a <urn:x:T> }",
        ["urn:x:a"],
        [],
    )
    store.update(text)
    seen = {
        q.subject.value
        for q in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode("urn:x:out"))
    }
    assert seen == {"urn:x:s1"}


def test_with_using_leaves_braces_in_strings_and_subqueries_alone() -> None:
    text = "INSERT { ?s <urn:x:p> '} WHERE {' } WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }"
    rewritten = with_using(text, ["urn:x:g"], ["urn:x:n"])
    assert rewritten.count("USING <urn:x:g>") == 1
    assert rewritten.count("USING NAMED <urn:x:n>") == 1
    assert "'} WHERE {'" in rewritten
    pyoxigraph.Store().update(rewritten)  # still parses


@pytest.mark.parametrize(
    "text",
    [
        "DELETE WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } USING <urn:x:g> WHERE { ?s ?p ?o }",
        "WITH <urn:x:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_with_using_refuses_a_second_dataset(text: str) -> None:
    with pytest.raises(QueryError):
        with_using(text, ["urn:x:d"], [])


def test_with_using_refuses_what_is_not_an_iri() -> None:
    with pytest.raises(QueryError):
        with_using("INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }", ["urn:x:a> } ; DROP ALL ; <x:"], [])

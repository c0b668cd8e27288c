"""The worker's direct SPARQL JSON path gives the same answer and row count as the exact
line-per-row (TSV) path, including on text built to confuse a row counter."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from rcm_graph.model.formats import SPARQL_JSON, SPARQL_TSV
from rcm_graph.query.local.execute import Job, execute
from rcm_graph.query.policy import analyse

P = ox.NamedNode("urn:x:p")
TRICKY = [
    'a},{"s":{"type":"uri"',  # a row separator, quotes and all, inside a value
    "ends with },{",
    "},{}",
    "[{}]",
    '"bindings":[]}}',
    "plain",
    "línea\nnueva \\ barra",
]


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    for i, text in enumerate(TRICKY * 5):
        subject = ox.NamedNode(f"urn:x:s{i}")
        store.add(ox.Quad(subject, P, ox.Literal(text)))
        store.add(ox.Quad(subject, P, ox.Literal(str(i), language="es")))
    store.add(ox.Quad(ox.BlankNode("b"), P, ox.Literal("7", datatype=ox.NamedNode("urn:x:dt"))))
    return store


def run(store: ox.Store, query: str, media_type: str, max_rows: int) -> tuple[bytes, int, bool]:
    analysis = analyse(query)
    job = Job(query, media_type, max_rows, (), (), None, analysis.form, ())
    body, meta = execute(store, job)
    return body, meta.row_count, meta.truncated


def as_rows(body: bytes, media_type: str) -> list[dict[str, object]]:
    if media_type == SPARQL_TSV:
        parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
        body = parsed.serialize(format=ox.QueryResultsFormat.JSON)  # type: ignore[union-attr]
    return list(json.loads(body)["results"]["bindings"])


QUERIES = [
    "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s ?o",
    "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o",
    "SELECT ?s ?none WHERE { ?s ?p ?o OPTIONAL { ?s <urn:x:nope> ?none } } ORDER BY ?s",
    "SELECT ?none WHERE { ?s ?p ?o OPTIONAL { ?s <urn:x:nope> ?none } }",  # rows binding nothing
    "SELECT * WHERE { }",
    "SELECT ?s WHERE { ?s <urn:x:nothing> ?o }",
    "SELECT ?o (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?o ORDER BY ?o",
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("max_rows", [1, 7, 100_000])
def test_json_answers_match_the_exact_path(store: ox.Store, query: str, max_rows: int) -> None:
    json_body, json_rows, json_truncated = run(store, query, SPARQL_JSON, max_rows)
    tsv_body, tsv_rows, tsv_truncated = run(store, query, SPARQL_TSV, max_rows)
    expected = len(list(store.query(query)))  # type: ignore[arg-type]
    assert tsv_rows == min(expected, max_rows) and tsv_truncated == (expected > max_rows)
    assert (json_rows, json_truncated) == (tsv_rows, tsv_truncated)
    assert as_rows(json_body, SPARQL_JSON) == as_rows(tsv_body, SPARQL_TSV)


def test_the_direct_path_counts_rows_when_values_look_like_separators() -> None:
    from rcm_graph.query.local.execute import json_solutions

    store = ox.Store()
    texts = [t for t in TRICKY if "{}" not in t]
    for i, text in enumerate(texts):
        store.add(ox.Quad(ox.NamedNode(f"urn:x:s{i}"), P, ox.Literal(text)))
    direct = json_solutions(store.query("SELECT ?s ?o WHERE { ?s ?p ?o }"), 100)  # type: ignore[arg-type]
    assert direct is not None and direct[1] == len(texts)
    assert len(json.loads(direct[0])["results"]["bindings"]) == len(texts)
    # More rows than allowed: not answered here (the exact path truncates).
    capped = json_solutions(store.query("SELECT ?s ?o WHERE { ?s ?p ?o }"), 2)  # type: ignore[arg-type]
    assert capped is None

"""RemoteBackend and load_into against a real ``oxigraph serve``: the same answers as the
embedded store (pyoxigraph, default graph = union) for the same data and queries."""

from __future__ import annotations

import csv
import gzip
import io
from collections import Counter
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from rcm_graph.errors import DatasetError, QueryError, QueryTimeout
from rcm_graph.model.formats import GRAPH_MEDIA_TYPES, SOLUTION_MEDIA_TYPES, SPARQL_CSV, SPARQL_JSON
from rcm_graph.query.contract import QueryRequest
from rcm_graph.query.remote import RemoteBackend, load_into, query_form


class OxigraphServer(Protocol):
    """What the ``oxigraph_server`` fixture of conftest.py yields."""

    query_url: str
    store_url: str


pytestmark = pytest.mark.remote

B = "https://w3id.org/rcm-graph/"
TRIG = f"""
@prefix rcm: <{B}ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{B}graph/reference> {{
  <{B}id/state/PAN> a rcm:State ; rdfs:label "Panama"@en, "Panamá"@es ; rcm:iso3166Alpha3 "PAN" .
  <{B}id/state/MEX> a rcm:State ; rdfs:label "Mexico"@en, "México"@es ; rcm:iso3166Alpha3 "MEX" .
  <{B}id/org/iom> a rcm:IntergovernmentalOrganization ; rdfs:label "IOM"@en .
}}
<{B}graph/document/a> {{
  <{B}id/meeting/2023-08-23-plenary-meeting-4> a rcm:Meeting ;
      rdfs:label "IV Plenary Meeting" ; rcm:startDate "2023-08-23"^^xsd:date ;
      rcm:ordinal 4 ; rcm:hasParticipation <{B}id/participation/a-1>, <{B}id/participation/a-2> .
  <{B}id/participation/a-1> rcm:participant <{B}id/state/PAN> ; rcm:evidence _:s1 .
  <{B}id/participation/a-2> rcm:participant <{B}id/org/iom> .
  _:s1 rcm:start 120 ; rcm:end 135 ; rcm:exact "Republic of Panama" .
}}
<{B}graph/document/b> {{
  <{B}id/meeting/2017-06-08-working-meeting> a rcm:Meeting ;
      rdfs:label "Working Meeting"@en ; rcm:startDate "2017-06-08"^^xsd:date ;
      rcm:hasParticipation <{B}id/participation/b-1> .
  <{B}id/participation/b-1> rcm:participant <{B}id/state/MEX> .
  <{B}id/state/MEX> rdfs:label "Mexico"@en .
  <{B}id/commitment/b-1> a rcm:Commitment ; rcm:dueDate "2017-06-12"^^xsd:date ;
      rcm:commitmentText "Submit a consensus proposal \\"quoted\\"\\n on two lines" .
}}
"""
PREFIXES = f"PREFIX rcm: <{B}ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
SELECTS = [
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
    "SELECT ?m ?label ?actor ?name WHERE { ?m a rcm:Meeting ; rdfs:label ?label ; "
    "rcm:hasParticipation/rcm:participant ?actor . OPTIONAL { ?actor rdfs:label ?name "
    "FILTER(lang(?name) = 'es') } } ORDER BY ?m ?actor",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY DESC(?n)",
    "SELECT ?c ?t WHERE { ?c a rcm:Commitment ; rcm:commitmentText ?t ; rcm:dueDate ?d "
    "FILTER(?d < '2018-01-01'^^<http://www.w3.org/2001/XMLSchema#date>) }",
    "SELECT ?x WHERE { ?x rcm:exact ?e . ?x rcm:start ?start }",
]
ASKS = ["ASK { ?s a rcm:State }", "ASK { ?s a rcm:Nothing }"]
GRAPHS = [
    "CONSTRUCT { ?m rdfs:label ?l ; rcm:participant ?a } WHERE { ?m rdfs:label ?l ; "
    "rcm:hasParticipation/rcm:participant ?a }",
    f"DESCRIBE <{B}id/participation/a-1>",
]


def dump_with_default_graph(trig: str) -> bytes:
    """N-Quads as a build writes them: the named graphs plus the default graph materialised as
    their distinct union (a triple stated in two graphs appears once)."""
    store = ox.Store()
    store.load(trig.encode(), format=ox.RdfFormat.TRIG)
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return store.dump(format=ox.RdfFormat.N_QUADS)


@pytest.fixture
def build_dir(tmp_path: Path) -> Path:
    """A build directory holding only what load_into reads: the gzipped N-Quads dump."""
    (tmp_path / "dataset.nq.gz").write_bytes(gzip.compress(dump_with_default_graph(TRIG)))
    return tmp_path


@pytest.fixture
def embedded(build_dir: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(
        gzip.decompress((build_dir / "dataset.nq.gz").read_bytes()), format=ox.RdfFormat.N_QUADS
    )
    return store


@pytest.fixture
def remote(oxigraph_server: OxigraphServer, build_dir: Path) -> RemoteBackend:
    report = load_into(oxigraph_server.store_url, build_dir)
    assert report.graphs == 4  # three named graphs and the default graph
    backend = RemoteBackend(oxigraph_server.query_url)
    backend.start()
    yield backend  # type: ignore[misc]
    backend.close()


def _rows(body: bytes, media: str) -> Counter[tuple[str, ...]]:
    fmt = {
        SPARQL_JSON: ox.QueryResultsFormat.JSON,
        "application/sparql-results+xml": ox.QueryResultsFormat.XML,
        "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    }[media]
    parsed = ox.parse_query_results(body, format=fmt)
    if isinstance(parsed, ox.QueryBoolean):
        return Counter([(str(bool(parsed)),)])
    variables = [v.value for v in parsed.variables]
    rows: Counter[tuple[str, ...]] = Counter()
    for solution in parsed:
        rows[tuple(_term(solution[v]) for v in variables)] += 1
    return rows


def _term(term: object) -> str:
    if term is None:
        return ""
    return "_:b" if isinstance(term, ox.BlankNode) else str(term)


def _embedded_rows(store: ox.Store, sparql: str) -> Counter[tuple[str, ...]]:
    result = store.query(sparql)
    body = result.serialize(format=ox.QueryResultsFormat.JSON)
    return _rows(body, SPARQL_JSON)


@pytest.mark.parametrize("media", [m for m in SOLUTION_MEDIA_TYPES if m != SPARQL_CSV])
@pytest.mark.parametrize("sparql", SELECTS + ASKS)
def test_solutions_equal_embedded_store(
    remote: RemoteBackend, embedded: ox.Store, sparql: str, media: str
) -> None:
    outcome = remote.query(
        QueryRequest(PREFIXES + sparql, accept_format=media, timeout_s=10, max_rows=1000)
    )
    assert outcome.media_type == media
    assert not outcome.truncated
    expected = _embedded_rows(embedded, PREFIXES + sparql)
    assert _rows(outcome.body, media) == expected
    if outcome.query_form == "SELECT":
        assert outcome.row_count == sum(expected.values())


def test_csv_is_produced_from_the_server_result(remote: RemoteBackend, embedded: ox.Store) -> None:
    outcome = remote.query(
        QueryRequest(PREFIXES + SELECTS[1], accept_format=SPARQL_CSV, timeout_s=10, max_rows=100)
    )
    expected = embedded.query(PREFIXES + SELECTS[1])
    assert outcome.media_type == SPARQL_CSV
    lines = outcome.body.decode().splitlines()
    assert lines[0] == "m,label,actor,name"
    assert len(lines) - 1 == outcome.row_count == len(list(expected))


@pytest.mark.parametrize("media", GRAPH_MEDIA_TYPES)
@pytest.mark.parametrize("sparql", GRAPHS)
def test_graphs_are_isomorphic_to_embedded_store(
    remote: RemoteBackend, embedded: ox.Store, sparql: str, media: str
) -> None:
    outcome = remote.query(
        QueryRequest(PREFIXES + sparql, accept_format=media, timeout_s=10, max_rows=1000)
    )
    assert outcome.media_type == media
    got = Graph().parse(
        data=outcome.body,
        format={
            "text/turtle": "turtle",
            "application/n-triples": "nt",
            "application/rdf+xml": "xml",
            "application/ld+json": "json-ld",
            "application/trig": "trig",
            "application/n-quads": "nquads",
        }[media],
    )
    nt = ox.serialize(
        embedded.query(PREFIXES + sparql),
        format=ox.RdfFormat.N_TRIPLES,
    )
    expected = Graph().parse(data=nt, format="nt")
    assert len(expected) > 0
    assert isomorphic(got, expected)
    assert outcome.row_count == len(expected)


def test_results_over_the_cap_are_cut_and_flagged(
    remote: RemoteBackend, embedded: ox.Store
) -> None:
    total = sum(_embedded_rows(embedded, SELECTS[0]).values())
    for media in (SPARQL_JSON, SPARQL_CSV, "application/sparql-results+xml"):
        outcome = remote.query(
            QueryRequest(SELECTS[0], accept_format=media, timeout_s=10, max_rows=5)
        )
        assert outcome.truncated and outcome.row_count == 5 < total
        if media != SPARQL_CSV:
            assert sum(_rows(outcome.body, media).values()) == 5
        else:
            assert len(list(csv.reader(io.StringIO(outcome.body.decode())))) == 6
    graph = remote.query(
        QueryRequest(PREFIXES + GRAPHS[0], accept_format="text/turtle", timeout_s=10, max_rows=2)
    )
    assert graph.truncated and graph.row_count == 2
    assert len(Graph().parse(data=graph.body, format="turtle")) == 2


def test_a_triple_stated_in_two_graphs_counts_once(remote: RemoteBackend) -> None:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{B}id/state/MEX> ?p ?o }}"
    outcome = remote.query(
        QueryRequest(query, accept_format=SPARQL_JSON, timeout_s=10, max_rows=10)
    )
    assert _rows(outcome.body, SPARQL_JSON) == Counter(
        [('"4"^^<http://www.w3.org/2001/XMLSchema#integer>',)]
    )


def test_graph_iris_lists_the_loaded_graphs(remote: RemoteBackend) -> None:
    assert remote.graph_iris() == [
        f"{B}graph/document/a",
        f"{B}graph/document/b",
        f"{B}graph/reference",
    ]


def test_loading_twice_replaces_instead_of_duplicating(
    oxigraph_server: OxigraphServer, remote: RemoteBackend, build_dir: Path
) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = remote.query(QueryRequest(count, accept_format=SPARQL_JSON, timeout_s=10, max_rows=10))
    report = load_into(oxigraph_server.store_url, build_dir)
    after = remote.query(QueryRequest(count, accept_format=SPARQL_JSON, timeout_s=10, max_rows=10))
    assert _rows(before.body, SPARQL_JSON) == _rows(after.body, SPARQL_JSON)
    assert report.triples == sum(
        1
        for _ in ox.parse(
            gzip.decompress((build_dir / "dataset.nq.gz").read_bytes()), format=ox.RdfFormat.N_QUADS
        )
    )


def test_dataset_parameters_restrict_the_default_graph(remote: RemoteBackend) -> None:
    outcome = remote.query(
        QueryRequest(
            PREFIXES + "SELECT ?s WHERE { ?s a rcm:State }",
            accept_format=SPARQL_JSON,
            timeout_s=10,
            max_rows=10,
            default_graph_uris=[f"{B}graph/document/a"],
        ),
    )
    assert outcome.row_count == 0


def test_syntax_error_is_a_query_error_with_the_server_message(remote: RemoteBackend) -> None:
    with pytest.raises(QueryError, match="400"):
        remote.query(
            QueryRequest(
                "SELECT * WHERE { ?s ?p }", accept_format=SPARQL_JSON, timeout_s=10, max_rows=10
            )
        )


def test_a_slow_query_times_out(remote: RemoteBackend) -> None:
    triples = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(12))
    with pytest.raises(QueryTimeout):
        remote.query(
            QueryRequest(
                f"SELECT (COUNT(*) AS ?n) WHERE {{ {triples} }}",
                accept_format=SPARQL_JSON,
                timeout_s=0.5,
                max_rows=10,
            ),
        )
    # the backend stays usable after a timeout
    assert remote.query(
        QueryRequest("ASK { ?s ?p ?o }", accept_format=SPARQL_JSON, timeout_s=10, max_rows=1)
    ).body


def test_unreachable_server_is_a_dataset_error(tmp_path: Path) -> None:
    backend = RemoteBackend("http://127.0.0.1:9/query")
    with pytest.raises(DatasetError, match="unreachable"):
        backend.query(QueryRequest("ASK {}", accept_format=SPARQL_JSON, timeout_s=2, max_rows=1))
    with pytest.raises(DatasetError, match=r"no dataset\.nq\.gz"):
        load_into("http://127.0.0.1:9/store", tmp_path)


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("PREFIX a: <http://x/#> # SELECT in a comment\nASK { ?s ?p ?o }", "ASK"),
        (
            "BASE <http://x/> prefix : <http://y/> construct { ?s ?p ?o } where { ?s ?p ?o }",
            "CONSTRUCT",
        ),
        ("# title: x\nDESCRIBE <http://x/select>", "DESCRIBE"),
        ("select * {}", "SELECT"),
    ],
)
def test_query_form(text: str, form: str) -> None:
    assert query_form(text) == form


def test_update_is_not_a_query() -> None:
    with pytest.raises(QueryError):
        query_form("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }")


def test_loading_without_the_default_graph_puts_only_the_named_graphs(
    oxigraph_server: OxigraphServer, build_dir: Path
) -> None:
    """For servers whose default graph is already the union (Virtuoso): ``?default`` is never
    written, and every named graph arrives whole."""
    report = load_into(oxigraph_server.store_url, build_dir, default_graph=False)
    assert report.graphs == 3
    backend = RemoteBackend(oxigraph_server.query_url)
    backend.start()
    try:
        default = backend.query(
            QueryRequest(
                "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                accept_format=SPARQL_JSON,
                timeout_s=10,
                max_rows=10,
            ),
        )
        named = backend.query(
            QueryRequest(
                "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                accept_format=SPARQL_JSON,
                timeout_s=10,
                max_rows=10,
            ),
        )
    finally:
        backend.close()
    quads = list(
        ox.parse(
            gzip.decompress((build_dir / "dataset.nq.gz").read_bytes()), format=ox.RdfFormat.N_QUADS
        )
    )
    in_named = sum(1 for q in quads if not isinstance(q.graph_name, ox.DefaultGraph))
    integer = "<http://www.w3.org/2001/XMLSchema#integer>"
    assert _rows(default.body, SPARQL_JSON) == Counter([(f'"0"^^{integer}',)])
    assert _rows(named.body, SPARQL_JSON) == Counter([(f'"{in_named}"^^{integer}',)])

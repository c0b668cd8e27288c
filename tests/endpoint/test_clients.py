"""Real SPARQL clients against the real server: SPARQLWrapper, rdflib's SPARQLStore, and a
federated query from another engine (pyoxigraph executing ``SERVICE <this endpoint>``)."""

from __future__ import annotations

import pyoxigraph
import pytest
import rdflib
from endpoint_support import EX, G_DOC, G_REF, LiveServer
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, RDFXML, TURTLE, XML, SPARQLWrapper

ISO = f"{EX}ontology#iso3166Alpha3"
STATES_QUERY = f"SELECT ?iso WHERE {{ ?s <{ISO}> ?iso }} ORDER BY ?iso"
STATES = ["CRI", "MEX", "PAN"]


def wrapper(server: LiveServer, query: str, fmt: str, method: str | None = None) -> SPARQLWrapper:
    sw = SPARQLWrapper(server.endpoint)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if method:
        sw.setMethod(method)
    return sw


def test_sparqlwrapper_select_json_get_and_post(server: LiveServer) -> None:
    for method in (None, POST):
        result = wrapper(server, STATES_QUERY, JSON, method).query().convert()
        assert isinstance(result, dict)
        assert [b["iso"]["value"] for b in result["results"]["bindings"]] == STATES


def test_sparqlwrapper_select_xml_and_csv(server: LiveServer) -> None:
    xml = wrapper(server, STATES_QUERY, XML).query().convert()
    values = [n.firstChild.data for n in xml.getElementsByTagName("literal")]  # type: ignore[union-attr]
    assert values == STATES
    csv_body = wrapper(server, STATES_QUERY, CSV).query().convert()
    assert isinstance(csv_body, bytes)
    assert csv_body.decode().splitlines() == ["iso", *STATES]


def test_sparqlwrapper_ask_and_construct(server: LiveServer) -> None:
    result = wrapper(server, "ASK { ?s ?p ?o }", JSON).query().convert()
    assert isinstance(result, dict) and result["boolean"] is True
    query = f"CONSTRUCT {{ ?s <{ISO}> ?iso }} WHERE {{ ?s <{ISO}> ?iso }}"
    for fmt in (TURTLE, XML):
        graph = wrapper(server, query, fmt).query().convert()
        if isinstance(graph, bytes):
            graph = rdflib.Graph().parse(data=graph, format="turtle")
        assert isinstance(graph, rdflib.Graph)
        assert sorted(str(o) for o in graph.objects(None, rdflib.URIRef(ISO))) == STATES


@pytest.mark.parametrize("only_conneg", [False, True], ids=["params", "only-conneg"])
@pytest.mark.parametrize("fmt", [JSONLD, N3, TURTLE, RDFXML])
def test_sparqlwrapper_construct_in_every_rdf_format(
    server: LiveServer, fmt: str, only_conneg: bool
) -> None:
    """Issue 19: JSON-LD once failed (SPARQLWrapper repeats ``format``), N3 was refused.

    Without ``setOnlyConneg`` SPARQLWrapper sends ``format``/``output``/``results`` parameters
    (for JSON-LD twice: a name and its Accept list); with it, only the Accept header."""
    sw = wrapper(server, f"CONSTRUCT {{ ?s <{ISO}> ?iso }} WHERE {{ ?s <{ISO}> ?iso }}", fmt)
    sw.setOnlyConneg(only_conneg)
    result = sw.query()
    media_type = result.response.headers["Content-Type"].split(";")[0]
    expected = {JSONLD: "application/ld+json", RDFXML: "application/rdf+xml"}
    assert media_type == expected.get(fmt, "text/turtle")  # Turtle is valid N3
    graph = result.convert()
    if isinstance(graph, bytes):  # SPARQLWrapper hands Turtle and N3 over as text
        graph = rdflib.Graph().parse(data=graph, format="n3" if fmt == N3 else "turtle")
    assert isinstance(graph, rdflib.Graph)
    assert sorted(str(o) for o in graph.objects(None, rdflib.URIRef(ISO))) == STATES


def test_rdflib_sparqlstore(server: LiveServer) -> None:
    store = SPARQLStore(query_endpoint=server.endpoint, returnFormat="json")
    graph = rdflib.Graph(store=store)
    rows = list(graph.query(STATES_QUERY))
    assert [str(row[0]) for row in rows] == STATES  # type: ignore[index]
    pan = rdflib.URIRef(f"{EX}id/state/PAN")
    labels = set(graph.objects(pan, rdflib.RDFS.label))
    assert labels == {rdflib.Literal("Panama", lang="en"), rdflib.Literal("Panamá", lang="es")}
    assert (pan, rdflib.URIRef(ISO), rdflib.Literal("PAN")) in graph
    constructed = graph.query(f"CONSTRUCT {{ ?s <{ISO}> ?iso }} WHERE {{ ?s <{ISO}> ?iso }}")
    expected = rdflib.Graph()
    for iso in STATES:
        expected.add(
            (rdflib.URIRef(f"{EX}id/state/{iso}"), rdflib.URIRef(ISO), rdflib.Literal(iso))
        )
    assert constructed.graph is not None
    assert isomorphic(constructed.graph, expected)
    store.close()


def test_rdflib_sparqlstore_named_graphs(server: LiveServer) -> None:
    store = SPARQLStore(query_endpoint=server.endpoint, returnFormat="xml")
    names = {str(c.identifier if isinstance(c, rdflib.Graph) else c) for c in store.contexts()}
    assert names == {G_DOC, G_REF}
    store.close()


def test_federated_query_from_pyoxigraph(server: LiveServer) -> None:
    """Another engine federates into this endpoint (pyoxigraph is built with its HTTP client)."""
    local = pyoxigraph.Store()
    local.add(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode("urn:x:panama"),
            pyoxigraph.NamedNode("urn:x:iso"),
            pyoxigraph.Literal("PAN"),
        )
    )
    query = (
        f"SELECT ?local ?label WHERE {{ ?local <urn:x:iso> ?iso . "
        f"SERVICE <{server.endpoint}> {{ ?state <{ISO}> ?iso ; "
        f"<http://www.w3.org/2000/01/rdf-schema#label> ?label FILTER(lang(?label) = 'es') }} }}"
    )
    rows = [(s["local"].value, s["label"].value) for s in local.query(query)]  # type: ignore[index, union-attr]
    assert rows == [("urn:x:panama", "Panamá")]

"""One triple count, the same everywhere (issue 19, point 7).

The build once printed the sum of its per-graph counts (17,886), the union graph held 17,860
and VoID said 17,183 (the union before the meta graph was added). The count is now defined once,
in ``rcm_graph.store.void.union_triples``: the distinct triples in the union of every published
graph, the meta graph included. On the session's build of the bundled corpus (the fixture the
catalogue tests already use, so no extra build), the printed summary, the manifest, VoID in
``void.ttl``, the endpoint's own ``COUNT(*)`` and the UI's downloads and VoID pages must all
show that one number.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from query_harness import BundledBuild
from rdflib import Graph, Literal, URIRef

from live_server import LiveServer
from rcm_graph.model.iris import Iris
from rcm_graph.model.vocab import ONTOLOGY_IRI
from rcm_graph.settings import Settings
from rcm_graph.store.dataset import load_dataset
from rcm_graph.store.void import stated_triples

pytestmark = pytest.mark.slow

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
IANA = "https://www.iana.org/assignments/media-types/"
VOID_TRIPLES = URIRef(VOID + "triples")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def server(bundled_build: BundledBuild) -> Iterator[LiveServer]:
    with LiveServer(Settings(data_dir=bundled_build.data_dir)) as live:
        yield live


@pytest.fixture(scope="module")
def count(bundled_build: BundledBuild) -> int:
    """The figure every other place must agree with: what the published store holds."""
    store = load_dataset(bundled_build.data_dir).open_store()
    return int(next(iter(store.query(COUNT)))["n"].value)  # type: ignore[index,call-overload]


def test_build_summary_manifest_and_void_state_the_union_count(
    bundled_build: BundledBuild, count: int
) -> None:
    dataset = load_dataset(bundled_build.data_dir)
    assert dataset.manifest["triples"] == count
    void = Graph().parse(dataset.build_dir / "void.ttl", format="turtle")
    assert stated_triples(void) == count
    dataset_node = URIRef(Iris().dataset())
    assert void.value(dataset_node, VOID_TRIPLES) == Literal(count)
    # the per-graph figures are kept, and a triple two graphs state counts in each of them
    assert sum(dataset.manifest["graphs"].values()) >= count
    if bundled_build.summary is not None:  # None only when a data directory was reused
        assert bundled_build.summary.triples == count
        printed = bundled_build.summary.format(Iris()).splitlines()
        assert [line.split()[-1] for line in printed if "union (distinct)" in line] == [str(count)]


def test_the_endpoint_and_the_ui_pages_show_the_same_count(server: LiveServer, count: int) -> None:
    answer = httpx.get(
        server.endpoint,
        params={"query": COUNT},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) == count
    listing = httpx.get(server.url + "/downloads", headers={"Accept": "application/json"})
    assert json.loads(listing.text)["triples"] == count
    shown = f"{count:,} triples"
    for page in ("/downloads", "/.well-known/void"):
        html = httpx.get(server.url + page, headers={"Accept": "text/html"}, timeout=30).text
        assert f'id="dataset-triples">{shown}<' in html, page
    turtle = httpx.get(server.url + "/.well-known/void", headers={"Accept": "text/turtle"}).text
    served = Graph().parse(data=turtle, format="turtle")
    assert stated_triples(served) == count


def test_void_names_the_vocabulary_once_and_media_types_as_iana_iris(
    bundled_build: BundledBuild,
) -> None:
    """DCAT 2/3 give dcat:mediaType the range dct:MediaType: the IANA register's IRI, not a
    literal; the ontology is named by its owl:Ontology IRI only (not also with a ``#``)."""
    dataset = load_dataset(bundled_build.data_dir)
    void = Graph().parse(dataset.build_dir / "void.ttl", format="turtle")
    node = URIRef(Iris().dataset())
    assert list(void.objects(node, URIRef(VOID + "vocabulary"))) == [URIRef(ONTOLOGY_IRI)]
    distributions = void.objects(node, URIRef(DCAT + "distribution"))
    media = {void.value(d, URIRef(DCAT + "mediaType")) for d in distributions}
    assert media == {
        URIRef(IANA + t)
        for t in ("application/n-quads", "application/trig", "text/turtle", "application/ld+json")
    }

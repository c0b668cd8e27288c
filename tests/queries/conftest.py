"""Datasets the catalogue tests query: a hand-written one and the real build of the corpus.

``handwritten``: ``handwritten.trig`` (the five documents as a careful reader records them,
following docs/data-model.md) plus the project's reference graph; it tests the query logic.
``build``: the real pipeline run once per session on the bundled corpus into a temporary data
directory, opened through ``rcm_graph.store.dataset``; it tests that the published graph answers
the questions as the documents do. A test whose expectation the extractor does not meet yet
is listed in ``EXTRACTION_GAPS`` and runs as a strict xfail on the build only: the
expectation stays the truth of the documents.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from query_harness import IRIS, BundledBuild, Queries

from rcm_graph.query.catalogue import Catalogue, load_catalogue

HERE = Path(__file__).parent

# Test name (or test[build-param]) -> what the extraction misses, as checked on the build.
EXTRACTION_GAPS: dict[str, str] = {
    "test_objectives_discussed_most_in_2017": "smuggling (objective 9) ranks fourth, after "
    "international cooperation (23), drivers (2) and vulnerabilities (7): the general cue "
    "phrases of issue 16 tag more paragraphs of the 2017 documents with those three",
    "test_speakers_at_the_2017_meetings": "the presenters Renata Dubini, Dilip Ratha and Ramón "
    "Ramírez have no participation",
    "test_planned_events": "the minutes' 'RCM Meeting to be held in November in San Salvador' "
    "is missing",
    "test_events_view": "missing events: the Global RCP Meeting ('to be held in Geneva in "
    "October', 2017-03 report) and the RCM Meeting 'in November in San Salvador' (minutes)",
    "test_events_in_geneva": "the 2017-03 report's Global RCP Meeting in Geneva is missing",
    "test_secretariat_commitments_in_date_order": "minutes agreement 4 'By way of its TS, the "
    "RCM shall share said Declaration with the SACM' names the RCM but not its Technical "
    "Secretariat as responsible",
    "test_topics_raised_by_honduras": "Honduras's 'the topic of migrant smuggling and trafficking "
    "should be developed as an additional item' gets smuggling but not trafficking-in-persons",
    "test_statements_carry_objective_numbers": "the same Honduras statement gets objective 9 "
    "but not objective 10 (trafficking)",
}


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


def _handwritten_store() -> ox.Store:
    from rcm_graph.reference.graph import reference_graph

    store = ox.Store()
    reference = reference_graph(IRIS).serialize(format="nt", encoding="utf-8")
    store.load(
        reference,
        format=ox.RdfFormat.N_TRIPLES,
        to_graph=ox.NamedNode(str(IRIS.graph("reference"))),
    )
    store.load(path=str(HERE / "handwritten.trig"), format=ox.RdfFormat.TRIG)
    return store


REUSE_BUILD = "RCM_GRAPH_TEST_REUSE_DATA_DIR"
"""Opt-in for local iteration: query this already built data dir instead of building anew."""


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory: pytest.TempPathFactory) -> BundledBuild:
    from rcm_graph.pipeline import build
    from rcm_graph.resources import bundled_corpus_dir
    from rcm_graph.settings import Settings

    reuse = os.environ.get(REUSE_BUILD)
    if reuse:
        return BundledBuild(Path(reuse), None)
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("build") / "data", corpus=bundled_corpus_dir()
    )
    return BundledBuild(settings.data_dir, build(settings, allow_invalid=True))


@pytest.fixture(scope="session")
def handwritten(catalogue: Catalogue) -> Queries:
    return Queries("handwritten", _handwritten_store(), catalogue, union_flag=True)


@pytest.fixture(scope="session")
def built(catalogue: Catalogue, bundled_build: BundledBuild) -> Queries:
    from rcm_graph.store.dataset import load_dataset

    store = load_dataset(bundled_build.data_dir).open_store()
    return Queries("build", store, catalogue, union_flag=False)


@pytest.fixture(params=["handwritten", pytest.param("build", marks=pytest.mark.slow)])
def data(request: pytest.FixtureRequest) -> Iterator[Queries]:
    yield request.getfixturevalue("handwritten" if request.param == "handwritten" else "built")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        if (
            not Path(str(item.fspath)).is_relative_to(HERE)
            or callspec is None
            or callspec.params.get("data") != "build"
        ):
            continue
        reason = EXTRACTION_GAPS.get(item.name) or EXTRACTION_GAPS.get(
            getattr(item, "originalname", item.name)
        )
        if reason:
            item.add_marker(pytest.mark.xfail(strict=True, reason=reason))

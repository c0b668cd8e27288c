"""A rebuild keeps what was written through the endpoint: the edit journal is replayed.

End to end with real parts: a small invented corpus is built, a write is made through
``rcm_graph.writes.writer.Writer`` (the code behind SPARQL Update and the Graph Store Protocol), the
corpus is rebuilt, and the written triples must be in the new build, in their graph and in the
default graph, with the manifest naming the edits applied. A damaged journal entry is reported as
a warning and skipped, and the build still publishes.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pyoxigraph
import pytest

from rcm_graph.model.iris import Iris
from rcm_graph.pipeline import build
from rcm_graph.settings import DEFAULT_BASE_IRI, Settings
from rcm_graph.store.dataset import load_dataset
from rcm_graph.writes.edit import Edit
from rcm_graph.writes.journal import journal_files
from rcm_graph.writes.writer import Writer

pytestmark = pytest.mark.slow  # three builds, the first a cold one

CORPUS = Path(__file__).parent / "corpus"
IRIS = Iris(DEFAULT_BASE_IRI)
NOTE = '<urn:example:curator-note> <urn:example:says> "checked by hand"'


def _served(data_dir: Path) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    with gzip.open(load_dataset(data_dir).nquads_path, "rb") as fh:
        store.bulk_load(fh.read(), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("edits-replay")
    shutil.copytree(CORPUS, root / "corpus")
    settings = Settings(data_dir=root / "data", corpus=root / "corpus", build_workers=1)
    assert build(settings).published
    return settings


def test_a_rebuild_replays_the_writes(settings: Settings) -> None:
    graph = str(IRIS.edits_graph())
    outcome = Writer(settings.data_dir, settings.base_iri).write(
        Edit("update", f"INSERT DATA {{ {NOTE} }}", None, None), timeout_s=60
    )
    assert outcome.added >= 1
    written = load_dataset(settings.data_dir).build_id

    summary = build(settings)

    assert summary.published and summary.build_id != written
    store = _served(settings.data_dir)
    assert store.query(f"ASK {{ GRAPH <{graph}> {{ {NOTE} }} }}")
    assert store.query(f"ASK {{ {NOTE} }}")  # the default graph is still the union
    manifest = load_dataset(settings.data_dir).manifest
    assert manifest["edits_applied"] == [1]
    assert not [w for w in summary.warnings if "edit not applied" in w]


def test_a_damaged_entry_is_reported_and_the_build_still_publishes(settings: Settings) -> None:
    entry = journal_files(settings.data_dir)[0]
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["payload"] = data["payload"].replace("checked", "forged")  # no longer its SHA-256
    entry.write_text(json.dumps(data), encoding="utf-8")

    summary = build(settings)

    assert summary.published
    problems = [w for w in summary.warnings if "edit not applied" in w]
    assert len(problems) == 1 and entry.name in problems[0] and "SHA-256" in problems[0]
    store = _served(settings.data_dir)
    assert not store.query("ASK { <urn:example:curator-note> ?p ?o }")
    assert "edits_applied" not in load_dataset(settings.data_dir).manifest

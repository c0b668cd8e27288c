"""The build's output does not depend on how many worker processes ran the per-document
stages: one process and a pool of two give the same dataset (every graph compared as RDF,
blank nodes by isomorphism), the same manifest entries and the same summary."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from collections import defaultdict
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from rcm_graph.errors import DatasetError
from rcm_graph.model.iris import Iris
from rcm_graph.pipeline import BuildSummary, build
from rcm_graph.pipeline.document import DocumentProcessor
from rcm_graph.settings import Settings, load_settings

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).parent / "corpus"
IRIS = Iris()


def graphs_of(nquads_gz: Path) -> dict[str, Graph]:
    """Every graph of the dump, without the meta graph (build id, times) and its copies in
    the default graph."""
    lines: dict[str, list[str]] = defaultdict(list)
    with gzip.open(nquads_gz, "rb") as fh:
        for q in pyoxigraph.parse(fh, pyoxigraph.RdfFormat.N_QUADS):
            name = "" if isinstance(q.graph_name, pyoxigraph.DefaultGraph) else q.graph_name.value
            lines[name].append(f"{q.subject} {q.predicate} {q.object} .")
    meta = set(lines.pop(str(IRIS.graph("meta"))))
    lines[""] = [t for t in lines[""] if t not in meta]
    graphs = {}
    for name, triples in lines.items():
        graphs[name] = Graph().parse(data="\n".join(triples), format="nt")
    return graphs


def built(tmp_path: Path, workers: int) -> BuildSummary:
    corpus = tmp_path / f"corpus-{workers}"
    shutil.copytree(CORPUS, corpus)
    settings = Settings(data_dir=tmp_path / f"data-{workers}", corpus=corpus, build_workers=workers)
    summary = build(settings, full=True)
    assert summary.published, summary.report.format()
    return summary


def test_one_worker_and_a_pool_build_the_same_dataset(tmp_path: Path) -> None:
    one, pool = built(tmp_path, 1), built(tmp_path, 2)
    a, b = graphs_of(one.build_dir / "dataset.nq.gz"), graphs_of(pool.build_dir / "dataset.nq.gz")
    assert set(a) == set(b) and len(a) >= 7  # documents, reference, ontology, inferred …
    for name in a:
        assert len(a[name]) == len(b[name]), name
        assert isomorphic(a[name], b[name]), name
    assert (one.documents, one.facts, one.triples_per_graph) == (
        pool.documents,
        pool.facts,
        pool.triples_per_graph,
    )
    assert one.errors == pool.errors and one.warnings == pool.warnings
    assert sorted((r.focus, r.path, r.constraint) for r in one.report.results) == sorted(
        (r.focus, r.path, r.constraint) for r in pool.report.results
    )
    manifests = [json.loads((s.build_dir / "manifest.json").read_text()) for s in (one, pool)]
    for key in ("documents", "graphs", "conformant", "validation_results"):
        assert manifests[0][key] == manifests[1][key], key
    assert set(manifests[0]["stage_seconds"]) == set(manifests[1]["stage_seconds"])


def test_build_workers_setting() -> None:
    assert load_settings(environ={"RCM_GRAPH_BUILD_WORKERS": "3"}).build_workers == 3
    assert 1 <= load_settings(environ={}).build_workers <= 4


def test_a_worker_that_dies_fails_the_build_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker process killed mid-document (out of memory, SIGKILL) must not leave the build
    waiting forever: the build fails with a clear error and leaves no build directory."""
    original = DocumentProcessor.process

    def dies_on_the_second(self: DocumentProcessor, path: Path) -> object:
        if path == sorted(path.parent.glob("*.txt"))[1]:
            os._exit(9)  # as abruptly as the kernel's OOM killer
        return original(self, path)

    monkeypatch.setattr(DocumentProcessor, "process", dies_on_the_second)
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    data = tmp_path / "data"
    with pytest.raises(DatasetError, match="worker process died"):
        build(Settings(data_dir=data, corpus=corpus, build_workers=2), full=True)
    assert not list((data / "builds").iterdir())
    assert not (data / "current").exists()

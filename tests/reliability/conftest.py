"""Fixtures of the reliability tests: one real dataset built once, and real servers on it.

Scale knobs (``scripts/fuzz`` and ``scripts/load-test`` raise them; CI keeps the defaults):
``RCM_RELIABILITY_EXAMPLES`` (hypothesis examples per fuzz test) and
``RCM_RELIABILITY_LOAD_S`` (seconds of load in the load test).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from reliability_support import CORPUS, Server, build_dataset, need

import rcm_graph.pipeline as pipeline
import rcm_graph.web.server as web_server


@pytest.fixture(scope="session")
def session_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus of the session dataset: the three smallest bundled documents.

    WHY not all five: a build's cost is mostly fixed (reasoning and validation over ontology
    and reference data), the largest document adds a third on top, and these tests need a real
    dataset, not the biggest one. ``RCM_RELIABILITY_CORPUS`` names another corpus.
    """
    given = os.environ.get("RCM_RELIABILITY_CORPUS")
    if given:
        return Path(given)
    corpus = tmp_path_factory.mktemp("reliability-corpus")
    for path in sorted(CORPUS.glob("*.txt"), key=lambda p: p.stat().st_size)[:3]:
        shutil.copyfile(path, corpus / path.name)
    return corpus


@pytest.fixture(scope="session")
def built_data_dir(tmp_path_factory: pytest.TempPathFactory, session_corpus: Path) -> Path:
    """A data directory with one real build of the bundled corpus (built once per session).

    ``RCM_RELIABILITY_DATA_DIR`` names an existing data directory to reuse instead (the long
    runs of scripts/fuzz and scripts/load-test build once and pass it to every pytest run).
    """
    given = os.environ.get("RCM_RELIABILITY_DATA_DIR")
    if given:
        return Path(given)
    need(pipeline, "run_build")
    data_dir = tmp_path_factory.mktemp("reliability-data") / "data"
    build_dataset(data_dir, session_corpus)
    return data_dir


@pytest.fixture
def data_dir_copy(built_data_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the built data directory (symlinks kept) that a test may damage."""
    target = tmp_path / "data"
    shutil.copytree(built_data_dir, target, symlinks=True, ignore=shutil.ignore_patterns("*.lock"))
    return target


def _server(data_dir: Path, env: dict[str, str]) -> Iterator[Server]:
    if not os.environ.get("RCM_RELIABILITY_LAUNCHER"):
        need(web_server, "run_server")
    server = Server(data_dir=data_dir, env=env)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def server(built_data_dir: Path) -> Iterator[Server]:
    """A server on the bundled dataset with default limits and a write token configured."""
    yield from _server(
        built_data_dir,
        {"RCM_GRAPH_WRITE_TOKEN": "correct-horse-battery-staple", "RCM_GRAPH_QUERY_TIMEOUT_S": "2"},
    )

"""The small public API is pinned: adding or removing a name is a deliberate change."""

from __future__ import annotations

import re

import rcm_graph


def test_public_names() -> None:
    assert set(rcm_graph.__all__) == {
        "Settings",
        "__version__",
        "build",
        "load_dataset",
        "load_settings",
    }
    for name in rcm_graph.__all__:
        assert hasattr(rcm_graph, name)


def test_version_is_semver() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", rcm_graph.__version__)


def test_load_dataset_is_the_dataset_loader() -> None:
    from rcm_graph.store.dataset import load_dataset

    assert rcm_graph.load_dataset is load_dataset


def test_build_is_the_pipeline_build() -> None:
    from rcm_graph.pipeline import build

    assert rcm_graph.build is build

"""The on-disk dataset: sealing a build, the atomic ``current`` switch, pruning, and the clear
errors that missing or damaged datasets raise."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph
import pytest

from rcm_graph.errors import DatasetError
from rcm_graph.store.dataset import (
    NQUADS,
    create_build_dir,
    file_entries,
    finish_build,
    load_dataset,
    publish,
)

G = "https://example.org/graph/a"


def make_build(data_dir: Path, label: str) -> Path:
    """A real, minimal build: one quad in a store and in the gzipped N-Quads dump."""
    build_dir = create_build_dir(data_dir)
    quad = pyoxigraph.Quad(
        pyoxigraph.NamedNode("https://example.org/s"),
        pyoxigraph.NamedNode("https://example.org/label"),
        pyoxigraph.Literal(label),
        pyoxigraph.NamedNode(G),
    )
    store = pyoxigraph.Store(str(build_dir / "store"))
    store.bulk_extend([quad])
    store.flush()
    del store
    with gzip.open(build_dir / NQUADS, "wb") as fh:
        fh.write(pyoxigraph.serialize([quad], format=pyoxigraph.RdfFormat.N_QUADS) or b"")
    finish_build(
        build_dir,
        {"build_id": build_dir.name, "graphs": {G: 1}, "files": file_entries(build_dir, [NQUADS])},
    )
    return build_dir


def label_of(data_dir: Path) -> str:
    store = load_dataset(data_dir).open_store()
    rows = list(store.query("SELECT ?l { ?s ?p ?l }", use_default_graph_as_union=True))
    return str(rows[0]["l"].value)


def test_publish_switches_a_relative_symlink(tmp_path: Path) -> None:
    first = make_build(tmp_path, "one")
    publish(tmp_path, first)
    link = tmp_path / "current"
    assert link.is_symlink() and not link.readlink().is_absolute()
    assert str(link.readlink()) == f"builds/{first.name}"
    assert label_of(tmp_path) == "one"
    dataset = load_dataset(tmp_path)
    assert dataset.graph_iris() == [G]
    assert dataset.nquads_path.is_file() and dataset.store_path.is_dir()
    assert dataset.manifest["build_id"] == first.name

    second = make_build(tmp_path, "two")
    publish(tmp_path, second)
    assert label_of(tmp_path) == "two"
    assert not list(tmp_path.glob("current.tmp-*"))


def test_prune_keeps_current_and_previous_and_removes_incomplete(tmp_path: Path) -> None:
    builds = []
    for i in range(3):
        if i == 2:
            incomplete = create_build_dir(tmp_path)  # a killed build: no manifest
        builds.append(make_build(tmp_path, str(i)))
        publish(tmp_path, builds[-1])
    remaining = {p.name for p in (tmp_path / "builds").iterdir()}
    assert remaining == {builds[1].name, builds[2].name}
    assert incomplete.name not in remaining


def test_missing_dataset_names_the_rebuild_command(tmp_path: Path) -> None:
    with pytest.raises(DatasetError) as info:
        load_dataset(tmp_path)
    assert "rcm-graph build" in (info.value.hint or "")


def test_incomplete_build_cannot_be_published(tmp_path: Path) -> None:
    with pytest.raises(DatasetError):
        publish(tmp_path, create_build_dir(tmp_path))
    assert not (tmp_path / "current").exists()


def test_missing_manifest_is_reported(tmp_path: Path) -> None:
    publish(tmp_path, build := make_build(tmp_path, "x"))
    (build / "manifest.json").unlink()
    with pytest.raises(DatasetError, match="manifest") as info:
        load_dataset(tmp_path)
    assert "rcm-graph build --data-dir" in (info.value.hint or "")


def test_corrupt_manifest_is_reported(tmp_path: Path) -> None:
    publish(tmp_path, build := make_build(tmp_path, "x"))
    (build / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DatasetError, match="unreadable"):
        load_dataset(tmp_path)


def test_checksum_mismatch_is_reported(tmp_path: Path) -> None:
    publish(tmp_path, build := make_build(tmp_path, "x"))
    data = bytearray((build / NQUADS).read_bytes())
    data[-1] ^= 0xFF  # same size, different content
    (build / NQUADS).write_bytes(bytes(data))
    with pytest.raises(DatasetError, match="checksum"):
        load_dataset(tmp_path)
    assert load_dataset(tmp_path, verify=False).build_id == build.name


def test_store_that_fails_to_open_is_reported(tmp_path: Path) -> None:
    publish(tmp_path, build := make_build(tmp_path, "x"))
    store = build / "store"
    for child in store.iterdir():
        if child.is_file():
            child.write_bytes(b"garbage")
    with pytest.raises(DatasetError) as info:
        load_dataset(tmp_path)
    assert "rcm-graph build" in (info.value.hint or "")


def test_missing_store_is_reported(tmp_path: Path) -> None:
    publish(tmp_path, build := make_build(tmp_path, "x"))
    import shutil

    shutil.rmtree(build / "store")
    with pytest.raises(DatasetError, match="store"):
        load_dataset(tmp_path)

"""A build killed with SIGKILL at any moment leaves the previous dataset intact and usable.

Each rebuild is killed at a different moment: after fixed delays, and exactly when the new
build directory, its store, its N-Quads dump and its manifest appear (polled every few
milliseconds). After every kill the previous build must still be ``current``, load with its
checksums verified, and answer a query with the same rows; ``current`` must be a whole symlink.
Finally an unkilled build succeeds in the same data directory (the lock died with the killed
process) and clears what the killed builds left behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from rcm_graph.store.dataset import load_dataset

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).parent / "corpus"
QUERY = (
    "PREFIX rcm: <https://w3id.org/rcm-graph/ontology#> "
    "SELECT ?m ?d WHERE { ?m a rcm:Meeting ; rcm:startDate ?d } ORDER BY ?m"
)


def start_build(corpus: Path, data: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rcm_graph",
            "build",
            "--corpus",
            str(corpus),
            "--data-dir",
            str(data),
            *extra,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def answer(data: Path) -> list[tuple[str, str]]:
    store = load_dataset(data).open_store()
    return [(str(r["m"].value), str(r["d"].value)) for r in store.query(QUERY)]


def new_build_dirs(data: Path, known: set[str]) -> list[Path]:
    builds = data / "builds"
    return [p for p in builds.iterdir() if p.name not in known] if builds.is_dir() else []


def appears(relative: str) -> Callable[[Path, set[str]], bool]:
    def check(data: Path, known: set[str]) -> bool:
        return any((d / relative).exists() for d in new_build_dirs(data, known))

    return check


def after(seconds: float) -> Callable[[Path, set[str]], bool]:
    deadline: list[float] = []

    def check(data: Path, known: set[str]) -> bool:
        if not deadline:
            deadline.append(time.monotonic() + seconds)
        return time.monotonic() >= deadline[0]

    return check


MOMENTS = {
    "after 0.3 s": after(0.3),
    "after 1.5 s": after(1.5),
    "build dir created": lambda data, known: bool(new_build_dirs(data, known)),
    "store being written": appears("store"),
    "nquads being written": appears("dataset.nq.gz"),
    "trig being written": appears("dataset.trig"),
    "manifest written": appears("manifest.json"),
}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("sigkill")
    corpus, data = root / "corpus", root / "data"
    shutil.copytree(CORPUS, corpus)
    assert start_build(corpus, data).wait(timeout=600) == 0
    return corpus, data


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_killed_build_leaves_previous_dataset_usable(
    published: tuple[Path, Path], moment: str
) -> None:
    corpus, data = published
    before_id = load_dataset(data).build_id
    before_rows = answer(data)
    assert before_rows
    known = {p.name for p in (data / "builds").iterdir()}
    # a changed document, so that the rebuild has real work to do (and --full for all stages)
    doc = sorted(corpus.glob("*.txt"))[0]
    doc.write_text(doc.read_text(encoding="utf-8") + f"\n{moment}\n", encoding="utf-8")
    proc = start_build(corpus, data, "--full")
    check = MOMENTS[moment]
    try:
        while proc.poll() is None and not check(data, known):
            time.sleep(0.002)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    if proc.returncode == 0:
        pytest.skip(f"the build finished before the moment {moment!r} was observed")
    assert proc.returncode == -signal.SIGKILL
    link = data / "current"
    assert link.is_symlink() and not link.readlink().is_absolute()
    now = load_dataset(data)  # verifies the manifest, every checksum and the store
    if now.build_id != before_id:
        # killed after the atomic switch (the manifest is written just before it): the new
        # build must then be the complete one, never a half-written directory
        assert moment == "manifest written", f"switched before the build was complete ({moment})"
        assert answer(data)
        return
    assert answer(data) == before_rows


def test_a_build_after_kills_succeeds_and_cleans_up(published: tuple[Path, Path]) -> None:
    corpus, data = published
    before = load_dataset(data).build_id
    proc = start_build(corpus, data)
    assert proc.wait(timeout=600) == 0
    after_id = load_dataset(data).build_id
    assert after_id != before
    remaining = {p.name for p in (data / "builds").iterdir()}
    assert remaining == {before, after_id}
    assert not list(data.glob("current.tmp-*"))

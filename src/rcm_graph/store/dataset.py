"""The dataset on disk: build directories, their manifest, and the atomic ``current`` switch.

Layout of a data directory::

    data_dir/
      current -> builds/<build-id>     relative symlink, replaced atomically
      previous -> builds/<build-id>    what ``current`` named before its last switch
                                       (``rcm-graph rollback`` goes back to it)
      builds/<build-id>/
        store/                         pyoxigraph (RocksDB) store, every named graph
        dataset.nq.gz                  the same quads, gzipped N-Quads
        manifest.json                  written LAST: a build without it is incomplete
        ...                            other dumps, listed with their checksums in the manifest
      build.lock                       held by the one build that may run at a time

WHY this shape: a build never writes into the directory being served. It fills a fresh
``builds/<id>/``, writes ``manifest.json`` last, and only then replaces the ``current`` symlink
with ``os.replace`` (an atomic rename on POSIX). A build killed at any moment leaves either the
old link or the new one, never a half-written dataset behind ``current``; stray incomplete
build directories are removed by the next successful publish.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph

from rcm_graph.errors import DatasetError

MANIFEST = "manifest.json"
NQUADS = "dataset.nq.gz"
STORE = "store"
BUILDS = "builds"
CURRENT = "current"
PREVIOUS = "previous"
LOCK = "build.lock"
MANIFEST_FORMAT = 1
# Manifest entries that describe how one build ran (its time and memory), not its data: a
# build derived from another by a write does not inherit them.
RUN_FIGURES = ("stage_seconds", "stage_cpu_seconds", "stage_peak_rss_raise_mib", "peak_rss_mib")


def _rebuild_hint(data_dir: Path) -> str:
    return f"rebuild it with `rcm-graph build --data-dir {data_dir}`"


@dataclass(frozen=True)
class Dataset:
    """One published build: where its files are and what its manifest says.

    The store holds every named graph and, in its default graph, their distinct union (see
    :mod:`rcm_graph.store.dumps`): query the default graph as it is, WITHOUT pyoxigraph's
    ``use_default_graph_as_union`` (a bag: it would repeat every triple).
    """

    build_dir: Path
    manifest: dict[str, Any]

    @property
    def build_id(self) -> str:
        return str(self.manifest["build_id"])

    @property
    def nquads_path(self) -> Path:
        return self.build_dir / NQUADS

    @property
    def store_path(self) -> Path:
        return self.build_dir / STORE

    def open_store(self) -> pyoxigraph.Store:
        """The on-disk store, read-only (several processes may open it at once)."""
        try:
            return pyoxigraph.Store.read_only(str(self.store_path))
        except (OSError, RuntimeError) as exc:  # RocksDB reports corruption as RuntimeError
            raise DatasetError(
                f"the store cannot be opened ({exc})",
                where=str(self.store_path),
                hint=_rebuild_hint(self.build_dir.parent.parent),
            ) from None

    def graph_iris(self) -> list[str]:
        """The named graphs of the dataset, as the manifest lists them (sorted)."""
        return sorted(self.manifest.get("graphs", {}))

    def file_path(self, name: str) -> Path:
        """A file of the build (``dataset.trig``, ``void.ttl`` …), checked to be listed."""
        if name not in self.manifest.get("files", {}):
            raise DatasetError(
                f"the build has no file {name!r}",
                where=str(self.build_dir),
                hint=_rebuild_hint(self.build_dir.parent.parent),
            )
        return self.build_dir / name


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def new_build_id(now: datetime | None = None) -> str:
    """Sortable by time, unique per process: ``20261123T014600Z-1a2b3c``."""
    now = now or datetime.now(UTC)
    return f"{now.strftime('%Y%m%dT%H%M%S%fZ')}-{os.urandom(3).hex()}"


def create_build_dir(data_dir: Path, build_id: str | None = None) -> Path:
    """A fresh, empty ``builds/<id>/`` directory for a new build."""
    builds = data_dir / BUILDS
    try:
        builds.mkdir(parents=True, exist_ok=True)
        path = builds / (build_id or new_build_id())
        path.mkdir()
    except OSError as exc:
        raise DatasetError(
            f"cannot create a build directory ({exc})",
            where=str(builds),
            hint="check that the data directory is writable (--data-dir)",
        ) from None
    return path


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json_atomically(path: Path, data: Mapping[str, Any]) -> None:
    """Write to a temporary sibling, fsync, then rename over ``path``."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, sort_keys=True, ensure_ascii=False)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)


def file_entries(
    build_dir: Path, names: list[str], digests: Mapping[str, str] | None = None
) -> dict[str, dict[str, Any]]:
    """``{name: {"sha256", "bytes"}}`` for files of a build, for the manifest.

    ``digests``: SHA-256 already computed while the files were written (see
    :func:`rcm_graph.store.dumps.write_dumps`), so that gigabytes of dumps are not read again."""
    known = digests or {}
    return {
        name: {
            "sha256": known.get(name) or sha256_file(build_dir / name),
            "bytes": (build_dir / name).stat().st_size,
        }
        for name in names
    }


def finish_build(build_dir: Path, manifest: Mapping[str, Any]) -> None:
    """Seal a build: write ``manifest.json`` (last, atomically) and flush the directory.

    The manifest must hold ``build_id``, ``graphs`` and ``files`` (see :func:`file_entries`);
    ``dataset.nq.gz`` must be among the files, because loading checks it.
    """
    for key in ("build_id", "graphs", "files"):
        if key not in manifest:
            raise ValueError(f"manifest lacks {key!r}")
    if NQUADS not in manifest["files"]:
        raise ValueError(f"manifest must list {NQUADS}")
    write_json_atomically(build_dir / MANIFEST, {"format": MANIFEST_FORMAT, **manifest})
    _fsync_dir(build_dir)


def current_build_dir(data_dir: Path) -> Path | None:
    """The build ``current`` points to, or None when there is no (valid) link."""
    link = data_dir / CURRENT
    if not link.is_symlink():
        return None
    target = (data_dir / link.readlink()).resolve()
    return target if target.is_dir() else None


def set_link(data_dir: Path, link: str, build_id: str) -> None:
    """Point ``data_dir/<link>`` (``current``, ``previous``) at ``builds/<build_id>``, atomically.

    The link is RELATIVE (``builds/<id>``) so that the data directory can be moved or mounted
    elsewhere; it is made under a temporary name and renamed over the old one (rename(2) is
    atomic), so a reader sees the old target or the new one, never no link."""
    data_dir_abs = data_dir.resolve()
    tmp = data_dir_abs / f"{CURRENT}.tmp-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    tmp.symlink_to(Path(BUILDS) / build_id)
    tmp.replace(data_dir_abs / link)
    _fsync_dir(data_dir_abs)


def publish(data_dir: Path, build_dir: Path) -> None:
    """Atomically make ``build_dir`` the current dataset, then prune old builds.

    Keeps the new build and the one it replaces, which ``previous`` then names (set FIRST: if
    the process dies between the two switches, ``previous`` names what is still current and
    a rollback has nothing to do, rather than going back to a stale build); removes the rest,
    including incomplete directories left by killed builds.
    """
    build_dir = build_dir.resolve()
    data_dir_abs = data_dir.resolve()
    if build_dir.parent != data_dir_abs / BUILDS or not (build_dir / MANIFEST).is_file():
        raise DatasetError(
            "only a finished build inside the data directory can be published",
            where=str(build_dir),
            hint=_rebuild_hint(data_dir),
        )
    previous = current_build_dir(data_dir)
    if previous is not None and previous != build_dir:
        set_link(data_dir, PREVIOUS, previous.name)
    set_link(data_dir, CURRENT, build_dir.name)
    prune(data_dir, keep={build_dir.name} | ({previous.name} if previous else set()))


def prune(data_dir: Path, *, keep: set[str]) -> list[str]:
    """Remove every build directory not named in ``keep``, and stale ``current.tmp-*`` links.

    Call only while holding :func:`build_lock`, so that no other build is being written.
    """
    removed = []
    builds = data_dir / BUILDS
    for child in sorted(builds.iterdir()) if builds.is_dir() else []:
        if child.name not in keep and child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child.name)
    for stale in data_dir.glob(f"{CURRENT}.tmp-*"):
        with contextlib.suppress(OSError):
            stale.unlink()
    return removed


@contextlib.contextmanager
def build_lock(data_dir: Path) -> Iterator[int]:
    """Hold the data directory's build lock (one build at a time; released if killed).

    Yields the lock's file descriptor: a process forked while it is held inherits it, and the
    lock stays held until every copy is closed, so a forked worker must close it (see
    :mod:`rcm_graph.pipeline`)."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        lock_file = (data_dir / LOCK).open("a")
    except OSError as exc:  # read-only file system, no permission, no space
        raise DatasetError(
            f"cannot write to the data directory ({exc.strerror or exc})",
            where=str(data_dir),
            hint="check that the data directory is writable and has free space (--data-dir)",
        ) from None
    with lock_file as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DatasetError(
                "another build is running in this data directory",
                where=str(data_dir),
                hint="wait for it to finish, or use another --data-dir",
            ) from None
        try:
            yield fh.fileno()
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def read_manifest(build_dir: Path, data_dir: Path) -> dict[str, Any]:
    path = build_dir / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DatasetError(
            "the dataset has no manifest (the build did not finish)",
            where=str(path),
            hint=_rebuild_hint(data_dir),
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DatasetError(
            f"the manifest is unreadable ({exc})", where=str(path), hint=_rebuild_hint(data_dir)
        ) from None
    if not isinstance(manifest, dict) or not {"build_id", "graphs", "files"} <= manifest.keys():
        raise DatasetError(
            "the manifest lacks build_id, graphs or files",
            where=str(path),
            hint=_rebuild_hint(data_dir),
        )
    return manifest


def _check_files(dataset: Dataset, data_dir: Path, *, verify: bool) -> None:
    for name, entry in dataset.manifest["files"].items():
        path = dataset.build_dir / name
        problem = None
        if not path.is_file():
            problem = "is missing"
        elif path.stat().st_size != entry.get("bytes"):
            problem = "has the wrong size"
        elif verify and sha256_file(path) != entry.get("sha256"):
            problem = "does not match its SHA-256 checksum"
        if problem:
            raise DatasetError(
                f"the dataset file {name} {problem}", where=str(path), hint=_rebuild_hint(data_dir)
            )


def _check_store(dataset: Dataset, data_dir: Path) -> None:
    if not dataset.store_path.is_dir():
        raise DatasetError(
            "the dataset has no store", where=str(dataset.store_path), hint=_rebuild_hint(data_dir)
        )
    store = dataset.open_store()
    for iri in dataset.graph_iris():
        if not store.contains_named_graph(pyoxigraph.NamedNode(iri)):
            raise DatasetError(
                f"the store lacks the graph <{iri}>",
                where=str(dataset.store_path),
                hint=_rebuild_hint(data_dir),
            )
    del store


def verify_checksums(dataset: Dataset, data_dir: Path) -> None:
    """Check every file the manifest lists against its SHA-256 (``DatasetError`` naming it).

    WHY separate from :func:`load_dataset`: the server loads a new build and checks its
    checksums at the same time (hashing is much faster than parsing the dump), once per build
    switch, and serves the build only when both succeeded.
    """
    _check_files(dataset, data_dir, verify=True)


def load_dataset(data_dir: Path, *, verify: bool = True) -> Dataset:
    """The current dataset of ``data_dir``, checked.

    Raises :class:`DatasetError` with the command to rebuild when there is no dataset, its
    manifest is missing or unreadable, a listed file is missing or fails its checksum
    (``verify=False`` checks sizes only), or the store cannot be opened or lacks a graph.
    """
    build_dir = current_build_dir(data_dir)
    if build_dir is None:
        if data_dir.exists() and not data_dir.is_dir():
            raise DatasetError(
                "is a file, not a data directory",
                where=str(data_dir),
                hint="give a folder with --data-dir or RCM_GRAPH_DATA_DIR",
            )
        raise DatasetError(
            "no dataset has been built yet",
            where=str(data_dir / CURRENT),
            hint=f"build it with `rcm-graph build --data-dir {data_dir}`",
        )
    return check_build(build_dir, data_dir, verify=verify)


def check_build(build_dir: Path, data_dir: Path, *, verify: bool = True) -> Dataset:
    """A finished build of ``data_dir``, checked as :func:`load_dataset` checks the current
    one (``rcm-graph rollback`` checks the build it switches to the same way)."""
    dataset = Dataset(build_dir=build_dir, manifest=read_manifest(build_dir, data_dir))
    _check_files(dataset, data_dir, verify=verify)
    _check_store(dataset, data_dir)
    return dataset

"""The builds a data directory keeps, and going back to the previous one (``rcm-graph builds``,
``rcm-graph rollback``).

WHY a rollback is a switch of ``current`` and nothing else: builds are immutable and the
server follows ``current`` on every request (:mod:`rcm_graph.query.local.builds`), so the
atomic switch a build's publication makes (:func:`rcm_graph.store.dataset.publish`) is also
what makes a running server answer from the older build, without a restart.

WHY the rolled-back-from build is kept, as the new ``previous``: a rollback is undone the
same way it was done (``rollback`` twice is a toggle, like ``cd -``), and nothing is lost
until the next publication, which keeps only the new build and the one it replaces. The
journal of the endpoint's writes is not touched: a write made after the build rolled back to
is no longer served, and the next ``rcm-graph build`` replays it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from rcm_graph.errors import DatasetError
from rcm_graph.store import dataset as ds


@dataclass(frozen=True)
class KeptBuild:
    """One directory under ``builds/``, as its manifest describes it.

    ``status``: ``current`` (served), ``previous`` (where ``rollback`` goes), ``unpublished``
    (finished but never published: it did not conform, or was written with publication off)
    or ``incomplete`` (no manifest: a build running now, or one that was killed)."""

    build_id: str
    path: Path
    status: str
    bytes: int
    created: str | None = None
    documents: int | None = None
    skipped: int | None = None
    triples: int | None = None
    conformant: bool | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "build_id": self.build_id,
            "status": self.status,
            "created": self.created,
            "bytes": self.bytes,
            "documents": self.documents,
            "skipped": self.skipped,
            "triples": self.triples,
            "conformant": self.conformant,
            "path": str(self.path),
        }


def _size(path: Path) -> int:
    """Bytes of every file under ``path`` (the store's files included), links not followed."""
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += (Path(root) / name).lstat().st_size
            except OSError:  # removed while we walk (a store compacting, a prune)
                continue
    return total


def previous_build_dir(data_dir: Path) -> Path | None:
    """The finished build ``rollback`` would switch to, or ``None``.

    The ``previous`` link when there is one (and it names another build than ``current``);
    in a data directory published before that link existed, the newest finished build older
    than ``current`` (publication kept exactly that one)."""
    current = ds.current_build_dir(data_dir)
    if current is None:
        return None
    link = data_dir / ds.PREVIOUS
    if link.is_symlink():
        target = (data_dir / link.readlink()).resolve()
        ok = target != current and (target / ds.MANIFEST).is_file()
        return target if ok else None
    older = [
        p
        for p in (data_dir / ds.BUILDS).iterdir()
        if p.name < current.name and (p / ds.MANIFEST).is_file()
    ]
    return max(older, key=lambda p: p.name).resolve() if older else None


def kept_builds(data_dir: Path) -> list[KeptBuild]:
    """Every build directory of ``data_dir``, oldest first (build ids sort by time)."""
    builds = data_dir / ds.BUILDS
    if not builds.is_dir():
        return []
    current = ds.current_build_dir(data_dir)
    previous = previous_build_dir(data_dir)
    kept = []
    for path in sorted(p for p in builds.iterdir() if p.is_dir() and not p.is_symlink()):
        resolved = path.resolve()
        manifest: dict[str, Any] | None = None
        if (path / ds.MANIFEST).is_file():
            try:
                manifest = ds.read_manifest(path, data_dir)
            except DatasetError:
                manifest = None
        if resolved == current:
            status = "current"
        elif resolved == previous:
            status = "previous"
        else:
            status = "unpublished" if manifest is not None else "incomplete"
        kept.append(_described(path, status, manifest))
    return kept


def _described(path: Path, status: str, manifest: dict[str, Any] | None) -> KeptBuild:
    size = _size(path)
    if manifest is None:
        return KeptBuild(path.name, path, status, size)
    documents = manifest.get("documents")
    errors = manifest.get("errors")
    triples = manifest.get("triples")
    conformant = manifest.get("conformant")
    return KeptBuild(
        build_id=str(manifest.get("build_id", path.name)),
        path=path,
        status=status,
        bytes=size,
        created=str(manifest["created"]) if "created" in manifest else None,
        documents=len(documents) if isinstance(documents, list) else None,
        skipped=len(errors) if isinstance(errors, list) else None,
        triples=triples if isinstance(triples, int) else None,
        conformant=conformant if isinstance(conformant, bool) else None,
    )


def _no_dataset(data_dir: Path) -> NoReturn:
    raise DatasetError(
        "no dataset has been built yet, so there is nothing to roll back",
        where=str(data_dir / ds.CURRENT),
        hint=f"build it with `rcm-graph build --data-dir {data_dir}`",
    )


def rollback(data_dir: Path) -> tuple[Path, Path]:
    """Switch ``current`` back to the previous build, atomically; returns (from, to).

    Holds the build lock (no build or endpoint write publishes meanwhile) and checks the
    build it switches to as the server will load it (manifest, checksums, store). ``current`` is
    switched first, then ``previous`` is pointed at the build rolled back from: if the process
    dies between the two, the rollback is done and a second one has nothing to go back to.
    Raises :class:`DatasetError` (exit 2) when there is no dataset or no previous build.
    """
    if ds.current_build_dir(data_dir) is None:  # before the lock, which creates the directory
        _no_dataset(data_dir)
    with ds.build_lock(data_dir):
        current = ds.current_build_dir(data_dir)
        if current is None:
            _no_dataset(data_dir)
        target = previous_build_dir(data_dir)
        if target is None:
            raise DatasetError(
                f"there is no previous build to roll back to (current: {current.name})",
                where=str(data_dir / ds.BUILDS),
                hint="a build keeps the one it replaces; `rcm-graph builds` lists what is kept",
            )
        ds.check_build(target, data_dir)  # checksums too: the server would refuse a bad one
        ds.set_link(data_dir, ds.CURRENT, target.name)
        ds.set_link(data_dir, ds.PREVIOUS, current.name)
    return current, target


__all__ = ["KeptBuild", "kept_builds", "previous_build_dir", "rollback"]

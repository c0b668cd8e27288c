"""Publishing a dataset from quads: a complete build written outside the pipeline.

WHY one function: writes through the endpoint (SPARQL Update, the Graph Store Protocol) and the
test fixtures each need a new build made from a set of quads, with exactly the layout and the
guarantees a pipeline build has: the store, every dump, ``SHA256SUMS``, the manifest written
last, the distinct union materialised as the default graph, and the atomic switch of
``current``. Written once here, those paths cannot drift from what ``rcm-graph build`` writes
and ``load_dataset`` checks.

Callers that may race with a build (the endpoint's writes) hold
:func:`rcm_graph.store.dataset.build_lock` around the call; the function itself does not lock,
so that the pipeline, which already holds the lock, could use it too.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph

from rcm_graph.store import dataset as ds
from rcm_graph.store import dumps


def graph_sizes(store: pyoxigraph.Store) -> dict[str, int]:
    """Triples per named graph, in the manifest's ``graphs`` shape (as a build writes it)."""
    sizes: dict[str, int] = {}
    for quad in store.quads_for_pattern(None, None, None):
        if not isinstance(quad.graph_name, pyoxigraph.DefaultGraph):
            name = str(quad.graph_name.value)
            sizes[name] = sizes.get(name, 0) + 1
    return sizes


def publish_quads(
    data_dir: Path,
    quads: Iterable[pyoxigraph.Quad],
    *,
    meta_graph: str,
    manifest: Mapping[str, Any] | None = None,
    extra_files: Mapping[str, bytes] | None = None,
    publish: bool = True,
) -> Path:
    """Write ``quads`` as a finished build in ``data_dir`` and (by default) publish it.

    Quads in the default graph are kept and the distinct union of the named graphs is added to
    it, as every build does. ``meta_graph`` names the graph dumped as ``void.ttl``.
    ``manifest`` adds keys to the manifest (``build_id``, ``graphs`` and ``files`` are always
    computed here). ``extra_files`` are written into the build directory and listed, with their
    checksums, in the manifest. Returns the build directory. If anything fails, the new
    directory is removed and ``current`` is unchanged.
    """
    build_dir = ds.create_build_dir(data_dir)
    try:
        store = dumps.open_new_store(build_dir)
        store.extend(quads)
        dumps.materialise_default_graph(store)
        digests: dict[str, str] = {}
        names = dumps.write_dumps(store, build_dir, meta_graph, digests=digests)
        sizes = graph_sizes(store)
        store.flush()
        del store
        for name, data in (extra_files or {}).items():
            (build_dir / name).write_bytes(data)
            names.append(name)
        names.append(dumps.write_checksums(build_dir, names, digests))
        ds.finish_build(
            build_dir,
            {
                **(manifest or {}),
                "build_id": build_dir.name,
                "graphs": sizes,
                "files": ds.file_entries(build_dir, names, digests),
            },
        )
        if publish:
            ds.publish(data_dir, build_dir)
    except BaseException:
        shutil.rmtree(build_dir, ignore_errors=True)
        raise
    return build_dir


__all__ = ["graph_sizes", "publish_quads"]

"""Writes: SPARQL Update and the Graph Store Protocol, each one a new published build.

WHY a new build per write and not an in-place change: the served dataset is an immutable build
directory behind an atomically switched ``current`` link (:mod:`rcm_graph.store.dataset`). A write
copies the current dataset into a fresh ``builds/<id>/``, applies the change there, writes the
same files a build writes (store, dumps, manifest) and publishes it, all under the data
directory's ``build_lock``: builds and writes serialise, a second writer sees the first one's
result (no lost update), and a write that fails or is killed half-way leaves the served dataset
exactly as it was. The caller gets its answer only after the publish, so a following query
sees the write.

WHY in a child process: pyoxigraph cannot cancel a running update, so a pathological
``DELETE/INSERT … WHERE`` is stopped the only way that works, by killing the process running
it (as :mod:`rcm_graph.query.local` does for queries). The half-written build is then
removed.

The union invariant (``docs/data-model.md``): the stored default graph is the distinct union of
the named graphs. After an edit, triples it added to the default graph go into the named graph
``<base>graph/edits`` (:meth:`Iris.edits_graph`), triples it removed from the default graph are
removed from every named graph (a removal from the union wins over an insertion into a named
graph in the same request), and the default graph is materialised again as the union.

Every accepted write is journalled under ``data_dir/edits/`` (one JSON file per write: sequence
number, UTC time, operation, payload, its SHA-256) before it is published, so a rebuild from
the corpus can apply the journal again (:func:`rcm_graph.writes.journal.replay`) and nothing
written is lost.
"""

from __future__ import annotations

import contextlib
import gzip
import multiprocessing
import multiprocessing.connection
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph
from rdflib import Graph

import rcm_graph
from rcm_graph.errors import DatasetError, QueryError, QueryTimeout
from rcm_graph.model.iris import Iris
from rcm_graph.sandbox import netguard
from rcm_graph.store import dataset as ds
from rcm_graph.store import dumps
from rcm_graph.store.void import BuildInfo, collect_stats, describe_dataset, stated_triples
from rcm_graph.writes.edit import (
    HOLDS_TRIPLE_TERMS,
    TRIPLE_TERMS_REFUSED,
    Applied,
    Edit,
    apply_edit,
    fix_union,
    has_operation,
)
from rcm_graph.writes.journal import (
    JournalEntry,
    next_seq,
    write_entry,
)

# How long a write waits for a running build or another write before giving up (503).
LOCK_WAIT_S = 120.0
# Loading the current dataset and writing the new build's files are not the update itself:
# they get their own, generous limit (the update gets the request's query timeout).
IO_TIMEOUT_S = 600.0


@dataclass(frozen=True)
class WriteOutcome:
    """A published write."""

    seq: int
    build_id: str
    derived_from: str
    added: int
    removed: int
    graph_existed: bool
    elapsed_s: float


# ---------------------------------------------------------------------------------------------
# The child process: copy the current dataset, apply the edit, write the new build


def _regenerate_meta(
    store: pyoxigraph.Store, iris: Iris, build_id: str, manifest: dict[str, Any], started: datetime
) -> dict[str, int]:
    """The meta graph describes what the build holds: count again and describe again."""
    meta = pyoxigraph.NamedNode(str(iris.graph("meta")))
    if store.contains_named_graph(meta):
        store.remove_graph(meta)
    fix_union(store)
    stats = collect_stats(store)
    documents = [
        (str(d.get("doc_id", "")), str(d.get("source", "")))
        for d in manifest.get("documents", [])
        if isinstance(d, dict)
    ]
    info = BuildInfo(build_id, rcm_graph.__version__, started, datetime.now(UTC), documents)
    ntriples = describe_dataset(iris, stats, info, store).serialize(format="nt", encoding="utf-8")
    store.bulk_load(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=meta)
    store.bulk_load(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return {
        str(q.value): n
        for q, n in _count_graphs(store).items()  # after the meta graph, as the pipeline lists
    }


def _count_graphs(store: pyoxigraph.Store) -> dict[pyoxigraph.NamedNode, int]:
    counts: dict[pyoxigraph.NamedNode, int] = {}
    for quad in store.quads_for_pattern(None, None, None, None):
        graph = quad.graph_name
        if isinstance(graph, pyoxigraph.NamedNode):
            counts[graph] = counts.get(graph, 0) + 1
    return counts


def _child(
    conn: multiprocessing.connection.Connection,
    source_nquads: str,
    build_dir: str,
    edit: Edit,
    base_iri: str,
    manifest: dict[str, Any],
) -> None:
    """Load, apply, then write the build: in memory first, the on-disk store last.

    WHY in memory: on the bundled dataset the edit and the meta graph take 2.7 s on the
    RocksDB store and 0.3 s in memory; the on-disk store is then bulk-loaded once from the
    N-Quads dump just written.
    """
    netguard.deny_network()  # an update never reaches the network (LOAD, SERVICE: issue 17)
    started = datetime.now(UTC)
    target = Path(build_dir)
    try:
        store = pyoxigraph.Store()
        with gzip.open(source_nquads, "rb") as fh:
            store.bulk_load(fh.read(), format=pyoxigraph.RdfFormat.N_QUADS)
    except Exception as exc:  # reported; the parent removes the build directory
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("loaded", None))
    iris = Iris(base_iri)
    try:
        applied = apply_edit(store, edit, iris, after_run=lambda: conn.send(("ran", None)))
    except SyntaxError as exc:
        conn.send(("syntax", str(exc)))
        return
    except QueryError as exc:
        conn.send(("error", exc.what))
        return
    except OSError as exc:
        conn.send(("error", str(exc)))
        return
    if store.query(HOLDS_TRIPLE_TERMS):  # an update made one (a body is checked when parsed)
        conn.send(("error", TRIPLE_TERMS_REFUSED))
        return
    conn.send(("applied", applied))
    try:
        graphs = _regenerate_meta(store, iris, target.name, manifest, started)
        names = dumps.write_dumps(store, target, str(iris.graph("meta")))
        del store
        disk = dumps.open_new_store(target)
        with gzip.open(target / ds.NQUADS, "rb") as fh:
            disk.bulk_load(fh.read(), format=pyoxigraph.RdfFormat.N_QUADS)
        disk.flush()
        del disk
        names.append(dumps.write_checksums(target, names))
    except Exception as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("written", (graphs, names)))


# ---------------------------------------------------------------------------------------------
# The parent side


@contextlib.contextmanager
def _wait_for_lock(data_dir: Path, wait_s: float) -> Iterator[None]:
    """``dataset.build_lock``, retried until ``wait_s`` (it does not block by itself)."""
    deadline = time.monotonic() + wait_s
    try:  # an unwritable data directory is refused at once, not after waiting
        data_dir.mkdir(parents=True, exist_ok=True)
        (data_dir / ds.LOCK).open("a").close()
    except OSError as exc:
        raise DatasetError(
            f"cannot write to the data directory ({exc.strerror or exc})",
            where=str(data_dir),
            hint="check that the data directory is writable and has free space",
        ) from None
    with contextlib.ExitStack() as stack:
        while True:
            try:
                stack.enter_context(ds.build_lock(data_dir))
                break
            except DatasetError as exc:
                if time.monotonic() >= deadline:
                    raise DatasetError(
                        f"the write waited {wait_s:g} s for a build or another write ({exc.what})",
                        where=str(data_dir),
                        hint="try again when the running build has finished",
                    ) from None
                time.sleep(0.05)
        yield


class Writer:
    """Applies writes to the dataset of ``data_dir``, one at a time, each as a new build."""

    def __init__(self, data_dir: Path, base_iri: str, *, lock_wait_s: float = LOCK_WAIT_S) -> None:
        self.data_dir = data_dir
        self.iris = Iris(base_iri)
        self.lock_wait_s = lock_wait_s
        self._threads = threading.Lock()  # writers of this process queue here, not by polling
        self._ctx = multiprocessing.get_context("spawn")

    def write(self, edit: Edit, *, timeout_s: float) -> WriteOutcome:
        """Apply ``edit`` and publish the result; raises :class:`QueryError` (400) for a
        malformed edit, :class:`QueryTimeout` (503) when the update ran out of time,
        :class:`DatasetError` (503) when there is no dataset or it cannot be written."""
        start = time.monotonic()
        if edit.operation == "update" and not has_operation(edit.payload):
            # Valid SPARQL, but nothing to do: no build, no journal entry (it made both).
            raise QueryError(
                "the update has no operation (only comments or PREFIX/BASE declarations)",
                where="update",
                hint="send at least one operation, e.g. INSERT DATA { ... }",
            )
        with self._threads, _wait_for_lock(self.data_dir, self.lock_wait_s):
            current = ds.load_dataset(self.data_dir, verify=False)
            existed = edit.graph is None or edit.graph in current.graph_iris()
            build_dir = ds.create_build_dir(self.data_dir)
            try:
                graphs, names, applied = self._apply(current, build_dir, edit, timeout_s)
                seq = next_seq(self.data_dir)
                entry = JournalEntry(
                    seq=seq,
                    time=datetime.now(UTC).isoformat(timespec="milliseconds"),
                    operation=edit.operation,
                    graph=edit.graph,
                    media_type=edit.media_type,
                    payload=edit.payload,
                    sha256=edit.sha256,
                    build_id=build_dir.name,
                    derived_from=current.build_id,
                )
                journalled = write_entry(self.data_dir, entry)
                try:
                    ds.finish_build(
                        build_dir, _manifest(current, build_dir, graphs, names, entry, applied)
                    )
                    ds.publish(self.data_dir, build_dir)
                except BaseException:
                    journalled.unlink(missing_ok=True)
                    raise
            except BaseException:
                shutil.rmtree(build_dir, ignore_errors=True)
                raise
        return WriteOutcome(
            seq=seq,
            build_id=build_dir.name,
            derived_from=current.build_id,
            added=applied.added,
            removed=applied.removed,
            graph_existed=existed,
            elapsed_s=time.monotonic() - start,
        )

    def _apply(
        self, current: ds.Dataset, build_dir: Path, edit: Edit, timeout_s: float
    ) -> tuple[dict[str, int], list[str], Applied]:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(
            target=_child,
            args=(
                child,
                str(current.nquads_path),
                str(build_dir),
                edit,
                self.iris.base,
                current.manifest,
            ),
            name="rcm-write",
            daemon=True,
        )
        process.start()
        child.close()
        try:
            status, payload = self._receive(parent, IO_TIMEOUT_S, "loading the dataset")
            if status == "loaded":
                status, payload = self._receive(parent, timeout_s, "the update", timeout=True)
            if status == "ran":
                status, payload = self._receive(parent, IO_TIMEOUT_S, "keeping the union")
            applied = payload
            if status == "applied":
                status, payload = self._receive(parent, IO_TIMEOUT_S, "writing the new build")
        finally:
            with contextlib.suppress(OSError):
                parent.close()
            if process.is_alive():
                process.kill()
            process.join(timeout=10)
        if status == "syntax":
            raise QueryError(
                f"malformed update: {payload}",
                where="update",
                hint="positions are line:column of the update text",
            )
        if status == "error":
            raise QueryError(f"the write failed: {payload}", where="update")
        if status != "written":
            raise DatasetError(f"the write could not be completed ({payload})")
        graphs, names = payload
        assert isinstance(applied, Applied)
        return graphs, names, applied

    @staticmethod
    def _receive(
        conn: multiprocessing.connection.Connection,
        limit_s: float,
        what: str,
        *,
        timeout: bool = False,
    ) -> tuple[str, Any]:
        try:
            if conn.poll(limit_s):
                status, payload = conn.recv()
                return str(status), payload
        except (EOFError, OSError):
            return "failed", f"the write process stopped during {what}"
        if timeout:
            raise QueryTimeout(
                f"the update ran longer than its time limit of {limit_s:g} s and was stopped; "
                "the dataset is unchanged",
                hint="narrow the WHERE patterns, or raise the `timeout` parameter "
                "(capped by the server's query_timeout_s)",
            )
        return "failed", f"{what} took longer than {limit_s:g} s"


def _manifest(
    current: ds.Dataset,
    build_dir: Path,
    graphs: dict[str, int],
    names: list[str],
    entry: JournalEntry,
    applied: Applied,
) -> dict[str, Any]:
    previous = dict(current.manifest)
    for stale in ("format", *ds.RUN_FIGURES):
        previous.pop(stale, None)
    applied_before = previous.get("edits_applied", [])
    return {
        **previous,
        "build_id": build_dir.name,
        "created": datetime.now(UTC).isoformat(),
        "package_version": rcm_graph.__version__,
        "graphs": graphs,
        "triples": stated_triples(Graph().parse(build_dir / dumps.VOID_TTL, format="turtle")),
        "files": ds.file_entries(build_dir, names),
        "derived_from": current.build_id,
        "edits_applied": [*(applied_before if isinstance(applied_before, list) else []), entry.seq],
        "edit": {
            "seq": entry.seq,
            "time": entry.time,
            "operation": entry.operation,
            "graph": entry.graph,
            "sha256": entry.sha256,
            "added": applied.added,
            "removed": applied.removed,
        },
    }

"""``LocalBackend``: SPARQL over the served dataset in a pool of killable worker processes.

WHY processes: pyoxigraph has no query timeout and its native threads cannot be cancelled, so
the only way to really stop a runaway query is to kill the process running it. Each worker
holds its own copy of the dataset; a query that exceeds its time limit has its worker killed
and replaced while the other workers keep answering. Workers also serialise the result (in
Rust) and send back bytes, so no Python object is built per row on either side.

WHY an in-memory store per worker (not the on-disk store opened read-only): measured on the
bundled dataset with ``benchmarks/bench_endpoint_smoke.py`` and in docs/perf notes, the
in-memory store answers joins 2-10x faster and bulk-loads at about 200k triples/s; a worker
restart after a timeout reloads the gzipped N-Quads. ``mode="disk"`` opens the build's
RocksDB store read-only instead (for datasets too large to copy into every worker).

Result caps are enforced while serialising: rows are streamed into a sink that stops the
engine after ``max_rows + 1`` rows, so memory stays bounded and truncation is detected exactly.
"""

from __future__ import annotations

import contextlib
import gzip
import logging
import multiprocessing
import multiprocessing.connection
import resource
import threading
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Literal

import pyoxigraph

from rcm_graph.backend import (
    GRAPH_MEDIA_TYPES,
    JSON_LD,
    N_QUADS,
    N_TRIPLES,
    RDF_XML,
    SOLUTION_MEDIA_TYPES,
    SPARQL_CSV,
    SPARQL_JSON,
    SPARQL_TSV,
    SPARQL_XML,
    TRIG,
    TURTLE,
    QueryForm,
    QueryOutcome,
    media_types_for,
)
from rcm_graph.dataset import Dataset, current_build_dir, load_dataset
from rcm_graph.errors import DatasetError, QueryError, QueryTimeout
from rcm_graph.query_policy import analyse
from rcm_graph.settings import Settings

log = logging.getLogger("rcm_graph.executor")

StoreMode = Literal["memory", "disk"]
# A worker that does not report ready within this time is considered broken.
WORKER_START_TIMEOUT_S = 300.0
DEFAULT_MEMORY_LIMIT_MB = 4096


class QueryAborted(QueryError):
    """The worker died while running the query (most often: it exceeded its memory limit)."""

    http_status = 503


@dataclass(frozen=True)
class _Job:
    sparql: str
    media_type: str
    max_rows: int
    default_graph_uris: tuple[str, ...]
    named_graph_uris: tuple[str, ...]
    base_iri: str | None


@dataclass(frozen=True)
class _Result:
    media_type: str
    form: QueryForm
    row_count: int
    truncated: bool
    elapsed_s: float


# ---------------------------------------------------------------------------------------------
# Worker side (runs in the child process)


class _Enough(Exception):
    """Raised by the capped sink to stop the engine once enough rows were written."""


class _CappedLines:
    """A binary sink keeping at most ``limit`` lines (after ``skip`` header lines)."""

    def __init__(self, limit: int, skip: int) -> None:
        self.limit = limit + skip
        self.lines = 0
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        room = self.limit - self.lines
        count = data.count(b"\n")
        if count < room:
            self.chunks.append(bytes(data))
            self.lines += count
            return len(data)
        cut = -1
        for _ in range(room):
            cut = data.index(b"\n", cut + 1)
        self.chunks.append(bytes(data[: cut + 1]))
        self.lines = self.limit
        raise _Enough

    def flush(self) -> None:
        return None

    def value(self) -> bytes:
        return b"".join(self.chunks)


def _load_store(mode: StoreMode, path: str) -> pyoxigraph.Store:
    """The store a worker queries.

    Every build materialises the RDF merge of all named graphs as the default graph, in the
    store and in the N-Quads dump (see :mod:`rcm_graph.dataset`). WHY: pyoxigraph's
    ``use_default_graph_as_union`` keeps one solution per graph holding a triple, so a meeting
    typed in two document graphs would be counted twice; SPARQL's default graph is a set of
    triples. Queries therefore run against the default graph as stored, in both modes.
    """
    if mode == "disk":
        return pyoxigraph.Store.read_only(path)
    store = pyoxigraph.Store()
    with gzip.open(path, "rb") as fh:
        store.bulk_load(fh.read(), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def _capped(serialize_into: object, max_rows: int, *, header_lines: int) -> tuple[bytes, int, bool]:
    """Serialise up to ``max_rows`` line-per-row records; return bytes, rows, truncated."""
    sink = _CappedLines(max_rows + 1, header_lines)
    truncated = False
    try:
        serialize_into(sink)  # type: ignore[operator]
    except (_Enough, OSError) as exc:
        stopped_by_sink = isinstance(exc, _Enough) or isinstance(exc.__context__, _Enough)
        if not stopped_by_sink and sink.lines < sink.limit:
            raise
    data = sink.value()
    rows = max(sink.lines - header_lines, 0)
    if rows > max_rows:
        truncated = True
        keep = data.split(b"\n")[: header_lines + max_rows]
        data = b"\n".join(keep) + b"\n"
        rows = max_rows
    return data, rows, truncated


_RESULTS_FORMATS = {
    SPARQL_JSON: pyoxigraph.QueryResultsFormat.JSON,
    SPARQL_XML: pyoxigraph.QueryResultsFormat.XML,
    SPARQL_CSV: pyoxigraph.QueryResultsFormat.CSV,
    SPARQL_TSV: pyoxigraph.QueryResultsFormat.TSV,
}
_RDF_FORMATS = {
    TURTLE: pyoxigraph.RdfFormat.TURTLE,
    N_TRIPLES: pyoxigraph.RdfFormat.N_TRIPLES,
    RDF_XML: pyoxigraph.RdfFormat.RDF_XML,
    JSON_LD: pyoxigraph.RdfFormat.JSON_LD,
    TRIG: pyoxigraph.RdfFormat.TRIG,
    N_QUADS: pyoxigraph.RdfFormat.N_QUADS,
}


def _execute(store: pyoxigraph.Store, job: _Job) -> tuple[bytes, _Result]:
    start = time.perf_counter()
    analysis = analyse(job.sparql, base_iri=job.base_iri)
    kwargs: dict[str, object] = {"base_iri": job.base_iri}
    if job.default_graph_uris or job.named_graph_uris:
        kwargs["default_graph"] = [pyoxigraph.NamedNode(g) for g in job.default_graph_uris]
        kwargs["named_graphs"] = [pyoxigraph.NamedNode(g) for g in job.named_graph_uris]
    result = store.query(job.sparql, **kwargs)  # type: ignore[arg-type]
    if isinstance(result, pyoxigraph.QueryBoolean):
        media_type = (
            job.media_type if job.media_type in SOLUTION_MEDIA_TYPES else SOLUTION_MEDIA_TYPES[0]
        )
        body = result.serialize(format=_RESULTS_FORMATS[media_type]) or b""
        elapsed = time.perf_counter() - start
        return body, _Result(media_type, "ASK", 1, False, elapsed)
    if isinstance(result, pyoxigraph.QuerySolutions):
        media_type = (
            job.media_type if job.media_type in SOLUTION_MEDIA_TYPES else SOLUTION_MEDIA_TYPES[0]
        )
        tsv, rows, truncated = _capped(
            lambda sink: result.serialize(sink, format=pyoxigraph.QueryResultsFormat.TSV),
            job.max_rows,
            header_lines=1,
        )
        if media_type == SPARQL_TSV:
            body = tsv
        else:
            parsed = pyoxigraph.parse_query_results(tsv, format=pyoxigraph.QueryResultsFormat.TSV)
            assert isinstance(parsed, pyoxigraph.QuerySolutions)
            body = parsed.serialize(format=_RESULTS_FORMATS[media_type]) or b""
        elapsed = time.perf_counter() - start
        return body, _Result(media_type, "SELECT", rows, truncated, elapsed)
    form: QueryForm = "DESCRIBE" if analysis.form == "DESCRIBE" else "CONSTRUCT"
    media_type = job.media_type if job.media_type in GRAPH_MEDIA_TYPES else GRAPH_MEDIA_TYPES[0]
    triples = result
    nt, rows, truncated = _capped(
        lambda sink: triples.serialize(sink, format=pyoxigraph.RdfFormat.N_TRIPLES),
        job.max_rows,
        header_lines=0,
    )
    if media_type == N_TRIPLES:
        body = nt
    else:
        # N-Triples is N-Quads in the default graph: TriG/N-Quads get every triple there.
        parse_as = (
            pyoxigraph.RdfFormat.N_QUADS
            if media_type in (TRIG, N_QUADS)
            else pyoxigraph.RdfFormat.N_TRIPLES
        )
        serialized = pyoxigraph.serialize(
            pyoxigraph.parse(nt, format=parse_as),
            format=_RDF_FORMATS[media_type],
            prefixes=analysis.prefixes or None,
        )
        body = serialized or b""
    elapsed = time.perf_counter() - start
    return body, _Result(media_type, form, rows, truncated, elapsed)


def _worker_main(
    conn: multiprocessing.connection.Connection,
    mode: StoreMode,
    path: str,
    memory_limit_mb: int | None,
) -> None:
    """Child process: load the store, then answer jobs until the pipe closes."""
    if memory_limit_mb:
        limit = memory_limit_mb * 1024 * 1024
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        store = _load_store(mode, path)
    except Exception as exc:  # reported to the parent, which turns it into a DatasetError
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            body, meta = _execute(store, job)
        except SyntaxError as exc:
            conn.send(("syntax", str(exc)))
            continue
        except OSError as exc:  # evaluation errors (e.g. a failing SERVICE) surface as OSError
            conn.send(("error", f"{exc}"))
            continue
        except Exception as exc:  # a bug: the parent answers 500 and logs it
            conn.send(("bug", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
            continue
        conn.send(("ok", meta))
        conn.send_bytes(body)


# ---------------------------------------------------------------------------------------------
# Parent side


class _Worker:
    def __init__(
        self, process: BaseProcess, conn: multiprocessing.connection.Connection, build_dir: Path
    ) -> None:
        self.process = process
        self.conn = conn
        self.build_dir = build_dir

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


class LocalBackend:
    """A pool of ``workers`` processes, each holding the current dataset.

    Thread-safe: FastAPI runs ``def`` routes in a thread pool and each request checks out one
    idle worker. Waiting for a worker counts against the query's time limit.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        workers: int = 2,
        mode: StoreMode = "memory",
        memory_limit_mb: int | None = DEFAULT_MEMORY_LIMIT_MB,
    ) -> None:
        self.data_dir = data_dir
        self.size = workers
        self.mode = mode
        self.memory_limit_mb = memory_limit_mb
        self._ctx = multiprocessing.get_context("spawn")
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []
        self._busy: set[int] = set()
        self._starting = 0
        self._alive = 0
        self._closed = False
        self._started = False
        self._dataset: Dataset | None = None
        self._last_error: DatasetError | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> LocalBackend:
        return cls(settings.data_dir, workers=settings.query_workers)

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        with self._cond:
            if self._started:
                return
            self._started = True
            self._closed = False
        try:
            self._current_dataset()
        except DatasetError as exc:
            log.warning("no dataset to serve yet: %s", exc.one_line())
            return
        for _ in range(self.size):
            self._spawn()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._cond.notify_all()
        for worker in idle:
            worker.kill()

    def graph_iris(self) -> list[str]:
        return self._current_dataset().graph_iris()

    def worker_pids(self) -> list[int]:
        """Process ids of the idle workers (busy ones are checked out), for health and tests."""
        with self._cond:
            return [w.process.pid for w in self._idle if w.process.pid is not None]

    @property
    def busy_pids(self) -> list[int]:
        """Process ids of the workers running a query right now."""
        with self._cond:
            return list(self._busy)

    # -- dataset and workers -----------------------------------------------------------------

    def _current_dataset(self) -> Dataset:
        current = current_build_dir(self.data_dir)
        with self._cond:
            cached = self._dataset
        if cached is not None and cached.build_dir == current:
            return cached
        dataset = load_dataset(self.data_dir, verify=False)
        with self._cond:
            self._dataset = dataset
            self._cond.notify_all()
        return dataset

    def _spawn(self) -> None:
        with self._cond:
            if self._closed:
                return
            self._starting += 1
        threading.Thread(target=self._start_worker, name="rcm-worker-start", daemon=True).start()

    def _start_worker(self) -> None:
        worker: _Worker | None = None
        try:
            dataset = self._current_dataset()
            path = dataset.store_path if self.mode == "disk" else dataset.nquads_path
            parent, child = self._ctx.Pipe()
            process = self._ctx.Process(
                target=_worker_main,
                args=(child, self.mode, str(path), self.memory_limit_mb),
                name="rcm-query-worker",
                daemon=True,
            )
            process.start()
            child.close()
            worker = _Worker(process, parent, dataset.build_dir)
            if not parent.poll(WORKER_START_TIMEOUT_S):
                raise DatasetError("a query worker did not start in time", where=str(path))
            status, detail = parent.recv()
            if status != "ready":
                raise DatasetError(
                    f"a query worker cannot load the dataset ({detail})",
                    where=str(path),
                    hint="rebuild with `rcm-graph build`",
                )
        except (DatasetError, EOFError, OSError) as exc:
            if worker is not None:
                worker.kill()
            error = (
                exc
                if isinstance(exc, DatasetError)
                else DatasetError(f"a query worker failed to start ({exc})")
            )
            log.error("%s", error.one_line())
            with self._cond:
                self._starting -= 1
                self._last_error = error
                self._cond.notify_all()
            return
        with self._cond:
            self._starting -= 1
            if self._closed:
                worker.kill()
                return
            self._alive += 1
            self._last_error = None
            self._idle.append(worker)
            self._cond.notify_all()

    def _retire(self, worker: _Worker, *, replace: bool) -> None:
        with self._cond:
            self._alive -= 1
            self._busy.discard(worker.process.pid or -1)
        threading.Thread(target=worker.kill, daemon=True).start()
        if replace:
            self._spawn()

    def _checkout(self, deadline: float) -> _Worker:
        if not self._started:
            self.start()
        dataset = self._current_dataset()
        with self._cond:
            while True:
                if self._closed:
                    raise DatasetError("the server is shutting down")
                if self._alive + self._starting < self.size:
                    self._cond.release()
                    try:
                        self._spawn()
                    finally:
                        self._cond.acquire()
                while self._idle:
                    worker = self._idle.pop()
                    if worker.build_dir == dataset.build_dir and worker.process.is_alive():
                        if worker.process.pid is not None:
                            self._busy.add(worker.process.pid)
                        return worker
                    # A rebuild was published (or the worker died): replace it.
                    self._cond.release()
                    try:
                        self._retire(worker, replace=True)
                    finally:
                        self._cond.acquire()
                if self._starting == 0 and self._alive == 0 and self._last_error is not None:
                    raise self._last_error
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    if self._alive == 0 and self._last_error is not None:
                        raise self._last_error  # no worker could start: say why, with the fix
                    raise QueryTimeout(
                        f"all {self.size} query workers stayed busy until the time limit",
                        hint="try again later, or ask a cheaper query",
                    )
                self._cond.wait(min(remaining, 1.0))

    def _checkin(self, worker: _Worker) -> None:
        with self._cond:
            self._busy.discard(worker.process.pid or -1)
            if self._closed:
                worker.kill()
                return
            self._idle.append(worker)
            self._cond.notify()

    # -- queries -----------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        accept_format: str,
        timeout_s: float,
        max_rows: int,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        base_iri: str | None = None,
    ) -> QueryOutcome:
        start = time.monotonic()
        deadline = start + timeout_s
        job = _Job(
            sparql,
            accept_format,
            max_rows,
            tuple(default_graph_uris),
            tuple(named_graph_uris),
            base_iri,
        )
        worker = self._checkout(deadline)
        try:
            worker.conn.send(job)
            if not worker.conn.poll(max(deadline - time.monotonic(), 0.0)):
                self._retire(worker, replace=True)
                raise QueryTimeout(
                    f"the query ran longer than its time limit of {timeout_s:g} s and was stopped",
                    hint="add LIMIT, narrow the patterns, or raise the `timeout` parameter "
                    "(capped by the server's query_timeout_s)",
                )
            status, payload = worker.conn.recv()
            body = worker.conn.recv_bytes() if status == "ok" else b""
        except (EOFError, OSError, BrokenPipeError):
            self._retire(worker, replace=True)
            raise QueryAborted(
                "the query worker stopped while running the query (it probably needed more "
                "memory than allowed)",
                hint="ask a smaller query (LIMIT, fewer OPTIONALs, no unbounded ORDER BY)",
            ) from None
        self._checkin(worker)
        if status == "syntax":
            raise QueryError(
                f"malformed query: {payload}",
                where="query",
                hint="positions are line:column of the query text",
            )
        if status == "error":
            raise QueryError(f"the query failed: {payload}", where="query")
        if status == "bug":
            raise RuntimeError(f"query worker error: {payload}")
        meta: _Result = payload
        return QueryOutcome(
            body=body,
            media_type=meta.media_type,
            query_form=meta.form,
            row_count=meta.row_count,
            truncated=meta.truncated,
            max_rows=max_rows,
            elapsed_s=time.monotonic() - start,
        )


__all__ = ["LocalBackend", "QueryAborted", "media_types_for"]

"""``LocalBackend``: SPARQL over the served dataset in a pool of killable worker processes.

WHY processes: pyoxigraph has no query timeout and its native threads cannot be cancelled, so
the only way to really stop a runaway query is to kill the process running it. Workers
serialise the result (in Rust) and send back bytes, so no Python object is built per row.

WHY a zygote per build: one process loads the build's dataset into an in-memory store (2-10x
faster joins than the on-disk store) and then only forks workers. A forked worker shares the
loaded store copy-on-write, so a worker killed at its time limit is replaced in milliseconds
without re-reading the dump, and N workers cost about one copy of the dataset, not N.
``mode="disk"`` makes every worker open the build's RocksDB store read-only instead.

WHY lanes (issue 10): with a few workers, a handful of queries that run until their time
limit would hold every worker and make cheap queries wait or fail. At most ``workers``
queries that have used more than ``long_query_cpu_s`` of CPU may run at once; the
``fast_workers`` extra workers stay available to the others. See :class:`LocalBackend`.

A new build is verified (manifest checksums, once, in a thread) while its zygote loads; its
workers come up BEFORE the previous build's are retired, and from the moment ``current``
points to it no query is answered from the previous build (queries wait for it instead). A
build that cannot be verified or loaded is retried with exponential backoff, never in a loop.

Result caps are enforced while serialising: rows are streamed into a sink that stops the
engine after ``max_rows + 1`` rows, so memory stays bounded and truncation is detected exactly.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import gzip
import json
import logging
import multiprocessing
import multiprocessing.connection
import multiprocessing.reduction
import os
import re
import resource
import select
import signal
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Literal

import anyio.to_thread
import pyoxigraph

from rcm_graph.errors import DatasetError, QueryError, QueryTimeout
from rcm_graph.model.formats import (
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
)
from rcm_graph.query.cache import ByteLRU
from rcm_graph.query.contract import QueryForm, QueryOutcome, media_types_for
from rcm_graph.query.policy import analyse
from rcm_graph.sandbox import netguard
from rcm_graph.sandbox.parent_death import die_with_parent
from rcm_graph.settings import Settings
from rcm_graph.store.dataset import Dataset, current_build_dir, load_dataset, verify_checksums

log = logging.getLogger("rcm_graph.executor")

StoreMode = Literal["memory", "disk", "auto"]
# With ``auto``: a build whose N-Quads dump is larger than this is queried from disk. WHY: the
# in-memory copy costs several times the dump's size in every query process's address space
# (each is capped by ``memory_limit_mb``) and minutes to load; at 1,000 synthetic documents the
# dump is 60 MiB, at 10,000 about 600 MiB.
AUTO_DISK_NQUADS_BYTES = 256 * 1024 * 1024
# A worker that does not report ready within this time is considered broken.
WORKER_START_TIMEOUT_S = 300.0
# Address space a worker may add for one query, on top of the loaded dataset.
DEFAULT_MEMORY_LIMIT_MB = 4096
# A query that used more CPU than this is "long": it needs one of the ``workers`` long slots.
DEFAULT_LONG_QUERY_CPU_S = 0.25
# How often a running query's CPU time is read once it passed ``long_query_cpu_s`` of wall time.
LONG_CHECK_S = 0.05
# Long queries run at this lower CPU priority, so short queries and the server come first.
LONG_QUERY_NICE = 10
# How many query texts seen to run long are remembered (they wait for a long slot up front).
LONG_KEYS_KEPT = 4096
# Backoff between attempts to bring up a build that failed (checksum, load, zygote death).
RETRY_FIRST_S = 2.0
RETRY_MAX_S = 120.0
# How often the pool follows ``current`` and tops itself up when nothing wakes it.
POOL_CHECK_S = 1.0


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
    # From the parent's analysis (query_policy.analyse), so the worker need not tokenize again.
    form: str | None
    prefixes: tuple[tuple[str, str], ...]


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
    store and in the N-Quads dump (see :mod:`rcm_graph.store.dataset`). WHY: pyoxigraph's
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


class _RowSeparators:
    """A binary sink counting ``},{"`` (which every row separator of oxigraph's SPARQL JSON
    contains) and stopping the engine once there may be more than ``limit`` rows."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.seen = 0
        self.chunks: list[bytes] = []
        self._tail = b""

    def write(self, data: bytes) -> int:
        chunk = bytes(data)
        self.chunks.append(chunk)
        self.seen += (self._tail + chunk[:3]).count(b'},{"') + chunk.count(b'},{"')
        self._tail = chunk[-3:]
        if self.seen >= self.limit:
            raise _Enough
        return len(chunk)

    def flush(self) -> None:
        return None


def _json_solutions(
    solutions: pyoxigraph.QuerySolutions, max_rows: int
) -> tuple[bytes, int] | None:
    """SPARQL JSON written by the engine itself, with its exact row count; ``None`` when the
    answer may exceed ``max_rows`` or cannot be counted this way (then the caller takes the
    line-per-row TSV path, which truncates exactly).

    WHY: going through TSV (to count and cap rows) and converting to JSON cost about a fifth
    of the worker's time for a 170-row answer. Counting rows in JSON is exact here because
    inside a JSON string every ``"`` is escaped: a row separator ``},{"`` followed by one of
    the head's variables and ``":{`` cannot occur inside a value, and a string ending in
    ``},{`` is followed by ``}`` or ``,``, never by a variable name. Rows that bind nothing
    (``{}``) cannot be told apart from text that way, so an answer containing ``},{}`` or
    ``[{}`` takes the TSV path.
    """
    sink = _RowSeparators(max_rows)
    try:
        solutions.serialize(sink, format=pyoxigraph.QueryResultsFormat.JSON)  # type: ignore[arg-type]
    except (_Enough, OSError) as exc:
        if isinstance(exc, _Enough) or isinstance(exc.__context__, _Enough):
            return None
        raise
    body = b"".join(sink.chunks)
    prefix = b'{"head":'
    results_at = body.find(b',"results":{"bindings":[')
    if not body.startswith(prefix) or results_at < 0 or b"},{}" in body or b"[{}" in body:
        return None
    variables = json.loads(body[len(prefix) : results_at])["vars"]
    if body.endswith(b'"bindings":[]}}'):
        return body, 0
    if not variables or not all(v.isascii() for v in variables):
        return None  # (a name the writer might escape would not match the pattern below)
    separator = re.compile(
        rb'\},\{"(?:' + b"|".join(re.escape(v.encode()) for v in variables) + rb')":\{'
    )
    return body, 1 + sum(1 for _ in separator.finditer(body))


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
        if media_type == SPARQL_JSON:
            direct = _json_solutions(result, job.max_rows)
            if direct is not None:
                elapsed = time.perf_counter() - start
                return direct[0], _Result(media_type, "SELECT", direct[1], False, elapsed)
            result = store.query(job.sparql, **kwargs)  # type: ignore[arg-type]
            assert isinstance(result, pyoxigraph.QuerySolutions)
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
    form: QueryForm = "DESCRIBE" if job.form == "DESCRIBE" else "CONSTRUCT"
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
            prefixes=dict(job.prefixes) or None,
        )
        body = serialized or b""
    elapsed = time.perf_counter() - start
    return body, _Result(media_type, form, rows, truncated, elapsed)


def _serve_jobs(conn: multiprocessing.connection.Connection, store: pyoxigraph.Store) -> None:
    """Answer jobs from ``conn`` until it closes (runs in a forked worker)."""
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            body, meta = _execute(store, _Job(*job))
        except SyntaxError as exc:
            conn.send(("syntax", str(exc), None, time.process_time()))
            continue
        except (OSError, RuntimeError) as exc:  # evaluation errors: a failing SERVICE, or one
            # whose answer the engine cannot read (RuntimeError), is the query's failure (400)
            conn.send(("error", f"{exc}", None, time.process_time()))
            continue
        except Exception as exc:  # a bug: the parent answers 500 and logs it
            conn.send(
                (
                    "bug",
                    f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}",
                    None,
                    time.process_time(),
                )
            )
            continue
        # The CPU time so far: the parent's baseline for the next job (no /proc read per query).
        conn.send(("ok", meta, body, time.process_time()))


def _address_space_bytes() -> int:
    """This process's virtual size (VmSize), 0 when /proc is not there."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _zygote_main(
    ctrl: multiprocessing.connection.Connection,
    mode: StoreMode,
    path: str,
    memory_limit_mb: int | None,
    server_pid: int,
    service_allowlist: tuple[str, ...] = (),
) -> None:
    """Load the dataset once, then fork one query worker per request on ``ctrl``.

    WHY a zygote: a worker killed at its time limit is replaced by a ``fork`` of this process,
    which shares the loaded store copy-on-write: the replacement is ready in milliseconds and
    costs no extra memory for the dataset, instead of a fresh interpreter re-reading the dump.
    The zygote itself never runs a query, so no engine state is mid-flight when it forks.
    In disk mode each worker opens the RocksDB store after the fork (RocksDB's threads do not
    survive a fork). The zygote and so every worker cannot open a network socket unless
    SERVICE is allow-listed (:mod:`rcm_graph.sandbox.netguard`).

    The zygote dies with the server and each worker with the zygote (parent-death signal), so
    no query outlives a server killed by SIGKILL; the zygote reaps its workers (SIGCHLD
    ignored) and the server's multiprocessing reaps the zygote.
    """
    die_with_parent(server_pid)
    netguard.guard_evaluation(service_allowlist)
    try:
        store = _load_store(mode, path) if mode == "memory" else None
    except Exception as exc:  # reported to the parent, which turns it into a DatasetError
        ctrl.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped by the kernel
    gc.collect()
    gc.freeze()  # the cyclic GC of a worker then never writes to (and copies) inherited pages
    ctrl.send(("ready", None))
    while True:
        try:
            ctrl.recv()
            fd = multiprocessing.reduction.recv_handle(ctrl)
        except (EOFError, OSError):
            return
        zygote_pid = os.getpid()
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                die_with_parent(zygote_pid)
                ctrl.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                if memory_limit_mb:
                    # Headroom for one query on top of what the loaded dataset already maps.
                    limit = _address_space_bytes() + memory_limit_mb * 1024 * 1024
                    with contextlib.suppress(ValueError, OSError):
                        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
                worker_store = store if store is not None else pyoxigraph.Store.read_only(path)
                _serve_jobs(multiprocessing.connection.Connection(fd), worker_store)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(fd)
        ctrl.send(pid)


# ---------------------------------------------------------------------------------------------
# Parent side

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class _Worker:
    """One forked worker: its pid, its pipe, the build it holds, whether it holds a long slot."""

    def __init__(self, pid: int, conn: multiprocessing.connection.Connection, build: _Build):
        self.pid = pid
        self.conn = conn
        self.build = build
        self.long = False  # counted in LocalBackend._long_running
        self.reniced = False
        self.cpu_mark = 0.0  # the worker's CPU seconds when its current job started
        self._stat_path = f"/proc/{pid}/stat"
        self._poller = select.poll()
        self._poller.register(conn.fileno(), select.POLLIN)
        self.pidfd: int | None = None
        with contextlib.suppress(AttributeError, OSError):
            self.pidfd = os.pidfd_open(pid)  # kill by pidfd: immune to pid reuse

    def readable(self, timeout_s: float) -> bool:
        """Whether the worker answered (or died) within ``timeout_s``.

        WHY not ``Connection.poll``: it builds and tears down a selector on every call, which
        was a visible share of the pool's CPU per cheap query.
        """
        if self.conn.closed:
            return True
        return bool(self._poller.poll(max(timeout_s, 0.0) * 1000))

    def dead_while_idle(self) -> bool:
        """An idle worker's pipe is readable only when it closed (the worker died)."""
        try:
            return self.readable(0)
        except (OSError, ValueError):
            return True

    def cpu_s(self) -> float | None:
        """CPU seconds the worker used so far (user + system), None when unknown."""
        try:
            raw = Path(self._stat_path).read_bytes()
            fields = raw[raw.rindex(b")") + 2 :].split()
            return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
        except (OSError, ValueError, IndexError):
            return None

    def lower_priority(self) -> None:
        """Run at ``LONG_QUERY_NICE``: the CPU goes to short queries first. A niced worker is
        never reused (priority cannot be raised back without privileges): the pool replaces it
        after its query."""
        self.reniced = True
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, self.pid, LONG_QUERY_NICE)

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()
        with contextlib.suppress(OSError):
            if self.pidfd is not None:
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            else:
                os.kill(self.pid, signal.SIGKILL)
        if self.pidfd is not None:
            with contextlib.suppress(OSError):
                os.close(self.pidfd)
            self.pidfd = None


BuildState = Literal["loading", "ready", "failed", "retired"]


class _Build:
    """One published build as the pool serves it: its zygote, its state, why it failed."""

    def __init__(self, build_dir: Path) -> None:
        self.build_dir = build_dir
        self.state: BuildState = "loading"
        self.error: DatasetError | None = None
        self.failures = 0
        self.retry_at = 0.0
        self.dataset: Dataset | None = None
        self.mode: StoreMode | None = None  # memory or disk, as decided at bring-up
        self.zygote: BaseProcess | None = None
        self.ctrl: multiprocessing.connection.Connection | None = None
        self.lock = threading.Lock()  # one fork request at a time on ``ctrl``
        self.stopped = threading.Event()  # set once the zygote is stopped

    def fork_worker(self) -> _Worker:
        ctrl = self.ctrl
        if ctrl is None:
            raise OSError("the build has no zygote")
        parent, child = multiprocessing.Pipe()
        try:
            with self.lock:
                ctrl.send("fork")
                multiprocessing.reduction.send_handle(ctrl, child.fileno(), 0)
                if not ctrl.poll(WORKER_START_TIMEOUT_S):
                    raise OSError("the zygote did not fork a worker in time")
                pid = ctrl.recv()
        except BaseException:
            parent.close()
            raise
        finally:
            child.close()
        return _Worker(int(pid), parent, self)

    def stop_zygote(self) -> None:
        if self.ctrl is not None:
            with contextlib.suppress(Exception):
                self.ctrl.close()
        if self.zygote is not None and self.zygote.is_alive():
            self.zygote.kill()
        if self.zygote is not None:
            self.zygote.join(timeout=5)
        self.stopped.set()


class _Call:
    """One query as the pool handles it: the job a worker gets, and its keys."""

    __slots__ = ("job", "long_key", "max_rows", "sparql")

    def __init__(
        self,
        sparql: str,
        accept_format: str,
        max_rows: int,
        default_graph_uris: Sequence[str],
        named_graph_uris: Sequence[str],
        base_iri: str | None,
    ) -> None:
        analysis = analyse(sparql, base_iri=base_iri)  # remembered from the policy check
        defaults, named = tuple(default_graph_uris), tuple(named_graph_uris)
        self.sparql = sparql
        self.max_rows = max_rows
        self.job = (
            sparql,
            accept_format,
            max_rows,
            defaults,
            named,
            base_iri,
            analysis.form,
            tuple(analysis.prefixes.items()),
        )
        # The long-query lane remembers queries by text and dataset, whatever the format.
        self.long_key = hash((sparql, defaults, named, base_iri))


async def _readable(conn: multiprocessing.connection.Connection, timeout_s: float) -> bool:
    """Whether ``conn`` has something to read within ``timeout_s``, awaited on the loop."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[bool] = loop.create_future()
    fd = conn.fileno()

    def wake() -> None:
        if not ready.done():
            ready.set_result(True)

    loop.add_reader(fd, wake)
    try:
        await asyncio.wait_for(ready, timeout_s)
        return True
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)
        # uvloop's add_reader leaves the descriptor non-blocking; Connection.recv of an answer
        # larger than the socket buffer would then fail half-way (seen as EAGAIN under load).
        os.set_blocking(fd, True)


class QueryBusy(QueryTimeout):
    """A long query was stopped early because every slot for long queries was taken."""


class LocalBackend:
    """A pool of forked worker processes holding the current build, with a lane for long queries.

    Admission (issue 10): at most ``workers`` queries that run long (more than
    ``long_query_cpu_s`` of CPU) may hold a worker at once; the pool keeps ``fast_workers``
    more, so short queries never queue behind long ones. A query already seen to run long
    waits for a long slot before it starts; a new query that turns long when every long slot
    is taken is stopped with 503 (the server is saturated with long queries). Time limits are
    wall-clock, as before: a query that reaches its limit has its worker killed, and the
    zygote forks a replacement in milliseconds.

    Thread-safe: FastAPI runs ``def`` routes in a thread pool and each request checks out one
    idle worker. Waiting for a worker counts against the query's time limit.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        workers: int = 2,
        fast_workers: int = 0,
        mode: StoreMode = "memory",
        memory_limit_mb: int | None = DEFAULT_MEMORY_LIMIT_MB,
        long_query_cpu_s: float = DEFAULT_LONG_QUERY_CPU_S,
        cache_bytes: int = 0,
        service_allowlist: Sequence[str] = (),
    ) -> None:
        self.data_dir = data_dir
        self.service_allowlist = tuple(service_allowlist)
        self.long_slots = workers
        self.size = workers + fast_workers
        self.mode = mode
        self.memory_limit_mb = memory_limit_mb
        self.long_query_cpu_s = long_query_cpu_s
        # Answers by (build, query, media type, row cap, dataset parameters). Exact: a build is
        # immutable once published, and an answer that hit its time limit is never kept.
        self.cache: ByteLRU[tuple[bytes, _Result]] = ByteLRU(cache_bytes)
        self._ctx = multiprocessing.get_context("spawn")
        # One lock, four conditions, so that a wake-up goes only to who can use it (a
        # notify_all on every check-in woke dozens of waiting request threads per query).
        lock = threading.RLock()
        self._cond = threading.Condition(lock)  # build state changes: _wait_ready
        self._maint = threading.Condition(lock)  # the maintainer: the pool is short
        self._idle_cv = threading.Condition(lock)  # a worker became idle
        self._slot_cv = threading.Condition(lock)  # a long slot may be taken
        self._builds: dict[Path, _Build] = {}
        self._active: _Build | None = None
        self._idle: list[_Worker] = []
        self._busy: dict[int, _Worker] = {}
        self._alive = 0  # workers of the active build, idle or busy
        self._forking = 0
        self._long_running = 0
        self._long_keys: OrderedDict[int, None] = OrderedDict()
        self._closed = False
        self._started = False
        self._no_dataset: DatasetError | None = None
        self._wanted_dir: Path | None = None
        self._link_path = str(data_dir / "current")
        self._link_seen: tuple[str | None, Path | None] = (None, None)

    @classmethod
    def from_settings(cls, settings: Settings) -> LocalBackend:
        return cls(
            settings.data_dir,
            workers=settings.query_workers,
            fast_workers=settings.query_fast_workers,
            long_query_cpu_s=settings.query_long_cpu_s,
            cache_bytes=settings.query_cache_mb * 1024 * 1024,
            mode=settings.query_store,  # type: ignore[arg-type]  # checked by the settings
            service_allowlist=settings.service_allowlist,
        )

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        with self._cond:
            if self._started:
                return
            self._started = True
            self._closed = False
        self._wanted()
        threading.Thread(target=self._maintain, name="rcm-pool", daemon=True).start()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            builds = list(self._builds.values())
            self._notify_everyone()
        for worker in idle:
            worker.kill()
        for build in builds:
            build.stop_zygote()

    def refresh(self, timeout_s: float = WORKER_START_TIMEOUT_S) -> str:
        """Bring up workers on the build ``current`` points to now; return its build id.

        For a writer that just published a build: when this returns, every later query
        answers from that build (queries arriving meanwhile wait for it, they never get the
        previous one). Raises ``DatasetError`` when the build cannot be served.
        """
        if not self._started:
            self.start()
        build = self._wait_ready(time.monotonic() + timeout_s)
        assert build.dataset is not None
        return build.dataset.build_id

    def graph_iris(self) -> list[str]:
        build = self._wait_ready(time.monotonic() + WORKER_START_TIMEOUT_S)
        assert build.dataset is not None
        return build.dataset.graph_iris()

    def worker_pids(self) -> list[int]:
        """Process ids of the idle workers (busy ones are checked out), for health and tests."""
        with self._cond:
            return [w.pid for w in self._idle]

    @property
    def busy_pids(self) -> list[int]:
        """Process ids of the workers running a query right now."""
        with self._cond:
            return list(self._busy)

    def status(self) -> dict[str, object]:
        """What ``/health`` reports about the pool."""
        with self._cond:
            active = self._active
            report: dict[str, object] = {
                "workers": self._alive,
                "idle": len(self._idle),
                "busy": len(self._busy),
                "long_running": self._long_running,
                "long_slots": self.long_slots,
                "build": active.build_dir.name if active else None,
                "store": active.mode if active else None,
            }
        report["cache"] = self.cache.stats()
        return report

    def answer_token(self) -> str | None:
        """What the next query would be answered from, if it would be answered at once.

        The build's link text while the build ``current`` names is the one being served (build
        ids are unique, so the text names the answers); ``None`` while a new build is coming up
        or there is none, when a query would wait or fail. WHY: the web layer keys its response
        cache on it (:mod:`rcm_graph.web.response_cache`), so that a rebuild or a write is seen
        by the next request without any lock or message on the hot path.
        """
        if not self._started or self._closed:
            return None
        current = self._current_dir()
        active = self._active
        if active is None or active.state != "ready" or active.build_dir != current:
            return None
        return self._link_seen[0]

    # -- builds ------------------------------------------------------------------------------

    def _current_dir(self) -> Path | None:
        """``current_build_dir``, with one ``readlink`` per call while the link is unchanged.

        WHY: every query asks (a rebuild must be seen by the next query); resolving the path
        with pathlib cost about 100 us per query, a third of the pool's own CPU per query.
        Build ids are unique, so an unchanged link text means an unchanged build.
        """
        try:
            link = os.readlink(self._link_path)  # noqa: PTH115 (a str, no Path per query)
        except OSError:
            link = None
        if link is not None and link == self._link_seen[0]:
            return self._link_seen[1]
        current = current_build_dir(self.data_dir)
        self._link_seen = (link, current)
        return current

    def _wanted(self) -> _Build | None:
        """The build ``current`` points to; starts bringing it up when it is new."""
        current = self._current_dir()
        with self._cond:
            if current is None:
                self._no_dataset = DatasetError(
                    "no dataset has been built yet",
                    where=str(self.data_dir / "current"),
                    hint=f"build it with `rcm-graph build --data-dir {self.data_dir}`",
                )
                return None
            self._no_dataset = None
            build = self._builds.get(current)
            if build is None:
                build = _Build(current)
                self._builds[current] = build
                self._start_bring_up(build)
            elif (
                build.state == "failed" and not self._closed and time.monotonic() >= build.retry_at
            ):
                build.state = "loading"
                self._start_bring_up(build)
            if current != self._wanted_dir:
                self._wanted_dir = current
                self._notify_everyone()
            return build

    def _start_bring_up(self, build: _Build) -> None:
        threading.Thread(
            target=self._bring_up, args=(build,), name="rcm-build-up", daemon=True
        ).start()

    def _bring_up(self, build: _Build) -> None:
        """Verify a build (checksums, once) while its zygote loads it; then switch to it."""
        try:
            dataset = load_dataset(self.data_dir, verify=False)
            if dataset.build_dir != build.build_dir:
                raise DatasetError("the build changed while it was being brought up")
            mode = self.mode
            if mode == "auto":
                big = dataset.nquads_path.stat().st_size > AUTO_DISK_NQUADS_BYTES
                mode = "disk" if big else "memory"
            build.mode = mode
            path = dataset.store_path if mode == "disk" else dataset.nquads_path
            # A fresh event for this zygote; a thread still waiting for a previous one of this
            # build (which died: that is why the build is brought up again) may end now.
            previous, stopped = build.stopped, threading.Event()
            build.stopped = stopped
            previous.set()
            parent, child = self._ctx.Pipe()
            zygote = self._ctx.Process(
                target=_zygote_main,
                args=(
                    child,
                    mode,
                    str(path),
                    self.memory_limit_mb,
                    os.getpid(),
                    self.service_allowlist,
                ),
                name="rcm-query-zygote",
                daemon=True,
            )
            zygote.start()  # from this thread, which then lives as long as the zygote
            child.close()
            build.zygote, build.ctrl = zygote, parent
            # While the zygote loads: the checksums (a garbled dump of the right size must not
            # be served), in this thread, once per build switch -- not once per worker.
            verify_checksums(dataset, self.data_dir)
            if not parent.poll(WORKER_START_TIMEOUT_S):
                raise DatasetError(
                    "the query workers did not load the dataset in time", where=str(path)
                )
            status, detail = parent.recv()
            if status != "ready":
                raise DatasetError(
                    f"the query workers cannot load the dataset ({detail})",
                    where=str(path),
                    hint=f"rebuild it with `rcm-graph build --data-dir {self.data_dir}`",
                )
            build.dataset = dataset
            workers = [build.fork_worker() for _ in range(self.size)]
        except Exception as exc:  # never leave a build "loading" forever: fail, retry later
            error = (
                exc
                if isinstance(exc, DatasetError)
                else DatasetError(
                    f"the query workers failed to start ({type(exc).__name__}: {exc})",
                    where=str(build.build_dir),
                    hint=f"rebuild it with `rcm-graph build --data-dir {self.data_dir}`",
                )
            )
            build.stop_zygote()
            with self._cond:
                build.failures += 1
                build.error = error
                build.state = "failed"
                backoff = min(RETRY_MAX_S, RETRY_FIRST_S * 2 ** (build.failures - 1))
                build.retry_at = time.monotonic() + backoff
                self._notify_everyone()
            log.error("cannot serve the dataset: %s (next try in %g s)", error.one_line(), backoff)
            return
        self._activate(build, workers)
        # WHY wait: the zygote's parent-death signal is tied to the thread that started it
        # (Linux sends it when that *thread* ends); this one ends with the zygote.
        stopped.wait()

    def _activate(self, build: _Build, workers: list[_Worker]) -> None:
        """Make ``build`` the one queries go to; retire the previous build's workers."""
        with self._cond:
            if self._closed or self._current_dir() != build.build_dir:
                stale = True
            else:
                stale = False
                previous = self._active
                old_idle = [w for w in self._idle if w.build is not build]
                self._idle = [w for w in self._idle if w.build is build] + workers
                self._active = build
                self._alive = len(workers)
                build.state = "ready"
                build.error = None
                build.failures = 0
                retired = [
                    b for b in self._builds.values() if b is not build and b.state != "loading"
                ]
                for old in retired:
                    old.state = "retired"
                    del self._builds[old.build_dir]
                self.cache.clear()
                self._notify_everyone()
        if stale:
            for worker in workers:
                worker.kill()
            build.stop_zygote()
            with self._cond:
                self._builds.pop(build.build_dir, None)
                self._notify_everyone()
            return
        log.info(
            "serving build %s with %d query workers%s",
            build.build_dir.name,
            len(workers),
            f" (was {previous.build_dir.name})" if previous else "",
        )
        for worker in old_idle:
            worker.kill()
        for old in retired:
            old.stop_zygote()

    def _wait_ready(self, deadline: float) -> _Build:
        """The current build once it is ready; raises why not (503) at the deadline."""
        if not self._started:
            self.start()
        while True:
            build = self._wanted()
            with self._cond:
                if self._closed:
                    raise DatasetError("the server is shutting down")
                if build is None:
                    assert self._no_dataset is not None
                    raise self._no_dataset
                if build.state == "ready" and build is self._active:
                    return build
                if build.state == "failed" and build.error is not None:
                    raise build.error
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise DatasetError(
                        "the query workers are still loading the dataset",
                        where=str(build.build_dir),
                        hint="try again in a few seconds",
                    )
                self._cond.wait(min(remaining, 0.5))

    # -- workers -----------------------------------------------------------------------------

    def _maintain(self) -> None:
        """Background: follow ``current``, and keep the active build's pool at full size."""
        while True:
            with self._cond:
                if self._closed:
                    return
                active = self._active
                missing = (
                    self.size - self._alive - self._forking
                    if active is not None and active.state == "ready"
                    else 0
                )
                if missing > 0:
                    self._forking += missing
            if missing > 0 and active is not None:
                for _ in range(missing):
                    worker: _Worker | None = None
                    with contextlib.suppress(OSError, EOFError):
                        worker = active.fork_worker()
                    with self._cond:
                        self._forking -= 1
                        if worker is not None and active is self._active and not self._closed:
                            self._idle.append(worker)
                            self._alive += 1
                            self._worker_available()
                        elif worker is not None:
                            worker.kill()
                        elif active is self._active:
                            # The zygote is gone: bring the build up again (with backoff).
                            active.state = "failed"
                            active.failures += 1
                            active.error = DatasetError(
                                "the query workers stopped unexpectedly; restarting them",
                                where=str(active.build_dir),
                            )
                            active.retry_at = time.monotonic() + min(
                                RETRY_MAX_S, RETRY_FIRST_S * 2 ** (active.failures - 1)
                            )
                            log.error("%s", active.error.one_line())
                            self._active = None
                            self._alive = 0
                            self._notify_everyone()
            with contextlib.suppress(Exception):
                self._wanted()
            with self._cond:
                if not self._closed:
                    self._maint.wait(POOL_CHECK_S)

    def _notify_everyone(self) -> None:
        """Call with the lock held: the build or the pool changed as a whole."""
        for condition in (self._cond, self._maint, self._idle_cv, self._slot_cv):
            condition.notify_all()

    def _worker_available(self) -> None:
        """Call with the lock held: one worker became idle."""
        self._idle_cv.notify()
        if self._long_running < self.long_slots:
            self._slot_cv.notify()

    def _retire(self, worker: _Worker) -> None:
        """Kill a worker (timed out, died, or of an old build); the pool forks a replacement."""
        with self._cond:
            self._busy.pop(worker.pid, None)
            if worker.long:
                worker.long = False
                self._long_running -= 1
                self._slot_cv.notify()
            if worker.build is self._active:
                self._alive -= 1
            self._maint.notify()
        worker.kill()

    def _checkout(self, build: _Build, deadline: float, long_key: int) -> _Worker:
        known_long = long_key in self._long_keys
        with self._cond:
            while True:
                if self._closed:
                    raise DatasetError("the server is shutting down")
                if self._active is not build:
                    break  # a new build was published meanwhile: wait for it
                can_start = not known_long or self._long_running < self.long_slots
                while can_start and self._idle:
                    worker = self._idle.pop()
                    if worker.build is not build or worker.dead_while_idle():
                        self._cond.release()
                        try:
                            self._retire(worker)
                        finally:
                            self._cond.acquire()
                        continue
                    self._busy[worker.pid] = worker
                    if known_long:
                        worker.long = True
                        self._long_running += 1
                        worker.lower_priority()
                    return worker
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    if known_long and self._long_running >= self.long_slots:
                        raise QueryTimeout(
                            f"all {self.long_slots} slots for long queries stayed busy until "
                            "the time limit (this query ran long before)",
                            hint="try again later, or ask a cheaper query",
                        )
                    raise QueryTimeout(
                        f"all {self.size} query workers stayed busy until the time limit",
                        hint="try again later, or ask a cheaper query",
                    )
                if self._alive + self._forking < self.size:
                    self._maint.notify()  # the pool is short: fork now
                waiting_on = self._slot_cv if not can_start else self._idle_cv
                waiting_on.wait(min(remaining, 0.5))
        return self._checkout(self._wait_ready(deadline), deadline, long_key)

    def _checkin(self, worker: _Worker) -> None:
        with self._cond:
            self._busy.pop(worker.pid, None)
            if worker.long:
                worker.long = False
                self._long_running -= 1
                self._slot_cv.notify()
            if self._closed or worker.build is not self._active or worker.reniced:
                stale = True
                if worker.build is self._active:
                    self._alive -= 1
                self._maint.notify()
            else:
                stale = False
                self._idle.append(worker)
                self._worker_available()
        if stale:
            worker.kill()

    def _remember_long(self, key: int, is_long: bool) -> None:
        with self._cond:
            if is_long:
                self._long_keys[key] = None
                self._long_keys.move_to_end(key)
                while len(self._long_keys) > LONG_KEYS_KEPT:
                    self._long_keys.popitem(last=False)
            else:
                self._long_keys.pop(key, None)

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
        started: float | None = None,
    ) -> QueryOutcome:
        start = time.monotonic()
        deadline = (start if started is None else started) + timeout_s
        build = self._wait_ready(deadline)
        call = _Call(
            sparql, accept_format, max_rows, default_graph_uris, named_graph_uris, base_iri
        )
        hit = self._cached(build, call)
        if hit is not None:
            return self._outcome(*hit, max_rows, start)
        worker = self._checkout(build, deadline, call.long_key)
        cpu_before = worker.cpu_mark
        self._send(worker, call)
        return self._answer(worker, build, call, deadline, timeout_s, cpu_before, start)

    async def query_async(
        self,
        sparql: str,
        *,
        accept_format: str,
        timeout_s: float,
        max_rows: int,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        base_iri: str | None = None,
        started: float | None = None,
    ) -> QueryOutcome:
        """:meth:`query` for an ``async`` route: no thread while a worker answers quickly.

        WHY: a ``def`` route costs a hop to the thread pool and back, and under load the GIL
        hand-offs between request threads (py-spy: ``Condition.notify``, ``Queue.put``), for
        what is mostly waiting on a pipe. When the build is ready and a worker is idle, the
        job is sent and the pipe awaited on the event loop; an answer that takes longer than
        ``long_query_cpu_s`` (the long-query lane's check) and every case that must wait (no
        idle worker, a build coming up, a query known to run long) continue in a thread with
        exactly the logic of :meth:`query`.
        """
        start = time.monotonic()
        began = start if started is None else started
        deadline = began + timeout_s
        call = _Call(
            sparql, accept_format, max_rows, default_graph_uris, named_graph_uris, base_iri
        )
        build = self._ready_now()
        worker = None
        if build is not None:
            hit = self._cached(build, call)
            if hit is not None:
                return self._outcome(*hit, max_rows, start)
            worker = self._try_checkout(build, call.long_key)
        if build is None or worker is None:
            return await anyio.to_thread.run_sync(
                functools.partial(
                    self.query,
                    sparql,
                    accept_format=accept_format,
                    timeout_s=timeout_s,
                    max_rows=max_rows,
                    default_graph_uris=default_graph_uris,
                    named_graph_uris=named_graph_uris,
                    base_iri=base_iri,
                    started=began,
                )
            )
        cpu_before = worker.cpu_mark
        self._send(worker, call)
        try:
            first_check = min(self.long_query_cpu_s, max(deadline - time.monotonic(), 0.0))
            quick = await _readable(worker.conn, first_check)
        except BaseException:  # cancelled (shutdown, client gone): its answer is never read
            self._retire(worker)
            raise
        if quick:
            return self._answer(worker, build, call, deadline, timeout_s, cpu_before, start)
        return await anyio.to_thread.run_sync(
            functools.partial(
                self._answer,
                worker,
                build,
                call,
                deadline,
                timeout_s,
                cpu_before,
                start,
                waited_s=self.long_query_cpu_s,
            )
        )

    def _ready_now(self) -> _Build | None:
        """The current build if queries can go to it right now (no waiting), else ``None``."""
        if not self._started:
            return None
        build = self._wanted()
        with self._cond:
            if self._closed or build is None or build.state != "ready" or build is not self._active:
                return None
            return build

    def _cached(self, build: _Build, call: _Call) -> tuple[bytes, _Result] | None:
        if not self.cache.max_bytes:
            return None
        return self.cache.get((build.build_dir, *call.job))

    def _try_checkout(self, build: _Build, long_key: int) -> _Worker | None:
        """An idle worker of ``build`` for a query not known to run long, without waiting."""
        if long_key in self._long_keys:
            return None
        with self._cond:
            while not self._closed and self._active is build and self._idle:
                worker = self._idle.pop()
                if worker.build is build and not worker.dead_while_idle():
                    self._busy[worker.pid] = worker
                    return worker
                self._cond.release()
                try:
                    self._retire(worker)
                finally:
                    self._cond.acquire()
        return None

    def _send(self, worker: _Worker, call: _Call) -> None:
        try:
            worker.conn.send(call.job)
        except (OSError, BrokenPipeError):
            self._retire(worker)
            raise QueryAborted(
                "the query worker stopped before it could take the query",
                hint="try again; the pool replaces stopped workers",
            ) from None

    def _answer(
        self,
        worker: _Worker,
        build: _Build,
        call: _Call,
        deadline: float,
        timeout_s: float,
        cpu_before: float,
        start: float,
        waited_s: float = 0.0,
    ) -> QueryOutcome:
        """Wait for the worker's answer (long lane, time limit), check it in, and read it."""
        long_key = call.long_key
        try:
            self._await_answer(worker, deadline, timeout_s, long_key, cpu_before, waited_s)
            status, payload, body, worker.cpu_mark = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._retire(worker)
            raise QueryAborted(
                "the query worker stopped while running the query (it probably needed more "
                "memory than allowed)",
                hint="ask a smaller query (LIMIT, fewer OPTIONALs, no unbounded ORDER BY)",
            ) from None
        if long_key in self._long_keys:  # it ran long before: is it still long?
            self._remember_long(long_key, worker.cpu_mark - cpu_before > self.long_query_cpu_s)
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
        if self.cache.max_bytes:
            self.cache.put((build.build_dir, *call.job), (body, meta), len(body) + len(call.sparql))
        return self._outcome(body, meta, call.max_rows, start)

    @staticmethod
    def _outcome(body: bytes, meta: _Result, max_rows: int, start: float) -> QueryOutcome:
        return QueryOutcome(
            body=body,
            media_type=meta.media_type,
            query_form=meta.form,
            row_count=meta.row_count,
            truncated=meta.truncated,
            max_rows=max_rows,
            elapsed_s=time.monotonic() - start,
        )

    def _await_answer(
        self,
        worker: _Worker,
        deadline: float,
        timeout_s: float,
        long_key: int,
        cpu_before: float,
        waited_s: float = 0.0,
    ) -> None:
        """Wait for the worker's answer; stop it at the deadline, or early if it runs long
        while every long slot is taken. Returns when the answer can be read. ``waited_s``:
        how long the caller already waited since sending the job (so the long-query check
        starts on time)."""
        started = time.monotonic() - waited_s
        # CPU time never exceeds wall time: nothing to check before long_query_cpu_s.
        wait = max(self.long_query_cpu_s - waited_s, 0.0)
        while True:
            remaining = deadline - time.monotonic()
            if worker.readable(min(wait, remaining)):
                return
            if time.monotonic() >= deadline:
                self._retire(worker)
                self._remember_long(long_key, True)
                raise QueryTimeout(
                    f"the query ran longer than its time limit of {timeout_s:g} s and was stopped",
                    hint="add LIMIT, narrow the patterns, or raise the `timeout` parameter "
                    "(capped by the server's query_timeout_s)",
                )
            wait = LONG_CHECK_S
            if worker.long:
                wait = remaining
                continue
            cpu_now = worker.cpu_s()
            used = cpu_now - cpu_before if cpu_now is not None else time.monotonic() - started
            if used <= self.long_query_cpu_s:
                continue
            self._remember_long(long_key, True)
            with self._cond:
                if self._long_running < self.long_slots:
                    self._long_running += 1
                    worker.long = True
                    worker.lower_priority()
                    continue
            self._retire(worker)
            raise QueryBusy(
                f"the query ran longer than {self.long_query_cpu_s:g} s of CPU while the "
                f"server was already running {self.long_slots} long queries, and was stopped",
                hint="try again later, add LIMIT or narrow the patterns",
            )


__all__ = ["LocalBackend", "QueryAborted", "QueryBusy", "media_types_for"]

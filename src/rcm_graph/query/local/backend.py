"""``LocalBackend``: the query contract answered by the local pool of query processes.

It ties the parts of :mod:`rcm_graph.query.local` together: the build watcher brings the
published build's workers up (:mod:`~rcm_graph.query.local.builds`), the pool lends one worker
per query and keeps the lane for long queries (:mod:`~rcm_graph.query.local.pool`), answers are
kept per build (:mod:`~rcm_graph.query.local.answers`), and a maintainer thread keeps the pool
at full size and follows ``current`` when no query does.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import multiprocessing.connection
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import anyio.to_thread

from rcm_graph.errors import QueryError
from rcm_graph.query.contract import QueryOutcome, QueryRequest
from rcm_graph.query.local.answers import AnswerCache, Call
from rcm_graph.query.local.builds import BuildWatcher
from rcm_graph.query.local.execute import Result
from rcm_graph.query.local.pool import DEFAULT_LONG_QUERY_CPU_S, QueryAborted, WorkerPool
from rcm_graph.query.local.processes import WORKER_START_TIMEOUT_S, ServedBuild, WorkerProcess
from rcm_graph.query.local.worker import StoreMode
from rcm_graph.settings import Settings

# Address space a worker may add for one query, on top of the loaded dataset.
DEFAULT_MEMORY_LIMIT_MB = 4096
# How often the pool follows ``current`` and tops itself up when nothing wakes it.
POOL_CHECK_S = 1.0


class LocalBackend:
    """A pool of forked worker processes holding the current build, with a lane for long queries.

    Admission (issue 10): at most ``workers`` queries that run long (more than
    ``long_query_cpu_s`` of CPU) may hold a worker at once; the pool keeps ``fast_workers``
    more, so short queries never queue behind long ones (see :mod:`rcm_graph.query.local.pool`).

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
        self.long_slots = workers
        self.size = workers + fast_workers
        self.long_query_cpu_s = long_query_cpu_s
        self.cache = AnswerCache(cache_bytes)
        self._pool = WorkerPool(self.size, workers, long_query_cpu_s)
        self._builds = BuildWatcher(
            data_dir,
            self._pool,
            mode=mode,
            memory_limit_mb=memory_limit_mb,
            service_allowlist=service_allowlist,
            on_switch=self.cache.clear,
        )
        self._started = False

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
        with self._pool.cond:
            if self._started:
                return
            self._started = True
            self._pool.closed = False
        self._builds.wanted()
        threading.Thread(target=self._maintain, name="rcm-pool", daemon=True).start()

    def close(self) -> None:
        pool = self._pool
        with pool.cond:
            pool.closed = True
            idle, pool.idle = pool.idle, []
            builds = list(self._builds.builds.values())
            pool.notify_everyone()
        for worker in idle:
            worker.kill()
        for build in builds:
            build.stop_zygote()

    def _maintain(self) -> None:
        """Background: follow ``current``, and keep the active build's pool at full size."""
        pool = self._pool
        while pool.top_up():
            with contextlib.suppress(Exception):
                self._builds.wanted()
            with pool.cond:
                if not pool.closed:
                    pool.maint.wait(POOL_CHECK_S)

    def _wait_ready(self, deadline: float) -> ServedBuild:
        if not self._started:
            self.start()
        return self._builds.wait_ready(deadline)

    # -- what the server asks ----------------------------------------------------------------

    def graph_iris(self) -> list[str]:
        build = self._wait_ready(time.monotonic() + WORKER_START_TIMEOUT_S)
        assert build.dataset is not None
        return build.dataset.graph_iris()

    def worker_pids(self) -> list[int]:
        """Process ids of the idle workers (busy ones are checked out), for health and tests."""
        with self._pool.cond:
            return [w.pid for w in self._pool.idle]

    @property
    def busy_pids(self) -> list[int]:
        """Process ids of the workers running a query right now."""
        with self._pool.cond:
            return list(self._pool.busy)

    def status(self) -> dict[str, object]:
        """What ``/health`` reports about the pool."""
        pool = self._pool
        with pool.cond:
            active = pool.active
            report: dict[str, object] = {
                "workers": pool.alive,
                "idle": len(pool.idle),
                "busy": len(pool.busy),
                "long_running": pool.long_running,
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
        if not self._started or self._pool.closed:
            return None
        return self._builds.answer_token()

    # -- queries -----------------------------------------------------------------------------

    def query(self, request: QueryRequest) -> QueryOutcome:
        sparql, accept_format, timeout_s = request.sparql, request.accept_format, request.timeout_s
        max_rows, base_iri, started = request.max_rows, request.base_iri, request.started
        default_graph_uris, named_graph_uris = request.default_graph_uris, request.named_graph_uris
        start = time.monotonic()
        deadline = (start if started is None else started) + timeout_s
        build = self._wait_ready(deadline)
        call = Call(sparql, accept_format, max_rows, default_graph_uris, named_graph_uris, base_iri)
        hit = self.cache.get(build.build_dir, call)
        if hit is not None:
            return _outcome(*hit, max_rows, start)
        worker = self._checkout(build, deadline, call.long_key)
        cpu_before = worker.cpu_mark
        self._send(worker, call)
        return self._answer(worker, build, call, deadline, timeout_s, cpu_before, start)

    async def query_async(self, request: QueryRequest) -> QueryOutcome:
        """:meth:`query` for an ``async`` route: no thread while a worker answers quickly.

        WHY: a ``def`` route costs a hop to the thread pool and back, and under load the GIL
        hand-offs between request threads (py-spy: ``Condition.notify``, ``Queue.put``), for
        what is mostly waiting on a pipe. When the build is ready and a worker is idle, the
        job is sent and the pipe awaited on the event loop; an answer that takes longer than
        ``long_query_cpu_s`` (the long-query lane's check) and every case that must wait (no
        idle worker, a build coming up, a query known to run long) continue in a thread with
        exactly the logic of :meth:`query`.
        """
        sparql, accept_format, timeout_s = request.sparql, request.accept_format, request.timeout_s
        max_rows, base_iri, started = request.max_rows, request.base_iri, request.started
        default_graph_uris, named_graph_uris = request.default_graph_uris, request.named_graph_uris
        start = time.monotonic()
        began = start if started is None else started
        deadline = began + timeout_s
        call = Call(sparql, accept_format, max_rows, default_graph_uris, named_graph_uris, base_iri)
        build = self._builds.ready_now() if self._started else None
        worker = None
        if build is not None:
            hit = self.cache.get(build.build_dir, call)
            if hit is not None:
                return _outcome(*hit, max_rows, start)
            worker = self._pool.try_checkout(build, call.long_key)
        if build is None or worker is None:
            return await anyio.to_thread.run_sync(
                functools.partial(self.query, dataclasses.replace(request, started=began))
            )
        return await self._answer_async(worker, build, call, deadline, timeout_s, start)

    async def _answer_async(
        self,
        worker: WorkerProcess,
        build: ServedBuild,
        call: Call,
        deadline: float,
        timeout_s: float,
        start: float,
    ) -> QueryOutcome:
        """Send the job and await the pipe on the loop; a slow answer goes on in a thread."""
        cpu_before = worker.cpu_mark
        self._send(worker, call)
        try:
            first_check = min(self.long_query_cpu_s, max(deadline - time.monotonic(), 0.0))
            quick = await _readable(worker.conn, first_check)
        except BaseException:  # cancelled (shutdown, client gone): its answer is never read
            self._pool.retire(worker)
            raise
        answer = functools.partial(
            self._answer, worker, build, call, deadline, timeout_s, cpu_before, start
        )
        if quick:
            return answer()
        return await anyio.to_thread.run_sync(
            functools.partial(answer, waited_s=self.long_query_cpu_s)
        )

    def _checkout(self, build: ServedBuild, deadline: float, long_key: int) -> WorkerProcess:
        """A worker for the query; when a new build was published meanwhile, one of it."""
        while (worker := self._pool.checkout(build, deadline, long_key)) is None:
            build = self._wait_ready(deadline)
        return worker

    def _send(self, worker: WorkerProcess, call: Call) -> None:
        try:
            worker.conn.send(call.job)
        except (OSError, BrokenPipeError):
            self._pool.retire(worker)
            raise QueryAborted(
                "the query worker stopped before it could take the query",
                hint="try again; the pool replaces stopped workers",
            ) from None

    def _answer(
        self,
        worker: WorkerProcess,
        build: ServedBuild,
        call: Call,
        deadline: float,
        timeout_s: float,
        cpu_before: float,
        start: float,
        waited_s: float = 0.0,
    ) -> QueryOutcome:
        """Wait for the worker's answer (long lane, time limit), check it in, and read it."""
        pool, long_key = self._pool, call.long_key
        try:
            pool.await_answer(worker, deadline, timeout_s, long_key, cpu_before, waited_s)
            status, payload, body, worker.cpu_mark = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            pool.retire(worker)
            raise QueryAborted(
                "the query worker stopped while running the query (it probably needed more "
                "memory than allowed)",
                hint="ask a smaller query (LIMIT, fewer OPTIONALs, no unbounded ORDER BY)",
            ) from None
        if long_key in pool.long_keys:  # it ran long before: is it still long?
            pool.remember_long(long_key, worker.cpu_mark - cpu_before > self.long_query_cpu_s)
        pool.checkin(worker)
        meta = _result(status, payload)
        self.cache.put(build.build_dir, call, body, meta)
        return _outcome(body, meta, call.max_rows, start)


def _result(status: str, payload: object) -> Result:
    """The worker's report on a job: its result, or the error it stands for."""
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
    assert isinstance(payload, Result)
    return payload


def _outcome(body: bytes, meta: Result, max_rows: int, start: float) -> QueryOutcome:
    return QueryOutcome(
        body=body,
        media_type=meta.media_type,
        query_form=meta.form,
        row_count=meta.row_count,
        truncated=meta.truncated,
        max_rows=max_rows,
        elapsed_s=time.monotonic() - start,
    )


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

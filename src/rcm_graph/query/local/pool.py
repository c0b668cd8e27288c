"""The workers of the served build: checking one out for a query, and the lane for long ones.

WHY lanes (issue 10): with a few workers, a handful of queries that run until their time
limit would hold every worker and make cheap queries wait or fail. At most ``long_slots``
queries that have used more than ``long_query_cpu_s`` of CPU may run at once; the other
workers stay available to the rest. A query already seen to run long waits for a long slot
before it starts; a new query that turns long when every long slot is taken is stopped with
503 (the server is saturated with long queries). Time limits are wall-clock: a query that
reaches its limit has its worker killed, and the zygote forks a replacement in milliseconds.

One lock guards the pool and the build watcher (:mod:`rcm_graph.query.local.builds`), with
four conditions, so that a wake-up goes only to who can use it (a ``notify_all`` on every
check-in woke dozens of waiting request threads per query).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import OrderedDict

from rcm_graph.errors import DatasetError, QueryError, QueryTimeout
from rcm_graph.query.local.processes import ServedBuild, WorkerProcess

log = logging.getLogger("rcm_graph.query.local")

# A query that used more CPU than this is "long": it needs one of the long slots.
DEFAULT_LONG_QUERY_CPU_S = 0.25
# How often a running query's CPU time is read once it passed ``long_query_cpu_s`` of wall time.
LONG_CHECK_S = 0.05
# How many query texts seen to run long are remembered (they wait for a long slot up front).
LONG_KEYS_KEPT = 4096


class QueryAborted(QueryError):
    """The worker died while running the query (most often: it exceeded its memory limit)."""

    http_status = 503


class QueryBusy(QueryTimeout):
    """A long query was stopped early because every slot for long queries was taken."""


class WorkerPool:
    """The active build's workers, idle and busy, and the long-query lane.

    Thread-safe: each request checks out one idle worker. Waiting for a worker counts against
    the query's time limit.
    """

    def __init__(self, size: int, long_slots: int, long_query_cpu_s: float) -> None:
        self.size = size
        self.long_slots = long_slots
        self.long_query_cpu_s = long_query_cpu_s
        lock = threading.RLock()
        self.cond = threading.Condition(lock)  # build state changes: BuildWatcher.wait_ready
        self.maint = threading.Condition(lock)  # the maintainer: the pool is short
        self._idle_cv = threading.Condition(lock)  # a worker became idle
        self._slot_cv = threading.Condition(lock)  # a long slot may be taken
        self.active: ServedBuild | None = None
        self.idle: list[WorkerProcess] = []
        self.busy: dict[int, WorkerProcess] = {}
        self.alive = 0  # workers of the active build, idle or busy
        self.forking = 0
        self.long_running = 0
        self.long_keys: OrderedDict[int, None] = OrderedDict()
        self.closed = False

    def notify_everyone(self) -> None:
        """Call with the lock held: the build or the pool changed as a whole."""
        for condition in (self.cond, self.maint, self._idle_cv, self._slot_cv):
            condition.notify_all()

    def _worker_available(self) -> None:
        """Call with the lock held: one worker became idle."""
        self._idle_cv.notify()
        if self.long_running < self.long_slots:
            self._slot_cv.notify()

    def switch_to(
        self, build: ServedBuild, workers: list[WorkerProcess]
    ) -> tuple[ServedBuild | None, list[WorkerProcess]]:
        """Call with the lock held: make ``build`` (with ``workers``) the active build; return
        the previous one and its idle workers, for the caller to stop."""
        previous = self.active
        old_idle = [w for w in self.idle if w.build is not build]
        self.idle = [w for w in self.idle if w.build is build] + workers
        self.active = build
        self.alive = len(workers)
        return previous, old_idle

    def top_up(self) -> bool:
        """Fork the workers the active build is short of (killed, timed out, retired);
        ``False`` when the pool is closed."""
        with self.cond:
            if self.closed:
                return False
            active = self.active
            missing = (
                self.size - self.alive - self.forking
                if active is not None and active.state == "ready"
                else 0
            )
            if missing > 0:
                self.forking += missing
        if missing <= 0 or active is None:
            return True
        for _ in range(missing):
            worker: WorkerProcess | None = None
            with contextlib.suppress(OSError, EOFError):
                worker = active.fork_worker()
            with self.cond:
                self.forking -= 1
                if worker is not None and active is self.active and not self.closed:
                    self.idle.append(worker)
                    self.alive += 1
                    self._worker_available()
                elif worker is not None:
                    worker.kill()
                elif active is self.active:
                    self._zygote_lost(active)
        return True

    def _zygote_lost(self, active: ServedBuild) -> None:
        """Call with the lock held: the zygote is gone; bring the build up again (backoff)."""
        active.fail(
            DatasetError(
                "the query workers stopped unexpectedly; restarting them",
                where=str(active.build_dir),
            )
        )
        assert active.error is not None
        log.error("%s", active.error.one_line())
        self.active = None
        self.alive = 0
        self.notify_everyone()

    def retire(self, worker: WorkerProcess) -> None:
        """Kill a worker (timed out, died, or of an old build); the pool forks a replacement."""
        with self.cond:
            self.busy.pop(worker.pid, None)
            if worker.long:
                worker.long = False
                self.long_running -= 1
                self._slot_cv.notify()
            if worker.build is self.active:
                self.alive -= 1
            self.maint.notify()
        worker.kill()

    def checkout(self, build: ServedBuild, deadline: float, long_key: int) -> WorkerProcess | None:
        """An idle worker of ``build``, waiting for one (and for a long slot, for a query known
        to run long) until ``deadline``; ``None`` when another build became active meanwhile."""
        known_long = long_key in self.long_keys
        with self.cond:
            while True:
                if self.closed:
                    raise DatasetError("the server is shutting down")
                if self.active is not build:
                    return None  # a new build was published meanwhile: wait for it
                can_start = not known_long or self.long_running < self.long_slots
                while can_start and self.idle:
                    worker = self.idle.pop()
                    if worker.build is not build or worker.dead_while_idle():
                        self._retire_unlocked(worker)
                        continue
                    self.busy[worker.pid] = worker
                    if known_long:
                        worker.long = True
                        self.long_running += 1
                        worker.lower_priority()
                    return worker
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise self._all_busy(known_long)
                if self.alive + self.forking < self.size:
                    self.maint.notify()  # the pool is short: fork now
                waiting_on = self._slot_cv if not can_start else self._idle_cv
                waiting_on.wait(min(remaining, 0.5))

    def _all_busy(self, known_long: bool) -> QueryTimeout:
        if known_long and self.long_running >= self.long_slots:
            return QueryTimeout(
                f"all {self.long_slots} slots for long queries stayed busy until "
                "the time limit (this query ran long before)",
                hint="try again later, or ask a cheaper query",
            )
        return QueryTimeout(
            f"all {self.size} query workers stayed busy until the time limit",
            hint="try again later, or ask a cheaper query",
        )

    def _retire_unlocked(self, worker: WorkerProcess) -> None:
        """Call with the lock held (once): :meth:`retire`, with the lock let go meanwhile."""
        self.cond.release()
        try:
            self.retire(worker)
        finally:
            self.cond.acquire()

    def try_checkout(self, build: ServedBuild, long_key: int) -> WorkerProcess | None:
        """An idle worker of ``build`` for a query not known to run long, without waiting."""
        if long_key in self.long_keys:
            return None
        with self.cond:
            while not self.closed and self.active is build and self.idle:
                worker = self.idle.pop()
                if worker.build is build and not worker.dead_while_idle():
                    self.busy[worker.pid] = worker
                    return worker
                self._retire_unlocked(worker)
        return None

    def checkin(self, worker: WorkerProcess) -> None:
        """A worker is done with its query: idle again, or stopped when it is stale."""
        with self.cond:
            self.busy.pop(worker.pid, None)
            if worker.long:
                worker.long = False
                self.long_running -= 1
                self._slot_cv.notify()
            if self.closed or worker.build is not self.active or worker.reniced:
                stale = True
                if worker.build is self.active:
                    self.alive -= 1
                self.maint.notify()
            else:
                stale = False
                self.idle.append(worker)
                self._worker_available()
        if stale:
            worker.kill()

    def remember_long(self, key: int, is_long: bool) -> None:
        with self.cond:
            if is_long:
                self.long_keys[key] = None
                self.long_keys.move_to_end(key)
                while len(self.long_keys) > LONG_KEYS_KEPT:
                    self.long_keys.popitem(last=False)
            else:
                self.long_keys.pop(key, None)

    def await_answer(
        self,
        worker: WorkerProcess,
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
                self.retire(worker)
                self.remember_long(long_key, True)
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
            if used > self.long_query_cpu_s:
                self._turned_long(worker, long_key)

    def _turned_long(self, worker: WorkerProcess, long_key: int) -> None:
        """The query passed ``long_query_cpu_s``: give it a long slot (at a lower priority),
        or stop it when every long slot is taken."""
        self.remember_long(long_key, True)
        with self.cond:
            if self.long_running < self.long_slots:
                self.long_running += 1
                worker.long = True
                worker.lower_priority()
                return
        self.retire(worker)
        raise QueryBusy(
            f"the query ran longer than {self.long_query_cpu_s:g} s of CPU while the "
            f"server was already running {self.long_slots} long queries, and was stopped",
            hint="try again later, add LIMIT or narrow the patterns",
        )

"""The server's handles on the query processes: a served build's zygote, and its workers.

WHY handles: the pool (:mod:`rcm_graph.query.local.pool`) and the build watcher
(:mod:`rcm_graph.query.local.builds`) only ever ask a process to fork, answer, slow down or
die; the pipes, pidfds and ``/proc`` reads that do it are kept here.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import multiprocessing.reduction
import os
import select
import signal
import threading
import time
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Literal

from rcm_graph.errors import DatasetError
from rcm_graph.query.local.worker import StoreMode
from rcm_graph.store.dataset import Dataset

# A worker that does not report ready within this time is considered broken.
WORKER_START_TIMEOUT_S = 300.0
# Long queries run at this lower CPU priority, so short queries and the server come first.
LONG_QUERY_NICE = 10
# Backoff between attempts to bring up a build that failed (checksum, load, zygote death).
RETRY_FIRST_S = 2.0
RETRY_MAX_S = 120.0

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class WorkerProcess:
    """One forked worker: its pid, its pipe, the build it holds, whether it holds a long slot."""

    def __init__(self, pid: int, conn: multiprocessing.connection.Connection, build: ServedBuild):
        self.pid = pid
        self.conn = conn
        self.build = build
        self.long = False  # counted in WorkerPool.long_running
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


class ServedBuild:
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

    def fail(self, error: DatasetError) -> float:
        """Mark the build failed with ``error``; it is brought up again after the returned
        backoff (seconds), which doubles with each failure in a row."""
        self.failures += 1
        self.error = error
        self.state = "failed"
        backoff = float(min(RETRY_MAX_S, RETRY_FIRST_S * 2 ** (self.failures - 1)))
        self.retry_at = time.monotonic() + backoff
        return backoff

    def fork_worker(self) -> WorkerProcess:
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
        return WorkerProcess(int(pid), parent, self)

    def stop_zygote(self) -> None:
        if self.ctrl is not None:
            with contextlib.suppress(Exception):
                self.ctrl.close()
        if self.zygote is not None and self.zygote.is_alive():
            self.zygote.kill()
        if self.zygote is not None:
            self.zygote.join(timeout=5)
        self.stopped.set()

"""Following the published build: bringing up its query workers and retiring the old ones.

A new build is verified (manifest checksums, once, in a thread) while its zygote loads; its
workers come up BEFORE the previous build's are retired, and from the moment ``current``
points to it no query is answered from the previous build (queries wait for it instead). A
build that cannot be verified or loaded is retried with exponential backoff, never in a loop.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from rcm_graph.errors import DatasetError
from rcm_graph.query.local.pool import WorkerPool
from rcm_graph.query.local.processes import WORKER_START_TIMEOUT_S, ServedBuild, WorkerProcess
from rcm_graph.query.local.worker import StoreMode, zygote_main
from rcm_graph.store.dataset import Dataset, current_build_dir, load_dataset, verify_checksums

log = logging.getLogger("rcm_graph.query.local")

# With ``auto``: a build whose N-Quads dump is larger than this is queried from disk. WHY: the
# in-memory copy costs several times the dump's size in every query process's address space
# (each is capped by ``memory_limit_mb``) and minutes to load; at 1,000 synthetic documents the
# dump is 60 MiB, at 10,000 about 600 MiB.
AUTO_DISK_NQUADS_BYTES = 256 * 1024 * 1024


class BuildWatcher:
    """The builds ``current`` has pointed to, as the pool serves them (under the pool's lock).

    ``on_switch`` is called, with the lock held, when a new build becomes the active one.
    """

    def __init__(
        self,
        data_dir: Path,
        pool: WorkerPool,
        *,
        mode: StoreMode,
        memory_limit_mb: int | None,
        service_allowlist: Sequence[str],
        on_switch: Callable[[], None],
    ) -> None:
        self.data_dir = data_dir
        self.mode = mode
        self.memory_limit_mb = memory_limit_mb
        self.service_allowlist = tuple(service_allowlist)
        self._pool = pool
        self._on_switch = on_switch
        self._ctx = multiprocessing.get_context("spawn")
        self.builds: dict[Path, ServedBuild] = {}
        self._no_dataset: DatasetError | None = None
        self._wanted_dir: Path | None = None
        self._link_path = str(data_dir / "current")
        self._link_seen: tuple[str | None, Path | None] = (None, None)

    def current_dir(self) -> Path | None:
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

    def answer_token(self) -> str | None:
        """The link text of ``current`` while the build it names is the one being served,
        else ``None`` (see :meth:`rcm_graph.query.local.backend.LocalBackend.answer_token`)."""
        current = self.current_dir()
        active = self._pool.active
        if active is None or active.state != "ready" or active.build_dir != current:
            return None
        return self._link_seen[0]

    def wanted(self) -> ServedBuild | None:
        """The build ``current`` points to; starts bringing it up when it is new."""
        current = self.current_dir()
        pool = self._pool
        with pool.cond:
            if current is None:
                self._no_dataset = DatasetError(
                    "no dataset has been built yet",
                    where=str(self.data_dir / "current"),
                    hint=f"build it with `rcm-graph build --data-dir {self.data_dir}`",
                )
                return None
            self._no_dataset = None
            build = self.builds.get(current)
            if build is None:
                build = ServedBuild(current)
                self.builds[current] = build
                self._start_bring_up(build)
            elif build.state == "failed" and not pool.closed and time.monotonic() >= build.retry_at:
                build.state = "loading"
                self._start_bring_up(build)
            if current != self._wanted_dir:
                self._wanted_dir = current
                pool.notify_everyone()
            return build

    def wait_ready(self, deadline: float) -> ServedBuild:
        """The current build once it is ready; raises why not (503) at the deadline."""
        pool = self._pool
        while True:
            build = self.wanted()
            with pool.cond:
                if pool.closed:
                    raise DatasetError("the server is shutting down")
                if build is None:
                    assert self._no_dataset is not None
                    raise self._no_dataset
                if build.state == "ready" and build is pool.active:
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
                pool.cond.wait(min(remaining, 0.5))

    def ready_now(self) -> ServedBuild | None:
        """The current build if queries can go to it right now (no waiting), else ``None``."""
        build = self.wanted()
        pool = self._pool
        with pool.cond:
            if pool.closed or build is None or build.state != "ready" or build is not pool.active:
                return None
            return build

    def _start_bring_up(self, build: ServedBuild) -> None:
        threading.Thread(
            target=self._bring_up, args=(build,), name="rcm-build-up", daemon=True
        ).start()

    def _bring_up(self, build: ServedBuild) -> None:
        """Verify a build (checksums, once) while its zygote loads it; then switch to it."""
        try:
            dataset = load_dataset(self.data_dir, verify=False)
            if dataset.build_dir != build.build_dir:
                raise DatasetError("the build changed while it was being brought up")
            stopped = self._start_zygote(build, dataset)
            workers = [build.fork_worker() for _ in range(self._pool.size)]
        except Exception as exc:  # never leave a build "loading" forever: fail, retry later
            self._failed(build, exc)
            return
        self._activate(build, workers)
        # WHY wait: the zygote's parent-death signal is tied to the thread that started it
        # (Linux sends it when that *thread* ends); this one ends with the zygote.
        stopped.wait()

    def _start_zygote(self, build: ServedBuild, dataset: Dataset) -> threading.Event:
        """Start the build's zygote, verify the checksums while it loads, and wait until it is
        ready; return the event set once the zygote is stopped."""
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
            target=zygote_main,
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
        self._await_zygote(parent, path)
        build.dataset = dataset
        return stopped

    def _await_zygote(self, parent: multiprocessing.connection.Connection, path: Path) -> None:
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

    def _failed(self, build: ServedBuild, exc: Exception) -> None:
        """The build could not be brought up: stop its zygote, try again after a backoff."""
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
        with self._pool.cond:
            backoff = build.fail(error)
            self._pool.notify_everyone()
        log.error("cannot serve the dataset: %s (next try in %g s)", error.one_line(), backoff)

    def _activate(self, build: ServedBuild, workers: list[WorkerProcess]) -> None:
        """Make ``build`` the one queries go to; retire the previous build's workers."""
        pool = self._pool
        with pool.cond:
            stale = pool.closed or self.current_dir() != build.build_dir
            if not stale:
                previous, old_idle = pool.switch_to(build, workers)
                build.state = "ready"
                build.error = None
                build.failures = 0
                retired = [
                    b for b in self.builds.values() if b is not build and b.state != "loading"
                ]
                for old in retired:
                    old.state = "retired"
                    del self.builds[old.build_dir]
                self._on_switch()
                pool.notify_everyone()
        if stale:
            for worker in workers:
                worker.kill()
            build.stop_zygote()
            with pool.cond:
                self.builds.pop(build.build_dir, None)
                pool.notify_everyone()
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

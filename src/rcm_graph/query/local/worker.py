"""What runs in the query processes: the zygote that loads a build, and the workers it forks.

WHY a zygote per build: one process loads the build's dataset into an in-memory store (2-10x
faster joins than the on-disk store) and then only forks workers. A forked worker shares the
loaded store copy-on-write, so a worker killed at its time limit is replaced in milliseconds
without re-reading the dump, and N workers cost about one copy of the dataset, not N.
``mode="disk"`` makes every worker open the build's RocksDB store read-only instead.

This module is the spawned zygote's entry point (:func:`zygote_main`): it imports only what the
query processes need, never the server's side of the pool.
"""

from __future__ import annotations

import contextlib
import gc
import gzip
import multiprocessing
import multiprocessing.connection
import multiprocessing.reduction
import os
import resource
import signal
import time
import traceback
from pathlib import Path
from typing import Literal

import pyoxigraph

import rcm_graph.sandbox.netguard as netguard
from rcm_graph.query.local.execute import Job, execute
from rcm_graph.sandbox.parent_death import die_with_parent

StoreMode = Literal["memory", "disk", "auto"]


def load_store(mode: StoreMode, path: str) -> pyoxigraph.Store:
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


def serve_jobs(conn: multiprocessing.connection.Connection, store: pyoxigraph.Store) -> None:
    """Answer jobs from ``conn`` until it closes (runs in a forked worker)."""
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            body, meta = execute(store, Job(*job))
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


def zygote_main(
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
    # Ctrl-C in a terminal reaches the whole process group: the server stops the zygote and its
    # workers itself, and a KeyboardInterrupt here only printed a traceback under its shutdown
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    netguard.guard_evaluation(service_allowlist)
    try:
        store = load_store(mode, path) if mode == "memory" else None
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
                _run_worker(ctrl, fd, zygote_pid, store, path, memory_limit_mb)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(fd)
        ctrl.send(pid)


def _run_worker(
    ctrl: multiprocessing.connection.Connection,
    fd: int,
    zygote_pid: int,
    store: pyoxigraph.Store | None,
    path: str,
    memory_limit_mb: int | None,
) -> None:
    """The forked worker: die with the zygote, cap its memory, answer jobs on ``fd``."""
    die_with_parent(zygote_pid)
    ctrl.close()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    if memory_limit_mb:
        # Headroom for one query on top of what the loaded dataset already maps.
        limit = _address_space_bytes() + memory_limit_mb * 1024 * 1024
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    worker_store = store if store is not None else pyoxigraph.Store.read_only(path)
    serve_jobs(multiprocessing.connection.Connection(fd), worker_store)

"""Faults, end to end with the real CLI and server: a build killed with SIGKILL while the server
runs, a full and a read-only data directory, a corrupted dataset, a restart under load.

What must hold everywhere: the dataset behind ``current`` is never damaged and keeps being
served; a failing command prints one clear line (no traceback) and exits 2; a damaged dataset
is detected when the server or CLI starts, with the command that rebuilds it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from load_client import run_load
from reliability_support import Server, cli, cli_env, descendants, need

import rcm_graph.web.server as web_server

COUNT_PER_GRAPH = (
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
)


def graph_counts(server: Server) -> list[tuple[str, str]]:
    """The dataset's fingerprint as the server sees it: triples per named graph."""
    response = httpx.post(
        server.base_url + "/sparql",
        content=COUNT_PER_GRAPH.encode(),
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json",
        },
        timeout=60,
    )
    assert response.status_code == 200, response.text[:500]
    rows = response.json()["results"]["bindings"]
    return [(r["g"]["value"], r["n"]["value"]) for r in rows]


def current_target(data_dir: Path) -> str:
    return str((data_dir / "current").readlink())


def build_dirs(data_dir: Path) -> set[str]:
    builds = data_dir / "builds"
    return {p.name for p in builds.iterdir()} if builds.is_dir() else set()


def assert_one_line_error(done: subprocess.CompletedProcess[str], *, code: int = 2) -> str:
    """Exit ``code``, a single ``rcm-graph: error:`` line, and no traceback on stderr."""
    assert done.returncode == code, (done.returncode, done.stderr[-3000:])
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    errors = [line for line in done.stderr.splitlines() if line.startswith("rcm-graph: error:")]
    assert len(errors) == 1, done.stderr[-3000:]
    return errors[0]


def assert_dataset_intact(data_dir: Path, target: str) -> None:
    from rcm_graph.store.dataset import load_dataset

    assert current_target(data_dir) == target
    load_dataset(data_dir, verify=True)  # every file against its checksum, the store opens


# -- SIGKILL during a build ------------------------------------------------------------------


def _kill_when(
    proc: subprocess.Popen[bytes], ready: Callable[[], bool], delay: float, limit: float
) -> str:
    """SIGKILL the build's process group ``delay`` s after ``ready()``; say what happened."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        if ready():
            time.sleep(delay)
            break
        time.sleep(0.01)
    if proc.poll() is not None:
        return f"finished ({proc.returncode}) before the kill"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(30)
    return "killed"


class Poller:
    """Queries the server in a loop from a thread; records every status and transport error."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.outcomes: list[int | str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                response = httpx.get(
                    self.server.base_url + "/sparql",
                    params={"query": "ASK { ?s ?p ?o }"},
                    headers={"Accept": "application/sparql-results+json"},
                    timeout=30,
                )
                ok = response.status_code == 200 and response.json()["boolean"] is True
                self.outcomes.append(200 if ok else response.status_code)
            except httpx.HTTPError as exc:
                self.outcomes.append(type(exc).__name__)
            time.sleep(0.05)

    def __enter__(self) -> Poller:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(60)


@pytest.mark.slow
def test_sigkill_during_rebuild_leaves_the_served_dataset_intact(
    data_dir_copy: Path, session_corpus: Path
) -> None:
    need(web_server, "run_server")
    data_dir = data_dir_copy
    target = current_target(data_dir)
    before_dirs = build_dirs(data_dir)
    rng = random.Random(7)
    server = Server(data_dir=data_dir, env={"RCM_GRAPH_QUERY_TIMEOUT_S": "30"}).start()
    try:
        expected = graph_counts(server)
        assert expected, "the served dataset has no named graphs"

        def new_dir(name: str | None = None) -> Callable[[], bool]:
            def ready() -> bool:
                fresh = build_dirs(data_dir) - before_dirs
                return any(name is None or (data_dir / "builds" / d / name).exists() for d in fresh)

            return ready

        points: list[tuple[str, Callable[[], bool], float]] = [
            ("early", lambda: True, rng.uniform(0.2, 1.0)),
            ("build dir created", new_dir(), 0.0),
            ("store being written", new_dir("store"), rng.uniform(0.0, 0.3)),
            ("dumps being written", new_dir("dataset.nq.gz"), rng.uniform(0.0, 0.2)),
        ]
        outcomes = []
        with Poller(server) as poller:
            for label, ready, delay in points:
                proc = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "rcm_graph",
                        "build",
                        "--data-dir",
                        str(data_dir),
                        "--corpus",
                        str(session_corpus),
                        "--allow-invalid",
                    ],
                    env=cli_env(),
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
                outcomes.append((label, _kill_when(proc, ready, delay, limit=240)))
                assert current_target(data_dir) == target, f"current moved after kill {label}"
                assert_dataset_intact(data_dir, target)
                assert graph_counts(server) == expected, f"served data changed after {label}"
        assert any(what == "killed" for _, what in outcomes), outcomes
        assert set(poller.outcomes) == {200}, f"during the kills: {set(poller.outcomes)}"
        # The next build after the kills succeeds, publishes, and sweeps the debris away.
        done = cli(
            "build", "--data-dir", str(data_dir), "--corpus", str(session_corpus), "--allow-invalid"
        )
        assert done.returncode in {0, 1}, done.stderr[-3000:]
        if current_target(data_dir) != target:
            assert len(build_dirs(data_dir)) <= 2, build_dirs(data_dir)
        # Same corpus, same named graphs (counts may differ if the extractor changed meanwhile).
        assert [g for g, _ in graph_counts(server)] == [g for g, _ in expected]
    finally:
        server.stop()


# -- full and read-only data directories -----------------------------------------------------


def _can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


@contextlib.contextmanager
def tmpfs(path: Path, size_kib: int) -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def _dir_kib(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*")) // 1024 + 1


def _failed_build_left_nothing(data_dir: Path, before: set[str]) -> None:
    from rcm_graph.store.dataset import MANIFEST

    leftovers = [
        d
        for d in build_dirs(data_dir) - before
        if not (data_dir / "builds" / d / MANIFEST).exists()
    ]
    assert leftovers == [], f"half-written build directories left behind: {leftovers}"
    assert not list(data_dir.glob("current.tmp-*"))


@pytest.mark.slow
def test_full_data_directory_fails_cleanly(
    built_data_dir: Path, session_corpus: Path, tmp_path: Path
) -> None:
    """A data directory with little space left: exit 2, one line, current untouched."""
    if _can_mount():
        # Room for the existing dataset and 512 KiB more: the new build cannot fit.
        size = _dir_kib(built_data_dir) + 512
        with tmpfs(tmp_path / "mnt", size) as mnt:
            data_dir = mnt / "data"
            shutil.copytree(built_data_dir, data_dir, symlinks=True)
            target, before = current_target(data_dir), build_dirs(data_dir)
            done = cli(
                "build",
                "--data-dir",
                str(data_dir),
                "--corpus",
                str(session_corpus),
                "--allow-invalid",
            )
            line = assert_one_line_error(done)
            assert "space" in line.lower() or "full" in line.lower() or "write" in line.lower()
            assert_dataset_intact(data_dir, target)
            _failed_build_left_nothing(data_dir, before)
    else:
        data_dir = tmp_path / "data"
        shutil.copytree(built_data_dir, data_dir, symlinks=True)
        target, before = current_target(data_dir), build_dirs(data_dir)

        def limit_file_size() -> None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() then fails with EFBIG
            resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

        done = cli(
            "build",
            "--data-dir",
            str(data_dir),
            "--corpus",
            str(session_corpus),
            "--allow-invalid",
            preexec_fn=limit_file_size,
        )
        assert_one_line_error(done)
        assert_dataset_intact(data_dir, target)
        _failed_build_left_nothing(data_dir, before)


@pytest.mark.slow
def test_read_only_data_directory_fails_cleanly_and_still_serves(
    built_data_dir: Path, session_corpus: Path, tmp_path: Path
) -> None:
    if not _can_mount():
        pytest.skip("needs root to mount a read-only file system (chmod does not stop root)")
    with tmpfs(tmp_path / "mnt", _dir_kib(built_data_dir) * 2 + 1024) as mnt:
        data_dir = mnt / "data"
        shutil.copytree(built_data_dir, data_dir, symlinks=True)
        target = current_target(data_dir)
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        done = cli(
            "build", "--data-dir", str(data_dir), "--corpus", str(session_corpus), "--allow-invalid"
        )
        line = assert_one_line_error(done)
        assert str(data_dir) in line or "data" in line.lower(), line
        assert current_target(data_dir) == target
        # A read-only data directory is a fine thing to serve from.
        need(web_server, "run_server")
        server = Server(data_dir=data_dir, log_path=tmp_path / "ro-server.log").start()
        try:
            assert graph_counts(server)
        finally:
            server.stop()


# -- a corrupted dataset ---------------------------------------------------------------------


def _truncate(path: Path, keep: float = 0.5) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def _garble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(3)
    for _ in range(max(1, len(data) // 50)):
        data[rng.randrange(len(data))] ^= 0xFF
    path.write_bytes(bytes(data))


def _store_files(build: Path) -> list[Path]:
    return sorted(p for p in (build / "store").iterdir() if p.is_file() and p.stat().st_size)


CORRUPTIONS: dict[str, Callable[[Path], None]] = {
    "manifest-garbled": lambda b: (b / "manifest.json").write_text("{not json", encoding="utf-8"),
    "manifest-missing": lambda b: (b / "manifest.json").unlink(),
    "nquads-truncated": lambda b: _truncate(b / "dataset.nq.gz"),
    "nquads-garbled": lambda b: _garble(b / "dataset.nq.gz"),
    "store-removed": lambda b: shutil.rmtree(b / "store"),
    "store-files-emptied": lambda b: [p.write_bytes(b"") for p in _store_files(b)] and None,
    "store-files-garbled": lambda b: [_garble(p) for p in _store_files(b)] and None,
    "current-dangling": lambda b: shutil.rmtree(b),
}


@pytest.mark.slow
@pytest.mark.parametrize("damage", sorted(CORRUPTIONS))
def test_a_corrupted_dataset_is_detected_at_start_with_the_rebuild_command(
    data_dir_copy: Path, damage: str
) -> None:
    data_dir = data_dir_copy
    CORRUPTIONS[damage]((data_dir / current_target(data_dir)).resolve())

    # The CLI: one line naming the problem and the command that rebuilds.
    done = cli("query", "--data-dir", str(data_dir), "ASK { ?s ?p ?o }")
    line = assert_one_line_error(done, code=done.returncode if done.returncode == 1 else 2)
    assert "rcm-graph build" in line, line

    # The server: refuses to start (exit 2, same line), or starts and says so in its log
    # right away and answers 503 with the rebuild hint, never a 500 or wrong data.
    need(web_server, "run_server")
    server = Server(data_dir=data_dir, env={"RCM_GRAPH_QUERY_TIMEOUT_S": "2"})
    server.start(wait=False)
    try:
        assert server.proc is not None
        deadline = time.monotonic() + 60
        status, response = None, None
        while time.monotonic() < deadline and server.proc.poll() is None:
            with contextlib.suppress(httpx.HTTPError):
                response = httpx.get(
                    server.base_url + "/sparql",
                    params={"query": "ASK { ?s ?p ?o }"},
                    timeout=30,
                )
                status = response.status_code
                break
            time.sleep(0.2)
        log = server.log()
        assert "Traceback" not in log, log[-3000:]
        assert "rcm-graph build" in log, f"no rebuild command in the server log:\n{log[-3000:]}"
        if server.proc.poll() is not None:
            assert server.proc.returncode == 2, log[-2000:]
        else:
            assert response is not None, "the server neither answered nor exited"
            assert status == 503, (status, response.text[:500])
            assert "rcm-graph build" in response.text
    finally:
        server.stop()


@pytest.mark.slow
def test_a_garbled_dump_of_unchanged_size_is_detected_once_and_retried_with_backoff(
    data_dir_copy: Path,
) -> None:
    """Bytes flipped in ``dataset.nq.gz`` (same size, so only the checksum can tell): the
    server says so in ONE log line naming the file and the rebuild command, ``/health`` and
    queries answer 503 with that hint, and the build is retried with backoff, not in a loop
    (no query worker is ever started on it)."""
    need(web_server, "run_server")
    data_dir = data_dir_copy
    dump = (data_dir / current_target(data_dir)).resolve() / "dataset.nq.gz"
    size = dump.stat().st_size
    _garble(dump)
    assert dump.stat().st_size == size
    server = Server(data_dir=data_dir, env={"RCM_GRAPH_QUERY_TIMEOUT_S": "2"})
    server.start(wait=False)
    try:
        assert server.proc is not None
        deadline = time.monotonic() + 60
        health = None
        while time.monotonic() < deadline and health is None:
            with contextlib.suppress(httpx.HTTPError):
                health = httpx.get(server.base_url + "/health", timeout=30)
            time.sleep(0.2)
        assert health is not None, server.log()[-3000:]
        assert health.status_code == 503, health.text[:500]
        error = health.json()["error"]
        assert "dataset.nq.gz" in error["detail"] and "SHA-256" in error["detail"], error
        assert "rcm-graph build" in str(error["hint"])
        query = httpx.get(
            server.base_url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30
        )
        assert query.status_code == 503 and "rcm-graph build" in query.text
        started = time.monotonic()
        time.sleep(5.0)
        log = server.log()
        reports = [line for line in log.splitlines() if "cannot serve the dataset" in line]
        assert reports, log[-3000:]
        first = reports[0]
        assert "dataset.nq.gz" in first and "rcm-graph build" in first, first
        # Backoff: attempts at 0, 2, 6, 14 ... s; never one per query or per worker.
        elapsed = time.monotonic() - started + 2
        assert len(reports) <= 2 + elapsed / 2, reports
        assert "Traceback" not in log
        # No query worker was started on the garbled dump.
        assert len(descendants(server.proc.pid)) <= 2, descendants(server.proc.pid)
    finally:
        server.stop()


# -- restart under load ----------------------------------------------------------------------


@pytest.mark.slow
def test_server_restart_under_load(built_data_dir: Path) -> None:
    need(web_server, "run_server")
    server = Server(data_dir=built_data_dir).start()
    marks: dict[str, float] = {}

    def restart() -> None:
        time.sleep(3)
        marks["stop"] = time.monotonic()
        server.stop()
        server.start(wait=True)
        marks["ready"] = time.monotonic()

    try:
        restarter = threading.Thread(target=restart)
        t0 = time.monotonic()
        restarter.start()
        report = asyncio.run(
            run_load(
                server.base_url,
                clients=16,
                duration_s=12 + 0.0,
                weights={"cheap": 1.0},
                request_timeout_s=30,
                record_timeline=True,
            )
        )
        restarter.join(120)
        assert "ready" in marks, "the server did not come back"
        stop, ready = marks["stop"] - t0, marks["ready"] - t0
        bad_outside = [
            (round(at, 2), what)
            for at, _, what in report.timeline
            if what != 200 and not (stop - 1.0 <= at <= ready + 1.0)
        ]
        assert bad_outside == [], f"failures outside the restart window {stop:.1f}-{ready:.1f}"
        during = {what for at, _, what in report.timeline if stop - 1.0 <= at <= ready + 1.0}
        transport = {"ConnectError", "RemoteProtocolError", "ReadError", "WriteError"}
        assert during <= {200, 503} | transport | {"ConnectTimeout", "PoolTimeout"}, during
        after = [what for at, _, what in report.timeline if at > ready + 1.0]
        assert after and set(after) == {200}, "no successful requests after the restart"
    finally:
        server.stop()

"""Run the real ``rcm-graph`` server and builds as child processes, for the reliability tests.

WHY subprocesses and not an in-process app: the faults under test (SIGKILL, a full or read-only
disk, a restart under load, memory growth) only show in a real process tree, and the security
tests must see exactly the bytes uvicorn sends. Everything binds to 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import httpx
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS = REPO_ROOT / "corpus"
QUERIES = REPO_ROOT / "queries"
LOOPBACK = "127.0.0.1"
READY_TIMEOUT_S = 60.0


def examples(default: int) -> int:
    """How many hypothesis examples a fuzz test runs (``RCM_RELIABILITY_EXAMPLES`` raises it)."""
    return int(os.environ.get("RCM_RELIABILITY_EXAMPLES", default))


def need(module: ModuleType, attribute: str) -> None:
    """Fail, naming the missing part, when a part under test is gone or renamed.

    WHY a failure and not a skip: these tests drive the real server and CLI in child
    processes, so a renamed entry point would otherwise show up as a confusing child error, or
    (as a skip) let the suite go green with the feature gone. The module is passed already
    imported, so the import itself is a static edge the architecture test sees.
    """
    if not callable(getattr(module, attribute, None)):
        pytest.fail(f"{module.__name__}.{attribute} is missing: the tests below exercise it")


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def cli_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a child ``rcm-graph``: ours minus any RCM_GRAPH_* leaking in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RCM_GRAPH_")}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra or {})
    return env


def cli(
    *args: str,
    env: Mapping[str, str] | None = None,
    timeout: float = 300.0,
    preexec_fn: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m rcm_graph ARGS`` to completion and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "rcm_graph", *args],
        env=cli_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=preexec_fn,
        check=False,
    )


def build_dataset(data_dir: Path, corpus: Path | None = None, *extra: str) -> None:
    """Build a dataset with the real pipeline; fail the test with the CLI's stderr if it fails."""
    args = ["build", "--data-dir", str(data_dir), "--allow-invalid", *extra]
    if corpus is not None:
        args += ["--corpus", str(corpus)]
    done = cli(*args)
    if done.returncode != 0:
        raise AssertionError(f"build failed ({done.returncode}):\n{done.stderr[-4000:]}")


def rss_kib(pid: int) -> int:
    """Resident memory (VmRSS, KiB) of one process; 0 if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return 0
    return 0


def descendants(pid: int) -> list[int]:
    """The process and all its descendants, from /proc/<pid>/task/*/children."""
    found = [pid]
    index = 0
    while index < len(found):
        current = found[index]
        index += 1
        for task in Path(f"/proc/{current}/task").glob("*"):
            with contextlib.suppress(OSError):
                found.extend(int(c) for c in (task / "children").read_text().split())
    return found


@dataclass
class Server:
    """One ``rcm-graph serve`` process on 127.0.0.1."""

    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self, *, wait: bool = True) -> Server:
        log_path = self.log_path or self.data_dir.parent / f"server-{self.port}.log"
        self.log_path = log_path
        log = log_path.open("ab")
        # RCM_RELIABILITY_LAUNCHER: a script that takes the CLI's arguments, to run these tests
        # against another entry point (e.g. an installed wheel's wrapper).
        launcher = os.environ.get("RCM_RELIABILITY_LAUNCHER")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                *([launcher] if launcher else ["-m", "rcm_graph"]),
                "serve",
                "--no-build",
                "--data-dir",
                str(self.data_dir),
                "--host",
                LOOPBACK,
                "--port",
                str(self.port),
            ],
            env=cli_env(self.env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        if wait:
            self.wait_ready()
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def wait_ready(self, timeout: float = READY_TIMEOUT_S) -> None:
        """Poll /health until it answers 200, or fail with the server's log."""
        deadline = time.monotonic() + timeout
        assert self.proc is not None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"server exited with {self.proc.returncode}:\n{self.log()[-4000:]}"
                )
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.base_url + "/health", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise AssertionError(f"server not ready after {timeout} s:\n{self.log()[-4000:]}")

    def rss_kib(self) -> int:
        """Resident memory of the server and every worker process it started."""
        assert self.proc is not None
        return sum(rss_kib(pid) for pid in descendants(self.proc.pid))

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20.0) -> int | None:
        """Stop the server (and its process group); kill it if it does not exit in time."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        # Workers of a killed server may outlive it in its group: end them too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        return self.proc.returncode


@contextlib.contextmanager
def running_server(data_dir: Path, env: Mapping[str, str] | None = None) -> Iterator[Server]:
    server = Server(data_dir=data_dir, env=dict(env or {}))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def raw_request(port: int, request: bytes, timeout: float = 30.0) -> bytes:
    """Send raw bytes to the server and return what comes back until it closes or times out.

    For requests httpx refuses to build (over-long URLs, malformed request lines)."""
    chunks = []
    with socket.create_connection((LOOPBACK, port), timeout=timeout) as sock:
        with contextlib.suppress(OSError):
            sock.sendall(request)
        with contextlib.suppress(OSError):
            while data := sock.recv(65536):
                chunks.append(data)
                if (
                    b"\r\n\r\n" in b"".join(chunks)
                    and b"connection: close" not in b"".join(chunks).lower()
                ):
                    break
    return b"".join(chunks)


def raw_status(response: bytes) -> int | None:
    """The status code of a raw HTTP response, or None when the server only closed."""
    if not response.startswith(b"HTTP/"):
        return None
    return int(response.split(b" ", 2)[1])


ERROR_KEYS = {"status", "title", "detail", "where", "hint"}


def assert_error_shape(response: httpx.Response, status: int | None = None) -> dict[str, object]:
    """The one JSON error body of every route: ``{"error": {status, title, detail, ...}}``."""
    assert response.headers.get("content-type", "").startswith("application/json"), (
        response.status_code,
        response.headers.get("content-type"),
        response.text[:300],
    )
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == ERROR_KEYS, error
    assert error["status"] == response.status_code
    if status is not None:
        assert response.status_code == status, (response.status_code, error)
    assert isinstance(error["title"], str) and error["title"]
    assert isinstance(error["detail"], str) and error["detail"]
    return dict(error)


LEAK_MARKERS = (
    "Traceback",
    'File "',
    "site-packages",
    '.py", line',
    str(REPO_ROOT),
    sys.prefix,
)


def assert_no_leak(text: str) -> None:
    """No stack trace or server file path (checkout, virtualenv) in a body a client receives."""
    for marker in LEAK_MARKERS:
        assert marker not in text, f"{marker!r} leaked to the client: {text[:500]}"

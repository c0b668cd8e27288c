"""Start, wait for, measure and stop the HTTP servers under test, each in its own process.

Every server binds 127.0.0.1 on a free port; ``Server.stop`` ends only the process it started
(and that process's own children, by process group).
"""

from __future__ import annotations

import gzip
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            found.extend(int(c) for c in text)
    except OSError:
        return found
    return found + [g for c in found for g in _children(c)]


def _status_kib(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_peak_rss_mib(pid: int) -> float:
    """Sum over the process and its descendants of each one's peak RSS (VmHWM), in MiB."""
    return sum(_status_kib(p, "VmHWM") for p in [pid, *_children(pid)]) / 1024


def tree_cpu_s(pid: int) -> float:
    """User + system CPU seconds used so far by the process and its live descendants.

    WHY: on a shared, noisy machine wall-clock latency mixes our cost with the neighbours';
    CPU time spent *by the server* per request is what a layer really costs.
    """
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def tree_rss_mib(pid: int) -> float:
    return sum(_status_kib(p, "VmRSS") for p in [pid, *_children(pid)]) / 1024


@dataclass
class Server:
    name: str
    argv: list[str]
    port: int
    path: str  # the query path (or the no-op path for the floor)
    env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    def start(self, log_dir: Path, timeout_s: float = 120.0) -> None:
        log_dir.mkdir(parents=True, exist_ok=True)
        self.log = log_dir / f"{self.name}.log"
        with self.log.open("wb") as fh:
            self.proc = subprocess.Popen(
                self.argv,
                stdout=fh,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
                env={**os.environ, **self.env},
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited early; see {self.log}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not listen within {timeout_s} s; see {self.log}")

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def _bin(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise RuntimeError(f"`{name}` not found: pip install -e '.[bench]'")
    return found


def oxigraph_server() -> Server:
    """``oxigraph serve``, in memory (its fastest configuration).

    No ``--union-default-graph``: the dump carries the materialised default graph (the distinct
    union), exactly what our endpoint queries.
    """
    port = free_port()
    argv = [_bin("oxigraph"), "serve", "--bind", f"127.0.0.1:{port}"]
    return Server("oxigraph-serve-mem", argv, port, "/query")


def load_oxigraph(server: Server, nquads_gz: Path) -> None:
    """POST the dump to the server's Graph Store (one bulk request)."""
    body = gzip.decompress(nquads_gz.read_bytes())
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    conn.request("POST", "/store", body=body, headers={"Content-Type": "application/n-quads"})
    response = conn.getresponse()
    response.read()
    if response.status >= 300:
        raise RuntimeError(f"oxigraph serve refused the data: {response.status}")


def rdflib_endpoint_server(nquads_gz: Path, work: Path) -> Server | None:
    """rdflib-endpoint (its own venv under benchmarks/.cache), or None when not installed."""
    exe = CACHE / "venv-rdflib-endpoint" / "bin" / "rdflib-endpoint"
    if not exe.exists():
        return None
    plain = work / "dataset.nq"
    plain.write_bytes(gzip.decompress(nquads_gz.read_bytes()))
    port = free_port()
    argv = [str(exe), "serve", str(plain), "--host", "127.0.0.1", "--port", str(port)]
    return Server("rdflib-endpoint", argv, port, "/")


def floor_server() -> Server:
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "uvicorn",
        "benchmarks.floor_app:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    return Server("fastapi-floor", argv, port, "/noop")


def ours_server(
    data_dir: Path, *, workers: int | None = None, cache_mb: int | None = None
) -> Server:
    """Our endpoint exactly as users start it: ``rcm-graph serve --no-build``.

    ``cache_mb=0`` turns the result cache off (target ``rcm-graph-nocache``)."""
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "rcm_graph",
        "serve",
        "--no-build",
        "--data-dir",
        str(data_dir),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    env = {"RCM_GRAPH_QUERY_WORKERS": str(workers)} if workers else {}
    name = "rcm-graph" + (f"-w{workers}" if workers else "")
    if cache_mb is not None:
        env["RCM_GRAPH_QUERY_CACHE_MB"] = str(cache_mb)
        name += "-nocache" if cache_mb == 0 else f"-cache{cache_mb}"
    return Server(name, argv, port, "/sparql", env)

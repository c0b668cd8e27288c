"""The real server as a separate process, for the issue 17 tests that must watch or kill it:
its memory (entity expansion), its death by SIGKILL (orphan workers), its sockets (slow
clients). Imported by name (``from hardening_server import ...``), never as a conftest.

WHY not :class:`live_server.LiveServer`: it runs uvicorn in a thread of the test process, whose
memory and lifetime are the test runner's.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from live_server import LOOPBACK, free_port, publish_trig

TOKEN = "s2-hardening-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
EX = "https://w3id.org/rcm-graph/"

# 30 states with a label each, in a document graph: a few dozen triples, enough for a query
# that joins the dataset with itself five times to run for minutes.
TRIG = (
    f"@prefix rcm: <{EX}ontology#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    f"<{EX}graph/document/d> {{\n"
    + "".join(
        f'  <{EX}id/state/S{i}> a rcm:State ; rdfs:label "State {i}"@en .\n' for i in range(30)
    )
    + "}\n"
)


class ServerProcess:
    """``rcm-graph serve`` on a free loopback port, with the write token set."""

    def __init__(self, proc: subprocess.Popen[bytes], port: int) -> None:
        self.proc = proc
        self.port = port
        self.url = f"http://{LOOPBACK}:{port}"

    @property
    def pid(self) -> int:
        return self.proc.pid

    def status(self, field: str) -> int:
        """A ``kB`` field of ``/proc/<pid>/status`` (VmHWM, VmRSS...), in bytes."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
        raise KeyError(field)

    def descendants(self) -> set[int]:
        """Every live process below the server (its zygote and the zygote's workers)."""
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
        found: set[int] = set()
        todo = [self.pid]
        while todo:
            for child in children.get(todo.pop(), []):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie has finished: it only waits to be reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


@contextmanager
def serve(
    data_dir: Path,
    *,
    env: dict[str, str] | None = None,
    address_space_bytes: int | None = None,
) -> Iterator[ServerProcess]:
    """A server on a published dataset (``TRIG`` unless ``data_dir`` has one already), killed
    with its process group at the end. ``address_space_bytes`` caps it (RLIMIT_AS, inherited
    by its query processes) so that a test of a memory bug cannot starve the machine."""
    if not (data_dir / "current").exists():
        publish_trig(data_dir, TRIG)
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("RCM_GRAPH_")}
    environ |= {
        "RCM_GRAPH_WRITE_TOKEN": TOKEN,
        "RCM_GRAPH_QUERY_WORKERS": "1",
        "RCM_GRAPH_QUERY_FAST_WORKERS": "1",
        "RCM_GRAPH_QUERY_CACHE_MB": "0",
    }
    environ |= env or {}

    def limit() -> None:
        os.setsid()  # its own group: the end of the test kills whatever is left of it
        if address_space_bytes is not None:
            resource.setrlimit(resource.RLIMIT_AS, (address_space_bytes, address_space_bytes))

    command = [sys.executable, "-m", "rcm_graph", "serve", "--no-build"]
    command += ["--data-dir", str(data_dir), "--port", str(port)]
    proc = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=environ,
        preexec_fn=limit,
    )
    server = ServerProcess(proc, port)
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise AssertionError(proc.communicate()[1].decode()[-3000:])
            try:
                if httpx.get(server.url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("the server did not become healthy")
            time.sleep(0.2)
        yield server
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)  # anything the server left behind
        proc.communicate()

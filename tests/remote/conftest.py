"""A real ``oxigraph serve`` (the PyPI package ``oxigraph``) on a free loopback port.

WHY a real server: the remote backend's contract is the SPARQL 1.1 Protocol and the Graph Store
Protocol as a real server speaks them (status codes, media types, chunked bodies), which no
stub reproduces.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class OxigraphServer:
    base_url: str

    @property
    def query_url(self) -> str:
        return self.base_url + "/query"

    @property
    def store_url(self) -> str:
        return self.base_url + "/store"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def oxigraph_binary() -> str:
    """The ``oxigraph`` executable installed next to this Python (or on PATH)."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the `oxigraph` server is missing: pip install -e '.[test]' installs it")
    return found


def _wait_for(port: int, proc: subprocess.Popen[bytes], timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"oxigraph serve exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    pytest.fail("oxigraph serve did not start listening within 20 s")


@pytest.fixture
def oxigraph_server() -> Iterator[OxigraphServer]:
    """A fresh, empty, in-memory server, started as docs/deployment.md says.

    No ``--union-default-graph``: a build's dump carries the default graph materialised as the
    distinct union of all graphs (data-model.md), and ``load_into`` loads it as the default graph.
    """
    port = _free_port()
    proc = subprocess.Popen(
        [oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port, proc)
        yield OxigraphServer(f"http://127.0.0.1:{port}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

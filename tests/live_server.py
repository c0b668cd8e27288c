"""Shared test helpers: a free loopback port, the real app under uvicorn in a thread, and a
dataset published from RDF text exactly as a build publishes one.

WHY shared: the endpoint, UI and write tests all need the same three things; one copy keeps them
from drifting (a fixture that published datasets differently from a build once hid a bug)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import replace
from pathlib import Path

import httpx
import pyoxigraph
import uvicorn

from rcm_graph.model.iris import Iris
from rcm_graph.settings import DEFAULT_BASE_IRI, Settings
from rcm_graph.store.publish import publish_quads
from rcm_graph.web.app import create_app

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def publish_trig(
    data_dir: Path, trig: str | bytes, *, extra_files: dict[str, bytes] | None = None
) -> Path:
    """Publish the graphs of a TriG text as the current dataset of ``data_dir``."""
    data = trig.encode("utf-8") if isinstance(trig, str) else trig
    quads = pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TRIG)
    meta = str(Iris(DEFAULT_BASE_IRI).graph("meta"))
    return publish_quads(data_dir, quads, meta_graph=meta, extra_files=extra_files)


class LiveServer:
    """``create_app`` under a real uvicorn server in a thread of the test process."""

    def __init__(self, settings: Settings) -> None:
        self.port = free_port()
        self.settings = replace(settings, port=self.port, host=LOOPBACK)
        self.app = create_app(self.settings)
        config = uvicorn.Config(
            self.app, host=LOOPBACK, port=self.port, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def endpoint(self) -> str:
        return self.url + "/sparql"

    def start(self, *, timeout_s: float = 60.0) -> LiveServer:
        """Start and wait until ``/health`` answers 200."""
        self.thread.start()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/health", timeout=5).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("the test server did not become healthy")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

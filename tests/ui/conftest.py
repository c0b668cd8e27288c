"""Fixtures for the UI tests: the tiny dataset of ui_fixtures, served by a real uvicorn server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from ui_fixtures import write_dataset

from rcm_graph.settings import Settings
from rcm_graph.web.app import create_app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class UiServer:
    """``create_app`` under uvicorn in a thread, on a free port of 127.0.0.1."""

    def __init__(self, data_dir: Path) -> None:
        self.port = free_port()
        self.settings = Settings(data_dir=data_dir, port=self.port, query_workers=1)
        config = uvicorn.Config(
            create_app(self.settings), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> UiServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code < 500:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the UI test server did not start")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture(scope="session")
def ui_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("ui-data")
    write_dataset(data_dir)
    return data_dir


@pytest.fixture(scope="session")
def ui_server(ui_data_dir: Path) -> Iterator[UiServer]:
    with UiServer(ui_data_dir) as server:
        yield server


@pytest.fixture()
def client(ui_server: UiServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=ui_server.url, timeout=30) as http:
        yield http

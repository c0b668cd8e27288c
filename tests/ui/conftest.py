"""Fixtures for the UI tests: the tiny dataset of ui_fixtures, served by a real uvicorn server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from ui_fixtures import UiServer, write_dataset


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

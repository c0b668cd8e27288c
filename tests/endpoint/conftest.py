"""Fixtures for the endpoint tests: the small published dataset and a real server on a free
port (helpers live in :mod:`endpoint_support`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from endpoint_support import LiveServer, start_server, write_dataset


@pytest.fixture(scope="session")
def fixture_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("endpoint-data")
    write_dataset(data_dir)
    return data_dir


@pytest.fixture(scope="session")
def server(fixture_data_dir: Path) -> Iterator[LiveServer]:
    live = start_server(fixture_data_dir)
    yield live
    live.stop()


@pytest.fixture()
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c

"""Fixtures of the security suite: a loopback listener that counts connections, a published
dataset, and the real server (uvicorn on a free port) with writes enabled by a token.

Helpers live in :mod:`security_support` (imported by name, never as ``conftest``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from security_support import TOKEN, Listener

from live_server import LiveServer, publish_trig
from rcm_graph.settings import Settings

TRIG = """
<urn:x:g> { <urn:x:a> <urn:x:b> <urn:x:c> . <urn:x:a> <urn:x:label> "a" . }
"""


@pytest.fixture(scope="session")
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


@pytest.fixture(scope="session")
def security_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("security-data")
    publish_trig(data_dir, TRIG)
    return data_dir


@pytest.fixture(scope="session")
def server(security_data_dir: Path) -> Iterator[LiveServer]:
    settings = Settings(
        data_dir=security_data_dir,
        query_timeout_s=10.0,
        write_token=TOKEN,
        query_workers=1,
        query_fast_workers=2,
    )
    live = LiveServer(settings).start()
    yield live
    live.stop()


@pytest.fixture(scope="session")
def http() -> Iterator[httpx.Client]:
    """One client for the suite (a new ``httpx.get`` costs ~0.1 s of TLS setup each)."""
    with httpx.Client(timeout=60) as client:
        yield client

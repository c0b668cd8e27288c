"""The guarantee under the policy: evaluation cannot connect out, even when the policy is
bypassed on purpose.

Each test hands a SERVICE (or LOAD) straight to the code that evaluates SPARQL, skipping
:mod:`rcm_graph.query.policy`: a query worker of ``LocalBackend`` (which never checks the
policy itself), the write child of ``Writer``, the journal replay of a build, and a thread of
:func:`rcm_graph.sandbox.netguard.run_guarded`. With an empty SERVICE allow-list the operating
system refuses the socket (``EPERM``, "Operation not permitted") and the listener sees nothing; with
the listener's endpoint allow-listed, the same worker reaches it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph
import pytest
from security_support import Listener

from live_server import LiveServer, publish_trig
from rcm_graph.errors import QueryError
from rcm_graph.model.formats import SPARQL_JSON
from rcm_graph.query.contract import QueryRequest
from rcm_graph.query.local.backend import LocalBackend
from rcm_graph.sandbox import netguard
from rcm_graph.settings import DEFAULT_BASE_IRI, Settings
from rcm_graph.writes import journal
from rcm_graph.writes.edit import Edit
from rcm_graph.writes.journal import replay_journal
from rcm_graph.writes.writer import Writer

TRIG = "<urn:x:g> { <urn:x:a> <urn:x:b> <urn:x:c> . }"


def _service(url: str) -> str:
    return f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    publish_trig(tmp_path, TRIG)
    return tmp_path


@pytest.fixture()
def pool(security_data_dir: Path) -> Iterator[LocalBackend]:
    backend = LocalBackend(security_data_dir, workers=1)
    backend.start()
    yield backend
    backend.close()


def test_a_worker_cannot_connect_with_no_allow_list(pool: LocalBackend, listener: Listener) -> None:
    before = listener.settled_count(0)
    with pytest.raises(QueryError) as failed:
        pool.query(
            QueryRequest(
                _service(listener.url), accept_format=SPARQL_JSON, timeout_s=30, max_rows=10
            )
        )
    assert "not permitted" in failed.value.what
    assert 400 <= failed.value.http_status < 500
    assert listener.settled_count() == before
    # the worker still answers queries that need no network
    outcome = pool.query(
        QueryRequest("ASK { ?s ?p ?o }", accept_format=SPARQL_JSON, timeout_s=30, max_rows=1)
    )
    assert b"true" in outcome.body


def test_a_worker_reaches_an_allow_listed_endpoint_and_only_its_port(
    security_data_dir: Path, listener: Listener
) -> None:
    """With an allow-list the seccomp filter is off; Landlock (Linux 6.7+) still lets workers
    connect only to the listed ports, here with the policy bypassed."""
    other = Listener()
    backend = LocalBackend(security_data_dir, workers=1, service_allowlist=(listener.url,))
    backend.start()
    try:
        before = listener.settled_count(0)
        with pytest.raises(QueryError) as failed:  # the listener hangs up: a failed call
            backend.query(
                QueryRequest(
                    _service(listener.url), accept_format=SPARQL_JSON, timeout_s=30, max_rows=10
                )
            )
        assert 400 <= failed.value.http_status < 500
        assert listener.settled_count() > before
        with pytest.raises(QueryError) as elsewhere:
            backend.query(
                QueryRequest(
                    _service(other.url), accept_format=SPARQL_JSON, timeout_s=30, max_rows=10
                )
            )
        if netguard.landlock_network_abi() >= 4:
            assert "Permission denied" in elsewhere.value.what
            assert other.settled_count() == 0
        else:  # an older kernel: the policy alone keeps other ports out (logged at start)
            assert other.settled_count() == 1
    finally:
        backend.close()
        other.close()


def test_the_write_child_cannot_connect(data_dir: Path, listener: Listener) -> None:
    before = listener.settled_count(0)
    update = f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    with pytest.raises(QueryError) as failed:
        Writer(data_dir, DEFAULT_BASE_IRI).write(Edit("update", update), timeout_s=60)
    assert "not permitted" in failed.value.what
    with pytest.raises(QueryError):
        Writer(data_dir, DEFAULT_BASE_IRI).write(
            Edit("update", f"LOAD <{listener.url}>"), timeout_s=60
        )
    assert listener.settled_count() == before


def _journal(data_dir: Path, payload: str) -> None:
    """A journal entry written by hand, as an old release or an editor could have left it."""
    folder = journal.journal_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    entry = {
        "format": journal.JOURNAL_FORMAT,
        "seq": 1,
        "time": "2026-01-01T00:00:00.000+00:00",
        "operation": "update",
        "graph": None,
        "media_type": None,
        "payload": payload,
        "sha256": hashlib.sha256(payload.encode("utf-8")).hexdigest(),
        "build_id": "x",
        "derived_from": "y",
    }
    (folder / "00000001.json").write_text(json.dumps(entry), encoding="utf-8")


@pytest.mark.parametrize("policy", ["checked", "bypassed"])
def test_the_journal_replay_cannot_connect(
    policy: str, tmp_path: Path, listener: Listener, monkeypatch: pytest.MonkeyPatch
) -> None:
    if policy == "bypassed":
        monkeypatch.setattr(journal, "check_update", lambda *a, **k: None)
    url = listener.url.replace("/sparql", "/\\u0073parql")
    _journal(tmp_path, f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
    before = listener.settled_count(0)
    replayed = replay_journal(pyoxigraph.Store(), tmp_path, DEFAULT_BASE_IRI)
    assert replayed.applied == []
    (problem,) = replayed.problems
    expected = "SERVICE is not allowed" if policy == "checked" else "not permitted"
    assert expected in problem
    assert listener.settled_count() == before


def test_a_guarded_thread_has_no_inet_sockets_and_the_caller_keeps_its_own(
    listener: Listener,
) -> None:
    def probe() -> list[str]:
        seen = []
        for family in (socket.AF_INET, socket.AF_INET6):
            try:
                socket.socket(family, socket.SOCK_STREAM).close()
                seen.append("open")
            except PermissionError:
                seen.append("refused")
        left, right = socket.socketpair()  # AF_UNIX: the pipes to the parent keep working
        left.sendall(b"x")
        seen.append(right.recv(1).decode())
        left.close()
        right.close()
        return seen

    assert netguard.run_guarded(probe) == ["refused", "refused", "x"]
    before = listener.settled_count(0)
    socket.create_connection(("127.0.0.1", listener.port), timeout=5).close()
    assert listener.settled_count() == before + 1


class _JunkEndpoint:
    """An HTTP endpoint that answers every request with ``response`` (a broken federation
    partner)."""

    def __init__(self, response: bytes) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.response = response
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with contextlib.suppress(OSError):
                conn.recv(65536)
                conn.sendall(self.response)
            conn.close()


_BROKEN = {
    "bad-json": b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
    b"Content-Length: 5\r\n\r\n{{{{{",
    "html": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello",
    "500": b"HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n",
    "not-http": b"NOT HTTP\r\n\r\n",
}


@pytest.fixture(scope="module")
def federating(security_data_dir: Path) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    """A server whose allow-list names one broken endpoint per kind of failure."""
    partners = {name: _JunkEndpoint(response) for name, response in _BROKEN.items()}
    urls = {name: partner.url for name, partner in partners.items()}
    settings = Settings(
        data_dir=security_data_dir, query_workers=1, service_allowlist=tuple(urls.values())
    )
    with LiveServer(settings) as live:
        yield live, urls
    for partner in partners.values():
        partner.sock.close()


@pytest.mark.parametrize("broken", sorted(_BROKEN))
def test_a_failed_federated_call_is_a_4xx_in_the_error_shape(
    broken: str, federating: tuple[LiveServer, dict[str, str]]
) -> None:
    """Before issue 17 an answer the engine could not read was a 500 (RuntimeError)."""
    live, urls = federating
    with httpx.Client(timeout=60) as http:
        answer = http.get(live.endpoint, params={"query": _service(urls[broken])})
    assert 400 <= answer.status_code < 500, answer.text
    error = answer.json()["error"]
    assert set(error) == {"status", "title", "detail", "where", "hint"}
    assert "the query failed" in error["detail"]

"""Hostile requests against the real server: no outbound fetch, no write, bounded requests, no
stack trace to a client, security headers on HTML.

The outbound checks run a tiny TCP listener on another loopback port and point every query and
protocol parameter at it: the listener must see no connection at all (pyoxigraph does execute
``SERVICE`` over HTTP when nothing stops it, so this can fail for real).
"""

from __future__ import annotations

import ast
import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from reliability_support import (
    REPO_ROOT,
    Server,
    assert_error_shape,
    assert_no_leak,
    raw_request,
    raw_status,
)

TOKEN = "correct-horse-battery-staple"  # the conftest server's write token


class Listener:
    """Accepts TCP connections on 127.0.0.1 and records what arrives."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = int(self.sock.getsockname()[1])
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            with conn:
                conn.settimeout(1)
                with contextlib.suppress(OSError):
                    self.received.append(conn.recv(4096) or b"<connected>")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


def outbound_queries(url: str) -> list[tuple[str, str]]:
    host = url.rsplit("/", 1)[0] + "/"
    return [
        ("service", f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"),
        ("service-silent", f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}"),
        ("service-lowercase", f"select * where {{ service <{url}> {{ ?s ?p ?o }} }}"),
        (
            "service-prefixed",
            f"PREFIX r: <{host}> SELECT * WHERE {{ SERVICE r:sparql {{ ?s ?p ?o }} }}",
        ),
        ("service-relative", f"BASE <{host}> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}"),
        (
            "service-variable",
            f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        ),
        (
            "service-nested",
            f"ASK {{ {{ SELECT * {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }} }}",
        ),
        ("service-comment-trick", f"SELECT * WHERE {{ #}}\n SERVICE <{url}> {{ ?s ?p ?o }} }}"),
        ("from", f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}"),
        ("from-named", f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"),
        ("from-file", "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"),
        (
            "from-named-file",
            "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g {?s ?p ?o} }",
        ),
        ("graph-file", "SELECT * WHERE { GRAPH <file:///etc/passwd> { ?s ?p ?o } }"),
        ("construct-from", f"CONSTRUCT {{ ?s ?p ?o }} FROM <{url}> WHERE {{ ?s ?p ?o }}"),
        ("describe-service", f"DESCRIBE ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"),
        ("load", f"LOAD <{url}>"),
        ("load-silent-into", f"LOAD SILENT <{url}> INTO GRAPH <urn:g>"),
        ("load-file", "LOAD <file:///etc/passwd>"),
    ]


def _assert_refused(response: httpx.Response) -> None:
    assert response.status_code in {400, 403}, (response.status_code, response.text[:300])
    assert_error_shape(response)
    assert_no_leak(response.text)
    assert "root:" not in response.text


def _assert_nothing_reached(listener: Listener) -> None:
    time.sleep(0.3)  # a connection attempt would have landed by now
    assert listener.received == [], f"outbound request reached the listener: {listener.received}"


OUTBOUND_NAMES = [name for name, _ in outbound_queries("http://127.0.0.1:1/sparql")]


@pytest.mark.parametrize("name", OUTBOUND_NAMES)
def test_queries_that_would_reach_out_are_refused(
    server: Server, listener: Listener, name: str
) -> None:
    query = dict(outbound_queries(listener.url))[name]
    for send in (
        lambda: httpx.get(server.base_url + "/sparql", params={"query": query}, timeout=30),
        lambda: httpx.post(server.base_url + "/sparql", data={"query": query}, timeout=30),
        lambda: httpx.post(
            server.base_url + "/sparql",
            content=query.encode(),
            headers={"Content-Type": "application/sparql-query"},
            timeout=30,
        ),
        lambda: httpx.post(server.base_url + "/sparql", data={"update": query}, timeout=30),
    ):
        _assert_refused(send())
    _assert_nothing_reached(listener)


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
@pytest.mark.parametrize("where", ["listener", "file:///etc/passwd", "urn:x-not-a-graph"])
def test_dataset_parameters_pointing_elsewhere_are_refused(
    server: Server, listener: Listener, parameter: str, where: str
) -> None:
    target = listener.url if where == "listener" else where
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    get = httpx.get(
        server.base_url + "/sparql", params={"query": query, parameter: target}, timeout=30
    )
    _assert_refused(get)
    post = httpx.post(
        server.base_url + "/sparql",
        content=query.encode(),
        params={parameter: target},
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    _assert_refused(post)
    _assert_nothing_reached(listener)


UPDATE = "INSERT DATA { GRAPH <urn:x-reliability> { <urn:s> <urn:p> <urn:o> } }"
PROBE = "ASK { GRAPH <urn:x-reliability> { <urn:s> <urn:p> <urn:o> } }"


@pytest.mark.parametrize(
    "auth", [None, "Bearer wrong-token", f"Bearer {TOKEN}x", "Basic Zm9vOmJhcg=="]
)
@pytest.mark.parametrize("binding", ["form", "direct", "get"])
def test_writes_are_refused_without_the_right_token(
    server: Server, auth: str | None, binding: str
) -> None:
    headers = {"Authorization": auth} if auth else {}
    url = server.base_url + "/sparql"
    if binding == "form":
        response = httpx.post(url, data={"update": UPDATE}, headers=headers, timeout=30)
    elif binding == "direct":
        headers["Content-Type"] = "application/sparql-update"
        response = httpx.post(url, content=UPDATE.encode(), headers=headers, timeout=30)
    else:
        response = httpx.get(url, params={"update": UPDATE}, headers=headers, timeout=30)
    assert response.status_code in {400, 401, 403, 405}, response.status_code
    assert_error_shape(response)
    probe = httpx.get(
        url,
        params={"query": PROBE},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert probe.status_code == 200 and probe.json()["boolean"] is False


def _token_comparisons(path: Path) -> list[str]:
    """``==``/``!=`` comparisons that involve something named like a token (a timing leak)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(
            isinstance(op, ast.Eq | ast.NotEq) for op in node.ops
        ):
            names = {
                n.attr if isinstance(n, ast.Attribute) else n.id
                for n in ast.walk(node)
                if isinstance(n, ast.Attribute | ast.Name)
            }
            against_none = any(
                isinstance(c, ast.Constant) and c.value is None for c in ast.walk(node)
            )
            if any("token" in name.lower() for name in names) and not against_none:
                bad.append(f"{path.name}:{node.lineno}")
    return bad


def test_the_write_token_is_compared_in_constant_time() -> None:
    """Wherever the write token is checked, it is by ``hmac``/``secrets.compare_digest``."""
    src = REPO_ROOT / "src" / "rcm_graph"
    users = [p for p in src.rglob("*.py") if "write_token" in p.read_text(encoding="utf-8")]
    checkers = [p for p in users if p.name not in {"settings.py", "cli.py", "clidoc.py"}]
    for path in checkers:
        assert "compare_digest" in path.read_text(encoding="utf-8"), (
            f"{path.name} uses write_token without compare_digest"
        )
        assert _token_comparisons(path) == []


def test_request_body_over_the_limit_is_413(server: Server) -> None:
    big = b"#" + b"x" * 1_100_000 + b"\nASK {}"
    response = httpx.post(
        server.base_url + "/sparql",
        content=big,
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert_error_shape(response, 413)


def test_chunked_body_over_the_limit_is_413(server: Server) -> None:
    """No Content-Length to check up front: the limit must hold on the streamed body too."""

    def chunks() -> Iterator[bytes]:
        yield b"ASK {} #"
        for _ in range(40):
            yield b"x" * 50_000

    response = httpx.post(
        server.base_url + "/sparql",
        content=chunks(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert_error_shape(response, 413)


def test_query_string_over_the_limit_is_refused(server: Server) -> None:
    target = b"/sparql?query=ASK%20%7B%7D%20%23" + b"x" * 1_100_000
    answer = raw_request(
        server.port,
        b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    )
    assert raw_status(answer) in {None, 400, 414, 431}, answer[:300]
    assert_no_leak(answer.decode("latin-1"))
    assert httpx.get(server.base_url + "/health", timeout=10).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"X-Huge": "a" * 200_000}, id="one-huge-header"),
        pytest.param(
            {f"X-Many-{i}": "b" * 100 for i in range(2000)},
            id="many-headers",
        ),
        pytest.param(
            {"Accept": ",".join(f"application/x-{i};q=0.{i % 9}" for i in range(20_000))},
            id="huge-accept",
        ),
    ],
)
def test_oversized_headers_are_refused_and_the_server_lives(
    server: Server, headers: dict[str, str]
) -> None:
    try:
        response = httpx.get(
            server.base_url + "/sparql", params={"query": "ASK {}"}, headers=headers, timeout=30
        )
    except (httpx.RemoteProtocolError, httpx.ReadError):
        pass  # closing the connection is a refusal too
    else:
        assert response.status_code in {400, 406, 413, 431}, response.status_code
        assert_no_leak(response.text)
    assert httpx.get(server.base_url + "/health", timeout=10).status_code == 200


BAD_REQUESTS: list[tuple[str, str, dict[str, str], bytes | None]] = [
    ("GET", "/sparql?query=SELECT%20*%20WHERE%20%7B", {}, None),
    ("GET", "/sparql?query=%FF%FE", {}, None),
    ("GET", "/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D", {}, None),
    ("GET", "/sparql?query=ASK%20%7B%7D&timeout=-1", {}, None),
    ("GET", "/sparql?query=ASK%20%7B%7D&timeout=nan", {}, None),
    ("GET", "/sparql?query=ASK%20%7B%7D", {"Accept": "image/png"}, None),
    ("POST", "/sparql", {"Content-Type": "application/sparql-query"}, b"\xff\xfe\x00"),
    ("POST", "/sparql", {"Content-Type": "text/plain"}, b"ASK {}"),
    ("POST", "/sparql", {"Content-Type": "application/x-www-form-urlencoded"}, b"query=%"),
    ("POST", "/sparql", {"Content-Type": "application/x-www-form-urlencoded"}, b"\xff=\xff"),
    ("POST", "/sparql", {"Content-Type": "multipart/form-data; boundary=x"}, b"--x\r\n"),
    ("POST", "/sparql", {}, b""),
    ("PUT", "/sparql", {}, b"x"),
    ("DELETE", "/sparql", {}, None),
    ("GET", "/queries/does-not-exist", {}, None),
    ("GET", "/queries/..%2F..%2Fetc%2Fpasswd", {}, None),
    ("GET", "/static/..%2F..%2F..%2Fpyproject.toml", {}, None),
    ("GET", "/%00", {}, None),
    ("GET", "/id/%3Cscript%3E", {"Accept": "text/turtle"}, None),
    ("GET", "/id/document/" + "a" * 5000, {}, None),
]


@pytest.mark.parametrize(("method", "path", "headers", "body"), BAD_REQUESTS)
def test_bad_requests_get_a_clear_4xx_without_a_stack_trace(
    server: Server, method: str, path: str, headers: dict[str, str], body: bytes | None
) -> None:
    response = httpx.request(
        method, server.base_url + path, headers=headers, content=body, timeout=30
    )
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    assert_no_leak(response.text)
    for value in response.headers.values():
        assert_no_leak(value)
    if "json" in response.headers.get("content-type", ""):
        assert_error_shape(response)
    assert "passwd" not in response.text or response.status_code == 404
    assert "[build-system]" not in response.text


ODD_REQUESTS: list[tuple[str, str, dict[str, str], bytes | None]] = [
    ("GET", "/sparql?query=ASK%20%7B%7D&timeout=1e999", {}, None),
    ("GET", "/sparql?query=ASK%20%7B%7D", {"Accept": ";;;q=abc,*/*;q=2"}, None),
    ("GET", "/sparql?query=ASK%20%7B%7D", {"Accept": "*/*;q=0"}, None),
    ("GET", "/sparql?query=ASK%20%7B%7D&format=%00", {}, None),
    ("HEAD", "/sparql?query=ASK%20%7B%7D", {}, None),
    (
        "OPTIONS",
        "/sparql",
        {"Origin": "http://example.org", "Access-Control-Request-Method": "POST"},
        None,
    ),
    ("GET", "/sparql", {"Accept": "text/html;q=0, application/xml;q=0.1"}, None),
    ("GET", "/health", {"Accept": "text/csv"}, None),
]


@pytest.mark.parametrize(("method", "path", "headers", "body"), ODD_REQUESTS)
def test_odd_but_legal_requests_never_fail_the_server(
    server: Server, method: str, path: str, headers: dict[str, str], body: bytes | None
) -> None:
    response = httpx.request(
        method, server.base_url + path, headers=headers, content=body, timeout=30
    )
    assert response.status_code < 500, (response.status_code, response.text[:300])
    assert_no_leak(response.text)
    if response.status_code >= 400 and "json" in response.headers.get("content-type", ""):
        assert_error_shape(response)


def _html_routes(server: Server) -> list[str]:
    candidates = ["/", "/sparql", "/queries", "/ontology", "/downloads", "/no-such-page"]
    found = []
    for path in candidates:
        response = httpx.get(server.base_url + path, headers={"Accept": "text/html"}, timeout=30)
        if response.headers.get("content-type", "").startswith("text/html"):
            found.append(path)
    return found


def test_html_responses_carry_security_headers(server: Server) -> None:
    routes = _html_routes(server)
    assert routes, "no route answers HTML: the UI pages (rcm_graph.web.ui) are missing"
    for path in routes:
        response = httpx.get(server.base_url + path, headers={"Accept": "text/html"}, timeout=30)
        headers = response.headers
        assert headers.get("x-content-type-options") == "nosniff", path
        csp = headers.get("content-security-policy", "")
        assert "default-src" in csp or "script-src" in csp, (path, csp)
        assert "frame-ancestors" in csp or headers.get("x-frame-options"), path
        assert headers.get("referrer-policy"), path
        assert "'unsafe-eval'" not in csp, (path, csp)


def test_json_errors_are_not_sniffed_as_html(server: Server) -> None:
    """A 404 echoing a path with markup stays JSON for the browser (nosniff)."""
    response = httpx.get(server.base_url + "/%3Cscript%3Ealert(1)%3C/script%3E", timeout=30)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert (
        "<script>" not in response.text
        or response.headers.get("x-content-type-options") == "nosniff"
    )

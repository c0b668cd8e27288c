"""Running the endpoint behind a proxy and with monitoring (issue 20), against one real server:
``ETag``/``Cache-Control``/``304`` on every kind of answer and a new tag after a rebuild,
``/openapi.json`` with one operation per named query, ``/docs`` from vendored files only,
``/metrics`` in the Prometheus text format, and an update sent as a query (400)."""

from __future__ import annotations

import asyncio
import time
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from endpoint_support import EX, TRIG, error_of, write_dataset
from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.parser import text_string_to_metric_families
from starlette.types import Message, Receive, Scope, Send

from browser_support import launch_chromium
from live_server import LOOPBACK, LiveServer
from rcm_graph.query.catalogue import load_catalogue
from rcm_graph.settings import Settings
from rcm_graph.web.app import create_app
from rcm_graph.web.http_cache import HttpCaching
from rcm_graph.web.metrics import LATENCY_BUCKETS

SELECT = "SELECT ?s WHERE { ?s a <https://w3id.org/rcm-graph/ontology#State> } ORDER BY ?s"
JSON = "application/sparql-results+json"
PAGE = "/id/state/PAN"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory of this module only: one test publishes a second build into it."""
    path = tmp_path_factory.mktemp("http-operations")
    write_dataset(path)
    return path


@pytest.fixture(scope="module")
def live(data_dir: Path) -> Iterator[LiveServer]:
    settings = Settings(data_dir=data_dir, query_workers=1, query_fast_workers=0)
    with LiveServer(settings) as server:
        yield server


@pytest.fixture()
def client(live: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=30) as c:
        yield c


def _revalidates(
    client: httpx.Client, url: str, headers: dict[str, str], params: dict[str, str] | None = None
) -> str:
    """GET twice, the second time with the first answer's tag: 304, same tag, no body."""
    first = client.get(url, headers=headers, params=params)
    assert first.status_code == 200, first.text
    tag = first.headers["etag"]
    assert first.headers["cache-control"].startswith("public, max-age=")
    again = client.get(url, headers={**headers, "If-None-Match": tag}, params=params)
    assert again.status_code == 304, again.text
    assert again.content == b""
    assert again.headers["etag"] == tag
    assert again.headers["cache-control"] == first.headers["cache-control"]
    return tag


def test_sparql_answers_revalidate(client: httpx.Client) -> None:
    params = {"query": SELECT}
    tag = _revalidates(client, "/sparql", {"Accept": JSON}, params)
    assert tag.startswith('W/"')
    # Weak comparison: the strong form of the tag, a list holding it, and * all match.
    for header in (tag[2:], f'"nope", {tag}', "*"):
        answer = client.get(
            "/sparql", params=params, headers={"Accept": JSON, "If-None-Match": header}
        )
        assert answer.status_code == 304, header
    # Another variant of the same query (media type) and another query have other tags.
    csv = client.get("/sparql", params=params, headers={"Accept": "text/csv", "If-None-Match": tag})
    assert csv.status_code == 200 and csv.headers["etag"] != tag
    other = client.get(
        "/sparql", params={"query": "ASK {}"}, headers={"Accept": JSON, "If-None-Match": tag}
    )
    assert other.status_code == 200 and other.headers["etag"] != tag
    # A malformed If-None-Match is ignored: the full answer.
    bad = client.get("/sparql", params=params, headers={"Accept": JSON, "If-None-Match": "x"})
    assert bad.status_code == 200


def test_pages_dumps_and_static_files_revalidate(client: httpx.Client) -> None:
    html = _revalidates(client, PAGE, {"Accept": "text/html"})
    turtle = _revalidates(client, PAGE, {"Accept": "text/turtle"})
    assert html != turtle
    files = client.get("/downloads", headers={"Accept": "application/json"}).json()["files"]
    dump = _revalidates(client, files[0]["url"], {})
    assert client.get(files[0]["url"]).headers["cache-control"] == "public, max-age=300"
    assert html.rsplit("-", 1)[0] == dump.rsplit("-", 1)[0]  # both name the build served
    for static in ("/static/ui.css", "/static/vendor/swagger-ui/swagger-ui.css"):
        _revalidates(client, static, {})
        assert client.get(static).headers["cache-control"] == "public, max-age=3600"


def test_writes_tokens_errors_and_live_state_are_not_stored(client: httpx.Client) -> None:
    post = client.post("/sparql", data={"query": SELECT}, headers={"Accept": JSON})
    assert post.status_code == 200
    assert post.headers["cache-control"] == "no-store" and "etag" not in post.headers
    # With a token, even right after the same request without one (kept by the response cache).
    kept = client.get("/sparql", params={"query": SELECT})
    assert kept.status_code == 200 and "etag" in kept.headers
    token = client.get("/sparql", params={"query": SELECT}, headers={"Authorization": "Bearer x"})
    assert token.headers["cache-control"] == "no-store" and "etag" not in token.headers
    error = client.get("/sparql", params={"query": "SELECT"})
    assert error.status_code == 400 and error.headers["cache-control"] == "no-store"
    for path in ("/health", "/metrics"):
        assert client.get(path).headers["cache-control"] == "no-store"


def test_an_update_sent_as_a_query_is_a_malformed_query(client: httpx.Client) -> None:
    update = f"INSERT DATA {{ <{EX}id/x> <{EX}p> 1 }}"
    for response in (
        client.get("/sparql", params={"query": update}),
        client.post("/sparql", data={"query": update}),
        client.post(
            "/sparql", content=update, headers={"Content-Type": "application/sparql-query"}
        ),
    ):
        assert response.status_code == 400, response.text
        assert "update" in error_of(response)["detail"]


def test_openapi_has_one_operation_per_named_query(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    ids = [op["operationId"] for ops in spec["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids)), ids
    catalogue = load_catalogue()
    for query in catalogue:
        operation = spec["paths"][f"/queries/{query.name}"]["get"]
        names = [p["name"] for p in operation["parameters"]]
        assert names == [*(p.name for p in query.parameters), "format", "timeout"]
        for declared, described in zip(query.parameters, operation["parameters"], strict=False):
            assert described["required"] is declared.required
            default = described["schema"].get("default")
            assert (str(default) if default is not None else None) == declared.default
    # A described operation answers as described: its defaults bind, CSV by default.
    with_params = next(q for q in catalogue if q.parameters)
    answer = client.get(f"/queries/{with_params.name}")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")


def test_the_description_is_generated_without_warnings(tmp_path: Path) -> None:
    """FastAPI warns about duplicate operation ids when it builds the description."""
    app = create_app(Settings(data_dir=tmp_path))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        spec = app.openapi()
    assert "/health" in spec["paths"] and set(spec["paths"]["/health"]) == {"get", "head"}


def test_metrics_parse_and_count(client: httpx.Client) -> None:
    for _ in range(3):
        client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": JSON})
    stopped = client.get("/sparql", params={"query": SELECT, "timeout": "0.000001"})
    assert stopped.status_code == 503
    client.get("/nothing-here")
    text = client.get("/metrics").text
    families = {f.name: f for f in text_string_to_metric_families(text)}
    requests = {
        (s.labels["route"], s.labels["method"], s.labels["status"]): s.value
        for s in families["rcm_http_requests"].samples
        if s.name.endswith("_total")
    }
    assert requests[("/sparql", "GET", "200")] >= 3
    assert requests[("unmatched", "GET", "404")] >= 1
    buckets = [
        s
        for s in families["rcm_http_request_duration_seconds"].samples
        if s.name.endswith("_bucket") and s.labels["route"] == "/sparql"
    ]
    assert buckets and buckets[-1].labels["le"] == "+Inf" and buckets[-1].value >= 3
    # The same series prometheus_client's own Histogram and Counter give (the middleware counts
    # without them): its bucket labels, cumulative counts, _count, _sum and _created.
    reference = Histogram("x", "x", buckets=LATENCY_BUCKETS, registry=CollectorRegistry())
    bounds = [s.labels["le"] for s in reference.collect()[0].samples if s.name == "x_bucket"]
    assert [s.labels["le"] for s in buckets] == bounds
    assert [s.value for s in buckets] == sorted(s.value for s in buckets)
    sparql = {
        s.name: s.value
        for s in families["rcm_http_request_duration_seconds"].samples
        if s.labels["route"] == "/sparql" and not s.name.endswith("_bucket")
    }
    assert sparql["rcm_http_request_duration_seconds_count"] == buckets[-1].value
    assert 0 < sparql["rcm_http_request_duration_seconds_sum"] < 60
    for created in ("rcm_http_requests_created", "rcm_http_request_duration_seconds_created"):
        samples = families[created].samples
        assert samples and all(s.value > 1.7e9 for s in samples), created
    stops = families["rcm_queries_stopped_by_time_limit"].samples
    assert next(s.value for s in stops if s.name.endswith("_total")) >= 1
    lookups = {s.labels["result"]: s.value for s in families["rcm_response_cache_lookups"].samples}
    assert lookups["hit"] >= 2 and lookups["miss"] >= 1


def test_a_rebuild_changes_every_tag(client: httpx.Client, data_dir: Path) -> None:
    """Last in the module: it publishes a second build into the server's data directory."""
    old_page = _revalidates(client, PAGE, {"Accept": "text/html"})
    params = {"query": SELECT}
    old_answer = client.get("/sparql", params=params, headers={"Accept": JSON})
    write_dataset(data_dir, TRIG.replace('"Costa Rica"@en', '"Costa Rica"@en, "Rebuilt"@en'))
    deadline = time.monotonic() + 30
    while True:  # the server brings the new build up on the next query
        answer = client.get(
            "/sparql",
            params=params,
            headers={"Accept": JSON, "If-None-Match": old_answer.headers["etag"]},
        )
        if answer.status_code == 200 and "etag" in answer.headers:
            break
        assert time.monotonic() < deadline, answer.status_code
        time.sleep(0.1)
    assert answer.headers["etag"] != old_answer.headers["etag"]
    page = client.get(PAGE, headers={"Accept": "text/html", "If-None-Match": old_page})
    assert page.status_code == 200 and page.headers["etag"] != old_page


# --- the documentation pages in a browser -----------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from launch_chromium()


@pytest.mark.browser
def test_docs_render_from_loopback_only(browser: object, live: LiveServer) -> None:
    """Every request of the page is intercepted: only 127.0.0.1 is let through (and recorded)."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(20_000)
    requested: list[str] = []
    errors: list[str] = []

    def intercept(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        requested.append(url)
        if urlsplit(url).hostname == LOOPBACK:
            route.continue_()  # type: ignore[attr-defined]
        else:
            route.abort()  # type: ignore[attr-defined]

    page.route("**/*", intercept)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live.url + "/docs")
    operations = page.locator(".opblock")
    operations.first.wait_for()
    page.wait_for_load_state("networkidle")
    assert operations.count() >= len(load_catalogue()) + 4  # the named queries and the API
    named = page.locator(".opblock-summary-path", has_text="/queries/commitments-due-before")
    assert named.count() == 1
    assert not errors, errors  # a CSP violation would show here
    assert any(u.endswith("/openapi.json") for u in requested)
    assert [u for u in requested if urlsplit(u).hostname != LOOPBACK] == []
    context.close()


def test_a_304_for_a_body_sent_in_chunks_ends_the_response_once() -> None:
    """The middleware's own 304 for a file sent in several body messages (a static file over
    64 KiB): one response start and one final body, whatever the app sends after it. A second
    final body made uvicorn close the connection (seen with Starlette 0.37 and uvicorn 0.30,
    which do not cancel the rest of the file)."""
    tag = '"abc"'

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"etag", tag.encode())]}
        )
        for more in (True, True, False):
            await send({"type": "http.response.body", "body": b"x" * 10, "more_body": more})

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {
        "type": "http",
        "method": "GET",
        "path": "/static/big.css",
        "query_string": b"",
        "headers": [(b"if-none-match", tag.encode())],
    }
    # In a thread of its own: the module's Playwright browser, if a browser test ran first,
    # keeps an event loop running in this one, where asyncio.run refuses to start.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, HttpCaching(app, token=None)(scope, receive, send)).result()
    assert [(m["type"], m.get("status"), m.get("more_body", False)) for m in sent] == [
        ("http.response.start", 304, False),
        ("http.response.body", None, False),
    ]

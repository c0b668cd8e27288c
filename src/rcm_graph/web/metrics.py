"""``GET /metrics``: Prometheus counters of the server, in the text exposition format.

What an operator watches: requests by route template and status, latency as a histogram (per
route), queries stopped by their time limit, and the response cache's hits and misses (with its
size). Recorded by :class:`Metrics`, a pure ASGI middleware outside every other layer, so a
request refused by the size limits or answered from the response cache is counted too.

WHY a registry per application and not ``prometheus_client``'s global one: tests start several
apps in one process, and each server must report only its own requests. The counters live in
the server process; ``rcm-graph serve`` runs one uvicorn process (its query workers are
separate processes that the server process talks to), so one scrape sees every request. A
deployment that runs several server processes behind one port would need
``prometheus_client``'s multiprocess mode (and its metric classes instead of the plain counts of
:class:`_RequestCollector`), which this module does not set up.

Labels are route *templates* (``/id/{path:path}``), never raw paths, so that the number of
series stays bounded whatever clients send; requests that matched no route are ``unmatched``.
"""

from __future__ import annotations

import itertools
import time
from bisect import bisect_left
from collections.abc import Iterator

from fastapi import APIRouter, FastAPI
from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector
from prometheus_client.samples import Sample
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rcm_graph.query.cache import ByteLRU
from rcm_graph.web.errors import STOPPED_BY_TIME_LIMIT

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Seconds: from a cached answer (well under a millisecond) to the longest time limits.
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
# Their ``le`` labels, as prometheus_client writes these bounds ("0.0005", "1.0", "+Inf").
_BUCKET_NAMES = (*(repr(float(bound)) for bound in LATENCY_BUCKETS), "+Inf")


class _ResponseCacheCollector(Collector):
    """Reads the response cache's own counters at scrape time (nothing on the request path)."""

    def __init__(self, cache: ByteLRU[object]) -> None:
        self.cache = cache

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        stats = self.cache.stats()
        lookups = CounterMetricFamily(
            "rcm_response_cache_lookups",
            "Repeated-query response cache lookups (rcm_graph.web.response_cache)",
            labels=["result"],
        )
        lookups.add_metric(["hit"], stats["hits"])
        lookups.add_metric(["miss"], stats["misses"])
        yield lookups
        size = GaugeMetricFamily(
            "rcm_response_cache_bytes", "Bytes held by the response cache", labels=["kind"]
        )
        size.add_metric(["used"], stats["bytes"])
        size.add_metric(["max"], stats["max_bytes"])
        yield size


class _Latency:
    """The latency observations of one route: a count per bucket (the last is ``+Inf``), their
    sum, and when the first was made."""

    __slots__ = ("counts", "created", "total")

    def __init__(self) -> None:
        self.counts = [0] * (len(LATENCY_BUCKETS) + 1)
        self.total = 0.0
        self.created = time.time()


class _Requests:
    """The request count of one (route, method, status), with its route's latency."""

    __slots__ = ("count", "created", "latency")

    def __init__(self, latency: _Latency) -> None:
        self.count = 0
        self.created = time.time()
        self.latency = latency


class _RequestCollector(Collector):
    """``rcm_http_requests`` and ``rcm_http_request_duration_seconds``, from plain counts.

    WHY not ``prometheus_client``'s ``Counter`` and ``Histogram``: ``labels()`` validates its
    arguments on every call and each ``inc``/``observe`` takes a lock, about 3 µs per request,
    half of what counting cost, on requests as cheap as a cached query (under 300 µs of server
    CPU in all). Every request is counted on the event loop's one thread, so plain integers need
    no lock; a scrape (another thread) reads them and yields the same families, samples and
    ``_created`` series as the library's classes would. The library still names, registers and
    formats everything.
    """

    def __init__(self) -> None:
        # As many entries as series, which the route templates keep bounded.
        self.requests: dict[tuple[str, str, int], _Requests] = {}
        self.latency: dict[str, _Latency] = {}

    def add(self, key: tuple[str, str, int]) -> _Requests:
        """The counts of a (route, method, status) seen for the first time."""
        latency = self.latency.get(key[0])
        if latency is None:
            latency = self.latency[key[0]] = _Latency()
        counted = self.requests[key] = _Requests(latency)
        return counted

    def collect(self) -> Iterator[CounterMetricFamily | HistogramMetricFamily]:
        requests = CounterMetricFamily(
            "rcm_http_requests",
            "HTTP requests by route template, method and status",
            labels=["route", "method", "status"],
        )
        for (route, method, status), counted in list(self.requests.items()):
            requests.add_metric([route, method, str(status)], counted.count, counted.created)
        yield requests
        name = "rcm_http_request_duration_seconds"
        latency = HistogramMetricFamily(
            name,
            "Time from the request's arrival to the end of its answer, by route template",
            labels=["route"],
        )
        for route, observed in list(self.latency.items()):
            cumulative = itertools.accumulate(list(observed.counts))
            buckets = list(zip(_BUCKET_NAMES, cumulative, strict=True))
            latency.add_metric([route], buckets, observed.total)
            latency.samples.append(Sample(name + "_created", {"route": route}, observed.created))
        yield latency


class Metrics:
    """Pure ASGI middleware counting every HTTP request into ``registry``."""

    def __init__(self, app: ASGIApp, *, registry: CollectorRegistry) -> None:
        self.app = app
        self.counts = _RequestCollector()
        registry.register(self.counts)
        self.stopped = Counter(
            "rcm_queries_stopped_by_time_limit",
            "Queries stopped because they reached their time limit (answered 503)",
            registry=registry,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def counting_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, counting_send)
        finally:
            elapsed = time.perf_counter() - started
            key = (_route_template(scope), scope.get("method", ""), status)
            counted = self.counts.requests.get(key) or self.counts.add(key)
            counted.count += 1
            latency = counted.latency
            # The first bucket whose bound is >= elapsed, as prometheus_client places it.
            latency.counts[bisect_left(LATENCY_BUCKETS, elapsed)] += 1
            latency.total += elapsed
            if scope.get(STOPPED_BY_TIME_LIMIT):
                self.stopped.inc()


def _route_template(scope: Scope) -> str:
    """The matched route's path template; the mount's for static files; else ``unmatched``."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    if scope.get("path", "") == "/sparql":  # answered from the response cache, before routing
        return "/sparql"
    return "unmatched"


def install(app: FastAPI, *, response_cache: ByteLRU[object]) -> None:
    """Add ``/metrics`` and the counting middleware to ``app`` (call after the other
    middlewares, so that it is the outermost layer and sees every request)."""
    registry = CollectorRegistry(auto_describe=True)
    registry.register(_ResponseCacheCollector(response_cache))
    routes = APIRouter()

    @routes.get(
        "/metrics",
        operation_id="metrics",
        summary="Prometheus metrics of this server",
        response_class=Response,
        responses={200: {"content": {CONTENT_TYPE: {"schema": {"type": "string"}}}}},
    )
    def metrics(request: Request) -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE)

    app.include_router(routes)
    app.add_middleware(Metrics, registry=registry)


__all__ = ["CONTENT_TYPE", "Metrics", "install"]

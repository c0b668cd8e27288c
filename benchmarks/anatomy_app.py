"""Variants of our app for ``--only anatomy``: where does a cheap request's time go?

Each variant removes one layer from the real ``create_app`` so that its cost can be read as a
difference in throughput (same server, same data, same client). Every variant runs with the
result cache OFF (the benchmark repeats one query, so a cache would answer all but the first
and hide the layers), except ``cache``:

- ``full``: the app as ``rcm-graph serve`` runs it, result cache off;
- ``cache``: the app exactly as ``rcm-graph serve`` runs it by default (result cache on);
- ``no-basehttp``: without middlewares built on Starlette's ``BaseHTTPMiddleware`` (none left
  since the UI's security headers became a pure ASGI middleware: should equal ``full``);
- ``no-accesslog``: without the JSON access log middleware;
- ``no-middleware``: without any user middleware (gzip, CORS, limits, access log, UI headers);
- ``in-thread``: full app, but the query runs on an in-memory pyoxigraph Store in the request
  thread instead of a killable worker process (the cost of the process boundary);
- ``bare-route``: a FastAPI ``def`` route calling pyoxigraph directly (no policy, no conneg):
  the floor any pyoxigraph-in-Python design can reach.

Selected by the environment variable ``RCM_BENCH_VARIANT``; data dir ``RCM_GRAPH_DATA_DIR``.
"""

from __future__ import annotations

import gzip
import os
import time
from pathlib import Path

import pyoxigraph
from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.middleware.base import BaseHTTPMiddleware

from rcm_graph.query.contract import QueryOutcome, QueryRequest
from rcm_graph.query.remote import query_form
from rcm_graph.settings import load_settings
from rcm_graph.store.dataset import load_dataset
from rcm_graph.web.app import create_app
from rcm_graph.web.middleware import AccessLog
from rcm_graph.web.server import configure_access_log


def _store(data_dir: Path) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    ds = load_dataset(data_dir)
    store.bulk_load(
        gzip.decompress(ds.nquads_path.read_bytes()), format=pyoxigraph.RdfFormat.N_QUADS
    )
    return store


class InThreadBackend:
    """QueryBackend on an in-memory Store, queried in the calling thread (no timeout!)."""

    def __init__(self, data_dir: Path) -> None:
        self.store = _store(data_dir)
        self._graphs = sorted(load_dataset(data_dir).graph_iris())

    def start(self) -> None:
        pass

    def close(self) -> None:
        pass

    def graph_iris(self) -> list[str]:
        return self._graphs

    def query(self, request: QueryRequest) -> QueryOutcome:
        t = time.perf_counter()
        form = query_form(request.sparql)
        res = self.store.query(request.sparql, base_iri=request.base_iri)
        if form in ("SELECT", "ASK"):
            body = res.serialize(format=pyoxigraph.QueryResultsFormat.JSON)
            media = "application/sparql-results+json"
        else:
            body = pyoxigraph.serialize(res, format=pyoxigraph.RdfFormat.TURTLE)
            media = "text/turtle"
        return QueryOutcome(
            body or b"", media, form, 0, False, request.max_rows, time.perf_counter() - t
        )


def _bare(data_dir: Path) -> FastAPI:
    store = _store(data_dir)
    app = FastAPI()

    @app.get("/sparql")
    def sparql(request: Request) -> Response:
        res = store.query(request.query_params["query"])
        body = res.serialize(format=pyoxigraph.QueryResultsFormat.JSON)
        return Response(body, media_type="application/sparql-results+json")

    return app


def make() -> FastAPI:
    variant = os.environ.get("RCM_BENCH_VARIANT", "full")
    cache_mb = "64" if variant == "cache" else "0"
    settings = load_settings(
        {"data_dir": os.environ["RCM_GRAPH_DATA_DIR"]}, {"RCM_GRAPH_QUERY_CACHE_MB": cache_mb}
    )
    if variant == "bare-route":
        return _bare(settings.data_dir)
    configure_access_log()  # as run_server does
    backend = InThreadBackend(settings.data_dir) if variant == "in-thread" else None
    app = create_app(settings, backend=backend)
    if variant == "no-basehttp":
        app.user_middleware = [m for m in app.user_middleware if m.cls is not BaseHTTPMiddleware]
    elif variant == "no-accesslog":
        app.user_middleware = [m for m in app.user_middleware if m.cls is not AccessLog]
    elif variant == "no-middleware":
        app.user_middleware = []
    return app

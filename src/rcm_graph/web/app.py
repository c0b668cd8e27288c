"""``create_app(settings)``: the FastAPI application, assembled from small route modules.

WHY a factory and no module-level app: tests start several servers with different settings in
one process, and settings are built at the edge (CLI) and passed down.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware

from rcm_graph import __version__
from rcm_graph.query.cache import ByteLRU
from rcm_graph.query.contract import QueryBackend
from rcm_graph.settings import Settings
from rcm_graph.web import (
    api_docs,
    errors,
    graph_store,
    health,
    metrics,
    middleware,
    named_queries,
    sparql,
)
from rcm_graph.web.context import AppContext
from rcm_graph.web.http_cache import HttpCaching
from rcm_graph.web.response_cache import ResponseCache
from rcm_graph.writes.writer import Writer

# Responses smaller than this are sent as they are: compressing them costs more than it saves.
GZIP_MINIMUM_BYTES = 2048


def make_backend(settings: Settings) -> QueryBackend:
    """The local worker pool, or the remote backend when ``remote_endpoint`` is set."""
    if settings.remote_endpoint:
        from rcm_graph.query.remote import RemoteBackend

        return RemoteBackend(settings.remote_endpoint)
    from rcm_graph.query.local.backend import LocalBackend

    return LocalBackend.from_settings(settings)


def _install_ui(app: FastAPI, context: AppContext) -> None:
    """Let the UI package add its routes (pages, linked data, /query)."""
    from rcm_graph.web.ui import install

    install(app, context)


def create_app(settings: Settings, *, backend: QueryBackend | None = None) -> FastAPI:
    """The application serving ``settings.data_dir``; the backend starts with the server."""
    context = AppContext(
        settings=settings,
        backend=backend or make_backend(settings),
        response_cache=ByteLRU(settings.query_cache_mb * 1024 * 1024),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        context.backend.start()
        try:
            yield
        finally:
            context.backend.close()

    app = FastAPI(
        title="rcm-graph",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,  # FastAPI's pages load their scripts from a CDN: api_docs serves ours
        redoc_url=None,
    )
    app.state.context = context
    api_docs.install_openapi(app, context.catalogue)
    api_docs.install_pages(app)
    errors.install(app)
    app.include_router(health.router(context))
    writer = Writer(settings.data_dir, settings.base_iri)  # one per app: its writes queue
    app.include_router(sparql.router(context, writer))
    app.include_router(graph_store.router(context, writer))
    app.include_router(named_queries.router(context))
    _install_ui(app, context)
    # Added last = outermost: metrics, logs and size limits see every request, CORS headers every
    # answer; the response cache sits between them (docs: rcm_graph.web.response_cache), outside
    # the HTTP caching headers (rcm_graph.web.http_cache): a kept answer keeps its tag.
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_BYTES)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"],
        allow_headers=["Accept", "Content-Type", "Authorization"],
        expose_headers=[*middleware.EXPOSED_HEADERS],
        max_age=3600,
    )
    token = getattr(context.backend, "answer_token", None)
    app.add_middleware(HttpCaching, token=token if callable(token) else None)
    if callable(token) and context.response_cache.max_bytes:
        app.add_middleware(
            ResponseCache, cache=context.response_cache, token=token, path=context.base_url_path
        )
    app.add_middleware(middleware.RequestLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(middleware.AccessLog)
    metrics.install(app, response_cache=context.response_cache)  # outermost: counts everything
    return app

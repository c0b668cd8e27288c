"""``run_server(settings)``: serve the app with uvicorn, with structured access logs.

The access log is one JSON object per line on stderr (logger ``rcm_graph.access``, written by
:class:`rcm_graph.web.middleware.AccessLog`); uvicorn's own text access log is switched off so
that each request is logged once. The server trusts ``X-Forwarded-*`` headers only from
localhost (a reverse proxy on the same machine), so the service description names the public
URL behind such a proxy.
"""

from __future__ import annotations

import logging
import sys

import uvicorn

from rcm_graph.settings import Settings
from rcm_graph.web.app import create_app

log = logging.getLogger("rcm_graph.web")


def configure_access_log() -> None:
    """JSON lines, nothing else on the line: easy to ship to any log collector."""
    access = logging.getLogger("rcm_graph.access")
    if any(getattr(h, "_rcm_access", False) for h in access.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler._rcm_access = True  # type: ignore[attr-defined]
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    access.propagate = False


def run_server(settings: Settings) -> int:
    """Serve until interrupted; returns the process exit code (0 after a clean shutdown)."""
    configure_access_log()
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        log_level="debug" if settings.debug else "info",
        timeout_keep_alive=5,
    )
    server = uvicorn.Server(config)
    log.info(
        "serving %s on http://%s:%d/sparql (%d+%d query workers, timeout %g s, "
        "max %d rows, result cache %d MiB)",
        settings.data_dir,
        settings.host,
        settings.port,
        settings.query_workers,
        settings.query_fast_workers,
        settings.query_timeout_s,
        settings.max_result_rows,
        settings.query_cache_mb,
    )
    server.run()
    return 0 if server.started else 2

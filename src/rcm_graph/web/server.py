"""``run_server(settings)``: serve the app with uvicorn, with structured access logs.

The access log is one JSON object per line on stderr (logger ``rcm_graph.access``, written by
:class:`rcm_graph.web.middleware.AccessLog`); uvicorn's own text access log is switched off so
that each request is logged once. The server trusts ``X-Forwarded-*`` headers only from
localhost (a reverse proxy on the same machine), so the service description names the public
URL behind such a proxy.
"""

from __future__ import annotations

import logging
import socket
import sys
import threading
from typing import TextIO

import uvicorn

from rcm_graph.errors import EXIT_UNAVAILABLE
from rcm_graph.settings import Settings
from rcm_graph.web.app import create_app
from rcm_graph.web.slow_clients import protocol_with_read_timeout

log = logging.getLogger("rcm_graph.web")


# The access log reaches stderr at most this long after the request (or when this much is
# waiting, or at shutdown).
ACCESS_LOG_FLUSH_S = 0.5
ACCESS_LOG_BUFFER_BYTES = 64 * 1024


class BufferedLineHandler(logging.Handler):
    """Writes formatted lines to a stream in batches instead of one write and flush each.

    WHY: ``logging.StreamHandler`` writes and flushes stderr once per request; at a few
    thousand cheap queries a second that was a tenth of the server's CPU (py-spy, see
    docs/performance.md). Lines are kept for at most ``ACCESS_LOG_FLUSH_S``; ``logging``
    flushes every handler at interpreter exit, so only a killed process can lose the last
    half second of lines.
    """

    def __init__(self, stream: TextIO, *, interval_s: float = ACCESS_LOG_FLUSH_S) -> None:
        super().__init__()
        self.stream = stream
        self.interval_s = interval_s
        self._lines: list[str] = []
        self._size = 0
        self._flusher: threading.Thread | None = None
        self._stopping = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:  # called with self.lock held
        try:
            line = self.format(record)
        except Exception:  # logging's contract: report, never raise into the request
            self.handleError(record)
            return
        self._lines.append(line)
        self._size += len(line) + 1
        if self._size >= ACCESS_LOG_BUFFER_BYTES or self._stopping.is_set():
            self._write()
        elif self._flusher is None:
            self._flusher = threading.Thread(
                target=self._flush_periodically, name="rcm-access-log", daemon=True
            )
            self._flusher.start()

    def _write(self) -> None:
        if self._lines:
            text = "\n".join(self._lines) + "\n"
            self._lines = []
            self._size = 0
            try:
                self.stream.write(text)
                self.stream.flush()
            except (OSError, ValueError):  # stderr closed or gone: nothing left to tell
                pass

    def flush(self) -> None:
        with self.lock:  # type: ignore[union-attr]  # created by Handler.__init__
            self._write()

    def _flush_periodically(self) -> None:
        while not self._stopping.wait(self.interval_s):
            self.flush()

    def close(self) -> None:
        """Write what is kept; later lines are written at once. WHY: ``logging.config``
        (uvicorn configures logging when the server is set up) closes every existing handler
        but leaves it on its logger, which keeps sending it records."""
        self._stopping.set()
        self.flush()
        super().close()


def configure_access_log(formatter: logging.Formatter | None = None) -> None:
    """JSON lines, nothing else on the line: easy to ship to any log collector. ``formatter``
    replaces that plain line (``rcm_graph.cli.logs`` gives json mode's envelope)."""
    access = logging.getLogger("rcm_graph.access")
    if any(getattr(h, "_rcm_access", False) for h in access.handlers):
        return
    handler = BufferedLineHandler(sys.stderr)
    handler.setFormatter(formatter or logging.Formatter("%(message)s"))
    handler._rcm_access = True  # type: ignore[attr-defined]
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    access.propagate = False


def run_server(
    settings: Settings,
    *,
    sockets: list[socket.socket] | None = None,
    access_formatter: logging.Formatter | None = None,
) -> int:
    """Serve until interrupted; returns the process exit code (0 after a clean shutdown).

    ``sockets``: already bound listening sockets (``rcm-graph serve`` binds first, to report a
    taken port before any work); without them uvicorn binds ``settings.host:settings.port``.

    Logging is the caller's (``rcm_graph.cli.logs``): uvicorn gets no ``log_config``, so it
    installs no handler and its records reach the root logger's, in the run's one format.
    """
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        access_log=False,
        log_config=None,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        log_level="debug" if settings.debug else "info",
        timeout_keep_alive=5,
        http=protocol_with_read_timeout(settings.request_read_timeout_s),
    )
    configure_access_log(access_formatter)
    server = _AnnouncingServer(config, settings)
    try:
        server.run(sockets=sockets)
    except SystemExit as exc:  # uvicorn's own exit: the application failed to start
        return EXIT_UNAVAILABLE if exc.code else 0
    return 0 if server.started else EXIT_UNAVAILABLE


class _AnnouncingServer(uvicorn.Server):
    """Logs where the data is served once the server accepts connections, not before: a line
    saying "serving" followed by a failure to start was the first thing a user saw on a busy
    port."""

    def __init__(self, config: uvicorn.Config, settings: Settings) -> None:
        super().__init__(config)
        self.settings = settings

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if not self.started:
            return
        s = self.settings
        host, port = s.host, s.port
        for server in self.servers:
            for sock in server.sockets or ():
                host, port = sock.getsockname()[:2]  # the real port when 0 was asked for
        log.info(
            "serving %s on http://%s:%d/sparql (%d+%d query workers, timeout %g s, "
            "max %d rows, result cache %d MiB)",
            s.data_dir,
            f"[{host}]" if ":" in host else host,
            port,
            s.query_workers,
            s.query_fast_workers,
            s.query_timeout_s,
            s.max_result_rows,
            s.query_cache_mb,
        )

"""Log setup of every process the ``rcm-graph`` command starts: one format for every logger.

``log_format = "text"`` (default): ``LEVEL logger: message`` lines. ``log_format = "json"``:
one JSON object per line with ``time`` (ISO 8601, UTC), ``level``, ``logger``, ``message``, the
record's extra fields, and ``exception`` when there is a traceback; a log collector parses each
line without knowing which part of the program wrote it.

Every logger writes through one handler on the root logger (stderr): ours (``rcm_graph.*``),
uvicorn's (``uvicorn.error``; the server passes no ``log_config`` to uvicorn, so uvicorn installs
no handler of its own and its records reach the root), and Python warnings
(``logging.captureWarnings``). The access log (``rcm_graph.access``) keeps its own buffered
handler (``rcm_graph.web.server``), for throughput; :func:`access_formatter` gives it the same
JSON envelope in json mode and leaves it as it always was (the middleware's JSON object, alone
on the line) in text mode, so existing log pipelines keep working.

Errors the command reports itself (``rcm-graph: error: ...``) go through :func:`report`, so
that in json mode stderr holds nothing but JSON lines.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

TEXT_FORMAT = "%(levelname)s %(name)s: %(message)s"

# Attributes every LogRecord has; anything else on a record is an ``extra`` field.
_RECORD_ATTRIBUTES = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "taskName",
    "color_message",  # uvicorn's copy of the message with terminal colours
}

_CLI_LOGGER = "rcm_graph.cli"


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line (newlines in values are escaped by JSON)."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(self.fields(record), ensure_ascii=False, default=str)

    def fields(self, record: logging.LogRecord) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _RECORD_ATTRIBUTES and key not in entry and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return entry


class AccessJsonFormatter(JsonFormatter):
    """The access log in json mode: the middleware's fields (method, path, status, ms, ...)
    beside the common ones, and a short message for people reading the raw stream.

    The middleware already writes a JSON object as the message; it is parsed once here, only
    in json mode, at a few microseconds a request.
    """

    def fields(self, record: logging.LogRecord) -> dict[str, Any]:
        entry = super().fields(record)
        try:
            access = json.loads(entry["message"])
        except ValueError:
            return entry
        if isinstance(access, dict):
            entry["message"] = f"{access.get('method')} {access.get('path')} {access.get('status')}"
            for key, value in access.items():
                entry.setdefault(key, value)
        return entry


def formatter(log_format: str) -> logging.Formatter:
    """The formatter of every handler except the access log's."""
    return JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)


def access_formatter(log_format: str) -> logging.Formatter:
    """The formatter of the access log's handler (see the module docstring)."""
    return AccessJsonFormatter() if log_format == "json" else logging.Formatter("%(message)s")


def configure_logging(log_format: str, *, debug: bool = False) -> None:
    """Send every logger to stderr in ``log_format``; replaces what an earlier call installed
    (the handler writes to the ``sys.stderr`` of the moment, which tests may have swapped)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_rcm_root", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter(log_format))
    handler._rcm_root = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    logging.captureWarnings(True)


def _json_configured() -> bool:
    return any(
        getattr(h, "_rcm_root", False) and isinstance(h.formatter, JsonFormatter)
        for h in logging.getLogger().handlers
    )


def report(message: str, *, level: int = logging.ERROR, **fields: object) -> None:
    """A line the command itself tells the user (an error, an interruption): plain on stderr
    (``rcm-graph: error: ...``), or, once json logging is configured, a record of logger
    ``rcm_graph.cli`` with ``fields`` (e.g. the exit code) beside the message."""
    if _json_configured():
        extra = {key: value for key, value in fields.items() if value is not None}
        logging.getLogger(_CLI_LOGGER).log(level, "%s", message, extra=extra)
    elif level >= logging.ERROR:
        print(f"rcm-graph: error: {message}", file=sys.stderr)
    else:
        print(f"rcm-graph: {message}", file=sys.stderr)

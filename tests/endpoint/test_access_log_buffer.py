"""The access log's batching handler: lines arrive late by at most the flush interval, and
none is lost at a clean shutdown."""

from __future__ import annotations

import io
import logging
import time

from rcm_graph.web.server import ACCESS_LOG_BUFFER_BYTES, BufferedLineHandler


def _logger(handler: logging.Handler, name: str) -> logging.Logger:
    logger = logging.getLogger(name)
    logger.handlers = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger


def test_lines_are_batched_then_written_within_the_interval() -> None:
    stream = io.StringIO()
    handler = BufferedLineHandler(stream, interval_s=0.2)
    logger = _logger(handler, "rcm_graph.test.batched")
    try:
        logger.info('{"n": 1}')
        logger.info('{"n": 2}')
        assert stream.getvalue() == ""  # kept, not written one by one
        deadline = time.monotonic() + 5
        while stream.getvalue() == "" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert stream.getvalue() == '{"n": 1}\n{"n": 2}\n'
    finally:
        handler.close()


def test_a_full_buffer_is_written_at_once_and_close_writes_the_rest() -> None:
    stream = io.StringIO()
    handler = BufferedLineHandler(stream, interval_s=60)
    logger = _logger(handler, "rcm_graph.test.full")
    line = "x" * 1000
    for _ in range(ACCESS_LOG_BUFFER_BYTES // 1000 + 1):
        logger.info(line)
    assert stream.getvalue().count("\n") == ACCESS_LOG_BUFFER_BYTES // 1000 + 1
    logger.info("last")
    assert not stream.getvalue().endswith("last\n")
    handler.close()
    assert stream.getvalue().endswith("last\n")


def test_after_close_lines_are_written_at_once() -> None:
    """``logging.config`` (run by uvicorn) closes existing handlers but leaves them on their
    loggers: what they still receive must not wait for a flush that never comes."""
    stream = io.StringIO()
    handler = BufferedLineHandler(stream, interval_s=60)
    logger = _logger(handler, "rcm_graph.test.closed")
    handler.close()
    logger.info("late")
    assert stream.getvalue() == "late\n"

"""How ``rcm-graph build`` shows its progress: a live display on a terminal, plain lines elsewhere.

WHY two renderings of the same events (:class:`rcm_graph.pipeline.progress.BuildEvents`): a
person at a terminal wants one screen that says how far the build is (documents done of the
total, the rate, the time left, and where each global step stands), redrawn in place; a CI log
or a file wants lines, without escape codes, few enough to read at 10,000 documents: the step
lines, the skipped documents, and a count with rate and time left every ``interval_s`` seconds
(the process that runs each document still names it as it starts, so a log shows which
document a hung or killed build was working on). The live display is drawn with ``rich``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

from rcm_graph.pipeline.figures import GLOBAL_STAGES
from rcm_graph.pipeline.progress import BuildEvents

# The rows of the live display, in the order the build runs them (``documents``: the stream of
# documents, between ``background`` and the first ``store`` flush; ``publish``: the switch).
ROWS = (*GLOBAL_STAGES[:2], "documents", *GLOBAL_STAGES[2:], "publish")
PLAIN_INTERVAL_S = 15.0


def duration(seconds: float) -> str:
    """``42s``, ``3m 07s``, ``1h 05m``: short enough for a progress line."""
    s = round(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m {s % 60:02d}s"
    return f"{s // 3600}h {s % 3600 // 60:02d}m"


@dataclass
class DocumentCount:
    """Documents done of the total, and the rate of the ones computed (not from the cache).

    WHY the rate leaves the cache out: cached documents are streamed first and take
    milliseconds; counting them would promise a time left that the computed ones never keep.
    """

    total: int = 0
    cached: int = 0
    done: int = 0
    skipped: int = 0
    computed: int = 0
    last: str = ""
    started: float = field(default_factory=time.monotonic)
    computing_since: float = field(default_factory=time.monotonic)
    ended: float | None = None  # when the last document was done: the figures stop there

    def found(self, total: int, cached: int) -> None:
        self.total, self.cached = total, cached
        self.started = self.computing_since = time.monotonic()

    def add(self, source: str, *, cached: bool, skipped: bool = False) -> None:
        self.done += 1
        self.skipped += skipped
        self.last = source or self.last
        if cached:
            self.computing_since = time.monotonic()
        else:
            self.computed += 1
        if self.done >= self.total:
            self.ended = time.monotonic()

    def _now(self) -> float:
        return self.ended if self.ended is not None else time.monotonic()

    def elapsed(self) -> float:
        return self._now() - self.started

    def rate(self) -> float | None:
        """Computed documents per second, once one is done."""
        elapsed = self._now() - self.computing_since
        return self.computed / elapsed if self.computed and elapsed > 0 else None

    def left_s(self) -> float | None:
        rate = self.rate()
        return (self.total - self.done) / rate if rate else None

    def line(self) -> str:
        """``1,234/10,000 (12%) · 1.9 documents/s · 1h 16m left · 2 skipped``."""
        percent = 100 * self.done // self.total if self.total else 100
        parts = [f"{self.done:,}/{self.total:,} ({percent}%)"]
        if self.done == self.total:
            parts.append(f"in {duration(self._now() - self.started)}")
        rate, left = self.rate(), self.left_s()
        if rate is not None:
            parts.append(f"{rate:.1f} documents/s" if rate < 10 else f"{rate:.0f} documents/s")
        if left is not None and self.done < self.total:
            parts.append(f"{duration(left)} left")
        if self.cached:
            parts.append(f"{self.cached:,} cached")
        if self.skipped:
            parts.append(f"{self.skipped:,} skipped")
        return " · ".join(parts)


class PlainProgress(BuildEvents):
    """Lines for a log: each global step as it starts (``[name] what``, as before), each
    skipped document's error at once, and the document count every ``interval_s`` seconds
    and when the last document is done."""

    announce_documents = True

    def __init__(self, stream: TextIO, *, interval_s: float = PLAIN_INTERVAL_S) -> None:
        self.stream = stream
        self.interval_s = interval_s
        self.count = DocumentCount()
        self._printed = time.monotonic()

    def _print(self, line: str) -> None:
        print(line, file=self.stream, flush=True)

    def step_started(self, name: str, what: str) -> None:
        self._print(f"[{name}] {what}".rstrip())

    def documents_found(self, total: int, cached: int) -> None:
        self.count.found(total, cached)
        self._print(f"[documents] {total:,} to build, {cached:,} of them from the cache")
        self._printed = time.monotonic()

    def document_done(self, source: str, *, cached: bool) -> None:
        self.count.add(source, cached=cached)
        self._maybe_count()

    def document_skipped(self, errors: Sequence[str]) -> None:
        for error in errors:
            self._print(f"skipped: {error}")
        self.count.add("", cached=False, skipped=True)
        self._maybe_count()

    def _maybe_count(self) -> None:
        now = time.monotonic()
        if self.count.done >= self.count.total or now - self._printed >= self.interval_s:
            self._print(f"[documents] {self.count.line()}")
            self._printed = now


@dataclass
class _Row:
    what: str = ""
    seconds: float = 0.0  # of the runs that ended
    state: str = "pending"  # pending, running, done
    since: float = 0.0  # when the running run started

    def shown_seconds(self) -> float:
        running = time.monotonic() - self.since if self.state == "running" else 0.0
        return self.seconds + running


class LiveProgress(BuildEvents):
    """One screen redrawn in place (``rich.live``): a row per global step (pending, running
    with a spinner, or done with its seconds) and a bar for the documents with their count,
    rate and time left. Skipped documents are printed above it as they happen; the last
    state stays on the screen when the build ends."""

    announce_documents = False

    def __init__(self, console: Console) -> None:
        self.console = console
        self.count = DocumentCount()
        self._rows = {name: _Row() for name in ROWS}
        self._lock = threading.Lock()
        self._spinner = Spinner("dots", style="cyan")
        self._live = Live(
            get_renderable=self._render,
            console=console,
            refresh_per_second=8,
            transient=False,
            # WHY no redirection: build workers are forked while the display runs; a child
            # that inherited rich's proxy for sys.stderr could block forever on a console
            # lock its parent's refresh thread held at the fork.
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._live.start()
        self._closed = False

    def step_started(self, name: str, what: str) -> None:
        with self._lock:
            row = self._rows.setdefault(name, _Row())
            row.what, row.state, row.since = what, "running", time.monotonic()
            documents = self._rows["documents"]
            if documents.state == "running" and name != "store":  # the stream has ended
                documents.seconds, documents.state = self.count.elapsed(), "done"

    def step_finished(self, name: str, seconds: float) -> None:
        with self._lock:
            row = self._rows[name]
            row.seconds += seconds
            row.state = "done"

    def documents_found(self, total: int, cached: int) -> None:
        with self._lock:
            self.count.found(total, cached)
            row = self._rows["documents"]
            row.state, row.since = "running", time.monotonic()

    def document_done(self, source: str, *, cached: bool) -> None:
        with self._lock:
            self.count.add(source, cached=cached)
            self._documents_finished()

    def document_skipped(self, errors: Sequence[str]) -> None:
        for error in errors:
            self._live.console.print(Text(f"skipped: {error}", style="yellow"))
        with self._lock:
            self.count.add("", cached=False, skipped=True)
            self._documents_finished()

    def _documents_finished(self) -> None:
        if self.count.done >= self.count.total:
            row = self._rows["documents"]
            row.seconds, row.state = self.count.elapsed(), "done"

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._live.stop()

    def _render(self) -> RenderableType:
        with self._lock:
            table = Table.grid(padding=(0, 1))
            table.add_column()
            table.add_column()
            table.add_column(justify="right", min_width=7)
            table.add_column()
            for name, row in self._rows.items():
                table.add_row(*self._cells(name, row))
            return Group(table)

    def _cells(self, name: str, row: _Row) -> tuple[RenderableType, ...]:
        mark: RenderableType
        if row.state == "running":
            mark = self._spinner
        elif row.state == "done":
            mark = Text("✔", style="green")
        else:
            mark = Text("·", style="dim")
        label = Text(name, style="bold" if row.state == "running" else "")
        seconds = Text(f"{row.shown_seconds():.1f}s" if row.state != "pending" else "", "dim")
        if name == "documents" and self.count.total:
            return mark, label, seconds, self._documents_cell()
        return mark, label, seconds, Text(row.what, style="dim")

    def _documents_cell(self) -> RenderableType:
        count = self.count
        bar = ProgressBar(total=count.total or 1, completed=count.done, width=24)
        text = Text(count.line(), no_wrap=True, overflow="ellipsis")
        if count.last and count.done < count.total:
            text.append(f" · {count.last}", style="dim")
        grid = Table.grid(padding=(0, 1))
        grid.add_row(bar, text)
        return grid


def build_progress(stream: TextIO) -> BuildEvents:
    """The live display when ``stream`` is a terminal that can move its cursor (``TERM`` is not
    ``dumb``), plain lines otherwise (a pipe, a file, CI).

    WHY ``isatty`` and not rich's own test: rich also calls a stream a terminal when
    ``FORCE_COLOR`` is set, as many CI services do, and a log must not get redraws."""
    console = Console(file=stream)
    if stream.isatty() and not console.is_dumb_terminal:
        return LiveProgress(console)
    return PlainProgress(stream)


__all__ = ["ROWS", "DocumentCount", "LiveProgress", "PlainProgress", "build_progress", "duration"]

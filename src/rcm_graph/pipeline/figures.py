"""What a build measures about itself: wall seconds, CPU seconds and peak-RSS rises per stage.

WHY its own module: the figures go into the manifest and the benchmarks' reports
(``benchmarks/report.py`` reads the stage names from here), and they are the same whichever
steps the build runs; keeping them apart keeps :mod:`rcm_graph.pipeline.run` about the build.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rcm_graph.pipeline.progress import QUIET, BuildEvents

# Per-document stages (summed over documents, whichever process ran them) and the global steps
# (see :func:`rcm_graph.pipeline.run.build`), as they appear in ``stage_seconds``.
PER_DOCUMENT_STAGES = ("extract", "map", "reason", "validate")
GLOBAL_STAGES = (
    "load",
    "background",
    "store",
    "shared-validation",
    "cross-reasoning",
    "edits",
    "stats",
    "dumps",
)
STAGES = PER_DOCUMENT_STAGES + GLOBAL_STAGES


class Timer:
    """Wall seconds per stage, CPU seconds of this process (all its threads) per stage, and
    how much each stage raised the process's peak RSS.

    CPU is what says whether a global step grows linearly on a machine shared with other
    jobs, where wall time also measures the neighbours. Per-document stages run in workers,
    whose wall seconds are added as reported; they have no CPU entry here. The peak is the
    process's high-water mark (it cannot be reset without falsifying what ``wait4`` reports
    to a benchmark), so a stage is charged what the mark rose since the previous window
    ended: in the streaming loop, the document handling between two ``store`` windows is
    charged to ``store``. Each global step is also reported to ``events`` as it starts and
    ends (:mod:`rcm_graph.pipeline.progress`)."""

    def __init__(self, events: BuildEvents | None) -> None:
        self.seconds: dict[str, float] = {}
        self.cpu_seconds: dict[str, float] = {}
        self.peak_rss_raise_mib: dict[str, float] = {}
        self.events = events or QUIET
        self._peak = peak_rss_mib()

    @contextmanager
    def stage(self, name: str, what: str = "") -> Iterator[None]:
        self.events.step_started(name, what)
        started = time.perf_counter()
        try:
            with self.window(name):
                yield
        finally:
            self.events.step_finished(name, time.perf_counter() - started)

    @contextmanager
    def window(self, name: str) -> Iterator[None]:
        """Add the wall and process CPU time of the enclosed block to stage ``name``."""
        started, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
            spent = time.process_time() - cpu
            self.cpu_seconds[name] = self.cpu_seconds.get(name, 0.0) + spent
            peak = peak_rss_mib()
            raised = self.peak_rss_raise_mib.get(name, 0.0) + peak - self._peak
            self.peak_rss_raise_mib[name], self._peak = raised, peak


def peak_rss_mib() -> float:
    """This process's peak RSS so far.

    WHY ``VmHWM`` first: ``ru_maxrss`` survives ``execve``, so a build started by a larger
    process (a benchmark, a test runner) would report its parent's peak until it exceeded
    it. Where there is no ``/proc``, ``ru_maxrss`` (KiB on Linux, bytes on macOS)."""
    try:
        with Path("/proc/self/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024

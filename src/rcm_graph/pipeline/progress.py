"""What a running build tells whoever watches it: the events, not how they are shown.

WHY an interface of its own: the pipeline knows what is happening (how many documents there
are, which one is done, which global step starts); only the caller knows where it goes (a live
display on a terminal, plain lines in a CI log, nothing for a library caller). The build calls
these methods; the CLI (:mod:`rcm_graph.cli.progress`) renders them. The base class does
nothing, so a caller overrides only what it shows, and the build never checks for ``None``
beyond the one place that picks this default.
"""

from __future__ import annotations

from collections.abc import Sequence


class BuildEvents:
    """The build's progress, reported as it happens (every method does nothing here).

    Calls come from the build process only, in this order: the global steps ``load`` and
    ``background``, :meth:`documents_found`, one :meth:`document_done` or
    :meth:`document_skipped` per document (interleaved with ``store`` steps), the remaining
    global steps, ``publish`` when the build is published, then :meth:`close`.
    """

    # Whether each document's start is printed on stderr by the process that runs it
    # (``[document] name ...``): in a log it names the document a hung or killed build was
    # working on; a live display turns it off (a worker's line would tear the display).
    announce_documents: bool = False

    def step_started(self, name: str, what: str) -> None:
        """A global step (``rcm_graph.pipeline.figures.GLOBAL_STAGES``, or ``publish``) starts;
        a step may run several times (``store``), each time with its own ``what``."""

    def step_finished(self, name: str, seconds: float) -> None:
        """The step started last has ended after ``seconds`` of wall time."""

    def documents_found(self, total: int, cached: int) -> None:
        """The corpus holds ``total`` documents, ``cached`` of them already in the cache."""

    def document_done(self, source: str, *, cached: bool) -> None:
        """One document's triples are in the new store (``cached``: taken from the cache)."""

    def document_skipped(self, errors: Sequence[str]) -> None:
        """One document could not be used: its one-line errors (``file: what; hint``). The
        build goes on without it and exits 2 (see :func:`rcm_graph.pipeline.output.run_build`)."""

    def close(self) -> None:
        """The build is over (finished or failed): a live display stops here, before the
        summary is printed."""


QUIET = BuildEvents()


__all__ = ["QUIET", "BuildEvents"]

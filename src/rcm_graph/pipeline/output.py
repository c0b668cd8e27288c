"""The build's command-line verbs: ``rcm-graph build`` and ``rcm-graph validate``.

Data goes to stdout, the summary, progress and reports to stderr; the exit codes are the ones
the CLI documents (0 ok, 1 not conformant, 2 some documents could not be read).
"""

from __future__ import annotations

import sys
from pathlib import Path

import rcm_graph.query.remote as remote
from rcm_graph.model.iris import Iris
from rcm_graph.pipeline.figures import Progress
from rcm_graph.pipeline.run import build
from rcm_graph.pipeline.validate import validate_dataset
from rcm_graph.settings import Settings
from rcm_graph.stages.validation import format_report


def _stderr_progress() -> Progress | None:
    """Progress lines on stderr, a terminal or not (a log shows which document is running)."""

    def show(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    return show


def run_build(settings: Settings, *, allow_invalid: bool, full: bool, target: str | None) -> int:
    """``rcm-graph build``: exit 0 when published, 1 when not conformant (not published),
    2 when some documents could not be read (the others were built and published)."""
    summary = build(settings, allow_invalid=allow_invalid, full=full, progress=_stderr_progress())
    iris = Iris(settings.base_iri)
    if not summary.report.conforms:
        print(format_report(summary.report), file=sys.stderr)
    print(summary.format(iris), file=sys.stderr)
    if not summary.published:
        print(
            f"not published: the data does not conform; the current dataset is unchanged "
            f"(new build kept in {summary.build_dir}; use --allow-invalid to publish anyway)",
            file=sys.stderr,
        )
        return 1
    print(f"published: {summary.build_dir}", file=sys.stderr)
    if target:
        _load_into_target(target, summary.build_dir)
    return 2 if summary.errors else 0


def _load_into_target(target: str, build_dir: Path) -> None:
    """``build --target``: load the published build into a remote SPARQL store."""
    report = remote.load_into(target, build_dir)
    print(
        f"loaded {report.triples} triples in {report.graphs} graphs into {target} "
        f"({report.seconds:.1f}s)",
        file=sys.stderr,
    )


def run_validate(settings: Settings) -> int:
    """``rcm-graph validate``: print the report; exit 1 when the dataset does not conform."""
    report = validate_dataset(settings)
    print(format_report(report))
    return 0 if report.conforms else 1

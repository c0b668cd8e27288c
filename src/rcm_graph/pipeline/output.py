"""The build's command-line verbs: ``rcm-graph build`` and ``rcm-graph validate``.

Data goes to stdout, the summary, progress and reports to stderr; the exit codes are the ones
the CLI documents (0 ok, 1 not conformant, 2 some documents could not be read).
"""

from __future__ import annotations

import sys
from pathlib import Path

import rcm_graph.query.remote as remote
from rcm_graph.errors import EXIT_BAD_INPUT, EXIT_FAILED
from rcm_graph.model.iris import Iris
from rcm_graph.pipeline.progress import BuildEvents
from rcm_graph.pipeline.run import build
from rcm_graph.pipeline.summary import BuildSummary
from rcm_graph.pipeline.validate import validate_dataset
from rcm_graph.settings import Settings
from rcm_graph.stages.validation import format_report

# The exit codes the CLI documents (README, "Exit codes").
EXIT_NOT_CONFORMANT = EXIT_FAILED
EXIT_SKIPPED = EXIT_BAD_INPUT  # published, but documents were skipped: their input was bad


def run_build(
    settings: Settings,
    *,
    allow_invalid: bool,
    full: bool,
    target: str | None,
    progress: BuildEvents | None = None,
) -> int:
    """``rcm-graph build``: exit 0 when published, 1 when not conformant (not published),
    2 when some documents could not be read (the others were built and published).

    ``progress`` shows the build as it runs (the CLI passes a live display on a terminal,
    plain lines elsewhere: :mod:`rcm_graph.cli.progress`); it is closed before the summary is
    printed. Skipped documents are reported as they happen and again as the last lines, with
    what exit 2 means: printed only among the summary's lines, they were easy to miss."""
    if target:
        remote.check_target(target)
    try:
        summary = build(settings, allow_invalid=allow_invalid, full=full, progress=progress)
    finally:
        if progress is not None:
            progress.close()
    iris = Iris(settings.base_iri)
    if not summary.report.conforms:
        print(format_report(summary.report), file=sys.stderr)
    print(summary.format(iris), file=sys.stderr)
    if not summary.published:
        _print_skipped(summary)
        print(
            f"not published: the data does not conform; the current dataset is unchanged "
            f"(new build kept in {summary.build_dir}; use --allow-invalid to publish anyway)",
            file=sys.stderr,
        )
        return EXIT_NOT_CONFORMANT
    print(f"published: {summary.build_dir}", file=sys.stderr)
    if target:
        _load_into_target(target, summary.build_dir)
    if summary.errors:
        _print_skipped(summary)
        print(
            f"exit {EXIT_SKIPPED}: published without the {_documents(len(summary.errors))} "
            f"skipped above; fix or remove them, then rebuild",
            file=sys.stderr,
        )
        return EXIT_SKIPPED
    return 0


def _documents(n: int) -> str:
    return f"{n} document{'s' if n != 1 else ''}"


def _print_skipped(summary: BuildSummary) -> None:
    """The skipped documents' errors as one block (each error names its file)."""
    if not summary.errors:
        return
    print(
        f'{_documents(len(summary.errors))} skipped (also listed under "errors" in '
        f"{summary.build_dir / 'manifest.json'}):",
        file=sys.stderr,
    )
    for error in summary.errors:
        print(f"  skipped: {error}", file=sys.stderr)


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

"""The ``rcm-graph builds`` and ``rcm-graph rollback`` verbs: what a data directory keeps, and
going back to the previous build (the substance is in :mod:`rcm_graph.store.builds`)."""

from __future__ import annotations

import json
import sys
from typing import TextIO

from rcm_graph.settings import Settings
from rcm_graph.store.builds import KeptBuild, kept_builds, rollback

MARKS = {"current": "*", "previous": "<"}


def size_text(n: int) -> str:
    """``812 KiB``, ``3.4 MiB``, ``1.2 GiB``."""
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit in ("B", "KiB") else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def _cells(build: KeptBuild) -> list[str]:
    created = build.created[:19].replace("T", " ") if build.created else "-"

    def number(n: int | None) -> str:
        return f"{n:,}" if n is not None else "-"

    conforms = {True: "yes", False: "NO", None: "-"}[build.conformant]
    return [
        MARKS.get(build.status, " "),
        build.build_id,
        build.status,
        created,
        size_text(build.bytes),
        number(build.documents),
        number(build.skipped),
        number(build.triples),
        conforms,
    ]


def render_builds(builds: list[KeptBuild]) -> str:
    """A table, newest first, ``*`` marking the current build and ``<`` the previous one."""
    header = [
        *("", "build", "status", "created (UTC)", "size"),
        *("documents", "skipped", "triples", "conforms"),
    ]
    rows = [header, *(_cells(b) for b in reversed(builds))]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    right = {4, 5, 6, 7}
    lines = [
        "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]
    return "\n".join(line.rstrip() for line in lines)


def run_builds_command(settings: Settings, *, as_json: bool, out: TextIO) -> int:
    """``rcm-graph builds``: the kept builds as a table (or JSON) on stdout; exit 0."""
    builds = kept_builds(settings.data_dir)
    if as_json:
        json.dump([b.as_json() for b in builds], out, indent=2)
        out.write("\n")
    elif builds:
        print(render_builds(builds), file=out)
        if not any(b.status == "previous" for b in builds):
            print("(no previous build: `rcm-graph rollback` has nothing to go back to)", file=out)
    else:
        print(
            f"rcm-graph: no builds in {settings.data_dir}: build one with "
            f"`rcm-graph build --data-dir {settings.data_dir}`",
            file=sys.stderr,
        )
    return 0


def run_rollback_command(settings: Settings) -> int:
    """``rcm-graph rollback``: switch ``current`` to the previous build (exit 0), or refuse
    with one line (exit 2, raised as a ``DatasetError``)."""
    left, now = rollback(settings.data_dir)
    print(
        f"rolled back: current is now {now.name} (was {left.name}); a running server answers "
        f"from it at its next request. `rcm-graph rollback` again switches back.",
        file=sys.stderr,
    )
    return 0


__all__ = ["render_builds", "run_builds_command", "run_rollback_command", "size_text"]

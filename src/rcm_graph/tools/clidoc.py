"""Generate the CLI reference (docs/cli.md) from the real ``--help`` texts.

The reference is generated, not written, so it cannot drift: a test regenerates it and compares.
"""

from __future__ import annotations

import argparse
import io
from contextlib import redirect_stdout

from rcm_graph.cli.main import build_parser


def _help_text(parser: argparse.ArgumentParser) -> str:
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        parser.print_help()
    return buffer.getvalue().rstrip()


def _fixed_width(parser: argparse.ArgumentParser, width: int) -> None:
    """Render help at a fixed width so the output does not depend on the terminal (keeping a
    parser's own formatter class: ``settings`` prints its epilog as laid out)."""
    kind: object = parser.formatter_class
    base = kind if isinstance(kind, type) and issubclass(kind, argparse.HelpFormatter) else None
    base = base or argparse.HelpFormatter

    def formatter(prog: str) -> argparse.HelpFormatter:
        return base(prog, width=width, max_help_position=30)

    parser.formatter_class = formatter


def render_cli_reference(width: int = 100) -> str:
    """Markdown with the help of the command and of every verb."""
    parser = build_parser()
    _fixed_width(parser, width)
    parts = [
        "# CLI reference",
        "",
        "Generated from `rcm-graph --help` by `scripts/gen-cli-docs`; a test checks it is current.",
        "",
        "## rcm-graph",
        "",
        "```text",
        _help_text(parser),
        "```",
    ]
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, verb_parser in sub.choices.items():
        _fixed_width(verb_parser, width)
        parts += ["", f"## rcm-graph {name}", "", "```text", _help_text(verb_parser), "```"]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(render_cli_reference(), end="")

"""The CLI as a user meets it: help for every verb, version, settings and exit codes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from rcm_graph import __version__
from rcm_graph.cli.main import build_parser, main

VERBS = ("build", "query", "validate", "serve", "dump", "settings", "builds", "rollback")


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rcm_graph", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"rcm-graph {__version__}"


@pytest.mark.parametrize("verb", VERBS)
def test_every_verb_has_help_with_exit_codes(verb: str) -> None:
    result = run_cli(verb, "--help")
    assert result.returncode == 0, result.stderr
    assert f"rcm-graph {verb}" in result.stdout
    assert "exit codes" in result.stdout


def test_parser_knows_exactly_the_documented_verbs() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "verb")
    assert set(sub.choices) == set(VERBS)  # type: ignore[arg-type]


def test_settings_reports_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["settings", "--port", "8123"]) == 0
    out = capsys.readouterr().out
    assert "port" in out and "8123" in out and "flag --port" in out


def test_bad_configuration_is_one_line_exit_2() -> None:
    import os

    env = dict(os.environ, RCM_GRAPH_PORT="not-a-port")
    result = run_cli("settings", env=env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "RCM_GRAPH_PORT" in lines[0]
    assert "Traceback" not in result.stderr


def test_unknown_verb_is_usage_error() -> None:
    result = run_cli("frobnicate")
    assert result.returncode == 2

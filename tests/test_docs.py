"""Generated documentation stays current, and every setting is documented in the README."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from rcm_graph.settings import Settings, env_name
from rcm_graph.tools.clidoc import render_cli_reference

ROOT = Path(__file__).resolve().parent.parent


def test_cli_reference_is_current() -> None:
    expected = render_cli_reference()
    actual = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/cli.md is stale: run scripts/gen-cli-docs"


def test_every_setting_is_documented_in_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [
        env_name(f.name)
        for f in dataclasses.fields(Settings)
        if f.name != "sources" and env_name(f.name) not in readme
    ]
    assert not missing, f"README does not document {missing}"

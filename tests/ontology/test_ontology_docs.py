"""The generated ontology documentation (docs/ontology/index.html) is up to date and complete."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from rcm_graph.model import vocab

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "gen-ontology-docs"
PAGE = REPO / "docs" / "ontology" / "index.html"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False
    )


def test_checked_in_docs_are_up_to_date() -> None:
    done = run("--check")
    assert done.returncode == 0, done.stderr


def test_the_check_fails_on_a_stale_page(tmp_path: Path) -> None:
    stale = tmp_path / "index.html"
    stale.write_text(PAGE.read_text(encoding="utf-8").replace("Actor", "Akter", 1), "utf-8")
    done = run("--check", "--out", str(stale))
    assert done.returncode == 1 and "out of date" in done.stderr


def test_every_term_has_a_section_with_both_labels() -> None:
    page = PAGE.read_text(encoding="utf-8")
    anchors = set(re.findall(r'<section class="term" id="([^"]+)">', page))
    assert anchors == set(vocab.CLASSES) | set(vocab.PROPERTIES)
    heading = '<h3>participated in <span class="es">· participó en</span>'
    assert f'<section class="term" id="participatedIn">{heading}' in page

"""Extraction quality measured by the shared dev set, which nobody on the team wrote.

``../shared/devset`` (beside the checkout; CI lays it there) holds eighteen real documents of
this family with gold annotations, the five bundled documents' gold, a scorer and a runner that
builds both sets with our own CLI and scores the canonical views of ``queries/``. This test runs
that runner exactly as a person would (``bash ../shared/devset/run``) and fails when a figure
falls below its floor, so that an extraction regression cannot land.

WHY floors and targets apart: the targets are issue 16's. A floor below its target is a figure
the extractor has reached but not yet the target; it is a ratchet (raise it when the figure
rises, never lower it) and it is listed in the README as not met. The blind set that finally
judges the extractor is not visible to us, so these figures are the evidence we have.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEVSET = Path(os.environ.get("RCM_GRAPH_DEVSET", ROOT.parent / "shared" / "devset"))

#: Issue 16's targets (F1; "due" is the share of gold due dates found exactly).
TARGETS: dict[str, dict[str, float]] = {
    "seed": {
        "meetings": 0.95,
        "states": 0.95,
        "orgs": 0.85,
        "persons": 0.90,
        "commitments": 0.85,
        "due": 0.80,
        "objectives": 0.75,
    },
    "dev": {
        "meetings": 0.90,
        "states": 0.95,
        "orgs": 0.85,
        "persons": 0.80,
        "commitments": 0.80,
        "due": 0.80,
        "objectives": 0.60,
    },
}

#: Floors where a target is not met yet (measured; raise them, never lower them).
NOT_YET: dict[str, dict[str, float]] = {
    # Two dev documents report the same meeting; the graph gives it one node, so the scorer
    # counts one document's participants as extras of the other (see the README).
    "seed": {},
    "dev": {"states": 0.947},
}

SUMMARY = re.compile(r"^(seed|dev): (.*)$", re.MULTILINE)


def floor(split: str, metric: str) -> float:
    return NOT_YET[split].get(metric, TARGETS[split][metric])


@pytest.fixture(scope="module")
def scores() -> dict[str, dict[str, float]]:
    runner = DEVSET / "run"
    if not runner.is_file():
        message = f"no dev set at {DEVSET}: it lies beside the checkout as ../shared/devset"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    env = dict(os.environ, RCM_GRAPH_CLI=str(Path(sys.executable).parent / "rcm-graph"))
    done = subprocess.run(
        ["bash", str(runner)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    found: dict[str, dict[str, float]] = {}
    for split, figures in SUMMARY.findall(done.stdout):
        found[split] = {k: float(v) for k, v in (f.split("=") for f in figures.split())}
    assert set(found) == {"seed", "dev"}, (
        f"the runner printed no scores:\n{done.stdout}\n{done.stderr}"
    )
    return found


@pytest.mark.slow
@pytest.mark.parametrize(
    ("split", "metric"), [(s, m) for s, targets in TARGETS.items() for m in targets]
)
def test_figure_holds_its_floor(
    scores: dict[str, dict[str, float]], split: str, metric: str
) -> None:
    got = scores[split][metric]
    assert got >= floor(split, metric), (
        f"{split} {metric}: F1 {got:.3f} fell below {floor(split, metric):.3f} "
        f"(target {TARGETS[split][metric]:.2f}); see `bash ../shared/devset/run --verbose`"
    )


def test_floors_are_below_their_targets() -> None:
    """A floor is a figure not yet at its target; one at or above it belongs in TARGETS."""
    for split, floors in NOT_YET.items():
        for metric, value in floors.items():
            assert value < TARGETS[split][metric], (split, metric)

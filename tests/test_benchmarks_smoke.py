"""The benchmark harness runs end to end on tiny data (``python -m benchmarks --quick``).

Not a timing test: it asserts that every target answered, that the answers of our endpoint and
``oxigraph serve`` agree, and that the report has its tables. Figures come from real runs
(docs/performance.md), never from CI.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_quick_benchmark_runs_and_reports(tmp_path: Path) -> None:
    results = ROOT / "benchmarks" / "results"
    before = set(results.glob("*-quick.json")) if results.exists() else set()
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--only", "build,http", "--no-rdflib"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    new = sorted(set(results.glob("*-quick.json")) - before)
    assert new, "no results file written"
    out = json.loads(new[-1].read_text())
    build = out["build"]["4"]["build"][0]
    assert build["rc"] in (0, 1) and build["peak_rss_mib"] > 0
    http = out["http"]
    targets = {c["target"] for c in http["cells"]}
    assert {"rcm-graph", "oxigraph-serve-mem", "fastapi-floor"} <= targets
    assert all(c["requests"] > 0 and c["errors"] == 0 for c in http["cells"]), http["cells"]
    for name, seen in http["agreement"].items():
        assert seen["rcm-graph"]["rows"] == seen["oxigraph-serve-mem"]["rows"], name
    assert "### Endpoint" in proc.stdout and "### Build" in proc.stdout
    assert set(build["manifest"]["stage_cpu_seconds"]) <= set(build["manifest"]["stage_seconds"])
    assert "### Build: CPU of the build process per global step" in proc.stdout

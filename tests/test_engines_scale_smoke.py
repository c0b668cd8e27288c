"""The whole-graph engine benchmark runs end to end on tiny data and reports.

Not a timing test (figures come from real runs, docs/performance.md): it asserts that every
engine ran in its own capped process, that the build's per-document + cross-document
reasoning gives the same closure on the data nodes as the same engine over the whole graph,
that outputs were compared, that a run over its CPU cap is reported as such, and that the
report renders those rows.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from benchmarks import synthetic
from benchmarks.engines_scale import measure
from benchmarks.report import _engines_scale

ROOT = Path(__file__).resolve().parent.parent
# the project's own engines always; the peers (the `bench` extra) when they are installed
PEERS = {"reasonable": "reasonable-whole", "pyrudof": "pyrudof-whole"}
ENGINES = ["rules-pipeline", "rules-whole", "pyshacl-turbo-whole"] + [
    engine for module, engine in PEERS.items() if importlib.util.find_spec(module) is not None
]


@pytest.mark.slow
def test_whole_graph_benchmark_compares_engines_and_reports_caps(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    synthetic.generate_corpus(corpus, 4, seed=7)
    results = tmp_path / "results.json"
    argv = [sys.executable, "-m", "benchmarks.engines", "whole-graph", "--scales", "4"]
    argv += ["--corpus", str(corpus), "--work-root", str(tmp_path), "--engines", ",".join(ENGINES)]
    argv += ["--cap-s", "120", "--rounds", "1", "--json", str(results)]
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]

    out = json.loads(results.read_text(encoding="utf-8"))
    assert out["machine"]["cpus"] >= 1
    scale = out["engines_scale"]["scales"]["4"]
    assert scale["meta"]["documents"] == 4
    assert scale["meta"]["document_triples"] > 1000
    runs = {r["engine"]: r for r in scale["runs"]}
    assert set(runs) == set(ENGINES)
    for engine, run in runs.items():
        assert run["status"] == "ok", (engine, run.get("stderr"))
        assert run["cpu_s"] > 0 and run["peak_rss_mib"] > 0, engine
    agreement = scale["agreement"]
    same = agreement["same_engine"]["rules-pipeline vs rules-whole"]
    assert same["same"], same
    assert same["common"] == runs["rules-whole"]["data_triples"] > 100
    # reasoning is compared with the build's closure, validation with pyshacl-turbo's results
    assert agreement["reference"] == {
        "reasoning": "rules-pipeline",
        "validation": "pyshacl-turbo-whole",
    }
    assert set(ENGINES) - {"rules-pipeline", "pyshacl-turbo-whole"} <= set(
        agreement["vs_reference"]
    )
    assert "out" not in runs["rules-whole"]  # no machine paths in the results file

    # a run over its CPU cap is stopped by the kernel and reported, not lost
    work = tmp_path / "engines-scale-4"
    raw = work / "capped.raw.nt"  # (a loaded machine: the wall backstop far off)
    capped = measure("owlrl-whole", work, raw, cap_s=1, mem_gib=8, wall_factor=300)
    assert capped["status"] == "cpu cap", capped
    scale["runs"].append(capped | {"round": 0, "kind": "reasoning"})

    text = _engines_scale(out["engines_scale"])
    assert "| 4 | " in text and "rules-pipeline vs rules-whole | yes" in text
    assert "| owlrl-whole | **> cap** (cpu cap" in text
    for engine in ENGINES:
        assert f"| {engine} |" in text

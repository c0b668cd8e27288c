"""``rcm-graph serve`` as a user runs it: a subprocess, JSON access logs, clean shutdown, and
building first when the data directory is empty."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from endpoint_support import parse_solutions, write_dataset

from live_server import free_port

pytestmark = pytest.mark.slow


def serve(data_dir: Path, port: int, *extra: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RCM_GRAPH_")}
    env["RCM_GRAPH_QUERY_WORKERS"] = "1"
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rcm_graph",
            "serve",
            "--data-dir",
            str(data_dir),
            "--port",
            str(port),
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )


def wait_healthy(proc: subprocess.Popen[str], url: str, within_s: float) -> None:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()[1]
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise AssertionError("server did not become healthy: " + proc.communicate()[1][-2000:])


def test_serve_logs_json_lines_and_stops_cleanly(tmp_path: Path) -> None:
    write_dataset(tmp_path)
    port = free_port()
    proc = serve(tmp_path, port)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(proc, url, 60)
        response = httpx.get(url + "/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert parse_solutions(response) is True
    finally:
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the whole group, query processes too
        _, stderr = proc.communicate(timeout=30)
    # uvicorn shuts down gracefully on Ctrl-C, then the CLI exits 130 as shells expect
    assert proc.returncode == 130, stderr
    assert "Application shutdown complete" in stderr
    assert "Traceback" not in stderr  # the query processes leave the shutdown to the server
    serving = [line for line in stderr.splitlines() if "serving" in line and "/sparql" in line]
    assert serving == [serving[0]] and f"http://127.0.0.1:{port}/sparql" in serving[0]
    records = []
    for line in stderr.splitlines():
        if line.startswith("{"):
            records.append(json.loads(line))
    sparql = [r for r in records if r.get("path") == "/sparql"]
    assert sparql, stderr
    record = sparql[-1]
    assert record["method"] == "GET" and record["status"] == 200
    assert record["query_form"] == "ASK" and record["rows"] == "1"
    assert isinstance(record["ms"], float) and record["bytes"] > 0 and "ts" in record


def test_serve_no_build_on_empty_dir_says_how_to_build(tmp_path: Path) -> None:
    proc = serve(tmp_path / "empty", free_port(), "--no-build")
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "rcm-graph build" in stderr


TINY_DOCUMENT = """Regional Conference on Migration

Press release

The Vice-Ministers of the member countries of the Regional Conference on Migration met in
Panama City, Panama, on 7 November 2019. The delegations of Mexico and Costa Rica participated.
"""


def test_serve_builds_first_when_no_dataset_exists(tmp_path: Path) -> None:
    """Runs the real pipeline (a one-document corpus keeps it to well under a minute)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "press-release.txt").write_text(TINY_DOCUMENT, encoding="utf-8")
    port = free_port()
    proc = serve(tmp_path / "data", port, "--corpus", str(corpus))
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(proc, url, 300)
        query = (
            "SELECT ?file WHERE { ?d a <https://w3id.org/rcm-graph/ontology#Document> ; "
            "<https://w3id.org/rcm-graph/ontology#sourceFile> ?file }"
        )
        parsed = parse_solutions(httpx.get(url + "/sparql", params={"query": query}))
        assert not isinstance(parsed, bool)
        assert [row["file"] for row in parsed[1]] == ["press-release.txt"]
        assert (tmp_path / "data" / "current").is_symlink()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)

"""``rcm-graph query``: the same probes through the command line, and nesting that used to
kill it with a segfault (exit 139, no message) is exit 2 with one line.

Each case runs the real command in a subprocess against a published dataset, with the
listener of the suite as the target: the command must refuse with a one-line error and the
listener must see no connection.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from security_support import Listener, probes

from rcm_graph.settings import env_name

# A few spellings of each kind (the endpoint suite runs them all; a subprocess costs ~1 s).
CLI_PROBES = (
    "path \\u lower",
    "path \\U upper",
    "escaped PREFIX",
    "escaped BASE + ../",
    "SERVICE SILENT",
    "FILTER EXISTS",
    "SERVICESILENT run together",
    "SERVICE ?var BIND",
)


def _query(data_dir: Path, text: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, env_name("data_dir"): str(data_dir)}
    env.pop(env_name("service_allowlist"), None)
    return subprocess.run(
        [sys.executable, "-m", "rcm_graph", "query", "--format", "json", text],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize("name", CLI_PROBES)
def test_the_query_command_never_connects(
    name: str, security_data_dir: Path, listener: Listener
) -> None:
    probe = next(p for p in probes(listener.port) if p.name == name)
    before = listener.settled_count(0)
    result = _query(security_data_dir, probe.text)
    assert result.returncode in (1, 2), result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rcm-graph: error:"), result.stderr
    assert "SERVICE" in lines[0]
    assert listener.settled_count() == before


def test_deep_nesting_is_exit_2_with_one_line(security_data_dir: Path) -> None:
    result = _query(security_data_dir, "ASK " + "{" * 3000 + "}" * 3000)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "nested more than" in lines[0], result.stderr


def test_a_plain_query_still_runs(security_data_dir: Path) -> None:
    result = _query(security_data_dir, "ASK { <urn:x:a> <urn:x:b> <urn:x:c> }")
    assert result.returncode == 0, result.stderr
    assert '"boolean":true' in result.stdout
    # a one-shot query prints its result only: not the query workers' INFO line (issue 19.8)
    assert result.stderr == ""

"""The configuration file, environment checks, the settings reference and JSON logs, as a user
meets them: real ``rcm-graph`` processes (and a real server on a free port), their exit codes
and their stderr."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from live_server import free_port, publish_trig
from rcm_graph.cli.config import render_example_config
from rcm_graph.errors import ConfigError
from rcm_graph.settings import (
    DESCRIPTIONS,
    Settings,
    env_name,
    load_settings,
    read_config_file,
    unknown_environment,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "rcm-graph.example.toml"
SETTINGS = [f.name for f in dataclasses.fields(Settings) if f.name != "sources"]

TRIG = """
<https://w3id.org/rcm-graph/graph/data> {
  <https://w3id.org/rcm-graph/id/state/PAN> <http://www.w3.org/2000/01/rdf-schema#label> "Panama" .
}
"""


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RCM_GRAPH_")}
    return {**env, **extra}


def rcm_graph(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rcm_graph", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env if env is not None else clean_env(),
        timeout=120,
    )


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A published one-triple dataset (``<folder>/data``), shared by the module."""
    folder = tmp_path_factory.mktemp("configured")
    publish_trig(folder / "data", TRIG)
    return folder


def settings_rows(stdout: str) -> dict[str, tuple[str, str]]:
    rows = {}
    for line in stdout.splitlines():
        match = re.match(r"(\S+)\s+(.*?)\s+\((.*)\)$", line)
        assert match, line
        rows[match[1]] = (match[2], match[3])
    return rows


# --- the configuration file ---------------------------------------------------------------


def test_file_values_and_their_source_then_env_and_flag_win(tmp_path: Path) -> None:
    (tmp_path / "rcm-graph.toml").write_text(
        'port = 8123\nquery_timeout_s = 2.5\ncors_origins = ["https://a.org", "https://b.org"]\n'
        'log_format = "json"\ndebug = false\n',
        encoding="utf-8",
    )
    rows = settings_rows(rcm_graph("settings", cwd=tmp_path).stdout)
    assert rows["port"] == ("8123", "file rcm-graph.toml")
    assert rows["query_timeout_s"] == ("2.5", "file rcm-graph.toml")
    assert rows["cors_origins"] == ("https://a.org,https://b.org", "file rcm-graph.toml")
    assert rows["host"] == ("127.0.0.1", "default")

    env = clean_env(RCM_GRAPH_PORT="9000")
    rows = settings_rows(rcm_graph("settings", cwd=tmp_path, env=env).stdout)
    assert rows["port"] == ("9000", "environment RCM_GRAPH_PORT")
    rows = settings_rows(rcm_graph("settings", "--port", "9100", cwd=tmp_path, env=env).stdout)
    assert rows["port"] == ("9100", "flag --port")


def test_config_flag_and_variable_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "rcm-graph.toml").write_text("port = 1111\n", encoding="utf-8")
    other = tmp_path / "etc" / "other.toml"
    other.parent.mkdir()
    other.write_text('port = 2222\ndata_dir = "var/data"\n', encoding="utf-8")
    rows = settings_rows(rcm_graph("--config", str(other), "settings", cwd=tmp_path).stdout)
    assert rows["port"] == ("2222", f"file {other}")
    # a relative path in the file is relative to the file's folder
    assert rows["data_dir"] == (str(other.parent / "var" / "data"), f"file {other}")
    # also after the verb, and from the variable
    rows = settings_rows(rcm_graph("settings", "--config", str(other), cwd=tmp_path).stdout)
    assert rows["port"][0] == "2222"
    env = clean_env(RCM_GRAPH_CONFIG=str(other))
    assert settings_rows(rcm_graph("settings", cwd=tmp_path, env=env).stdout)["port"][0] == "2222"

    missing = rcm_graph("--config", "nothere.toml", "settings", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.startswith("rcm-graph: error: --config: configuration file 'nothere")


def test_a_command_reads_its_data_dir_from_the_file(dataset: Path, tmp_path: Path) -> None:
    (tmp_path / "rcm-graph.toml").write_text(
        f'data_dir = "{(dataset / "data").as_posix()}"\n'
        "query_workers = 1\nquery_fast_workers = 0\n",
        encoding="utf-8",
    )
    result = rcm_graph("query", "--format", "json", "ASK { ?s ?p ?o }", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["boolean"] is True


def test_unknown_key_exits_2_naming_file_line_and_nearest_key(tmp_path: Path) -> None:
    (tmp_path / "rcm-graph.toml").write_text(
        "# settings\nport = 8000\nquery_timout = 5\n", encoding="utf-8"
    )
    result = rcm_graph("settings", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "rcm-graph: error: rcm-graph.toml, line 3: unknown key 'query_timout' — "
        "did you mean 'query_timeout_s'?"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'port = "8000"',
            "x.toml, line 1: 'port' must be a whole number (port = 8000), not a string",
        ),
        ("query_timeout_s = -1", "x.toml, line 1: query_timeout_s = -1: expected a number greater"),
        ("port = 70000", "x.toml, line 1: port = 70000: expected a port number from 0 to 65535"),
        ("debug = 1", "x.toml, line 1: 'debug' must be true or false"),
        ('cors_origins = "*"', "x.toml, line 1: 'cors_origins' must be an array of strings"),
        ('query_store = "ram"', "x.toml, line 1: query_store = \"ram\": must be 'auto'"),
        ("[server]\nport = 1", "x.toml, line 1: unknown table [server]: settings are top-level"),
        ("port = 1\nhost =\n", "x.toml: not valid TOML: Invalid value (at line 2, column 7)"),
        ("QUERY-TIMEOUT-S = 1", "unknown key 'QUERY-TIMEOUT-S' — did you mean 'query_timeout_s'?"),
    ],
)
def test_bad_file_values_say_file_key_and_what_is_expected(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings({}, {}, path)
    line = info.value.one_line()
    assert "\n" not in line
    assert message in line, line


def test_example_file_is_current_and_sets_every_setting_validly(tmp_path: Path) -> None:
    assert EXAMPLE.read_text(encoding="utf-8") == render_example_config(), (
        "docs/rcm-graph.example.toml is stale: run scripts/gen-config-example"
    )
    assert set(DESCRIPTIONS) == set(SETTINGS), "every setting needs a line in DESCRIPTIONS"
    uncommented = re.sub(r"(?m)^# (\w+ = )", r"\1", EXAMPLE.read_text(encoding="utf-8"))
    path = tmp_path / "example.toml"
    path.write_text(uncommented, encoding="utf-8")
    values = read_config_file(path)
    assert sorted(values) == sorted(SETTINGS)
    defaults = Settings()
    for name, value in values.items():
        if name in ("data_dir", "build_workers"):  # relative to the file; machine-dependent
            continue
        assert value == getattr(defaults, name), name


# --- the environment ----------------------------------------------------------------------


def test_misspelled_variable_warns_with_the_nearest_name(tmp_path: Path) -> None:
    env = clean_env(RCM_GRAPH_QUERYTIMEOUT="5", RCM_GRAPH_VENV=".venv")
    result = rcm_graph("settings", cwd=tmp_path, env=env)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "WARNING rcm_graph.settings: environment variable RCM_GRAPH_QUERYTIMEOUT is not a "
        "setting and is ignored; did you mean RCM_GRAPH_QUERY_TIMEOUT_S?"
    ]
    assert settings_rows(result.stdout)["query_timeout_s"] == ("30.0", "default")


def test_only_unknown_names_warn() -> None:
    every = {env_name(name): "1" for name in SETTINGS}
    ours = {"RCM_GRAPH_CONFIG": "x", "RCM_GRAPH_DEVSET": "x", "OTHER_TOOL_PORT": "1"}
    assert unknown_environment({**every, **ours}) == []
    assert unknown_environment({"RCM_GRAPH_ZZZ": "1"}) == [
        "environment variable RCM_GRAPH_ZZZ is not a setting and is ignored; "
        "see `rcm-graph settings --help` for the variables"
    ]


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        ((), {"RCM_GRAPH_PORT": "abc"}, "RCM_GRAPH_PORT: invalid value 'abc': expected a port"),
        (
            (),
            {"RCM_GRAPH_QUERY_WORKERS": "two"},
            "RCM_GRAPH_QUERY_WORKERS: invalid value 'two': expected a whole number greater than 0",
        ),
        (("--port", "x1"), {}, "--port: invalid value 'x1': expected a port number"),
    ],
)
def test_invalid_number_is_one_clear_line(
    tmp_path: Path, args: tuple[str, ...], env: dict[str, str], message: str
) -> None:
    result = rcm_graph("settings", *args, cwd=tmp_path, env=clean_env(**env))
    assert result.returncode == 2
    assert result.stderr.startswith("rcm-graph: error: " + message), result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert "invalid literal" not in result.stderr


def test_settings_help_lists_every_setting_with_env_key_flag_default(tmp_path: Path) -> None:
    out = rcm_graph("settings", "--help", cwd=tmp_path).stdout
    for name in SETTINGS:
        assert f"\n  {name}: {DESCRIPTIONS[name]}\n      env {env_name(name)}" in out, name
    assert "env RCM_GRAPH_PORT, flag --port, default 8000" in out
    assert "env RCM_GRAPH_QUERY_TIMEOUT_S, flag query --timeout, default 30.0" in out
    assert "flag > environment variable > configuration file > default" in " ".join(out.split())


# --- JSON logs ----------------------------------------------------------------------------


def json_records(stderr: str) -> list[dict[str, object]]:
    """Every stderr line as a JSON object with the common fields (fails on any other line)."""
    records = []
    for line in stderr.splitlines():
        record = json.loads(line)
        assert isinstance(record, dict), line
        assert {"time", "level", "logger", "message"} <= set(record), line
        assert datetime.fromisoformat(str(record["time"])).tzinfo is not None
        records.append(record)
    return records


def test_a_command_logs_json_lines(dataset: Path) -> None:
    env = clean_env(RCM_GRAPH_QUERY_WORKERS="1", RCM_GRAPH_QUERYTIMEOUT="5")
    ok = rcm_graph("--log-format", "json", "query", "ASK { ?s ?p ?o }", cwd=dataset, env=env)
    assert ok.returncode == 0, ok.stderr
    records = json_records(ok.stderr)
    assert any(r["logger"] == "rcm_graph.settings" and r["level"] == "WARNING" for r in records)

    env["RCM_GRAPH_LOG_FORMAT"] = "json"
    bad_query = rcm_graph("query", "ASK {", cwd=dataset, env=env)
    assert bad_query.returncode == 1
    error = json_records(bad_query.stderr)[-1]
    assert (error["level"], error["logger"], error["exit_code"]) == ("ERROR", "rcm_graph.cli", 1)

    env["RCM_GRAPH_PORT"] = "abc"  # an error in the settings themselves: JSON as well
    bad_setting = rcm_graph("settings", cwd=dataset, env=env)
    assert bad_setting.returncode == 2
    (error,) = json_records(bad_setting.stderr)
    assert "RCM_GRAPH_PORT: invalid value 'abc'" in str(error["message"])


def test_serve_reads_the_file_and_logs_json_lines(dataset: Path, tmp_path: Path) -> None:
    """One server (port, worker counts and log format from the configuration file), one GET,
    a clean stop: every stderr line is a JSON object, uvicorn's and the access log's too."""
    port = free_port()
    (tmp_path / "rcm-graph.toml").write_text(
        f'data_dir = "{(dataset / "data").as_posix()}"\nport = {port}\nlog_format = "json"\n'
        "query_workers = 1\nquery_fast_workers = 0\n",
        encoding="utf-8",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "rcm_graph", "serve", "--no-build"],
        cwd=tmp_path,
        env=clean_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None and time.monotonic() < deadline, "server did not start"
            try:
                response = httpx.get(url + "/sparql", params={"query": "ASK { ?s ?p ?o }"})
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert response.status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=30)
    records = json_records(stderr)
    loggers = {r["logger"] for r in records}
    assert {"rcm_graph.web", "uvicorn.error", "rcm_graph.access"} <= loggers, loggers
    access = [r for r in records if r["logger"] == "rcm_graph.access" and r["path"] == "/sparql"]
    assert access and access[-1]["status"] == 200 and access[-1]["message"] == "GET /sparql 200"
    assert any(r["message"] == "Application shutdown complete." for r in records)

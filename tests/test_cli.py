"""The CLI as a user meets it: help for every verb, version, settings and exit codes."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from rcm_graph import __version__
from rcm_graph.cli.main import build_parser, main
from rcm_graph.errors import EXIT_BAD_INPUT, EXIT_CODES, EXIT_UNAVAILABLE

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


# --- exit codes: one list, in the code, the README and every --help ---------------------------

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_exit_codes() -> dict[int, str]:
    """The README's exit-code table: code → meaning (the examples column is free text)."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### Exit codes", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| \*\*(\d+)\*\* \| ([^|]+) \|", section, re.MULTILINE)
    return {int(code): meaning.strip() for code, meaning in rows}


def test_readme_exit_code_table_is_the_code_s() -> None:
    assert readme_exit_codes() == EXIT_CODES


def test_help_epilog_lists_every_exit_code() -> None:
    epilog = " ".join((build_parser().epilog or "").split())
    for code, meaning in EXIT_CODES.items():
        assert f"{code} {meaning}" in epilog


# --- serve: the address is claimed before anything is announced or built ---------------------


def test_serve_on_a_busy_port_is_one_line_exit_3_and_no_serving(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        # no dataset: binding comes first, so nothing is built before the port is refused
        result = run_cli("serve", "--data-dir", str(tmp_path / "data"), "--port", str(port))
    assert result.returncode == EXIT_UNAVAILABLE, result.stderr
    assert result.stderr.splitlines() == [
        f"rcm-graph: error: port {port} on 127.0.0.1 is in use (by another rcm-graph or "
        f"another program) — choose another with --port N or RCM_GRAPH_PORT"
    ]
    assert not (tmp_path / "data").exists()


def test_serve_on_an_address_of_no_interface_says_which_host(tmp_path: Path) -> None:
    # 192.0.2.1: TEST-NET-1 (RFC 5737), never assigned to a real machine
    result = run_cli("serve", "--data-dir", str(tmp_path), "--host", "192.0.2.1")
    assert result.returncode == EXIT_UNAVAILABLE, result.stderr
    line = result.stderr.strip()
    assert "\n" not in line and "192.0.2.1 is not an address of this machine" in line
    assert "--host 127.0.0.1" in line and "serving" not in line


def test_serve_on_a_privileged_port_without_rights(tmp_path: Path) -> None:
    start = int(Path("/proc/sys/net/ipv4/ip_unprivileged_port_start").read_text())
    if start <= 1:
        pytest.skip("this kernel lets anyone listen on every port")
    command = [sys.executable, "-m", "rcm_graph", "serve", "--data-dir", str(tmp_path)]
    if os.geteuid() == 0:  # root may bind low ports: drop that one capability
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv to drop CAP_NET_BIND_SERVICE")
        drop = ["--bounding-set", "-net_bind_service", "--inh-caps", "-net_bind_service"]
        command = [setpriv, *drop, *command]
    command += ["--port", str(start - 1)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == EXIT_UNAVAILABLE, result.stderr
    assert result.stderr.splitlines() == [
        f"rcm-graph: error: permission denied to listen on port {start - 1} of 127.0.0.1 "
        f"(ports below {start} need administrator rights) — choose a port from {start} up "
        f"with --port N or RCM_GRAPH_PORT"
    ]


# --- query: a mistyped argument is bad input with a way forward; results are all it prints ----


def query_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run ``rcm-graph query ARGS`` in this process; expect exit 2 and one line on stderr."""
    assert main(["query", *args]) == EXIT_BAD_INPUT
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rcm-graph: error: "), captured.err
    return lines[0]


def test_query_unknown_name_suggests_the_nearest(capsys: pytest.CaptureFixture[str]) -> None:
    line = query_error(capsys, "meetingz")
    assert "no named query 'meetingz'" in line and "did you mean meetings or" in line
    assert "rcm-graph query --list" in line
    line = query_error(capsys, "nosuch")
    assert "no named query 'nosuch'" in line and "rcm-graph query --list" in line


def test_query_missing_file_names_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "nosuch.rq"
    line = query_error(capsys, str(missing))
    assert f"{missing}: no such query file" in line
    line = query_error(capsys, "meetings.rq")  # the name with .rq, run outside any folder of it
    assert "did you mean the named query meetings?" in line


def test_query_argument_of_no_kind_says_what_it_expects(
    capsys: pytest.CaptureFixture[str],
) -> None:
    line = query_error(capsys, "hello world")
    assert "'hello world' is neither a named query, a .rq file nor SPARQL text" in line
    query_error(capsys)  # no argument at all


def test_query_list_prints_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--list"]) == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert "meetings" in names and names == sorted(names)


def test_query_parameter_given_wrongly_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    line = query_error(capsys, "meetings-in-country", "--param", "country=Panama")
    assert "expects an ISO 3166-1 alpha-3 country code" in line and "'Panama'" in line
    line = query_error(capsys, "meetings", "--param", "year=2020")
    assert "has no parameter 'year'" in line


def test_a_file_given_as_data_dir_is_named(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    afile = tmp_path / "data.nq"
    afile.write_text("", encoding="utf-8")
    assert main(["dump", "--format", "nq", "--data-dir", str(afile)]) == EXIT_BAD_INPUT
    assert capsys.readouterr().err == (
        f"rcm-graph: error: {afile}: is a file, not a data directory — give a folder with "
        "--data-dir or RCM_GRAPH_DATA_DIR\n"
    )


def test_build_target_that_is_no_url_is_refused_before_building(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    code = main(["build", "--data-dir", str(data), "--target", "localhost:7878/store"])
    assert code == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.startswith("rcm-graph: error: --target: not an http(s) URL: 'localhost:7878/store'")
    assert "Graph Store endpoint" in err
    assert not (data / "builds").exists()  # nothing was built first

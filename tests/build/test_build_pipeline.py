"""The whole build on a small corpus of invented documents (never the bundled one, so that the
pipeline is shown to work on text it was not written for): publication, manifest, dumps parsed
back, incremental rebuilds, unreadable documents, non-conformant data, and the CLI verbs
``query``, ``dump`` and ``validate`` with every output format parsed back."""

from __future__ import annotations

import csv
import fcntl
import gzip
import io
import json
import os
import pty
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pyoxigraph
import pytest
from rdflib import Graph

from live_server import LiveServer
from rcm_graph.model.iris import Iris
from rcm_graph.pipeline import build
from rcm_graph.settings import Settings
from rcm_graph.store.dataset import load_dataset

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).parent / "corpus"
IRIS = Iris()
MEETINGS = """
PREFIX rcm: <https://w3id.org/rcm-graph/ontology#>
SELECT ?meeting ?start WHERE { ?meeting a rcm:Meeting ; rcm:startDate ?start } ORDER BY ?start
"""


def cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "rcm_graph", *args, "--data-dir", str(data_dir)],
        capture_output=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A corpus copy and a data directory with one published build of it (via the CLI)."""
    root = tmp_path_factory.mktemp("pipeline")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    data = root / "data"
    result = cli("build", "--corpus", str(corpus), data_dir=data)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == b""  # data to stdout only; a build prints its summary on stderr
    summary = result.stderr.decode()
    assert "2 documents" in summary and "validation: conforms" in summary
    for stage in ("extract", "map", "reason", "validate", "store", "dumps"):
        assert f"{stage} " in summary
    return corpus, data


def test_build_publishes_a_complete_dataset(built: tuple[Path, Path]) -> None:
    _, data = built
    dataset = load_dataset(data)
    manifest = dataset.manifest
    assert manifest["conformant"] is True
    assert {d["source"] for d in manifest["documents"]} == {p.name for p in CORPUS.glob("*.txt")}
    for doc in manifest["documents"]:
        assert len(doc["sha256"]) == 64 and doc["graph"] in dataset.graph_iris()
    expected = {
        str(IRIS.graph(n)) for n in ("reference", "ontology", "inferred", "validation", "meta")
    }
    assert expected <= set(dataset.graph_iris())
    assert all(manifest["graphs"][g] > 0 for g in expected - {str(IRIS.graph("validation"))})
    assert set(manifest["hashes"]) >= {"ontology", "shapes", "reference"}
    # the one meeting both documents name is one resource, reported by one, mentioned by both
    store = dataset.open_store()
    rows = list(store.query(MEETINGS))
    starts = [str(r["start"].value) for r in rows]
    assert starts.count("2031-04-14") == 1 and "2031-06-10" in starts


def test_manifest_times_every_global_step_in_wall_and_cpu(built: tuple[Path, Path]) -> None:
    """The global steps carry the build process's CPU seconds beside their wall seconds: the
    figure that stays comparable when the machine is shared (docs/performance.md)."""
    from rcm_graph.pipeline.figures import GLOBAL_STAGES

    _, data = built
    manifest = load_dataset(data).manifest
    wall, cpu = manifest["stage_seconds"], manifest["stage_cpu_seconds"]
    assert set(GLOBAL_STAGES) <= set(cpu) <= set(wall)
    assert all(v >= 0 for v in cpu.values())
    # the dumps serialise and hash the whole dataset: real work, not an empty window
    assert cpu["dumps"] > 0 and cpu["background"] + cpu["store"] > 0
    # what each step added to the process's peak RSS: never negative, and together no more
    # than the build's peak (a two-document build may stay under the peak its imports set)
    raised = manifest["stage_peak_rss_raise_mib"]
    assert set(raised) == set(cpu) and all(v >= 0 for v in raised.values())
    assert 30 < manifest["peak_rss_mib"] < 4096
    assert sum(raised.values()) < manifest["peak_rss_mib"]
    # a build derived by a write drops exactly these run figures (rcm_graph.writes.writer)
    from rcm_graph.store.dataset import RUN_FIGURES

    assert set(RUN_FIGURES) <= set(manifest)


_TIMER_PROBE = """
import json
from rcm_graph.pipeline.figures import Timer
timer = Timer(None)
with timer.stage("small"):
    pass
status = open("/proc/self/status").read()
rss, hwm = (int(status.split(k + ":")[1].split()[0]) / 1024 for k in ("VmRSS", "VmHWM"))
with timer.stage("big"):
    block = bytearray(160 * 1024 * 1024)
    block[::4096] = b"x" * len(block[::4096])  # touch every page: resident, not just mapped
    del block
with timer.stage("after"):
    pass
print(json.dumps({"raised": timer.peak_rss_raise_mib, "headroom": hwm - rss}))
"""


def test_the_step_that_raises_the_peak_is_charged_with_it() -> None:
    """In a fresh process, 160 MiB touched inside one step is charged to that step (less what
    the peak already stood above the RSS), and not to the steps before or after it."""
    out = subprocess.run(
        [sys.executable, "-c", _TIMER_PROBE], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    probe = json.loads(out.stdout)
    raised = probe["raised"]
    # the peak before the step (imports) may lie above the RSS it started from
    assert raised["big"] >= 160 - probe["headroom"] - 10
    assert raised["small"] < 5 and raised["after"] == 0


def test_default_graph_is_the_distinct_union(built: tuple[Path, Path]) -> None:
    _, data = built
    store = load_dataset(data).open_store()
    named = {
        (q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None)
        if not isinstance(q.graph_name, pyoxigraph.DefaultGraph)
    }
    default = {
        (q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())
    }
    assert default == named


def test_dumps_parse_back_and_match_checksums(built: tuple[Path, Path]) -> None:
    _, data = built
    dataset = load_dataset(data)
    build_dir = dataset.build_dir
    sums = (build_dir / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(sums) == 5
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=build_dir, capture_output=True)
    assert check.returncode == 0, check.stdout
    with gzip.open(dataset.nquads_path, "rb") as fh:
        quads = list(pyoxigraph.parse(fh.read(), format=pyoxigraph.RdfFormat.N_QUADS))
    store = dataset.open_store()
    assert len(quads) == len(store)
    trig = list(pyoxigraph.parse(path=str(build_dir / "dataset.trig")))
    assert len(trig) == len(quads)
    jsonld = list(pyoxigraph.parse(path=str(build_dir / "dataset.jsonld")))
    assert len(jsonld) == len(quads)
    default = Graph().parse(build_dir / "default.ttl")
    assert len(default) == len(
        list(store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))
    )
    void = Graph().parse(build_dir / "void.ttl")
    void_ns = "PREFIX void: <http://rdfs.org/ns/void#> PREFIX dct: <http://purl.org/dc/terms/> "
    subsets = void.query(void_ns + "SELECT ?g ?n { ?d void:subset ?g . ?g void:triples ?n }")
    per_graph = {str(g): int(n) for g, n in subsets}  # type: ignore[misc]
    manifest_graphs = dict(dataset.manifest["graphs"])
    manifest_graphs.pop(str(IRIS.graph("meta")))
    assert per_graph == manifest_graphs
    ask = void.query(
        void_ns + "ASK { ?d dct:license ?l ; void:classPartition ?c ; void:propertyPartition ?p }"
    )
    assert ask.askAnswer


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_query_select_formats_parse_back(built: tuple[Path, Path], fmt: str) -> None:
    _, data = built
    result = cli("query", "--format", fmt, MEETINGS, data_dir=data)
    assert result.returncode == 0, result.stderr.decode()
    expected = list(load_dataset(data).open_store().query(MEETINGS))
    if fmt == "csv":  # lossy by design (no term types): pyoxigraph does not parse it back
        table = list(csv.DictReader(io.StringIO(result.stdout.decode())))
        assert [r["meeting"] for r in table] == [str(r["meeting"].value) for r in expected]
        return
    fmt_enum = {
        "tsv": pyoxigraph.QueryResultsFormat.TSV,
        "json": pyoxigraph.QueryResultsFormat.JSON,
        "xml": pyoxigraph.QueryResultsFormat.XML,
    }[fmt]
    rows = list(pyoxigraph.parse_query_results(result.stdout, format=fmt_enum))  # type: ignore[arg-type]
    assert [str(r["meeting"].value) for r in rows] == [str(r["meeting"].value) for r in expected]
    assert len(rows) >= 2


def test_query_ask_and_default_format(built: tuple[Path, Path]) -> None:
    _, data = built
    result = cli(
        "query", "ASK { ?s a <https://w3id.org/rcm-graph/ontology#Meeting> }", data_dir=data
    )
    assert result.returncode == 0
    assert result.stdout.decode().strip().lower() == "true"
    result = cli("query", "--format", "json", "ASK { ?s a <urn:x:Nothing> }", data_dir=data)
    assert json.loads(result.stdout)["boolean"] is False


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_query_construct_formats_parse_back(built: tuple[Path, Path], fmt: str) -> None:
    _, data = built
    construct = (
        "CONSTRUCT { ?m a ?c } WHERE { ?m a <https://w3id.org/rcm-graph/ontology#Meeting>, ?c }"
    )
    result = cli("query", "--format", fmt, construct, data_dir=data)
    assert result.returncode == 0, result.stderr.decode()
    rdflib_format = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt]
    got = Graph().parse(data=result.stdout, format=rdflib_format)
    expected = {
        tuple(map(str, (t.subject.value, t.predicate.value, t.object.value)))
        for t in load_dataset(data).open_store().query(construct)
    }  # type: ignore[union-attr]
    assert {tuple(map(str, t)) for t in got} == expected and len(got) > 2


def test_query_named_and_file(built: tuple[Path, Path], tmp_path: Path) -> None:
    _, data = built
    rq = tmp_path / "meetings.rq"
    rq.write_text(MEETINGS, encoding="utf-8")
    from_file = cli("query", str(rq), data_dir=data)
    assert from_file.returncode == 0
    rows = list(csv.reader(io.StringIO(from_file.stdout.decode())))
    assert rows[0] == ["meeting", "start"] and len(rows) >= 3
    named = cli("query", "meetings", data_dir=data)
    assert named.returncode == 0, named.stderr.decode()
    lines = named.stdout.decode().splitlines()
    assert len(lines) >= 3 and "Tegucigalpa" in named.stdout.decode()
    unknown = cli("query", "no-such-query", data_dir=data)
    assert unknown.returncode == 2 and b"query --list" in unknown.stderr  # bad input


def test_query_syntax_error_has_line_and_column(built: tuple[Path, Path]) -> None:
    _, data = built
    result = cli("query", "SELECT ?x\nWHERE { ?x ?y }", data_dir=data)
    assert result.returncode == 1
    assert b"inline query:2:" in result.stderr
    assert len(result.stderr.decode().strip().splitlines()) == 1


def test_query_refuses_outbound_fetches(built: tuple[Path, Path]) -> None:
    _, data = built
    result = cli(
        "query", "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", data_dir=data
    )
    assert result.returncode == 1 and b"SERVICE" in result.stderr


@pytest.mark.parametrize("fmt", ["nq", "trig", "ttl", "jsonld", "nt"])
def test_dump_formats_parse_back(built: tuple[Path, Path], fmt: str) -> None:
    _, data = built
    result = cli("dump", "--format", fmt, data_dir=data)
    assert result.returncode == 0, result.stderr.decode()
    ox_format = {
        "nq": pyoxigraph.RdfFormat.N_QUADS,
        "trig": pyoxigraph.RdfFormat.TRIG,
        "ttl": pyoxigraph.RdfFormat.TURTLE,
        "jsonld": pyoxigraph.RdfFormat.JSON_LD,
        "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    }[fmt]
    parsed = list(pyoxigraph.parse(result.stdout, format=ox_format))
    store = load_dataset(data).open_store()
    default = len(list(store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())))
    assert len(parsed) == (len(store) if fmt in ("nq", "trig", "jsonld") else default)


def test_validate_reports_conformance(built: tuple[Path, Path]) -> None:
    """``validate`` re-checks the STORED data, which must conform exactly as the build did
    (span offsets are xsd:integer, the datatype the store keeps: see pipeline.validate)."""
    _, data = built
    result = cli("validate", data_dir=data)
    out = result.stdout.decode()
    assert result.returncode == 0, out + result.stderr.decode()
    assert out.startswith("validation: conforms"), out


def test_incremental_rebuild_reprocesses_only_the_changed_document(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    corpus_src, data_src = built
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    shutil.copytree(corpus_src, corpus)
    shutil.copytree(data_src, data, symlinks=True)
    settings = Settings(data_dir=data, corpus=corpus)
    build(settings)  # warm: the cache of the fixture's build, or a fresh one
    again = build(settings)
    assert sorted(again.reused) == sorted(again.documents) and again.published
    changed = sorted(corpus.glob("*.txt"))[1]
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\n5. The meeting closed.\n", encoding="utf-8"
    )
    third = build(settings)
    assert third.published
    fresh = set(third.documents) - set(third.reused)
    assert fresh == {changed.stem}
    assert "extract" in third.stage_seconds
    full = build(settings, full=True)
    assert full.reused == []


def test_unreadable_document_is_reported_and_the_rest_built(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "broken.txt").write_bytes(b"\x00\x01\x02 binary \xff\xfe" * 50)
    result = cli("build", "--corpus", str(corpus), data_dir=tmp_path / "data")
    assert result.returncode == 2, result.stderr.decode()
    assert b"broken.txt" in result.stderr
    dataset = load_dataset(tmp_path / "data")
    assert len(dataset.manifest["documents"]) == 2
    assert any("broken.txt" in e for e in dataset.manifest["errors"])
    # Not a terminal: plain lines, no escape codes, no redraws (issue 20) ...
    err = result.stderr.decode()
    assert "\x1b" not in err and "\r" not in err
    lines = err.splitlines()
    assert "[documents] 3 to build, 0 of them from the cache" in lines
    assert [line for line in lines if line.startswith("[documents] 3/3 (100%)")]
    # ... and the skipped document where a user looks: as it happens, and again as the last
    # lines, after the summary, with what exit 2 means (issue 19 point 8)
    skipped = [i for i, line in enumerate(lines) if line.startswith("skipped: ")]
    verdict = lines.index("validation: conforms (0 results)")
    assert len(skipped) == 1 and skipped[0] < verdict and "broken.txt" in lines[skipped[0]]
    assert lines[-3].startswith("1 document skipped (also listed under")
    assert lines[-2] == "  " + lines[skipped[0]]
    assert lines[-1].startswith("exit 2: published without the 1 document skipped above")


def test_non_conformant_build_is_not_published(
    built: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a shape every meeting breaks, the build fails (exit 1) and ``current`` stays."""
    from rcm_graph.pipeline import inputs
    from rcm_graph.pipeline.output import run_build

    corpus_src, data_src = built
    data = tmp_path / "data"
    shutil.copytree(data_src, data, symlinks=True)
    before = load_dataset(data).build_id
    strict = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix rcm: <https://w3id.org/rcm-graph/ontology#> .
        <urn:x:Strict> a sh:NodeShape ; sh:targetClass rcm:Meeting ;
            sh:property [ sh:path rcm:isVirtual ; sh:minCount 1 ;
                          sh:message "test shape: every meeting must say whether it was virtual" ] .
        """,
        format="turtle",
    )
    monkeypatch.setattr(inputs, "load_shapes", lambda: strict)
    settings = Settings(data_dir=data, corpus=corpus_src)
    summary = build(settings)
    assert not summary.conforms and not summary.published
    assert load_dataset(data).build_id == before
    text = summary.report.format()
    assert "rcm:isVirtual" in text and "every meeting must say" in text and ".txt [" in text
    rc = run_build(settings, allow_invalid=False, full=False, target=None)
    assert rc == 1 and load_dataset(data).build_id == before
    rc = run_build(settings, allow_invalid=True, full=False, target=None)
    assert rc == 0 and load_dataset(data).build_id != before


# --- operating it: the progress display on a terminal, `builds` and `rollback` (issue 20) ------


def _on_a_terminal(*args: str) -> tuple[int, str]:
    """Run the CLI with stderr on a pseudo-terminal (110 x 30); its exit code and what the
    terminal received."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 110, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR"}}
    process = subprocess.Popen(
        [sys.executable, "-m", "rcm_graph", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=slave,
        env={**env, "TERM": "xterm-256color"},
    )
    os.close(slave)
    received = bytearray()
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            received += chunk
        elif process.poll() is not None:
            break
    os.close(master)
    return process.wait(timeout=60), received.decode("utf-8", "replace")


@dataclass(frozen=True)
class Operated:
    data: Path
    refused: subprocess.CompletedProcess[bytes]  # rollback with one build
    terminal: tuple[int, str]  # the second build, on a terminal, with one document less
    first: str
    second: str
    rebuilt: tuple[datetime, datetime]  # UTC, just before and just after the second build


@pytest.fixture(scope="module")
def operated(built: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Operated:
    """A copy of the built data directory: ``rollback`` refused while it holds one build, then
    a "bad" rebuild (one of the two documents gone) run on a terminal. Both builds reuse the
    fixture's cache, so the rebuild costs seconds."""
    corpus_src, data_src = built
    root = tmp_path_factory.mktemp("operated")
    data = root / "data"
    shutil.copytree(data_src, data, symlinks=True)
    first = load_dataset(data).build_id
    refused = cli("rollback", data_dir=data)
    corpus = root / "corpus"
    corpus.mkdir()
    kept = sorted(corpus_src.glob("*.txt"))[0]
    shutil.copyfile(kept, corpus / kept.name)
    before = datetime.now(UTC)
    terminal = _on_a_terminal("build", "--corpus", str(corpus), "--data-dir", str(data))
    rebuilt = (before, datetime.now(UTC))
    return Operated(data, refused, terminal, first, load_dataset(data).build_id, rebuilt)


def test_rollback_with_no_previous_build_refuses(operated: Operated) -> None:
    refused = operated.refused
    assert refused.returncode == 2
    message = refused.stderr.decode().strip()
    assert len(message.splitlines()) == 1 and "no previous build to roll back to" in message
    assert "rcm-graph builds" in message


def test_build_on_a_terminal_draws_a_live_display(operated: Operated) -> None:
    code, screen = operated.terminal
    assert code == 0, screen
    assert "\x1b[" in screen and "\x1b[1A" in screen  # styles, and the cursor moving back up
    assert "━" in screen  # the documents' bar
    assert "1/1 (100%)" in screen and "1 cached" in screen
    for step in ("load", "background", "documents", "dumps", "publish"):
        assert f"✔\x1b[0m {step}" in screen, step
    assert "[load] ontology" not in screen  # not the plain lines a log gets
    assert screen.rstrip().endswith(f"published: {operated.data / 'builds' / operated.second}")


def _builds(data: Path) -> list[dict[str, object]]:
    result = cli("builds", "--json", data_dir=data)
    assert result.returncode == 0, result.stderr.decode()
    listed: list[dict[str, object]] = json.loads(result.stdout)
    return listed


DOCUMENTS = """PREFIX rcm: <https://w3id.org/rcm-graph/ontology#>
SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a rcm:Document }"""


def _documents_served(server: LiveServer) -> int:
    answer = httpx.get(
        server.endpoint,
        params={"query": DOCUMENTS},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def _assert_build_dates(
    listed: list[dict[str, object]], table: list[str], rebuilt: tuple[datetime, datetime]
) -> None:
    """The date of each build, in ``builds --json`` (ISO 8601 with the UTC offset) and in the
    table's "created (UTC)" column (to the second), is when it was built: the second build
    between the instants taken around it, the first one earlier in this module's run, both
    today (UTC) but for a run that crosses midnight."""
    before, after = rebuilt
    created = []
    for kept in listed:
        stamp = datetime.fromisoformat(str(kept["created"]))
        assert stamp.utcoffset() == timedelta(0), kept["created"]  # UTC, stated
        created.append(stamp)
    first, second = created  # oldest first
    assert before <= second <= after
    assert after - timedelta(hours=1) < first <= before  # the module fixture's build
    assert {c.date() for c in created} <= {before.date(), after.date()}  # today, UTC
    assert table[0].split()[2:4] == ["created", "(UTC)"]
    rows = {line.split()[1]: line for line in table[1:3]}
    for kept, stamp in zip(listed, created, strict=True):
        cells = rows[str(kept["build_id"])].split()
        shown = datetime.strptime(f"{cells[3]} {cells[4]}", "%Y-%m-%d %H:%M:%S")
        assert shown.replace(tzinfo=UTC) == stamp.replace(microsecond=0), cells


def test_rollback_switches_a_running_server_back_and_forth(operated: Operated) -> None:
    """After the bad rebuild, a running server answers from it; `rollback` brings the old data
    back without a restart, and a second `rollback` undoes the first (a toggle)."""
    data = operated.data
    listed = _builds(data)
    assert [(b["build_id"], b["status"]) for b in listed] == [
        (operated.first, "previous"),
        (operated.second, "current"),
    ]
    assert [(b["documents"], b["skipped"], b["conformant"]) for b in listed] == [
        (2, 0, True),
        (1, 0, True),
    ]
    assert all(isinstance(b["triples"], int) and b["triples"] > 0 for b in listed)
    assert all(isinstance(b["bytes"], int) and b["bytes"] > 0 for b in listed)
    table = cli("builds", data_dir=data).stdout.decode().splitlines()
    assert table[1].startswith(f"*  {operated.second}  current")  # newest first, marked
    _assert_build_dates(listed, table, operated.rebuilt)
    settings = Settings(data_dir=data, query_workers=1, query_fast_workers=0)
    with LiveServer(settings) as server:
        assert _documents_served(server) == 1
        back = cli("rollback", data_dir=data)
        assert back.returncode == 0, back.stderr.decode()
        assert f"current is now {operated.first}" in back.stderr.decode()
        assert _documents_served(server) == 2  # the old data, from the same server
        assert load_dataset(data).build_id == operated.first
        assert cli("rollback", data_dir=data).returncode == 0
        assert _documents_served(server) == 1
    assert [b["status"] for b in _builds(data)] == ["previous", "current"]  # as before
    # a data directory published before the `previous` link existed: the build publication
    # kept beside `current` is the one it replaced, the newest older one
    (data / "previous").unlink()
    assert [b["status"] for b in _builds(data)] == ["previous", "current"]
    assert cli("rollback", data_dir=data).returncode == 0
    assert load_dataset(data).build_id == operated.first

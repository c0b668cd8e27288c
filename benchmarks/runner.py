"""``python -m benchmarks``: every benchmark, interleaved, with stats, machine info and a report.

Sections (each can be chosen with ``--only``):

- ``build``: synthetic corpora of each scale; ``rcm-graph build`` end to end in a fresh process
  (wall time, CPU time, peak RSS of the build process and of its process tree, the pipeline's
  own seconds per stage, every global step named), then ``rcm-graph serve`` on the result
  (memory after start and after a full scan). ``--stages`` adds the stage probe
  (``benchmarks.stages``). Scales are interleaved round by round.
- ``http``: our endpoint, ``oxigraph serve`` (in memory), rdflib-endpoint and a bare FastAPI
  route, all serving the same dataset at once; every canonical query and a cheap ASK at 1, 8 and
  32 concurrent clients; targets rotate within each round; ratios are paired per round.
- ``engines``: owlrl vs reasonable and pyshacl vs pyshacl-turbo / pyrudof, fresh process each,
  interleaved, with a check that they give the same results.

Results: ``benchmarks/results/<timestamp>.json`` (raw samples) and the tables in
``docs/performance.md`` (rewritten between its BEGIN/END markers).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import loadgen, report, servers, stats
from benchmarks.machine import machine_info
from benchmarks.synthetic import generate_corpus

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"
RESULTS = Path(__file__).resolve().parent / "results"
CHEAP_ASK = "ASK { ?s ?p ?o }"
SEED = 42


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- data -----------------------------------------------------------------------------------


def corpus_dir(n_docs: int) -> Path:
    out = CACHE / f"corpus-{n_docs}-seed{SEED}"
    marker = out / ".complete"
    if not marker.exists():
        shutil.rmtree(out, ignore_errors=True)
        generate_corpus(out, n_docs, seed=SEED)
        marker.write_text("ok")
    return out


def run_measured(
    argv: Sequence[str], *, env: dict[str, str] | None = None, timeout_s: float = 7200
) -> dict[str, Any]:
    """Run a command in a fresh process: exit code, wall seconds and ITS peak RSS (wait4)."""
    import tempfile
    import threading

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            list(argv), cwd=ROOT, stdout=out, stderr=err, env={**os.environ, **(env or {})}
        )
        timer = threading.Timer(timeout_s, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {
            "rc": proc.returncode,
            "seconds": round(wall, 3),
            "timeout": wall >= timeout_s,
            "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace")[-4000:],
        }


def _loadavg() -> list[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def run_sampled(
    argv: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    timeout_s: float = 4 * 3600,
    interval_s: float = 0.25,
) -> dict[str, Any]:
    """Run a command in a fresh process and sample its memory while it runs.

    WHY sampling: ``wait4``'s peak RSS is the largest single process of the tree; a build with
    worker processes needs the sum over the tree (sampled from ``/proc``) and the peak of the
    build process itself (its ``VmHWM``), reported apart. Also: CPU seconds of the whole tree
    (``wait4``), and the load average before and after (the machine is shared).
    """
    import tempfile
    import threading

    load_before = _loadavg()
    peaks = {"tree": 0.0, "main": 0.0}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            list(argv), cwd=ROOT, stdout=out, stderr=err, env={**os.environ, **(env or {})}
        )
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peaks["tree"] = max(peaks["tree"], servers.tree_rss_mib(proc.pid))
                peaks["main"] = max(peaks["main"], servers._status_kib(proc.pid, "VmHWM") / 1024)
                done.wait(interval_s)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        timer = threading.Timer(timeout_s, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        done.set()
        timer.cancel()
        sampler.join()
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {
            "rc": proc.returncode,
            "seconds": round(wall, 3),
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
            "timeout": wall >= timeout_s,
            "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),  # largest single process
            "peak_main_rss_mib": round(peaks["main"], 1),
            "peak_tree_rss_mib": round(peaks["tree"], 1),
            "load_before": load_before,
            "load_after": _loadavg(),
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace")[-4000:],
        }


def build_dataset(
    corpus: Path, data_dir: Path, *, validator: str = "pyshacl", workers: int | None = None
) -> dict[str, Any]:
    """``rcm-graph build`` end to end, in a fresh process (validator: pyshacl or turbo)."""
    shutil.rmtree(data_dir, ignore_errors=True)
    argv = [
        sys.executable,
        "-m",
        "rcm_graph" if validator == "pyshacl" else "benchmarks.turbo_build",
        "build",
        "--corpus",
        str(corpus),
        "--data-dir",
        str(data_dir),
        "--full",
        "--allow-invalid",
    ]
    env = {"RCM_GRAPH_BUILD_WORKERS": str(workers)} if workers else None
    result = run_sampled(argv, env=env)
    manifest = data_dir / "current" / "manifest.json"
    if manifest.exists():
        result["manifest"] = json.loads(manifest.read_text())
    result["corpus_bytes"] = sum(p.stat().st_size for p in corpus.iterdir() if p.is_file())
    return result


def tree_pss_mib(pid: int) -> float:
    """Proportional set size of a process tree (``smaps_rollup``): pages shared between
    processes (a forked worker's copy-on-write dataset, the store's mapped files) are counted
    once in total, not once per process as in the RSS sum."""
    total = 0
    for p in [pid, *servers._children(pid)]:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def serve_memory(data_dir: Path) -> dict[str, Any]:
    """Memory of ``rcm-graph serve`` on a built dataset: the process tree's RSS once it
    listens, and after a query that reads every triple (the store's pages loaded)."""
    import urllib.parse
    import urllib.request

    server = servers.ours_server(data_dir)
    result: dict[str, Any] = {"load_before": _loadavg()}
    try:
        started = time.perf_counter()
        server.start(RESULTS / "logs", timeout_s=600)
        result["start_seconds"] = round(time.perf_counter() - started, 2)
        time.sleep(1.0)
        result["rss_after_start_mib"] = round(servers.tree_rss_mib(server.pid), 1)
        result["pss_after_start_mib"] = round(tree_pss_mib(server.pid), 1)
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        url = f"http://127.0.0.1:{server.port}/sparql?" + urllib.parse.urlencode({"query": query})
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=600) as response:
            body = json.loads(response.read())
        result["count_seconds"] = round(time.perf_counter() - started, 3)
        result["triples"] = int(body["results"]["bindings"][0]["n"]["value"])
        result["rss_after_query_mib"] = round(servers.tree_rss_mib(server.pid), 1)
        result["pss_after_query_mib"] = round(tree_pss_mib(server.pid), 1)
        result["processes"] = 1 + len(servers._children(server.pid))
        result["peak_rss_mib"] = round(servers.tree_peak_rss_mib(server.pid), 1)
    except Exception as exc:  # the build figures must survive a serve problem
        result["error"] = repr(exc)
    finally:
        server.stop()
    return result


# --- build section --------------------------------------------------------------------------


def section_build(args: argparse.Namespace, out: dict[str, Any]) -> None:
    scales: list[int] = args.scales
    rows: dict[int, dict[str, list[Any]]] = {
        n: {"build": [], "stages": [], "serve": []} for n in scales
    }
    for n in scales:
        log(f"corpus of {n} documents: {corpus_dir(n)}")
    for r in range(args.build_rounds):
        order = scales[r % len(scales) :] + scales[: r % len(scales)]
        for n in order:
            if r > 0 and n >= 10_000:
                continue  # one round at 10,000 documents: it takes long
            log(f"round {r + 1}: build {n} documents")
            data_dir = CACHE / f"data-{n}"
            res = build_dataset(
                corpus_dir(n), data_dir, validator=args.validator, workers=args.build_workers
            )
            res["validator"] = args.validator
            res["workers"] = args.build_workers
            res.pop("stdout", None)
            rows[n]["build"].append(res)
            log(
                f"  build rc={res.get('rc')} {res.get('seconds')} s, "
                f"peak {res.get('peak_main_rss_mib')} MiB (tree {res.get('peak_tree_rss_mib')}), "
                f"load {res.get('load_before')}"
            )
            if res.get("rc") in (0, 1) and (data_dir / "current").exists():
                mem = serve_memory(data_dir)
                rows[n]["serve"].append(mem)
                log(f"  serve: {mem}")
            if args.stages:
                log(f"round {r + 1}: stage probe {n} documents")
                probe = run_measured(
                    [sys.executable, "-m", "benchmarks.stages", "--corpus", str(corpus_dir(n))]
                )
                if probe["rc"] == 0:
                    rows[n]["stages"].append(json.loads(probe["stdout"]))
                else:
                    rows[n]["stages"].append({"error": probe["stderr"][-1500:]})
                    log(f"  stage probe failed: {probe['stderr'][-300:]}")
    out["build"] = {str(n): v for n, v in rows.items()}


# --- http section ---------------------------------------------------------------------------


def canonical_queries(dataset_dir: Path) -> dict[str, str]:
    """Every catalogue query with its parameters at their defaults, plus the cheap ASK."""
    queries: dict[str, str] = {}
    try:
        from rcm_graph.query.catalogue import load_catalogue

        for q in load_catalogue():
            if any(p.required for p in q.parameters):
                continue
            queries[q.name] = q.bind({})
    except Exception as exc:  # the catalogue is another helper's work in progress
        log(f"catalogue unavailable ({exc}); using built-in shapes only")
    if not queries:
        queries.update(FALLBACK_QUERIES)
    queries["ask-cheap"] = CHEAP_ASK
    return queries


# Used only while the catalogue (queries/*.rq) is empty: the shapes of the perf notes.
FALLBACK_QUERIES = {
    "point-describe": "SELECT ?p ?o WHERE { ?s a <https://w3id.org/rcm-graph/ontology#Meeting> ; "
    "?p ?o } LIMIT 20",
    "count-by-type": "SELECT ?t (COUNT(?s) AS ?n) WHERE { ?s a ?t } GROUP BY ?t ORDER BY DESC(?n)",
}


def in_process_ms(
    store_path: Path, nquads: Path, queries: dict[str, str], rounds: int = 5
) -> dict[str, float]:
    """Median in-process pyoxigraph time per query (query + JSON serialisation)."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.bulk_load(gzip.decompress(nquads.read_bytes()), format=pyoxigraph.RdfFormat.N_QUADS)
    result: dict[str, float] = {}
    for name, text in queries.items():
        samples = []
        for _ in range(rounds):
            t = time.perf_counter()
            res = store.query(text)
            if isinstance(res, pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean):
                res.serialize(format=pyoxigraph.QueryResultsFormat.JSON)
            else:
                pyoxigraph.serialize(res, format=pyoxigraph.RdfFormat.N_TRIPLES)
            samples.append((time.perf_counter() - t) * 1000)
        result[name] = round(stats.median(samples), 3)
    return result


def _get(
    server: servers.Server, params: dict[str, str], accept: str, timeout: float = 120
) -> tuple[int, bytes]:
    import http.client
    from urllib.parse import urlencode

    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    path = server.path + ("?" + urlencode(params) if params else "")
    conn.request("GET", path, headers={"Accept": accept})
    resp = conn.getresponse()
    return resp.status, resp.read()


def _cpu_per_req(server: servers.Server, cpu_before: float, cell: loadgen.CellResult) -> float:
    """Server CPU ms per completed request over the cell (warm-up included in both)."""
    used = servers.tree_cpu_s(server.pid) - cpu_before
    return round(used * 1000 / cell.completed, 3) if cell.completed else math.nan


def _rows_of(body: bytes) -> int | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if "boolean" in data:
        return 1
    return len(data.get("results", {}).get("bindings", []))


ACCEPT = "application/sparql-results+json"


def section_http(args: argparse.Namespace, out: dict[str, Any]) -> None:
    n = args.http_scale
    data_dir = args.http_data_dir or CACHE / f"data-{n}"
    if not (data_dir / "current" / "manifest.json").exists():
        log(f"building the {n}-document dataset for the HTTP benchmark")
        res = build_dataset(corpus_dir(n), data_dir)
        if res["rc"] not in (0, 1):
            raise SystemExit(f"build failed: {res['stderr'][-2000:]}")
    current = (data_dir / "current").resolve()
    nquads = current / "dataset.nq.gz"
    queries = canonical_queries(current)
    if args.max_queries:
        keep = [q for q in queries if q != "ask-cheap"][: args.max_queries]
        queries = {q: queries[q] for q in [*keep, "ask-cheap"]}
    log(f"{len(queries)} queries; measuring in-process cost to classify cheap/expensive")
    inproc = in_process_ms(current / "store", nquads, queries)
    work = CACHE / "http-work"
    work.mkdir(parents=True, exist_ok=True)
    # Ours twice: without the result cache (first: the issue-9 ratio table reads the first
    # rcm-graph target, so it shows the conservative figure) and as shipped (cache on). The
    # cells repeat one query, so the cached target measures cache hits after the first.
    targets: list[servers.Server] = [
        servers.ours_server(data_dir, cache_mb=0),
        servers.oxigraph_server(),
        servers.ours_server(data_dir),
    ]
    rdfl = servers.rdflib_endpoint_server(nquads, work) if not args.no_rdflib else None
    if rdfl is not None:
        targets.append(rdfl)
    floor = servers.floor_server()
    everything = [*targets, floor]
    http: dict[str, Any] = {"scale": n, "in_process_ms": inproc, "targets": {}, "cells": []}
    try:
        for s in everything:
            log(f"starting {s.name} on port {s.port}")
            s.start(RESULTS / "logs", timeout_s=900)
        load_t = time.perf_counter()
        servers.load_oxigraph(targets[1], nquads)
        http["oxigraph_load_s"] = round(time.perf_counter() - load_t, 2)
        for s in everything:
            http["targets"][s.name] = {"rss_after_start_mib": round(servers.tree_rss_mib(s.pid), 1)}
        # Same data, same queries: check the answers agree before timing anything.
        agreement: dict[str, dict[str, Any]] = {}
        slow: set[tuple[str, str]] = set()
        for name, text in queries.items():
            agreement[name] = {}
            for s in targets:
                t = time.perf_counter()
                try:
                    status, body = _get(s, {"query": text}, ACCEPT, timeout=args.slow_s * 4)
                    agreement[name][s.name] = {"status": status, "rows": _rows_of(body)}
                except TimeoutError:
                    agreement[name][s.name] = {"status": None, "rows": None, "timeout": True}
                took = time.perf_counter() - t
                agreement[name][s.name]["first_s"] = round(took, 3)
                if took > args.slow_s:
                    slow.add((s.name, name))
        http["agreement"] = agreement
        for name, seen in agreement.items():
            counts = {v["rows"] for v in seen.values() if v.get("rows") is not None}
            if len(counts) > 1:
                log(f"WARNING: targets disagree on {name}: {seen}")
        for r in range(args.rounds):
            for name, text in queries.items():
                for c in args.concurrency:
                    k = (r + len(http["cells"])) % len(everything)
                    order = everything[k:] + everything[:k]
                    for s in order:
                        if s is floor:
                            if name != "ask-cheap":
                                continue
                            params: dict[str, str] = {}
                        else:
                            params = {"query": text}
                        if (s.name, name) in slow and c > 1:
                            continue
                        request = loadgen.build_request("127.0.0.1", s.port, s.path, params, ACCEPT)
                        duration = args.duration
                        drain = 30.0 if (s.name, name) not in slow else args.slow_s * 2
                        cpu0 = servers.tree_cpu_s(s.pid)
                        cell = loadgen.run_cell(
                            "127.0.0.1",
                            s.port,
                            request,
                            concurrency=c,
                            warmup_s=args.warmup,
                            duration_s=duration,
                            drain_s=drain,
                        )
                        http["cells"].append(
                            {
                                "round": r,
                                "query": name,
                                "target": s.name,
                                "c": c,
                                "requests": cell.requests,
                                "errors": cell.errors,
                                "status": cell.status_codes,
                                "rps": round(cell.throughput, 2),
                                "p50_ms": round(stats.percentile(cell.latencies_ms, 50), 3),
                                "p99_ms": round(stats.percentile(cell.latencies_ms, 99), 3),
                                "cpu_ms_per_req": _cpu_per_req(s, cpu0, cell),
                                "bytes": cell.last_body_bytes,
                            }
                        )
                log(f"round {r + 1}: {name} done")
        for s in everything:
            http["targets"][s.name]["peak_rss_mib"] = round(servers.tree_peak_rss_mib(s.pid), 1)
    finally:
        for s in everything:
            s.stop()
    http["slow"] = sorted(f"{t}:{q}" for t, q in slow)
    out["http"] = http


# --- anatomy section ------------------------------------------------------------------------

ANATOMY_VARIANTS = (
    "full",
    "cache",
    "no-basehttp",
    "no-accesslog",
    "no-middleware",
    "in-thread",
    "bare-route",
)


def section_anatomy(args: argparse.Namespace, out: dict[str, Any]) -> None:
    """Throughput of app variants, each without one layer, on a cheap and a heavy query."""
    data_dir = args.http_data_dir or CACHE / f"data-{args.http_scale}"
    if not (data_dir / "current" / "manifest.json").exists():
        raise RuntimeError("run the http section first (it builds the dataset)")
    queries = {"ask-cheap": CHEAP_ASK}
    heavy = args.anatomy_query
    all_q = canonical_queries(data_dir)
    if heavy in all_q:
        queries[heavy] = all_q[heavy]
    variants = [*ANATOMY_VARIANTS, "floor"]
    started: list[servers.Server] = []
    cells: list[dict[str, Any]] = []
    try:
        for v in variants:
            if v == "floor":
                s = servers.floor_server()
            else:
                port = servers.free_port()
                argv = [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "--factory",
                    "benchmarks.anatomy_app:make",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--log-level",
                    "warning",
                    "--no-access-log",
                ]
                env = {"RCM_BENCH_VARIANT": v, "RCM_GRAPH_DATA_DIR": str(data_dir)}
                s = servers.Server(f"variant-{v}", argv, port, "/sparql", env)
            s.start(RESULTS / "logs", timeout_s=600)
            started.append(s)
        for r in range(args.rounds):
            for qname, text in queries.items():
                for c in args.concurrency:
                    k = r % len(started)
                    for s in started[k:] + started[:k]:
                        if s.name == "fastapi-floor" and qname != "ask-cheap":
                            continue
                        params = {} if s.name == "fastapi-floor" else {"query": text}
                        req = loadgen.build_request("127.0.0.1", s.port, s.path, params, ACCEPT)
                        cpu0 = servers.tree_cpu_s(s.pid)
                        cell = loadgen.run_cell(
                            "127.0.0.1",
                            s.port,
                            req,
                            concurrency=c,
                            warmup_s=args.warmup,
                            duration_s=args.duration,
                        )
                        cells.append(
                            {
                                "round": r,
                                "query": qname,
                                "target": s.name,
                                "c": c,
                                "requests": cell.requests,
                                "errors": cell.errors,
                                "rps": round(cell.throughput, 2),
                                "p50_ms": round(stats.percentile(cell.latencies_ms, 50), 3),
                                "p99_ms": round(stats.percentile(cell.latencies_ms, 99), 3),
                                "cpu_ms_per_req": _cpu_per_req(s, cpu0, cell),
                            }
                        )
            log(f"anatomy round {r + 1} done")
    finally:
        for s in started:
            s.stop()
    out["anatomy"] = {"queries": list(queries), "cells": cells}


# --- engines section ------------------------------------------------------------------------


def section_engines(args: argparse.Namespace, out: dict[str, Any]) -> None:
    from benchmarks import engines

    out["engines"] = engines.run(args, corpus_dir(args.engine_scale), log)


# --- main -----------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0] if __doc__ else None
    )
    p.add_argument(
        "--quick", action="store_true", help="tiny data, one short round (CI smoke test)"
    )
    p.add_argument("--full", action="store_true", help="include the 10,000-document scale (long)")
    p.add_argument("--only", default="build,http,anatomy,engines", help="comma-separated sections")
    p.add_argument(
        "--anatomy-query", default="participants", help="the heavy query of the anatomy section"
    )
    p.add_argument("--scales", help="document counts for the build section, e.g. 100,1000")
    p.add_argument("--http-scale", type=int, help="document count of the HTTP dataset")
    p.add_argument("--http-data-dir", type=Path, help="serve this existing data dir instead")
    p.add_argument("--engine-scale", type=int, help="document count of the engines section")
    p.add_argument("--rounds", type=int, help="interleaved rounds of the HTTP section")
    p.add_argument("--build-rounds", type=int, help="interleaved rounds of the build section")
    p.add_argument("--duration", type=float, help="seconds per HTTP cell")
    p.add_argument("--concurrency", help="client counts, e.g. 1,8,32")
    p.add_argument("--max-queries", type=int, help="only the first N catalogue queries")
    p.add_argument("--no-rdflib", action="store_true", help="leave rdflib-endpoint out")
    p.add_argument(
        "--validator",
        choices=["pyshacl", "turbo"],
        default="pyshacl",
        help="build with pyshacl (as shipped) or with pyshacl-turbo swapped in",
    )
    p.add_argument(
        "--stages",
        action="store_true",
        help="also run the stage probe (holds the whole corpus in memory: small scales only)",
    )
    p.add_argument("--no-stages", action="store_true", help=argparse.SUPPRESS)  # the default
    p.add_argument(
        "--build-workers",
        type=int,
        help="RCM_GRAPH_BUILD_WORKERS for the builds (default: the CPUs)",
    )
    p.add_argument("--no-report", action="store_true", help="do not rewrite docs/performance.md")
    p.add_argument(
        "--slow-s",
        type=float,
        default=2.0,
        help="a target slower than this on one request gets only c=1",
    )
    args = p.parse_args(argv)
    if args.quick:
        defaults: dict[str, Any] = dict(
            scales=[4],
            http_scale=4,
            engine_scale=4,
            rounds=1,
            build_rounds=1,
            max_queries=3,
            duration=0.3,
            concurrency=[1, 8],
            warmup=0.1,
        )
    elif args.full:
        defaults = dict(
            scales=[100, 1000, 10000],
            http_scale=1000,
            engine_scale=1000,
            rounds=3,
            build_rounds=2,
            duration=2.0,
            concurrency=[1, 8, 32],
            warmup=0.3,
        )
    else:
        defaults = dict(
            scales=[100, 1000],
            http_scale=1000,
            engine_scale=100,
            rounds=2,
            build_rounds=2,
            duration=1.5,
            concurrency=[1, 8, 32],
            warmup=0.3,
        )
    for key, value in defaults.items():
        if getattr(args, key, None) is None:
            setattr(args, key, value)
    if isinstance(args.scales, str):
        args.scales = [int(x) for x in args.scales.split(",")]
    if isinstance(args.concurrency, str):
        args.concurrency = [int(x) for x in args.concurrency.split(",")]
    args.only = {s.strip() for s in args.only.split(",") if s.strip()}
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out: dict[str, Any] = {
        "machine": machine_info(ROOT),
        "settings": {k: (sorted(v) if isinstance(v, set) else v) for k, v in vars(args).items()},
    }
    started = time.perf_counter()
    for name, section in (
        ("build", section_build),
        ("http", section_http),
        ("anatomy", section_anatomy),
        ("engines", section_engines),
    ):
        if name in args.only:
            log(f"== {name}")
            try:
                section(args, out)
            except Exception as exc:  # one broken section must not lose the others' figures
                log(f"section {name} failed: {exc!r}")
                out.setdefault("failures", {})[name] = repr(exc)
    out["total_seconds"] = round(time.perf_counter() - started, 1)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kind = "quick" if args.quick else ("full" if args.full else "default")
    path = RESULTS / f"{stamp}-{kind}.json"
    path.write_text(json.dumps(out, indent=1, default=str))
    log(f"raw results: {path}")
    tables = report.render(out)
    print(tables)
    if not args.no_report and not args.quick:
        report.write_docs(ROOT / "docs" / "performance.md", tables, path.name)
        log("docs/performance.md updated")
    return 1 if out.get("failures") else 0


if __name__ == "__main__":
    sys.exit(main())

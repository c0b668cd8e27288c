"""Smoke benchmark of the SPARQL endpoint: a cheap ASK and the meetings join, 1 and 8 clients.

Usage (from the repository root)::

    python benchmarks/bench_endpoint_smoke.py                  # synthetic dataset, 2000 meetings
    python benchmarks/bench_endpoint_smoke.py --data-dir data   # an existing built dataset
    python benchmarks/bench_endpoint_smoke.py --stores   # in-memory vs on-disk store, in-process

It starts ``rcm-graph serve`` as a subprocess on a free port (the real server, with its worker
pool), drives it with N client threads over keep-alive HTTP connections for a fixed time and
prints requests/s and latency percentiles. The client runs on the same machine and shares its
cores: read the figures as a smoke test, not as the performance comparison (see the performance
helper's ``python -m benchmarks``). ``--stores`` measures the choice the executor makes (an
in-memory store bulk-loaded per worker vs the build's RocksDB store opened read-only).
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph

from rcm_graph.store.dataset import create_build_dir, file_entries, finish_build, publish

B = "https://w3id.org/rcm-graph/"
ASK = "ASK { ?s ?p ?o }"
MEETINGS_JOIN = f"""PREFIX rcm: <{B}ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?meeting ?start ?actor ?label ?role WHERE {{
  ?meeting a rcm:Meeting ; rcm:startDate ?start ; rcm:hasParticipation ?p .
  ?p rcm:participant ?actor ; rcm:participationRole ?role .
  ?actor rdfs:label ?label FILTER(lang(?label) = "en")
  FILTER(?start >= "2010-01-01"^^<http://www.w3.org/2001/XMLSchema#date>
      && ?start < "2011-01-01"^^<http://www.w3.org/2001/XMLSchema#date>)
}} ORDER BY ?start ?meeting ?actor"""
QUERIES = {"ask": ASK, "meetings-join": MEETINGS_JOIN}
ROLES = ["participant", "host", "observer", "presidency", "speaker"]


def synthetic_nquads(meetings: int, seed: int = 42) -> bytes:
    """Meetings with n-ary participations of states, shaped as docs/data-model.md says."""
    rng = random.Random(seed)
    rcm = f"{B}ontology#"
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    xsd_date = "http://www.w3.org/2001/XMLSchema#date"
    lines = []
    ref = f"<{B}graph/reference>"
    states = [f"S{i:02d}" for i in range(40)]
    for code in states:
        s = f"<{B}id/state/{code}>"
        lines.append(f"{s} <{rdf_type}> <{rcm}State> {ref} .")
        lines.append(f'{s} <{label}> "State {code}"@en {ref} .')
        lines.append(f'{s} <{label}> "Estado {code}"@es {ref} .')
    for m in range(meetings):
        graph = f"<{B}graph/document/doc-{m}>"
        year = 1996 + m % 28
        day = f"{year}-{1 + m % 12:02d}-{1 + m % 28:02d}"
        meeting = f"<{B}id/meeting/{day}-meeting-{m}>"
        lines.append(f"{meeting} <{rdf_type}> <{rcm}Meeting> {graph} .")
        lines.append(f'{meeting} <{rcm}startDate> "{day}"^^<{xsd_date}> {graph} .')
        lines.append(f'{meeting} <{label}> "Meeting {m}"@en {graph} .')
        for n, code in enumerate(rng.sample(states, rng.randint(5, 20))):
            p = f"<{B}id/participation/doc-{m}-{n}>"
            role = f"<{B}id/role/{rng.choice(ROLES)}>"
            lines.append(f"{meeting} <{rcm}hasParticipation> {p} {graph} .")
            lines.append(f"{p} <{rcm}participant> <{B}id/state/{code}> {graph} .")
            lines.append(f"{p} <{rcm}participationRole> {role} {graph} .")
    return ("\n".join(lines) + "\n").encode()


def publish_synthetic(data_dir: Path, meetings: int) -> int:
    nquads = synthetic_nquads(meetings)
    build = create_build_dir(data_dir)
    store = pyoxigraph.Store(str(build / "store"))
    store.bulk_load(nquads, format=pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    graphs: dict[str, dict[str, int]] = {}
    for quad in store.quads_for_pattern(None, None, None, None):
        entry = graphs.setdefault(quad.graph_name.value, {"triples": 0})
        entry["triples"] += 1
    del store
    (build / "dataset.nq.gz").write_bytes(gzip.compress(nquads))
    files = file_entries(build, ["dataset.nq.gz"])
    finish_build(build, {"build_id": build.name, "graphs": graphs, "files": files})
    publish(data_dir, build)
    return sum(g["triples"] for g in graphs.values())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(data_dir: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, RCM_GRAPH_QUERY_WORKERS=str(workers))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rcm_graph",
            "serve",
            "--no-build",
            "--data-dir",
            str(data_dir),
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def drive(port: int, query: str, clients: int, seconds: float) -> dict[str, float]:
    path = "/sparql?" + urlencode({"query": query})
    headers = {"Accept": "application/sparql-results+json"}
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    stop = time.monotonic() + seconds

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop:
            start = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            latencies[i].append(time.perf_counter() - start)
            if response.status != 200:
                errors[i] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    flat = sorted(x for per in latencies for x in per)
    return {
        "requests": len(flat),
        "errors": sum(errors),
        "req_per_s": round(len(flat) / elapsed, 1),
        "p50_ms": round(1000 * flat[len(flat) // 2], 2),
        "p90_ms": round(1000 * flat[int(len(flat) * 0.9)], 2),
        "p99_ms": round(1000 * flat[min(len(flat) - 1, int(len(flat) * 0.99))], 2),
    }


def compare_stores(data_dir: Path, rounds: int) -> None:
    from rcm_graph.query.local.execute import Job, execute
    from rcm_graph.query.local.worker import load_store
    from rcm_graph.query.policy import analyse
    from rcm_graph.store.dataset import load_dataset

    dataset = load_dataset(data_dir, verify=False)
    for mode, path in (("memory", dataset.nquads_path), ("disk", dataset.store_path)):
        start = time.perf_counter()
        store = load_store(mode, str(path))  # type: ignore[arg-type]
        load_s = time.perf_counter() - start
        for name, query in QUERIES.items():
            analysis = analyse(query, base_iri=B)
            prefixes = tuple(analysis.prefixes.items())
            job = Job(
                query,
                "application/sparql-results+json",
                100_000,
                (),
                (),
                B,
                analysis.form,
                prefixes,
            )
            execute(store, job)
            times = []
            for _ in range(rounds):
                start = time.perf_counter()
                _, meta = execute(store, job)
                times.append(time.perf_counter() - start)
            print(
                json.dumps(
                    {
                        "store": mode,
                        "load_s": round(load_s, 3),
                        "query": name,
                        "rows": meta.row_count,
                        "median_ms": round(1000 * statistics.median(times), 2),
                    }
                )
            )
        del store


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="an existing dataset (default: synthetic)")
    parser.add_argument("--meetings", type=int, default=2000, help="synthetic dataset size")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each run")
    parser.add_argument("--workers", type=int, default=2, help="query worker processes")
    parser.add_argument("--stores", action="store_true", help="compare in-memory and disk stores")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir
        if data_dir is None:
            data_dir = Path(tmp)
            triples = publish_synthetic(data_dir, args.meetings)
            print(
                json.dumps({"dataset": "synthetic", "meetings": args.meetings, "triples": triples})
            )
        if args.stores:
            compare_stores(data_dir, rounds=20)
            return 0
        port = free_port()
        proc = start_server(data_dir, port, args.workers)
        try:
            for name, query in QUERIES.items():
                drive(port, query, 1, 1.0)  # warm-up
                for clients in (1, 8):
                    result = drive(port, query, clients, args.seconds)
                    print(
                        json.dumps(
                            {"query": name, "clients": clients, "workers": args.workers, **result}
                        )
                    )
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())

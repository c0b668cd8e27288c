"""Latency of the UI pages on a built dataset: home, browse pages, a resource, a document.

Usage (from the repository root, in the project's virtualenv)::

    python benchmarks/bench_ui_pages.py --data-dir data [--repeat 20]

Starts ``rcm-graph serve`` on a free port (the real server and worker pool), finds one state,
one document and one GCM objective by SPARQL (nothing is named here), then requests each page
``--repeat`` times, one client, sequentially, and prints the median and the maximum in
milliseconds. Each page runs one to four SPARQL queries through the backend plus Jinja
rendering; the client shares the machine's cores, so read the figures as a smoke test.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

FIND = """PREFIX rcm: <https://w3id.org/rcm-graph/ontology#>
SELECT ?kind (SAMPLE(?x) AS ?iri) WHERE {
  { ?x a rcm:State . ?m rcm:hasParticipation/rcm:participant ?x . BIND("state" AS ?kind) }
  UNION { ?x a rcm:Document ; rcm:fullText ?t . BIND("document" AS ?kind) }
  UNION { ?x a rcm:GCMObjective . BIND("objective" AS ?kind) }
} GROUP BY ?kind"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str, accept: str = "text/html") -> bytes:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=120) as response:
        return bytes(response.read())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default="data")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    exe = shutil.which("rcm-graph") or str(Path(sys.executable).parent / "rcm-graph")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [exe, "serve", "--no-build", "--data-dir", args.data_dir, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                get(base + "/health", "application/json")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.3)
        query = urllib.parse.urlencode({"query": FIND})
        rows = json.loads(get(f"{base}/sparql?{query}", "application/sparql-results+json"))
        found = {r["kind"]["value"]: r["iri"]["value"] for r in rows["results"]["bindings"]}
        pages = ["/", "/browse/meetings", "/browse/states", "/browse/objectives"]
        pages += ["/browse/commitments", "/query", "/ontology"]
        pages += [iri[iri.index("/id/") :] for iri in found.values()]
        print(f"{'page':60} {'median ms':>10} {'max ms':>8} {'KiB':>6}")
        for page in pages:
            times = []
            size = 0
            for _ in range(args.repeat):
                start = time.perf_counter()
                size = len(get(base + page))
                times.append((time.perf_counter() - start) * 1000)
            print(
                f"{page[:60]:60} {statistics.median(times):10.1f} {max(times):8.1f} "
                f"{size / 1024:6.0f}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())

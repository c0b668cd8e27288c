"""Extraction speed: seconds per document (read + extract), median of interleaved runs.

Usage (from the repository root)::

    python benchmarks/bench_extraction.py                 # the bundled corpus, 15 rounds
    python benchmarks/bench_extraction.py --corpus DIR --rounds 30

Why interleaved: each round extracts every document once, in turn, so that a slow period of a
shared machine spreads over all documents instead of falsifying one. The first round also pays
for one-off costs (compiling the gazetteer and lexicons) and is reported separately as the cold
start. Process CPU time is reported beside wall time because wall time on a busy machine
measures the neighbours.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description="extraction seconds per document")
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from rcm_graph.resources import bundled_corpus_dir
    from rcm_graph.stages.extraction import extract_text
    from rcm_graph.stages.reading import list_documents
    from rcm_graph.stages.reading.loading import load_document

    paths = list_documents(args.corpus or bundled_corpus_dir())
    t0, c0 = time.perf_counter(), time.process_time()
    for path in paths:
        extract_text(load_document(path))
    cold_wall, cold_cpu = time.perf_counter() - t0, time.process_time() - c0
    wall: dict[str, list[float]] = {p.name: [] for p in paths}
    cpu: dict[str, list[float]] = {p.name: [] for p in paths}
    for _ in range(args.rounds):
        for path in paths:
            t, c = time.perf_counter(), time.process_time()
            extract_text(load_document(path))
            wall[path.name].append(time.perf_counter() - t)
            cpu[path.name].append(time.process_time() - c)
    print(
        f"cold start (first pass over {len(paths)} documents, incl. gazetteer build): "
        f"{cold_wall:.3f} s wall, {cold_cpu:.3f} s CPU"
    )
    print(f"{'document':<64} {'chars':>7} {'median s':>9} {'cpu s':>7} {'max s':>7}")
    for path in paths:
        size = len(path.read_bytes())
        print(
            f"{path.name:<64} {size:7d} {statistics.median(wall[path.name]):9.4f} "
            f"{statistics.median(cpu[path.name]):7.4f} {max(wall[path.name]):7.4f}"
        )
    per_doc = [statistics.median(v) for v in wall.values()]
    print(
        f"median over documents: {statistics.median(per_doc):.4f} s; "
        f"slowest document: {max(per_doc):.4f} s ({args.rounds} interleaved rounds)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

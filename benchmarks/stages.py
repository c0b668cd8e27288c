"""Cost of every build stage on one corpus, measured stage by stage in one fresh process.

WHY next to the end-to-end ``rcm-graph build``: the build's total says *whether* it grows
linearly; this probe says *where* the time goes. It calls the same public stage functions the
pipeline calls (extract_corpus, map_document, Reasoner, Validator, pyoxigraph bulk load, the
N-Quads dump), times each, and separates per-document work (summed over documents) from every
global step (one call over all documents), naming each global step.

Usage (one JSON object on stdout): ``python -m benchmarks.stages --corpus DIR``

``--stream`` instead follows a real ``rcm-graph build`` from outside while it streams the
corpus: every few seconds, how many documents it has finished (entries in its cache), the RSS
of the build process and of its process tree, and the load average; stopped at ``--seconds``
if not done. It shows how memory grows with the documents processed on corpora too large to
build to the end in the time at hand. Results: ``benchmarks/results/<time>-stream.json``
(section ``build_stream``), rendered by ``benchmarks/report.py``.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rdflib import Graph


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Clock:
    """Named timings plus the process's peak RSS after each step."""

    def __init__(self) -> None:
        self.steps: list[dict[str, Any]] = []

    @contextmanager
    def step(self, name: str, kind: str, **extra: Any) -> Iterator[dict[str, Any]]:
        row: dict[str, Any] = {"step": name, "kind": kind, **extra}
        started = time.perf_counter()
        try:
            yield row
        finally:
            row["seconds"] = round(time.perf_counter() - started, 4)
            row["peak_rss_mib"] = round(_peak_mib(), 1)
            self.steps.append(row)
            print(f"  {name}: {row['seconds']:.2f} s", file=sys.stderr, flush=True)


def _optional(module: str, name: str) -> Callable[..., Any] | None:
    try:
        mod = __import__(module, fromlist=[name])
    except ImportError:
        return None
    return getattr(mod, name, None)


def probe(corpus: Path, *, validate: bool = True) -> dict[str, Any]:
    from rcm_graph.model.iris import Iris
    from rcm_graph.reference.ontology import load_ontology, load_shapes
    from rcm_graph.stages.mapping import map_document
    from rcm_graph.stages.reasoning import Reasoner
    from rcm_graph.stages.validation import Validator

    extract_corpus = _optional("rcm_graph.stages.extraction", "extract_corpus")
    list_documents = _optional("rcm_graph.stages.reading", "list_documents")
    reference_graph = _optional("rcm_graph.reference.graph", "reference_graph")
    if extract_corpus is None or list_documents is None:
        raise SystemExit("rcm_graph.stages.extraction.extract_corpus is not available yet")
    clock = Clock()
    iris = Iris()
    paths = list_documents(corpus)
    with clock.step("extraction (extract_corpus)", "per-document", documents=len(paths)):
        extracted = extract_corpus(paths)
    docs = extracted.documents
    with clock.step("mapping (map_document)", "per-document") as row:
        graphs = {f.doc_id: map_document(f, iris) for f in docs}
        row["triples"] = sum(len(g) for g in graphs.values())
    with clock.step("load ontology, shapes, reference graph", "global (constant)"):
        ontology = load_ontology()
        shapes = load_shapes()
        reference = reference_graph(iris) if reference_graph is not None else Graph()
    with clock.step("reasoning: background closure (ontology + reference)", "global (constant)"):
        reasoner = Reasoner(ontology, reference)
    inferred: dict[str, Graph] = {}
    with clock.step("reasoning: per document (owlrl)", "per-document") as row:
        for doc_id, g in graphs.items():
            inferred[doc_id] = reasoner.reason_document(g).triples
        row["triples"] = sum(len(g) for g in inferred.values())
    with clock.step(
        "reasoning: cross-document pass (reason_across over the union)", "global"
    ) as row:
        union = (t for g in [*graphs.values(), *inferred.values()] for t in g)
        across = reasoner.reason_across(union)
        row["triples"] = len(across.triples)
    if validate:
        validator = Validator(shapes, ontology, reference, reasoner.reference_inferred)
        with clock.step("validation: reference graph", "global (constant)"):
            validator.validate_reference()
        with clock.step("validation: per document (pyshacl, focus nodes)", "per-document") as row:
            bad = 0
            for doc_id, g in graphs.items():
                bad += len(validator.validate_document(g, inferred[doc_id]).results)
            row["results"] = bad
        with clock.step(
            "validation: shared nodes over the union (validate_shared)", "global"
        ) as row:
            shared = validator.validate_shared(graphs, inferred.values())
            row["results"] = len(shared.results)
    import pyoxigraph

    with clock.step("store: serialise all graphs to N-Quads", "global (linear)") as row:
        buf = io.BytesIO()
        quads = 0
        for doc_id, g in graphs.items():
            name = pyoxigraph.NamedNode(str(iris.base) + f"graph/document/{doc_id}")
            nt = g.serialize(format="nt", encoding="utf-8")
            for t in pyoxigraph.parse(nt, format=pyoxigraph.RdfFormat.N_TRIPLES):
                buf.write(str(pyoxigraph.Quad(t.subject, t.predicate, t.object, name)).encode())
                buf.write(b" .\n")
                quads += 1
        row["quads"] = quads
    with clock.step("store: pyoxigraph bulk_load (in memory)", "global (linear)"):
        store = pyoxigraph.Store()
        store.bulk_load(buf.getvalue(), format=pyoxigraph.RdfFormat.N_QUADS)
    with clock.step("dumps: gzip N-Quads", "global (linear)") as row:
        row["bytes"] = len(gzip.compress(buf.getvalue(), compresslevel=6))
    return {
        "documents": len(docs),
        "errors": len(extracted.errors),
        "bytes": sum(p.stat().st_size for p in paths),
        "triples_asserted": sum(len(g) for g in graphs.values()),
        "steps": clock.steps,
        "peak_rss_mib": round(_peak_mib(), 1),
    }


def stream(
    corpus: Path,
    data_dir: Path,
    *,
    seconds: float,
    interval_s: float = 5.0,
    workers: int | None = None,
    validator: str = "turbo",
) -> dict[str, Any]:
    """Follow ``rcm-graph build --full`` on ``corpus`` (see the module text)."""
    import os
    import shutil
    import signal
    import subprocess

    from benchmarks import servers

    root = Path(__file__).resolve().parent.parent
    shutil.rmtree(data_dir, ignore_errors=True)
    module = "rcm_graph" if validator == "pyshacl" else "benchmarks.turbo_build"
    argv = [sys.executable, "-m", module, "build", "--corpus", str(corpus)]
    argv += ["--data-dir", str(data_dir), "--full", "--allow-invalid"]
    env = {**os.environ, **({"RCM_GRAPH_BUILD_WORKERS": str(workers)} if workers else {})}
    total = sum(1 for p in corpus.iterdir() if p.suffix in (".txt", ".md", ".pdf"))
    samples: list[dict[str, Any]] = []
    started = time.perf_counter()
    import tempfile

    err_file = tempfile.TemporaryFile()  # noqa: SIM115 - not a pipe: a long report must not block the build
    proc = subprocess.Popen(
        argv,
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=err_file,
        start_new_session=True,  # stopped with its worker processes, as one group
    )
    cache = data_dir / "cache" / "documents"
    try:
        while proc.poll() is None and time.perf_counter() - started < seconds:
            done = sum(1 for p in cache.iterdir() if ".tmp" not in p.name) if cache.is_dir() else 0
            samples.append(
                {
                    "t": round(time.perf_counter() - started, 1),
                    "documents": done,
                    "main_rss_mib": round(servers._status_kib(proc.pid, "VmRSS") / 1024, 1),
                    "main_peak_mib": round(servers._status_kib(proc.pid, "VmHWM") / 1024, 1),
                    "tree_rss_mib": round(servers.tree_rss_mib(proc.pid), 1),
                    "load": [round(x, 2) for x in os.getloadavg()],
                }
            )
            time.sleep(interval_s)
    finally:
        finished = proc.poll() is not None
        if not finished:
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=120)
        err_file.seek(0)
        err = err_file.read()
        err_file.close()
    return {
        "corpus_documents": total,
        "seconds": round(time.perf_counter() - started, 1),
        "finished": finished,
        "rc": proc.returncode if finished else None,
        "workers": workers,
        "validator": validator,
        "stderr": err.decode("utf-8", "replace")[-2000:],
        "samples": samples,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="time every build stage on one corpus")
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--no-validate", action="store_true")
    parser.add_argument("--stream", action="store_true", help="follow a real build instead")
    parser.add_argument("--seconds", type=float, default=3600.0, help="--stream: stop after")
    parser.add_argument("--data-dir", type=Path, help="--stream: the build's data directory")
    parser.add_argument("--workers", type=int, help="--stream: RCM_GRAPH_BUILD_WORKERS")
    args = parser.parse_args()
    if args.stream:
        from datetime import UTC, datetime

        from benchmarks.machine import machine_info

        root = Path(__file__).resolve().parent.parent
        data_dir = args.data_dir or root / "benchmarks" / ".cache" / f"data-{args.corpus.name}"
        out = {
            "machine": machine_info(root),
            "build_stream": stream(
                args.corpus, data_dir, seconds=args.seconds, workers=args.workers
            ),
        }
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = root / "benchmarks" / "results" / f"{stamp}-stream.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(out, indent=1))
        print(path)
        return 0
    result = probe(args.corpus, validate=not args.no_validate)
    json.dump(result, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Cost of every build stage on one corpus, measured stage by stage in one fresh process.

WHY next to the end-to-end ``rcm-graph build``: the build's total says *whether* it grows
linearly; this probe says *where* the time goes. It calls the same public stage functions the
pipeline calls (extract_corpus, map_document, Reasoner, Validator, pyoxigraph bulk load, the
N-Quads dump), times each, and separates per-document work (summed over documents) from every
global step (one call over all documents), naming each global step.

Usage (one JSON object on stdout): ``python -m benchmarks.stages --corpus DIR``
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
    from rcm_graph.iris import Iris
    from rcm_graph.mapping import map_document
    from rcm_graph.ontology import load_ontology, load_shapes
    from rcm_graph.reasoning import Reasoner
    from rcm_graph.validation import Validator

    extract_corpus = _optional("rcm_graph.extraction", "extract_corpus")
    list_documents = _optional("rcm_graph.reading", "list_documents")
    reference_graph = _optional("rcm_graph.reference", "reference_graph")
    if extract_corpus is None or list_documents is None:
        raise SystemExit("rcm_graph.extraction.extract_corpus is not available yet")
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


def main() -> int:
    parser = argparse.ArgumentParser(description="time every build stage on one corpus")
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--no-validate", action="store_true")
    args = parser.parse_args()
    result = probe(args.corpus, validate=not args.no_validate)
    json.dump(result, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

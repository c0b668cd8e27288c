"""Reasoning and SHACL engines on the WHOLE graph of N documents, N up to 10,000.

``benchmarks/engines.py per-doc`` measures the engines as the build runs them (one document at
a time against a fixed background). This module answers the other question of issue 9: what
does each engine cost on the union of N documents at once, how does that grow, and does the
build's per-document + cross-document reasoning give the same closure as reasoning the whole
graph with the same engine::

    nice -n 10 python -m benchmarks.engines_scale whole-graph --scales 10,100,1000 \
        --cap-s 1200 --mem-gib 8 --json benchmarks/results/<stamp>-engines-scale.json

(``python -m benchmarks.engines whole-graph ...`` is the same command.) Sizes measured in
separate runs are put together with ``merge``; ``inject-validate`` runs the validators again on
a copy with violations put in (the synthetic corpus conforms, so agreement on its results
alone says little). ``--cache-dir DATA/cache/documents`` takes the documents of a build's
per-document cache (read only), e.g. of a 10,000-document build.

Inputs, per N (``prepare``): the ASSERTED document graphs of a built dataset (the named graphs
``graph/document/*`` of ``data-N/current/dataset.nq.gz``; the build stores inferred triples
in ``graph/inferred`` apart, so a document graph holds only what the mapper asserted), or the
``document.nt`` files of a build's per-document cache (read only), or, failing both, a
synthetic corpus extracted and mapped here; plus the ontology and reference graph of the
current code. Every engine then runs in a fresh process (``run``) under a CPU-time cap
(``RLIMIT_CPU``, robust on a loaded machine), a wall backstop and an address-space cap
(``RLIMIT_AS``); CPU seconds and peak RSS come from ``wait4`` of that child.

Reasoners (input: ontology + reference + documents, without the annotation literals that
fire no rule, :func:`rcm_graph.stages.reasoning.inert_annotations`, the same cut the build makes):

- ``owlrl-whole``: owlrl's OWL 2 RL closure of the whole graph (no axiomatic triples, as the
  build runs it);
- ``reasonable-whole``: ``reasonable`` (Rust OWL 2 RL) on the same file;
- ``rules-whole``: the compiled rules of :mod:`rcm_graph.stages.owl_rl` over the whole graph at
  once;
- ``rules-pipeline`` / ``owlrl-pipeline``: what the build does, each document against the
  background, then :meth:`~rcm_graph.stages.reasoning.Reasoner.reason_across` over the union.

Their outputs are compared as the inferred triples about data nodes (subjects under
``<base>id/``), asserted triples removed, with the build's filter (no literal subjects, no
``owl:Thing``-like typing or reflexive tautologies) and ``xsd:string`` literals as plain
literals (``reasonable`` types them). Validators (pyshacl, pyshacl-turbo, pyrudof; input:
asserted + the ``rules-pipeline`` inferred triples; shapes of the project) are compared as
sets of (focus node, path, constraint component). ``turbo-pipeline`` is the build's
validation (per document with focus nodes, plus the nodes several documents share, plus the
reference graph on its own).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import resource
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, cast

CACHE = Path(__file__).resolve().parent / ".cache"
ROOT = Path(__file__).resolve().parent.parent
REASONERS = ("rules-pipeline", "rules-whole", "reasonable-whole", "owlrl-whole", "owlrl-pipeline")
VALIDATORS = ("turbo-pipeline", "pyshacl-turbo-whole", "pyrudof-whole", "pyshacl-whole")
#: the engine every other one is compared with, in order of preference (the first with output)
REFERENCE = {
    "reasoning": ("owlrl-whole", "rules-pipeline"),
    "validation": ("pyshacl-whole", "pyshacl-turbo-whole"),
}
#: pairs (whole graph, per document + cross pass) with the same engine: the build's premise
SAME_ENGINE = (("rules-whole", "rules-pipeline"), ("owlrl-whole", "owlrl-pipeline"))

Triple = tuple[Any, Any, Any]


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _cpu_s() -> float:
    return time.process_time()


# --- preparation --------------------------------------------------------------------------------


def _doc_graph_prefix() -> str:
    from rcm_graph.model.iris import Iris

    return str(Iris().base) + "graph/document/"


def _quads_from_dataset(nq_gz: Path, n: int) -> Iterator[Any]:
    """The quads of the first ``n`` document graphs (in file order) of a built dataset."""
    import pyoxigraph

    prefix = _doc_graph_prefix()
    seen: set[str] = set()
    with gzip.open(nq_gz, "rb") as f:
        for quad in pyoxigraph.parse(cast(IO[bytes], f), format=pyoxigraph.RdfFormat.N_QUADS):
            g = quad.graph_name
            if not isinstance(g, pyoxigraph.NamedNode) or not g.value.startswith(prefix):
                continue
            if g.value not in seen:
                if len(seen) >= n:
                    continue
                seen.add(g.value)
            yield quad


def _quads_from_cache(documents_dir: Path, n: int) -> Iterator[Any]:
    """The asserted graphs of ``n`` entries of a build's per-document cache (read only)."""
    import pyoxigraph

    prefix = _doc_graph_prefix()
    entries = sorted(p for p in documents_dir.iterdir() if (p / "entry.json").is_file())
    for entry in entries[:n]:
        doc_id = json.loads((entry / "entry.json").read_text(encoding="utf-8"))["doc_id"]
        graph = pyoxigraph.NamedNode(prefix + doc_id)
        data = (entry / "document.nt").read_bytes()
        for t in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES):
            yield pyoxigraph.Quad(t.subject, t.predicate, t.object, graph)


def _quads_from_corpus(corpus: Path) -> Iterator[Any]:
    """Extract and map a corpus with the project's own extractor and mapper."""
    import pyoxigraph

    from rcm_graph.model.iris import Iris
    from rcm_graph.stages.extraction import extract_corpus
    from rcm_graph.stages.mapping import map_document
    from rcm_graph.stages.reading import list_documents

    iris = Iris()
    for facts in extract_corpus(list_documents(corpus)).documents:
        graph = map_document(facts, iris)
        name = str(iris.document_graph(facts.doc_id))
        data = graph.serialize(format="nt", encoding="utf-8")
        for t in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES):
            yield pyoxigraph.Quad(t.subject, t.predicate, t.object, pyoxigraph.NamedNode(name))


def source_for(n: int, cache_dir: Path | None) -> tuple[str, Path]:
    """Where the N documents come from: a built dataset, a build's cache, or a corpus."""
    built = CACHE / f"data-{n}" / "current" / "dataset.nq.gz"
    if built.is_file():
        return "dataset", built
    if cache_dir is not None and cache_dir.is_dir():
        have = sum(1 for p in cache_dir.iterdir() if (p / "entry.json").is_file())
        if have >= n:
            return "cache", cache_dir
    corpus = CACHE / f"corpus-{n}-seed42"
    if not corpus.is_dir():
        from benchmarks import synthetic

        synthetic.generate_corpus(corpus, n, seed=42)
    return "corpus", corpus


def prepare(n: int, work: Path, source: tuple[str, Path]) -> dict[str, Any]:
    """Write ontology.nt, reference.nt, shapes.ttl, docs.nq (asserted document graphs),
    asserted.nt (all of it) and reason-input.nt (without inert annotation literals)."""
    import pyoxigraph

    from rcm_graph.model.iris import Iris
    from rcm_graph.reference.graph import reference_graph
    from rcm_graph.reference.ontology import load_ontology, load_shapes
    from rcm_graph.stages.reasoning import Reasoner, inert_annotations

    work.mkdir(parents=True, exist_ok=True)
    ontology = load_ontology()
    reference = reference_graph(Iris())
    ontology.serialize(work / "ontology.nt", format="nt", encoding="utf-8")
    reference.serialize(work / "reference.nt", format="nt", encoding="utf-8")
    load_shapes().serialize(work / "shapes.ttl", format="turtle", encoding="utf-8")
    inert = {str(p) for p in inert_annotations(ontology)}
    started = _cpu_s()
    background = Reasoner(ontology, reference, engine="owlrl").background_inference
    background.triples.serialize(work / "background-inferred.nt", format="nt", encoding="utf-8")
    (work / "background-problems.json").write_text(json.dumps(background.problems))
    background_cpu_s = round(_cpu_s() - started, 2)
    kind, path = source
    quads = (
        _quads_from_dataset(path, n)
        if kind == "dataset"
        else _quads_from_cache(path, n)
        if kind == "cache"
        else _quads_from_corpus(path)
    )
    graphs: set[str] = set()
    counts = Counter[str]()
    nt = pyoxigraph.RdfFormat.N_TRIPLES
    with (
        (work / "docs.nq").open("wb") as docs,
        (work / "asserted.nt").open("wb") as asserted,
        (work / "reason-input.nt").open("wb") as reason_input,
    ):
        for name in ("ontology.nt", "reference.nt"):
            data = (work / name).read_bytes()
            asserted.write(data)
            for t in pyoxigraph.parse(data, format=nt):
                counts["background"] += 1
                if not (t.predicate.value in inert and isinstance(t.object, pyoxigraph.Literal)):
                    reason_input.write(pyoxigraph.serialize([t], format=nt) or b"")
                    counts["reason_input"] += 1
        batch: list[Any] = []

        def flush() -> None:
            docs.write(pyoxigraph.serialize(batch, format=pyoxigraph.RdfFormat.N_QUADS) or b"")
            triples = [q.triple for q in batch]
            asserted.write(pyoxigraph.serialize(triples, format=nt) or b"")
            kept = [
                t
                for t in triples
                if not (t.predicate.value in inert and isinstance(t.object, pyoxigraph.Literal))
            ]
            counts["reason_input"] += len(kept)
            reason_input.write(pyoxigraph.serialize(kept, format=nt) or b"")
            batch.clear()

        for quad in quads:
            graphs.add(quad.graph_name.value)
            counts["document"] += 1
            batch.append(quad)
            if len(batch) >= 50_000:
                flush()
        flush()
    ttl = work / "reason-input.ttl"  # N-Triples is Turtle; reasonable reads only .ttl/.n3
    ttl.unlink(missing_ok=True)
    ttl.symlink_to("reason-input.nt")
    meta = {
        "documents": len(graphs),
        "source": f"{kind}: {_display(path)}",
        "document_triples": counts["document"],
        "background_triples": counts["background"],
        "asserted_triples": counts["document"] + counts["background"],
        "reason_input_triples": counts["reason_input"],
        "background_closure_cpu_s": background_cpu_s,
    }
    (work / "meta.json").write_text(json.dumps(meta, indent=2))
    return meta


def _display(path: Path) -> str:
    """A path without this machine's prefixes (results files are committed)."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return path.name if path.is_file() else str(path)


# --- engine runs (each in a fresh process) ------------------------------------------------------


class _Phases:
    """CPU seconds of the phases of one run (load, reason or validate, post-processing)."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = {}
        self._mark = _cpu_s()

    def end(self, name: str) -> None:
        now = _cpu_s()
        self.cpu[name] = round(self.cpu.get(name, 0.0) + now - self._mark, 3)
        self._mark = now


def _parse(path: Path, fmt: str = "nt") -> Any:
    from rdflib import Graph

    return Graph().parse(path, format=fmt)


def _background(work: Path) -> tuple[Any, Any]:
    return _parse(work / "ontology.nt"), _parse(work / "reference.nt")


def _iter_doc_graphs(work: Path) -> Iterator[tuple[str, Any]]:
    """The asserted document graphs one at a time (rdflib Graphs), read line by line from
    ``docs.nq``, where ``prepare`` wrote each document's quads together."""
    from rdflib import Graph

    name, lines = "", list[str]()
    seen: set[str] = set()
    with (work / "docs.nq").open(encoding="utf-8") as f:
        for line in f:
            body = line.rstrip().removesuffix(".").rstrip()
            cut = body.rfind(" <")
            graph = body[cut + 2 : -1]
            if graph != name:
                if lines:
                    yield name, Graph().parse(data="".join(lines), format="nt")
                if graph in seen:
                    raise ValueError(f"docs.nq: the quads of {graph} are not together")
                seen.add(graph)
                name, lines = graph, []
            lines.append(body[:cut] + " .\n")
    if lines:
        yield name, Graph().parse(data="".join(lines), format="nt")


def _doc_graphs(work: Path) -> dict[str, Any]:
    return dict(_iter_doc_graphs(work))


def _base() -> str:
    from rcm_graph.model.iris import Iris

    return str(Iris().base)


def _write_raw(triples: Iterable[Triple], path: Path) -> None:
    """The inferred triples about data nodes, unfiltered, as N-Triples (the run's output; the
    harness normalises it in another process, so that its cost is not the engine's)."""
    from rdflib import URIRef
    from rdflib.plugins.serializers.nt import _nt_row

    prefix = _base() + "id/"
    with path.open("w", encoding="utf-8") as f:
        for t in triples:
            if isinstance(t[0], URIRef) and str(t[0]).startswith(prefix):
                f.write(_nt_row(t))


def _data_lines(path: Path) -> str:
    """The N-Triples lines of ``path`` whose subject is a data node (a textual filter: in
    N-Triples the subject is the first term of the line)."""
    prefix = "<" + _base() + "id/"
    with path.open(encoding="utf-8") as f:
        return "".join(line for line in f if line.startswith(prefix))


def normalise(work: Path, raw: Path, out: Path) -> int:
    """Inferred triples about data nodes as the build keeps them, sorted: asserted triples
    removed, the build's filter (:func:`rcm_graph.stages.reasoning.is_kept`), ``xsd:string``
    literals as plain literals."""
    from rdflib import XSD, Graph, Literal

    from rcm_graph.stages.reasoning import is_kept

    def plain(t: Triple) -> Triple:
        s, p, o = t
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        return (s, p, o)

    asserted = {
        plain(t) for t in Graph().parse(data=_data_lines(work / "asserted.nt"), format="nt")
    }
    rows: set[str] = set()
    for t in Graph().parse(data=_data_lines(raw), format="nt"):
        s, p, o = plain(t)
        if is_kept((s, p, o)) and (s, p, o) not in asserted:
            rows.add(f"{s.n3()} {p.n3()} {o.n3()} .")
    out.write_text("".join(r + "\n" for r in sorted(rows)), encoding="utf-8")
    return len(rows)


def run_owlrl_whole(work: Path, out: Path, phases: _Phases) -> dict[str, Any]:
    import owlrl

    g = _parse(work / "reason-input.nt")
    before = set(g)
    phases.end("load")
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(g)
    phases.end("reason")
    closure = len(g)
    added = [t for t in g if t not in before]
    _write_raw(added, out)
    phases.end("post")
    return {"triples_in": len(before), "closure": closure, "inferred": len(added)}


def run_reasonable_whole(work: Path, out: Path, phases: _Phases) -> dict[str, Any]:
    import reasonable

    r = reasonable.PyReasoner()
    r.load_file(str(work / "reason-input.ttl"))  # it picks its parser by suffix
    phases.end("load")
    closure = r.reason()
    phases.end("reason")
    _write_raw(closure, out)  # the whole closure: the harness removes what was asserted
    phases.end("post")
    return {"closure": len(closure)}


def _reasoner(work: Path, engine: str) -> Any:
    """The build's Reasoner, with the closure of ontology + reference made by ``prepare``
    (the build caches it too: it is closed once per build, not per run)."""
    from rcm_graph.stages.reasoning import Inference, Reasoner

    ontology, reference = _background(work)
    cached = work / "background-inferred.nt"
    if not cached.is_file():
        return Reasoner(ontology, reference, engine=engine), reference
    problems = json.loads((work / "background-problems.json").read_text(encoding="utf-8"))
    inference = Inference(_parse(cached), problems)
    return Reasoner(ontology, reference, inference, engine=engine), reference


def run_rules_whole(work: Path, out: Path, phases: _Phases) -> dict[str, Any]:
    """The compiled rules over the whole graph at once (background closed by owlrl first,
    as the build does once per build)."""
    from rdflib import OWL, RDF, RDFS, XSD, BNode

    from rcm_graph.stages.reasoning import is_kept

    reasoner, _ = _reasoner(work, "rules")
    phases.end("background")  # read: ontology + reference closed once in ``prepare``
    schema_subjects = set(reasoner.ontology.subjects())
    facts: list[Triple] = [  # the ontology's lists re-parsed have fresh blank nodes: skip them
        t
        for t in _parse(work / "reason-input.nt")
        if t[0] not in schema_subjects and not isinstance(t[0], BNode)
    ]
    meta = tuple(str(ns) for ns in (XSD, RDF, RDFS, OWL))  # datatypes etc.: not individuals
    for node, about in reasoner._about.items():
        if not str(node).startswith(meta):
            facts.extend(about)
    phases.end("load")
    closure = reasoner._rules.close(facts)
    if closure.refusal is not None:
        raise SystemExit(f"the rules engine refused the whole graph: {closure.refusal}")
    added = [t for t in closure.added if is_kept(t)]
    added.extend(reasoner.reference_inferred)
    phases.end("reason")
    _write_raw(added, out)
    phases.end("post")
    return {"triples_in": len(facts), "inferred": len(added), "problems": len(closure.problems)}


def run_pipeline(work: Path, out: Path, phases: _Phases, engine: str) -> dict[str, Any]:
    """Per document against the background, then the cross-document pass, as the build.

    Streams like the build: one document graph in memory at a time; what the cross-document
    pass reads of the union (triples of the cross-document properties and type triples, the
    only ones :meth:`~rcm_graph.stages.reasoning.Reasoner.reason_across` uses) is kept."""
    from rdflib import RDF
    from rdflib.plugins.serializers.nt import _nt_row

    reasoner, reference = _reasoner(work, engine)
    phases.end("background")
    wanted = set(reasoner._cross_properties) | {RDF.type}
    union: list[Triple] = [t for g in (reference, reasoner.reference_inferred) for t in g]
    union = [t for t in union if t[1] in wanted]
    inferred_path = out.with_suffix(".inferred.nt")
    counts = Counter[str]()
    with (
        inferred_path.open("w", encoding="utf-8") as inf,
        out.with_suffix(".by-doc.nq").open("w", encoding="utf-8") as by_doc,
    ):
        for t in reasoner.reference_inferred:
            inf.write(_nt_row(t))
        phases.end("write-inferred")
        for name, g in _iter_doc_graphs(work):
            phases.end("load")
            got = reasoner.reason_document(g).triples
            union.extend(t for graph in (g, got) for t in graph if t[1] in wanted)
            phases.end("reason-documents")
            counts["documents"] += 1
            counts["per_document"] += len(got)
            for t in got:
                row = _nt_row(t)
                inf.write(row)
                by_doc.write(f"{row.rstrip().removesuffix('.').rstrip()} <{name}> .\n")
            phases.end("write-inferred")
        across = reasoner.reason_across(union).triples
        phases.end("reason-across")
        for t in across:
            inf.write(_nt_row(t))
    del union
    phases.end("write-inferred")
    _write_raw(_parse(inferred_path), out)
    phases.end("post")
    return {
        "documents": counts["documents"],
        "inferred": len(reasoner.reference_inferred) + counts["per_document"] + len(across),
        "across": len(across),
        "fallbacks": len(getattr(reasoner, "fallbacks", [])),
    }


_SH = "http://www.w3.org/ns/shacl#"


def _report_rows(report: Any) -> list[tuple[str, str, str]]:
    from rdflib import RDF
    from rdflib.namespace import SH

    rows = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        if (None, SH.result, r) not in report:
            continue  # nested sh:detail results are not top-level results
        path = report.value(r, SH.resultPath)
        rows.append(
            (
                str(report.value(r, SH.focusNode)),
                str(path) if path is not None else "",
                str(report.value(r, SH.sourceConstraintComponent)),
            )
        )
    return rows


def _write_rows(rows: Iterable[tuple[str, str, str]], out: Path) -> int:
    unique = sorted({(focus, path, _rudof_term(comp)) for focus, path, comp in rows})
    out.write_text("".join("\t".join(r) + "\n" for r in unique))
    return len(unique)


def _validation_data(work: Path, store: str = "default") -> Any:
    from rdflib import Graph

    if store == "memory":
        from rdflib.plugins.stores.memory import SimpleMemory

        g = Graph(store=SimpleMemory())
    else:
        g = Graph()
    g.parse(work / "asserted.nt", format="nt")
    g.parse(work / "inferred.nt", format="nt")
    return g


def run_pyshacl_whole(work: Path, out: Path, phases: _Phases) -> dict[str, Any]:
    from pyshacl import validate

    data = _validation_data(work)
    shapes = _parse(work / "shapes.ttl", "turtle")
    phases.end("load")
    _, report, _ = validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    phases.end("validate")
    return {"triples_in": len(data), "results": _write_rows(_report_rows(report), out)}


def run_turbo_whole(work: Path, out: Path, phases: _Phases) -> dict[str, Any]:
    from pyshacl_turbo import compile_shapes

    data = _validation_data(work, store="memory")
    compiled = compile_shapes(  # type: ignore[no-untyped-call]
        _parse(work / "shapes.ttl", "turtle"), advanced=True
    )
    phases.end("load")
    _, report, _ = compiled.validate(data, allow_warnings=True)
    phases.end("validate")
    return {"triples_in": len(data), "results": _write_rows(_report_rows(report), out)}


def _rudof_term(text: str) -> str:
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if text.startswith("sh:"):
        return _SH + text[3:]
    return text


def run_pyrudof_whole(work: Path, out: Path, phases: _Phases) -> dict[str, Any]:
    import pyrudof

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(str(work / "asserted.nt"), format=pyrudof.RDFFormat.NTriples)
    rudof.read_data(str(work / "inferred.nt"), format=pyrudof.RDFFormat.NTriples, merge=True)
    rudof.read_shacl(str(work / "shapes.ttl"), format=pyrudof.ShaclFormat.Turtle)
    phases.end("load")
    report = rudof.validate_shacl()
    phases.end("validate")
    rows = [
        (
            _rudof_term(str(e.focus_node)),
            _rudof_term(str(e.path)) if e.path is not None else "",
            _rudof_term(str(e.constraint_component)),
        )
        for e in report
    ]
    return {"results": _write_rows(rows, out)}


def run_turbo_pipeline(work: Path, out: Path, phases: _Phases) -> dict[str, Any]:
    """The build's validation: each document with its inferred triples (focus: its nodes),
    the nodes several documents describe, and the reference graph on its own."""
    from rdflib import Dataset, Graph, URIRef

    from rcm_graph.reference.ontology import load_shapes
    from rcm_graph.stages.validation import Validator

    ontology, reference = _background(work)
    reference_inferred = Graph()
    docs = _doc_graphs(work)
    by_doc = Dataset()
    by_doc.parse(work / "inferred-by-doc.nq", format="nquads")
    per_doc = {str(c.identifier): c for c in by_doc.graphs() if isinstance(c.identifier, URIRef)}
    # the reference's own closure: inferred triples whose subject no document graph names
    named = {s for g in docs.values() for s in g.subjects()}
    for t in _parse(work / "inferred.nt"):
        if t[0] not in named and not any(t in g for g in per_doc.values()):
            reference_inferred.add(t)
    validator = Validator(load_shapes(), ontology, reference, reference_inferred, engine="turbo")
    phases.end("load")
    rows: list[tuple[str, str, str]] = []
    reports = [validator.validate_reference()]
    for name, g in docs.items():
        reports.append(validator.validate_document(g, per_doc.get(name, Graph())))
    reports.append(validator.validate_shared(docs, list(per_doc.values())))
    for rep in reports:
        rows += [(r.focus, r.path or "", r.constraint) for r in rep.results]
    phases.end("validate")
    return {"results": _write_rows(rows, out)}


RUNS: dict[str, Callable[[Path, Path, _Phases], dict[str, Any]]] = {
    "owlrl-whole": run_owlrl_whole,
    "reasonable-whole": run_reasonable_whole,
    "rules-whole": run_rules_whole,
    "rules-pipeline": lambda w, o, p: run_pipeline(w, o, p, "rules"),
    "owlrl-pipeline": lambda w, o, p: run_pipeline(w, o, p, "owlrl"),
    "pyshacl-whole": run_pyshacl_whole,
    "pyshacl-turbo-whole": run_turbo_whole,
    "pyrudof-whole": run_pyrudof_whole,
    "turbo-pipeline": run_turbo_pipeline,
}


def run_main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.engines_scale run")
    p.add_argument("--engine", required=True, choices=sorted(RUNS))
    p.add_argument("--work", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    phases = _Phases()
    started = time.perf_counter()
    info = RUNS[args.engine](args.work, args.out, phases)
    info |= {
        "phases_cpu_s": phases.cpu,
        "inner_wall_s": round(time.perf_counter() - started, 3),
    }
    print(json.dumps(info))
    return 0


# --- the harness --------------------------------------------------------------------------------


def _limits(cap_s: float, mem_bytes: int) -> Callable[[], None]:
    def apply() -> None:
        cpu = max(1, math.ceil(cap_s))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
        resource.setrlimit(resource.RLIMIT_AS, (mem_bytes, mem_bytes))

    return apply


def measure(
    engine: str, work: Path, out: Path, *, cap_s: float, mem_gib: float, wall_factor: float = 3.0
) -> dict[str, Any]:
    """One run of ``engine`` in a fresh process; CPU-time, address-space and wall caps."""
    import tempfile
    import threading

    argv = [
        sys.executable,
        "-m",
        "benchmarks.engines_scale",
        "run",
        "--engine",
        engine,
        "--work",
        str(work),
        "--out",
        str(out),
    ]
    load = os.getloadavg()
    with tempfile.TemporaryFile() as so, tempfile.TemporaryFile() as se:
        started = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            cwd=ROOT,
            stdout=so,
            stderr=se,
            preexec_fn=_limits(cap_s, int(mem_gib * 2**30)),
        )
        killed = threading.Event()

        def backstop() -> None:
            killed.set()
            proc.kill()

        timer = threading.Timer(cap_s * wall_factor, backstop)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        wall = time.perf_counter() - started
        so.seek(0)
        se.seek(0)
        stdout = so.read().decode("utf-8", "replace")
        stderr = se.read().decode("utf-8", "replace")
    cpu = usage.ru_utime + usage.ru_stime
    row: dict[str, Any] = {
        "engine": engine,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "load_before": [round(x, 2) for x in load],
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }
    sig = -os.waitstatus_to_exitcode(status) if os.WIFSIGNALED(status) else None
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        row |= json.loads(stdout.strip().splitlines()[-1])
        row["status"] = "ok"
        row["out"] = str(out)
    elif sig == signal.SIGXCPU or cpu >= cap_s or killed.is_set():
        row["status"] = "cpu cap" if not killed.is_set() else "wall cap"
    elif "MemoryError" in stderr or "memory allocation" in stderr or sig == signal.SIGABRT:
        row["status"] = "memory cap"
    else:
        row["status"] = "failed"
    if row["status"] != "ok":
        row["stderr"] = stderr[-1500:]
        row["signal"] = sig
    return row


def _normalise_in_child(work: Path, raw: Path, out: Path) -> int:
    argv = [sys.executable, "-m", "benchmarks.engines_scale", "normalise"]
    argv += ["--work", str(work), "--raw", str(raw), "--out", str(out)]
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"normalising {raw.name} failed: {proc.stderr[-800:]}")
    return int(proc.stdout.strip().splitlines()[-1])


def _lines(path: Path) -> set[str]:
    return set(path.read_text(encoding="utf-8").splitlines())


def compare(reference: Path, other: Path, sample: int = 12) -> dict[str, Any]:
    """Same output? Counts, the predicates (or constraint components) of the differences and
    a few of the differing lines."""
    a, b = _lines(reference), _lines(other)
    only_ref, only_other = sorted(a - b), sorted(b - a)

    def key(line: str) -> str:
        parts = line.split("\t") if "\t" in line else line.split(" ", 2)
        return parts[2].rsplit("#", 1)[-1] if "\t" in line else parts[1]

    return {
        "same": not only_ref and not only_other,
        "common": len(a & b),
        "only_reference": len(only_ref),
        "only_other": len(only_other),
        "only_reference_by_key": dict(Counter(map(key, only_ref)).most_common(8)),
        "only_other_by_key": dict(Counter(map(key, only_other)).most_common(8)),
        "only_reference_sample": only_ref[:sample],
        "only_other_sample": only_other[:sample],
    }


def _exponent(a: tuple[float, float], b: tuple[float, float]) -> float | None:
    (n0, v0), (n1, v1) = a, b
    if v0 <= 0 or v1 <= 0 or n0 == n1:
        return None
    return round(math.log(v1 / v0) / math.log(n1 / n0), 2)


def _skip_reason(
    engine: str,
    n: int,
    history: dict[str, list[tuple[int, dict[str, Any]]]],
    cap_s: float,
    mem_gib: float = math.inf,
) -> str | None:
    """Why ``engine`` is not run at ``n``: it hit a cap at a smaller size, or its measured
    growth (CPU s or peak RSS) puts it far over a cap: stated as a projection from the sizes
    it finished, never as a measurement."""
    done = history.get(engine, [])
    for m, row in done:
        if row["status"] != "ok" and m < n:
            return f"not run: hit the {row['status']} at {m:,} documents"
    for key, cap, unit in (("cpu_s", cap_s, "CPU s"), ("peak_rss_mib", mem_gib * 1024, "MiB")):
        ok = [(m, float(r[key])) for m, r in done if r["status"] == "ok" and r[key] > 0]
        if len(ok) < 2:
            continue
        k = _exponent(ok[-2], ok[-1])
        if k is None:
            continue
        projected = ok[-1][1] * (n / ok[-1][0]) ** k
        if projected > cap:
            return (
                f"not run: projected {projected:,.0f} {unit} from n^{k} between "
                f"{ok[-2][0]:,} and {ok[-1][0]:,} documents (measured) > the {cap:,.0f} {unit} cap"
            )
    return None


def whole_graph(args: argparse.Namespace) -> dict[str, Any]:
    """Every size in turn; the results file is rewritten after each size (a long run that is
    stopped keeps what it measured)."""
    results: dict[str, Any] = {
        "cap_cpu_s": args.cap_s,
        "cap_mem_gib": args.mem_gib,
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
        "scales": {},
    }
    history: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for n in [int(x) for x in args.scales.split(",")]:
        results["scales"][str(n)] = _run_scale(n, args, history)
        results["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
        results["growth"] = _growth(history)
        if args.json:
            _write_results(args.json, _public(results))
    return _public(results)


_MACHINE: dict[str, Any] = {}


def _write_results(path: Path, results: dict[str, Any]) -> None:
    """A results file as ``benchmarks/report.py`` reads them: ``machine`` (as at the start of
    the run: date and load average) + one section."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not _MACHINE:
        _MACHINE.update(_machine())
    out = {"machine": _MACHINE, "engines_scale": results}
    path.write_text(json.dumps(out, indent=2), encoding="utf-8")


def _public(results: dict[str, Any]) -> dict[str, Any]:
    """The results without this machine's paths (results files are shared and quoted)."""
    out: dict[str, Any] = json.loads(json.dumps(results))
    for run in (r for s in out["scales"].values() for r in s["runs"]):
        run.pop("out", None)
        run.pop("raw", None)
    return out


def _run_scale(
    n: int, args: argparse.Namespace, history: dict[str, list[tuple[int, dict[str, Any]]]]
) -> dict[str, Any]:
    reasoners = [e for e in REASONERS if e in args.engines]
    validators = [e for e in VALIDATORS if e in args.engines]
    work = args.work_root / f"engines-scale-{n}"
    source = ("corpus", args.corpus) if args.corpus else source_for(n, args.cache_dir)
    _log(f"engines-scale: {n} documents from {source[0]} {_display(source[1])}")
    t0 = time.process_time()
    meta = prepare(n, work, source)
    meta["prepare_cpu_s"] = round(time.process_time() - t0, 1)
    _log(f"  prepared: {meta}")
    scale: dict[str, Any] = {"meta": meta, "runs": [], "skipped": {}}
    rounds = args.rounds if n <= args.rounds_up_to else 1

    def one(engine: str, r: int, kind: str) -> None:
        why = _skip_reason(engine, n, history, args.cap_s, args.mem_gib) if r == 0 else None
        if why:
            scale["skipped"][engine] = why
            _log(f"  {engine}: {why}")
            return
        if engine in scale["skipped"]:
            return
        out = work / f"out-{engine}-{r}.{'raw.nt' if kind == 'reasoning' else 'tsv'}"
        row = measure(engine, work, out, cap_s=args.cap_s, mem_gib=args.mem_gib)
        row |= {"round": r, "kind": kind}
        if kind == "reasoning" and row["status"] == "ok":
            row["raw"] = row["out"]
            row["out"] = str(work / f"out-{engine}-{r}.nt")
            row["data_triples"] = _normalise_in_child(work, out, Path(row["out"]))
        scale["runs"].append(row)
        if r == 0:
            history.setdefault(engine, []).append((n, row))
        if row["status"] != "ok":
            scale["skipped"][engine] = f"{row['status']} at {n:,} documents"
        _log(
            f"  {engine} r{r}: {row['status']} cpu {row['cpu_s']} s wall {row['wall_s']} s "
            f"rss {row['peak_rss_mib']} MiB {row.get('phases_cpu_s', '')}"
        )

    for r in range(rounds):
        k = r % len(reasoners) if reasoners else 0
        for engine in reasoners[k:] + reasoners[:k]:
            one(engine, r, "reasoning")
    pipeline = _first_ok(scale["runs"], "rules-pipeline")
    if pipeline is not None and validators:
        raw = Path(pipeline["raw"])
        (work / "inferred.nt").write_bytes(raw.with_suffix(".inferred.nt").read_bytes())
        (work / "inferred-by-doc.nq").write_bytes(raw.with_suffix(".by-doc.nq").read_bytes())
        with (work / "asserted.nt").open("rb") as a, (work / "inferred.nt").open("rb") as i:
            meta["validation_input_triples"] = len(set(a) | set(i))
        for r in range(rounds):
            k = r % len(validators)
            for engine in validators[k:] + validators[:k]:
                one(engine, r, "validation")
    scale["agreement"] = _agreement(scale["runs"])
    return scale


def _first_ok(runs: list[dict[str, Any]], engine: str) -> dict[str, Any] | None:
    return next((r for r in runs if r["engine"] == engine and r["status"] == "ok"), None)


def _agreement(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Every engine against the kind's reference, and whole vs per-document with one engine."""
    agreement: dict[str, Any] = {"reference": {}, "vs_reference": {}, "same_engine": {}}
    for kind, prefs in REFERENCE.items():
        ref = next((r for e in prefs if (r := _first_ok(runs, e)) is not None), None)
        if ref is None:
            continue
        agreement["reference"][kind] = ref["engine"]
        for row in runs:
            if row["kind"] != kind or row["status"] != "ok" or row["round"] != 0:
                continue
            if row["engine"] != ref["engine"]:
                agreement["vs_reference"][row["engine"]] = compare(
                    Path(ref["out"]), Path(row["out"])
                )
    for whole, pipe in SAME_ENGINE:
        a, b = _first_ok(runs, whole), _first_ok(runs, pipe)
        if a is not None and b is not None:
            agreement["same_engine"][f"{pipe} vs {whole}"] = compare(Path(a["out"]), Path(b["out"]))
    return agreement


def _growth(history: dict[str, list[tuple[int, dict[str, Any]]]]) -> dict[str, Any]:
    """Per engine: growth exponent of CPU seconds and peak RSS between the two largest sizes
    it finished, and the size where it stopped (if it did)."""
    out: dict[str, Any] = {}
    for engine, rows in history.items():
        ok = [(n, r) for n, r in rows if r["status"] == "ok"]
        stopped = next(((n, r["status"]) for n, r in rows if r["status"] != "ok"), None)
        entry: dict[str, Any] = {"largest_ok": ok[-1][0] if ok else None}
        if len(ok) >= 2:
            (n0, r0), (n1, r1) = ok[-2], ok[-1]
            entry["cpu_exponent"] = _exponent((n0, r0["cpu_s"]), (n1, r1["cpu_s"]))
            entry["rss_exponent"] = _exponent((n0, r0["peak_rss_mib"]), (n1, r1["peak_rss_mib"]))
            entry["between"] = [n0, n1]
        if stopped:
            entry["stopped"] = {"documents": stopped[0], "status": stopped[1]}
        out[engine] = entry
    return out


def inject(work: Path, dest: Path, every: int) -> dict[str, int]:
    """A copy of ``work`` with violations put into every ``every``-th document graph, so that
    the validators have something to find (the synthetic corpus conforms): one node loses the
    values of a property the shapes require (``sh:minCount``), and one value of a property the
    shapes type (``sh:datatype``) gets another datatype. Derived from the shapes, not fitted
    to a document. The inferred triples are kept as they were."""
    import shutil

    import pyoxigraph
    from rdflib import RDF, XSD, Graph, URIRef
    from rdflib.namespace import SH

    shapes = Graph().parse(work / "shapes.ttl", format="turtle")
    required = {
        str(shapes.value(ps, SH.path))
        for ps, count in shapes.subject_objects(SH.minCount)
        if int(str(count)) >= 1 and isinstance(shapes.value(ps, SH.path), URIRef)
    } - {str(RDF.type)}
    typed = {
        str(shapes.value(ps, SH.path)): str(dt)
        for ps, dt in shapes.subject_objects(SH.datatype)
        if isinstance(shapes.value(ps, SH.path), URIRef) and dt != XSD.string
    }
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("ontology.nt", "reference.nt", "shapes.ttl", "inferred.nt", "inferred-by-doc.nq"):
        shutil.copyfile(work / name, dest / name)
    graphs: dict[str, list[Any]] = {}
    with (work / "docs.nq").open("rb") as f:
        for q in pyoxigraph.parse(f, format=pyoxigraph.RdfFormat.N_QUADS):
            graphs.setdefault(q.graph_name.value, []).append(q)
    changes = Counter[str]()
    nq, nt = pyoxigraph.RdfFormat.N_QUADS, pyoxigraph.RdfFormat.N_TRIPLES
    with (dest / "docs.nq").open("wb") as docs, (dest / "asserted.nt").open("wb") as asserted:
        for name in ("ontology.nt", "reference.nt"):
            asserted.write((work / name).read_bytes())
        for i, quads in enumerate(graphs.values()):
            if i % every == 0:
                victim = next(
                    (q.subject for q in sorted(quads, key=str) if q.predicate.value in required),
                    None,
                )
                drop = {
                    q
                    for q in quads
                    if victim is not None and q.subject == victim and q.predicate.value in required
                }
                changes["dropped"] += len(drop)
                quads = [q for q in quads if q not in drop]
                for j, q in enumerate(quads):
                    o = q.object
                    if isinstance(o, pyoxigraph.Literal) and typed.get(q.predicate.value) == str(
                        o.datatype.value
                    ):
                        wrong = pyoxigraph.Literal(o.value)  # an xsd:string
                        quads[j] = pyoxigraph.Quad(q.subject, q.predicate, wrong, q.graph_name)
                        changes["retyped"] += 1
                        break
                changes["documents"] += 1
            docs.write(pyoxigraph.serialize(quads, format=nq) or b"")
            asserted.write(pyoxigraph.serialize([q.triple for q in quads], format=nt) or b"")
    return dict(changes)


def inject_validate(
    results_path: Path, n: int, work: Path, *, every: int, cap_s: float, mem_gib: float
) -> dict[str, Any]:
    """Every validator on the injected copy of size ``n``; added to the results file."""
    dest = work.parent / f"{work.name}-injected"
    changes = inject(work, dest, every)
    _log(f"injected into {n} documents: {changes}")
    runs = []
    for engine in VALIDATORS:
        row = measure(engine, dest, dest / f"out-{engine}-0.tsv", cap_s=cap_s, mem_gib=mem_gib)
        row |= {"round": 0, "kind": "validation"}
        runs.append(row)
        _log(f"  {engine}: {row['status']} cpu {row['cpu_s']} s, {row.get('results')} results")
    agreement = _agreement(runs)
    out = json.loads(results_path.read_text(encoding="utf-8"))
    scale = out["engines_scale"]["scales"][str(n)]
    scale["injected"] = {"every": every, "changes": changes, "runs": runs, "agreement": agreement}
    out = {"machine": out["machine"], "engines_scale": _public(out["engines_scale"])}
    for row in out["engines_scale"]["scales"][str(n)]["injected"]["runs"]:
        row.pop("out", None)
    results_path.write_text(json.dumps(out, indent=2), encoding="utf-8")
    injected: dict[str, Any] = scale["injected"]
    return injected


def merge(paths: list[Path], note: str = "") -> dict[str, Any]:
    """One ``engines_scale`` section from several runs (e.g. the small sizes in one run and
    the largest size in another, started alongside): sizes side by side, the growth
    exponents recomputed over all of them, and the engines a later size left out marked with
    the reason :func:`_skip_reason` gives from the measured sizes."""
    outs = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    sections = [o["engines_scale"] for o in outs]
    merged: dict[str, Any] = {
        "cap_cpu_s": max(x["cap_cpu_s"] for x in sections),
        "cap_mem_gib": max(x["cap_mem_gib"] for x in sections),
        "loadavg_start": sections[0].get("loadavg_start"),
        "loadavg_end": sections[-1].get("loadavg_end"),
        "merged_from": [p.name for p in paths],
        "note": note,
        "scales": {},
    }
    for section in sections:
        for n, scale in section["scales"].items():
            if n not in merged["scales"]:
                merged["scales"][n] = scale
                continue
            have = merged["scales"][n]
            have["runs"] += scale["runs"]
            have["skipped"] |= scale["skipped"]
            for key in ("reference", "vs_reference", "same_engine"):
                have["agreement"][key] |= scale["agreement"].get(key, {})
    history: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    engines = {r["engine"] for s in merged["scales"].values() for r in s["runs"]}
    for n in sorted(merged["scales"], key=int):
        scale = merged["scales"][n]
        ran = {r["engine"] for r in scale["runs"]}
        for engine in sorted(engines - ran - set(scale["skipped"])):
            why = _skip_reason(engine, int(n), history, merged["cap_cpu_s"], merged["cap_mem_gib"])
            scale["skipped"][engine] = why or "not run at this size (left out of the run)"
        for row in scale["runs"]:
            if row["round"] == 0:
                history.setdefault(row["engine"], []).append((int(n), row))
    merged["growth"] = _growth(history)
    return {"machine": outs[-1]["machine"], "engines_scale": merged}


def whole_graph_main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.engines_scale whole-graph")
    p.add_argument("--scales", default="10,100,1000")
    p.add_argument("--engines", default=",".join(REASONERS + VALIDATORS))
    p.add_argument("--cap-s", type=float, default=1200.0, help="CPU seconds per run")
    p.add_argument("--mem-gib", type=float, default=8.0, help="address-space cap per run")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--rounds-up-to", type=int, default=100, help="more than 1 round up to N")
    p.add_argument("--cache-dir", type=Path, help="a build's cache/documents (read only)")
    p.add_argument("--corpus", type=Path, help="extract and map this corpus (every size)")
    p.add_argument("--work-root", type=Path, default=CACHE)
    p.add_argument("--json", type=Path, help="write the results here (after every size)")
    args = p.parse_args(argv)
    args.engines = set(args.engines.split(","))
    unknown = args.engines - set(RUNS)
    if unknown:
        p.error(f"unknown engines: {', '.join(sorted(unknown))}")
    _MACHINE.update(_machine())
    results = whole_graph(args)
    if args.json:
        _write_results(args.json, results)
    print(json.dumps(results, indent=2))
    bad = [
        name
        for s in results["scales"].values()
        for name, c in s["agreement"]["same_engine"].items()
        if not c["same"]
    ]
    return 1 if bad else 0


def _machine() -> dict[str, Any]:
    from benchmarks.machine import machine_info

    return dict(machine_info(ROOT))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["run"]:
        return run_main(argv[1:])
    if argv[:1] == ["normalise"]:
        p = argparse.ArgumentParser(prog="python -m benchmarks.engines_scale normalise")
        for name in ("--work", "--raw", "--out"):
            p.add_argument(name, type=Path, required=True)
        args = p.parse_args(argv[1:])
        print(normalise(args.work, args.raw, args.out))
        return 0
    if argv[:1] == ["inject-validate"]:
        p = argparse.ArgumentParser(prog="python -m benchmarks.engines_scale inject-validate")
        p.add_argument("--results", type=Path, required=True, help="results file to add to")
        p.add_argument("--documents", type=int, required=True)
        p.add_argument("--work", type=Path, required=True, help="the prepared work dir")
        p.add_argument("--every", type=int, default=2)
        p.add_argument("--cap-s", type=float, default=1200.0)
        p.add_argument("--mem-gib", type=float, default=8.0)
        args = p.parse_args(argv[1:])
        inject_validate(
            args.results,
            args.documents,
            args.work,
            every=args.every,
            cap_s=args.cap_s,
            mem_gib=args.mem_gib,
        )
        return 0
    if argv[:1] == ["merge"]:
        p = argparse.ArgumentParser(prog="python -m benchmarks.engines_scale merge")
        p.add_argument("results", type=Path, nargs="+")
        p.add_argument("--out", type=Path, required=True)
        p.add_argument("--note", default="", help="what was not measured, and why")
        args = p.parse_args(argv[1:])
        merged = merge(args.results, args.note)
        args.out.write_text(json.dumps(merged, indent=2), encoding="utf-8")
        return 0
    if argv[:1] == ["whole-graph"]:
        return whole_graph_main(argv[1:])
    print("usage: python -m benchmarks.engines_scale {whole-graph|run} ...", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())

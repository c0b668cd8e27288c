"""Reasoning and SHACL engines on the same synthetic graph: speed, memory, same results?

Per document, as the build runs them (one process, engines interleaved on each document, CPU
milliseconds, outputs compared with --check)::

    nice -n 10 python -m benchmarks.engines per-doc --synthetic 30 --rounds 2 --check

compares owlrl with the compiled rules (``rcm_graph.stages.owl_rl``), pyshacl with pyshacl-turbo,
and reports ``reasonable`` (if installed) on the same per-document input, plus the cross-document
pass and the shared-node validation (projection vs union) once each.

On the union of N documents (10 to 10,000), every engine in a fresh capped process, and the
build's per-document + cross-document reasoning against the whole-graph closure of the same
engine: ``python -m benchmarks.engines whole-graph`` (:mod:`benchmarks.engines_scale`).

Whole-graph runs on one small corpus (``python -m benchmarks --only engines``):

Reasoning: the pipeline's owlrl path (``rcm_graph.stages.reasoning.Reasoner``: background once,
then per document, then the cross-document pass) against ``reasonable`` (Rust OWL 2 RL) over the
whole asserted graph at once, and owlrl over the whole graph where that is affordable.
Validation: the pipeline's pyshacl path (``rcm_graph.stages.validation.Validator``: per document
with focus nodes, plus shared nodes) against the SAME path with ``pyshacl_turbo.validate``
swapped in, and both over the whole graph at once.

Every engine runs in a fresh process (``python -m benchmarks.engines run ...``), rounds
interleaved; each run writes its output so that results can be compared: inferred triples about
data nodes (normalised: ``xsd:string`` literals as plain literals; ``owl:Thing`` typing and
reflexive ``owl:sameAs`` dropped, which the pipeline filters anyway) and validation results as
(focus node, path, constraint component).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SH

from benchmarks import stats

CACHE = Path(__file__).resolve().parent / ".cache"
WHOLE_OWLRL_MAX_TRIPLES = 40_000
WHOLE_PYSHACL_MAX_TRIPLES = 80_000


# --- preparation (in the harness process) ---------------------------------------------------


def prepare(corpus: Path, work: Path) -> dict[str, Any]:
    """Extract and map the corpus; write background.nt, docs.nq and asserted.nt."""
    from rcm_graph.model.iris import Iris
    from rcm_graph.reference.ontology import load_ontology
    from rcm_graph.stages.extraction import extract_corpus
    from rcm_graph.stages.mapping import map_document
    from rcm_graph.stages.reading import list_documents

    work.mkdir(parents=True, exist_ok=True)
    iris = Iris()
    try:
        from rcm_graph.reference.graph import reference_graph

        reference = reference_graph(iris)
    except ImportError:
        reference = Graph()
    background = load_ontology() + reference
    background.serialize(work / "background.nt", format="nt", encoding="utf-8")
    ds = Dataset()
    asserted = Graph()
    for t in background:
        asserted.add(t)
    for facts in extract_corpus(list_documents(corpus)).documents:
        g = map_document(facts, iris)
        ctx = ds.graph(URIRef(iris.base + f"graph/document/{facts.doc_id}"))
        for t in g:
            ctx.add(t)
            asserted.add(t)
    ds.serialize(work / "docs.nq", format="nquads", encoding="utf-8")
    asserted.serialize(work / "asserted.nt", format="nt", encoding="utf-8")
    return {"asserted_triples": len(asserted), "background_triples": len(background)}


# --- engine runs (each in a fresh process) --------------------------------------------------


def _doc_graphs(work: Path, name: str = "docs.nq") -> dict[str, Graph]:
    ds = Dataset()
    ds.parse(work / name, format="nquads")
    out: dict[str, Graph] = {}
    for ctx in ds.graphs():
        if isinstance(ctx.identifier, URIRef) and "/graph/document/" in str(ctx.identifier):
            g = Graph()
            for t in ctx:
                g.add(t)
            out[str(ctx.identifier)] = g
    return out


def _background(work: Path) -> tuple[Graph, Graph]:
    from rcm_graph.reference.ontology import load_ontology

    ontology = load_ontology()
    background = Graph().parse(work / "background.nt", format="nt")
    reference = Graph()
    for t in background:
        if t not in ontology:
            reference.add(t)
    return ontology, reference


def reason_owlrl_pipeline(work: Path, out: Path, engine: str = "owlrl") -> int:
    from rcm_graph.stages.reasoning import Reasoner

    ontology, reference = _background(work)
    docs = _doc_graphs(work)
    reasoner = Reasoner(ontology, reference, engine=engine)
    inferred = Graph()
    for t in reasoner.reference_inferred:
        inferred.add(t)
    per_doc = []
    for g in docs.values():
        got = reasoner.reason_document(g).triples
        per_doc.append(got)
        for t in got:
            inferred.add(t)
    union = (t for g in [*docs.values(), *per_doc] for t in g)
    for t in reasoner.reason_across(union).triples:
        inferred.add(t)
    inferred.serialize(out, format="nt", encoding="utf-8")
    by_doc = Dataset()  # per-document inferred triples, for the validation runs
    for name, got in zip(docs, per_doc, strict=True):
        ctx = by_doc.graph(URIRef(name))
        for t in got:
            ctx.add(t)
    by_doc.serialize(out.with_suffix(".nq"), format="nquads", encoding="utf-8")
    return len(inferred)


def reason_owlrl_whole(work: Path, out: Path) -> int:
    import owlrl

    g = Graph().parse(work / "asserted.nt", format="nt")
    before = set(g)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    added = Graph()
    for t in g:
        if t not in before:
            added.add(t)
    added.serialize(out, format="nt", encoding="utf-8")
    return len(added)


def reason_reasonable_whole(work: Path, out: Path) -> int:
    import reasonable

    g = Graph().parse(work / "asserted.nt", format="nt")
    r = reasonable.PyReasoner()
    r.from_graph(g)
    added = Graph()
    for t in r.reason():
        if t not in g:
            added.add(t)
    added.serialize(out, format="nt", encoding="utf-8")
    return len(added)


def _validator(work: Path, engine: Callable[..., Any] | None) -> Any:
    from rcm_graph.reference.ontology import load_shapes
    from rcm_graph.stages import validation
    from rcm_graph.stages.reasoning import Reasoner

    ontology, reference = _background(work)
    reasoner = Reasoner(ontology, reference)
    return validation.Validator(
        load_shapes(),
        ontology,
        reference,
        reasoner.reference_inferred,
        engine="pyshacl" if engine is None else "turbo",
    )


def _results_tsv(results: list[tuple[str, str, str]], out: Path) -> int:
    rows = sorted(set(results))
    out.write_text("".join("\t".join(r) + "\n" for r in rows))
    return len(rows)


def shacl_pipeline(work: Path, out: Path, engine: Callable[..., Any] | None) -> int:
    validator = _validator(work, engine)
    docs = _doc_graphs(work)
    per_doc = _doc_graphs(work, "inferred.nq")
    found: list[tuple[str, str, str]] = []
    for name, g in docs.items():
        report = validator.validate_document(g, per_doc.get(name, Graph()))
        found += [(r.focus, r.path or "", r.constraint) for r in report.results]
    shared = validator.validate_shared(docs, per_doc.values())
    found += [(r.focus, r.path or "", r.constraint) for r in shared.results]
    return _results_tsv(found, out)


def shacl_whole(work: Path, out: Path, engine: Callable[..., Any]) -> int:
    from rcm_graph.reference.ontology import load_shapes

    data = Graph().parse(work / "asserted.nt", format="nt")
    data.parse(work / "inferred.nt", format="nt")
    _, report, _ = engine(
        data, shacl_graph=load_shapes(), inference="none", advanced=True, allow_warnings=True
    )
    found = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        if (None, SH.result, r) not in report:
            continue  # nested sh:detail results are not top-level results
        focus = report.value(r, SH.focusNode)
        path = report.value(r, SH.resultPath)
        comp = report.value(r, SH.sourceConstraintComponent)
        found.append((str(focus), str(path) if path is not None else "", str(comp)))
    return _results_tsv(found, out)


def _pyshacl() -> Callable[..., Any]:
    from pyshacl import validate

    return validate


def _turbo() -> Callable[..., Any]:
    from pyshacl_turbo import validate

    return validate


RUNS: dict[str, Callable[[Path, Path], int]] = {
    "owlrl-pipeline": reason_owlrl_pipeline,
    "rules-pipeline": lambda w, o: reason_owlrl_pipeline(w, o, "rules"),
    "owlrl-whole": reason_owlrl_whole,
    "reasonable-whole": reason_reasonable_whole,
    "pyshacl-pipeline": lambda w, o: shacl_pipeline(w, o, None),
    "pyshacl-turbo-pipeline": lambda w, o: shacl_pipeline(w, o, _turbo()),
    "pyshacl-whole": lambda w, o: shacl_whole(w, o, _pyshacl()),
    "pyshacl-turbo-whole": lambda w, o: shacl_whole(w, o, _turbo()),
}


def _cli() -> int:
    if sys.argv[1:2] == ["per-doc"]:
        return per_doc_main(sys.argv[2:])
    if sys.argv[1:2] == ["whole-graph"]:  # the engines on the union of N documents
        from benchmarks.engines_scale import main

        return main(sys.argv[1:])
    p = argparse.ArgumentParser()
    p.add_argument("run")
    p.add_argument("--engine", required=True, choices=sorted(RUNS))
    p.add_argument("--work", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args()
    started = time.perf_counter()
    count = RUNS[args.engine](args.work, args.out)
    print(
        json.dumps(
            {
                "seconds": round(time.perf_counter() - started, 3),
                "output": count,
                "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
        )
    )
    return 0


# --- comparison -----------------------------------------------------------------------------

_DROP_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}


def _data_triples(path: Path, base: str) -> set[tuple[str, str, str]]:
    out = set()
    for s, p, o in Graph().parse(path, format="nt"):
        if not isinstance(s, URIRef) or not str(s).startswith(base + "id/"):
            continue
        if p == RDF.type and o in _DROP_TYPES:
            continue
        if p == OWL.sameAs and s == o:
            continue
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        out.add((s.n3(), p.n3(), o.n3()))
    return out


def _compare_closures(a: Path, b: Path) -> str:
    from rcm_graph.model.iris import Iris

    base = Iris().base
    x, y = _data_triples(a, base), _data_triples(b, base)
    if x == y:
        return f"yes ({len(x):,} data triples)"
    return f"NO: {len(x - y):,} only in reference, {len(y - x):,} only here"


def _compare_reports(a: Path, b: Path) -> str:
    x = set(a.read_text().splitlines())
    y = set(b.read_text().splitlines())
    if x == y:
        return f"yes ({len(x):,} results)"
    return f"NO: {len(x - y)} only in reference, {len(y - x)} only here"


def run(args: argparse.Namespace, corpus: Path, log: Callable[[str], None]) -> dict[str, Any]:
    from benchmarks.runner import run_measured

    work = CACHE / f"engines-{args.engine_scale}"
    log(f"engines: preparing graphs from {corpus}")
    sizes = prepare(corpus, work)
    n = sizes["asserted_triples"]
    rounds = 1 if args.quick else 2
    reasoners = ["owlrl-pipeline", "rules-pipeline", "reasonable-whole"]
    if n <= WHOLE_OWLRL_MAX_TRIPLES:
        reasoners.append("owlrl-whole")
    shacl = ["pyshacl-pipeline", "pyshacl-turbo-pipeline", "pyshacl-turbo-whole"]
    if n <= WHOLE_PYSHACL_MAX_TRIPLES:
        shacl.append("pyshacl-whole")
    samples: dict[str, list[dict[str, Any]]] = {e: [] for e in reasoners + shacl}

    def one(engine: str, r: int) -> None:
        out = work / f"out-{engine}-{r}.{'nt' if engine in reasoners else 'tsv'}"
        res = run_measured(
            [
                sys.executable,
                "-m",
                "benchmarks.engines",
                "run",
                "--engine",
                engine,
                "--work",
                str(work),
                "--out",
                str(out),
            ],
            timeout_s=args.engine_timeout_s if hasattr(args, "engine_timeout_s") else 3600,
        )
        if res["rc"] != 0:
            log(f"  {engine} failed: {res['stderr'][-400:]}")
            samples[engine].append({"failed": res["stderr"][-400:], "rss": res["peak_rss_mib"]})
            return
        data = json.loads(res["stdout"].strip().splitlines()[-1])
        data["wall"] = res["seconds"]
        data["out"] = str(out)
        samples[engine].append(data)
        log(f"  {engine}: {data['seconds']} s, output {data['output']}, {data['peak_rss_mib']} MiB")

    for r in range(rounds):
        k = r % len(reasoners)
        for engine in reasoners[k:] + reasoners[:k]:
            one(engine, r)
    ok = [s for s in samples["owlrl-pipeline"] if "out" in s]
    if not ok:
        return {
            "scale": args.engine_scale,
            "sizes": sizes,
            "error": "owlrl pipeline failed",
            "samples": samples,
        }
    (work / "inferred.nt").write_bytes(Path(ok[0]["out"]).read_bytes())
    (work / "inferred.nq").write_bytes(Path(ok[0]["out"]).with_suffix(".nq").read_bytes())
    for r in range(rounds):
        k = r % len(shacl)
        for engine in shacl[k:] + shacl[:k]:
            one(engine, r)
    tables = [
        _table(
            f"OWL 2 RL reasoning ({n:,} asserted triples incl. ontology and reference)",
            reasoners,
            samples,
            rounds,
            _compare_closures,
        ),
        _table("SHACL validation (asserted + inferred)", shacl, samples, rounds, _compare_reports),
    ]
    return {"scale": args.engine_scale, "sizes": sizes, "tables": tables, "samples": samples}


def _table(
    title: str,
    engines: list[str],
    samples: dict[str, list[dict[str, Any]]],
    rounds: int,
    compare: Callable[[Path, Path], str],
) -> dict[str, Any]:
    ref = engines[0]
    rows = []
    for e in engines:
        ok = [s for s in samples[e] if "seconds" in s]
        ratios = []
        for r in range(rounds):
            a = samples[e][r] if r < len(samples[e]) else {}
            b = samples[ref][r] if r < len(samples[ref]) else {}
            if "seconds" in a and "seconds" in b and b["seconds"]:
                ratios.append(a["seconds"] / b["seconds"])
        ref_ok = [s for s in samples[ref] if "out" in s]
        same = "—"
        if ok and ref_ok and e != ref:
            same = compare(Path(ref_ok[0]["out"]), Path(ok[0]["out"]))
        elif not ok:
            same = "failed: " + (samples[e][0].get("failed", "")[-120:] if samples[e] else "")
        rows.append(
            {
                "engine": e,
                "seconds": [s["seconds"] for s in ok],
                "rss": [s["peak_rss_mib"] for s in ok],
                "ratio": stats.median(ratios) if ratios else None,
                "output": ok[0]["output"] if ok else "—",
                "same": same if e != ref else "reference",
            }
        )
    return {"title": title, "rows": rows}


# --- per-document engines, interleaved in one process ----------------------------------------
#
# ``python -m benchmarks.engines per-doc [--synthetic N] [--rounds R] [--check]``: what the
# build does per document (reason, then validate with the inferred triples), each engine on
# the same document one after the other, rounds interleaved, CPU time per call (it survives
# the load of a shared machine better than wall time). With --check, the outputs are compared
# (rules vs owlrl: kept triples and problems; turbo vs pyshacl: every result).


def _cpu(fn: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    started = time.process_time()
    value = fn(*args)
    return (time.process_time() - started) * 1000, value


def _per_doc_set(
    label: str, paths: list[Path], rounds: int, check: bool, log: Callable[[str], None]
) -> dict[str, Any]:
    from rcm_graph.model.iris import Iris
    from rcm_graph.reference.graph import reference_graph
    from rcm_graph.reference.ontology import load_ontology, load_shapes
    from rcm_graph.stages.extraction import extract_corpus
    from rcm_graph.stages.mapping import map_document
    from rcm_graph.stages.reasoning import Reasoner
    from rcm_graph.stages.validation import Validator

    iris = Iris()
    ontology, reference = load_ontology(), reference_graph(iris)
    owl = Reasoner(ontology, reference, engine="owlrl")
    rules = Reasoner(ontology, reference, owl.background_inference, engine="rules")
    shapes = load_shapes()
    validators = {
        name: Validator(shapes, ontology, reference, owl.reference_inferred, engine=name)
        for name in ("pyshacl", "turbo")
    }
    peer = _reasonable_per_doc(rules)
    docs = {f.doc_id: map_document(f, iris) for f in extract_corpus(paths).documents}
    times: dict[str, list[float]] = {
        k: [] for k in ("owlrl", "rules", "pyshacl", "turbo", *(["reasonable"] if peer else []))
    }
    mismatches: list[str] = []
    inferred_by_doc: dict[str, Any] = {}
    for r in range(rounds):
        for i, (doc_id, graph) in enumerate(docs.items()):
            order = ["owlrl", "rules"] if (i + r) % 2 == 0 else ["rules", "owlrl"]
            got: dict[str, Any] = {}
            for name in order:
                reasoner = owl if name == "owlrl" else rules
                ms, got[name] = _cpu(reasoner.reason_document, graph)
                times[name].append(ms)
            if peer is not None:
                ms, _ = _cpu(peer, graph)
                times["reasonable"].append(ms)
            inferred = got["rules"].triples
            inferred_by_doc[doc_id] = inferred
            reports: dict[str, Any] = {}
            vorder = ["pyshacl", "turbo"] if (i + r) % 2 == 0 else ["turbo", "pyshacl"]
            for name in vorder:
                v = validators[name]
                ms, reports[name] = _cpu(v.validate_document, graph, inferred)
                times[name].append(ms)
            if check and r == 0:
                a, b = got["owlrl"], got["rules"]
                if set(a.triples) != set(b.triples) or a.problems != b.problems:
                    mismatches.append(f"reasoning differs on {doc_id}")
                keys = [
                    {(x.focus, x.path, x.constraint, x.value, x.message) for x in rep.results}
                    for rep in (reports["pyshacl"], reports["turbo"])
                ]
                if keys[0] != keys[1]:
                    mismatches.append(f"validation differs on {doc_id}")
        log(f"  {label}: round {r + 1}/{rounds} done")
    # the cross-document steps, once each
    union = [t for g in (*docs.values(), *inferred_by_doc.values()) for t in g]
    union += list(owl.reference_inferred)
    across = {}
    for name, reasoner in (("owlrl", owl), ("rules", rules)):
        across[name], result = _cpu(reasoner.reason_across, iter(union))
        across[name + "_triples"] = len(result.triples)
    inferred_list = [inferred_by_doc[d] for d in docs]
    shared = {}
    for name, fn in (
        ("union", validators["turbo"].validate_shared_union),
        ("projection", validators["turbo"].validate_shared),
    ):
        shared[name], _ = _cpu(fn, docs, inferred_list)
    return {
        "label": label,
        "documents": len(docs),
        "triples_median": stats.median([float(len(g)) for g in docs.values()]),
        "median_ms": {k: round(stats.median(v), 1) for k, v in times.items() if v},
        "ratio_rules_vs_owlrl": _paired_ratio(times["owlrl"], times["rules"]),
        "ratio_turbo_vs_pyshacl": _paired_ratio(times["pyshacl"], times["turbo"]),
        "across_ms": {k: round(v, 1) if isinstance(v, float) else v for k, v in across.items()},
        "shared_ms": {k: round(v, 1) for k, v in shared.items()},
        "fallbacks": sorted(set(rules.fallbacks)),
        "checked": check,
        "mismatches": mismatches,
    }


def _paired_ratio(slow: list[float], fast: list[float]) -> float | None:
    ratios = [a / b for a, b in zip(slow, fast, strict=True) if b > 0]
    return round(stats.median(ratios), 1) if ratios else None


def _reasonable_per_doc(rules: Any) -> Callable[[Graph], Any] | None:
    """The external peer: ``reasonable`` (PyPI, Rust OWL 2 RL) closing the same per-document
    input (TBox + document + the reference triples about its nodes); None if not installed.
    Speed only: its results differ from owlrl's (see docs/performance.md)."""
    try:
        import reasonable
    except ImportError:
        return None
    schema = list(rules._schema)
    about = rules._about

    def run(graph: Graph) -> Any:
        g = Graph()
        for t in schema:
            g.add(t)
        for t in graph:
            g.add(t)
            for n in (t[0], t[2]):
                for u in about.get(n, ()):
                    g.add(u)
        r = reasonable.PyReasoner()
        r.from_graph(g)
        return r.reason()

    return run


def per_doc_main(argv: list[str]) -> int:
    import os

    from rcm_graph.stages.reading import list_documents

    p = argparse.ArgumentParser(prog="python -m benchmarks.engines per-doc")
    p.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parent.parent / "corpus")
    p.add_argument("--synthetic", type=int, default=30, help="synthetic documents (0: none)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--check", action="store_true", help="compare the engines' outputs")
    p.add_argument("--json", type=Path, help="write the results here too")
    args = p.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    results = {"loadavg_start": os.getloadavg(), "sets": []}
    sets: list[tuple[str, list[Path]]] = [("bundled", list_documents(args.corpus))]
    if args.synthetic:
        from benchmarks import synthetic

        out = CACHE / f"per-doc-synthetic-{args.synthetic}-{args.seed}"
        if not out.exists():
            synthetic.generate_corpus(out, args.synthetic, seed=args.seed)
        sets.append((f"synthetic ({args.synthetic})", list_documents(out)))
    for label, paths in sets:
        log(f"per-doc: {label}, {len(paths)} documents")
        results["sets"].append(_per_doc_set(label, paths, args.rounds, args.check, log))
    results["loadavg_end"] = os.getloadavg()
    text = json.dumps(results, indent=2)
    if args.json:
        args.json.write_text(text)
    print(text)
    print(_per_doc_table(results))
    mismatched = any(s["mismatches"] for s in results["sets"])
    return 1 if mismatched else 0


def _per_doc_table(results: dict[str, Any]) -> str:
    lines = [
        "| documents | median triples | owlrl ms | rules ms | rules speed-up | "
        "pyshacl ms | turbo ms | turbo speed-up | reasonable ms | same results |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in results["sets"]:
        m = s["median_ms"]
        same = "—" if not s["checked"] else ("yes" if not s["mismatches"] else "NO")
        lines.append(
            f"| {s['label']} | {s['triples_median']:.0f} | {m['owlrl']} | {m['rules']} | "
            f"{s['ratio_rules_vs_owlrl']}x | {m['pyshacl']} | {m['turbo']} | "
            f"{s['ratio_turbo_vs_pyshacl']}x | {m.get('reasonable', '—')} | {same} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(_cli())

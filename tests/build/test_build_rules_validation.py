"""Shared-node validation by projection gives what validation against the whole union gives.

WHY: ``Validator.validate_shared`` used to validate the nodes several documents describe
against the union of every document graph; at thousands of documents that union is the whole
dataset. It now validates them against a projection (what each document mentioning a node says
within a few hops of it). Compared here with the union way on the bundled corpus, the invented
fixture documents and synthetic documents, plus a violation that exists only in the union.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import RDF, XSD, Graph, Literal

from rcm_graph.model.iris import Iris
from rcm_graph.model.vocab import RCM
from rcm_graph.reference.graph import reference_graph
from rcm_graph.reference.ontology import load_ontology, load_shapes
from rcm_graph.stages import validation
from rcm_graph.stages.extraction import extract_corpus
from rcm_graph.stages.mapping import map_document
from rcm_graph.stages.reading import list_documents
from rcm_graph.stages.reasoning import Reasoner

ROOT = Path(__file__).resolve().parents[2]
IRIS = Iris()
Key = tuple[str, str | None, str, str | None, str, str]


def _keys(report: validation.ValidationReport) -> set[Key]:
    return {(r.focus, r.path, r.constraint, r.value, r.severity, r.message) for r in report.results}


@pytest.fixture(scope="module")
def parts() -> Iterator[tuple[Reasoner, validation.Validator]]:
    ontology, reference = load_ontology(), reference_graph(IRIS)
    reasoner = Reasoner(ontology, reference)
    yield (
        reasoner,
        validation.Validator(load_shapes(), ontology, reference, reasoner.reference_inferred),
    )


def _documents(reasoner: Reasoner, paths: list[Path]) -> tuple[dict[str, Graph], list[Graph]]:
    docs: dict[str, Graph] = {}
    inferred: list[Graph] = []
    for facts in extract_corpus(paths).documents:
        docs[facts.doc_id] = map_document(facts, IRIS)
        inferred.append(reasoner.reason_document(docs[facts.doc_id]).triples)
    return docs, inferred


def _compare(parts: tuple[Reasoner, validation.Validator], paths: list[Path]) -> None:
    reasoner, validator = parts
    docs, inferred = _documents(reasoner, paths)
    union = validator.validate_shared_union(docs, inferred)
    projected = validator.validate_shared(docs, inferred)
    assert _keys(projected) == _keys(union)
    assert projected.conforms == union.conforms


@pytest.mark.slow
def test_bundled_corpus(parts: tuple[Reasoner, validation.Validator]) -> None:
    _compare(parts, list_documents(ROOT / "corpus"))


@pytest.mark.slow
def test_invented_documents(parts: tuple[Reasoner, validation.Validator]) -> None:
    _compare(parts, list_documents(ROOT / "tests" / "fixtures" / "documents"))


@pytest.mark.slow
def test_synthetic_documents(parts: tuple[Reasoner, validation.Validator], tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "rcm_bench_synthetic", ROOT / "benchmarks" / "synthetic.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    paths = module.generate_corpus(tmp_path, 10, seed=5)
    _compare(parts, sorted(paths, key=lambda p: p.stat().st_size)[:6])


def test_a_violation_only_the_union_shows_is_found(
    parts: tuple[Reasoner, validation.Validator],
) -> None:
    reasoner, validator = parts
    state = IRIS.state("ZZZ")
    docs: dict[str, Graph] = {}
    for name, code in (("one", "ZZZ"), ("two", "ZZY")):
        g = Graph()
        g.add((state, RDF.type, RCM.State))
        g.add((state, RCM.iso3166Alpha3, Literal(code, datatype=XSD.string)))
        docs[name] = g
    inferred = [reasoner.reason_document(g).triples for g in docs.values()]
    for g, i in zip(docs.values(), inferred, strict=True):  # each document alone: one code
        per_doc = validator.validate_document(g, i)
        assert not any(r.path == str(RCM.iso3166Alpha3) for r in per_doc.results)
    shared = validator.validate_shared(docs, inferred)
    found = {(r.focus, r.path, r.constraint) for r in shared.results}
    assert (str(state), str(RCM.iso3166Alpha3), "sh:MaxCountConstraintComponent") in found
    assert _keys(shared) == _keys(validator.validate_shared_union(docs, inferred))
    # focus given by the caller (the build's on-disk index of shared subjects)
    focused = validator.validate_shared(docs, inferred, focus=[state])
    assert _keys(focused) == _keys(shared)
    assert validator.validate_shared(docs, inferred, focus=[]).conforms
    # the old call (no inferred graphs) still works
    assert _keys(validator.validate_shared(docs)) == _keys(validator.validate_shared_union(docs))


def test_batches_cover_every_shared_node(
    parts: tuple[Reasoner, validation.Validator], monkeypatch: pytest.MonkeyPatch
) -> None:
    reasoner, validator = parts
    docs: dict[str, Graph] = {}
    for name in ("one", "two"):
        g = Graph()
        for code in ("ZZA", "ZZB", "ZZC"):
            g.add((IRIS.state(code), RDF.type, RCM.State))
            g.add((IRIS.state(code), RCM.iso3166Alpha3, Literal(code + name, datatype=XSD.string)))
        docs[name] = g
    inferred = [reasoner.reason_document(g).triples for g in docs.values()]
    whole = _keys(validator.validate_shared(docs, inferred))
    monkeypatch.setattr(validation, "SHARED_BATCH", 1)
    assert _keys(validator.validate_shared(docs, inferred)) == whole
    assert {k[0] for k in whole if k[2] == "sh:MaxCountConstraintComponent"} == {
        str(IRIS.state(c)) for c in ("ZZA", "ZZB", "ZZC")
    }

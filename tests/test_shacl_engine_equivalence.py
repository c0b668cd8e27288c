"""pyshacl-turbo gives the same validation results as pyshacl, the way the build validates.

WHY: the benchmarks (docs/performance.md) show the build's per-document validation spending
almost all its time in pyshacl's SPARQL-based constraints, evaluated by rdflib; pyshacl-turbo
runs the same pyshacl API in Rust. It is the default (setting ``validator``) because it is
proved here to give the same results: on every valid and invalid shapes fixture, on the
bundled corpus, on the invented fixture documents and on synthetic documents through the real
extractor, mapper and reasoner, comparing (focus node, path, constraint component, value,
severity, message) of every result, per document and for the nodes shared by several
documents. pyshacl stays the fallback and the reference.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from rcm_graph.model.iris import Iris
from rcm_graph.reference.graph import reference_graph
from rcm_graph.reference.ontology import load_ontology, load_shapes
from rcm_graph.stages import validation
from rcm_graph.stages.extraction import extract_corpus
from rcm_graph.stages.mapping import map_document
from rcm_graph.stages.reading import list_documents
from rcm_graph.stages.reasoning import Reasoner

pyshacl_turbo = pytest.importorskip("pyshacl_turbo")  # in the test extra; skip only outside it

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "shapes_fixtures"
Key = tuple[str, str | None, str, str | None, str, str]
Check = Callable[[Graph, Graph], set[Key]]


def _keys(report: validation.ValidationReport) -> set[Key]:
    return {(r.focus, r.path, r.constraint, r.value, r.severity, r.message) for r in report.results}


@pytest.fixture(scope="module")
def validators() -> Iterator[dict[str, Any]]:
    ontology, reference = load_ontology(), reference_graph(Iris())
    reasoner = Reasoner(ontology, reference)
    made: dict[str, Any] = {}
    for name in validation.VALIDATORS:
        made[name] = validation.Validator(
            load_shapes(), ontology, reference, reasoner.reference_inferred, engine=name
        )
    made["_reasoner"] = reasoner
    yield made


def _same_on_documents(validators: dict[str, Any], paths: list[Path]) -> int:
    reasoner: Reasoner = validators["_reasoner"]
    docs: dict[str, Graph] = {}
    inferred: list[Graph] = []
    for facts in extract_corpus(paths).documents:
        graph = map_document(facts, Iris())
        docs[facts.doc_id] = graph
        inferred.append(reasoner.reason_document(graph).triples)
        expected = _keys(validators["pyshacl"].validate_document(graph, inferred[-1]))
        assert _keys(validators["turbo"].validate_document(graph, inferred[-1])) == expected
    shared = _keys(validators["pyshacl"].validate_shared(docs, inferred))
    assert _keys(validators["turbo"].validate_shared(docs, inferred)) == shared
    return len(docs)


def _fixtures() -> list[Path]:
    return sorted(p for p in FIXTURES.glob("*.ttl") if not p.name.startswith("_"))


@pytest.mark.slow
@pytest.mark.parametrize("fixture", _fixtures(), ids=lambda p: p.stem)
def test_same_results_on_every_shape_fixture(validators: dict[str, Any], fixture: Path) -> None:
    doc = Graph().parse(FIXTURES / "_context.ttl").parse(fixture)
    inferred = Graph()
    expected = _keys(validators["pyshacl"].validate_document(doc, inferred))
    assert _keys(validators["turbo"].validate_document(doc, inferred)) == expected
    if fixture.stem.endswith(".invalid"):
        assert expected, f"{fixture.name} should produce results"


def test_reference_graph_same_results(validators: dict[str, Any]) -> None:
    expected = _keys(validators["pyshacl"].validate_reference())
    assert _keys(validators["turbo"].validate_reference()) == expected


@pytest.mark.slow
def test_same_results_on_the_bundled_corpus(validators: dict[str, Any]) -> None:
    assert _same_on_documents(validators, list_documents(ROOT / "corpus")) >= 5


@pytest.mark.slow
def test_same_results_on_invented_documents(validators: dict[str, Any]) -> None:
    paths = list_documents(ROOT / "tests" / "fixtures" / "documents")
    assert _same_on_documents(validators, paths) >= 5


@pytest.mark.slow
def test_same_results_on_extracted_documents(validators: dict[str, Any], tmp_path: Path) -> None:
    # the benchmarks' generator of RCM-like documents (benchmarks/ is not an installed package)
    spec = importlib.util.spec_from_file_location(
        "rcm_bench_synthetic", ROOT / "benchmarks" / "synthetic.py"
    )
    assert spec is not None and spec.loader is not None
    synthetic = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = synthetic  # dataclasses look their module up while defined
    spec.loader.exec_module(synthetic)
    synthetic.generate_corpus(tmp_path, 8, seed=7)
    # the three shortest: pyshacl needs seconds per document, minutes for a long report
    paths = sorted(list_documents(tmp_path), key=lambda p: p.stat().st_size)[:3]
    assert _same_on_documents(validators, paths) == 3


def test_unknown_validator_is_refused() -> None:
    with pytest.raises(ValueError, match="validator"):
        validation.Validator(Graph(), Graph(), Graph(), Graph(), engine="jena")

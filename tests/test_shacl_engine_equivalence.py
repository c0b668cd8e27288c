"""pyshacl-turbo gives the same validation results as pyshacl, the way the build validates.

WHY: the benchmarks (docs/performance.md) show the build's per-document validation spending
almost all its time in pyshacl's SPARQL-based constraints, evaluated by rdflib; pyshacl-turbo
runs the same pyshacl API in Rust. It may replace pyshacl only where it is proved to give the
same results: here, on every valid and invalid shapes fixture and on synthetic documents
through the real extractor, mapper and reasoner, comparing (focus node, path, constraint
component, value) of every result. pyshacl stays the fallback and the reference.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from rcm_graph import validation
from rcm_graph.extraction import extract_corpus
from rcm_graph.iris import Iris
from rcm_graph.mapping import map_document
from rcm_graph.ontology import load_ontology, load_shapes
from rcm_graph.reading import list_documents
from rcm_graph.reasoning import Reasoner
from rcm_graph.reference import reference_graph

pyshacl_turbo = pytest.importorskip("pyshacl_turbo")  # in the test extra; skip only outside it

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "shapes_fixtures"
ENGINES: dict[str, Callable[..., Any]] = {
    "pyshacl": validation.pyshacl_validate,
    "pyshacl-turbo": pyshacl_turbo.validate,
}
Key = tuple[str, str | None, str, str | None]


@pytest.fixture(scope="module")
def validators() -> Iterator[dict[str, Callable[[Graph, Graph], set[Key]]]]:
    ontology, reference = load_ontology(), reference_graph(Iris())
    reasoner = Reasoner(ontology, reference)
    original = validation.pyshacl_validate
    made = {}
    for name, engine in ENGINES.items():
        v = validation.Validator(load_shapes(), ontology, reference, reasoner.reference_inferred)

        def run(doc: Graph, inferred: Graph, v: Any = v, engine: Any = engine) -> set[Key]:
            validation.pyshacl_validate = engine
            try:
                report = v.validate_document(doc, inferred)
            finally:
                validation.pyshacl_validate = original
            return {(r.focus, r.path, r.constraint, r.value) for r in report.results}

        made[name] = run
    made["_reasoner"] = lambda doc, _: reasoner.reason_document(doc).triples  # type: ignore[assignment,return-value]
    yield made


def _fixtures() -> list[Path]:
    return sorted(p for p in FIXTURES.glob("*.ttl") if not p.name.startswith("_"))


@pytest.mark.slow
@pytest.mark.parametrize("fixture", _fixtures(), ids=lambda p: p.stem)
def test_same_results_on_every_shape_fixture(
    validators: dict[str, Callable[[Graph, Graph], set[Key]]], fixture: Path
) -> None:
    doc = Graph().parse(FIXTURES / "_context.ttl").parse(fixture)
    inferred = Graph()
    expected = validators["pyshacl"](doc, inferred)
    assert validators["pyshacl-turbo"](doc, inferred) == expected
    if fixture.stem.endswith(".invalid"):
        assert expected, f"{fixture.name} should produce results"


@pytest.mark.slow
def test_same_results_on_extracted_documents(
    validators: dict[str, Callable[[Graph, Graph], set[Key]]], tmp_path: Path
) -> None:
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
    docs = extract_corpus(paths).documents
    assert len(docs) == 3
    for facts in docs:
        graph = map_document(facts, Iris())
        inferred = validators["_reasoner"](graph, Graph())
        assert validators["pyshacl-turbo"](graph, inferred) == validators["pyshacl"](
            graph, inferred
        )

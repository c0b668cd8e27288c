"""The compiled OWL 2 RL rules (rcm_graph.stages.owl_rl) give exactly what owlrl gives.

WHY: the rules engine replaced owlrl as the default per-document reasoner because it is two
orders of magnitude faster; it may only do so while it derives the same kept triples and
reports the same inconsistencies. Compared here: every bundled corpus document, every invented
fixture document, synthetic RCM-like documents, hypothesis-generated small graphs over the
project ontology's vocabulary and over a small ontology that uses every construct the engine
compiles (symmetric, asymmetric, irreflexive, transitive, equivalent classes and properties,
disjoint properties...), and the cross-document pass.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import OWL, RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from rcm_graph.model.iris import Iris
from rcm_graph.model.vocab import RCM
from rcm_graph.reference.graph import reference_graph
from rcm_graph.reference.ontology import load_ontology
from rcm_graph.stages.extraction import extract_corpus
from rcm_graph.stages.mapping import map_document
from rcm_graph.stages.owl_rl import RuleEngine
from rcm_graph.stages.reading import list_documents
from rcm_graph.stages.reasoning import Inference, Reasoner

ROOT = Path(__file__).resolve().parents[2]
IRIS = Iris()
EX = Namespace("https://example.org/data/")


@pytest.fixture(scope="module")
def engines() -> Iterator[tuple[Reasoner, Reasoner]]:
    ontology, reference = load_ontology(), reference_graph(IRIS)
    owl = Reasoner(ontology, reference, engine="owlrl")
    rules = Reasoner(ontology, reference, owl.background_inference, engine="rules")
    assert rules._rules is not None and not rules._rules.unsupported
    yield owl, rules


def _same(a: Inference, b: Inference) -> None:
    assert set(b.triples) == set(a.triples)
    assert b.problems == a.problems


def _check_documents(engines: tuple[Reasoner, Reasoner], paths: list[Path]) -> int:
    owl, rules = engines
    result = extract_corpus(paths)
    for facts in result.documents:
        graph = map_document(facts, IRIS)
        _same(owl.reason_document(graph), rules.reason_document(graph))
    assert not rules.fallbacks, rules.fallbacks
    return len(result.documents)


@pytest.fixture(scope="module")
def bundled(
    engines: tuple[Reasoner, Reasoner],
) -> list[tuple[Graph, Inference, Inference]]:
    """Each bundled document's graph with what each engine derives from it, reasoned once.

    WHY a fixture: the cross-document pass needs every document's inferences of both engines,
    the very ones test_bundled_corpus compares; reasoning them twice (owlrl takes seconds per
    document) was a quarter of this module's time."""
    owl, rules = engines
    graphs = [
        map_document(f, IRIS) for f in extract_corpus(list_documents(ROOT / "corpus")).documents
    ]
    return [(g, owl.reason_document(g), rules.reason_document(g)) for g in graphs]


@pytest.mark.slow
def test_bundled_corpus(
    engines: tuple[Reasoner, Reasoner], bundled: list[tuple[Graph, Inference, Inference]]
) -> None:
    for _graph, by_owl, by_rules in bundled:
        _same(by_owl, by_rules)
    assert not engines[1].fallbacks, engines[1].fallbacks
    assert len(bundled) >= 5


@pytest.mark.slow
def test_invented_fixture_documents(engines: tuple[Reasoner, Reasoner]) -> None:
    paths = list_documents(ROOT / "tests" / "fixtures" / "documents")
    assert _check_documents(engines, paths) >= 5


def _synthetic(tmp_path: Path, n: int, seed: int) -> list[Path]:
    spec = importlib.util.spec_from_file_location(
        "rcm_bench_synthetic", ROOT / "benchmarks" / "synthetic.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    paths: list[Path] = module.generate_corpus(tmp_path, n, seed=seed)
    return paths


@pytest.mark.slow
def test_synthetic_documents(engines: tuple[Reasoner, Reasoner], tmp_path: Path) -> None:
    # owlrl needs seconds per synthetic document: the shortest of a generated set keep CI
    # short; benchmarks/engines.py --check compares a full set of 30
    paths = sorted(_synthetic(tmp_path, 12, seed=11), key=lambda p: p.stat().st_size)[:6]
    assert _check_documents(engines, paths) == 6


@pytest.mark.slow
def test_cross_document_pass(
    engines: tuple[Reasoner, Reasoner], bundled: list[tuple[Graph, Inference, Inference]]
) -> None:
    owl, rules = engines
    # a participation asserted in one document, its participant in another: the chain
    # participantOf o participationIn joins across documents
    extra = Graph()
    node = URIRef(str(IRIS.base) + "id/participation/cross-test")
    meeting = URIRef(str(IRIS.base) + "id/meeting/cross-test")
    extra.add((meeting, RCM.hasParticipation, node))
    other = Graph()
    other.add((node, RCM.participant, IRIS.state("PAN")))

    def union(reasoner: Reasoner, engine: int) -> Iterator[tuple[Node, Node, Node]]:
        yield from reasoner.reference_inferred
        for graph, *inferred in bundled:
            yield from graph
            yield from inferred[engine].triples
        for g in (extra, other):
            yield from g
            yield from reasoner.reason_document(g).triples

    a, b = owl.reason_across(union(owl, 0)), rules.reason_across(union(rules, 1))
    _same(a, b)
    assert (IRIS.state("PAN"), RCM.participatedIn, meeting) in set(b.triples)


# -- hypothesis: small graphs over the ontology's vocabulary ---------------------------------

ALL_CONSTRUCTS = """
@prefix ex: <https://example.org/onto#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:A a owl:Class . ex:B a owl:Class ; rdfs:subClassOf ex:A .
ex:C a owl:Class ; owl:equivalentClass ex:D . ex:D a owl:Class ; rdfs:subClassOf ex:A .
ex:E a owl:Class ; owl:disjointWith ex:B .
[] a owl:AllDisjointClasses ; owl:members ( ex:C ex:E ex:F ) .
ex:p a owl:ObjectProperty ; rdfs:domain ex:B ; rdfs:range ex:C .
ex:q a owl:ObjectProperty ; rdfs:subPropertyOf ex:p ; owl:inverseOf ex:qi .
ex:r a owl:ObjectProperty, owl:SymmetricProperty ; owl:equivalentProperty ex:r2 .
ex:t a owl:ObjectProperty, owl:TransitiveProperty ; rdfs:range ex:F .
ex:s a owl:ObjectProperty, owl:AsymmetricProperty, owl:IrreflexiveProperty .
ex:u a owl:ObjectProperty ; owl:propertyDisjointWith ex:p .
ex:chain a owl:ObjectProperty ; owl:propertyChainAxiom ( ex:p ex:t ex:qi ) .
ex:n a owl:DatatypeProperty ; rdfs:range xsd:integer .
ex:d a owl:DatatypeProperty ; rdfs:domain ex:E ; rdfs:range xsd:date .
"""
ONTO = Namespace("https://example.org/onto#")

LITERALS = [
    Literal("3", datatype=XSD.integer),
    Literal("x3", datatype=XSD.integer),
    Literal("2024-02-30", datatype=XSD.date),
    Literal("2024-02-03", datatype=XSD.date),
    Literal("true", datatype=XSD.boolean),
    Literal("1.5", datatype=XSD.decimal),
    Literal("plain"),
    Literal("hola", lang="es"),
    Literal("-1", datatype=XSD.nonNegativeInteger),
]


def _graphs(
    classes: list[Node], properties: list[Node], data: list[Node]
) -> st.SearchStrategy[Graph]:
    individuals = [EX[f"i{i}"] for i in range(5)]
    nodes = st.sampled_from(individuals)
    typed = st.tuples(nodes, st.just(RDF.type), st.sampled_from(classes))
    linked = st.tuples(nodes, st.sampled_from(properties), nodes)
    valued = st.tuples(nodes, st.sampled_from(data), st.sampled_from(LITERALS))

    def build(triples: list[tuple[Node, Node, Node]]) -> Graph:
        g = Graph()
        for t in triples:
            g.add(t)
        return g

    return st.lists(st.one_of(typed, linked, valued), min_size=1, max_size=14).map(build)


@pytest.fixture(scope="module")
def constructs() -> Iterator[tuple[Reasoner, Reasoner]]:
    ontology = Graph().parse(data=ALL_CONSTRUCTS, format="turtle")
    reference = Graph()
    reference.add((EX.i0, RDF.type, ONTO.B))
    reference.add((EX.i1, ONTO.t, EX.i2))
    owl = Reasoner(ontology, reference, engine="owlrl")
    rules = Reasoner(ontology, reference, owl.background_inference, engine="rules")
    assert rules._rules is not None and not rules._rules.unsupported
    yield owl, rules


HYPOTHESIS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.slow
@HYPOTHESIS
@given(
    doc=_graphs(
        [ONTO.A, ONTO.B, ONTO.C, ONTO.D, ONTO.E, ONTO.F, OWL.Nothing],
        [ONTO.p, ONTO.q, ONTO.qi, ONTO.r, ONTO.r2, ONTO.t, ONTO.s, ONTO.u, ONTO.chain],
        [ONTO.n, ONTO.d],
    )
)
def test_every_compiled_construct(constructs: tuple[Reasoner, Reasoner], doc: Graph) -> None:
    owl, rules = constructs
    _same(owl.reason_document(doc), rules.reason_document(doc))
    assert not rules.fallbacks


def _vocabulary() -> tuple[list[Node], list[Node], list[Node]]:
    ontology = load_ontology()
    classes = sorted(ontology.subjects(RDF.type, OWL.Class), key=str)
    objects = sorted(ontology.subjects(RDF.type, OWL.ObjectProperty), key=str)
    data = sorted(ontology.subjects(RDF.type, OWL.DatatypeProperty), key=str)
    return [c for c in classes if isinstance(c, URIRef)], objects, data


@pytest.mark.slow
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=_graphs(*_vocabulary()))
def test_project_ontology_vocabulary(engines: tuple[Reasoner, Reasoner], doc: Graph) -> None:
    owl, rules = engines
    # reference individuals too, so document triples meet reference triples
    doc.add((EX.i4, RCM.participant, IRIS.state("PAN")))
    _same(owl.reason_document(doc), rules.reason_document(doc))


def test_unsupported_constructs_fall_back_to_owlrl() -> None:
    ontology = Graph().parse(
        data="""
        @prefix ex: <https://example.org/onto#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        ex:f a owl:ObjectProperty, owl:FunctionalProperty .
        """,
        format="turtle",
    )
    assert RuleEngine(ontology).unsupported == ["owl:FunctionalProperty"]
    rules = Reasoner(ontology, Graph(), engine="rules")
    owl = Reasoner(ontology, Graph(), rules.background_inference, engine="owlrl")
    doc = Graph()
    doc.add((EX.a, ONTO.f, EX.b))
    doc.add((EX.a, ONTO.f, EX.c))
    a, b = owl.reason_document(doc), rules.reason_document(doc)
    _same(a, b)
    assert (EX.b, OWL.sameAs, EX.c) in set(b.triples)
    assert rules.fallbacks and "FunctionalProperty" in rules.fallbacks[0]


def test_schema_triples_in_a_document_fall_back_to_owlrl() -> None:
    ontology = Graph().parse(data=ALL_CONSTRUCTS, format="turtle")
    rules = Reasoner(ontology, Graph(), engine="rules")
    doc = Graph()
    doc.add((ONTO.G, URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), ONTO.A))
    doc.add((EX.x, RDF.type, ONTO.G))
    assert (EX.x, RDF.type, ONTO.A) in set(rules.reason_document(doc).triples)
    assert rules.fallbacks and "schema triples" in rules.fallbacks[0]


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="reasoner"):
        Reasoner(Graph(), Graph(), engine="pellet")

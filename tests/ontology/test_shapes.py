"""SHACL shapes: each targeted shape has a valid and an invalid fixture, run here.

A valid fixture must conform; an invalid one must fail with exactly the focus nodes and paths
its ``# expect: <focus> <path>`` header names (``-`` for a result without a path), so a shape
that stops checking, or starts reporting something else, fails the test. Fixtures are validated
the way the build validates a document: with the ontology and the reference graph as context
and the fixture's own nodes as focus.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, SKOS

from rcm_graph.model.iris import Iris
from rcm_graph.reference.graph import reference_graph
from rcm_graph.reference.ontology import load_ontology, load_shapes, shapes_paths
from rcm_graph.stages.validation import unguarded_sparql_constraints

FIXTURES = Path(__file__).parent.parent / "shapes_fixtures"
SHAPES_NS = "https://w3id.org/rcm-graph/shapes#"
TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
SHAPES = load_shapes()
TARGETED = sorted(
    str(s)[len(SHAPES_NS) :]
    for s in SHAPES.subjects(RDF.type, SH.NodeShape)
    if any(SHAPES.value(s, t) is not None for t in TARGETS)
)
RCMSH = Namespace(SHAPES_NS)
SCHEMES_USED = sorted({str(o) for o in SHAPES.objects(None, RCMSH.scheme)})
NESTED = (SH.node, SH.qualifiedValueShape, SH["or"], SH["and"], SH["not"], SH.xone)


@pytest.fixture(scope="module")
def background() -> Graph:
    graph = load_ontology()
    graph += reference_graph(Iris())
    return graph


@pytest.fixture(scope="module")
def context() -> Graph:
    return Graph().parse(FIXTURES / "_context.ttl")


def run(background: Graph, *parts: Graph, shapes: Graph = SHAPES) -> tuple[bool, Graph]:
    """Validate ``parts`` (their URI subjects as focus) with ``background`` as context.

    The parts are added to the background for the call and removed afterwards (copying the
    5,000-triple background per fixture would dominate the run time); ``inplace`` stops
    pyshacl from cloning it again.
    """
    added = {t for part in parts for t in part if t not in background}
    focus = sorted({s for part in parts for s in part.subjects() if isinstance(s, URIRef)})
    for triple in added:
        background.add(triple)
    try:
        conforms, report, _ = validate(
            background,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            inplace=True,
            focus_nodes=focus,
        )
    finally:
        for triple in added:
            background.remove(triple)
    assert isinstance(report, Graph)
    return bool(conforms), report


def found(report: Graph, nsm: Graph) -> set[tuple[str, str]]:
    results = set()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        if (None, SH.detail, r) in report:
            continue  # nested detail of another result
        focus = report.value(r, SH.focusNode)
        path = report.value(r, SH.resultPath)
        inverse = report.value(path, SH.inversePath) if path is not None else None
        norm = nsm.namespace_manager.normalizeUri
        if path is None:
            shown = "-"
        elif inverse is not None:
            shown = "^" + norm(inverse)
        elif (path, RDF.first, None) in report:  # a sequence path
            shown = "/".join(norm(p) for p in Collection(report, path))
        else:
            shown = norm(path)
        results.add((nsm.namespace_manager.normalizeUri(focus), shown))
    return results


def expected(path: Path, graph: Graph) -> set[tuple[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    pairs = [
        line.removeprefix("# expect:").split() for line in lines if line.startswith("# expect:")
    ]
    norm = graph.namespace_manager.normalizeUri
    return {(norm(graph.namespace_manager.expand_curie(f)), p) for f, p in pairs}


def test_every_targeted_shape_has_both_fixtures_and_every_fixture_a_shape() -> None:
    assert len(TARGETED) >= 20
    names = {p.name.split(".")[0] for p in FIXTURES.glob("*.ttl") if not p.name.startswith("_")}
    assert names == set(TARGETED)
    for name in TARGETED:
        assert (FIXTURES / f"{name}.valid.ttl").is_file()
        assert (FIXTURES / f"{name}.invalid.ttl").is_file()


def test_the_shared_context_conforms(background: Graph, context: Graph) -> None:
    conforms, report = run(background, context)
    assert conforms, report.serialize(format="turtle")


@pytest.mark.parametrize("name", TARGETED)
def test_valid_fixture_conforms(background: Graph, context: Graph, name: str) -> None:
    fixture = Graph().parse(FIXTURES / f"{name}.valid.ttl")
    conforms, report = run(background, context, fixture)
    assert conforms, found(report, fixture)


@pytest.mark.parametrize("name", TARGETED)
def test_invalid_fixture_fails_where_expected(background: Graph, context: Graph, name: str) -> None:
    path = FIXTURES / f"{name}.invalid.ttl"
    fixture = Graph().parse(path)
    want = expected(path, fixture)
    assert want, f"{path.name} has no '# expect:' line"
    conforms, report = run(background, context, fixture)
    assert not conforms
    assert found(report, fixture) == want
    shape = URIRef(SHAPES_NS + name)
    sources = {
        report.value(r, SH.sourceShape) for r in report.subjects(RDF.type, SH.ValidationResult)
    }
    # the failure comes from this shape (directly or through one of its property shapes)
    assert shape in sources or set(SHAPES.objects(shape, SH.property)) & sources


@pytest.mark.parametrize("scheme", SCHEMES_USED)
def test_the_in_scheme_component_accepts_its_concepts_and_refuses_others(
    background: Graph, scheme: str
) -> None:
    mine = next(background.subjects(SKOS.inScheme, URIRef(scheme)))
    other = next(
        c
        for c in background.subjects(SKOS.inScheme, None)
        if (c, SKOS.inScheme, URIRef(scheme)) not in background
    )
    probe = URIRef("http://example.org/fixture/probe")
    value = URIRef("http://example.org/fixture/value")
    shapes = Graph()
    shapes += SHAPES
    shapes.parse(
        data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <http://example.org/fixture/Probe> a sh:NodeShape ; sh:targetNode <{probe}> ;
            sh:property [ sh:path <{value}> ; <{RCMSH.scheme}> <{scheme}> ] .""",
        format="turtle",
    )
    for concept, ok in ((mine, True), (other, False)):
        data = Graph()
        data.add((probe, value, concept))
        conforms, _ = run(background, data, shapes=shapes)
        assert conforms is ok, (scheme, concept)


def test_shapes_use_no_nested_shapes() -> None:
    """pyshacl's focus_nodes mode (how the build validates one document at a time) skips
    nested shapes on value nodes outside the focus set: a sh:node, sh:qualifiedValueShape or
    sh:or check would silently pass. The shapes use SPARQL-based constraints instead."""
    assert [(s, p) for s, p, _ in SHAPES if p in NESTED] == []


@pytest.mark.slow
def test_the_reference_graph_conforms(background: Graph) -> None:
    conforms, _report, text = validate(
        background, shacl_graph=SHAPES, inference="none", advanced=True, inplace=True
    )
    assert conforms, text


def test_shapes_are_valid_shacl_by_shacl_shacl() -> None:
    shacl_shacl = Graph().parse(str(files("pyshacl") / "assets" / "shacl-shacl.ttl"))
    conforms, _, text = validate(SHAPES, shacl_graph=shacl_shacl, inference="none")
    assert conforms, text
    broken = Graph()
    broken += SHAPES
    prop = next(SHAPES.objects(URIRef(SHAPES_NS + "StateShape"), SH.property))
    broken.add((prop, SH.minCount, URIRef("http://example.org/not-a-number")))
    assert not validate(broken, shacl_graph=shacl_shacl, inference="none")[0]


def test_sparql_constraints_guard_their_comparisons() -> None:
    assert len(list(SHAPES.objects(None, SH.select))) >= 4
    assert unguarded_sparql_constraints(SHAPES) == []


def test_shapes_follow_a_configured_base() -> None:
    rebased = load_shapes(Iris("http://localhost:8000/"))
    terms = {str(t) for triple in rebased for t in triple if isinstance(t, URIRef)}
    assert "http://localhost:8000/id/scheme/roles" in terms
    assert not [t for t in terms if t.startswith("https://w3id.org/rcm-graph/id/")]
    assert len(rebased) == len(load_shapes())
    assert [p.name for p in shapes_paths()] == sorted(p.name for p in shapes_paths())

"""The streaming build's cross-document steps, which read back from the store instead of
keeping every document in memory, give exactly what the whole-corpus calls give: the default
graph written as documents stream past is the distinct union of the named graphs, and the
shared-node validation in chunks over each chunk's neighbourhood finds the same results as
:meth:`Validator.validate_shared` over all documents at once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyoxigraph
import pytest
from build_fixtures import doc_a, doc_b
from rdflib import RDF, SH, SKOS, Graph

import rcm_graph.store.dumps as dumps
from rcm_graph.model.iris import Iris
from rcm_graph.model.vocab import RCM
from rcm_graph.pipeline import shared_validation
from rcm_graph.pipeline.cross_reasoning import Projection
from rcm_graph.pipeline.inputs import load_context
from rcm_graph.pipeline.shared_validation import SubjectIndex, validate_shared
from rcm_graph.reference.ontology import load_ontology
from rcm_graph.settings import Settings
from rcm_graph.stages.mapping import map_document
from rcm_graph.stages.reasoning import Reasoner, cross_document_properties
from rcm_graph.stages.validation import Validator

IRIS = Iris()


def _quads(store: pyoxigraph.Store, graph: object) -> set[str]:
    return {
        f"{q.subject} {q.predicate} {q.object}"
        for q in store.quads_for_pattern(None, None, None, graph)  # type: ignore[arg-type]
    }


def test_writer_fills_named_graphs_and_their_distinct_union(tmp_path: Path) -> None:
    a, b = map_document(doc_a(), IRIS), map_document(doc_b(), IRIS)
    store = pyoxigraph.Store(str(tmp_path / "store"))
    writer = dumps.QuadWriter(store, flush_bytes=4096)  # many small bulk loads
    writer.add("https://example.org/g/a", a.serialize(format="nt", encoding="utf-8"))
    writer.add("https://example.org/g/b", b.serialize(format="nt", encoding="utf-8"))
    writer.flush()
    named_a = _quads(store, pyoxigraph.NamedNode("https://example.org/g/a"))
    named_b = _quads(store, pyoxigraph.NamedNode("https://example.org/g/b"))
    assert len(named_a) == len(a) and len(named_b) == len(b)
    assert named_a & named_b, "the fixtures share triples: the union must hold them once"
    assert _quads(store, pyoxigraph.DefaultGraph()) == named_a | named_b

    other = pyoxigraph.Store(str(tmp_path / "other"))
    for name, graph in (("a", a), ("b", b)):
        other.bulk_load(
            graph.serialize(format="nt", encoding="utf-8"),
            format=pyoxigraph.RdfFormat.N_TRIPLES,
            to_graph=pyoxigraph.NamedNode(f"https://example.org/g/{name}"),
        )
    dumps.materialise_default_graph(other, batch=50)
    assert _quads(other, pyoxigraph.DefaultGraph()) == named_a | named_b


def _key(report: object) -> set[tuple[str, str | None, str, str | None]]:
    return {(r.focus, r.path, r.constraint, r.value) for r in report.results}  # type: ignore[attr-defined]


@pytest.mark.slow
@pytest.mark.parametrize("chunk", [1, 64])
def test_shared_validation_over_the_store_equals_the_whole_union(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """The meeting both documents describe gets another type in each (only the union breaks
    sh:maxCount 1): the store-backed pass, which gives the validator only the neighbourhood of
    the shared nodes, one node or many at a time, reports what ``validate_shared`` over the
    complete graphs reports, each result once."""
    monkeypatch.setattr(shared_validation, "SHARED_CHUNK", chunk)
    ctx = load_context(Settings(data_dir=tmp_path), None)
    reasoner = Reasoner(ctx.ontology, ctx.reference)
    validator = Validator(ctx.shapes, ctx.ontology, ctx.reference, reasoner.reference_inferred)
    a, b = map_document(doc_a(), IRIS), map_document(doc_b(), IRIS)
    meeting = IRIS.meeting("plenary-meeting", ordinal=4, start=date(2030, 5, 10))
    kinds = sorted(set(ctx.reference.subjects(SKOS.inScheme, IRIS.scheme("meeting-types"))))
    other = next(k for k in kinds if (meeting, RCM.meetingType, k) not in a)
    b.set((meeting, RCM.meetingType, other))  # per document one type; in the union two
    inferred = {name: reasoner.reason_document(g).triples for name, g in (("a", a), ("b", b))}
    expected = validator.validate_shared({"a": a, "b": b}, inferred.values())
    assert not expected.conforms and str(meeting) in {r.focus for r in expected.results}

    store = pyoxigraph.Store(str(tmp_path / "store"))
    writer = dumps.QuadWriter(store)
    index = SubjectIndex(tmp_path / "subjects.sqlite")
    graphs = {}
    for n, (name, graph) in enumerate((("a", a), ("b", b))):
        graph_iri = str(IRIS.document_graph(name))
        graphs[graph_iri] = name
        nt = graph.serialize(format="nt", encoding="utf-8")
        writer.add(graph_iri, nt)
        writer.add(
            str(IRIS.graph("inferred")), inferred[name].serialize(format="nt", encoding="utf-8")
        )
        index.add(n, nt)
    writer.flush()
    shared = list(index.shared())
    assert shared == sorted({str(s) for s in set(a.subjects()) & set(b.subjects())})
    reports = validate_shared(store, validator, ctx.shapes, IRIS, graphs, iter(shared))
    index.close()
    found = [r for report in reports for r in report.results]
    assert len(found) == len({(r.focus, r.path, r.constraint, r.value) for r in found})
    assert {(r.focus, r.path, r.constraint, r.value) for r in found} == _key(expected)
    assert {r.evidence for r in found} == {r.evidence for r in expected.results}
    assert all(not report.conforms for report in reports if report.results)
    assert len(reports) == (len(shared) if chunk == 1 else 1)
    for report in reports:  # the report graph holds exactly the results kept
        nodes = set(report.graph.subjects(RDF.type, SH.ValidationResult))
        assert {str(report.graph.value(n, SH.focusNode)) for n in nodes} == {
            r.focus for r in report.results
        }


def test_projection_keeps_only_the_cross_document_properties() -> None:
    ctx_ontology = load_ontology()
    properties = cross_document_properties(ctx_ontology)
    a, b = map_document(doc_a(), IRIS), map_document(doc_b(), IRIS)
    prop = sorted(properties)[0]
    background = Graph()
    background.add((RCM.x, prop, RCM.y))
    background.add((RCM.x, RDF.type, RCM.y))  # not on a cross-document property
    projection = Projection(properties, chunk_bytes=100)  # lines split across reads
    for graph in (a, b, a):  # a document's triples twice, as if two documents stated them
        projection.collect(graph.serialize(format="nt", encoding="utf-8"))
    union = projection.with_background(background)
    expected = {t for g in (a, b, background) for t in g if t[1] in properties}
    first = list(union)
    assert set(first) == expected  # the same rdflib terms as the graphs held
    assert len(first) == projection.count + 1 > len(expected), "repeats are kept (sets later)"
    assert list(union) == first, "iterated again: the same triples"
    projection.close()


def test_writer_accepts_n_triples_with_blank_and_comment_lines(tmp_path: Path) -> None:
    store = pyoxigraph.Store(str(tmp_path / "store"))
    writer = dumps.QuadWriter(store)
    data = (
        b"# a comment\n"
        b'<https://example.org/a> <https://example.org/p> "x . y"@en .\n'
        b"\n"
        b"<https://example.org/a> <https://example.org/q> <https://example.org/b>  .  "
    )
    writer.add("https://example.org/g", data)
    writer.flush()
    assert writer.statements == 2
    named = _quads(store, pyoxigraph.NamedNode("https://example.org/g"))
    assert named == _quads(store, pyoxigraph.DefaultGraph())
    assert named == {
        '<https://example.org/a> <https://example.org/p> "x . y"@en',
        "<https://example.org/a> <https://example.org/q> <https://example.org/b>",
    }
    with pytest.raises(ValueError, match="not an N-Triples statement"):
        writer.add("https://example.org/g", b"<https://example.org/a> <https://example.org/p>\n")

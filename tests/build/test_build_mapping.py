"""Mapping: golden graphs for hand-built facts, provenance on every fact node, stable IRIs and
entity resolution across documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from build_fixtures import doc_a, doc_b
from rdflib import RDF, Graph, URIRef
from rdflib.compare import isomorphic, to_isomorphic

from rcm_graph.model.facts import ActorRef, DocumentFacts
from rcm_graph.model.iris import Iris
from rcm_graph.model.vocab import OA, RCM
from rcm_graph.stages.mapping import map_document

GOLDEN = Path(__file__).parent / "golden"
FACT_CLASSES = (
    RCM.Meeting,
    RCM.Participation,
    RCM.Person,
    RCM.Statement,
    RCM.Commitment,
    RCM.SubjectMention,
    RCM.Stance,
    RCM.Provision,
    RCM.StatedCount,
)
IRIS = Iris()


@pytest.mark.parametrize(("name", "make"), [("doc-a", doc_a), ("doc-b", doc_b)])
def test_mapping_matches_golden(name: str, make: object) -> None:
    assert callable(make)
    graph = map_document(make(), IRIS)
    golden = Graph().parse(GOLDEN / f"{name}.ttl")
    if not isomorphic(graph, golden):
        a, b = to_isomorphic(graph), to_isomorphic(golden)
        extra = sorted(str(t) for t in a - b)[:5]
        missing = sorted(str(t) for t in b - a)[:5]
        pytest.fail(f"mapping differs from golden: extra {extra}, missing {missing}")


def test_golden_files_hold_no_blank_nodes_or_timestamps() -> None:
    for path in GOLDEN.glob("*.ttl"):
        text = path.read_text(encoding="utf-8")
        assert "_:" not in text and "dateTime" not in text, path


def test_every_fact_node_has_evidence_and_method() -> None:
    facts = doc_a()
    graph = map_document(facts, IRIS)
    nodes = {s for cls in FACT_CLASSES for s in graph.subjects(RDF.type, cls)}
    assert len(nodes) >= 12
    for node in nodes:
        assert graph.value(node, RCM.extractionMethod) is not None, node
        spans = list(graph.objects(node, RCM.evidence))
        assert spans, node
        for span in spans:
            assert graph.value(span, OA.hasSource) == IRIS.document("doc-a")
            selectors = list(graph.objects(span, OA.hasSelector))
            position = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in graph)
            quote = next(s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in graph)
            start = int(graph.value(position, OA.start))  # type: ignore[arg-type]
            end = int(graph.value(position, OA.end))  # type: ignore[arg-type]
            assert str(graph.value(quote, OA.exact)) == facts.text[start:end]


def test_same_facts_same_graph_and_base_iri_is_respected() -> None:
    assert isomorphic(map_document(doc_a(), IRIS), map_document(doc_a(), IRIS))
    other = map_document(doc_a(), Iris("https://example.org/kg/"))
    subjects = {str(s) for s in other.subjects() if isinstance(s, URIRef)}
    assert subjects and all(s.startswith("https://example.org/kg/") for s in subjects)


def test_entities_resolve_across_documents() -> None:
    union = map_document(doc_a(), IRIS) + map_document(doc_b(), IRIS)
    plenaries = [
        m
        for m in union.subjects(RDF.type, RCM.Meeting)
        if (m, RCM.meetingType, IRIS.concept("meeting-type", "plenary-meeting")) in union
    ]
    assert plenaries == [
        IRIS.meeting("plenary-meeting", ordinal=4, start=doc_a().meetings[0].start.value)
    ]  # type: ignore[union-attr]
    meeting = plenaries[0]
    # both documents point to the one meeting: one reports on it, the other mentions it
    assert (IRIS.document("doc-a"), RCM.reportsOn, meeting) in union
    assert (IRIS.document("doc-b"), RCM.mentionsEvent, meeting) in union
    # the state and the organization are the same resources in both documents
    participants = {
        union.value(p, RCM.participant) for p in union.objects(meeting, RCM.hasParticipation)
    }
    assert participants == {IRIS.state("PAN"), IRIS.org("iom")}
    assert len(set(union.objects(meeting, RCM.hasParticipation))) == 4
    assert (IRIS.state("PAN"), RCM.hostedMeeting, meeting) in union
    assert (IRIS.org("iom"), RCM.supported, meeting) in union
    # two evidence spans, one per document
    sources = {union.value(s, OA.hasSource) for s in union.objects(meeting, RCM.evidence)}
    assert sources == {IRIS.document("doc-a"), IRIS.document("doc-b")}


def test_an_undated_meeting_named_only_by_its_kind_stays_in_its_document() -> None:
    """Two documents' undated "the meeting" are not one meeting; a dated or numbered one is."""
    from dataclasses import replace

    a, b = doc_a(), doc_b()
    generic = replace(a.meetings[1], name="Workshop", kind="workshop")
    a_graph = map_document(replace(a, meetings=[a.meetings[0], generic]), IRIS)
    b_graph = map_document(
        replace(b, meetings=[*b.meetings, replace(generic, local_id="m9")]), IRIS
    )
    generic_a = {m for m in a_graph.subjects(RDF.type, RCM.Meeting) if "/meeting/in-" in str(m)}
    generic_b = {m for m in b_graph.subjects(RDF.type, RCM.Meeting) if "/meeting/in-" in str(m)}
    assert generic_a == {IRIS.meeting_in("doc-a", "m2")}
    assert generic_b == {IRIS.meeting_in("doc-b", "m9")}
    # the named undated workshop of the golden file still resolves by its name
    named = map_document(a, IRIS)
    assert IRIS.meeting("workshop", ordinal=None, start=None, name=a.meetings[1].name) in set(
        named.subjects(RDF.type, RCM.Meeting)
    )


def test_an_undated_first_plenary_resolves_only_by_its_series_or_its_name() -> None:
    """Every forum has a first plenary meeting: undated, the ordinal alone joins nothing."""
    from dataclasses import replace

    a, b = doc_a(), doc_b()

    def undated(
        doc: DocumentFacts, name: str, series: str | None = None, held_by_rcm: bool = False
    ) -> set[URIRef]:
        meeting = replace(doc.meetings[0], name=name, kind="plenary-meeting", ordinal=1)
        rcm = ActorRef("process", "rcm", "the Conference", meeting.span)
        holders = [rcm] if held_by_rcm else []
        meeting = replace(meeting, start=None, end=None, series=series, processes=holders)
        graph = map_document(replace(doc, meetings=[meeting, *doc.meetings[1:]]), IRIS)
        return set(graph.subjects(RDF.type, RCM.Meeting))

    # "the First Plenary Meeting" of two documents: two meetings, each in its document
    first_a = undated(a, "First Plenary Meeting")
    first_b = undated(b, "Primera Reunión Plenaria")
    assert IRIS.meeting_in("doc-a", a.meetings[0].local_id) in first_a
    assert IRIS.meeting_in("doc-b", b.meetings[0].local_id) in first_b
    # a stated series, or a name that says whose meeting it is, does identify it
    with_series = undated(a, "First Plenary Meeting", series="forum-x") & undated(
        b, "Primera Reunión Plenaria", series="forum-x"
    )
    assert with_series == {IRIS.meeting("plenary-meeting", ordinal=1, start=None, within="forum-x")}
    # so do the processes that hold it, whatever the language of the name
    held = undated(a, "First Plenary Meeting", held_by_rcm=True) & undated(
        b, "Primera Reunión Plenaria", held_by_rcm=True
    )
    assert held == {IRIS.meeting("plenary-meeting", ordinal=1, start=None, within="rcm")}
    named = "I Plenary Meeting of the Forum X and the Network Y"
    assert undated(a, named) & undated(b, named) == {
        IRIS.meeting("plenary-meeting", ordinal=1, start=None, name=named)
    }


def test_names_that_say_only_their_kind() -> None:
    from rcm_graph.stages.extraction.meetings import names_only_its_kind

    for name in (
        "the Fifth Meeting",
        "la Primera Reunión Plenaria",
        "XXI Vice-Ministerial Meeting",
    ):
        assert names_only_its_kind(name), name
    for name in ("I Plenary Meeting of the RCM and the SACM", "Civil Meeting", "Taller Mixto"):
        assert not names_only_its_kind(name), name

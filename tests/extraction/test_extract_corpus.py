"""The public entry point: every readable document is extracted, bad ones become errors."""

from __future__ import annotations

from pathlib import Path

from rcm_graph.errors import DocumentError
from rcm_graph.resources import bundled_corpus_dir
from rcm_graph.stages.extraction import extract_corpus
from rcm_graph.stages.reading import list_documents


def test_bad_files_are_collected_and_others_processed(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "latin1.md").write_bytes("Reunión en Panamá".encode("latin-1"))
    (tmp_path / "good.txt").write_text(
        "Joint Communiqué\n\nIII Plenary Meeting\nSan José, Costa Rica\n12 May 2022\n\n"
        "The Government of Costa Rica convened the III Plenary Meeting on 12 May 2022.\n",
        encoding="utf-8",
    )
    result = extract_corpus(list_documents(tmp_path))
    assert [d.doc_id for d in result.documents] == ["good"]
    assert sorted(Path(str(e.where).split(":")[0]).name for e in result.errors) == [
        "binary.txt",
        "empty.txt",
        "latin1.md",
    ]
    assert all(isinstance(e, DocumentError) for e in result.errors)
    meeting = result.documents[0].meetings[0]
    assert meeting.reported and meeting.kind == "plenary-meeting" and meeting.ordinal == 3


def test_bundled_corpus_spans_point_into_original_text() -> None:
    result = extract_corpus(list_documents(bundled_corpus_dir()))
    assert len(result.documents) == 5 and not result.errors
    for doc in result.documents:
        spans = [p.span for p in doc.participations] + [c.span for c in doc.commitments]
        spans += [m.span for m in doc.meetings] + [o.evidence for o in doc.objectives]
        spans += [p.span for p in doc.persons]
        assert spans
        for span in spans:
            assert doc.text[span.start : span.end] == span.text


def test_statements_and_persons_of_the_report() -> None:
    path = bundled_corpus_dir() / "2017-03-ts-report-regional-stance-gcm.txt"
    from rcm_graph.stages.extraction import extract_document

    doc = extract_document(path)
    kinds = {(s.speaker.key, s.kind) for s in doc.statements}
    assert {
        ("liduvina-magarin", "stated"),
        ("USA", "requested"),
        ("CRI", "expressed-concern"),
        ("PAN", "asked"),
        ("rcm:presidency-pro-tempore", "proposed"),
    } <= kinds
    assert all(s.meeting == doc.meetings[0].local_id for s in doc.statements)
    names = [p.name for p in doc.persons]
    assert names.count("Liduvina Magarín") == 1 and "Magarín" not in names


def test_persons_with_the_same_surname_stay_apart(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(
        "Report of the Workshop\n\nAmbassador Ana Pérez opened the workshop. "
        "Director Luis Pérez presented the study. Ambassador Pérez closed it.\n",
        encoding="utf-8",
    )
    (doc,) = extract_corpus([tmp_path / "r.txt"]).documents
    assert sorted(p.name for p in doc.persons) == ["Ana Pérez", "Luis Pérez"]


def test_organizations_unknown_to_the_reference_data(tmp_path: Path) -> None:
    """An organization defined with its acronym is an actor keyed by the acronym's slug."""
    (tmp_path / "x.txt").write_text(
        "Joint Communiqué\n\nVI Plenary Meeting\nLima, Peru, 3 May 2024\n\n"
        "The meeting was attended by representatives of Chile and Peru, the Inter-American "
        "Development Bank (IDB), the Norwegian Refugee Council (NRC) and the International "
        "Organization for Migration (IOM).\n\nThe participating countries thanked the IDB for "
        "its support.\n",
        encoding="utf-8",
    )
    (doc,) = extract_corpus([tmp_path / "x.txt"]).documents
    roles = {(p.actor.kind, p.actor.key, p.role) for p in doc.participations}
    assert {
        ("organization", "idb", "participant"),
        ("organization", "nrc", "participant"),
        ("organization", "iom", "participant"),
        ("organization", "idb", "supporter"),
    } <= roles


def test_colon_lists_and_ppt_apposition(tmp_path: Path) -> None:
    (tmp_path / "m.txt").write_text(
        "Minutes\n\nTechnical Meeting on Labour Migration\nBelmopan, Belize, 4 April 2024\n\n"
        "Participating countries: Belize, Guatemala, Honduras and Mexico.\n\n"
        "Belize, as PPT, opened the meeting. The delegation of Guatemala stated that the region "
        "needs more data.\n",
        encoding="utf-8",
    )
    (doc,) = extract_corpus([tmp_path / "m.txt"]).documents
    roles = {(p.actor.key, p.role) for p in doc.participations}
    assert {("BLZ", "participant"), ("MEX", "participant"), ("BLZ", "presidency")} <= roles
    assert ("GTM", "speaker") in roles and ("BLZ", "host") not in roles
    assert doc.meetings[0].kind == "technical-meeting"

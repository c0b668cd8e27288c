"""PDFs as the RCM publishes them: generated here with reportlab, read back with pypdf."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rcm_graph.errors import DocumentError
from rcm_graph.stages.extraction import extract_corpus, extract_document
from rcm_graph.stages.reading import list_documents

pytest.importorskip("reportlab")

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

HEADER = ("Conferencia Regional sobre Migración", "Regional Conference on Migration")
PAGES = [
    [
        "JOINT COMMUNIQUÉ",
        "",
        "III Plenary Meeting",
        "Tegucigalpa, Honduras, 12 - 13 May 2022",
        "",
        "The Government of Honduras convened the III Plenary Meeting of the Regional",
        "Conference on Migration (RCM), which was attended by representatives of the",
        "Governments of Belize, Guatemala, Mexico and Panama, as well as IOM and UNHCR.",
        "",
        "The countries agreed to strengthen the exchange of information on migratory flows",
    ],
    [
        "and to promote regular pathways for labour migration.",
        "",
        "The participating countries thank the Government of Honduras for its hospitality",
        "and the Government of Canada for its support.",
    ],
]


def _make_pdf(path: Path) -> None:
    pdf = canvas.Canvas(str(path), pagesize=letter)
    for lines in PAGES:
        y = 740
        for header in HEADER:
            pdf.drawString(72, y, header)
            y -= 14
        y -= 30
        for line in lines:
            pdf.drawString(72, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()


def test_generated_pdf_is_extracted(tmp_path: Path) -> None:
    path = tmp_path / "iii-plenary.pdf"
    _make_pdf(path)
    doc = extract_document(path)
    assert "Regional Conference on Migration" in doc.text  # the original text keeps furniture
    meeting = doc.meetings[0]
    assert meeting.kind == "plenary-meeting" and meeting.ordinal == 3
    assert meeting.start is not None and meeting.start.value == date(2022, 5, 12)
    assert meeting.place is not None and meeting.place.city == "Tegucigalpa"
    states = {p.actor.key for p in doc.participations if p.role not in ("supporter",)}
    assert {"HND", "BLZ", "GTM", "MEX", "PAN"} <= states
    assert "CAN" not in states
    roles = {(p.actor.key, p.role) for p in doc.participations}
    assert {("HND", "host"), ("CAN", "supporter"), ("iom", "participant")} <= roles
    # the agreement runs across the page break and the running header
    (commitment,) = doc.commitments
    assert commitment.text.endswith("regular pathways for labour migration.")
    assert "Conferencia" not in commitment.text
    assert doc.text[commitment.span.start : commitment.span.end] == commitment.span.text
    assert 5 in {o.number for o in doc.objectives}  # "regular pathways"


def test_damaged_pdf_is_an_error_naming_it(tmp_path: Path) -> None:
    good = tmp_path / "good.pdf"
    _make_pdf(good)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(good.read_bytes()[:300])
    result = extract_corpus(list_documents(tmp_path))
    assert [d.source for d in result.documents] == ["good.pdf"]
    assert len(result.errors) == 1 and "broken.pdf" in str(result.errors[0].where)


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path), pagesize=letter)
    pdf.rect(100, 100, 200, 200, fill=1)
    pdf.showPage()
    pdf.save()
    with pytest.raises(DocumentError, match="no text layer"):
        extract_document(path)

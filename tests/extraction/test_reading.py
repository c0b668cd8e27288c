"""Reading: loading with clear errors, furniture removal with exact offsets, segmentation."""

from __future__ import annotations

from pathlib import Path

import pytest

from rcm_graph.errors import DocumentError
from rcm_graph.stages.reading import list_documents, read_document
from rcm_graph.stages.reading.loading import load_document

HEADER = "Conferencia Regional sobre Migración\nRegional Conference on Migration\n"


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_list_documents_ignores_readme_and_hidden(tmp_path: Path) -> None:
    for name in ("b.txt", "a.md", "c.pdf", "README.md", ".x.txt", "_draft.txt", "notes.docx"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.name for p in list_documents(tmp_path)] == ["a.md", "b.txt", "c.pdf"]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x00\x01\x02binary\x00", "NUL"),
        ("Reunión en Panamá".encode("latin-1"), "not valid UTF-8"),
        (b"text with \x07 bell", "control character"),
    ],
)
def test_bad_input_names_the_file(tmp_path: Path, data: bytes, fragment: str) -> None:
    path = _write(tmp_path, "bad.txt", data)
    with pytest.raises(DocumentError) as info:
        load_document(path)
    assert fragment in info.value.what
    assert info.value.where is not None and "bad.txt" in info.value.where


def test_fake_pdf_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "fake.pdf", b"this is not a pdf at all")
    with pytest.raises(DocumentError, match="not a PDF"):
        load_document(path)


def test_byte_order_marks_are_honoured(tmp_path: Path) -> None:
    text = "Reunión Viceministerial en Panamá\n"
    for name, data in (
        ("u8.txt", "\ufeff".encode() + text.encode()),
        ("u16.txt", text.encode("utf-16")),
    ):
        raw = load_document(_write(tmp_path, name, data))
        assert raw.text == text


def test_crlf_is_normalised(tmp_path: Path) -> None:
    raw = load_document(_write(tmp_path, "w.txt", b"One line.\r\nTwo line.\r\n"))
    assert raw.text == "One line.\nTwo line.\n"


def test_furniture_dropped_and_offsets_exact(tmp_path: Path) -> None:
    body = (
        HEADER + "\n\n\nThe delegations of Belize and Honduras met to discuss the situation of "
        "migrants in transit through the region and agreed to continue the dialogue "
        "within the\n\n\n\n"
        + HEADER
        + "\n\n\nframework of the RCM.\n\nLogo Text\n\n\n\n"
        + HEADER
        + "\n\nSecond paragraph.\n"
    )
    doc = read_document(_write(tmp_path, "d.txt", body))
    texts = [b.text for b in doc.blocks]
    assert not any("Conferencia Regional" in t for t in texts)
    joined = next(t for t in texts if t.startswith("The delegations"))
    assert joined.endswith("within the framework of the RCM.")
    block = next(b for b in doc.blocks if b.text.startswith("The delegations"))
    i = block.text.index("framework")
    span = block.segment.span(i, i + len("framework"))
    assert body[span.start : span.end] == "framework" == span.text


def test_footnote_markers_and_footnotes(tmp_path: Path) -> None:
    body = (
        "Joint Communiqué\n\nThe Forum brought together the member countries and other "
        "champion¹ countries, as well as the Network² on Migration.\n\n"
        "¹ Chile, Peru.\n² IOM, UNHCR.\n"
    )
    doc = read_document(_write(tmp_path, "f.md", body))
    assert set(doc.footnotes) == {"1", "2"}
    assert doc.footnotes["1"].text == "Chile, Peru."
    para = next(b for b in doc.blocks if b.kind == "paragraph")
    assert "champion countries" in para.text
    assert [n for _i, n in para.markers] == ["1", "2"]


def test_items_headings_and_sentences(tmp_path: Path) -> None:
    body = (
        "FINAL MINUTES\n\nThe parties have agreed as set forth below.\n\nInformation Exchange\n\n"
        "- 1.** Ensure that the TS updates the calendar. Ms. Pérez will help.\n"
        "- 2.** Exchange all advances.\n"
        "a) Share the questionnaire.\n"
    )
    doc = read_document(_write(tmp_path, "m.md", body))
    items = [b for b in doc.blocks if b.kind == "item"]
    assert [b.number for b in items] == ["1", "2", "a"]
    assert items[0].section == "Information Exchange"
    assert [s.text for s in items[0].sentences] == [
        "Ensure that the TS updates the calendar.",
        "Ms. Pérez will help.",
    ]
    assert items[0].text.startswith("Ensure")


def test_plain_digit_footnotes_as_pypdf_extracts_them(tmp_path: Path) -> None:
    body = (
        "JOINT COMMUNIQUE\n"
        "The Forum brought together the member countries and other GCM champion1 countries, as\n"
        "well as the members of the United Nations Regional Network2 on Migration.\n"
        "It was held in 2023 with 17 countries.\n"
        "1 Azerbaijan, Colombia, Nigeria, Portugal.\n"
        "2 IOM, UNHCR, CEPAL.\n\n\n"
        "Next page starts here.\n"
    )
    doc = read_document(_write(tmp_path, "p.txt", body))
    assert doc.footnotes["1"].text == "Azerbaijan, Colombia, Nigeria, Portugal."
    para = next(b for b in doc.blocks if b.kind == "paragraph")
    assert "champion countries" in para.text and "Network on Migration" in para.text
    assert "17 countries" in para.text  # a number that is not a marker stays


def test_digits_without_a_glued_marker_are_not_footnotes(tmp_path: Path) -> None:
    body = "Report\n\nThe meeting had 3 sessions.\n\n3 Delegations asked for the floor.\n"
    doc = read_document(_write(tmp_path, "q.txt", body))
    assert not doc.footnotes


@pytest.mark.parametrize("link", ["Skip to main content", "Saltar al contenido principal"])
def test_a_saved_page_s_skip_link_is_not_text(tmp_path: Path, link: str) -> None:
    path = _write(tmp_path, "page.txt", f"{link}\nSecond Regional Forum\n\nThe forum met.\n")
    doc = read_document(path)
    assert link not in " ".join(b.text for b in doc.blocks)
    assert doc.blocks[0].text.startswith("Second Regional Forum")
    # nothing is deleted from the original: the evidence offsets still point into it
    assert link in doc.text


def test_an_apostrophe_typed_as_an_accent_reads_as_one(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "n.txt", "IOM´s Director spoke.\n"))
    [block] = doc.blocks
    assert block.text == "IOM’s Director spoke."
    assert block.segment.span(0, 5).text == "IOM´s"


def test_a_stack_of_short_lines_is_a_stack_of_headings(tmp_path: Path) -> None:
    text = (
        "Regional Programs\n"
        "Caribbean Issues | Human Mobility\n"
        "Kingston Ministerial Conference on Mobility,\n"
        "Protection and Related Matters\n"
        "March 3-4, 2031\n"
        "Kingston, Jamaica\n\n"
        "1. The ministers met in Kingston and agreed on the plan.\n"
    )
    doc = read_document(_write(tmp_path, "stack.txt", text))
    texts = [b.text for b in doc.blocks]
    # a title line that ends with a comma goes on in the next one
    assert "Kingston Ministerial Conference on Mobility, Protection and Related Matters" in texts
    assert "March 3-4, 2031" in texts
    assert "Kingston, Jamaica" in texts


@pytest.mark.parametrize(
    "text",
    [
        # a numbered item wrapped over short lines is one item
        "3. Regarding the Working Group to Discuss and Define\nObjectives on Flows:\n",
        # a lead-in that ends with a colon is a sentence, not a heading stack
        "The delegations of the Member Countries\nof the Conference agreed\nas follows:\n",
    ],
)
def test_short_lines_that_make_a_sentence_stay_one_block(tmp_path: Path, text: str) -> None:
    doc = read_document(_write(tmp_path, "wrap.txt", text))
    assert len(doc.blocks) == 1


def test_symbol_font_bullets_make_items(tmp_path: Path) -> None:
    text = (
        "CONCLUSIONES\nEl Grupo concluyó lo siguiente:\n"
        "\uf0b7 Solicitar a los países un informe.\n"
        "\uf0b7 Encomendar a la Secretaría un estudio.\n"
    )
    doc = read_document(_write(tmp_path, "b.txt", text))
    items = [b.text for b in doc.blocks if b.kind == "item"]
    assert items == ["Solicitar a los países un informe.", "Encomendar a la Secretaría un estudio."]


def test_a_title_line_that_opens_with_a_connector_goes_on(tmp_path: Path) -> None:
    text = (
        "Noticias\nREUNION DEL GRUPO DE TRABAJO\nDE LA CONFERENCIA REGIONAL\nLima, Perú\n\nTexto.\n"
    )
    doc = read_document(_write(tmp_path, "t.txt", text))
    assert "REUNION DEL GRUPO DE TRABAJO DE LA CONFERENCIA REGIONAL" in [b.text for b in doc.blocks]

"""Fuzzing the reader and the extractor with hostile documents.

The promise under test (issue 4, "bad input"): whatever bytes a file holds, ``extract_corpus``
never raises; a file it cannot use becomes exactly one ``DocumentError`` that names the file,
and every other document of the corpus is still processed. Documents are random bytes or
mutations of the bundled corpus: re-encodings, truncated UTF-8, NUL bytes, very long lines,
deeply nested numbering, huge numbers in dates, empty and whitespace-only files, broken PDFs.
"""

from __future__ import annotations

import codecs
import dataclasses
import os
import re
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_support import CORPUS, examples, need

import rcm_graph.stages.extraction as extraction
from rcm_graph.model.facts import DocumentFacts, Span

CORPUS_DOCS = sorted(p for p in CORPUS.glob("*.txt"))
# The smallest bundled documents keep each example fast; mutations of the large one run in
# scripts/fuzz.
SMALL_DOCS = sorted(CORPUS_DOCS, key=lambda p: p.stat().st_size)[:3]
CONTROL = SMALL_DOCS[0]

# Generous: a hang guard, not a speed test (speed is measured in benchmarks/).
DEADLINE_MS = 30_000

# Lines up to 300k repetitions in the long runs; CI keeps them to 50k so that one example stays
# within seconds (the extractor is linear, but at about 0.1 ms per actor mention).
LONG_LINE_MAX = 300_000 if os.environ.get("RCM_RELIABILITY_EXAMPLES") else 50_000

MONTHS = ["January", "September", "diciembre", "agosto", "Sept.", "13th"]


def _huge_date() -> st.SearchStrategy[str]:
    number = st.one_of(
        st.integers(min_value=10**6, max_value=10**40).map(str),
        st.sampled_from(["0", "00", "-1", "31", "32", "99", "2023", "9" * 400]),
    )
    return st.builds(
        lambda d, m, y, sep: f"{d}{sep}{m}{sep}{y}",
        number,
        st.sampled_from(MONTHS),
        number,
        st.sampled_from([" ", " de ", "-", "/", ", "]),
    )


def _nested_numbering() -> st.SearchStrategy[str]:
    return st.builds(
        lambda depth, n, sep: "\n".join(
            ".".join(["1"] * (i % depth + 1)) + sep + " The States agreed to act." for i in range(n)
        ),
        st.integers(min_value=1, max_value=400),
        st.integers(min_value=1, max_value=300),
        st.sampled_from([".", ")", "", " -", "\t"]),
    )


@st.composite
def mutated_document(draw: st.DrawFn) -> bytes:
    """A bundled document put through one to four random mutations."""
    data = bytearray(draw(st.sampled_from(SMALL_DOCS)).read_bytes())
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(
            st.sampled_from(
                [
                    "delete",
                    "duplicate",
                    "insert",
                    "truncate",
                    "truncate-utf8",
                    "reencode",
                    "nul",
                    "long-line",
                    "numbering",
                    "date",
                    "bom",
                ]
            )
        )
        size = max(len(data), 1)
        at = draw(st.integers(min_value=0, max_value=size - 1))
        if kind == "delete":
            del data[at : at + draw(st.integers(min_value=1, max_value=2000))]
        elif kind == "duplicate":
            chunk = data[at : at + draw(st.integers(min_value=1, max_value=2000))]
            data[at:at] = chunk * draw(st.integers(min_value=1, max_value=20))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=200))
        elif kind == "truncate":
            del data[at:]
        elif kind == "truncate-utf8":
            # Cut inside a multi-byte character (e.g. the "é" of "Communiqué").
            cut = [m.start() + 1 for m in re.finditer(rb"[\xc2-\xf4]", bytes(data))] or [at]
            del data[draw(st.sampled_from(cut)) :]
        elif kind == "reencode":
            text = bytes(data).decode("utf-8", errors="replace")
            enc = draw(st.sampled_from(["latin-1", "cp1252", "utf-16", "utf-16-be", "utf-32"]))
            data = bytearray(text.encode(enc, errors="replace"))
        elif kind == "nul":
            for _ in range(draw(st.integers(min_value=1, max_value=50))):
                data.insert(draw(st.integers(min_value=0, max_value=len(data))), 0)
        elif kind == "long-line":
            line = draw(st.sampled_from([b"a", b"the ", b"1.", b" ", b"\xc3\xa9", b"(", b"RCM "]))
            data[at:at] = line * draw(st.integers(min_value=10_000, max_value=LONG_LINE_MAX))
        elif kind == "numbering":
            data[at:at] = draw(_nested_numbering()).encode()
        elif kind == "date":
            data[at:at] = (" on " + draw(_huge_date()) + ", ").encode()
        elif kind == "bom":
            data[0:0] = draw(st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"\xff"]))
    return bytes(data)


def random_document() -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.just(b""),
        st.sampled_from([b" ", b"\n\n\n", b"\x00" * 100, b"\xef\xbb\xbf", b"\r\n" * 1000]),
        st.binary(max_size=4000),
        st.text(max_size=4000).map(lambda t: t.encode("utf-8", errors="surrogatepass")),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=3000).map(str.encode),
        _nested_numbering().map(str.encode),
        _huge_date().map(lambda d: f"Joint Communiqué\n\nPanama City, {d}\n".encode()),
    )


SUFFIXES = [".txt", ".md", ".pdf"]


def check_corpus(tmp: Path, hostile: bytes, suffix: str) -> None:
    """Extract a corpus of one hostile document and one intact control document."""
    from rcm_graph.errors import DocumentError
    from rcm_graph.stages.extraction import extract_corpus
    from rcm_graph.stages.reading import list_documents

    (tmp / CONTROL.name).write_bytes(CONTROL.read_bytes())
    hostile_path = tmp / f"hostile-doc{suffix}"
    hostile_path.write_bytes(hostile)
    paths = list_documents(tmp)
    assert hostile_path in paths and tmp / CONTROL.name in paths

    result = extract_corpus(paths)

    for error in result.errors:
        assert isinstance(error, DocumentError), error
        assert hostile_path.name in error.one_line(), error.one_line()
    assert len(result.errors) <= 1, [e.one_line() for e in result.errors]
    sources = [doc.source for doc in result.documents]
    # Nothing is lost: the control document is always extracted; the hostile one is either
    # extracted or reported, never both and never neither.
    assert len(result.documents) + len(result.errors) == 2, (sources, result.errors)
    assert CONTROL.name in sources, "the control document was not processed"
    for doc in result.documents:
        assert_spans_point_into_text(doc)


def _spans(value: object, depth: int = 0) -> list[Span]:
    """Every Span reachable from a facts object (dataclasses, lists)."""
    if isinstance(value, Span):
        return [value]
    if depth > 6:
        return []
    if isinstance(value, list | tuple):
        return [s for item in value for s in _spans(item, depth + 1)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [
            s for f in dataclasses.fields(value) for s in _spans(getattr(value, f.name), depth + 1)
        ]
    return []


def assert_spans_point_into_text(doc: DocumentFacts) -> None:
    """Provenance survives hostile input: every span is inside the text and quotes it."""
    for span in _spans(doc):
        assert 0 <= span.start <= span.end <= len(doc.text), (doc.source, span)
        assert doc.text[span.start : span.end] == span.text, (doc.source, span)


@pytest.mark.slow
@settings(
    max_examples=examples(25),
    deadline=DEADLINE_MS,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(hostile=mutated_document(), suffix=st.sampled_from([".txt", ".md"]))
def test_mutated_corpus_documents_never_crash_the_extractor(hostile: bytes, suffix: str) -> None:
    need(extraction, "extract_corpus")
    with TemporaryDirectory() as tmp:
        check_corpus(Path(tmp), hostile, suffix)


@pytest.mark.slow
@settings(
    max_examples=examples(40),
    deadline=DEADLINE_MS,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(hostile=random_document(), suffix=st.sampled_from(SUFFIXES))
def test_random_documents_never_crash_the_extractor(hostile: bytes, suffix: str) -> None:
    need(extraction, "extract_corpus")
    with TemporaryDirectory() as tmp:
        check_corpus(Path(tmp), hostile, suffix)


def _pdf_bytes(text: str) -> bytes:
    import io

    from reportlab.pdfgen import canvas as reportlab

    buffer = io.BytesIO()
    canvas = reportlab.Canvas(buffer)
    y = 800
    for line in text.splitlines()[:60]:
        canvas.drawString(40, y, line[:100])
        y -= 12
    canvas.save()
    return buffer.getvalue()


@pytest.mark.slow
@settings(max_examples=examples(15), deadline=DEADLINE_MS, database=None)
@given(cut=st.floats(min_value=0.0, max_value=1.0), garble=st.binary(max_size=64))
def test_truncated_and_garbled_pdfs_are_reported_not_raised(cut: float, garble: bytes) -> None:
    need(extraction, "extract_corpus")
    pdf = _pdf_bytes(CONTROL.read_text(encoding="utf-8"))
    at = int(len(pdf) * cut)
    with TemporaryDirectory() as tmp:
        check_corpus(Path(tmp), pdf[:at] + garble, ".pdf")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.txt", b""),
        ("blank.md", b"  \n\t\n"),
        ("nul-only.txt", b"\x00" * 4096),
        ("binary.txt", bytes(range(256)) * 16),
        ("truncated-utf8.txt", "Declaración de Panamá".encode()[:-1]),
        ("not-a-pdf.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 100),
        ("empty.pdf", b""),
    ],
)
def test_each_unreadable_file_is_one_named_error_and_the_rest_is_processed(
    tmp_path: Path, name: str, content: bytes
) -> None:
    """Known-bad files: a DocumentError naming the file; the control document still extracted.

    A truncated UTF-8 sequence may be read leniently (replacement character) instead: then the
    document must come back, not vanish.
    """
    need(extraction, "extract_corpus")
    (tmp_path / CONTROL.name).write_bytes(CONTROL.read_bytes())
    (tmp_path / name).write_bytes(content)
    from rcm_graph.errors import DocumentError
    from rcm_graph.stages.extraction import extract_corpus
    from rcm_graph.stages.reading import list_documents

    result = extract_corpus(list_documents(tmp_path))
    assert len(result.documents) + len(result.errors) == 2
    if name.startswith(("empty", "blank", "nul-only", "binary", "not-a-pdf")):
        assert len(result.errors) == 1, "an unusable file must be reported"
    for error in result.errors:
        assert isinstance(error, DocumentError)
        assert name in error.one_line()
        assert "Traceback" not in error.one_line()


def test_unreadable_file_permission_is_a_named_error(tmp_path: Path) -> None:
    """A file that vanishes or cannot be opened after listing is reported, not raised."""
    need(extraction, "extract_corpus")
    from rcm_graph.errors import DocumentError
    from rcm_graph.stages.extraction import extract_corpus

    control = tmp_path / CONTROL.name
    control.write_bytes(CONTROL.read_bytes())
    ghost = tmp_path / "vanished.txt"
    result = extract_corpus([control, ghost])
    assert len(result.documents) == 1
    assert len(result.errors) == 1
    assert isinstance(result.errors[0], DocumentError)
    assert ghost.name in result.errors[0].one_line()

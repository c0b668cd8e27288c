"""Turning a file into text, or into a clear :class:`DocumentError` naming the file.

Why so strict: a wrongly decoded document silently produces wrong facts (mangled names, missed
dates), so we only accept text whose encoding we can *know*: UTF-8 (with or without a byte-order
mark) or UTF-16/32 announced by a byte-order mark. Anything else is refused with a hint on how to
convert it, instead of being guessed. PDFs are read with pypdf; a PDF without a text layer is
refused too (we do not OCR).

The text returned is the document's *original text*: every offset of every fact points into it.
The only change made to the decoded characters is the normalisation of line ends to ``\\n``.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from rcm_graph.errors import DocumentError
from rcm_graph.model.slugs import slugify

SUFFIXES = (".txt", ".md", ".pdf")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_BAD_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class RawDocument:
    """A document as read from disk: its identity and its original text."""

    path: Path
    doc_id: str
    source: str
    sha256: str
    text: str


def list_documents(corpus_dir: Path) -> list[Path]:
    """Every .txt/.md/.pdf entry of a corpus folder, sorted; README.* and dot/underscore files
    are ignored (they describe the corpus, they are not part of it).

    Entries are listed whatever they are (a link, a FIFO, a device): the build reports each
    one it must refuse (:func:`document_problem`) instead of skipping it silently."""
    if not corpus_dir.is_dir():
        raise DocumentError(
            "the corpus folder does not exist or is not a folder",
            where=str(corpus_dir),
            hint="pass --corpus DIR with a folder of .txt, .md or .pdf documents",
        )
    return sorted(
        p
        for p in corpus_dir.iterdir()
        if p.suffix.lower() in SUFFIXES
        and not p.name.startswith((".", "_"))
        and not p.stem.upper().startswith("README")
        and not p.is_dir()
    )


def document_problem(path: Path, *, max_bytes: int | None = None) -> DocumentError | None:
    """Why ``path`` must not be read as a document of its folder, or None.

    WHY (issue 17): ``ln -s /etc/passwd corpus/x.txt`` published the password file in the
    dataset, and opening a FIFO blocks the build forever. A document is a regular file whose
    real path is inside the folder that lists it (a link to another document of the corpus is
    fine); anything else, and a file larger than ``max_bytes``, is one line naming the file.
    Nothing is opened here (opening a FIFO blocks), only ``lstat``/``stat`` and the real path.
    """
    try:
        real = path.resolve(strict=True)
        folder = path.absolute().parent.resolve(strict=True)
        info = real.stat()
    except (OSError, RuntimeError) as exc:  # a dangling link, a link loop
        return DocumentError(
            f"cannot read the file ({getattr(exc, 'strerror', None) or exc})",
            where=str(path),
            hint="check that the file exists and is readable",
        )
    if real.parent != folder and folder not in real.parents:
        return DocumentError(
            "the file is a link to a file outside the corpus folder; it is not read",
            where=str(path),
            hint="copy the document into the corpus folder instead of linking to it",
        )
    if not stat.S_ISREG(info.st_mode):
        return DocumentError(
            "not a regular file (a FIFO, socket or device); it is not read",
            where=str(path),
            hint="give the corpus plain files",
        )
    if max_bytes is not None and info.st_size > max_bytes:
        return DocumentError(
            f"the file is larger than the per-document limit ({info.st_size} > {max_bytes} "
            "bytes); it is skipped",
            where=str(path),
            hint="split it, or raise RCM_GRAPH_DOCUMENT_MAX_BYTES",
        )
    return None


def read_document_bytes(path: Path) -> bytes:
    """The bytes of a document, read only if :func:`document_problem` finds nothing wrong.

    The checked real path is opened with ``O_NOFOLLOW`` (a link swapped in after the check is
    refused) and ``O_NONBLOCK`` (a FIFO swapped in does not block), and must still be a regular
    file once open."""
    problem = document_problem(path)
    if problem is not None:
        raise problem
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path.resolve(strict=True), flags)
    except OSError as exc:
        raise DocumentError(
            f"cannot read the file ({exc.strerror or exc})",
            where=str(path),
            hint="check that the file exists and is readable",
        ) from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise DocumentError(
                "not a regular file (a FIFO, socket or device); it is not read",
                where=str(path),
                hint="give the corpus plain files",
            )
        return handle.read()


def load_document(path: Path) -> RawDocument:
    """Read one document; raise :class:`DocumentError` (naming the file) when it is unusable."""
    data = read_document_bytes(path)
    if not data.strip():
        raise DocumentError("the file is empty", where=str(path), hint="remove it or add its text")
    text = _pdf_text(path, data) if path.suffix.lower() == ".pdf" else _decode(path, data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DocumentError("the file contains no text", where=str(path))
    return RawDocument(
        path=path,
        doc_id=slugify(path.stem),
        source=path.name,
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
    )


def _decode(path: Path, data: bytes) -> str:
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is None and b"\x00" in data:
        raise DocumentError(
            "the file contains NUL bytes: it is binary, or UTF-16 without a byte-order mark",
            where=str(path),
            hint="give the corpus plain-text (UTF-8), Markdown or PDF files",
        )
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"not valid {encoding or 'UTF-8'} text (byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start})",
            where=str(path),
            hint="convert the file to UTF-8, e.g. `iconv -f latin1 -t utf-8 IN > OUT`",
        ) from None
    if (encoding and encoding.startswith("utf-8")) or encoding:
        text = text.lstrip("\ufeff")
    bad = _BAD_CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise DocumentError(
            f"control character U+{ord(bad.group()):04X} in the text: the file looks binary",
            where=f"{path}:{line}",
            hint="give the corpus plain-text (UTF-8), Markdown or PDF files",
        )
    return text


def _pdf_text(path: Path, data: bytes) -> str:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.startswith(b"%PDF"):
        raise DocumentError(
            "the file is named .pdf but is not a PDF", where=str(path), hint="check the file"
        )
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DocumentError(
                "the PDF is encrypted", where=str(path), hint="give an unencrypted copy"
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DocumentError(
            f"cannot read the PDF ({type(exc).__name__}: {exc})",
            where=str(path),
            hint="check that the PDF opens in a viewer; re-export it if it is damaged",
        ) from None
    if not any(p.strip() for p in pages):
        raise DocumentError(
            "the PDF has no text layer (a scanned image?)",
            where=str(path),
            hint="run OCR on it first or give its text as a .txt file",
        )
    # Pages are separated by blank lines, as in text extracted from PDFs by other tools, so
    # that the page-break handling of the reader applies to PDFs and text files alike.
    return "\n\n\n".join(pages)

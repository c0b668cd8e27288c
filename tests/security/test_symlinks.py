"""Issue 17, point 5: the corpus reader never follows a link out of the corpus folder, nor reads
a FIFO, a socket or a device. Each such entry is one error line naming it, the build goes on,
and nothing of it is published (before the fix ``ln -s /etc/passwd corpus/x.txt`` put the
password file in the document's page, its Turtle and ``dataset.nq.gz``; a FIFO was skipped
silently, and read by any code that opened it, blocking)."""

from __future__ import annotations

import gzip
import os
import shutil
import socket
from pathlib import Path

import pytest
from security_support import cli_build

from rcm_graph.errors import DocumentError
from rcm_graph.stages.reading import list_documents, load_document
from rcm_graph.stages.reading.loading import document_problem
from rcm_graph.store.dataset import load_dataset

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).parents[1] / "build" / "corpus"
SECRET = "s3cr3t-outside-the-corpus-7f1e"
SECRET_TEXT = (
    "Regional Conference on Migration\n\nThe Vice-Ministers met in Panama City, Panama, on "
    f"7 November 2019. {SECRET} The delegations of Mexico and Costa Rica participated.\n"
)


def _hostile_corpus(root: Path) -> Path:
    """The two test documents, plus a link to a file outside, a FIFO, a socket, a link to
    /dev/zero, a dangling link, and a link to another document of the corpus (allowed)."""
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    outside = root / "outside" / "secret.txt"
    outside.parent.mkdir()
    outside.write_text(SECRET_TEXT, encoding="utf-8")
    (corpus / "leak.txt").symlink_to(outside)
    (corpus / "relative-leak.md").symlink_to(Path("..") / "outside" / "secret.txt")
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "zero.txt").symlink_to("/dev/zero")
    (corpus / "dangling.txt").symlink_to(root / "nowhere.txt")
    first = sorted(p.name for p in CORPUS.iterdir())[0]
    (corpus / "alias.txt").symlink_to(first)  # inside the corpus: read like the original
    return corpus


def test_document_problem_refuses_what_is_not_a_file_of_the_folder(tmp_path: Path) -> None:
    corpus = _hostile_corpus(tmp_path)
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(corpus / "sock.txt"))
        listed = {p.name for p in list_documents(corpus)}
        assert {"leak.txt", "pipe.txt", "zero.txt", "sock.txt", "dangling.txt"} <= listed
        for name, says in [
            ("leak.txt", "outside the corpus folder"),
            ("relative-leak.md", "outside the corpus folder"),
            ("zero.txt", "outside the corpus folder"),
            ("pipe.txt", "not a regular file"),
            ("sock.txt", "not a regular file"),
            ("dangling.txt", "cannot read the file"),
        ]:
            problem = document_problem(corpus / name)
            assert problem is not None and says in problem.one_line(), name
            assert problem.one_line().startswith(str(corpus / name))
            assert "\n" not in problem.one_line()
            with pytest.raises(DocumentError, match=says):
                load_document(corpus / name)  # refused before anything is opened
    assert document_problem(corpus / "alias.txt") is None
    assert load_document(corpus / "alias.txt").text


def test_a_build_publishes_nothing_of_a_link_out_and_does_not_block(tmp_path: Path) -> None:
    corpus = _hostile_corpus(tmp_path)
    data = tmp_path / "data"
    result = cli_build(corpus, data, RCM_GRAPH_BUILD_WORKERS="1")  # a FIFO must not block
    assert result.returncode == 2, result.stderr  # built, with unreadable documents
    errors = load_dataset(data).manifest["errors"]
    for name in ("leak.txt", "relative-leak.md", "pipe.txt", "zero.txt", "dangling.txt"):
        lines = [e for e in errors if f"{name}:" in e]
        assert len(lines) == 1, (name, errors)
        assert f"{name}:" in result.stderr
    documents = load_dataset(data).manifest["documents"]
    assert len(documents) == 3, documents  # the two documents and the in-corpus alias
    published = 0
    for path in data.rglob("*"):
        if path.is_file() and not path.is_symlink():
            raw = path.read_bytes()
            if path.suffix == ".gz":
                raw = gzip.decompress(raw)
            assert SECRET.encode() not in raw, path
            published += 1
    assert published > 5

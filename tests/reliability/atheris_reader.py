"""Coverage-guided fuzzing of the reader and extractor with atheris (run by ``scripts/fuzz``).

Not collected by pytest (no ``test_`` prefix) and not needed by CI: atheris is optional. Each
input is written as one document next to an intact control document; ``extract_corpus`` must
not raise, must report an unusable input as one ``DocumentError`` naming it, must still extract
the control document, and every span of every extracted fact must quote the text it points at.
An invariant that breaks raises, and atheris saves the input under ``-artifact_prefix``.

    python tests/reliability/atheris_reader.py -max_total_time=300 -artifact_prefix=out/
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from rcm_graph.errors import DocumentError
    from rcm_graph.model.facts import Span
    from rcm_graph.stages.extraction import extract_corpus

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
CONTROL = min(CORPUS.glob("*.txt"), key=lambda p: p.stat().st_size)
SUFFIXES = (".txt", ".md", ".pdf")


def _spans(value: object, depth: int = 0) -> list[Span]:
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


def one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    suffix = SUFFIXES[provider.ConsumeIntInRange(0, len(SUFFIXES) - 1)]
    # Half the inputs start from the control document, so the fuzzer explores real structure.
    prefix = CONTROL.read_bytes() if provider.ConsumeBool() else b""
    content = prefix + provider.ConsumeBytes(provider.remaining_bytes())
    with tempfile.TemporaryDirectory() as tmp:
        control = Path(tmp) / CONTROL.name
        control.write_bytes(CONTROL.read_bytes())
        hostile = Path(tmp) / f"fuzzed{suffix}"
        hostile.write_bytes(content)
        result = extract_corpus([control, hostile])
    if len(result.documents) + len(result.errors) != 2:
        raise AssertionError(f"lost a document: {result}")
    if CONTROL.name not in [d.source for d in result.documents]:
        raise AssertionError("the control document was not extracted")
    for error in result.errors:
        if not isinstance(error, DocumentError) or hostile.name not in error.one_line():
            raise AssertionError(f"error does not name the file: {error!r}")
    for doc in result.documents:
        for span in _spans(doc):
            if not 0 <= span.start <= span.end <= len(doc.text):
                raise AssertionError(f"span outside the text: {span}")
            if doc.text[span.start : span.end] != span.text:
                raise AssertionError(f"span does not quote its text: {span}")


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

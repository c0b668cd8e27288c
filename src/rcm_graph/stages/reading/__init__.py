"""Reading documents: file -> original text -> clean, segmented blocks with exact offsets.

Public entry points: :func:`list_documents` (the documents of a corpus folder) and
:func:`read_document` (one file, or a :class:`~rcm_graph.errors.DocumentError` naming it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rcm_graph.stages.reading.loading import RawDocument, list_documents, load_document
from rcm_graph.stages.reading.segment import Segment
from rcm_graph.stages.reading.structure import Block, analyse, split_sentences

__all__ = [
    "Block",
    "RawDocument",
    "ReadDocument",
    "Segment",
    "list_documents",
    "read_document",
    "read_text",
    "split_sentences",
]


@dataclass
class ReadDocument:
    """A document ready for extraction: identity, original text, blocks and footnotes."""

    raw: RawDocument
    blocks: list[Block]
    footnotes: dict[str, Block]

    @property
    def text(self) -> str:
        return self.raw.text

    @property
    def doc_id(self) -> str:
        return self.raw.doc_id

    def footnote_for(self, block: Block, clean_index: int, end: int) -> list[Block]:
        """Footnotes whose markers sit in ``block`` between clean ``clean_index`` and ``end``."""
        return [
            self.footnotes[num]
            for idx, num in block.markers
            if clean_index <= idx <= end and num in self.footnotes
        ]


@cache
def _process_header_lines() -> frozenset[str]:
    """Names of the consultative processes, which RCM documents print as a logo line."""
    from rcm_graph.reference.tables import reference_data

    names: set[str] = set()
    for org in reference_data().organizations:
        if "consultative process" in org.type:
            names.update(n.casefold() for n in (org.name_en, org.name_es) if n)
    return frozenset(names)


def read_text(raw: RawDocument) -> ReadDocument:
    structure = analyse(raw.text, _process_header_lines())
    return ReadDocument(raw, structure.blocks, structure.footnotes)


def read_document(path: Path) -> ReadDocument:
    """Load and segment one document (raises DocumentError naming the file)."""
    return read_text(load_document(path))

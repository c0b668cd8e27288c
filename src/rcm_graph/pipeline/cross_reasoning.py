"""Reasoning across documents: the triples that can join premises from two documents.

The per-document closure (:mod:`rcm_graph.pipeline.document`) already holds everything one
document entails with the ontology and the reference data. What is left are the rules whose
premises come from different documents (property chains, transitive properties); they only
need the triples on the properties :func:`rcm_graph.stages.reasoning.cross_document_properties`
names, which :class:`Projection` gathers while the documents stream past.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph
from rdflib import Graph
from rdflib.term import Node

from rcm_graph.pipeline.convert import to_oxigraph, to_rdflib
from rcm_graph.stages.reasoning import Triple


class Projection:
    """The triples the cross-document reasoning needs: those whose predicate can join premises
    from two documents (:func:`rcm_graph.stages.reasoning.cross_document_properties`), gathered as
    N-Triples lines while the documents stream past, in a temporary file (tens of lines per
    document: kept out of memory until the reasoning reads them).

    WHY it is read back as a stream, not as an rdflib graph: an rdflib graph of the projection
    costs about a kilobyte a triple (hundreds of MiB at 10,000 documents) and rdflib parses
    N-Triples slowly; the reasoning only iterates (the rules engine interns what it keeps), so
    the file is parsed chunk by chunk by pyoxigraph each time it is iterated.
    """

    def __init__(
        self, properties: set[Node], spill_dir: Path | None = None, chunk_bytes: int = 8 << 20
    ) -> None:
        """``chunk_bytes``: how much of the spill file is parsed at a time."""
        self._chunk_bytes = chunk_bytes
        self._predicates = {f"<{p}>".encode() for p in properties}
        self._spill = tempfile.TemporaryFile(dir=spill_dir)  # noqa: SIM115 - closed in close()
        self._background: tuple[Graph, ...] = ()
        self.count = 0

    def collect(self, ntriples: bytes) -> None:
        if self._predicates:
            # a statement's predicate is its second term (a subject holds no space): three
            # times faster than a regular expression over the lines
            predicates = self._predicates
            found = [
                line
                for line in ntriples.split(b"\n")
                if (parts := line.split(b" ", 2))[1:2] and parts[1] in predicates
            ]
            if found:
                self._spill.write(b"\n".join(found) + b"\n")
                self.count += len(found)

    def with_background(self, *background: Graph) -> Projection:
        """Add to the projection the triples of ``background`` on the same properties."""
        self._background = background
        return self

    def __iter__(self) -> Iterator[Triple]:
        """The projection's triples (a triple several documents state comes once per
        document: the reasoning keeps sets). May be iterated more than once."""
        self._spill.flush()
        self._spill.seek(0)
        terms: dict[Any, Node] = {}

        def term(t: Any) -> Node:
            node = terms.get(t)
            if node is None:
                node = terms[t] = to_rdflib(t)
            return node

        rest = b""
        while True:
            chunk = self._spill.read(self._chunk_bytes)
            data = rest + chunk
            end = data.rfind(b"\n") + 1 if chunk else len(data)
            if end:
                for t in pyoxigraph.parse(data[:end], pyoxigraph.RdfFormat.N_TRIPLES):
                    yield term(t.subject), term(t.predicate), term(t.object)
                terms.clear()  # bounded: interning only saves conversions within a chunk
            rest = data[end:]
            if not chunk:
                break
        for source in self._background:
            for triple in source:
                if f"<{triple[1]}>".encode() in self._predicates:
                    yield triple

    def close(self) -> None:
        self._spill.close()


def in_store(store: pyoxigraph.Store, triple: Triple) -> bool:
    """Whether any graph of the store states ``triple``."""
    try:
        pattern = tuple(to_oxigraph(t) for t in triple)
    except (TypeError, ValueError):
        return False
    return next(iter(store.quads_for_pattern(*pattern)), None) is not None

"""One document through the per-document stages: extract, curate, map, reason, validate.

WHY one function per document: the documents are independent until the cross-document steps,
so the build runs this in its own process or in a pool of workers
(:mod:`rcm_graph.pipeline.workers`) with the same output either way, and caches each result
(:mod:`rcm_graph.pipeline.cache`). A document that cannot be read, is too large or takes longer
than the per-document limit becomes a one-line error; the build goes on without it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import rcm_graph.store.dataset as ds
from rcm_graph.errors import DocumentError, RcmGraphError
from rcm_graph.model.facts import DocumentFacts
from rcm_graph.model.iris import Iris
from rcm_graph.pipeline.cache import Cache, Processed
from rcm_graph.pipeline.convert import ntriples
from rcm_graph.sandbox.time_limit import TimeLimitExceeded, time_limit
from rcm_graph.settings import Settings
from rcm_graph.stages.curation import apply_files
from rcm_graph.stages.extraction import extract_corpus
from rcm_graph.stages.mapping import map_document
from rcm_graph.stages.reading.loading import document_problem
from rcm_graph.stages.reasoning import Reasoner
from rcm_graph.stages.validation import Validator


@dataclass
class Failed:
    """A document that could not be read or extracted: one line each."""

    errors: list[str]
    curation: list[str] = field(default_factory=list)


def count_facts(f: DocumentFacts) -> int:
    lists: Sequence[Sequence[object]] = (
        f.meetings,
        f.participations,
        f.persons,
        f.statements,
        f.commitments,
        f.objectives,
        f.principles,
        f.topics,
        f.stances,
        f.provisions,
    )
    return sum(len(x) for x in lists) + sum(len(m.counts) for m in f.meetings)


@dataclass(frozen=True)
class Limits:
    """Per-document limits (settings ``document_max_bytes``, ``document_timeout_s``) and
    whether to say on stderr which document starts (``BuildEvents.announce_documents``)."""

    max_bytes: int
    timeout_s: float
    announce: bool = False

    @classmethod
    def of(cls, settings: Settings, *, announce: bool) -> Limits:
        return cls(settings.document_max_bytes, settings.document_timeout_s, announce)


@dataclass
class DocumentProcessor:
    """What processing one document needs; one per process (the build's or a pool worker's)."""

    iris: Iris
    reasoner: Reasoner
    validator: Validator
    cache: Cache
    curation: dict[str, list[Path]]
    limits: Limits

    def process(self, path: Path) -> Processed | Failed:
        """Extract, map, reason and validate one document (or take it from the cache)."""
        problem = document_problem(path, max_bytes=self.limits.max_bytes)
        if problem is not None:  # a link out of the corpus, a FIFO, too large: never opened
            return Failed([problem.one_line()])
        hit = self.cache.get(path.name, ds.sha256_file(path))
        if hit is not None:
            return hit
        if self.limits.announce:  # which document is running, from the process running it
            print(f"[document] {path.name} ...", file=sys.stderr, flush=True)
        seconds: dict[str, float] = {}
        started = time.perf_counter()
        try:
            with time_limit(self.limits.timeout_s):
                result = extract_corpus([path], curation_dir=None)
        except TimeLimitExceeded:
            return Failed(
                [
                    DocumentError(
                        f"extraction took longer than the per-document limit "
                        f"({self.limits.timeout_s:g} s); the document is skipped",
                        where=str(path),
                        hint="split it, or raise RCM_GRAPH_DOCUMENT_TIMEOUT_S",
                    ).one_line()
                ]
            )
        errors = [e.one_line() if isinstance(e, RcmGraphError) else str(e) for e in result.errors]
        if not result.documents:
            return Failed(errors)
        facts = result.documents[0]
        notes = self._curate(facts)
        seconds["extract"] = time.perf_counter() - started
        item = self._finish(facts, seconds)
        self.cache.put(item)
        item.curation = [f"curation: {line}" for line in notes]
        return item

    def _finish(self, facts: DocumentFacts, seconds: dict[str, float]) -> Processed:
        """Map, reason and validate extracted (and curated) facts, timing each stage."""
        started = time.perf_counter()
        graph = map_document(facts, self.iris)
        seconds["map"] = time.perf_counter() - started
        started = time.perf_counter()
        inference = self.reasoner.reason_document(graph)
        seconds["reason"] = time.perf_counter() - started
        started = time.perf_counter()
        report = self.validator.validate_document(graph, inference.triples)
        seconds["validate"] = time.perf_counter() - started
        return Processed(
            doc_id=facts.doc_id,
            source=facts.source,
            sha256=facts.sha256,
            facts=count_facts(facts),
            graph_nt=ntriples(graph),
            inferred_nt=ntriples(inference.triples),
            conforms=report.conforms,
            results=list(report.results),
            report_nt=ntriples(report.graph),
            problems=[f"{facts.source}: {p}" for p in inference.problems],
            cached=False,
            seconds=seconds,
        )

    def _curate(self, facts: DocumentFacts) -> list[str]:
        return apply_files(self.curation.get(facts.doc_id, []), facts)

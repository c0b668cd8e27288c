"""Extraction: documents in, :class:`~rcm_graph.model.facts.DocumentFacts` out (plain data, spans).

Public entry point: :func:`extract_corpus`. Each document is read
(:mod:`rcm_graph.stages.reading`), then small rule modules run in order over one shared
:class:`~rcm_graph.stages.extraction.context.DocContext`: metadata and the reported meeting first
(their date fixes the year that later dates may inherit), then other events, participation,
persons, statements, commitments, subjects (objectives, principles, topics) and stances.
A document that cannot be read becomes a :class:`DocumentError` in ``errors``; the others are
still processed. Curation files, when given, are applied last and win.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rcm_graph.errors import DocumentError
from rcm_graph.model.facts import ActorRef, DocumentFacts, Provision
from rcm_graph.stages.extraction.commitments import find_commitments
from rcm_graph.stages.extraction.context import DocContext, build_context
from rcm_graph.stages.extraction.gazetteer import gazetteer
from rcm_graph.stages.extraction.meetings import find_events, find_reported
from rcm_graph.stages.extraction.metadata import document_date, document_type, issuing_body, title
from rcm_graph.stages.extraction.participation import find_participations
from rcm_graph.stages.extraction.persons import find_persons
from rcm_graph.stages.extraction.stances import find_stances
from rcm_graph.stages.extraction.statements import find_statements
from rcm_graph.stages.extraction.subjects import (
    find_objectives,
    find_principles,
    find_topics,
    paragraph_objectives,
    paragraph_topics,
)
from rcm_graph.stages.reading import RawDocument, ReadDocument, read_text
from rcm_graph.stages.reading.loading import load_document

__all__ = ["ExtractionResult", "extract_corpus", "extract_document", "extract_text"]


@dataclass
class ExtractionResult:
    documents: list[DocumentFacts] = field(default_factory=list)
    errors: list[DocumentError] = field(default_factory=list)
    curation_report: list[str] = field(default_factory=list)


def extract_corpus(paths: Sequence[Path], *, curation_dir: Path | None = None) -> ExtractionResult:
    """Extract every document; unreadable ones are reported in ``errors``, never raised."""
    result = ExtractionResult()
    for path in paths:
        try:
            raw = load_document(path)
        except DocumentError as exc:
            result.errors.append(exc)
            continue
        try:
            result.documents.append(extract_text(raw))
        except RecursionError as exc:  # pragma: no cover - pathological nesting
            result.errors.append(_internal(path, exc))
        except Exception as exc:
            result.errors.append(_internal(path, exc))
    if curation_dir is not None:
        from rcm_graph.stages.curation import apply_curation

        result.curation_report.extend(apply_curation(result.documents, curation_dir))
    return result


def _internal(path: Path, exc: BaseException) -> DocumentError:
    """A bug met on one document: reported like unreadable input, so that the other documents
    are still processed and nothing is silently lost."""
    return DocumentError(
        f"extraction failed ({type(exc).__name__}: {exc})",
        where=str(path),
        hint="this is a bug in rcm-graph: please report it together with the document",
    )


def extract_document(path: Path) -> DocumentFacts:
    """One document (raises DocumentError when it cannot be read)."""
    return extract_text(load_document(path))


def extract_text(raw: RawDocument) -> DocumentFacts:
    doc = read_text(raw)
    ctx = build_context(doc, gazetteer())
    persons = find_persons(ctx)
    doc_type = document_type(ctx, persons)
    reported = find_reported(ctx)
    ctx.date = document_date(ctx, reported)
    events = find_events(ctx, reported)
    meetings = ([reported] if reported else []) + events
    meeting_id = reported.local_id if reported else None
    speeches = doc_type in ("minutes", "report", "other", "conclusions")
    participations = find_participations(ctx, reported, speeches, persons) if reported else []
    commitments = find_commitments(ctx, meeting_id)
    for c in commitments:
        c.objectives = paragraph_objectives(c.text)
        c.topics = paragraph_topics(c.text)
    statements = find_statements(ctx, meeting_id, persons)
    for st in statements:
        st.objectives = paragraph_objectives(st.span.text)
        st.topics = paragraph_topics(st.span.text)
    title_text, title_span = title(ctx, reported)
    facts = DocumentFacts(
        doc_id=raw.doc_id,
        source=raw.source,
        sha256=raw.sha256,
        text=raw.text,
        language=ctx.language,
        doc_type=doc_type,
        title=title_text,
        title_span=title_span,
        date=ctx.date,
        issuing_body=issuing_body(ctx),
        meetings=meetings,
        persons=persons,
        participations=participations,
        statements=statements,
        commitments=commitments,
        objectives=find_objectives(ctx),
        principles=find_principles(ctx),
        topics=find_topics(ctx),
        stances=find_stances(ctx),
        provisions=_provisions(doc),
    )
    facts.actors = _actors(ctx)
    facts.warnings = list(dict.fromkeys(ctx.warnings))
    return facts


def _provisions(doc: ReadDocument) -> list[Provision]:
    """Numbered items and headings, as printed (the first occurrence of each number)."""
    out = []
    seen: set[str] = set()
    for block in doc.blocks:
        if block.kind in ("item", "heading") and block.number and block.number not in seen:
            seen.add(block.number)
            heading = block.text if block.kind == "heading" else block.section
            out.append(Provision(block.number, block.segment.span(), heading))
    return out


def _actors(ctx: DocContext) -> list[ActorRef]:
    """Every recognised mention of an actor, in text order."""
    out: list[ActorRef] = []
    for s in ctx.sentences:
        for m in s.mentions:
            out.extend(ctx.actor(s, m, "rule:gazetteer"))
    return out

"""Document metadata: type, title, date and issuing body, from the title block."""

from __future__ import annotations

import re

from rcm_graph.extraction.context import DocContext
from rcm_graph.extraction.meetings import dateline, opening_sentences, title_sentences
from rcm_graph.facts import ActorRef, DateValue, DocumentType, Meeting, Span

_TYPES: list[tuple[str, DocumentType]] = [
    (r"joint communiqu[eé]|comunicado conjunto", "joint-communique"),
    (r"press release|comunicado de prensa|nota de prensa|news release", "press-release"),
    (r"\bminutes\b|\bacta\b", "minutes"),
    (
        r"conclusions and recommendations|conclusiones y recomendaciones|\bconclusions\b",
        "conclusions",
    ),
    (r"declaration|declaraci[oó]n", "declaration"),
    (r"\breport\b|\binforme\b|relator[ií]a", "report"),
    (r"\bagenda\b", "agenda"),
]


def document_type(ctx: DocContext) -> DocumentType:
    heads = " ".join(s.text for s in title_sentences(ctx) if s.block.kind != "footnote")
    for pattern, kind in _TYPES:
        if re.search(pattern, heads, re.IGNORECASE):
            return kind
    first = " ".join(s.text for s in ctx.sentences[:6])
    for pattern, kind in _TYPES:
        if re.search(pattern, first, re.IGNORECASE):
            return kind
    return "other"


def title(ctx: DocContext, meeting: Meeting | None) -> tuple[str | None, Span | None]:
    heads = [s for s in title_sentences(ctx) if s.block.kind == "heading"]
    label_only = re.compile(
        r"(?i)^(joint communiqu[eé]|comunicado conjunto|final minutes|minutes|"
        r"acta|press release|comunicado de prensa)$"
    )
    for s in heads:
        if not label_only.match(s.text) and not s.dates and len(s.text) > 15:
            return s.text, s.seg.span()
    if meeting is not None:
        return meeting.name, meeting.span
    return (heads[0].text, heads[0].seg.span()) if heads else (None, None)


def document_date(ctx: DocContext, meeting: Meeting | None) -> DateValue | None:
    """The document's own date: a dateline of the title block ("Washington, DC, March 24,
    2000", "29 March 1996"), else the start of the meeting it reports on, else a full date of
    the title block."""
    issued = dateline(ctx)
    if issued is not None:
        return issued
    if meeting is not None and meeting.start is not None and meeting.start.value is not None:
        return meeting.start
    for s in title_sentences(ctx):
        for d in s.dates:
            if d.first.value is not None:
                return d.first
    return None


def issuing_body(ctx: DocContext) -> ActorRef | None:
    for s in title_sentences(ctx):
        m = re.search(
            r"(?i)\b(report|informe|declaration|declaraci[oó]n) (?:of|by|de) (?:the |la |el )?",
            s.text,
        )
        if m:
            for mention in s.mentions:
                # "Declaration of Panama" names a place; only a process or body issues
                if mention.start >= m.end() - 1 and mention.kind in ("process", "body"):
                    refs = ctx.actor(s, mention, "rule:issuing-body")
                    if refs:
                        return refs[0]
    for s in title_sentences(ctx) + opening_sentences(ctx, 1):
        for mention in s.mentions:
            if mention.kind == "process" and not re.match(
                r"\s*(?:[-–]\s*\w|member|observer|pa[ií]ses)", s.text[mention.end :], re.IGNORECASE
            ):
                refs = ctx.actor(s, mention, "rule:issuing-body")
                return refs[0] if refs else None
    return None

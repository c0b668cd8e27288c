"""Document metadata: type, title, date and issuing body, from the title block."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from itertools import pairwise
from typing import cast

from rcm_graph.model.facts import ActorRef, DateValue, DocumentType, Meeting, Person, Span
from rcm_graph.stages.extraction.context import DocContext
from rcm_graph.stages.extraction.lexicons import phrase_pattern, table
from rcm_graph.stages.extraction.meetings import dateline, opening_sentences, title_sentences
from rcm_graph.stages.extraction.persons import reported_speech

# the order in which title cues win: "Press release: Joint Communiqué of ..." is a communiqué
_TYPE_ORDER: tuple[DocumentType, ...] = (
    "joint-communique",
    "press-release",
    "news",
    "minutes",
    "conclusions",
    "declaration",
    "report",
    "presentation",
    "agenda",
)
_OPERATIVE = re.compile(
    r"^(?:[-•*\d.)a-z]{0,3}\s*)?(?:To [a-z]{3,}|(?!United\b)[A-Z][a-z]{3,}ed|"
    r"[A-ZÁÉÍÓÚ][a-záéíóúñ]{2,}(?:aron|ieron|ar|er|ir))\s+(?!(?:y|e|o|and|or|of|de|del)\b)"
    r"[a-záéíóúñ]"
)
_DATELINE = re.compile(
    r"^[A-ZÁÉÍÓÚ][\w'’.]+(?:\s+(?:de\s+)?[A-ZÁÉÍÓÚ][\w'’.]+){0,3}"
    r"(?:,[^–—\n]{3,40})?\s+[–—-]\s+[A-ZÁÉÍÓÚ]"
)
_SLIDE_WORDS = 8


@cache
def _type_cues(where: str) -> tuple[tuple[DocumentType, re.Pattern[str]], ...]:
    out = []
    for kind, place, _lang, phrase in table("document-types.tsv"):
        if place == where:
            pattern = phrase_pattern(phrase)
            if where in ("title-start", "furniture"):
                pattern = r"^\W*" + pattern + (r"\W*$" if where == "furniture" else "")
            out.append((cast(DocumentType, kind), re.compile(pattern, re.IGNORECASE)))
    return tuple(out)


def document_type(ctx: DocContext, persons: Sequence[Person] = ()) -> DocumentType:
    """The kind of the document, from what its title block calls it, what its first sentences
    call it, then its shape: web navigation, a byline, a reporter's dateline and quoted
    speakers, operative paragraphs (a communiqué's "Agreed ...", "To adopt ..."), or slides.
    Each step is general: a cue word of the lexicon (``lexicon/document-types.tsv``) or a
    structure, never a particular document."""
    heads = [s for s in title_sentences(ctx) if s.block.kind != "footnote"]
    texts = [s.text for s in heads] + _capital_runs(ctx)
    found = {k for k, p in _type_cues("title") if any(p.search(t) for t in texts)}
    found |= {
        k
        for k, p in _type_cues("title-start")
        for s in heads
        if s.block.kind == "heading"
        if s.start_in_block == 0 and p.search(s.text)
    }
    if found:
        return next(k for k in _TYPE_ORDER if k in found)
    opening = " ".join(s.text for s in ctx.sentences[:8])
    found = {k for k, p in _type_cues("opening") if p.search(opening)}
    if found:
        return next(k for k in _TYPE_ORDER if k in found)
    # a heading further down that opens with the kind ("Joint Communiqué issued in ...")
    later = [b.text for b in ctx.doc.blocks[:20] if b.kind == "heading"]
    found = {k for k, p in _type_cues("title") for t in later if p.match(t)}
    if found:
        return next(k for k in _TYPE_ORDER if k in found)
    lines = [ln.strip() for ln in ctx.doc.text.splitlines() if ln.strip()]
    reported = _reported(ctx)
    if _web_furniture(lines):
        if reported:
            return "news" if _byline(persons) else "press-release"
        return "web-page"
    if _byline(persons):
        return "news"
    if reported:
        return "press-release"
    items = sum(
        1 for b in ctx.doc.blocks if b.kind in ("paragraph", "item") and _OPERATIVE.match(b.text)
    )
    if items >= 3:
        return "joint-communique"
    # the last character first: a line of prose usually ends with one and is not split
    short = [ln for ln in lines if ln[-1] not in ".;:," and len(ln.split()) <= _SLIDE_WORDS]
    if len(lines) >= 10 and len(short) >= 0.6 * len(lines):
        return "presentation"
    return "other"


_CAPS_RUN = re.compile(r"(?:\b[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ()'’-]+\b[\s,]*){2,}")


def _capital_runs(ctx: DocContext) -> list[str]:
    """Runs of words in capitals near the top of the text: a title whose line breaks were
    lost ("XII FORO ANDINO ... DECLARACIÓN DE ... El Duodécimo Foro ...")."""
    return [m.group() for m in _CAPS_RUN.finditer(ctx.doc.text[:400])]


def _web_furniture(lines: list[str]) -> bool:
    """Navigation lines ("Skip to main content", "Home", "Leer más") or a line printed twice
    in a row, as a menu's label and link are."""
    cues = _type_cues("furniture")
    if any(p.search(ln) for ln in lines[:60] for _k, p in cues):
        return True
    twice = sum(1 for a, b in pairwise(lines) if a == b and len(a) < 60)
    return twice >= 2


def _reported(ctx: DocContext) -> bool:
    """The text reports an event as news does: at least two of a dateline ("Lima – The ..."),
    a reporter's time words ("this week", "los pasados"), and a quoted or titled speaker."""
    paragraphs = [b for b in ctx.doc.blocks if b.kind == "paragraph"]
    dateline = any(_DATELINE.match(b.text) for b in paragraphs[:3])
    # the speaker first: one pass over the sentences, cheaper than the time words' search of
    # the whole body, which then runs only when it can still decide
    speaker = any(reported_speech(s.text) for s in ctx.sentences)
    if not dateline and not speaker:
        return False
    if dateline and speaker:
        return True
    body = " ".join(b.text for b in paragraphs)
    return any(p.search(body) for _k, p in _type_cues("news-time"))


def _byline(persons: Sequence[Person]) -> bool:
    """WHY the persons are handed in: finding them is the costliest rule, and the extraction
    finds them once for the document (it was done twice, a third of the time on long texts)."""
    return any(p.method == "rule:person-byline" for p in persons)


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
    """The document's own date: a dateline of the title block ("Ottawa, April 3,
    2031", "3 April 2031"), else the start of the meeting it reports on, else a full date of
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

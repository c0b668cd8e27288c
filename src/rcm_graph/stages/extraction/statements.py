"""Statements: who proposed, requested, suggested, expressed concern about or agreed what.

A statement is a sentence whose subject is a known actor (state, organization, process body or
an unnamed collective such as "the participating countries") followed by a verb of speech; the
verb decides the kind. Sentences without a named speaker ("It was suggested that ...") are not
attributed to anyone.
"""

from __future__ import annotations

import re

from rcm_graph.model.facts import ActorRef, Person, Statement, StatementKind
from rcm_graph.model.slugs import slugify
from rcm_graph.stages.extraction.collectives import labelled
from rcm_graph.stages.extraction.context import DocContext, Sentence
from rcm_graph.stages.extraction.evidence import evidence_span
from rcm_graph.stages.extraction.prefilter import quick

_VERBS: list[tuple[str, StatementKind]] = [
    (
        r"expressed (?:its|their|his|her) concern|expres[oó] (?:su )?preocupaci[oó]n|"
        r"expressed concern",
        "expressed-concern",
    ),
    (
        r"expressed (?:its|their|his|her) (?:agreement|support)|expres[oó] su (?:acuerdo|apoyo)",
        "agreed",
    ),
    (
        r"proposed|propuso|propusieron|"
        r"(?:shared|submitted|presented|circulated)\b[^.;]{0,60}?\b(?:a|an|its|their)\s+"
        r"(?:\w+\s+)?(?:proposal|draft)|"
        r"(?:compart|present|someti|circul)(?:i[oó]|ieron)\b[^.;]{0,60}?\b(?:una|su|sus)\s+"
        r"(?:\w+\s+)?(?:propuesta|borrador)|"
        r"invites?|invited|invita|invitan|invit[oó]|invitaron",  # an offer the others may take up
        "proposed",
    ),
    (r"requested|solicit[oó]|solicitaron|pidi[oó]", "requested"),
    (r"suggested|sugiri[oó]", "suggested"),
    (r"recommended|recomend[oó]", "recommended"),
    (r"agreed|acordaron|coincidi[oó]|accepted", "agreed"),
    (r"asked|pregunt[oó]", "asked"),
    (r"thank(?:ed|s)?|agradeci[oó]|agradecen", "thanked"),
    (
        r"stated|mentioned|pointed out|said|highlighted|noted|considered|explained|reported|"
        r"expressed|indicated|reiterated|recognized|recognised|emphasi[sz]ed|underscored|believes|"
        r"commits|replied|reminded|señal[oó]|manifest[oó]|indic[oó]|mencion[oó]|destac[oó]|"
        r"reconoci[oó]|reconocieron|reiteraron",
        "stated",
    ),
]
_LEAD = (
    r"^(?:in addition,\s*|furthermore,\s*|moreover,\s*|finally,\s*|also,\s*|answer:\s*|"
    r"asimismo,\s*|adem[aá]s,\s*)?(?:the\s+|los\s+|las\s+|la\s+|el\s+)?"
)
_LEAD_RE = re.compile(rf"(?i){_LEAD}")  # compiled once: it runs on every sentence


def _person_speaker(
    s_text: str, pos: int, persons: list[Person], s: Sentence
) -> tuple[ActorRef, int] | None:
    """A named person at the start of the sentence ("Vice-Minister Torres mentioned ...")."""
    head = s_text[pos : pos + 80]
    for person in persons:
        surname = person.name.split()[-1]
        m = re.match(
            rf"(?:(?:{_TITLE_WORDS})\s+)?(?:{re.escape(person.name)}|{re.escape(surname)})\b", head
        )
        if m:
            span = s.seg.span(pos, pos + m.end())
            ref = ActorRef("person", slugify(person.name), person.name, span, "rule:statement")
            return ref, pos + m.end()
    return None


_TITLE_WORDS = (
    r"Vice[-\s]?Minister|Minister|Ambassador|Ms\.?|Mr\.?|Mrs\.?|Dr\.?|Director|Secretary|"
    r"Viceministr[oa]|Ministr[oa]|Embajador[a]?|Sra?\.|Lic\."
)


def find_statements(
    ctx: DocContext, meeting: str | None, persons: list[Person] | None = None
) -> list[Statement]:
    out: list[Statement] = []
    for s in ctx.sentences:
        if s.block.kind in ("heading", "footnote"):
            continue
        lead = _LEAD_RE.match(s.text)
        pos = lead.end() if lead else 0
        speaker: ActorRef | None = None
        subject_end = pos
        first = next((m for m in s.mentions if m.start >= pos), None)
        if first is not None and first.start - pos <= 25 and first.kind != "city":
            refs = ctx.actor(s, first, "rule:statement")
            speaker = refs[0] if refs else None
            subject_end = first.end
            while subject_end < len(s.text) and s.text[subject_end] in " ()":
                subject_end += 1
            paren = re.match(r"\(?[A-Z]{2,6}s?\)\s*", s.text[subject_end:])
            if paren:
                subject_end += paren.end()
        if speaker is None and persons:
            found = _person_speaker(s.text, pos, persons, s)
            if found:
                speaker, subject_end = found
        if speaker is None:
            for start, collective in ctx.groups(s, "rule:statement"):
                if start - pos <= 25:
                    speaker = labelled(ctx, collective)
                    subject_end = start + len(collective.name)
                    break
        if speaker is None:
            continue
        rest = s.text[subject_end : subject_end + 120]
        kind = _kind(rest)
        if kind is None and re.match(r"\s*:\s*\S", rest) and s.text.rstrip().endswith("?"):
            kind = "asked"  # a question label: "Panama: What are the benefits ...?"
        if kind is None:
            continue
        out.append(
            Statement(
                local_id=f"s{len(out) + 1}",
                speaker=speaker,
                kind=kind,
                span=evidence_span(s.seg),
                meeting=meeting,
                method="rule:statement",
            )
        )
    out += _proposals_by(ctx, meeting, {st.span.start for st in out}, len(out))
    return out


_PROPOSAL_BY = quick(
    r"(?i)\b(?:the\s+)?(?:proposal|propuesta)\s+(?:(?:made|submitted|presented|"
    r"presentada|formulada)\s+)?(?:by|of|de|por)\s+(?:the\s+|la\s+|el\s+)?"
)


def _proposals_by(ctx: DocContext, meeting: str | None, taken: set[int], n: int) -> list[Statement]:
    """A proposal named after its author, with what it proposes, anywhere in a sentence
    ("Regarding the proposal by Chile to hold ...", "la propuesta de Guatemala de crear ..."):
    the author proposed it."""
    out: list[Statement] = []
    for s in ctx.sentences:
        if s.block.kind in ("heading", "footnote") or not _PROPOSAL_BY.search(s.text):
            continue
        span = evidence_span(s.seg)
        if span.start in taken:
            continue
        for m in _PROPOSAL_BY.finditer(s.text):
            author = next((x for x in s.mentions if x.start == m.end()), None)
            if author is None or author.kind not in ("state", "organization", "process"):
                continue
            if not re.match(r"(?i)\s*(?:to|that|de|que|para)\s+\w", s.text[author.end :]):
                continue  # "the proposal of X" alone refers back to a proposal, it adds none
            refs = ctx.actor(s, author, "rule:statement-proposal-by")
            if refs:
                out.append(
                    Statement(
                        local_id=f"s{n + len(out) + 1}",
                        speaker=refs[0],
                        kind="proposed",
                        span=span,
                        meeting=meeting,
                        method="rule:statement-proposal-by",
                    )
                )
                taken.add(span.start)
                break
    return out


def _kind(rest: str) -> StatementKind | None:
    head = re.match(r"(?i)\s*(?:\w+\s+){0,3}?", rest)
    del head
    for pattern, kind in _VERBS:
        if re.match(
            rf"(?i)\s*(?:also\s+|has\s+|have\s+|then\s+)?(?:[a-z]+ly\s+)?(?:{pattern})\b", rest
        ):
            return kind
    return None

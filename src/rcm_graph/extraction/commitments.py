"""Commitments and agreements: what is to be done, by whom, by when.

Where: items and sentences of an *agreements context* (a section headed "Agreements" /
"Acuerdos", or the items after a sentence saying the parties "have agreed as set forth below" /
"agreed the following"), and anywhere a sentence carries normative force on its own
("It was agreed that ...", "X agreed to / on ...", "X commits to ...", "X accepted to ...",
"se acordó ...").

In an agreements context a sentence counts when it is an order in the imperative ("Hold a
meeting ..."), or uses shall / will / must / "is asked to". Outside it, "will" counts only for
the bodies and processes that carry the work ("the Technical Secretariat will prepare ...").

Responsible actors are the sentence's grammatical subject (split into one commitment per
deadline); "Ensure that X do", "between X and Y" and "X is asked to" name them too; a passive
sentence has none. A deadline ("no later than 15 July", "by 30 June", "a más tardar el ...")
gets the document's year when the document's date makes it certain (the deadline lies after
it); otherwise it stays open and flagged.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import replace

from rcm_graph.extraction.context import DocContext, Sentence
from rcm_graph.extraction.dates import with_year
from rcm_graph.facts import ActorRef, Commitment, CommitmentKind, DateValue
from rcm_graph.reading import Segment

_AGREEMENT_HEADING = re.compile(
    r"(?i)\b(agreements?|acuerdos?|decisions|decisiones|commitments|compromisos|conclusions|"
    r"conclusiones|recommendations|recomendaciones|resolutions?|resoluciones)\b"
)
_AGREEMENT_INTRO = re.compile(
    r"(?i)(agreed|agree|resolved?|decided?|acordado|acuerdan|acordaron|resuelven|deciden)"
    r"[^.]{0,40}(as set forth below|set forth below|as follows|the following|lo siguiente|"
    r"a continuaci[oó]n)|(?:agreed|agree|acuerdan|acordaron|resolved?|deciden|declare|declares|"
    r"declaran|declaramos|resuelven|resolvemos|commit|commits|se comprometen)"
    r"(?:\s+(?:to|on|upon|as follows|a|lo siguiente))?\s*:\s*$"
)
_NORMATIVE_ANYWHERE = re.compile(
    r"(?i)\b(it (?:was|is) agreed|agreed to|agreed on|agreed that|commits? to|"
    r"committed (?:itself|themselves) to|accepted to|undertakes? to|undertook to|se acord[oó]|"
    r"acordaron|se comprometi[oó]|se comprometen|acuerdan)\b"
)
_REPORTED_SPEECH = re.compile(
    r"(?i)\b(explained|mentioned|stated|said|pointed out|noted|reported|recalled|indicated|"
    r"explic[oó]|mencion[oó]|señal[oó]|indic[oó])\s+that\b"
)
_MODAL = re.compile(
    r"(?i)(?<!that )(?<!which )(?<!who )"
    r"\b(shall|will|must|is to|are to|deber[aá]n?|se compromete|"
    r"\w{2,}(?:ará|erá|irá|arán|erán|irán))\b(?![^(]*\))"
)
_INTENTION = re.compile(r"(?i)\breiterates? (?:its|their) intention\b")
_DECLARED = re.compile(
    r"(?i)^(?:\w+,\s+)?(?:their|its|our|su|sus|nuestro|nuestra)\s+(?:firm\s+|full\s+)?"
    r"(commitment|decision|resolve|determination|willingness|compromiso|decisi[oó]n|voluntad|"
    r"determinaci[oó]n)\b"
)
_INSTRUCT = re.compile(
    r"(?i)^(?:[A-Z][^,;]{0,80},\s+)?(?:instruct|entrust|request|urge|call upon|ask|mandate|"
    r"instruir|encomendar|solicitar|instar|exhortar|encargar)\s+(?:to\s+|a\s+|al\s+)?"
)
_RECOMMENDS_THAT = re.compile(
    r"(?i)\b(?:recommends?|recommended|recomienda|recomend[oó]|suggests?)\s+(?:that|que)\s+"
)
_ASKED = re.compile(r"(?i)\b(is|are)\s+(asked|requested|invited|urged)\s+to\b")
_IMPERATIVE = re.compile(
    r"^(?:[A-Z][^,;]{0,80},\s+)?(?i:Ensure|Exchange|Follow|Announce|Hold|Invite|Participate|Propose|"
    r"Initiate|Move|Promote|Strengthen|Develop|Establish|Create|Share|Continue|Prepare|Submit|"
    r"Request|Consider|Support|Organi[sz]e|Convene|Coordinate|Present|Send|Review|Encourage|"
    r"Approve|Adopt|Implement|Instruct|Entrust|Urge|Agree|Carry|Maintain|Update|Include|Define|"
    r"Identify|Designate|Elaborate|Reiterate|Acknowledge|Welcome|Take|Give|Make|Seek|Foster|"
    r"Reaffirm|Recommend|Fortalecer|Promover|Elaborar|Establecer|Realizar|Solicitar|Continuar|"
    r"Impulsar|Desarrollar|Instruir|Encomendar|Aprobar|Invitar|Compartir|Presentar|Crear)\b"
)
_DEADLINE = re.compile(
    r"(?i)\b(?:no later than|not later than|by|before|until|a m[aá]s tardar(?:\s+el)?|antes del?|"
    r"hasta el|plazo(?: hasta)?(?: el)?)\s*$"
)
_PASSIVE_ES = re.compile(r"(?i)^\s*ser[aá]n?\s+\w+(?:ad|id)[oa]s?\b")
_PASSIVE = re.compile(
    r"(?i)^\s*(?:will|shall|must)\s+be\s+\w+ed\b|^\s*(?:is|are)\s+(?!asked|requested|invited)\w+ed\b"
)
_RECOMMEND = re.compile(r"(?i)\b(recommend\w*|recomend\w*)\b")
_REQUEST = re.compile(r"(?i)\b(request\w*|asked|solicit\w*|invite[sd]?)\b")


_INTRO_WORDS = re.compile(r"(?i)agre|acord|acuerd|declar|resol|resuel|decid|commit|compromet")


def _is_intro(text: str) -> bool:
    """Cheap pre-filter first: the full pattern is slow on long sentences."""
    return bool(_INTRO_WORDS.search(text) and _AGREEMENT_INTRO.search(text))


def find_commitments(ctx: DocContext, meeting: str | None) -> list[Commitment]:
    out: list[Commitment] = []
    heading_context = False  # items under an "Agreements" heading
    intro_context = False  # items after "have agreed as set forth below"
    seen_item = False
    for s in ctx.sentences:
        block = s.block
        if block.kind == "heading":
            heading_context = bool(_AGREEMENT_HEADING.search(block.text)) and len(block.text) < 90
            if _is_intro(block.text):
                intro_context, seen_item = True, False
            continue
        if block.kind == "footnote":
            continue
        if block.kind == "paragraph" and _is_intro(s.text):
            intro_context, seen_item = True, False
            continue
        if block.kind == "item":
            seen_item = True
        elif intro_context and seen_item:
            intro_context = False
        agreements = block.kind == "item" and (heading_context or intro_context)
        for clause in _clauses(s):
            commitment = _commitment(ctx, clause, agreements)
            if commitment is None:
                continue
            out.append(replace(commitment, local_id=f"c{len(out) + 1}", meeting=meeting))
    return out


_CLAUSE_CUT = re.compile(r"(?i),?\s+(?:and|y)\s+(?:that|que)\s+")


def _clauses(s: Sentence) -> list[Sentence]:
    """Split "It was agreed that A will ... and that B will ..." into one clause per actor;
    each later clause keeps the lead ("It was agreed that") so it reads as a sentence."""
    lead = re.match(
        r"(?i)^.{0,60}?\b(?:agreed|acord[oó]|decided|decidi[oó]|resolved)\s+(?:that|que)\s+", s.text
    )
    cuts = [m for m in _CLAUSE_CUT.finditer(s.text)] if lead else []
    if not lead or not cuts:
        return [s]
    bounds = [0, *[m.start() for m in cuts], len(s.text)]
    starts = [0, *[m.end() for m in cuts]]
    out = []
    for a, (start, end) in zip(starts, itertools.pairwise(bounds), strict=False):
        del start
        out.append(_sub_sentence(s, a, end, lead.group() if a else ""))
    return out


def _sub_sentence(s: Sentence, a: int, b: int, prefix: str) -> Sentence:
    """The clause ``[a, b)`` of a sentence as a sentence of its own (mentions and dates kept).
    A ``prefix`` (the lead "It was agreed that") is prepended to the clause's clean text only;
    its characters map to the lead's original offsets."""
    seg = s.seg.sub(a, b)
    shift = s.seg.offsets.index(seg.offsets[0]) if seg.offsets else a
    text = seg.text
    offsets = seg.offsets
    if prefix:
        text = prefix + text
        offsets = s.seg.offsets[: len(prefix)] + offsets
    new_seg = Segment(seg.source, text, tuple(offsets))
    delta = len(prefix) - shift
    mentions = [
        dataclasses.replace(m, start=m.start + delta, end=m.end + delta)
        for m in s.mentions
        if shift <= m.start and m.end <= shift + len(seg.text)
    ]
    dates = [
        dataclasses.replace(d, start=d.start + delta, end=d.end + delta)
        for d in s.dates
        if shift <= d.start and d.end <= shift + len(seg.text)
    ]
    return Sentence(s.index, s.block_index, s.block, new_seg, s.start_in_block, mentions, dates)


def _commitment(ctx: DocContext, s: Sentence, agreements: bool) -> Commitment | None:
    text = s.text
    kind: CommitmentKind = "agreement" if agreements else "commitment"
    responsible: list[ActorRef] | None = None
    if agreements:
        if _IMPERATIVE.match(text):
            responsible = _imperative_actors(ctx, s)
        elif _ASKED.search(text):
            kind = "request"
            responsible = _asked_actors(ctx, s)
        elif _MODAL.search(text) or _NORMATIVE_ANYWHERE.search(text) or _INTENTION.search(text):
            responsible = _subject(ctx, s)
        elif _DECLARED.match(text):
            kind = "commitment"
            responsible = _declaring_parties(ctx)
        elif (rec := _RECOMMENDS_THAT.search(text)) is not None:
            kind = "recommendation"
            responsible = _np_actors(ctx, s, rec.end())
        else:
            return None
    else:
        m = _NORMATIVE_ANYWHERE.search(text)
        if m and _REPORTED_SPEECH.search(text[: m.start()]):
            m = None  # someone reporting an agreement made elsewhere
        if m:
            kind = (
                "agreement"
                if "agree" in m.group().lower() or "acord" in m.group().lower()
                else "commitment"
            )
            if re.match(r"(?i)it (?:was|is) agreed", m.group()):
                responsible = _after_that(ctx, s, m.end())
            else:
                responsible = _subject(ctx, s, before=m.start())
            if kind == "agreement" and not responsible and not re.match(r"(?i)it", m.group()):
                groups = [g for pos, g in ctx.groups(s, "rule:commitment") if pos < m.start()]
                responsible = groups[:1] or _pronoun_group(ctx, s, m.start())
        elif _body_will(ctx, s):
            responsible = _body_will(ctx, s)
        else:
            return None
    if _RECOMMEND.search(text[:60]) and kind != "agreement":
        kind = "recommendation"
    due = _deadline(ctx, s)
    return Commitment(
        local_id="",
        text=text,
        kind=kind,
        span=s.seg.span(),
        responsible=responsible or [],
        due=due,
        provision=s.block.number,
        method="rule:commitment-agreements" if agreements else "rule:commitment-normative",
    )


def _refs(ctx: DocContext, s: Sentence, lo: int, hi: int) -> list[ActorRef]:
    out: list[ActorRef] = []
    seen = set()
    last_body_end = -1
    for m in s.mentions:
        if m.kind == "body":
            last_body_end = m.end
        if (
            last_body_end >= 0
            and m.kind == "process"
            and re.fullmatch(
                r"\s*(?:\([A-Z]{2,4}s?\))?\s*(?:of|de)?\s*(?:the|la|el)?\s*(?:(?:RCM|SACM|CRM|CSM)\s+"
                r"(?:and|y)\s+(?:the|la|el)?\s*)?",
                s.text[last_body_end : m.start],
            )
        ):
            continue  # "the PPTs of the RCM and the SACM": the process only qualifies the body
        if lo <= m.start < hi and m.kind in ("state", "organization", "process", "body"):
            if (
                m.kind == "process"
                and re.match(
                    r"\s*(?:Member|observer|[-–]\s*(?:TS|SACM|RCM))", s.text[m.end : m.end + 200]
                )
                and not re.match(r"\s*[-–]\s*(?:SACM|RCM)\b", s.text[m.end : m.end + 200])
            ):
                continue
            for ref in ctx.actor(s, m, "rule:commitment"):
                if (ref.kind, ref.key) not in seen:
                    seen.add((ref.kind, ref.key))
                    out.append(ref)
    return _merge_acronym_bodies(out)


def _merge_acronym_bodies(refs: list[ActorRef]) -> list[ActorRef]:
    # "The RCM-TS" yields the process and its body: the body is meant
    keys = {r.key for r in refs}
    return [
        r
        for r in refs
        if not (
            r.kind == "process"
            and f"{r.key}:technical-secretariat" in keys
            and r.span.end + 1 >= min(x.span.start for x in refs if x.kind == "body")
        )
    ]


def _subject(ctx: DocContext, s: Sentence, before: int | None = None) -> list[ActorRef]:
    """Actors of the subject: the mentions before the finite verb (shall/will/agreed...)."""
    text = s.text
    if before is None:
        m = _MODAL.search(text)
        if m is None:
            m = re.search(r"(?i)\breiterates?\b", text)
        if m is None:
            return []
        before = m.start()
        after = text[m.end() :]
        if (
            _PASSIVE.match(text[m.start() :])
            or _PASSIVE_ES.match(text[m.start() :])
            or re.match(r"\s*be\s+\w+ed\b", after)
        ):
            return []
    lead = re.match(
        r"(?i)^(?:[A-Z][a-z]+(?: [a-z]+){0,3},\s+)?(?:it is agreed that\s+|it was agreed that\s+)?",
        text,
    )
    start = lead.end() if lead else 0
    # the subject starts at the last clause boundary before the verb
    boundary = max(text.rfind(", ", start, before), text.rfind(" that ", start, before))
    if boundary > start and not re.search(r"(?i)\b(and|y)\s*$", text[start:boundary]):
        sub = _refs(ctx, s, boundary, before)
        if sub:
            return sub
    refs = _refs(ctx, s, start, before)
    if not refs:
        groups = [g for pos, g in ctx.groups(s, "rule:commitment") if start <= pos < before]
        if groups:
            return groups[:1]
        return _both(ctx, s, start, before)
    if re.search(r"(?i)\bby way of its\b", text[start:before]):
        refs = [r for r in refs if r.kind != "body"]
    return refs


def _declaring_parties(ctx: DocContext) -> list[ActorRef]:
    """The collective that declares: "the Member Countries" of the preamble, else the
    participating countries."""
    for s in ctx.sentences[:25]:
        for _pos, group in ctx.groups(s, "rule:commitment"):
            if group.key in ("member-countries", "participating-countries"):
                return [group]
    return []


def _both(ctx: DocContext, s: Sentence, lo: int, hi: int) -> list[ActorRef]:
    m = re.search(
        r"(?i)\b(both|each|ambas|cada)\s+(conferences|processes|conference|conferencias)\b",
        s.text[lo:hi],
    )
    if not m:
        return []
    span = s.seg.span(lo + m.start(), lo + m.end())
    return [
        ActorRef("process", p, m.group(), span, "rule:commitment")
        for p in sorted(ctx.processes_named())
    ]


def _after_that(ctx: DocContext, s: Sentence, pos: int) -> list[ActorRef]:
    m = re.match(r"(?i)\s+that\s+", s.text[pos:])
    if not m:
        return []
    verb = _MODAL.search(s.text, pos)
    if not verb:
        return []
    return _refs(ctx, s, pos, verb.start())


def _pronoun_group(ctx: DocContext, s: Sentence, pos: int) -> list[ActorRef]:
    m = re.match(
        r"(?i)^(?:[A-Z][a-z]+,\s+)?(they|the states present|the countries|countries)\b", s.text
    )
    if m and m.end() <= pos:
        span = s.seg.span(m.start(1), m.end(1))
        return [ActorRef("group", "participating-countries", m.group(1), span, "rule:commitment")]
    return []


def _np_actors(ctx: DocContext, s: Sentence, pos: int) -> list[ActorRef]:
    """Actors of the noun phrase starting at ``pos``: "the TS and the PPT", "Chile"."""
    out: list[ActorRef] = []
    end = pos
    for m in s.mentions:
        if m.start < pos or m.kind == "city":
            continue
        gap = s.text[end : m.start]
        if out and not re.fullmatch(
            r"\s*(?:\([A-Z]{2,6}s?\))?\s*(?:,|and|y|&)?\s*(?:the|la|el)?\s*", gap
        ):
            break
        if not out and m.start - pos > 20:
            break
        if re.fullmatch(r"\s*\(\s*", gap[-3:] if out else ""):
            continue
        out.extend(
            r for r in ctx.actor(s, m, "rule:commitment") if r.key not in {x.key for x in out}
        )
        end = m.end
    return out


def _imperative_actors(ctx: DocContext, s: Sentence) -> list[ActorRef]:
    text = s.text
    m = _INSTRUCT.match(text)
    if m:  # "Instruct the TS to ...", "Instruir a la Secretaría Técnica para que ..."
        stop = re.search(
            r"(?i)\b(to|para que|que|a fin de|in order|with a view)\b", text[m.end() :]
        )
        hi = m.end() + (stop.start() if stop else 80)
        found = _refs(ctx, s, m.end(), hi)
        if found:
            return found
    m = re.match(r"(?i)^ensure that\s+", text)
    if m:
        verb = re.search(
            r"(?i)\b(update|maintain|do|take|send|share|prepare|submit|present|are|is|"
            r"carry|follow|have|make|provide|continue|include|keep)\b",
            text[m.end() :],
        )
        hi = m.end() + (verb.start() if verb else 80)
        return _refs(ctx, s, m.end(), hi)
    m = re.match(r"(?i)^\w+(?:\s+\w+)?\s+(?:jointly\s+)?between\s+", text)
    if m:
        stop = re.search(r"(?i)\b(?:RCM|SACM|CRM|CSM)\b(?!\s+(?:and|y)\b)", text[m.end() :])
        hi = m.end() + (stop.end() if stop else 40)
        return _refs(ctx, s, m.end(), hi)
    return []


def _asked_actors(ctx: DocContext, s: Sentence) -> list[ActorRef]:
    m = _ASKED.search(s.text)
    assert m is not None
    lo = max(s.text.rfind(", ", 0, m.start()), 0)
    return _refs(ctx, s, lo, m.start())


_BODY_FUTURE = re.compile(
    r"(?i)\b(will|shall)\s+(?!be\b)(\w+)|\b(?!ser[aá]n?\b)\w{2,}(?:ará|erá|irá|arán|erán|irán)\b"
)


def _body_will(ctx: DocContext, s: Sentence) -> list[ActorRef]:
    for m in _BODY_FUTURE.finditer(s.text):
        refs = [r for r in _refs(ctx, s, max(0, m.start() - 70), m.start()) if r.kind == "body"]
        if refs and not re.search(r"(?i)\b(could|would|can)\b", s.text[: m.start()][-30:]):
            return refs
    return []


def _deadline(ctx: DocContext, s: Sentence) -> DateValue | None:
    for d in s.dates:
        if d.first.day is None and d.first.month is None:
            continue
        if _DEADLINE.search(s.text[: d.start][-30:]):
            value = d.first
            if value.year is None:
                doc = ctx.date
                if (
                    doc is not None
                    and doc.value is not None
                    and value.month is not None
                    and ((value.month, value.day or 0) >= (doc.value.month, doc.value.day))
                ):
                    return with_year(value, doc.value.year)
                ctx.warnings.append(f"deadline year left open: {value.span.text!r}")
                return replace(value, uncertain=True)
            return value
    return None

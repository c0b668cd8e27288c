"""Commitments and agreements: what is to be done, by whom, by when.

The document's structure comes first. An *operative section* opens at a heading of the
lexicon ``operative-headings.tsv`` ("Agreements", "APPROVED", "CONCLUSIONS", "ACUERDOS";
sub-headings right after it keep it open) or after an introducing sentence ("they agreed:",
"the Group concluded:", "the parties agree as set forth below:", "decidieron lo siguiente:",
an inline "... mediante las siguientes acciones: Ampliar ..."); a preamble ("CONSIDERANDO",
"WHEREAS") closes it, and its items and clauses ("Reaffirming their commitment ...") are
reasons, never commitments.

In an operative section an item, or a paragraph, counts when it opens with an operative verb
(lexicon ``operative-verbs.tsv``: "To adopt ...", "Take note of ...", "Solicitar a ...",
"Reforzar ..."; the verb gives the kind, and "take note", "thank", "approve" mark a decision
with no future action, ``forward_looking = False``), or uses shall / will / must / "is asked
to" / "It was suggested that", or states a decision taken ("they have approved ..."). A
request clause inside an item ("..., and to ask the Presidency to ...") is a commitment of its
own. Anywhere else a sentence counts when it carries normative force on its own ("It was
agreed that ...", "We agree to ...", "X commits to ...", "se comprometen a ...", "reiterated
their commitment to ...", "I request that ..."), or when the meeting's collective (the
Vice-Ministers, the delegations, "they") instructs, commits, decides, recommends or adopts;
"they agreed that <a view>" and an infinitive "to agree on" are not commitments. Outside an
operative section, "will" counts only for the bodies that carry the work ("the Technical
Secretariat will prepare ...").

Responsible actors are the sentence's grammatical subject; "Ensure that X do", "between X and
Y", "request that X" and "X is asked to" name them too; an operative item without one is the
collective that adopts it (the subject of its introducing sentence, else the parties that
declare); a passive sentence has none. Collectives are labelled by what they are, never by a
pronoun. Deadlines and their years are :mod:`rcm_graph.stages.extraction.due`'s; every rule that
fired is named in the commitment's extraction method.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass, replace
from functools import cache
from typing import cast, get_args

from rcm_graph.errors import InputError
from rcm_graph.model.facts import ActorRef, Commitment, CommitmentKind, DateValue, Span
from rcm_graph.stages.extraction.collectives import group, labelled
from rcm_graph.stages.extraction.context import DocContext, Sentence
from rcm_graph.stages.extraction.due import due_date
from rcm_graph.stages.extraction.evidence import evidence_span
from rcm_graph.stages.extraction.lexicons import LEXICON_DIR, phrase_pattern, table
from rcm_graph.stages.extraction.prefilter import quick
from rcm_graph.stages.reading import Segment

_INTRO_TAIL = quick(
    r"(?i)(?:\bthe following\b|\blo siguiente\b|\b(?:los|las) siguientes\b|\bas follows\b|"
    r"\b(?:la|el) siguiente\b|"
    r"\bset forth below\b|\ba continuaci[oó]n\b)[^:.]{0,60}:\s*$|"
    r"(?:\bas follows|\bset forth below|\ba continuaci[oó]n)\W*$"
)
_INTRO_STEM = quick(
    r"(?i)\b(?:agree|acord|acuerd|decid|resol|resuel|conclu|recomm|recomend|commit|compromet|"
    r"approv|aprob|adopt|declar|undert|reached|alcanzar)\w*"
)
_INTRO_VERB = quick(
    r"(?i)\b(?:agreed?|agrees|decided?|decides|resolved?|resolves|concluded|recommends?|"
    r"recommended|acordaron|acord[oó]|acuerdan|decidieron|decidi[oó]|deciden|resolvieron|"
    r"resolvi[oó]|resuelven|concluy[oó]|concluyeron|recomienda|recomiendan|recomend[oó]|"
    r"recomendaron|declaran|declaramos|declare|declares)\b[^.;:]*:$"
)
_INLINE_INTRO = quick(
    r"(?i)(?:\bthe following\b|\b(?:los|las) siguientes\b|\blo siguiente\b)[^:.;]{0,50}:\s+"
    r"(?=[A-ZÁÉÍÓÚÑ])"
)
_AGREEMENT_INTRO = quick(
    r"(?i)(agreed|agree|resolved?|decided?|acordado|acuerdan|acordaron|resuelven|deciden)"
    r"[^.]{0,40}(as set forth below|set forth below|as follows|the following|lo siguiente|"
    r"a continuaci[oó]n)|(?:agreed|agree|acuerdan|acordaron|resolved?|deciden|declare|declares|"
    r"declaran|declaramos|resuelven|resolvemos|commit|commits|se comprometen|concluded|"
    r"concluy[oó]|concluyeron)"
    r"(?:\s+(?:to|on|upon|as follows|a|lo siguiente))?\s*:\s*$"
)
_NORMATIVE_ANYWHERE = quick(
    r"(?i)\b(it (?:was|is) agreed|agreed (?:(?:today|yesterday|also|further|unanimously|"
    r"jointly)\s+)?(?:to|on)|agreed that|agrees? to|agrees? on|"
    r"commits? to|committed (?:itself|themselves) to|accepted to|undertakes? to|undertook to|"
    r"se acord[oó]|acordaron|acordamos|se comprometi[oó]|se comprometen|nos comprometemos|"
    r"se comprometieron|compromete a|comprometen a|"
    r"among the agreements (?:is|are|was|were)|entre los acuerdos (?:est[aá]n?|figuran?)|"
    r"(?:set|established|fixed) as (?:a |their |its )?(?:goal|objective)|"
    r"(?:plantearon|establecieron|fijaron|se plantearon|se fijaron) como (?:objetivo|meta)|"
    r"acuerdan)\b"
)
_REAFFIRMED_COMMITMENT = quick(
    r"(?i)\b(?:reiter|reaffirm|renew|express|endors|assum|reafirm|ratific|renov|manifest|"
    r"expres|asum|respald)\w*\b"
    r"[^.;]{0,50}?\b(?:commitment|compromiso|goal|objetivo)s?\b(?:[^.;]{0,120}?\b(?:to|de|a|con)\b)"
)
# what makes an infinitive that follows it no act: "an opportunity to reaffirm …", "una
# oportunidad de reafirmar …"
_CHANCE_TO = quick(
    r"(?i)\b(?:opportunity|occasion|chance|space|oportunidad|ocasi[oó]n|espacio)\s+"
    r"(?:to|for|de|para)\s+$"
)
_COLLECTIVE_SUBJECT = re.compile(
    r"(?i)^(?:[\w\s]{0,40},\s+)?(?:the|los|las|la|el|all|todos los|todas las)?\s*"
    r"(?:[\w-]+\s+){0,2}?(?:vice[- ]?ministers?|viceministr[oa]s?|representatives|representantes|"
    r"delegations|delegaciones|countries|pa[ií]ses|participants|participantes|governments|"
    r"gobiernos|states|estados|heads of delegation|jefes de delegaci[oó]n|they|we|nosotros)\b"
)
_COLLECTIVE_ACT = quick(
    r"(?i)\b(?:(?P<commit>(?:are |were |remain |remained )?committed (?:themselves )?to|"
    r"se comprometieron a|decided to|resolved to|decidieron|resolvieron)|"
    r"(?P<request>instructed|entrusted|requested|urged|exhorted|called (?:up)?on|"
    r"asked(?!\s+for)|encomendaron|instruyeron|solicitaron|pidieron|instaron|exhortaron|"
    r"encargaron)|"
    r"(?P<recommend>recommended that|recomendaron)|"
    r"(?P<thank>thanked|thanks|agradecieron|agradecen|agradeci[oó]|agradece)\s+(?=\w)|"
    r"(?P<adopt>(?:have |has )?(?:adopted|approved|took note of)|adoptan|aprueban|adoptaron|"
    r"aprobaron|tomaron nota d[e]l?|adopt|approve)\s+(?=(?:the|la|el|las|los|a|an|un|una)\s))"
)
_NAMED_INSTRUMENT = re.compile(
    r"(?i)\b(?:denominad[oa]|titulad[oa]|entitled|called|titled|named)\b|[“\"«][^”\"»]{4,}[”\"»]"
)
# "Los Países Miembros de la CSM:", "The Vice-Ministers:": the collective whose acts are the
# items below ("- Reafirman ...", "- Acuerdan ...")
_COLLECTIVE_LEAD = re.compile(
    _COLLECTIVE_SUBJECT.pattern + r"(?:\s+(?:members?|miembros?))?"
    r"(?:\s+(?:de|of|del)\s+[^:.;]{0,40})?\s*:$"
)
_COLLECTIVE_WILL = quick(
    _COLLECTIVE_SUBJECT.pattern
    + r"[^,;:.]{0,40}?\s(?:will|shall|deber[aá]n|\w{3,}(?:ar|er|ir)án)\s+(?!be\b|ser\b)\w"
)
_FIRST_PERSON_REQUEST = quick(
    r"(?i)\b(?:I|we)\b[^.,;]{0,30}?\brequest\s+that\b|\b(?:solicito|solicitamos)\s+(?:que|a)\b"
)
_OPINION_AGREED = re.compile(
    r"(?i)^(?:\S+\s+){0,8}?(?:is|are|was|were|es|son|constituye|constituyen)\b"
)
_REPORTED_SPEECH = quick(
    r"(?i)\b(explained|mentioned|stated|said|pointed out|noted|reported|recalled|indicated|"
    r"explic[oó]|mencion[oó]|señal[oó]|indic[oó])\s+that\b"
)
_MODAL = quick(
    r"(?i)(?<!that )(?<!which )(?<!who )"
    r"\b(shall|will|must|is to|are to|deber[aá]n?|se compromete|"
    r"\w{2,}(?:ará|erá|irá|arán|erán|irán))\b(?![^(]*\))"
)
_AGENDA = quick(
    r"(?i)\b(?:will|shall)\s+(?:also\s+)?(?:address|discuss|analy[sz]e|examine|debate|consider|"
    r"review|deal with|focus on|exchange views on)\b[^.;]{0,40}?\b(?:issues|topics|themes|"
    r"matters|subjects|questions|such as)\b|"
    r"\b(?:abordar|discutir|analizar|examinar|debatir|tratar)[aá]n\b[^.;]{0,40}?"
    r"\b(?:temas|asuntos|cuestiones|tales como)\b"
)
_COLLECTIVE_SAID = quick(
    r"(?i)\b(?:stated|declared|affirmed|announced|said|expressed|highlighted|emphasi[sz]ed|"
    r"stressed|underlined|señalaron|afirmaron|declararon|manifestaron|expresaron|anunciaron|"
    r"destacaron|subrayaron|enfatizaron)\s+(?:that|que)\b"
)
# the collective that declares, ending the subject of a declaring verb: "the Vice Ministers
# (of the member countries) stated that ..."
_DECLARING_COLLECTIVE = quick(
    r"(?i)\b(?:the|los|las)\s+(?:[\w-]+\s+){0,2}?(?:vice[- ]?ministers|viceministr[oa]s|"
    r"ministers|ministros|delegations|delegaciones|representatives|representantes|"
    r"heads of delegation|jefes de delegaci[oó]n|member countries|pa[ií]ses miembros|"
    r"participants|participantes)\b[^.;:]{0,70}$"
)
_INTENTION = quick(r"(?i)\breiterates? (?:its|their) intention\b")
# a pledge announced: "announced $578 million in assistance", "announced expanded partnerships
# to deter …", "anunció un aporte de …": what the announcer will provide
_PLEDGE = quick(
    r"(?i)\b(?:announced|announces|pledged|pledges|anunci[oó]|anuncia)\s+(?:(?:a|an|un|una)\s+)?"
    r"(?:(?:new|additional|expanded|further|nuev[oa]s?|adicional(?:es)?)\s+(?:[\w-]+\s+)?)?"
    r"(?:\$|US\$|USD|€|\d[\d.,]*\s+(?:million|billion|mill[oó]n|millones)|funding|financing|"
    r"assistance|contribution|donation|partnerships?|programs?|programmes?|initiatives?|aporte|"
    r"contribuci[oó]n|donaci[oó]n|financiamiento|fondos|programas?|iniciativas?)"
)
_DECLARED = re.compile(
    r"(?i)^(?:\w+,\s+)?(?:their|its|our|su|sus|nuestro|nuestra)\s+(?:firm\s+|full\s+)?"
    r"(commitment|decision|resolve|determination|willingness|compromiso|decisi[oó]n|voluntad|"
    r"determinaci[oó]n)\b"
)
_DECIDED = quick(
    r"(?i)\b(?:have|has|had|were|was)\s+(?:also\s+)?(?:approved|adopted|endorsed|accepted)\b|"
    r"\b(?:aprobaron|adoptaron|han aprobado|han adoptado|fue aprobad[oa]|fueron aprobad[oa]s)\b"
)
_SUGGESTED = re.compile(r"(?i)^(?:\w+,\s+)?it (?:was|is) (?:suggested|recommended|proposed) that\b")
_INSTRUCT = re.compile(
    r"(?i)^(?:[A-Z][^,;]{0,80},\s+)?(?:to\s+)?(?:instruct|entrust|request|urge|call upon|ask|"
    r"mandate|instruir|encomendar|solicitar|pedir|instar|exhortar|encargar)\s+"
    r"(?:that\s+|to\s+|a\s+|al\s+|que\s+)?"
)
_RECOMMENDS_THAT = quick(
    r"(?i)\b(?:recommends?|recommended|recomienda|recomend[oó]|suggests?)\s+(?:that|que)\s+"
)
_ASKED = quick(r"(?i)\b(is|are)\s+(asked|requested|invited|urged)\s+to\b")
_PASSIVE_ES = re.compile(r"(?i)^\s*ser[aá]n?\s+\w+(?:ad|id)[oa]s?\b")
_PASSIVE = re.compile(
    r"(?i)^\s*(?:will|shall|must)\s+be\s+\w+ed\b|^\s*(?:is|are)\s+(?!asked|requested|invited)\w+ed\b"
)
_RECOMMEND = quick(r"(?i)\b(recommend\w*|recomend\w*)\b")
_NOT_A_VERB_AFTER_TO = frozenset(
    ("this", "that", "these", "those", "the", "a", "an", "date", "such", "its", "their", "our")
)
# a second order in an item: "…, and to ask the TS to …", "… and request such agencies to …"
_REQUEST_VERBS = (
    r"(?:to\s+)?(?:request|ask|instruct|entrust|urge|solicitar|pedir|instruir|encomendar|"
    r"instar|exhortar)\b"
)
_REQUEST_CLAUSE = quick(rf"(?i),?\s+(?:and|as well as|y|as[ií] como)\s+(?P<rest>{_REQUEST_VERBS})")
# the clause _REQUEST_CLAUSE splits off, as it begins: "request such agencies to …"
_CONTINUED_REQUEST = re.compile(_REQUEST_VERBS)


@dataclass(frozen=True)
class _Verb:
    kind: CommitmentKind
    forward: bool


@cache
def _operative_verbs() -> tuple[re.Pattern[str], dict[str, _Verb]]:
    """The verbs that open an operative item (lexicon ``operative-verbs.tsv``), longest first,
    as one pattern for the item's first words."""
    verbs: dict[str, _Verb] = {}
    for verb, lang, kind, forward in table("operative-verbs.tsv"):
        if kind not in get_args(CommitmentKind):
            raise InputError(
                f"unknown commitment kind {kind!r} for {verb!r}",
                where=str(LEXICON_DIR / "operative-verbs.tsv"),
                hint=f"use one of: {', '.join(get_args(CommitmentKind))}",
            )
        entry = _Verb(cast(CommitmentKind, kind), forward != "no")
        verbs[verb.lower()] = entry
        gerund = _gerund(verb.lower())
        if lang == "en" and gerund not in _NOT_GERUND_ITEMS:
            verbs.setdefault(gerund, entry)  # "Strengthening ...", "Taking note of ..."
    alternatives = "|".join(
        r"\s+".join(re.escape(w) for w in v.split()) for v in sorted(verbs, key=len, reverse=True)
    )
    return re.compile(rf"(?i)(?P<verb>{alternatives})(?!\w)"), verbs


# -ing forms that mostly open a noun phrase or a preposition ("Following the meeting",
# "Developing countries", "Working Group"), never an item
_NOT_GERUND_ITEMS = frozenset(("following", "developing", "working", "meeting", "moving"))


def _gerund(verb: str) -> str:
    """ "promote" -> "promoting", "take note" -> "taking note", "carry out" -> "carrying out"."""
    head, _, rest = verb.partition(" ")
    if head.endswith("e") and not head.endswith("ee"):
        head = head[:-1]
    return f"{head}ing" + (f" {rest}" if rest else "")


@cache
def _base_forms() -> frozenset[str]:
    return frozenset(v.lower() for v, *_ in table("operative-verbs.tsv"))


@cache
def _headings() -> dict[str, list[re.Pattern[str]]]:
    out: dict[str, list[re.Pattern[str]]] = {"operative": [], "preamble": []}
    for phrase, _lang, role in table("operative-headings.tsv"):
        out.setdefault(role, []).append(re.compile(phrase_pattern(phrase), re.IGNORECASE))
    return out


@cache
def _preamble_opening() -> re.Pattern[str]:
    """The words that open a preambular clause, anchored at the clause start."""
    phrases = [
        p for p, _lang, role in table("operative-headings.tsv") if role == "preamble-opening"
    ]
    return re.compile(
        r"^\W{0,3}(?:" + "|".join(phrase_pattern(p) for p in phrases) + ")", re.IGNORECASE
    )


def _heading_role(text: str) -> str | None:
    """The role of a heading: "operative", "preamble" or None."""
    if len(text) >= 90:
        return None
    roles = _headings()
    if any(p.search(text) for p in roles["preamble"]):
        return "preamble"
    if any(p.search(text) for p in roles["operative"]):
        return "operative"
    return None


@cache
def _verb_heads() -> frozenset[str] | None:
    """The first three characters of every operative verb, in lower case, a space standing
    for the whitespace between words (None when a verb is shorter: then every position is
    tried)."""
    heads = {verb[:3] for verb in _operative_verbs()[1]}
    if any(len(h) < 3 or not (h.isalpha() or (h[:2].isalpha() and h[2] == " ")) for h in heads):
        return None
    return frozenset(heads)


def _may_open_with_verb(text: str, at: int) -> bool:
    """False only when no operative verb can start at ``at``: trying the case-insensitive
    alternation of some 270 verbs was the larger part of operative_start, which runs on every
    sentence more than once. Lower case equals case-insensitive equality on Latin-1 text, so
    any other character keeps the full try."""
    heads = _verb_heads()
    if heads is None:
        return True
    head = text[at : at + 3]
    if head.isascii() and head.isalpha():  # the common case, at once
        return head.lower() in heads
    if any(c > "\xff" for c in head):
        return True
    return "".join(" " if c.isspace() else c for c in head.lower()) in heads


# compiled once: operative_start runs several times on every sentence
_ITEM_OPENING = re.compile(r"(?:[A-ZÁÉÍÓÚÑ][^,;:]{0,80},\s+)?")
_TO = re.compile(r"(?i)to\s+")
# an English adverb between "to" and its verb ("to further strengthen", "to gracefully
# recognize"), read past
_ADVERB = re.compile(r"(?i)[a-z]{3,}ly|further|also")
_WORD = re.compile(r"[\w-]+")


def operative_start(text: str, item: bool = True) -> tuple[_Verb, int] | None:
    """The verb an operative item opens with ("To adopt ...", "Take note of ...", "Solicitar a
    ...", and for a list ``item`` also "Within the framework of X, announce ..." and
    "Strengthening ..."), and where the verb ends. A capitalised word that heads a noun
    phrase ("Review of the plan", "Support from IOM", "Update on the work") is a title, not
    an order."""
    opening = _ITEM_OPENING.match(text) if item else None
    pos = opening.end() if opening else 0
    for start in (0, pos) if pos else (0,):
        to = _TO.match(text, start)  # at a position, not on a copy of the rest
        if to and start:
            continue  # "First, to express ...": a purpose spelled out, not an item
        at = to.end() if to else start
        word = _WORD.match(text, at)
        if to and word and _ADVERB.fullmatch(word.group()):
            at = (
                word.end()
                + len(text[word.end() : word.end() + 8])
                - len(text[word.end() : word.end() + 8].lstrip())
            )  # "To gracefully recognize ...": the verb after the adverb
            word = _WORD.match(text, at)
        if to and word and word.group().lower() in _NOT_A_VERB_AFTER_TO:
            continue
        if not to and start == 0 and not text[at : at + 1].isupper():
            continue  # an imperative opens the item with a capital ("y solicitar" is a clause)
        if not _may_open_with_verb(text, at):
            continue
        pattern, verbs = _operative_verbs()
        m = pattern.match(text, at)
        if m is None:
            continue
        key = " ".join(m.group("verb").lower().split())
        if not to and " " not in key and _NOUN_USE.match(text, m.end()):
            continue
        if _YOU.match(text, m.end()):
            continue  # "Thank you for your participation!": a courtesy to the reader
        if not item and key.split()[0].endswith("ing") and key not in _base_forms():
            continue  # a paragraph opening with "-ing" is prose; only an item is an order
        return verbs[key], m.end()
    return None


_YOU = re.compile(r"(?i)\s+you\b")
_NOUN_USE = re.compile(
    r"(?i)\s+(?:of|from|by|de|del|sobre|on\s+the\s+(?:work|activities|status))\b"
)


def _is_intro(text: str) -> bool:
    """A sentence that announces operative items: "they agreed:", "the RCGM concluded:",
    "we recommend the following actions:", "acordaron lo siguiente:"."""
    text = text.rstrip()
    if _INTRO_TAIL.search(text):
        if _INTRO_STEM.search(text):
            return True
        # "The Group reported the following:", "… submits its report to the Group, as
        # follows:": what a body reports so are its decisions, unless the list is an agenda,
        # its aims or its members
        short = text.endswith(":") and len(text) < 60
        return (short or bool(_AS_FOLLOWS.search(text))) and not _NOT_DECISIONS.search(text)
    if not text.endswith(":"):
        return False
    if _AGREEMENT_INTRO.search(text) or _COLLECTIVE_LEAD.match(text):
        return True
    # "The RCGM recommends to the Vice-Ministers:", "Los Viceministros decidieron:": the
    # deciding verb close to the colon
    return bool(_INTRO_VERB.search(text[-70:]))


_AS_FOLLOWS = quick(r"(?i)\b(?:as follows|de la siguiente manera|como sigue)\s*:$")
_NOT_DECISIONS = quick(
    r"(?i)\b(?:agenda|programme|program|objectives?|aims?|purposes?|topics|participants|"
    r"composed|members|orden del d[ií]a|programa|objetivos?|temas|participantes|integrad[oa])\b"
)


@dataclass
class _State:
    """Where the reader is: inside an operative section (after an operative heading or an
    introducing sentence) or not, and who adopts its items."""

    heading: bool = False  # under an "Agreements" / "APPROVED" / "ACUERDOS" heading
    heading_fresh: bool = False  # no content since that heading (a sub-heading keeps it)
    intro: bool = False  # after "they agreed:" / "lo siguiente:"
    intro_kind: CommitmentKind | None = None
    seen_item: bool = False
    preamble: bool = False  # under "CONSIDERANDO" / "WHEREAS": reasons, not commitments
    lead: _Verb | None = None  # under "Agradecer a:" / "To thank:": the items' shared verb
    numbered: bool = False  # a bare list number ("2.") was read: the next sentence is an item
    adopters: list[ActorRef] = dataclasses.field(default_factory=list)


def find_commitments(ctx: DocContext, meeting: str | None) -> list[Commitment]:
    out: list[Commitment] = []
    state = _State()
    earlier: list[tuple[str, DateValue]] = []
    for whole in ctx.sentences:
        s = _without_list_number(whole)
        if s is None:  # "2." of a numbered list run into one paragraph: an item follows
            state.numbered = True
            continue
        block = s.block
        if block.kind == "heading":
            _on_heading(ctx, s, state)
            continue
        if block.kind == "footnote":
            continue
        state.heading_fresh = False
        for part, operative in _parts(ctx, s, state):
            for clause in _clauses(part):
                commitment = _commitment(ctx, clause, operative, state)
                if commitment is None:
                    continue
                due, rule = None, ""
                if commitment.forward_looking:
                    due, rule = due_date(ctx, clause, earlier)
                method = commitment.method + (f"+{rule}" if rule else "")
                if due is not None:
                    earlier.append((clause.text, due))
                out.append(
                    replace(
                        commitment,
                        responsible=[_labelled(ctx, r) for r in commitment.responsible],
                        local_id=f"c{len(out) + 1}",
                        meeting=meeting,
                        due=due,
                        method=method,
                    )
                )
    return out


_LIST_NUMBER = re.compile(r"\s*(?:\d{1,2}|[a-z])[.)]\s*")
_TRAILING_NUMBER = re.compile(r"(?<=[:;.])\s+\d{1,2}[.)]$")


def _without_list_number(s: Sentence) -> Sentence | None:
    """A numbered list whose line breaks were lost ("They agreed: 1. To accept ... 2. To
    ask ...") reaches us as sentences cut after each number: the number that ends a sentence
    is dropped, and a sentence that is only a number is None."""
    if s.block.kind == "item":
        return s
    if _LIST_NUMBER.fullmatch(s.text):
        return None
    m = _TRAILING_NUMBER.search(s.text)
    return _sub_sentence(s, 0, m.start(), "") if m else s


def _lead_verb(text: str) -> _Verb | None:
    """The verb of a lead-in whose items are its objects: "Agradecer a:", "To thank:",
    "Solicitar a la Secretaría Técnica:"; each item below ("Chile, por su propuesta ...") is
    a decision of that verb's kind."""
    text = text.rstrip()
    if not text.endswith(":") or len(text) > 120:
        return None
    start = operative_start(text, item=False)
    if start is not None and re.fullmatch(r"[^.;:]{0,50}:", text[start[1] :]):
        return start[0]
    # "Los Viceministros acordaron agradecer a:", "Asimismo, agradecer a:"
    pattern, verbs = _operative_verbs()
    for lead in _LEAD_VERB_AFTER.finditer(text):
        m = pattern.match(text, lead.end())
        if m and re.fullmatch(r"[^.;:]{0,50}:", text[m.end() :]):
            return verbs.get(" ".join(m.group("verb").lower().split()))
    return None


# an object of a lead-in verb as a paragraph of its own: "Chile y Perú, por la propuesta
# ...", "Costa Rica, for its offer ..."
_LEAD_OBJECT = re.compile(
    r"(?:[^\w\s]\s*)?(?P<object>[A-ZÁÉÍÓÚÑ][^,;:.]{1,80},\s+(?:por|for|para|on|sobre)\b)"
)
# a list's bullet printed alone on its line (its item follows on the next)
_BARE_BULLET = re.compile(r"\s*[-–—•*·\uf0b7\uf0a7]\s*")
_LEAD_VERB_AFTER = re.compile(
    r"(?i)(?:^\w+,\s+|\b(?:acord\w+|se acord[oó]|decidi\w+|resolvi\w+|agreed to|decided to|"
    r"resolved to)\s+)"
)


def _on_heading(ctx: DocContext, s: Sentence, state: _State) -> None:
    state.lead = _lead_verb(s.text)
    if state.lead is not None:
        state.intro, state.seen_item, state.preamble = True, False, False
        return
    role = _heading_role(s.text)
    if role == "operative":
        state.heading, state.heading_fresh, state.preamble = True, True, False
        state.adopters = state.adopters or _declaring_parties(ctx)
    elif role == "preamble" or not state.heading_fresh:
        state.heading = state.heading_fresh = False
    if role == "preamble":
        state.intro, state.preamble = False, True
    if _is_intro(s.text):
        _open_intro(ctx, s, state)


def _open_intro(ctx: DocContext, s: Sentence, state: _State) -> None:
    state.intro, state.seen_item, state.preamble = True, False, False
    state.intro_kind = "recommendation" if _RECOMMEND.search(s.text) else None
    verb = _INTRO_STEM.search(s.text)
    state.adopters = _adopters(ctx, s, verb.start() if verb else len(s.text))


def _parts(ctx: DocContext, s: Sentence, state: _State) -> list[tuple[Sentence, bool]]:
    """The sentence, or its parts around an inline introduction ("... mediante los
    siguientes lineamientos: Profundizar ..."), each with whether it is operative."""
    block = s.block
    if (lead := _lead_verb(s.text)) is not None:  # "1. Agradecer a:", "To thank:"
        state.lead, state.intro, state.seen_item, state.preamble = lead, True, False, False
        return []
    inline = _INLINE_INTRO.search(s.text)
    if inline and operative_start(s.text[inline.end() :]):
        head = _sub_sentence(s, 0, inline.start(), "")
        tail = _sub_sentence(s, inline.end(), len(s.text), "")
        state.intro, state.seen_item = True, True
        state.intro_kind = "recommendation" if _RECOMMEND.search(s.text) else None
        # the list's lead often has its subject elided ("Subrayaron la conveniencia de que la
        # Proceso continúe ..., mediante las siguientes acciones:"): the declaring parties
        state.adopters = _pronoun_group(ctx, s, inline.start()) or _declaring_parties(ctx)
        return [(head, False), (tail, True)]
    if _is_intro(s.text):
        _open_intro(ctx, s, state)
        adopts = _COLLECTIVE_ACT.search(s.text)
        if adopts and adopts.group("adopt") and _NAMED_INSTRUMENT.search(s.text, adopts.end()):
            return [(s, False)]  # "adoptan la siguiente Declaración denominada “...”:"
        return []
    if len(s.text) < 40 and _heading_role(s.text.rstrip(" :")) == "preamble":
        state.heading = state.intro = False  # "CONSIDERANDO:" printed as a paragraph
        state.preamble = True
        return []
    if _preamble_opening().match(s.text) or (state.preamble and block.kind == "item"):
        return []  # "Reaffirming their commitment to ...": a reason, not a commitment
    if block.kind == "item" or state.numbered:
        state.seen_item, state.numbered = True, False
        if operative_start(s.text) is not None:
            state.lead = None  # "2. Instar a ...": the list of the lead-in above has ended
        return [(s, state.heading or state.intro)]
    if state.lead is not None and _BARE_BULLET.fullmatch(s.text):
        return []  # "-" on a line of its own, its item on the next line: the list goes on
    lead_object = _LEAD_OBJECT.match(s.text)
    if state.lead is not None and lead_object and s.sentence_start_of_block():
        # "Chile, por su propuesta ...": a bullet (in a symbol font) the reader did not see
        return [(_sub_sentence(s, lead_object.start("object"), len(s.text), ""), True)]
    state.lead = None
    # a paragraph: operative when it opens like an item, and it ends an introduced list
    # when it does not
    starts = operative_start(s.text, item=False) is not None
    if state.intro and not starts and (state.seen_item or s.sentence_start_of_block()):
        state.intro = False
    if state.intro and starts:
        state.seen_item = True
        return [(s, True)]
    return [(s, state.heading and starts)]


_AGREED_THAT = quick(
    r"(?i)^.{0,60}?\b(?:agreed|acord[oó]|decided|decidi[oó]|resolved)\s+(?:that|que)\s+"
)
_CLAUSE_CUT = quick(r"(?i),?\s+(?:and|y)\s+(?:that|que)\s+")


def _clauses(s: Sentence) -> list[Sentence]:
    """Split "It was agreed that A will ... and that B will ..." into one clause per actor;
    each later clause keeps the lead ("It was agreed that") so it reads as a sentence."""
    lead = _AGREED_THAT.match(s.text)
    cuts = [m for m in _CLAUSE_CUT.finditer(s.text)] if lead else []
    if not lead or not cuts:
        # the cheap search first: most sentences have no second request
        request = _REQUEST_CLAUSE.search(s.text)
        if request is not None and not operative_start(s.text):
            request = None
        if request:  # "To welcome the study, and to ask the TS to ...": a new actor
            return [
                _sub_sentence(s, 0, request.start(), ""),
                _sub_sentence(s, request.start("rest"), len(s.text), ""),
            ]
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


def _commitment(ctx: DocContext, s: Sentence, operative: bool, state: _State) -> Commitment | None:
    text = s.text
    kind: CommitmentKind = "agreement" if operative else "commitment"
    forward = True
    responsible: list[ActorRef] | None = None
    rule = "rule:commitment-agreements" if operative else "rule:commitment-normative"
    if operative:
        start = operative_start(text)
        if start is None and _CONTINUED_REQUEST.match(text):
            # "To analyze X's proposal and request such agencies to submit it": the second
            # verb of an item, split off by _clauses, is an order of its own
            start = operative_start(text[:1].upper() + text[1:])
        if text.rstrip().endswith(":") and operative_start(text, item=False) is None:
            return None  # "Regarding the Working Group to Define ...:" heads the items below
        if start is None and state.lead is not None:
            kind, forward = state.lead.kind, state.lead.forward
            rule = "rule:commitment-lead-in-item"  # "Agradecer a: - Chile, por su ..."
            responsible = list(state.adopters)
        elif start is not None:
            verb, _end = start
            kind, forward = verb.kind, verb.forward
            if kind == "agreement" and state.intro and state.intro_kind:
                kind = state.intro_kind
            rule = "rule:commitment-operative-item"
            if kind == "request":
                responsible = _imperative_actors(ctx, s)
            else:
                responsible = _imperative_actors(ctx, s) or list(state.adopters)
        elif _ASKED.search(text):
            kind = "request"
            responsible = _asked_actors(ctx, s)
        elif suggested := _SUGGESTED.match(text):
            kind = "recommendation"  # "It was suggested that every delegation revise ..."
            responsible = _np_actors(ctx, s, suggested.end()) or _groups_after(ctx, s, 0)
        elif _MODAL.search(text) or _NORMATIVE_ANYWHERE.search(text) or _INTENTION.search(text):
            responsible = _subject(ctx, s)
        elif _DECLARED.match(text):
            kind = "commitment"
            responsible = _declaring_parties(ctx)
        elif (rec := _RECOMMENDS_THAT.search(text)) is not None:
            kind = "recommendation"
            responsible = _np_actors(ctx, s, rec.end())
        elif not s.sentence_start_of_block() and _DECIDED.search(text):
            forward = False  # "For that purpose, they have adopted the annexed plan."
            rule = "rule:commitment-decided"
            responsible = list(state.adopters)
        else:
            return None
    else:
        m = _NORMATIVE_ANYWHERE.search(text)
        if m is None and _AGENDA.search(text):
            return None  # "Participants will also address issues such as ...": the agenda
        if m and _REPORTED_SPEECH.search(text[: m.start()]):
            m = None  # someone reporting an agreement made elsewhere
        if m and re.search(r"(?i)\bto\s+(?:\w+\s+)?$", text[: m.start()]):
            m = None  # "it is necessary to agree first on ...": an infinitive, not a decision
        if m and m.group().lower().endswith("that") and _opinion(text[m.end() :]):
            return None  # "they agreed that the forum is ideal for ...": a view, not an action
        reaffirmed = _REAFFIRMED_COMMITMENT.search(text)
        if reaffirmed and _REPORTED_SPEECH.search(text[: reaffirmed.start()]):
            reaffirmed = None
        if reaffirmed and _CHANCE_TO.search(text[: reaffirmed.start()]):
            reaffirmed = None  # "fue una oportunidad de reafirmar el compromiso": a chance, said
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
        elif reaffirmed:
            kind = "commitment"
            rule = "rule:commitment-reaffirmed"
            responsible = _subject(ctx, s, before=reaffirmed.start())
            responsible = responsible or _pronoun_group(ctx, s, reaffirmed.start())
        elif (act := _collective_act(ctx, s)) is not None:
            return act
        elif (pledge := _PLEDGE.search(text)) and not _REPORTED_SPEECH.search(
            text[: pledge.start()]
        ):
            kind = "commitment"
            rule = "rule:commitment-pledge"
            # the subject, else whom it speaks for ("On behalf of Canada, the Minister …")
            responsible = _subject(ctx, s, before=pledge.start()) or _refs(
                ctx, s, 0, pledge.start()
            )
        elif _FIRST_PERSON_REQUEST.search(text):
            kind = "request"
            rule = "rule:commitment-request"
            that = _FIRST_PERSON_REQUEST.search(text)
            assert that is not None
            responsible = _np_actors(ctx, s, that.end())
        elif _body_will(ctx, s):
            responsible = _body_will(ctx, s)
        elif (collective := _COLLECTIVE_WILL.match(text)) is not None and _collective_subject(
            s, text
        ):
            # "The countries will continue working on ...", "Los países continuarán ..."
            responsible = _pronoun_group(ctx, s, collective.end()) or _adopters(
                ctx, s, collective.end()
            )
        elif (said := _collective_said(s)) is not None:
            # "The Vice-Ministers stated that 'the Conference will be ...'": what the
            # meeting's collective declares it will do
            rule = "rule:commitment-collective-declared"
            responsible = _adopters(ctx, s, said)
        else:
            return None
    if _RECOMMEND.search(text[:60]) and kind not in ("agreement", "request"):
        kind = "recommendation"
    return Commitment(
        local_id="",
        text=text,
        kind=kind,
        span=evidence_span(s.seg),
        responsible=responsible or [],
        provision=s.block.number,
        method=rule if forward else f"{rule}+no-future-action",
        forward_looking=forward,
    )


def _collective_act(ctx: DocContext, s: Sentence) -> Commitment | None:
    """What the meeting's collective (the Vice-Ministers, the delegations, the countries,
    "they") committed to, decided, asked of someone, recommended or adopted, in running prose:
    "The Vice-Ministers instructed the Technical Secretariat to ...", "Los Representantes ...
    adoptan la siguiente Declaración". A single state's words are statements, not decisions."""
    text = s.text
    m = _COLLECTIVE_ACT.search(text)
    if m is None:
        return None
    subject = text[: m.start()]
    first = next((x for x in s.mentions if x.start < m.start()), None)
    collective = (
        _collective_subject(s, subject)
        or (first is not None and first.kind == "process" and first.start < 40)
        # "The Vice-Ministers: ... Instructed the TS to ...": the subject is the list's lead
        or (not subject.strip() and text[:1].isupper())
    )
    if not collective or _REPORTED_SPEECH.search(subject):
        return None
    if m.group("request") and not re.match(
        r"(?i)\s+(?:the|la|el|a|al|a la|a los)?\s*[\w\s-]{0,80}?"
        r"\b(?:to|que|para que|a\s+\w{2,}(?:ar|er|ir))\b",
        text[m.end() :],
    ):
        return None  # "requested information": nothing asked of anyone
    if m.group("adopt"):  # a decision; the enacting formula is quoted from its verb on
        enacting = re.match(
            r"(?i)\s*(?:the|la|el|las|los)\s+(?:following|siguientes?)\b", text[m.end() :]
        )
        if enacting and not _NAMED_INSTRUMENT.search(text, m.end()):
            return None  # "approved the following declaration:" announces the text below
        clause = _sub_sentence(s, m.start() if enacting else 0, len(text.rstrip(" :")), "")
        return Commitment(
            local_id="",
            text=clause.text,
            kind="agreement",
            span=evidence_span(clause.seg),
            responsible=_adopters(ctx, s, m.start()),
            method="rule:commitment-adopted+no-future-action",
            forward_looking=False,
        )
    if m.group("thank"):  # "The Vice-Ministers thanked Chile for ...": no future action
        if _collective_subject(s, subject) and not _DECLARING_COLLECTIVE.search(subject):
            return None  # "Vice-Minister Ortiz thanked ...": one person's courtesy
        return Commitment(
            local_id="",
            text=text,
            kind="agreement",
            span=evidence_span(s.seg),
            responsible=_adopters(ctx, s, m.start()),
            provision=s.block.number,
            method="rule:commitment-collective-thanks+no-future-action",
            forward_looking=False,
        )
    kind: CommitmentKind = "commitment"
    responsible = _adopters(ctx, s, m.start())
    if m.group("request"):
        kind = "request"
        responsible = _np_actors(ctx, s, m.end()) or responsible
    elif m.group("recommend"):
        kind = "recommendation"
    elif re.match(r"(?i)decid|resol", m.group()):
        kind = "agreement"
    return Commitment(
        local_id="",
        text=text,
        kind=kind,
        span=evidence_span(s.seg),
        responsible=responsible,
        provision=s.block.number,
        method="rule:commitment-collective",
    )


def _collective_said(s: Sentence) -> int | None:
    """Where the meeting's collective declares that something will be done ("the delegations
    stated that the network will ...", "los Viceministros afirmaron que se fortalecerá ..."):
    the declaring verb's position, when a modal or a future follows it."""
    said = _COLLECTIVE_SAID.search(s.text)
    if said is None:
        return None
    subject = _DECLARING_COLLECTIVE.search(s.text, max(0, said.start() - 120), said.start())
    if subject is None or any(
        x.kind == "state" and x.start < subject.start() + 40 and x.start >= subject.start()
        for x in s.mentions
    ):
        return None
    return said.start() if _MODAL.search(s.text, said.end()) else None


def _collective_subject(s: Sentence, subject: str) -> bool:
    """The subject names a collective ("the delegations", "Los Delegados de los Estados de
    ...") before any state: "the United States" is one state, not the "states"."""
    m = _COLLECTIVE_SUBJECT.match(subject)
    if m is None:
        return False
    return not any(x.kind == "state" and x.start < m.end() for x in s.mentions)


def _opinion(clause: str) -> bool:
    """A clause that states a view ("the network is a valuable space") rather than an
    action: a copula early on and no modal."""
    return bool(_OPINION_AGREED.match(clause.strip())) and not _MODAL.search(clause)


def _adopters(ctx: DocContext, s: Sentence, verb_pos: int) -> list[ActorRef]:
    """Who adopts the items an introducing sentence announces: the actors named before its
    verb ("the RCGM concluded:"), a collective ("the countries agreed:", "they agreed:"),
    else the document's declaring parties."""
    refs = _refs(ctx, s, 0, verb_pos)
    processes = [r for r in refs if r.kind == "process"]
    if processes:  # "the members of both processes (...) have agreed"
        return processes
    refs = [r for r in refs if r.kind in ("body", "organization")]
    if refs:  # "the RCGM concluded:"
        return refs[-1:]
    groups = [g for pos, g in ctx.groups(s, "rule:commitment") if pos < verb_pos]
    if groups:
        return [_labelled(ctx, g) for g in groups[-1:]]
    pronoun = re.search(r"(?i)\b(they|we|the countries|the participants)\b", s.text[:verb_pos])
    if pronoun:
        span = s.seg.span(pronoun.start(1), pronoun.end(1))
        return [_group(ctx, "participating-countries", span)]
    return _declaring_parties(ctx)


def _group(ctx: DocContext, key: str, span: Span) -> ActorRef:
    return group(ctx, key, span, "rule:commitment")


def _labelled(ctx: DocContext, ref: ActorRef) -> ActorRef:
    return labelled(ctx, ref)


def _groups_after(ctx: DocContext, s: Sentence, pos: int) -> list[ActorRef]:
    return [_labelled(ctx, g) for p, g in ctx.groups(s, "rule:commitment") if p >= pos][:1]


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
        for _pos, collective in ctx.groups(s, "rule:commitment"):
            if collective.key in ("member-countries", "participating-countries"):
                return [labelled(ctx, collective)]
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
    """The collective a pronoun or a generic phrase stands for, labelled by what it is:
    "They agreed" and "The countries agreed" are the participating countries, "We agree" the
    parties that declare."""
    m = re.match(
        r"(?i)^(?:[A-Z][a-z]+,\s+)?(they|the states present|the countries|countries|we|nosotros)\b",
        s.text,
    )
    if m and m.end() <= pos:
        if m.group(1).lower() in ("we", "nosotros"):
            return _declaring_parties(ctx)
        span = s.seg.span(m.start(1), m.end(1))
        return [_group(ctx, "participating-countries", span)]
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


_BODY_FUTURE = quick(
    r"(?i)\b(will|shall)\s+(?!be\b)(\w+)|\b(?!ser[aá]n?\b)\w{2,}(?:ará|erá|irá|arán|erán|irán)\b"
)


def _body_will(ctx: DocContext, s: Sentence) -> list[ActorRef]:
    for m in _BODY_FUTURE.finditer(s.text):
        refs = [r for r in _refs(ctx, s, max(0, m.start() - 70), m.start()) if r.kind == "body"]
        if refs and not re.search(r"(?i)\b(could|would|can)\b", s.text[: m.start()][-30:]):
            return refs
    return []

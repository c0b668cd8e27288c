"""Meetings and events: the one(s) a document reports on, and those it mentions or plans.

The reported meeting is named in the title block (the headings before the first paragraph) or,
failing that, in the first sentence that says who *held* or *convened* what. Its dates and
place come from the title block or the opening paragraphs. A year the text does not give is
completed only from the document's own year and only for a date that lies ahead of the
document's date in a sentence that speaks of the future ("to be held", "will", "no later than");
otherwise the date stays open and a warning says so.

Other events are date expressions next to an event noun ("the regional workshop on return (to be
held on 2-3 April in Quito)"); the same date twice is one event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from typing import Literal, cast

from rcm_graph.model.facts import (
    ActorRef,
    Count,
    DateValue,
    Meeting,
    MeetingKind,
    Place,
    Span,
)
from rcm_graph.stages.extraction.context import DocContext, Sentence
from rcm_graph.stages.extraction.dates import (
    YEAR_FROM_DATELINE,
    YEAR_FROM_HEADING,
    YEAR_FROM_MEETING,
    YEAR_FROM_SENTENCE,
    DateMatch,
    YearContext,
    date_key,
    days_within,
    document_year,
    infer_year,
    with_year,
    year_from_text,
)
from rcm_graph.stages.extraction.gazetteer import gazetteer
from rcm_graph.stages.extraction.lexicons import table
from rcm_graph.stages.extraction.ordinals import (
    fold,
    is_roman,
    may_hold_ordinal,
    ordinal_pattern,
    ordinal_value,
)
from rcm_graph.stages.extraction.prefilter import quick

_KINDS: list[tuple[str, MeetingKind]] = [
    (
        r"vice[-\s]?ministerial|viceministerial|"
        r"(?:of|de) (?:the |los )?vice[-\s]?minist(?:ers|ros)",
        "vice-ministerial-meeting",
    ),
    (r"forum of champion countries|foro de pa[ií]ses campeones", "forum-of-champion-countries"),
    (r"troikas?\b", "troika-meeting"),
    (r"plenary meeting|reuni[oó]n plenaria|plenary consultation|plenaria", "plenary-meeting"),
    (r"working meeting|reuni[oó]n de trabajo|work session", "working-meeting"),
    (
        r"online meeting|virtual meeting|videoconference|reuni[oó]n virtual|videoconferencia",
        "online-meeting",
    ),
    (
        r"thematic (?:consultation|session)s?|consulta tem[aá]tica|sesi[oó]n tem[aá]tica",
        "thematic-consultation",
    ),
    (
        r"regional review|revisi[oó]n regional|review forum|examen regional|review of the (?:gcm|"
        r"global compact)|examen del pacto|revisi[oó]n del pacto",
        "regional-review",
    ),
    (
        r"technical meeting|reuni[oó]n t[eé]cnica|consultation group|grupo regional de consulta",
        "technical-meeting",
    ),
    (r"workshop|taller|seminar|seminario", "workshop"),
    (r"\bconference\b|\bconferencia\b|summit|cumbre|dialogue|di[aá]logo", "conference"),
]
_EVENT_NOUN = quick(
    r"(?i)\b(meetings?|reuni[oó]n(?:es)?|forum|foro|event|evento|sessions?|sesi[oó]n|"
    r"consultations?|consulta|videoconference|videoconferencia|conference|conferencia|"
    r"dialogue|di[aá]logo|review|workshop|taller|summit|cumbre|encounter|encuentro|plenary)\b"
)
_MEETING_NOUNS = (
    r"meeting|reuni[oó]n|forum|foro|conference|conferencia|workshop|taller|"
    r"dialogue|di[aá]logo|seminar|seminario|"
    r"consultation|consulta|encounter|encuentro|session|sesi[oó]n|summit|cumbre|review"
)
_REPORTED_NOUN = quick(rf"(?i)\b({_MEETING_NOUNS})\b")
# a meeting noun after at most two words ("la reunión", "la reunión semestral", "the annual
# regional meeting")
_NOUN_AHEAD = re.compile(rf"(?i)(?:[\w-]+\s+){{0,2}}?(?:{_MEETING_NOUNS})\b")
_FUTURE = quick(
    r"(?i)\b(to be held|will|shall|would be|scheduled|planned|next|upcoming|no later than|"
    r"organi[sz]ed for|a celebrarse|se (?:realizar|llevar)[aá]|pr[oó]xim[ao]|a m[aá]s tardar|"
    r"convene|tentative(?:ly)?|be held)\b"
)
_DEADLINE = re.compile(
    r"(?i)(no later than|not later than|by|before|until|deadline|a m[aá]s tardar(?: el)?|"
    r"antes del?|hasta el)\s*$"
)
_HELD = quick(
    r"(?i)\b(held|convened|organi[sz]ed|hosted|celebrated|took place|met|gathered|"
    r"celebr[oó]|realiz[oó]|convoc[oó]|organiz[oó]|se llev[oó] a cabo|se reunieron)\b"
)
_COUNT = quick(
    r"(?i)(?P<q>more than|over|about|around|approximately|nearly|almost|some|at least|"
    r"m[aá]s de|alrededor de|aproximadamente|cerca de|al menos)?\s*(?P<n>\d{1,4})\s+"
    r"(?P<w>representatives|participants|delegates|countries|delegations|organi[sz]ations|"
    r"states|representantes|participantes|delegados|pa[ií]ses|delegaciones|organizaciones|estados)\b"
)
CountWhat = Literal["representatives", "countries", "participants", "organizations", "delegations"]
CountQualifier = Literal["exact", "more-than", "about", "at-least"]
_COUNT_WHAT = {
    "represent": "representatives",
    "particip": "participants",
    "delegat": "delegations",
    "delegad": "delegations",
    "delegac": "delegations",
    "countr": "countries",
    "pa": "countries",
    "organi": "organizations",
    "state": "countries",
    "estad": "countries",
}
_QUALIFIER = {
    "more than": "more-than",
    "over": "more-than",
    "más de": "more-than",
    "mas de": "more-than",
    "at least": "at-least",
    "al menos": "at-least",
}


_NAME_LEAD = re.compile(
    r"(?i)^(?:(?:report|informe|minutes|acta|relator[ií]a)\s+(?:from|of|on|de|del|sobre)|"
    r"(?:joint\s+|final\s+)?(?:declaration|statement|communiqu[eé]|declaraci[oó]n|comunicado)"
    r"(?:\s+conjunt[oa]|\s+final)?\s+(?:of|from|de|del)|"
    r"(?:adopted|approved|signed|issued|agreed|adoptad[ao]|aprobad[ao]|suscrit[ao]|firmad[ao])\s+"
    r"(?:at|in|during|by|en|durante|por))\s+(?:the\s+|la\s+|el\s+)?"
)


_ORDINAL_RE = re.compile(ordinal_pattern(), re.IGNORECASE)


def meeting_kind(name: str) -> MeetingKind:
    low = name.lower()
    for pattern, kind in _KINDS:
        if re.search(pattern, low):
            return kind
    return "meeting"


def ordinal_of(name: str) -> int | None:
    """The first ordinal of a meeting name ("XXXIV", "Fifth", "Trigésima Segunda", "19th")."""
    if not may_hold_ordinal(name):
        return None
    for m in _ORDINAL_RE.finditer(name):
        value = ordinal_value(m.group("ord"))
        if value:
            return value
    return None


# words of a meeting name that name nothing (articles, "meeting"), English and Spanish
_GENERIC_NAME_WORDS = frozenset(
    "the a an of its this that meeting meetings session sessions event "  # noqa: SIM905
    "la el los las un una de del su esta este reunion reuniones sesion sesiones evento".split()
)


def _drop_ordinal(m: re.Match[str]) -> str:
    """An ordinal word goes; a run of Roman letters only as a numeral ("XXI", not "Civil")."""
    text = m.group()
    if re.fullmatch(r"[IVXLC]+", text, re.IGNORECASE) and not (text.isupper() and is_roman(text)):
        return text
    return " "


def names_only_its_kind(name: str) -> bool:
    """Whether a meeting name says no more than its kind and ordinal ("the Fifth Meeting",
    "la Primera Reunión Plenaria"). Such a name cannot tell one forum's meeting from another's,
    so it must not identify a meeting across documents (the mapping's ``meeting_iri``)."""
    low = fold(_ORDINAL_RE.sub(_drop_ordinal, name))
    for pattern, _kind in _KINDS:
        low = re.sub(pattern, " ", low)
    return all(w in _GENERIC_NAME_WORDS or w.isdigit() for w in re.findall(r"\w+", low))


def title_sentences(ctx: DocContext) -> list[Sentence]:
    """Sentences of the title block: the headings before the first real paragraph."""
    out = []
    for s in ctx.sentences:
        if s.block.kind == "paragraph" and len(s.block.text) > 120:
            break
        if s.block_index > 12:
            break
        out.append(s)
    return out


def opening_sentences(ctx: DocContext, n_paragraphs: int = 2) -> list[Sentence]:
    out = []
    paragraphs = 0
    last_block = -1
    for s in ctx.sentences:
        if s.block_index != last_block and s.block.kind == "paragraph" and len(s.block.text) > 120:
            paragraphs += 1
            if paragraphs > n_paragraphs:
                break
        last_block = s.block_index
        out.append(s)
    return out


def _noun_outside_names(s: Sentence, start: int = 0) -> re.Match[str] | None:
    """An event noun that is not part of a name ("Regional *Conference* on Migration")."""
    for m in _REPORTED_NOUN.finditer(s.text, start):
        if not any(x.start <= m.start() < x.end for x in s.mentions):
            return m
    return None


# what may precede the meeting noun in a paragraph that opens with the meeting's name:
# capitalised words and ordinals ("Technical Meeting", "La Segunda Reunión")
_NAME_OPENING = re.compile(
    r"(?:(?:The|La|El|Los|Las|A|An|Una?)\s+)?(?:[A-ZÁÉÍÓÚÑ0-9][\w'’-]*\s+){0,6}"
)


def _reported_name(ctx: DocContext, title: list[Sentence]) -> tuple[Sentence, int, int, str] | None:
    """The reported meeting's name: in the title block ("title"), opening the first paragraph
    ("opening"), or after the first held verb of the first paragraph ("held")."""
    for s in title:
        if s.block.kind == "footnote":
            continue
        m = _noun_outside_names(s)
        if m:
            start = 0
            rm = _NAME_LEAD.match(s.text)
            if rm:
                start = rm.end()
            end = _name_end(s, m.end())
            return s, start, end, "title"
    for s in opening_sentences(ctx, 1)[len(title) : len(title) + 1]:
        # a first paragraph that opens with the meeting's name ("Technical Meeting between ...")
        m = _noun_outside_names(s)
        if m and m.start() < 60 and _NAME_OPENING.fullmatch(s.text[: m.start()]):
            stop = re.search(
                r"(?i)\s(?:for purposes|in order|with the aim|held|to generate|was|were|se|"
                r"took place|tuvo lugar|met|realizad[oa]|celebrad[oa]|llevad[oa])\b|,",
                s.text[m.end() :],
            )
            end = _name_end(s, m.end())  # a date, a place, a verb it is the subject of …
            if stop is not None:
                end = min(end, m.end() + stop.start())
            return s, 0, min(end, len(s.text)), "opening"
    for s in opening_sentences(ctx, 1):
        held = _HELD.search(s.text)
        if held:
            m = _REPORTED_NOUN.search(s.text, held.end())
            if m and m.start() - held.end() < 120:
                start = held.end() + 1
                quote = re.search(r"[“\"]", s.text[held.end() : m.start()])
                if quote:
                    start = held.end() + quote.end()
                lead = re.match(
                    r"(?i)(?:for|at|in|to|para|en|a)\s+(?:the\s+|la\s+|el\s+)?", s.text[start:]
                )
                if lead:
                    start += lead.end()
                end = _name_end(s, m.end())
                return s, start, end, "held"
    return None


_OF_CITY = re.compile(r"\s+(?:of|de)\s*$")


def _name_end(s: Sentence, after_noun: int) -> int:
    """End a meeting name at a date, a place, a quote or the end of the heading line.

    A comma ends it too, except inside a title's enumeration ("… for Safe, Regular and
    Orderly Migration") or before a further word of a heading in capitals."""
    stops = [len(s.text)]
    for d in s.dates:
        if d.start >= after_noun:
            stops.append(d.start)
    for mention in s.mentions:
        if mention.kind == "city" and mention.start >= after_noun:
            of_city = _OF_CITY.search(s.text, after_noun, mention.start)
            # "II International Meeting of Quito": the city names the meeting, then ends it
            stops.append(mention.end if of_city else mention.start)
            break
    for q in re.finditer(
        r"[”\"]| in (?=[A-Z])| held\b|,|\s(?:Date|Fecha|Place|Lugar|Venue|Sede)\s*:|"
        r"\s(?:this|last|next) (?:week|month)\b|\s(?:today|yesterday|esta semana|hoy|ayer)\b|"
        r"\s(?:within|in) the framework\b|\sen el marco\b",
        s.text[after_noun:],
    ):
        if q.group() == "," and _ENUMERATION.match(s.text, after_noun + q.end()):
            continue
        stops.append(after_noun + q.start())
        break
    verb = _TOOK_PLACE.search(s.text, after_noun)
    if verb:
        stops.append(verb.start())
    ends = _NAME_THEN_VERB.search(s.text, after_noun)
    if ends:
        stops.append(ends.start())
    if s.block.kind != "heading":
        stops.append(min(len(s.text), after_noun + 160))
    return min(stops)


# the verb a meeting's name is the subject of: "La VIII Reunión Anual del MIRPS concluyó con
# …", "The Forum closed with …"
_NAME_THEN_VERB = quick(
    r"(?i)\s(?:concluded|ended|closed|opened|began|started|adopted|approved|finished|"
    r"conclu(?:y[oó]|ye)|culmin[oó]|finaliz[oó]|cerr[oó]|clausur[oó]|inici[oó]|comenz[oó]|"
    r"aprob[oó]|adopt[oó]|termin[oó])\b"
)
# ", Regular and Orderly": a comma inside a capitalised enumeration does not end a name
_ENUMERATION = re.compile(
    r"\s*[A-ZÁÉÍÓÚ][\w-]+(?:,\s*[A-ZÁÉÍÓÚ][\w-]+)*,?\s+(?:and|y|e)\s+[A-ZÁÉÍÓÚ]"
)
# verbs that report a meeting as taking or having taken place, English and Spanish
_TOOK_PLACE = quick(
    r"(?i)\b(took place|taken place|takes place|tuvo lugar|tiene lugar|(?:was|were) held|"
    r"is being held|held|met|gathered|gathering|meeting (?=in|at)|convened|hosted|hosts|"
    r"assembled|meeting(?=,?\s+on\s+(?:the\s+)?(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|"
    r"nov|dec)[a-z]*\s+\d))|congregad[oa]s|"
    r"(?:are|is|were) meeting|"
    r"(?:was|were) opened|"
    r"se llev[oó] a cabo|se lleva a cabo|llevad[oa] a cabo|se realiz[oó]|se realiza|"
    r"realizad[oa]s?|se celebr[oó]|se celebra|celebrad[oa]s?|se reunieron|se reuni[oó]|"
    r"se re[uú]nen?|reunid[oa]s|se inaugur[oó]|inaugur[oó]|inaugurad[oa]|se desarroll[oó]|"
    r"se desarrolla|fue (?:la )?sede d(?:el|e la|e)|was the venue (?:of|for)|"
    # "took part in a meeting of the … in Tegucigalpa": taking part says the meeting was held
    r"(?:took part|participated|participaron|asistieron)\s+(?:in|at|en|a)\s+(?:a|an|the|la|el|"
    r"una)(?=\s+(?:[\w-]+\s+){0,3}?(?:meeting|conference|forum|workshop|seminar|session|"
    r"reuni[oó]n|conferencia|foro|taller|seminario|sesi[oó]n)\b))\b"
)
_TODAY = quick(r"(?i)\b(today|this morning|hoy|esta ma[nñ]ana|en el d[ií]a de hoy)\b")
_NOT_YET = re.compile(
    r"(?i)(?<!\w)(?:to be|will be|would be|shall be|is to be|a|para|por|ser[aá]n?|"
    r"pr[oó]xim[ao])\s+$"
)
# ordinal + meeting noun: "XXXIV Vice-Ministerial Meeting", "Decimotercera Reunión", "fifth meeting"
# between the ordinal and the noun only capitalised words or a meeting's adjectives ("XXXIV
# Vice-Ministerial Meeting", "fifth regional meeting"), never a clause ("I attended the meeting")
_SERIES_NOUN = re.compile(
    r"\s+(?:(?:[A-ZÁÉÍÓÚ][\w-]*|(?i:regional|plenary|technical|extraordinary|ordinary|"
    r"annual|vice-ministerial|ministerial|bi-regional|virtual))\s+){0,3}?"
    r"(?i:(meeting|reuni[oó]n|conference|conferencia|forum|foro|"
    r"plenary|plenaria|session|sesi[oó]n|encounter|encuentro|summit|cumbre|workshop|taller|"
    r"dialogue|di[aá]logo|consultation|consulta|"
    # "the third Los Angeles Declaration Ministerial": the adjective standing for the meeting
    r"ministerial(?!\s+(?:meeting|conference|forum|session|summit|dialogue|consultation)\b)"
    r"))\b"
)
_MEETING_ADJ = re.compile(
    r"(?i)\s+(?:plenaria|viceministerial|vice-ministerial|extraordinaria|ordinaria|anual|"
    r"t[eé]cnica|regional|bi-?regional|(?:of|de)\s+(?:the\s+|los\s+)?vice[-\s]?minist(?:ers|ros))\b"
)
_LINK = re.compile(
    r"(?i)\s*(?:\([A-Z][A-Za-z-]{1,8}\)\s*)?(?:of|de|del|between|entre|among)\s+"
    r"(?:the\s+|la\s+|el\s+|las\s+|los\s+)?$"
)
_AND_LINK = re.compile(
    r"(?i)\s*(?:\([A-Z][A-Za-z-]{1,8}\)\s*)?(?:and|y|e)\s+(?:the\s+|la\s+|el\s+)?$"
)
_CONFERENCE_ACRONYM = re.compile(r"[^,.;()]{0,50}\((?P<acr>[A-Z]{2,6})\)")
_ACRONYM_AFTER = re.compile(r"\s*\((?:[IVXLC]+\s+)?[A-Z][A-Za-z-]{1,8}\)")


@dataclass(frozen=True)
class _Named:
    """A meeting named in a sentence: where, its ordinal and the label it gets in the graph."""

    sentence: Sentence
    start: int
    end: int
    ordinal: int | None
    label: str
    rule: str
    process: str | None = None  # the conference it is a meeting of, when its name says so


def _process_names() -> dict[str, tuple[str, str | None]]:
    """English name and acronym of each consultative process, from the reference data."""
    from rcm_graph.reference.tables import reference_data

    return {o.key: (o.name_en, o.acronym_en) for o in reference_data().organizations}


_ES_NOUNS = {
    "reunión": "Meeting",
    "reunion": "Meeting",
    "conferencia": "Conference",
    "foro": "Forum",
    "taller": "Workshop",
    "seminario": "Seminar",
    "encuentro": "Encounter",
    "sesión": "Session",
    "sesion": "Session",
    "cumbre": "Summit",
    "diálogo": "Dialogue",
    "dialogo": "Dialogue",
    "consulta": "Consultation",
}
_ES_ADJECTIVES = {
    "anual": "Annual",
    "viceministerial": "Vice-Ministerial",
    "plenaria": "Plenary",
    "técnica": "Technical",
    "tecnica": "Technical",
    "extraordinaria": "Extraordinary",
    "ordinaria": "Ordinary",
    "regional": "Regional",
    "ministerial": "Ministerial",
    "internacional": "International",
    "virtual": "Virtual",
    "intersesional": "Intersessional",
    "binacional": "Binational",
    "hemisférica": "Hemispheric",
    "hemisferica": "Hemispheric",
    "semestral": "Semi-annual",
    "bienal": "Biennial",
    "trimestral": "Quarterly",
    "subregional": "Subregional",
    "bilateral": "Bilateral",
    "trilateral": "Trilateral",
    "especial": "Special",
    "conjunta": "Joint",
    "consultiva": "Consultative",
    "preparatoria": "Preparatory",
}
_ES_NAME = re.compile(
    r"(?i)^(?P<ord>[IVXLC]+|\d{1,2}(?:ª|a|º|o)?)?\s*(?P<noun>[^\W\d_]+)"
    r"(?P<adjs>(?:\s+[^\W\d_]+){0,3}?)"
    r"(?:\s+(?P<link>del|de la|de los|de las|de|entre|en)\s+(?P<holder>.+))?$"
)


_HOLDER_ACRONYM = re.compile(r"\(([A-Z]{2,8})\)\s*$")


def english_name(name: str) -> str | None:
    """The English label of a Spanish meeting name of the common shape: an ordinal, a meeting
    noun, its adjectives and its holder ("II Reunión Anual del MIRPS" -> "II Annual Meeting of
    the MIRPS", "Taller Regional de la OIM" -> "Regional Workshop of the IOM"). The holder must
    be a known actor, named by its acronym as written or by its English name; any other shape
    is kept as written (None)."""
    m = _ES_NAME.match(name.strip())
    if m is None or m.group("noun").lower() not in _ES_NOUNS:
        return None
    adjectives = []
    for word in (m.group("adjs") or "").split():
        english = _ES_ADJECTIVES.get(word.lower())
        if english is None:
            return None
        adjectives.append(english)
    parts = [m.group("ord")] if m.group("ord") else []
    parts += [*adjectives, _ES_NOUNS[m.group("noun").lower()]]
    holder = m.group("holder")
    if holder:
        bracketed = _HOLDER_ACRONYM.search(holder)
        if bracketed and gazetteer().acronym(bracketed.group(1)) is not None:
            holder = bracketed.group(1)  # "de la Comisión … de Migración (OCAM)": the OCAM
        found = gazetteer().find(holder)
        if len(found) != 1 or found[0].start != 0 or found[0].end < len(holder.rstrip()):
            return None  # the holder is more than one known name
        actor = found[0]
        link = m.group("link").lower()
        if actor.kind == "city":
            if link != "en":
                return None
            parts += ["in", actor.key.split("|")[0]]  # "Reunión en Lima" -> "Meeting in Lima"
            return " ".join(parts)
        if actor.kind == "state" or link == "en":
            return None
        english, acronym = _process_names().get(actor.key, (actor.name, None))
        # an acronym in English ("OIM" -> "IOM", "MIRPS" stays), else the English name
        written = (acronym or actor.name) if actor.name.isupper() else english
        parts += ["between" if link == "entre" else "of the", written]
    return " ".join(parts)


def _to_roman(n: int) -> str:
    out = ""
    for value, letters in (
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out += letters
            n -= value
    return out


def _extend_over_processes(s: Sentence, end: int) -> int:
    """Run a name on through "of the RCM", "de la Conferencia … (CRM) y la CSM", "del MIRPS"
    (an organization that holds its own meetings)."""
    for mention in s.mentions:
        if mention.start < end or mention.kind not in ("process", "body", "organization"):
            continue
        acronym = _ACRONYM_AFTER.match(s.text, end)
        if acronym and mention.start < acronym.end():
            end = acronym.end()  # the acronym of the name just passed: "(CRM)"
            continue
        gap = s.text[end : mention.start]
        if _LINK.fullmatch(gap) or (_AND_LINK.fullmatch(gap) and end > 0):
            end = mention.end
            continue
        break
    acronym = _ACRONYM_AFTER.match(s.text, end)
    return acronym.end() if acronym else end


@cache
def _folded_process_names() -> tuple[tuple[str, str], ...]:
    """Every written name of a consultative process, without accents, longest first."""
    entries = gazetteer().entries
    names = {(fold(" ".join(n.split())), e.key) for n, e in entries.items() if e.kind == "process"}
    return tuple(sorted((n for n in names if " " in n[0]), key=lambda n: -len(n[0])))


def _unaccented_process(text: str, at: int) -> tuple[str, int] | None:
    """A process name right after ``at`` that the gazetteer missed for its missing accents."""
    lead = len(text[at:]) - len(text[at:].lstrip())
    if not 1 <= lead <= 2:
        return None
    start = at + lead
    window = fold(text[start : start + 80])
    for name, key in _folded_process_names():
        end = start + len(name)
        if window.startswith(name) and not text[end : end + 1].isalnum():
            return key, end
    return None


def series_meetings(s: Sentence) -> list[_Named]:
    """Meetings of a series named with their number: "XXXIV RCM", "Decimotercera Conferencia
    Sudamericana sobre Migraciones", "the 19th South American Conference on Migration (SACM)",
    "XXXIV Vice-Ministerial Meeting of the RCM", "la Decimotercera Reunión de la Conferencia …".

    A conference name preceded by an ordinal is one meeting of that conference; it is labelled
    in the graph with the conference's English name and a Roman numeral, so that the same
    meeting written in Spanish, in words or in figures gets one label."""
    out: list[_Named] = []
    text = s.text
    if not may_hold_ordinal(text):
        return out
    for m in _ORDINAL_RE.finditer(text):
        value = ordinal_value(m.group("ord"))
        if not value:
            continue
        process = next(
            (x for x in s.mentions if x.kind == "process" and 0 < x.start - m.end() <= 2), None
        )
        if process is not None and not text[m.end() : process.start].strip():
            end = _extend_over_processes(s, process.end)
            name, acronym = _process_names().get(process.key, (process.name, None))
            label = f"{_to_roman(value)} {name}" + (f" ({acronym})" if acronym else "")
            out.append(_Named(s, m.start(), end, value, label, "rule:series-meeting", process.key))
            continue
        unaccented = _unaccented_process(text, m.end())
        if unaccented is not None:
            # "XXXIV CONFERENCIA REGIONAL SOBRE MIGRACION": the name written without its accents
            key, end = unaccented
            name, acronym = _process_names().get(key, (key, None))
            label = f"{_to_roman(value)} {name}" + (f" ({acronym})" if acronym else "")
            out.append(_Named(s, m.start(), end, value, label, "rule:series-meeting", key))
            continue
        noun = _SERIES_NOUN.match(text, m.end())
        if noun is None or any(
            x.start < noun.end() and x.end > m.end() and x.kind != "organization"
            for x in s.mentions
        ):
            continue  # a forum's acronym may stand inside: "the Sixth MIRPS Annual Meeting"
        end = noun.end()
        paren = _CONFERENCE_ACRONYM.match(text, end)
        named_process = (
            next(
                (x for x in s.mentions if x.kind == "process" and x.start == paren.start("acr")),
                None,
            )
            if paren
            else None
        )
        if paren and named_process and re.match(r"(?i)conferen", noun.group(1)):
            # "la XXXIV Conferencia Regional de Migración (CRM)": a variant of the
            # conference's name, identified by its acronym
            name, english_acronym = _process_names().get(
                named_process.key, (named_process.name, None)
            )
            label = f"{_to_roman(value)} {name}" + (
                f" ({english_acronym})" if english_acronym else ""
            )
            out.append(
                _Named(
                    s,
                    m.start(),
                    paren.end(),
                    value,
                    label,
                    "rule:series-meeting",
                    named_process.key,
                )
            )
            continue
        adj = _MEETING_ADJ.match(text, end)
        if adj:
            end = adj.end()
        named_end = end
        end = _extend_over_processes(s, end)
        label = " ".join(text[m.start() : end].split())
        held_by = next(
            (x for x in s.mentions if x.kind == "process" and named_end <= x.start < end), None
        )
        held_key = held_by.key if held_by is not None else None
        if held_key is not None and meeting_kind(label) == "vice-ministerial-meeting":
            # "XXXII Reunión Viceministerial de la CRM", "XXXII Vice-Ministerial Meeting of the
            # Regional Conference on Migration": one label in either language
            name, acronym = _process_names().get(held_key, (held_key, None))
            label = f"{_to_roman(value)} Vice-Ministerial Meeting of the {name}" + (
                f" ({acronym})" if acronym else ""
            )
        out.append(_Named(s, m.start(), end, value, label, "rule:series-meeting", held_key))
    return out


def _held_verbs(s: Sentence) -> list[re.Match[str]]:
    """Verbs saying the meeting took place (not "to be held", "a celebrarse")."""
    return [
        v for v in _TOOK_PLACE.finditer(s.text) if not _NOT_YET.search(s.text[: v.start()][-14:])
    ]


def _day_dates(s: Sentence) -> list[DateMatch]:
    return [
        d
        for d in s.dates
        if d.first.day is not None and not _DEADLINE.search(s.text[: d.start][-30:])
    ]


_VENUE_VERB = re.compile(r"(?i)hosted|fue (?:la )?sede|was the venue")


def _held_sentence(ctx: DocContext, limit: int = 45) -> tuple[Sentence, int] | None:
    """The first sentence that reports a meeting as held: a past "held / took place / met /
    se realizó / reunidos en" verb, a meeting (a series name, a meeting noun, the conference or
    one of its bodies) and its day or its city. A sentence dated only by years or months
    ("in Quito in 1997", "en abril de 1998") recalls history, not the meeting reported on."""
    for s in ctx.sentences[:limit]:
        if s.block.kind == "footnote":
            continue
        verbs = [
            v for v in _held_verbs(s) if not _EARLIER.search(s.text[v.start() : v.end() + 90])
        ]  # "which hosted the annual meeting last year in Cochabamba": an earlier one
        if not verbs:
            continue
        refers = (
            series_meetings(s)
            or _noun_outside_names(s)
            or any(m.kind in ("process", "body") for m in s.mentions)
            or _gathering(s) is not None
        )
        if not refers:
            continue
        days = _day_dates(s)
        cities = [m for m in s.mentions if m.kind == "city"]
        if days or (cities and not s.dates):
            return s, verbs[0].start()
        venue = [v for v in verbs if _VENUE_VERB.match(v.group())]
        if venue and any(m.kind == "state" and m.end <= venue[0].start() for m in s.mentions):
            return s, venue[0].start()  # "El Salvador fue sede del foro de la CRM"
    return None


def _recalled(s: Sentence, named: _Named) -> bool:
    """A numbered meeting recalled with only its year ("the III Forum held in Sucre in 2029")
    is an earlier one, not the meeting the sentence reports."""
    clause_end = re.search(r"[,;]", s.text[named.end :])
    stop = named.end + clause_end.start() if clause_end else len(s.text)
    return any(
        named.end <= d.start < stop and d.first.day is None and d.first.month is None
        for d in s.dates
    )


def _held_name(s: Sentence, verb_at: int) -> _Named | None:
    """The meeting a held sentence names: a numbered one nearest the verb, else the meeting
    noun phrase next to it, else the conference or body that met."""
    series = [n for n in series_meetings(s) if not _recalled(s, n)] or series_meetings(s)
    if series:
        starts = [v.start() for v in _held_verbs(s)] or [verb_at]
        return min(series, key=lambda n: min(abs(n.start - v) for v in starts))
    verbs = [(v.start(), v.end()) for v in _held_verbs(s)]
    nouns = [
        m
        for m in _REPORTED_NOUN.finditer(s.text)
        if not any(x.start <= m.start() < x.end for x in s.mentions)
        and not any(a <= m.start() < b for a, b in verbs)  # "meeting in Lima" is the verb
        and abs(m.start() - verb_at) < 140
        and not _INFINITIVE_BEFORE.search(s.text, max(0, m.start() - 5), m.start())
    ]
    if nouns:
        noun = min(nouns, key=lambda m: abs(m.start() - verb_at))
        start = _phrase_start(s.text, noun.start())
        start = _capitalised_lead(s.text, start, noun.start())
        end = _name_end(s, noun.end())
        label = " ".join(s.text[start:end].split()).strip(' ,.;:“”"')
        return _Named(s, start, end, ordinal_of(label), label, "rule:held-meeting")
    for mention in s.mentions:
        if mention.kind in ("process", "body"):
            after = _ACRONYM_AFTER.match(s.text, mention.end)
            stop = after.end() if after else mention.end
            label = " ".join(s.text[mention.start : stop].split())
            return _Named(s, mention.start, stop, None, label, "rule:held-meeting")
    gathering = _gathering(s)
    if gathering is not None:
        return _gathered_meeting(s, gathering)
    return None


# "to review progress", "para consultar": a verb, not a meeting noun
_INFINITIVE_BEFORE = re.compile(r"(?i)\b(?:to|para)\s+$")
# the participle that gathers the sentence's subjects into a meeting the text does not name:
# "Los Viceministros de A, B y C, reunidos en Lima los días 12 y 13 de marzo", "The
# representatives of A and B, meeting on 3 and 4 September in Quito", "the ministers met in Lima"
_GATHERING = quick(
    r"(?i)\b(?:reunid[oa]s|congregad[oa]s|gathered|assembled|met|meeting(?=,?\s+(?:on|in|at)\s))\b"
)
# who gathers: people who represent states, or the states themselves (checked on mentions)
_GATHERED = quick(
    r"(?i)\b(?:ministers?|vice[-\s]?ministers?|representatives|delegates|delegations|officials|"
    r"authorities|heads of delegation|ministr[oa]s|viceministr[oa]s|representantes|delegad[oa]s|"
    r"delegaciones|funcionari[oa]s|autoridades|jefes de delegaci[oó]n)\b"
)


def _gathering(s: Sentence) -> re.Match[str] | None:
    """The gathering participle of a sentence whose subject is people who represent states
    ("the Ministers …, reunidos en") or states named before it, with a day or a city after it;
    None otherwise."""
    for verb in _GATHERING.finditer(s.text):
        if re.search(
            r"(?i)\b(?:the|a|an|la|una|el)\s+$", s.text[max(0, verb.start() - 6) : verb.start()]
        ):
            continue  # "the meeting", "a meeting": the noun, not the participle
        before = s.text[: verb.start()]
        if not (
            _GATHERED.search(before)
            or any(m.kind == "state" and m.end <= verb.start() for m in s.mentions)
        ):
            continue
        after_city = any(m.kind == "city" and m.start >= verb.end() for m in s.mentions)
        after_day = any(d.start >= verb.end() and d.first.day is not None for d in s.dates)
        if after_city or after_day:
            return verb
    return None


def _gathered_meeting(s: Sentence, verb: re.Match[str]) -> _Named:
    """A meeting the text reports only by its gathering: labelled in English, as Spanish
    meeting names are (:func:`english_name`), by the city's name ("Meeting in Quito")."""
    city = next((m for m in s.mentions if m.kind == "city" and m.start >= verb.end()), None)
    label = f"Meeting in {city.key.split('|')[0]}" if city else "Meeting"
    return _Named(s, verb.start(), verb.end(), None, label, "rule:gathering")


# what frames the text's events in a meeting: "La discusión se dio en el marco de la reunión
# semestral de la Comisión …", "during the annual meeting of the …", "on the sidelines of the
# Forum"
_FRAMED = quick(
    r"(?i)\b(?:en el marco de|durante|en ocasi[oó]n de|con motivo de|within the framework of|"
    r"during|on the occasion of|on the sidelines of|in the context of)\s+(?:la|el|the)\s+"
)


def _framed_meeting(s: Sentence) -> _Named | None:
    """Rule ``framed-meeting``: a meeting the opening names only as the frame of what it
    reports ("se dio en el marco de la reunión semestral de la Comisión … (OCAM)"), held by an
    organization or a process it names; a future or earlier one ("the next meeting") is not."""
    for frame in _FRAMED.finditer(s.text):
        noun = _NOUN_AHEAD.match(s.text, frame.end())
        if noun is None:
            continue
        start = frame.end()
        end = _name_end(s, noun.end())
        named_by = [
            m
            for m in s.mentions
            if m.kind in ("organization", "process", "body") and start <= m.start < end + 12
        ]
        label = s.text[start:end]
        if not named_by or _FUTURE.search(label) or _EARLIER.search(label):
            continue
        if named_by[-1].end > end:
            end = named_by[-1].end  # "… de Migración (OCAM)": the acronym closes the name
            after = _ACRONYM_AFTER.match(s.text, end)
            end = after.end() if after else end
        label = " ".join(s.text[start:end].split())  # find_reported capitalises it
        return _Named(s, start, end, ordinal_of(label), label, "rule:framed-meeting")
    return None


def _capitalised_lead(text: str, start: int, noun_start: int) -> int:
    """Keep a phrase start, or move it to the capitalised words right before the noun."""
    if noun_start - start < 70:
        return start
    lead = re.search(r"(?:[A-ZÁÉÍÓÚ][\w-]*\s+){1,4}$", text[:noun_start])
    return lead.start() if lead else noun_start


def _title_series(title: list[Sentence], lead: list[Sentence]) -> _Named | None:
    """A numbered conference in the title block or opening the document or its first
    paragraph ("DECIMOTERCERA CONFERENCIA SUDAMERICANA SOBRE MIGRACIONES", "XXXIV RCM")."""
    for s in [*title, *[x for x in lead if x not in title]]:
        if s.block.kind == "footnote":
            continue
        for named in series_meetings(s):
            if named.process is not None and (s in title or named.start < 40):
                return named
    return None


@dataclass(frozen=True)
class _Listed:
    """An activity a web page lists as a card: its title (written twice, as title and link)
    and the city printed with it."""

    name: str
    span: Span
    place: Place | None


def listed_activities(ctx: DocContext, max_lines: int = 200) -> list[_Listed]:
    """Activities of a page that lists them as cards. A scraped card prints its title twice in
    a row (the heading and its link: "Workshop on X Workshop on X"), sometimes followed by its
    city, or with its city on a line of its own closing the card. A page made of such cards
    reports on each activity it lists."""
    text = ctx.doc.text
    lines: list[tuple[int, str]] = []
    offset = 0
    for line in text.split("\n")[:max_lines]:
        lines.append((offset, line))
        offset += len(line) + 1
    cards: list[tuple[int, int, str, str]] = []  # line index, offset, title, rest of the line
    for index, (start, line) in enumerate(lines):
        stripped = line.strip()
        if not 20 <= len(stripped) <= 400:
            continue
        lead = len(line) - len(line.lstrip())
        title = _doubled_prefix(stripped)
        if title is None or not _REPORTED_NOUN.search(title) or len(title.split()) < 3:
            continue
        rest = stripped[2 * len(title) + 1 :].strip()
        cards.append((index, start + lead, title, rest))
    out: list[_Listed] = []
    for n, (index, start, title, rest) in enumerate(cards):
        place = _city_of(ctx, rest)
        if place is None:
            stop = cards[n + 1][0] if n + 1 < len(cards) else len(lines)
            for _, line in lines[index + 1 : stop]:
                if 0 < len(line.strip()) <= 60 and (place := _city_of(ctx, line.strip())):
                    break
        out.append(_Listed(title, Span(start, start + len(title), title), place))
    return out


def _doubled_prefix(line: str) -> str | None:
    """ "T T …" -> T (the longest title written twice at the start of the line)."""
    for k in range(len(line) // 2, 9, -1):
        if line[k : k + 1] == " " and line.startswith(line[:k], k + 1):
            return line[:k]
    return None


def _city_of(ctx: DocContext, text: str) -> Place | None:
    """A line that is (or starts with) a city: "Montevideo, Uruguay", "Guatemala City"."""
    mentions = ctx.gazetteer.find(text)
    if not mentions or mentions[0].kind != "city" or mentions[0].start > 0:
        return None
    city, iso3 = mentions[0].key.split("|")
    return Place(city, iso3, Span(0, 0, ""))


_HOLDER = "rule:meeting-process"


def _listed_meeting(ctx: DocContext, listed: _Listed, local_id: str) -> Meeting:
    place = listed.place
    if place is not None:
        place = Place(place.city, place.country, listed.span)
    return Meeting(
        local_id=local_id,
        name=listed.name,
        kind=meeting_kind(listed.name),
        span=listed.span,
        reported=True,
        ordinal=ordinal_of(listed.name),
        place=place,
        # "I Plenary Meeting of the RCM and the SACM": the processes its title names hold it
        processes=[
            ActorRef("process", m.key, m.name, _sub_span(listed.span, m.start, m.end), _HOLDER)
            for m in ctx.gazetteer.find(listed.name)
            if m.kind == "process"
        ],
        method="rule:listed-activity",
    )


def _sub_span(outer: Span, start: int, end: int) -> Span:
    return Span(outer.start + start, outer.start + end, outer.text[start:end])


# a word in lower case (no article) before a name: the title line is a sentence about it
_CLAUSE_WORD = re.compile(r"\b(?!(?:the|la|el|los|las)\b)[a-záéíóúñ]{3,}\b")
_DANGLING = re.compile(r"(?i)\s+(?:in|at|of|on|en|de|del|a)\s*$")


def find_reported(ctx: DocContext) -> Meeting | None:
    listed = listed_activities(ctx)
    if listed:
        return _listed_meeting(ctx, listed[0], "m1")
    title = title_sentences(ctx)
    held = _held_sentence(ctx)
    found = _reported_name(ctx, title)
    lead = ctx.sentences[:1] + ([found[0]] if found and found[3] == "opening" else [])
    named = _title_series(title, lead)
    span_sentence: Sentence

    def from_found() -> _Named | None:
        if found is None:
            return None
        sentence, start, end, _ = found
        # a caption or a sentence in the title block ("The First Lady of Guatemala closed the
        # 45th meeting of the OCAM"): the numbered meeting inside it is the name
        inside = [n for n in series_meetings(sentence) if start <= n.start < end]
        if inside and _CLAUSE_WORD.search(sentence.text, start, inside[0].start):
            return inside[0]
        label = sentence.text[start:end].strip(' -–,.:“”"')
        return _Named(sentence, start, end, ordinal_of(label), label, "rule:reported-meeting")

    # a heading, or a first paragraph that opens with the name, names the meeting best; a
    # held sentence comes next, then a short paragraph of the title block
    if (
        named is None
        and found is not None
        and (found[3] == "opening" or (found[3] == "title" and found[0].block.kind == "heading"))
    ):
        named = from_found()
    if named is None and held is not None:
        named = _held_name(*held)
        if named is not None and _REPORTED_NOUN.fullmatch(named.label):
            # "The meeting took place in …": the meeting was named before, with its number
            opening = [s for s in opening_sentences(ctx) if s.block.kind != "footnote"]
            earlier = [n for s in opening if s.index <= held[0].index for n in series_meetings(s)]
            named = earlier[0] if earlier else (_heading_name(ctx, held[0]) or named)
    if named is None and found is not None and found[3] == "title":
        named = from_found()
    if named is None:
        opening = [s for s in opening_sentences(ctx) if s.block.kind != "footnote"]
        # the first one only: the sentences after it need not be searched
        first = next((n for s in opening for n in series_meetings(s)), None)
        named = first if first is not None else from_found()
        if named is None:
            named = next((n for s in opening if (n := _framed_meeting(s)) is not None), None)
    if named is None:
        return None
    name = readable(" ".join(named.label.split()).strip(' -–,.:“”"'))
    name = _DANGLING.sub("", name)  # "Reunión del Grupo en" (the city cut off): no "en"
    name = name[:1].upper() + name[1:]  # a label: "meeting of the Group" read in a sentence
    name = re.sub(r"^(?:The|La|El|Los|Las|An?|Una?)\s+(?=[A-ZÁÉÍÓÚ])", "", name)
    if len(name) < 4:
        return None
    span_sentence = named.sentence
    span = span_sentence.seg.span(named.start, named.end)
    kind = meeting_kind(name)
    meeting = Meeting(
        local_id="m1",
        name=name,
        kind=kind,
        span=span,
        reported=True,
        ordinal=named.ordinal if named.ordinal is not None else ordinal_of(name),
        method=named.rule,
    )
    zone = title + [s for s in opening_sentences(ctx) if s not in title]
    held_sentence = held[0] if held else None
    if held_sentence is not None and not _same_meeting(meeting, held_sentence):
        held_sentence = None
    anchor = _anchor(meeting, held_sentence, held[1]) if held and held_sentence else 0
    dated_by = _dates_for_reported(ctx, meeting, zone, held_sentence, anchor, span_sentence.index)
    meeting.place = (
        (
            _held_place(held_sentence, _anchor(meeting, held_sentence, held[1]), held[1])
            if held and held_sentence
            else None
        )
        or _place(ctx, zone)
        or _place(ctx, _narrative_with_place(ctx))
        # an event card: the lines that date the meeting name its city ("June 4 to June 5,
        # 2019 / Mexico City")
        or (_place(ctx, [dated_by]) if dated_by is not None else None)
    )
    meeting.counts = _counts(zone)
    meeting.virtual = bool(re.search(r"(?i)\b(virtual|online|videoconferen)", name))
    meeting.processes = []
    seen = set()
    for s in [span_sentence, *zone[:8]]:
        for mention in s.mentions:
            if mention.kind == "process" and mention.key not in seen:
                seen.add(mention.key)
                meeting.processes.extend(ctx.actor(s, mention, _HOLDER))
        if meeting.processes and s is not span_sentence:
            break
    meeting.series = series_of(meeting, named.process)
    english = english_name(meeting.name)
    if english is not None:
        meeting.name = english  # the wording as written stays in the meeting's span
    return meeting


_SMALL_WORDS = frozenset(
    [
        "of",
        "the",
        "and",
        "on",
        "for",
        "in",
        "to",
        "at",
        "a",
        "an",
        "de",
        "del",
        "la",
        "las",
        "los",
        "el",
        "y",
        "e",
        "sobre",
        "para",
        "en",
        "entre",
        "con",
    ]
)
_KEEP_CAPS = re.compile(r"\(?[A-ZÁÉÍÓÚÑ-]{2,}\)?[,.:;]?|[IVXLC]+")


def readable(label: str) -> str:
    """A name printed in capitals ("REUNIÓN DEL GRUPO REGIONAL DE CONSULTA (GRCM)") in the
    case a label reads in: words capitalised, small words lower, acronyms in brackets and Roman
    numerals kept ("Reunión del Grupo Regional de Consulta (GRCM)"). Other names are kept."""
    letters = [c for c in label if c.isalpha()]
    if len(letters) < 12 or sum(c.isupper() for c in letters) < 0.85 * len(letters):
        return label
    words = []
    for n, word in enumerate(label.split()):
        bracketed = word.startswith("(")
        if (bracketed or is_roman(word.strip(",.:;"))) and _KEEP_CAPS.fullmatch(word):
            words.append(word)
        elif n and word.lower() in _SMALL_WORDS:
            words.append(word.lower())
        else:
            words.append(word[:1] + word[1:].lower())
    return " ".join(words)


def _heading_name(ctx: DocContext, held: Sentence) -> _Named | None:
    """The meeting's name in a heading right above the held sentence that only says "its
    Meeting held on …" ("MEETING OF THE REGIONAL CONSULTATION GROUP ON MIGRATION (RCGM)")."""
    for s in reversed(ctx.sentences[max(0, held.index - 4) : held.index]):
        if s.block.kind != "heading":
            continue
        noun = _noun_outside_names(s)
        if noun is not None:
            end = _name_end(s, noun.end())
            end = _extend_over_processes(s, end)
            label = " ".join(s.text[:end].split()).strip(' -–,.:“”"')
            return _Named(s, 0, end, ordinal_of(label), label, "rule:heading-meeting")
    return None


def _same_meeting(meeting: Meeting, s: Sentence) -> bool:
    """A held sentence speaks of the reported meeting unless it numbers another one."""
    if meeting.ordinal is None:
        return True
    numbers = {n.ordinal for n in series_meetings(s)}
    return not numbers or meeting.ordinal in numbers


def _anchor(meeting: Meeting, s: Sentence, verb_at: int) -> int:
    """Where a held sentence speaks of the reported meeting: after its numbered name when the
    sentence names it ("… of the I Forum held in Sucre in 2029, the RCM held the II
    Forum … in Kingston"), else at the first held verb."""
    if meeting.ordinal is None:
        return verb_at
    for named in series_meetings(s):
        if named.ordinal == meeting.ordinal and not _recalled(s, named):
            return named.end
    return verb_at


# between a held verb and its city: "met in", "held in the city of", "se realizó en"
_VERB_TO_CITY = re.compile(
    r"(?i)\s+(?:(?:last|this)\s+week\s+|virtually\s+and\s+)?(?:in|at|en)\s+"
    r"(?:the\s+(?:city|town)\s+of\s+|la\s+ciudad\s+de\s+)?"
)


def _held_place(s: Sentence, anchor: int, verb_at: int | None = None) -> Place | None:
    """The city of a held sentence: the one its held verb governs ("met in Caracas for the VII
    Conference …"), else the first after where it names the meeting (or after its verb), else
    the nearest before it."""
    cities = [(i, m) for i, m in enumerate(s.mentions) if m.kind == "city"]
    if not cities:
        return None
    if verb_at is not None and len(_held_verbs(s)) == 1:  # one held verb: it is the meeting's
        verb = _TOOK_PLACE.match(s.text, verb_at)
        for i, m in cities:
            if verb and _VERB_TO_CITY.fullmatch(s.text[verb.end() : m.start]):
                return _city_place(s, i)
    after = [c for c in cities if c[1].start >= anchor]
    i, _ = after[0] if after else min(cities, key=lambda c: anchor - c[1].start)
    return _city_place(s, i)


def _dates_for_reported(
    ctx: DocContext,
    meeting: Meeting,
    zone: list[Sentence],
    held: Sentence | None = None,
    anchor: int = 0,
    named_at: int = 0,
) -> Sentence | None:
    """Sets the reported meeting's days; returns the sentence they were read from."""
    # in the held sentence, the date nearest to where it names the meeting: "after the meeting
    # of 3 May in Lima, the countries met in Quito on 4-5 June for the XV Conference"
    held_dates = sorted(_day_dates(held), key=lambda d: abs(d.start - anchor)) if held else []
    dated = [(held, d) for d in held_dates] if held is not None else []
    # a dateline above the meeting's name dates the document (a declaration issued on the
    # last day), not the meeting, unless the text says the meeting is today's
    issued = _dateline_sentence(ctx)
    if issued is not None and (issued.index >= named_at or (held and _TODAY.search(held.text))):
        issued = None
    dated += [
        (s, d)
        for s in zone
        if s.block.kind != "item" and s is not held and s is not issued
        for d in _day_dates(s)
    ]
    if not dated:
        # "the meeting of 5 May": the unqualified meeting is the one reported on
        for s in ctx.sentences[:60]:
            for d in s.dates:
                before = s.text[max(0, d.start - 22) : d.start].lower()
                if re.search(r"\bthe (meeting|forum|session) (of|on)\s*$", before) and d.first.day:
                    dated = [(s, d)]
                    break
            if dated:
                break
    if not dated:
        # a closing line: "Signed in Quito, Ecuador, on the 3rd day of April 2031."
        closing = [
            x
            for x in ctx.sentences[-6:]
            if any(m.kind == "city" for m in x.mentions) and x is not issued
        ]
        dated = [(x, d) for x in closing for d in x.dates if d.first.day and d.first.year]
    if not dated:
        return None
    s, d = dated[0]
    first, last = d.first, d.last
    if first.year is None:
        year, rule = _year_for(ctx, s, zone, d)
        if year is not None:
            first = with_year(first, year)
            last = with_year(last, year) if last else None
            meeting.method = f"{meeting.method}+{rule}"
    meeting.start, meeting.end = first, last or first
    if first.year is None:
        ctx.warnings.append(f"date year left open for the reported meeting: {first.span.text!r}")
    return s


def _nearest_year(issued: date, dates: list[DateMatch]) -> int | None:
    """The year that puts the first day-date of a sentence within 45 days of the dateline
    (a news item of 3 December on a meeting "on 2 and 3 December"); none when no year does."""
    for d in dates:
        if d.first.year is None and d.first.month and d.first.day:
            for year in (issued.year, issued.year - 1, issued.year + 1):
                try:
                    when = date(year, d.first.month, d.first.day)
                except ValueError:
                    continue
                if abs((when - issued).days) <= 45:
                    return year
            return None
    return None


_DATELINE_HEAD = re.compile(r"(?:[A-ZÁÉÍÓÚÑ]{2,}[\s,.:–—-]+)*[\s,.;:–—-]*(?:[Oo]n\s+|[Ee]l\s+)?")


def dateline(ctx: DocContext) -> DateValue | None:
    """The document's dateline: a line of the title block, or the first sentence of its first
    paragraph, that holds only one full date after an optional place ("Ottawa,
    April 3, 2031", "Quito, 3 de abril de 2031.", "3 April 2031"). A range
    ("2 y 3 de abril de 2031") dates a meeting, not a document."""
    found = _dateline_sentence(ctx)
    return found.dates[0].first if found else None


_AGENCY = re.compile(r"\([A-Z][A-Za-z]{1,9}\)")


def _dateline_sentence(ctx: DocContext) -> Sentence | None:
    candidates = title_sentences(ctx)
    first_paragraph = next(
        (x for x in ctx.sentences[len(candidates) :] if x.block.kind == "paragraph"), None
    )
    if first_paragraph is not None and first_paragraph.sentence_start_of_block():
        candidates = [*candidates, first_paragraph]
    for s in candidates:
        if len(s.dates) != 1 or s.block.kind == "footnote":
            continue
        d = s.dates[0]
        if d.first.value is None or d.last is not None:
            continue
        head = s.text[: d.start]
        covered = sorted((m.start, m.end) for m in s.mentions if m.kind in ("city", "state"))
        for start, end in reversed(covered):
            head = head[:start] + head[end:]
        tail = s.text[d.end :].strip(" .,;:–—-")
        # a label in capitals may precede it on the same line ("PRESS RELEASE Lima, …"), a news
        # agency's code follow it ("Quito, 3 May 2031 (ABC):")
        if re.fullmatch(_DATELINE_HEAD, head) and (not tail or _AGENCY.fullmatch(tail)):
            return s
    return None


# a date that dates another act than the meeting ("within the framework of the Plan of Action,
# signed on 23 November 2031"): its year is the act's, not the meeting's
_OTHER_ACT = quick(
    r"(?i)\b(?:signed|adopted|approved|established|created|issued|dated|firmad[oa]s?|"
    r"adoptad[oa]s?|aprobad[oa]s?|suscrit[oa]s?|cread[oa]s?|emitid[oa]s?|de fecha)"
    r"(?:\s+(?:on|in|el|en))?\s*$"
)


def _year_for(
    ctx: DocContext, s: Sentence, zone: list[Sentence], d: DateMatch
) -> tuple[int | None, str]:
    """The year of a meeting date written without one, when the document makes it certain:
    another date of the same sentence ("the 2nd of April and … the 3rd of April, 2031"), a
    full date of the title block, or the year the document otherwise fixes
    (:func:`rcm_graph.stages.extraction.dates.document_year`), or else the one year the text
    gives the meeting elsewhere (:func:`rcm_graph.stages.extraction.dates.year_from_text`)."""
    same = [
        x.first.year
        for x in s.dates
        if x.first.year and x.first.month and not _OTHER_ACT.search(s.text[: x.start][-30:])
    ]
    if same:
        return same[0], YEAR_FROM_SENTENCE
    heads = [
        d.first.year
        for x in zone
        if x.block.kind == "heading"
        for d in x.dates
        if d.first.year and d.first.month
    ]
    if heads:
        return heads[0], YEAR_FROM_HEADING
    dated = dateline(ctx)
    if dated is not None and dated.value is not None:
        year = _nearest_year(dated.value, s.dates)
        if year is not None:
            return year, YEAR_FROM_DATELINE
    anchor = document_year(ctx.sentences)
    if anchor is not None:
        return anchor.year, anchor.rule
    full = [x.first.value for y in ctx.sentences for x in y.dates if x.first.value is not None]
    anchor = year_from_text(d.first, d.last, ctx.sentences, full)
    if anchor is not None:
        return anchor.year, anchor.rule
    return None, ""


def _narrative_with_place(ctx: DocContext) -> list[Sentence]:
    cue = re.compile(r"(?i)\b(welcomed|held|hosted|meeting|encounter|took place|reuni[oó]n|celebr)")
    return [s for s in ctx.sentences[:40] if cue.search(s.text) and s.block.kind == "paragraph"]


# "It is a great honour to be here in Brasilia": the speaker is where the meeting is
_HERE_IN = re.compile(r"(?i)\b(?:here in|aqu[ií] en|en esta ciudad de)\s+$")
# words that put a meeting before the one reported: "which hosted the annual meeting last year
# in Cochabamba" (shared with participation, where such a host convened nothing reported)
EARLIER_WORDS = r"last year|the previous year|el año pasado|el año anterior|previous|anterior"
# a city of an earlier meeting, or of a later one: "previo al Foro Mundial … en Ginebra"
_EARLIER = quick(
    rf"(?i)\b(?:{EARLIER_WORDS}|"
    r"previo al?|antes del?|ahead of|prior to|con miras a|with a view to|en preparaci[oó]n)\b"
)


def _place(ctx: DocContext, zone: list[Sentence]) -> Place | None:
    for s in zone:
        for i, mention in enumerate(s.mentions):
            if mention.kind == "city" and _HERE_IN.search(
                s.text[max(0, mention.start - 16) : mention.start]
            ):
                return _city_place(s, i)
    header_states = {
        m.key for s in zone if s.block.kind == "heading" for m in s.mentions if m.kind == "state"
    }
    if header_states:
        for s in zone:
            for i, mention in enumerate(s.mentions):
                if mention.kind == "city" and mention.key.split("|")[1] in header_states:
                    return _city_place(s, i)
    for s in zone:
        for i, mention in enumerate(s.mentions):
            if mention.kind == "city" and not _EARLIER.search(
                s.text[max(0, mention.start - 60) : mention.end + 30]
            ):
                return _city_place(s, i)
    for s in zone:
        if s.block.kind != "heading":
            continue
        for mention in s.mentions:
            if mention.kind == "state":
                return Place(None, mention.key, s.seg.span(mention.start, mention.end))
    return None


def _city_place(s: Sentence, i: int) -> Place:
    mention = s.mentions[i]
    city, iso3 = mention.key.split("|")
    end = mention.end
    nxt = s.mentions[i + 1] if i + 1 < len(s.mentions) else None
    if nxt and nxt.kind == "state" and nxt.start - mention.end <= 4:
        iso3, end = nxt.key, nxt.end
    return Place(city, iso3, s.seg.span(mention.start, end))


def _counts(zone: list[Sentence]) -> list[Count]:
    out: list[Count] = []
    for s in zone:
        for m in _COUNT.finditer(s.text):
            word = m.group("w").lower()
            what = next(v for k, v in _COUNT_WHAT.items() if word.startswith(k))
            q = (m.group("q") or "").lower()
            qualifier = _QUALIFIER.get(q, "about" if q else "exact")
            start = m.start("q") if m.group("q") else m.start("n")
            out.append(
                Count(
                    cast(CountWhat, what),
                    int(m.group("n")),
                    cast(CountQualifier, qualifier),
                    s.seg.span(start, m.end()),
                )
            )
    return out


def find_events(ctx: DocContext, reported: Meeting | None) -> list[Meeting]:
    """Dated events other than the reported meeting, deduplicated by date."""
    events: list[Meeting] = []
    seen: dict[tuple[str | None, str | None], Meeting] = {}
    if reported and reported.start:
        seen[(date_key(reported.start), date_key(reported.end))] = reported
        # the same days written again without their year are the same meeting
        seen[(_day_key(reported.start), _day_key(reported.end))] = reported
    if reported is not None and reported.method == "rule:listed-activity":
        for listed in listed_activities(ctx)[1:]:
            events.append(_listed_meeting(ctx, listed, f"e{len(events) + 1}"))
    for s in ctx.sentences:
        for d in [*s.dates, *_part_days(s, reported)]:
            if (
                d.first.day is None
                and d.first.month is None
                and not re.search(r"(?i)\b(held|to be held|a celebrarse)\b", s.text[: d.start])
            ):
                continue
            before = s.text[: d.start]
            if _DEADLINE.search(before[-30:]):
                continue
            noun = _last_event_noun(before, s)
            if noun is None:
                continue
            name_start = _phrase_start(before, noun.start())
            after_noun = before[noun.end() :]
            if len(after_noun) > 90:
                continue
            # the name runs on through its complement ("meeting of the Liaison Officers Network")
            # up to the verb or preposition that introduces the date
            complement = re.match(r"\s+(?:of|on|between|de|del|entre|sobre)\s+[^,;()]*", after_noun)
            name_end = noun.end()
            if complement:
                # the complement ends at a verb or preposition outside a name ("Group on
                # Migration" runs on)
                tail = next(
                    (
                        t
                        for t in _NAME_TAIL.finditer(complement.group())
                        if not any(
                            x.kind in ("body", "process")
                            and x.start <= noun.end() + t.start() + 1 < x.end
                            for x in s.mentions
                        )
                    ),
                    None,
                )
                name_end += tail.start() if tail else complement.end()
            name = " ".join(before[name_start:name_end].split()).strip(" ,(")
            name = re.sub(r"(?i)\s+(?:of|on|between|de|del|entre|sobre)$", "", name)
            planned = bool(_FUTURE.search(s.text))
            first, last, year_rule = _complete(ctx, d, planned)
            if first.year is None and not planned:
                first, last, year_rule = _year_of_part(first, last, reported, year_rule)
            key = (date_key(first), date_key(last or first))
            if key in seen:
                prior = seen[key]
                if prior.kind == "meeting" and not prior.reported:
                    prior.kind = meeting_kind(name)
                    if len(name) > len(prior.name):
                        prior.name = name
                continue
            kind = meeting_kind(name)
            place = _place_near(s, d)
            together = _held_together(s, d, reported)
            method = "rule:held-together" if together else "rule:mentioned-event"
            if not together and not planned and _conference_part(s, name, first, last, reported):
                together, method = True, "rule:conference-part"
            meeting = Meeting(
                local_id=f"e{len(events) + 1}",
                name=name,
                kind=kind,
                span=s.seg.span(name_start, d.end),
                reported=together,
                planned=planned,
                ordinal=ordinal_of(name),
                start=first,
                end=last or first,
                place=place or (reported.place if together and reported else None),
                virtual=kind == "online-meeting",
                method=f"{method}+{year_rule}" if year_rule else method,
            )
            _same_series(meeting, reported)
            if meeting.series is None:
                meeting.series = series_of(meeting)
            seen[key] = meeting
            events.append(meeting)
    return events


_NAME_TAIL = re.compile(
    r"(?i)\s+(?:would|will|shall|to be|is|was|were|are|held|scheduled|planned|organi[sz]ed|"
    r"celebrated|convened|on|in|at|for|from|during|que|a celebrarse|se realizar|el|los)\b"
)


def _last_event_noun(before: str, s: Sentence) -> re.Match[str] | None:
    """The last event noun before a date, not one inside a body's name ("the Regional
    *Consultation* Group")."""
    window_start = max(0, len(before) - 130)
    matches = [
        m
        for m in _EVENT_NOUN.finditer(before, window_start)
        if not any(x.kind == "body" and x.start <= m.start() < x.end for x in s.mentions)
    ]
    return matches[-1] if matches else None


def _phrase_start(before: str, noun_start: int) -> int:
    """Start of the noun phrase ending at an event noun: after the last determiner."""
    head = before[:noun_start]
    found = list(re.finditer(r"(?i)\b(the|a|an|its|their|this|la|el|una|un|su|del|al)\s+", head))
    m = found[-1] if found else None
    if m and noun_start - m.end() < 70:
        return m.end()
    return max(0, noun_start - 40)


def _place_near(s: Sentence, d: DateMatch) -> Place | None:
    best = None
    for mention in s.mentions:
        if mention.kind in ("city", "state") and abs(mention.start - d.end) < 70:
            if mention.kind == "city":
                city, iso3 = mention.key.split("|")
                return Place(city, iso3, s.seg.span(mention.start, mention.end))
            if best is None and re.search(r"(?i)\b(in|en)\s+$", s.text[: mention.start][-4:]):
                best = Place(None, mention.key, s.seg.span(mention.start, mention.end))
    return best


def _complete(
    ctx: DocContext, d: DateMatch, future: bool
) -> tuple[DateValue, DateValue | None, str | None]:
    """An event's dates, the year completed where the document makes it certain
    (:func:`rcm_graph.stages.extraction.dates.infer_year`), and the rule that completed it."""
    first, last = d.first, d.last
    if first.year is not None:
        return first, last, None
    context = year_context(ctx)
    first, rule = infer_year(first, context, future=future)
    if rule is None:
        ctx.warnings.append(f"date year left open: {d.first.span.text!r}")
        return first, (replace(last, uncertain=True) if last else None), None
    return first, (with_year(last, first.year) if last and first.year else last), rule


def year_context(ctx: DocContext) -> YearContext:
    """What the document says about its own year: its full date where it states one (a year
    inferred for it does not count), else the year it fixes (:func:`document_year`)."""
    doc = ctx.date
    doc_date = doc.value if doc is not None and not doc.year_inferred else None
    anchor = document_year(ctx.sentences) if doc_date is None else None
    return YearContext(doc_date, anchor)


def _day_key(value: DateValue | None) -> str | None:
    """``--MM-DD`` of a date, whether or not its year is known."""
    if value is None or not value.month or not value.day:
        return date_key(value)
    return f"--{value.month:02d}-{value.day:02d}"


def _held_together(s: Sentence, d: DateMatch, reported: Meeting | None) -> bool:
    """A second meeting reported in the same breath as the first: "met in Kingston for the
    site visit on 2 April and the plenary meeting of 3 April" — the
    same sentence dates the reported meeting, this date follows it after "and" and a meeting
    noun, and nothing speaks of the future."""
    if reported is None or reported.start is None or d.first.day is None:
        return False
    span = s.seg.span()
    own = reported.start.span
    if not (span.start <= own.start and own.end <= span.end) or _FUTURE.search(s.text):
        return False
    own_end = next((x.end for x in s.dates if s.seg.span(x.start, x.end) == own), None)
    if own_end is None or own_end > d.start:
        return False
    between = s.text[own_end : d.start]
    return bool(re.match(r"(?i)\s*,?\s*(?:and|y|e)\b", between)) and bool(
        _EVENT_NOUN.search(between)
    )


def _part_days(s: Sentence, reported: Meeting | None) -> list[DateMatch]:
    """Bare days of a sentence that fall within the reported meeting's days ("the Meeting of
    Vice-Ministers, held the 5th and 6th", of a conference held 4-6 May 2031)."""
    if reported is None or reported.start is None or reported.start.value is None:
        return []
    end = reported.end or reported.start
    if end.value is None or end.value == reported.start.value:
        return []
    return days_within(s.seg, reported.start, end)


def _year_of_part(
    first: DateValue, last: DateValue | None, reported: Meeting | None, rule: str | None
) -> tuple[DateValue, DateValue | None, str | None]:
    """Days written without a year that fall within the reported meeting's days of its year
    ("held October 8-10, 2027 … the session of the 9th") are days of that meeting's year."""
    if reported is None or reported.start is None or reported.start.value is None:
        return first, last, rule
    start = reported.start.value
    end = (reported.end or reported.start).value or start
    if first.month is None or first.day is None or start.year != end.year:
        return first, last, rule
    day = (first.month, first.day)
    last_day = (last.month or first.month, last.day or first.day) if last else day
    if not ((start.month, start.day) <= day <= last_day <= (end.month, end.day)):
        return first, last, rule
    return (
        with_year(first, start.year),
        with_year(last, start.year) if last else None,
        YEAR_FROM_MEETING,
    )


# the sessions a conference is made of: its consultation group's day, its vice-ministers' day
_PART_NAME = quick(
    r"(?i)\b(?:vice[-\s]?minist(?:ers|erial|ros|erial)|viceminist(?:ros|erial)|"
    r"consultation group|grupo regional de consulta|RCGM|GRCM)\b"
)


def _conference_part(
    s: Sentence, name: str, first: DateValue, last: DateValue | None, reported: Meeting | None
) -> bool:
    """A part of the reported conference with its own dates: "the conference opened on 4 May
    with its consultation group's session; the Vice-Ministers' session came on 5 and 6 May".
    The reported meeting is a conference, the event is its consultation group's or
    vice-ministers' session (by name), and its days lie within the conference's days; the part
    is reported on in its own right."""
    if reported is None or reported.kind != "conference" or reported.start is None:
        return False
    start, end = reported.start.value, (reported.end or reported.start).value
    if start is None or end is None or first.value is None:
        return False
    stop = (last or first).value or first.value
    if not (start <= first.value <= stop <= end) or (first.value, stop) == (start, end):
        return False
    return bool(_PART_NAME.search(name)) or any(
        m.kind == "body" and _PART_NAME.search(m.name) for m in s.mentions
    )


def series_of(meeting: Meeting, process: str | None = None) -> str | None:
    """The numbered series a meeting belongs to (``lexicon/series.tsv``), when it has an
    ordinal: by its kind and the process holding it (or named in its name: ``process``)."""
    if meeting.ordinal is None:
        return None
    processes = {p.key for p in meeting.processes if p.kind == "process"}
    if process is not None:
        processes = {process}
    for kind, process, series in table("series.tsv"):
        if kind == meeting.kind and (process == "*" or process in processes):
            return series
    return None


def _same_series(event: Meeting, reported: Meeting | None) -> None:
    """An event numbered like the reported meeting and named by the same head noun is another
    meeting of its series ("the I Forum held in Sucre in 2029" in the report on a
    later Forum): it takes the series' kind, so that it resolves
    to the same meeting as the document reporting on that one."""
    if reported is None or event.ordinal is None or reported.ordinal is None:
        return
    if event.kind != "meeting" or reported.kind == "meeting":
        return
    head = _REPORTED_NOUN.search(event.name)
    if head and re.search(rf"(?i)\b{re.escape(head.group(1))}\b", reported.name):
        event.kind = reported.kind
        event.series = reported.series

"""Meetings and events: the one(s) a document reports on, and those it mentions or plans.

The reported meeting is named in the title block (the headings before the first paragraph) or,
failing that, in the first sentence that says who *held* or *convened* what. Its dates and
place come from the title block or the opening paragraphs. A year the text does not give is
completed only from the document's own year and only for a date that lies ahead of the
document's date in a sentence that speaks of the future ("to be held", "will", "no later than");
otherwise the date stays open and a warning says so.

Other events are date expressions next to an event noun ("the regional workshop on return (to be
held on 14-15 October in Lima)"); the same date twice is one event.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Literal, cast

from rcm_graph.extraction.context import DocContext, Sentence
from rcm_graph.extraction.dates import DateMatch, date_key, with_year
from rcm_graph.facts import Count, DateValue, Meeting, MeetingKind, Place

_KINDS: list[tuple[str, MeetingKind]] = [
    (r"vice[-\s]?ministerial|viceministerial", "vice-ministerial-meeting"),
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
_EVENT_NOUN = re.compile(
    r"(?i)\b(meetings?|reuni[oó]n(?:es)?|forum|foro|event|evento|sessions?|sesi[oó]n|"
    r"consultations?|consulta|videoconference|videoconferencia|conference|conferencia|"
    r"dialogue|di[aá]logo|review|workshop|taller|summit|cumbre|encounter|encuentro|plenary)\b"
)
_REPORTED_NOUN = re.compile(
    r"(?i)\b(meeting|reuni[oó]n|forum|foro|conference|conferencia|workshop|taller|"
    r"consultation|consulta|encounter|encuentro|session|sesi[oó]n|summit|cumbre|review)\b"
)
_ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "primer": 1,
    "primera": 1,
    "primero": 1,
    "segunda": 2,
    "segundo": 2,
    "tercera": 3,
    "tercer": 3,
    "tercero": 3,
    "cuarta": 4,
    "cuarto": 4,
    "quinta": 5,
    "quinto": 5,
    "sexta": 6,
    "sexto": 6,
}
_ROMAN = re.compile(r"^(?=[IVXLC]+$)C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ORDINAL = re.compile(
    r"(?i)\b(?P<w>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|primer[ao]?|"
    r"segund[ao]|tercer[ao]?|cuart[ao]|quint[ao]|sext[ao])\b|(?<![\w-])(?P<r>[IVXLC]{1,7})(?![\w-])"
    r"|\b(?P<n>\d{1,2})(?:st|nd|rd|th|[ºª°]|\.?ª)\b"
)
_FUTURE = re.compile(
    r"(?i)\b(to be held|will|shall|would be|scheduled|planned|next|upcoming|no later than|"
    r"organi[sz]ed for|a celebrarse|se (?:realizar|llevar)[aá]|pr[oó]xim[ao]|a m[aá]s tardar|"
    r"convene|tentative(?:ly)?|be held)\b"
)
_DEADLINE = re.compile(
    r"(?i)(no later than|not later than|by|before|until|deadline|a m[aá]s tardar(?: el)?|"
    r"antes del?|hasta el)\s*$"
)
_HELD = re.compile(
    r"(?i)\b(held|convened|organi[sz]ed|hosted|celebrated|took place|met|gathered|"
    r"celebr[oó]|realiz[oó]|convoc[oó]|organiz[oó]|se llev[oó] a cabo|se reunieron)\b"
)
_COUNT = re.compile(
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
    r"(?:adopted|approved|signed|issued|agreed|adoptad[ao]|aprobad[ao]|suscrit[ao]|firmad[ao])\s+"
    r"(?:at|in|during|by|en|durante|por))\s+(?:the\s+|la\s+|el\s+)?"
)


def meeting_kind(name: str) -> MeetingKind:
    low = name.lower()
    for pattern, kind in _KINDS:
        if re.search(pattern, low):
            return kind
    return "meeting"


_UNITS_EN = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_UNITS_ES = ["primer", "segund", "tercer", "cuart", "quint", "sext", "s[eé]ptim", "octav", "noven"]
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "d[eé]cim": 10,
    "vig[eé]sim": 20,
    "trig[eé]sim": 30,
    "cuadrag[eé]sim": 40,
}
_COMPOUND = re.compile(
    r"(?i)\b(?P<tens>twenty|thirty|forty|fifty|d[eé]cim[oa]?|vig[eé]sim[oa]?|trig[eé]sim[oa]?|"
    r"cuadrag[eé]sim[oa]?)[-\s]?(?P<unit>"
    + "|".join(_UNITS_EN + _UNITS_ES)
    + r")\w*\b|\b(?P<round>twentieth|thirtieth|fortieth|d[eé]cim[oa]|vig[eé]sim[oa]|"
    r"trig[eé]sim[oa])\b"
)
_ROUND = {"twentieth": 20, "thirtieth": 30, "fortieth": 40}


def _compound_ordinal(name: str) -> int | None:
    """ "Twenty-Seventh" -> 27, "Vigésima Octava" -> 28, "Decimonovena" -> 19."""
    m = _COMPOUND.search(name)
    if m is None:
        return None
    if m.group("round"):
        word = m.group("round").lower()
        return _ROUND.get(word) or next(v for k, v in _TENS.items() if re.match(k, word))
    tens = next(v for k, v in _TENS.items() if re.match(k, m.group("tens").lower()))
    unit_word = m.group("unit").lower()
    units = _UNITS_EN if unit_word in _UNITS_EN else _UNITS_ES
    unit = next(i for i, u in enumerate(units, start=1) if re.fullmatch(u, unit_word))
    return tens + unit


def ordinal_of(name: str) -> int | None:
    compound = _compound_ordinal(name)
    if compound is not None:
        return compound
    for m in _ORDINAL.finditer(name):
        if m.group("w"):
            return _ORDINAL_WORDS.get(m.group("w").lower())
        if m.group("r") and _ROMAN.match(m.group("r")):
            return _roman(m.group("r"))
        if m.group("n"):
            return int(m.group("n"))
    return None


def _roman(text: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for a, b in zip(text, text[1:] + " ", strict=False):
        v = values[a]
        total += -v if b != " " and values.get(b, 0) > v else v
    return total


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


def _reported_name(ctx: DocContext, title: list[Sentence]) -> tuple[Sentence, int, int] | None:
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
            return s, start, end
    for s in opening_sentences(ctx, 1)[len(title) : len(title) + 1]:
        # a first paragraph that opens with the meeting's name ("Technical Meeting between ...")
        m = _noun_outside_names(s)
        if m and m.start() < 60 and s.text[:1].isupper():
            stop = re.search(
                r"(?i)\s(?:for purposes|in order|with the aim|held|to generate)\b|,",
                s.text[m.end() :],
            )
            end = m.end() + (stop.start() if stop else 0)
            return s, 0, min(end, len(s.text))
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
                return s, start, end
    return None


def _name_end(s: Sentence, after_noun: int) -> int:
    """End a meeting name at a date, a place, a quote or the end of the heading line."""
    stops = [len(s.text)]
    for d in s.dates:
        if d.start >= after_noun:
            stops.append(d.start)
    for mention in s.mentions:
        if mention.kind == "city" and mention.start >= after_noun:
            stops.append(mention.start)
    q = re.search(r"[”\"]| in (?=[A-Z])| held\b|,", s.text[after_noun:])
    if q:
        stops.append(after_noun + q.start())
    if s.block.kind != "heading":
        stops.append(min(len(s.text), after_noun + 160))
    return min(stops)


def find_reported(ctx: DocContext) -> Meeting | None:
    title = title_sentences(ctx)
    found = _reported_name(ctx, title)
    if found is None:
        return None
    sentence, start, end = found
    name = sentence.text[start:end].strip(' -–,.:“”"')
    if len(name) < 4:
        return None
    span = sentence.seg.span(start, end)
    kind = meeting_kind(name)
    meeting = Meeting(
        local_id="m1",
        name=" ".join(name.split()),
        kind=kind,
        span=span,
        reported=True,
        ordinal=ordinal_of(name),
        method="rule:reported-meeting",
    )
    zone = title + [s for s in opening_sentences(ctx) if s not in title]
    _dates_for_reported(ctx, meeting, zone)
    meeting.place = _place(ctx, zone) or _place(ctx, _narrative_with_place(ctx))
    meeting.counts = _counts(zone)
    meeting.virtual = bool(re.search(r"(?i)\b(virtual|online|videoconferen)", name))
    meeting.processes = []
    seen = set()
    for s in [sentence, *zone[:8]]:
        for mention in s.mentions:
            if mention.kind == "process" and mention.key not in seen:
                seen.add(mention.key)
                meeting.processes.extend(ctx.actor(s, mention, "rule:meeting-process"))
        if meeting.processes and s is not sentence:
            break
    return meeting


def _dates_for_reported(ctx: DocContext, meeting: Meeting, zone: list[Sentence]) -> None:
    dated = [
        (s, d)
        for s in zone
        if s.block.kind != "item"
        for d in s.dates
        if d.first.day is not None and not _DEADLINE.search(s.text[: d.start][-30:])
    ]
    year_hint = next((d.first.year for s in zone for d in s.dates if d.first.year), None)
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
        # a closing line: "Signed in Tegucigalpa, Honduras, on the 14th day of June 2022."
        closing = [x for x in ctx.sentences[-6:] if any(m.kind == "city" for m in x.mentions)]
        dated = [(x, d) for x in closing for d in x.dates if d.first.day and d.first.year]
    if not dated:
        return
    s, d = dated[0]
    first, last = d.first, d.last
    if first.year is None and year_hint is not None and s in zone:
        first = with_year(first, year_hint)
        last = with_year(last, year_hint) if last else None
    meeting.start, meeting.end = first, last or first
    if first.uncertain:
        ctx.warnings.append(f"date year left open for the reported meeting: {first.span.text!r}")


def _narrative_with_place(ctx: DocContext) -> list[Sentence]:
    cue = re.compile(r"(?i)\b(welcomed|held|hosted|meeting|encounter|took place|reuni[oó]n|celebr)")
    return [s for s in ctx.sentences[:40] if cue.search(s.text) and s.block.kind == "paragraph"]


def _place(ctx: DocContext, zone: list[Sentence]) -> Place | None:
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
            if mention.kind == "city":
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
    for s in ctx.sentences:
        for d in s.dates:
            if (
                d.first.day is None
                and d.first.month is None
                and not re.search(r"(?i)\b(held|to be held|a celebrarse)\b", s.text[: d.start])
            ):
                continue
            before = s.text[: d.start]
            if _DEADLINE.search(before[-30:]):
                continue
            noun = _last_event_noun(before)
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
                tail = _NAME_TAIL.search(complement.group())
                name_end += tail.start() if tail else complement.end()
            name = " ".join(before[name_start:name_end].split()).strip(" ,(")
            name = re.sub(r"(?i)\s+(?:of|on|between|de|del|entre|sobre)$", "", name)
            planned = bool(_FUTURE.search(s.text))
            first, last = _complete(ctx, d, planned)
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
            meeting = Meeting(
                local_id=f"e{len(events) + 1}",
                name=name,
                kind=kind,
                span=s.seg.span(name_start, d.end),
                reported=False,
                planned=planned,
                ordinal=ordinal_of(name),
                start=first,
                end=last or first,
                place=place,
                virtual=kind == "online-meeting",
                method="rule:mentioned-event",
            )
            seen[key] = meeting
            events.append(meeting)
    return events


_NAME_TAIL = re.compile(
    r"(?i)\s+(?:would|will|shall|to be|is|was|were|are|held|scheduled|planned|organi[sz]ed|"
    r"celebrated|convened|on|in|at|for|from|during|que|a celebrarse|se realizar|el|los)\b"
)


def _last_event_noun(before: str) -> re.Match[str] | None:
    window_start = max(0, len(before) - 130)
    matches = list(_EVENT_NOUN.finditer(before, window_start))
    return matches[-1] if matches else None


def _phrase_start(before: str, noun_start: int) -> int:
    """Start of the noun phrase ending at an event noun: after the last determiner."""
    head = before[:noun_start]
    found = list(re.finditer(r"(?i)\b(the|a|an|its|their|this|la|el|una|un|su)\s+", head))
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


def _complete(ctx: DocContext, d: DateMatch, future: bool) -> tuple[DateValue, DateValue | None]:
    first, last = d.first, d.last
    if first.year is not None:
        return first, last
    doc = ctx.date
    if (
        future
        and doc is not None
        and doc.value is not None
        and first.month is not None
        and (first.month, first.day or 0) >= (doc.value.month, doc.value.day)
    ):
        year = doc.value.year
        return with_year(first, year), (with_year(last, year) if last else None)
    ctx.warnings.append(f"date year left open: {first.span.text!r}")
    return replace(first, uncertain=True), (replace(last, uncertain=True) if last else None)

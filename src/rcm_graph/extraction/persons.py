"""Persons named in a document, with the title and affiliation the text gives them.

Patterns: a title before a name ("Vice-Minister Ana Torres", "IOM Regional Director Jane
Roe-Smith", "Ambassador Ruiz Mora", "Viceministra ..."); a speaker heading
("John Doe: Presentation of the United States ..."); "NAME from ORG"; "On behalf of
STATE, NAME"; a two- or three-word capitalised name that is the subject of a verb of speech.
Mentions of the same surname are one person (the fullest name wins).
"""

from __future__ import annotations

import re

from rcm_graph.extraction.context import DocContext, Sentence
from rcm_graph.facts import ActorRef, Person

_UP = "A-ZÁÉÍÓÚÑÜ"
_LOW = "a-záéíóúñüçà'’"
_WORD = rf"[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?"
_NAME = rf"(?P<name>{_WORD}(?:\s+(?:de\s+(?:la\s+)?|del\s+)?{_WORD}){{0,3}})"
_TITLES = (
    r"Vice[-\s]?Minister|Deputy Minister|Minister|Ambassador|Regional Director|Director General|"
    r"Deputy Director|Director|Executive Secretary|Secretary General|Secretary|Undersecretary|"
    r"Under-Secretary|Commissioner|Chancellor|Special Rapporteur(?: on [a-z ]+?)?|Rapporteur|"
    r"Chief of Mission|Coordinator|Ms\.?|Mr\.?|Mrs\.?|Dr\.?|Viceministr[oa]|Ministr[oa]|"
    r"Embajador[a]?|Directora?|Secretari[oa]|Sra?\.|Lic\.|Licenciad[oa]|Canciller|"
    r"Relator[a]? Especial"
)
_TITLED = re.compile(rf"(?<![\w-])(?P<title>{_TITLES})\s+{_NAME}")
_HEADINGS = (
    re.compile(
        rf"^(?i:(?:welcoming )?remarks by|presentation (?:of|by)|palabras de)\s+{_NAME}\s*(?::|$)"
    ),
    re.compile(rf"^{_NAME}:\s"),
)
_FROM = re.compile(rf"{_NAME}\s+from\s+")
_BEHALF = re.compile(rf"(?i:on behalf of|en nombre de)\s+[^,]{{2,60}},\s+{_NAME}")
_SPEAKS = re.compile(
    rf"^{_NAME}\s+(?:mentioned|stated|said|pointed out|explained|noted|proposed|suggested|"
    rf"highlighted|expressed|added|presented|señaló|mencionó|indicó|expresó)\b"
)
_NOT_NAMES = {
    "The",
    "This",
    "These",
    "That",
    "In",
    "For",
    "Answer",
    "Furthermore",
    "Moreover",
    "Finally",
    "Global",
    "Compact",
    "United",
    "Nations",
    "Regional",
    "Conference",
    "Migration",
    "Member",
    "Countries",
    "Presentation",
    "Update",
    "Welcoming",
    "Remarks",
    "Questions",
    "Plenary",
    "Session",
    "Vice",
    "Minister",
    "Technical",
    "Secretariat",
    "Phase",
    "Item",
    "Line",
    "Contact",
    "Agreements",
    "National",
    "Facts",
    "Benefits",
    "Challenges",
    "Possible",
    "Report",
    "Process",
    "Declaration",
    "Forum",
    "Network",
    "Government",
    "Ministry",
    "Office",
    "Committee",
    "General",
    "Assembly",
    "Agenda",
    "Development",
    "Human",
    "Rights",
    "Group",
    "Joint",
    "Communiqué",
}
_ROLE_WORDS = {"ms", "mr", "mrs", "dr", "sr", "sra", "lic"}


def find_persons(ctx: DocContext) -> list[Person]:
    people: list[Person] = []
    for s in ctx.sentences:
        for name, start, end, title, affiliation in _candidates(ctx, s):
            if not _plausible(ctx, name):
                continue
            prior = next((p for p in people if _same_person(p.name, name)), None)
            if prior is None:
                people.append(
                    Person(
                        local_id=f"p{len(people) + 1}",
                        name=name,
                        span=s.seg.span(start, end),
                        title=title,
                        affiliation=affiliation,
                        method="rule:person",
                    )
                )
                continue
            if len(name.split()) > len(prior.name.split()):
                prior.name = name
                prior.span = s.seg.span(start, end)
            if prior.title is None and title:
                prior.title = title
            if prior.affiliation is None and affiliation:
                prior.affiliation = affiliation
    return people


def _same_person(a: str, b: str) -> bool:
    """ "Torres" and "Ana Torres" are one person; "Ana Pérez" and "Luis Pérez" are not:
    the shorter name must be the end of the longer one."""
    wa, wb = a.split(), b.split()
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return long_[-len(short) :] == short


def _plausible(ctx: DocContext, name: str) -> bool:
    words = name.split()
    if any(w in _NOT_NAMES for w in words):
        return False
    mentions = ctx.gazetteer.find(name)
    return not any(m.end - m.start >= len(name) - 2 for m in mentions)


def _candidates(
    ctx: DocContext, s: Sentence
) -> list[tuple[str, int, int, str | None, ActorRef | None]]:
    out: list[tuple[str, int, int, str | None, ActorRef | None]] = []
    text = s.text
    for m in _TITLED.finditer(text):
        title = m.group("title").rstrip(".")
        title_out = None if title.lower() in _ROLE_WORDS else title
        name = _trim(m.group("name"))
        out.append(
            (
                name,
                m.start(),
                m.start("name") + len(name),
                title_out,
                _org_before(ctx, s, m.start()),
            )
        )
    if s.block.kind in ("heading", "item") or s.start_in_block == 0:
        hm = _HEADINGS[0].match(text) or _HEADINGS[1].match(text)
        if hm and len(hm.group("name").split()) >= 2:
            m = hm
            name = _trim(m.group("name"))
            rest = text[m.end() :]
            presents = re.match(
                r"(?i)\s*(?:presentation of|update on the support of|presentaci[oó]n de)", rest
            )
            out.append(
                (
                    name,
                    m.start("name") + (len(m.group("name")) - len(name)),
                    m.start("name") + len(m.group("name")),
                    None,
                    _actor_after(ctx, s, m.end()) if presents else None,
                )
            )
    for m in _FROM.finditer(text):
        aff = _actor_at(ctx, s, m.end())
        if aff and len(m.group("name").split()) >= 2:
            name = _trim(m.group("name"))
            out.append((name, m.start("name"), m.start("name") + len(name), None, aff))
    for m in _BEHALF.finditer(text):
        aff = (
            _actor_at(ctx, s, text.lower().find("behalf of") + 10)
            if "behalf" in text.lower()
            else None
        )
        name = _trim(m.group("name"))
        out.append((name, m.start("name"), m.start("name") + len(name), None, aff))
    sm = _SPEAKS.match(text)
    if sm and len(sm.group("name").split()) >= 2:
        name = _trim(sm.group("name"))
        out.append((name, 0, len(name), None, None))
    return [c for c in out if len(c[0]) >= 3]


def _trim(name: str) -> str:
    words = name.split()
    while words and words[-1] in _NOT_NAMES:
        words.pop()
    text = " ".join(words)
    m = re.match(rf"(?:{_TITLES})\s+", text)
    return text[m.end() :] if m else text


def _org_before(ctx: DocContext, s: Sentence, start: int) -> ActorRef | None:
    for m in s.mentions:
        if m.kind in ("organization", "state", "process") and 0 <= start - m.end <= 2:
            refs = ctx.actor(s, m, "rule:person-affiliation")
            return refs[0] if refs else None
    return None


def _actor_at(ctx: DocContext, s: Sentence, pos: int) -> ActorRef | None:
    for m in s.mentions:
        if m.kind in ("organization", "state", "process") and 0 <= m.start - pos <= 5:
            refs = ctx.actor(s, m, "rule:person-affiliation")
            return refs[0] if refs else None
    return None


def _actor_after(ctx: DocContext, s: Sentence, pos: int) -> ActorRef | None:
    for m in s.mentions:
        if m.kind in ("organization", "state") and pos <= m.start <= pos + 60:
            refs = ctx.actor(s, m, "rule:person-affiliation")
            return refs[0] if refs else None
    return None

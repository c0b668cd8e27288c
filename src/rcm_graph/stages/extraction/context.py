"""What every rule needs to know about a document: its sentences, names and dates, once.

Rules never re-scan the text for actors or dates: the :class:`DocContext` holds, per sentence,
the gazetteer mentions and date expressions (with clean-text indexes), the document's language,
main process and, once known, its date (which alone allows completing an open year).
"""

from __future__ import annotations

import itertools
import operator
import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import cast

from rcm_graph.model.facts import ActorKind, ActorRef, DateValue
from rcm_graph.stages.extraction.dates import DateMatch, find_dates
from rcm_graph.stages.extraction.gazetteer import Gazetteer, Mention, resolve_body, unaccented
from rcm_graph.stages.extraction.lexicons import table
from rcm_graph.stages.extraction.organs import compose_organs, split_glued_acronyms
from rcm_graph.stages.extraction.prefilter import quick
from rcm_graph.stages.reading import Block, ReadDocument, Segment

_EN = frozenset(["the", "of", "and", "to", "with", "for", "was", "were", "that"])
_ES = frozenset(["el", "la", "los", "las", "del", "con", "para", "que", "fue", "por", "sobre"])
# A function word as a whole run of word characters: each alternative starts with its letter
# (so ``re`` jumps between the letters that can start one) and looks behind for the run's start.
_FUNCTION_WORD = re.compile(
    "(?:"
    + "|".join(f"{w}(?<!\\w{w})" for w in sorted(_EN | _ES, key=len, reverse=True))
    + r")(?!\w)"
)


def _language(sample: str) -> str:
    """Spanish when the sample (lower case) has more Spanish function words than English ones.
    Counted in one pass over the function words only: a 1 MB sample has 200,000 words, and
    making a string of each was most of the cost (issue 17)."""
    words = _FUNCTION_WORD.findall(sample)
    return "es" if sum(map(_ES.__contains__, words)) > sum(map(_EN.__contains__, words)) else "en"


_GROUPS = quick(
    r"(?i)\b(?:the\s+)?(observer\s+organi[sz]ations|organizaciones\s+observadoras|"
    r"participating\s+countries|pa[ií]ses\s+participantes|member\s+(?:countries|states)|"
    r"pa[ií]ses\s+miembros|estados\s+miembros|civil\s+society|sociedad\s+civil)\b"
)
_GROUP_KEYS = {
    "observer": "observer-organizations",
    "organizaciones": "observer-organizations",
    "participating": "participating-countries",
    "países participantes": "participating-countries",
    "paises participantes": "participating-countries",
    "member": "member-countries",
    "países miembros": "member-countries",
    "paises miembros": "member-countries",
    "estados miembros": "member-countries",
    "civil": "civil-society",
    "sociedad": "civil-society",
}


@dataclass
class Sentence:
    index: int
    block_index: int
    block: Block
    seg: Segment
    start_in_block: int  # clean index of the sentence start inside its block
    mentions: list[Mention]
    dates: list[DateMatch]

    @property
    def text(self) -> str:
        return self.seg.text

    def sentence_start_of_block(self) -> bool:
        return self.start_in_block == 0


@dataclass
class DocContext:
    doc: ReadDocument
    gazetteer: Gazetteer
    sentences: list[Sentence]
    language: str
    main_process: str
    date: DateValue | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        return self.date.year if self.date and not self.date.uncertain else None

    def actor(self, sentence: Sentence, mention: Mention, method: str) -> list[ActorRef]:
        """ActorRefs for a mention (a body mention may stand for bodies of two processes)."""
        span = sentence.seg.span(mention.start, mention.end)
        if mention.kind == "body":
            procs = resolve_body(sentence.text, mention, self.main_process)
            if mention.plural and len(procs) == 1 and _respective(sentence.text, mention):
                procs = sorted(self.processes_named())
            return [
                ActorRef("body", f"{p}:{mention.key}", mention.name, span, method) for p in procs
            ]
        if mention.kind == "city":
            return []
        kind = "process" if mention.kind == "process" else mention.kind
        return [ActorRef(cast(ActorKind, kind), mention.key, mention.name, span, method)]

    def processes_named(self) -> set[str]:
        return {m.key for s in self.sentences for m in s.mentions if m.kind == "process"} or {
            self.main_process
        }

    def groups(self, sentence: Sentence, method: str) -> list[tuple[int, ActorRef]]:
        out = []
        for m in _GROUPS.finditer(sentence.text):
            words = m.group(1).lower()
            key = next((v for k, v in _GROUP_KEYS.items() if words.startswith(k)), None)
            if key is None:
                continue
            span = sentence.seg.span(m.start(1), m.end(1))
            out.append((m.start(1), ActorRef("group", key, m.group(1), span, method)))
        return out


def _first_index_finder(offsets: tuple[int, ...]) -> Callable[[int], int]:
    """Where an original offset first occurs in a block's clean text (KeyError if nowhere).

    A block's offsets normally never decrease (checked here, in C): then a binary search finds
    the first occurrence, and no dict of a million offsets is built for a 1 MB block."""
    if all(map(operator.le, offsets, itertools.islice(offsets, 1, None))):

        def first(offset: int) -> int:
            index = bisect_left(offsets, offset)
            if index == len(offsets) or offsets[index] != offset:
                raise KeyError(offset)
            return index

        return first
    return _first_indexes(offsets).__getitem__


def _first_indexes(offsets: tuple[int, ...]) -> dict[int, int]:
    """Where each original offset first occurs in a block's clean text.

    WHY a dict, built once per block: ``offsets.index(start)`` per sentence made a block of
    many sentences quadratic (issue 17: 1 MB of repeated lines took 42 s)."""
    # from the end, so that the first occurrence is written last and stays
    return dict(zip(reversed(offsets), range(len(offsets) - 1, -1, -1), strict=True))


def _respective(text: str, mention: Mention) -> bool:
    after = text[mention.end : mention.end + 60].lower()
    return bool(re.match(r"\s*(?:of\s+)?(?:the\s+)?(?:respective|both|each|de\s+ambos)", after))


def build_context(doc: ReadDocument, gazetteer: Gazetteer) -> DocContext:
    sentences: list[Sentence] = []
    for b_index, block in enumerate(doc.blocks):
        first_index: Callable[[int], int] | None = None
        for seg in block.sentences:
            start_in_block = 0
            if seg.offsets:
                if first_index is None:
                    first_index = _first_index_finder(block.segment.offsets)
                start_in_block = first_index(seg.offsets[0])
            sentences.append(
                Sentence(
                    len(sentences),
                    b_index,
                    block,
                    seg,
                    start_in_block,
                    gazetteer.find(seg.text),
                    find_dates(seg),
                )
            )
    cut = _complete_cut_name(doc, sentences, gazetteer)
    _drop_instrument_cities(sentences)
    _add_defined_organizations(sentences)
    _add_unlisted_towns(sentences)
    _add_capitals(sentences, gazetteer)
    _city_of_a_state(sentences, gazetteer)
    _add_state_adjectives(sentences)
    _add_title_case_acronyms(sentences)
    for s in sentences:
        s.mentions = compose_organs(s.text, split_glued_acronyms(s.text, s.mentions, gazetteer))
    sample = " ".join(b.text for b in doc.blocks[:40]).lower()
    language = _language(sample)
    counts: dict[str, int] = {}
    for s in sentences:
        for m in s.mentions:
            if m.kind == "process":
                counts[m.key] = counts.get(m.key, 0) + 1
    main = "rcm" if counts.get("rcm", 0) >= counts.get("sacm", 0) else "sacm"
    ctx = DocContext(doc, gazetteer, sentences, language, main)
    if cut is not None:
        ctx.warnings.append(f"the text ends mid-name: {cut.name!r} read as {cut.key}")
    return ctx


def _complete_cut_name(
    doc: ReadDocument, sentences: list[Sentence], gazetteer: Gazetteer
) -> Mention | None:
    """The name the document's last word cuts off (:meth:`Gazetteer.cut_name`), added to the
    last sentence's mentions. Only where the document itself ends in a letter, and the last
    sentence ends with it: a page stored up to a byte limit, cut mid-word."""
    if not sentences or not doc.text[-1:].isalpha():
        return None
    last = sentences[-1]
    fragment = doc.text[-3:]
    if not last.text.endswith(fragment):
        return None
    if last.mentions and last.mentions[-1].end >= len(last.text):
        return None  # the last word is a name already
    cut = gazetteer.cut_name(last.text)
    if cut is None or any(m.end > cut.start for m in last.mentions):
        return None
    last.mentions = [*last.mentions, cut]
    return cut


_ORG_WORDS = (
    r"Organi[sz]ation|Organisation|Bank|Fund|Office|Commission|Agency|Institute|Network|"
    r"Programme|Program|Council|Committee|Secretariat|Union|Association|Foundation|Federation|"
    r"Alliance|Centre|Center|Observatory|Coalition|Initiative|Organización|Banco|Fondo|Oficina|"
    r"Comisión|Agencia|Instituto|Red|Consejo|Comité|Secretaría|Unión|Asociación|Fundación|"
    r"Federación|Alianza|Centro|Observatorio|Coalición|Iniciativa"
)
_UP_WORD = r"[A-ZÁÉÍÓÚÑ][\w'’.-]*"
_DEFINED_ORG = re.compile(
    rf"(?P<name>{_UP_WORD}(?:\s+(?:{_UP_WORD}|of|for|on|the|and|de|del|la|las|los|el|y|para|"
    rf"sobre|en)){{1,10}})\s+\((?P<acronym>[A-Z][A-Za-z]{{1,9}})\)"
)


# "in the resort town of Tela, Honduras", "en la ciudad de Tela, Honduras": a place name the
# cities lexicon does not hold, made certain by the state written right after it
_UNLISTED_TOWN = re.compile(
    r"\b(?:in|at|en)\s+(?:the\s+(?:[a-z-]+\s+){0,2}(?:city|town|village|municipality|port)\s+of\s+"
    r"|la\s+ciudad\s+de\s+|el\s+municipio\s+de\s+|el\s+puerto\s+de\s+)?"
    r"(?P<town>[A-ZÁÉÍÓÚÑ][a-záéíóúñü'-]+(?:\s+(?:de\s+|del\s+|la\s+|el\s+)?"
    r"[A-ZÁÉÍÓÚÑ][a-záéíóúñü'-]+){0,3}),\s"
)
# capitalised words that are regions or parts of a state's name, never a town
_NOT_TOWNS = frozenset(
    "America América Americas Américas Caribbean Caribe Central Centroamérica Mesoamérica "  # noqa: SIM905
    "Latin Latina North Norte South Sur Región Region Hemisphere Hemisferio "
    "January February March April May June July August September October November December "
    "Enero Febrero Marzo Abril Mayo Junio Julio Agosto Septiembre Setiembre Octubre Noviembre "
    "Diciembre".split()
)


def _add_mentions(s: Sentence, extra: list[Mention]) -> None:
    """Mentions a document-level pass found, merged into the sentence's in text order (they
    never overlap the ones it has)."""
    if extra:
        s.mentions = sorted([*s.mentions, *extra], key=lambda x: (x.start, x.end))


@cache
def _capital_phrase() -> tuple[re.Pattern[str], dict[str, str]]:
    """ "the Honduran capital", "la capital hondureña" (lexicon ``capitals.tsv``), and the
    capital each adjective names."""
    of: dict[str, str] = {}
    for _iso3, capital, demonyms in table("capitals.tsv"):
        for word in demonyms.split("|"):
            of[word.lower()] = capital
            of[unaccented(word).lower()] = capital
    words = "|".join(re.escape(w) for w in sorted(of, key=len, reverse=True))
    pattern = re.compile(
        rf"(?i)\b(?:the\s+(?P<en>{words})\s+capital|la\s+capital\s+(?P<es>{words}))(?!\w)"
    )
    return pattern, of


_CITY_OF = re.compile(r"(?i)\b(?:city|ciudad)\s+(?:of|de)\s+(?:the\s+)?$")


@cache
def _capitals_named_after(gazetteer: Gazetteer) -> dict[str, str]:
    """ISO3 -> the capital that bears the state's name ("GTM" -> "Guatemala City"), once."""
    return {
        iso3: city
        for city, iso3 in gazetteer.city_country.items()
        if city.endswith(" City") or city.startswith("Ciudad de ")
    }


def _city_of_a_state(sentences: list[Sentence], gazetteer: Gazetteer) -> None:
    """ "gathered in the city of Guatemala": a state named after "city of" is its capital that
    bears its name (Guatemala City, Panama City, Mexico City, as the cities lexicon lists
    them), not the state."""
    named_after = _capitals_named_after(gazetteer)
    for s in sentences:
        if "ity of" not in s.text and "iudad de" not in s.text:
            continue
        s.mentions = [
            Mention("city", f"{named_after[m.key]}|{m.key}", m.name, m.start, m.end)
            if m.kind == "state"
            and m.key in named_after
            and _CITY_OF.search(s.text, max(0, m.start - 20), m.start)
            else m
            for m in s.mentions
        ]


def _add_capitals(sentences: list[Sentence], gazetteer: Gazetteer) -> None:
    """A capital named by its country's adjective is that city: "concluyó hoy en la capital
    panameña" places the meeting in Panama City, as "in Panama City" would."""
    pattern, of = _capital_phrase()
    for s in sentences:
        if "capital" not in s.text.lower():
            continue
        found = []
        for m in pattern.finditer(s.text):
            word = (m.group("en") or m.group("es")).lower()
            capital = of[word]
            iso3 = gazetteer.city_country.get(capital)
            if iso3 is None or any(x.start < m.end() and m.start() < x.end for x in s.mentions):
                continue
            found.append(Mention("city", f"{capital}|{iso3}", m.group(), m.start(), m.end()))
        _add_mentions(s, found)


# the institutions an adjective of nationality stands for the state with: "the Brazilian
# Chair", "the Mexican and Guatemalan delegations", "la delegación mexicana", "el canciller
# salvadoreño" (never a people: "Venezuelan migrants" names no state)
_INSTITUTION_EN = (
    r"(?:delegations?|government|chair(?:manship)?|(?:pro[- ]tempore\s+)?presidency|authorities|"
    r"foreign\s+minist(?:er|ry)|vice[- ]?minister|minister|ambassador|embassy)\b"
)
_INSTITUTION_ES = (
    r"(?:delegaci[oó]n(?:es)?|gobierno|presidencia(?:\s+pro[- ]t[eé]mpore)?|canciller[ií]a|"
    r"canciller|autoridades|(?:vice)?ministr[oa]|embajador[a]?|embajada)"
)


# the institution itself, found first: its adjectives are then read next to it, word by word
# (one long alternation of adjectives tried at every position cost 1.5 s on 1 MB of prose)
_INSTITUTION_EN_RE = quick(rf"(?i)(?<![\w-]){_INSTITUTION_EN}")
_INSTITUTION_ES_RE = quick(rf"(?i)(?<![\w-]){_INSTITUTION_ES}(?!\w)")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[\s,]*$")
_WORD_AFTER = re.compile(r"[\s,]*([^\W\d_]+)")


@cache
def _adjectives() -> dict[str, str]:
    """The state each adjective of nationality of ``capitals.tsv`` stands for, lower case."""
    of: dict[str, str] = {}
    for iso3, _capital, demonyms in table("capitals.tsv"):
        for word in demonyms.split("|"):
            if len(word) > 3 and " " not in word:  # "US" is an abbreviation, not an adjective
                of[word.lower()] = iso3
                of[unaccented(word).lower()] = iso3
    return of


def _add_state_adjectives(sentences: list[Sentence]) -> None:
    """Rule ``state-adjective``: an adjective of nationality joined to an institution names
    the state: "the Brazilian Chair" is Brazil's, "the Mexican and Guatemalan delegations"
    Mexico's and Guatemala's, "la delegación mexicana" Mexico's. English adjectives stand
    before the noun, capitalised; Spanish ones follow it, in lower case."""
    of = _adjectives()
    for s in sentences:
        found: list[Mention] = []
        for m in _INSTITUTION_EN_RE.finditer(s.text):
            end, got = m.start(), 0
            while True:  # backwards over "Mexican and Guatemalan", "Chilean, Peruvian"
                w = _WORD_BEFORE.search(s.text, max(0, end - 40), end)
                if w is None:
                    break
                word = w.group(1)
                if got and word == "and":
                    end = w.start()
                    continue
                if not (word[:1].isupper() and word.lower() in of):
                    break
                found.append(Mention("state", of[word.lower()], word, w.start(1), w.end(1)))
                end, got = w.start(), got + 1
        for m in _INSTITUTION_ES_RE.finditer(s.text):
            at, got = m.end(), 0
            while True:  # forwards over "peruana y chilena"
                w = _WORD_AFTER.match(s.text, at)
                if w is None:
                    break
                word = w.group(1)
                if got and word == "y":
                    at = w.end()
                    continue
                if not (word.islower() and word in of):
                    break
                found.append(Mention("state", of[word], word, w.start(1), w.end(1)))
                at, got = w.end(), got + 1
        found = [
            x for x in found if not any(y.start < x.end and x.start < y.end for y in s.mentions)
        ]
        _add_mentions(s, sorted(set(found), key=lambda x: x.start))


# a city that names an instrument or a process is no place: "the Los Angeles Declaration",
# "la Declaración Política de la Ciudad de México", "Plan de Acción de Quito", "Quito Process"
_INSTRUMENT_AFTER = re.compile(
    r"\s+(?:Declaration|Process|Plan of Action|Action Plan|Plan|Protocol|Consensus|Commitment|"
    r"Agreement|Accord|Compact|Principles)(?![a-z])"  # "DeclarationOn": a page lost the space
)
_INSTRUMENT_BEFORE = re.compile(
    r"(?i)\b(?:declaraci[oó]n|proceso|plan de acci[oó]n|consenso|compromiso|protocolo|acuerdo|"
    r"principios|declaration|process|plan of action|consensus|commitment|protocol|principles)"
    r"(?:\s+pol[ií]tica|\s+political|\s+ministerial)?\s+(?:de|of)\s+(?:la\s+|the\s+)?$"
)


def _drop_instrument_cities(sentences: list[Sentence]) -> None:
    """Rule ``instrument-city``: a city inside the name of an instrument or a process is part
    of that name, not where anything is held ("the Los Angeles Declaration", "la Declaración
    de Quito"): its mention is dropped."""
    for s in sentences:
        if not any(m.kind == "city" for m in s.mentions):
            continue
        s.mentions = [
            m
            for m in s.mentions
            if m.kind != "city"
            or not (
                _INSTRUMENT_AFTER.match(s.text, m.end)
                or _INSTRUMENT_BEFORE.search(s.text[max(0, m.start - 50) : m.start])
            )
        ]


def _add_unlisted_towns(sentences: list[Sentence]) -> None:
    """A town the cities lexicon does not hold is still a city where the text pins it to a
    state: "in Tela, Honduras". Keyed "Town|ISO3" like a listed city."""
    for s in sentences:
        states = {m.start: m for m in s.mentions if m.kind == "state"}
        if not states or "," not in s.text:
            continue
        found = []
        taken = [(x.start, x.end) for x in s.mentions] + [(d.start, d.end) for d in s.dates]
        for m in _UNLISTED_TOWN.finditer(s.text):
            state = states.get(m.end())
            town = m.group("town")
            if state is None or any(w in _NOT_TOWNS for w in town.split()):
                continue
            start, end = m.start("town"), m.end("town")
            if any(a < end and start < b for a, b in taken):
                continue  # a known name (a state, an organization, a listed city) or a date
            found.append(Mention("city", f"{town}|{state.key}", town, start, end))
        _add_mentions(s, found)


def _add_title_case_acronyms(sentences: list[Sentence]) -> None:
    """An acronym the text writes in Title case and in brackets after its name ("… (Cepal)")
    is the gazetteer's only on that condition (``bracketed-acronym``, so that ordinary words are
    not taken); once the document has defined it so, it names the same organization wherever
    the document writes it again ("la Cepal presentó …")."""
    defined: dict[str, Mention] = {}
    for s in sentences:
        for m in s.mentions:
            word = m.name
            if (
                m.kind in ("organization", "process")
                and len(word) >= 3
                and word[0].isupper()
                and word[1:].islower()
                and s.text[m.start - 1 : m.start] == "("
                and s.text[m.end : m.end + 1] == ")"
            ):
                defined.setdefault(word, m)
    if not defined:
        return
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, defined)) + r")(?![\w-])")
    for s in sentences:
        extra = []
        for found in pattern.finditer(s.text):
            start, end = found.span()
            if any(x.start < end and start < x.end for x in s.mentions):
                continue
            known = defined[found.group()]
            extra.append(Mention(known.kind, known.key, found.group(), start, end))
        _add_mentions(s, extra)


def _add_defined_organizations(sentences: list[Sentence]) -> None:
    """Organizations the reference data does not know, defined in the text with an acronym:
    "the Inter-American Development Bank (IDB)". Their key is the acronym's slug, as the facts
    contract says; later mentions of the name or the acronym are recognised too."""
    defined: dict[str, str] = {}  # written form -> acronym
    for s in sentences:
        if "(" not in s.text:  # every definition has its acronym in brackets
            continue
        for m in _DEFINED_ORG.finditer(s.text):
            if any(x.start <= m.start("acronym") < x.end for x in s.mentions):
                continue  # a known name or acronym
            name = re.sub(r"^(?:the|The|la|La|el|El|los|Los|las|Las)\s+", "", m.group("name"))
            if not re.search(rf"\b(?:{_ORG_WORDS})\b", name):
                continue
            defined[name] = defined[m.group("acronym")] = m.group("acronym")
    if not defined:
        return
    pattern = re.compile(
        r"(?<![\w-])(?:"
        + "|".join(re.escape(n) for n in sorted(defined, key=len, reverse=True))
        + r")(?![\w-])"
    )
    for s in sentences:
        extra = []
        for m in pattern.finditer(s.text):
            # a known name inside the defined one gives way to it ("United Nations" in "the
            # United Nations Population Council (UNPC)"); one that crosses its edge does not
            inside = [x for x in s.mentions if m.start() <= x.start and x.end <= m.end()]
            if any(x.start == m.start() and x.end == m.end() for x in inside):
                continue  # the very same words are a known name
            if any(x.start < m.end() and m.start() < x.end for x in s.mentions if x not in inside):
                continue
            s.mentions = [x for x in s.mentions if x not in inside]
            acronym = defined[m.group()]
            extra.append(Mention("organization", acronym.lower(), m.group(), m.start(), m.end()))
        _add_mentions(s, extra)

"""Who took part in the reported meeting, and in which role: only what the text says.

Rules, each named in the fact's method:
- ``thanks``: in a sentence that thanks actors, those thanked *for their hospitality* (or for
  hosting) are hosts, the others thanked are supporters; none of them becomes a participant.
  ``thanks-participation``: "thanked the participation / presence of X" says X took part
  (not when a word of support stands between: "the participation of … and the support of X").
- ``support``: the list after "with the (technical) support of", "con el apoyo de",
  "in coordination with" -> supporter.
- ``supported-subject``: an organization that "supported" (apoyó) the process, its meeting or
  the event, as the subject of the verb -> supporter.
- ``convened``: the subject of "held / convened / organized" in a sentence about the meeting.
- ``attendance``: the *list of names* that an attendance cue introduces ("with the
  participation of (the member countries of) A, B and C", "Los Representantes de los Gobiernos
  de A, B y C", "representatives from", "los países miembros: A, B") or closes ("A, B and C
  participated", "A y B, reunidos en", "A, B and C agreed"), or names laid out line by line
  under "Participating countries:". Only names inside the list count: a country named as a
  place ("held in Lima, Peru") or as an object ("agreed to support D") does not; a sentence
  that states an aim or an expectation ("the objective was to bring together") reports no
  attendance. "as observers", "en calidad de observadores", "Observer organizations:" make the
  listed actors observers. A footnote attached to the list contributes its actors too.
- ``participation-of``: the states listed at the end of a chain of "de / of" phrases after
  "with the participation of" ("con la participación de funcionarios de los Ministerios de …
  responsables de los asuntos migratorios de A, B y C"), beyond the reach of ``attendance``.
- ``person-list``: the states and organizations of the people who opened, chaired or
  accompanied the meeting ("opened by the IOM Deputy Director General", "acompañado por …").
- ``hosting``: "hosted by A", "A was the host country", "A fue sede de" -> host;
  "organized by A" -> organizer.
- ``presented-by``: "the budget submitted by the Technical Secretariat", "la exposición por
  parte de OIM-CEPAL", "la presentación del informe de la OIM" -> presenter (several acronyms
  joined by a dash or slash all present).
- ``secretariat``: the organization named as the Technical Secretariat -> supporter.
- ``body-meeting``: a body that held its own session within the meeting ("la reunión del
  GRCM") takes part.
- ``holds-presidency``: "<State>, currently holding the Presidency Pro Tempore" -> presidency.
- ``list-entries``: a list opened by "Participants:" that goes on in the next block, one entry
  per ";" part ("Org A (ACR) represented by …; Org B (ACR)"), or in a later sentence of its
  own block that opens with an entry.
- ``counted-members``: "officials from the 11 countries that make up the RCM are meeting",
  resolved to the one list of exactly 11 states the document gives elsewhere.
- ``intervention``: in minutes and reports, an actor who speaks (subject of "stated",
  "proposed", a "Panama:" question label) took part, as speaker.
- ``as-role``: "attended ... as a listener / as observer".
- ``person-speaks``: a person the text ties to a state who speaks in a sentence about the
  meeting ("el ministro de Relaciones Exteriores de Panamá, …, reiteró") gives the state a voice.
- ``own-meeting``: the process (or body, or organization) whose meeting it is takes part (the
  RCM at an RCM meeting, the RCGM at its own meeting, the OAS at an "Annual Meeting of the OAS").
An actor is never added because it is a member of a process: unnamed members are not guessed.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from functools import cache

from rcm_graph.model.facts import ActorRef, Meeting, Participation, Person, Role
from rcm_graph.stages.extraction.context import DocContext, Sentence
from rcm_graph.stages.extraction.gazetteer import Mention, resolve_body, unaccented
from rcm_graph.stages.extraction.lexicons import table
from rcm_graph.stages.extraction.meetings import EARLIER_WORDS, opening_sentences
from rcm_graph.stages.extraction.ordinals import cardinal_pattern, cardinal_value, ordinal_pattern
from rcm_graph.stages.extraction.prefilter import quick

_THANK = quick(r"(?i)\b(thank\w*|gratitude|grateful|agrade[cz]\w*|appreciation)\b")
# thanked for these, an actor hosted the meeting (an invitation to it is the host's)
_HOSPITALITY = quick(
    r"(?i)\b(hospitality|hosting|hospitalidad|anfitri\w+|acogida|invitation|invitaci[oó]n)\b"
)
# thanked "for the (excellent) organization of the Conference", "por la organización de la
# reunión": the actor organized the meeting
_ORGANISING = re.compile(
    r"(?i)\s*(?:for|por)\s+(?:the\s+|la\s+|su\s+|its\s+|their\s+)?(?:\w+\s+){0,2}?"
    r"(?:organi[sz]ation|organizing|organising|organizaci[oó]n)\s+(?:of|de)\s+"
    r"(?:the\s+|this\s+|la\s+|el\s+|esta\s+|este\s+)?(?:[\w-]+\s+){0,3}?(?:meeting|conference|"
    r"forum|workshop|event|reuni[oó]n|conferencia|foro|taller|evento|encuentro)"
)
# "with the (technical and financial) support of", "con el apoyo (técnico) de", "gracias al
# apoyo de", "with the cooperation of", "en coordinación con": up to three qualifying words.
_QUALIFIED = r"(?:[^\W\d_]+,?\s+(?:(?:and|y|e)\s+)?){0,3}?"
_SUPPORT = quick(
    rf"(?i)\b(with the {_QUALIFIED}(?:support|backing|sponsorship|assistance|cooperation|"
    rf"collaboration|funding) of|supported by|sponsored by|funded by|financed by|"
    rf"in coordination with|(?:con el|gracias al) (?:apoyo|auspicio|patrocinio|financiamiento|"
    rf"acompañamiento)\s+{_QUALIFIED}de(?:l)?|con la (?:cooperaci[oó]n|colaboraci[oó]n|"
    rf"asistencia)\s+{_QUALIFIED}de(?:l)?|en coordinaci[oó]n (?:con|de)(?:l)?)\s"
)
_ATTEND = re.compile(
    r"(?i)\b(attended by|attended|attendance of|with the participation of|participated|took part|"
    r"with the presence of|con la presencia de|estuvieron presentes|asisti[oó]|"
    r"(?:participating|attending) (?:countries|states|delegations|governments)|"
    r"countries present(?=\s*:)|pa[ií]ses (?:participantes|presentes)|"
    r"delegaciones (?:participantes|presentes)|gobiernos participantes|"
    r"the participants were|additional participants|"
    r"were present|bring together|brought together|gathered|gathering|"
    r"representatives (?:of|from)|delegations of|delegations from|delegates (?:of|from)|"
    r"officials (?:of|from)|"
    r"member countries of|member states of|namely|heads of delegation of|"
    r"(?:authorities|representatives|delegations|governments|heads of delegation|"
    r"(?:deputy |vice[- ]?)?ministers)\s+(?:of|from)\s+the\s+governments?\s+of|"
    r"(?:deputy |vice[- ]?)?ministers\s+(?:of|from)|"
    r"representantes(?:\s+\w+)?\s+de|delegados(?:\s+\w+)?\s+de|"
    r"(?:vice)?ministr[oa]s(?:\s*\(as\))?\s+de|"
    r"asistieron|particip[oó]|participaron|integrad[oa]s? por|"
    r"con la participaci[oó]n de|reuni[oó] a|re[uú]nen? a|brings together|"
    r"(?:the )?following (?:international |observer )?organi[sz]ations(?=\s*:)|"
    r"(?:los |las )?(?:siguientes )?(?:organismos|organizaciones) (?:internacionales|"
    r"observadores|observadoras)(?=\s*:)|se reunieron|reunid[oa]s|jefes de delegaci[oó]n de|"
    r"delegaciones de|(?:the |la )?delegation (?:of|from)|(?:la )?delegaci[oó]n de(?:l)?|"
    r"(?:also )?(?:attending|present|participating)(?=\s*(?:were|was|:))|"
    r"have agreed|hemos acordado|han acordado|"
    r"(?:countries|states|governments) that signed(?: (?:are|were))?|signed by|"
    r"signatory (?:countries|states)(?: (?:are|were))?|(?:pa[ií]ses|estados) (?:firmantes|"
    r"signatarios)(?: (?:son|fueron))?|firmad[oa] por|suscrit[oa] por|"
    r"the presence of|la presencia de|"
    r"(?:declaraci[oó]n|documento|plan|acuerdo) compromete a|(?:declaration|document|plan) "
    r"commits|"
    r"(?:opened|inaugurated|closed|chaired)\b[^.;]{0,40}?\bby|inaugur[oó]|inauguraron|"
    r"sesi[oó]n inaugural estuvo a cargo del?|"
    r"accompanied by|acompañad[oa]s? (?:por|de)|"
    r"as (?:an? )?observers?|en calidad de observador(?:es|as)?|"
    r"special guests?|invitad[oa]s especiales|con la asistencia de|with the attendance of|"
    r"(?:observer (?:organi[sz]ations|countries|states|delegations)|observers|observadores|"
    r"organizaciones observadoras|organismos observadores|(?:pa[ií]ses|estados) observadores)"
    r"(?=\s*:))\b"
)
# a colon that opens a list of aims or topics, not of who attended
_AIMS_LIST = quick(
    r"(?i)\b(?:objectives?|aims?|goals?|purposes?|topics|agenda|themes|objetivos?|metas?|"
    r"prop[oó]sitos?|temas|agenda)\b[^:]{0,30}:\s*$"
)
# Cues whose list is their subject only: "A, B and C have agreed", never "have agreed to
# support D" (D is an object, not a participant).
_SUBJECT_ONLY = re.compile(r"(?i)have agreed|hemos acordado|han acordado")
# Verbs of a declaration's subjects ("Belize, Canada and Mexico agreed / decided / adopted"):
# only the list before them is read (the part after names objects).
_AGREED = quick(
    r"(?i)\b(?:agreed?|decided?|adopted|approved|resolved?|declared?|met|acordaron|acuerdan|"
    r"decidieron|deciden|adoptaron|adoptan|aprobaron|aprueban|declaran|declararon|resuelven)\b"
)
# Words that say the sentence states an aim or an expectation, not who took part: "the aim
# of the workshop is to bring together …", "la participación de … se espera".
_INTENT = quick(
    r"(?i)\b(?:objective|aim|purpose|goal|objetivo|prop[oó]sito|finalidad)s?\b[^.;]{0,60}?"
    r"\b(?:is|was|are|were|será|es|fue|era)\s+(?:to|de|el de|la de)?\b|"
    r"\b(?:is|are) expected\b|\bse espera\b|\bwill (?:participate|attend|take part)\b|"
    r"\bmay (?:participate|attend)\b|\bpodr[aá]n? (?:participar|asistir)\b|"
    r"\binvited to (?:participate|attend)\b|\binvita(?:n|r)? a (?:participar|asistir)\b"
)
# What may stand between two names of one list ("A, B and the Republic of C", "A (Mr. X), B"):
# separators, articles, capitalised words of a name the gazetteer does not know; a lower-case
# word of running text (a verb, "took place in") or a number ends the list.
_LIST_WORDS = frozenset(
    (
        *("and", "y", "e", "as", "well", "así", "como", "also", "along", "together", "with"),
        *("junto", "con", "the", "la", "el", "los", "las", "of", "de", "del", "from", "its"),
        *("their", "su", "sus", "government", "governments", "gobierno", "gobiernos"),
        *("delegation", "delegations", "delegación", "delegaciones", "representatives"),
        *("representantes", "member", "members", "miembro", "miembros", "observer", "observers"),
        *("observador", "observadores", "organization", "organizations", "organisation"),
        *("organisations", "organización", "organizaciones", "countries", "country", "países"),
        *("país", "states", "estados", "other", "others", "otros", "otras", "including"),
        *("incluidos", "such", "tales", "namely", "a", "saber"),
    )
)
# How far an attendance cue may stand from the first name of its list ("with the participation
# of the ministers and senior officials who lead the delegations of the member states A, B …").
_CUE_REACH = 130
_CONVENE = quick(
    r"(?i)\b(held|holds|convened|convenes|organi[sz]ed|organi[sz]es|hosted|hosts|celebr[oó]|"
    r"realiz[oó]|convoc[oó]|organiz[oó])\b"
)
_OBSERVER_CUE = quick(
    r"(?i)\b(?:as|in (?:their|its) capacity as|en calidad de|como)\s+(?:an?\s+)?"
    r"(?:observer|observador|organizaciones observadoras|observer organi[sz]ations)|"
    r"\b(?:observer (?:organi[sz]ations|countries|states|delegations)|observers|observadores|"
    r"organizaciones observadoras|organismos observadores|(?:pa[ií]ses|estados) observadores)"
    r"(?=\s*:)"
)
_APPOSITION = re.compile(
    r"(?i)^\s*,?\s*(?:\([A-Z]{2,4}\)\s*,?\s*)?"
    r"(?:as|in (?:its|their) capacity as|como|en su calidad de)\s+"
    r"(?:the\s+)?(?P<what>host(?:\s+country)?|pa[ií]s\s+(?:anfitri[oó]n|sede)|anfitri[oó]n|sede|chair|"
    r"presidency pro[-\s]t[eé]mpore|pro[-\s]t[eé]mpore (?:presidency|chairmanship)|"
    r"presidencia pro[-\s]t[eé]mpore|PPT)"
)
# the co-chairs named as the sentence's subject, however far before the verb
_CO_CHAIR = quick(
    r"(?i)\b(?:co-?chair(?:ed)?|co-?presid(?:ed|ir|ieron|i[oó])|copresid(?:ir|ieron|i[oó]))\b"
)
_CHAIRED = quick(
    r"(?i)[\s,]*(?:\([A-Z]{2,4}\)\s*)?(?:chaired|presided over|presided|presidi[oó])\b"
)
_PRESIDENCY = re.compile(
    r"(?i)\b(?:presidency pro[-\s]t[eé]mpore|pro[-\s]t[eé]mpore (?:presidency|chairmanship)|"
    r"presidencia pro[-\s]t[eé]mpore|ppt)(?:\s*\(PPT\))?\s+(?:of|de)\s+(?:the\s+)?$"
)
_SPEECH = re.compile(
    r"(?i)^(?:in addition,\s*|furthermore,\s*|moreover,\s*|finally,\s*|also,\s*|answer:\s*)?"
    r"(?:the\s+)?(?P<actor>.{2,80}?)\s+(?:also\s+)?(?P<verb>stated|mentioned|pointed out|"
    r"proposed|suggested|requested|asked|expressed|considered|agreed|highlighted|noted|"
    r"reiterated|welcomed|presented|explained|shared|replied|accepted|believes|commits|"
    r"reported|made a presentation|reminded|reviewed|invited|indicated|said|emphasi[sz]ed|"
    r"underscored|recalled|informed|señal[oó]|manifest[oó]|indic[oó]|mencion[oó]|propuso|"
    r"sugiri[oó]|solicit[oó]|expres[oó]|destac[oó]|present[oó]|inform[oó]|agradeci[oó])\b"
)
_LABEL = re.compile(r"^(?P<actor>[^:]{2,60}):\s+\S")
_AS_ROLE = quick(
    r"(?i)\bas (?:an? )?(?P<role>listener|observer|observer country|chair|host|speaker|"
    r"presenter)s?\b|\bcomo (?P<es>oyente|observador[a]?|anfitri[oó]n)\b"
)
# How far after a mention its qualifiers are looked for: a bounded window, because slicing the
# rest of the sentence for every mention is quadratic on a pathological megabyte-long sentence.
_AFTER = 200
_QUALIFIER_AFTER = re.compile(
    r"(?i)^[\s-]*(observer organi[sz]ations|member (?:countries|states)|member countr|"
    r"countries|organizaciones observadoras|pa[ií]ses miembros)"
)
_PREP_BEFORE = re.compile(
    r"(?i)\b(of|in|at|to|with|by|from|through|within|into|for|de|en|con|por|para|del|al)\s+"
    r"(?:the\s+|its\s+|their\s+|la\s+|el\s+|los\s+|las\s+|su\s+)?$"
)
_TRANSPARENT = quick(
    r"(?i)(government|governments|people|republic|gobierno|gobiernos|pueblo|rep[uú]blica|"
    r"delegation|delegaci[oó]n|state|estado|ministers?|ministr[oa]s?|representatives?|"
    r"representantes?)\s+(?:and\s+(?:the\s+)?government\s+)?(?:of|de|del)\s+"
    r"(?:the\s+)?$"
)


_SUBJECT_FILLERS = frozenset(
    [
        "the",
        "and",
        "y",
        "la",
        "el",
        "los",
        "las",
        "del",
        "de",
        "of",
        "delegation",
        "delegación",
        "representative",
        "representante",
        "government",
        "gobierno",
    ]
)


class _Collector:
    def __init__(self, ctx: DocContext, meeting: Meeting) -> None:
        self.ctx = ctx
        self.meeting = meeting
        self.out: list[Participation] = []
        self.seen: set[tuple[str, str, str]] = set()

    def add(self, actor: ActorRef, role: Role, sentence: Sentence | None, rule: str) -> None:
        key = (actor.kind, actor.key, role)
        if key in self.seen:
            return
        self.seen.add(key)
        method = f"rule:{rule}"
        actor = ActorRef(actor.kind, actor.key, actor.name, actor.span, method)
        self.out.append(Participation(self.meeting.local_id, actor, role, actor.span, method))


def find_participations(
    ctx: DocContext, meeting: Meeting, speeches: bool, persons: Sequence[Person] = ()
) -> list[Participation]:
    c = _Collector(ctx, meeting)
    opening = {s.index for s in opening_sentences(ctx, 3)}
    listing = False  # items, or lines of names, after "The following delegations attended:"
    observing = False  # … after "Observer organizations:"
    headed: object | None = None  # the block whose list opened with "Participants: …"
    entries: object | None = None  # the next block, if it goes on with that list's entries
    for s in ctx.sentences:
        if listing and (s.block.kind == "item" or _names_only(s)):
            _attendance(c, s, whole=True, observers=observing)
            continue
        if s.block is not headed and s.block is not entries:
            entries = s.block if headed is not None and _opens_with_actor(c, s) else None
            headed = None
        if s.block is entries:
            _list_entries(c, s)
        elif s.block is headed and _continues_list(c, s):
            _list_entries(c, s)  # "Participants: A and B. C, which holds …": C is listed too
        if _HEADED_LIST.search(s.text) and _about_meeting(ctx, meeting, s):
            headed = s.block
        observing = bool(_OBSERVER_CUE.search(s.text))
        listing = (
            s.block.kind != "item"
            and s.text.rstrip().endswith(":")
            and bool(_ATTEND.search(s.text))
            and not _AGREED.search(s.text[-25:])  # "…, reunidos en Lima, acuerdan:" opens items
            and not _AIMS_LIST.search(s.text[-60:])  # "… with the following objectives:"
            and _about_meeting(ctx, meeting, s)
        )
        if s.block.kind == "footnote":
            continue
        if _PRESENTED_BY.search(s.text):  # also when thanked ("thank X for the study
            _presented_by(c, s)  # presented by Y"): Y presented it
        if _THANK.search(s.text):
            _thanks(c, s)
            continue
        _support(c, s)
        if _SUPPORTED_VERB.search(s.text):
            _support_subject(c, s)
        _presidency(c, s)
        if s.index in opening and s.block.kind != "item":
            _convened(c, s)
        if (_ATTEND.search(s.text) or _AGREED.search(s.text)) and _about_meeting(ctx, meeting, s):
            _attendance(c, s)
        if _PARTICIPATION_OF.search(s.text) and _about_meeting(ctx, meeting, s):
            _participation_of(c, s)
        if speeches:
            _intervention(c, s)
        if _SECRETARIAT.search(s.text):
            _secretariat(c, s)
        if _about_meeting(ctx, meeting, s) and not _NEXT.search(s.text):
            _body_meeting(c, s)
        if (_HOSTING.search(s.text) or _HOSTS_ACTIVE.search(s.text)) and _about_meeting(
            ctx, meeting, s
        ):
            _hosting(c, s)
        if (welcome := _WELCOMES.search(s.text)) and _about_meeting(ctx, meeting, s):
            _welcoming_host(c, s, welcome)
        if _PERSON_LIST.search(s.text) and _about_meeting(ctx, meeting, s):
            _person_list(c, s)
        if _SALUTATION.match(s.text):
            _salutation(c, s)
    _counted_members(c)
    _speaking_persons(c, persons)
    _own_meeting(c)
    return c.out


# a verb of speech after a person's name: "…, Francisco Pérez, reiteró la importancia",
# "Minister Ana Soto said"
# Acts of a person at the meeting beyond the lexicon's verbs of speech (person-cues.tsv):
# telling, addressing, opening, closing or chairing it.
_MEETING_ACTS = (
    "told", "addressed", "opened", "closed", "chaired", "inauguró", "clausuró", "presidió",
    "consideró",
)  # fmt: skip


@cache
def _spoke() -> re.Pattern[str]:
    """A verb of speech or a meeting act after a person's name: "…, Francisco Pérez, reiteró
    la importancia", "Minister Ana Soto said"; the verbs of speech are the lexicon's."""
    verbs = {c for c, _lang, kind in table("person-cues.tsv") if kind == "speech"}
    verbs |= set(_MEETING_ACTS)
    verbs |= {unaccented(v) for v in verbs}
    alternation = "|".join(re.escape(v) for v in sorted(verbs, key=len, reverse=True))
    return re.compile(rf"(?i)[^.;]{{0,40}}?\b(?:{alternation})\b")


# the person came to the meeting: "While in Guatemala to attend the Conference, IOM's
# Director General …", "asistió a la reunión"
_ATTENDS = quick(
    r"(?i)\b(?:to attend|attended|attending|attends|took part in|participated in|"
    r"asisti[oó] a|particip[oó] en|para asistir a|para participar en)\s+(?:the|this|la|el|esta|"
    r"este)\s+(?:\w+\s+){0,3}?(?:conference|meeting|forum|session|workshop|conferencia|"
    r"reuni[oó]n|foro|sesi[oó]n|taller)\b"
)


def _speaking_persons(c: _Collector, persons: Sequence[Person]) -> None:
    """Rule ``person-speaks``: a person the text ties to a state or an organization ("el
    ministro de Relaciones Exteriores de Panamá, Francisco Pérez", "IOM's Director General, Ana
    Ruiz") who speaks in a sentence about the meeting ("reiteró", "said") gives it a voice
    there: it took part, as a speaker does."""
    for person in persons:
        if person.affiliation is None or person.affiliation.kind not in ("state", "organization"):
            continue
        surname = person.name.split()[-1]
        for s in c.ctx.sentences:
            name = person.name if person.name in s.text else surname
            at = s.text.find(name)
            if at < 0 or not _about_meeting(c.ctx, c.meeting, s):
                continue
            if (
                _spoke().match(s.text, _after_title(s.text, at + len(name), person.title))
                or _SAID_BEFORE.search(s.text, max(0, at - 20), at)
                or _ATTENDS.search(s.text)
                or _IN_A_SPEECH.search(s.text, 0, at)
            ):
                c.add(person.affiliation, "participant", s, "person-speaks")
                break


# news puts the verb before the speaker after a quotation: "“…”, dice Ana Ruiz, Directora …",
# "said Tom Lee, Director of …". Its own list, not the lexicon's verbs of speech: before a name,
# most of those take the person as their object ("welcomed Ana Ruiz", "thanked Tom Lee").
_SAID_BEFORE = re.compile(
    r"(?i)\b(?:said|says|stated|added|explained|noted|declared|dice|dijo|declar[oó]|"
    r"afirm[oó]|señal[oó]|explic[oó]|agreg[oó]|añadi[oó]|indic[oó]|expres[oó])\s+$"
)
# "In his opening speech, Ana Ruiz …", "En su discurso de apertura, …": the person spoke
_IN_A_SPEECH = re.compile(
    r"(?i)\b(?:in|during)\s+(?:his|her|their)\s+(?:\w+\s+)?(?:speech|remarks|address|"
    r"statement|presentation|words)\b|\ben\s+su\s+(?:\w+\s+)?(?:discurso|intervenci[oó]n|"
    r"palabras|mensaje|presentaci[oó]n)\b"
)


def _after_title(text: str, end: int, title: str | None) -> int:
    """Where the words after a person's name begin, past the title written right after it
    ("Ana Ruiz, IOM's Regional Director for the Caribbean, said"): the verb of speech follows
    the title, not the name."""
    if not title:
        return end
    at = text.find(title, end, end + 40 + len(title))
    return at + len(title) if at >= 0 else end


# "officials from the 11 countries that make up the RCM are meeting", "los once países
# miembros de la CRM se reunieron": the meeting's participants given by their number
@cache
def _counted() -> re.Pattern[str]:
    return re.compile(
        rf"(?i)\b(?:the|all|los|las|todos los)\s+{cardinal_pattern()}\s+(?:member\s+)?"
        r"(?:countries|states|governments|nations|pa[ií]ses|estados|gobiernos|naciones)"
        r"(?:\s+miembros?)?\s+(?:that\s+(?:make\s+up|form|comprise)|which\s+(?:make\s+up|form)|"
        r"making\s+up|members?\s+of|of|que\s+(?:integran|conforman|forman)|de|del)\b"
    )


# the counted countries meet, attend or send representatives: a count in a sentence about
# the process's membership alone ("the RCM is made up of 11 countries") reports no attendance
_COUNTED_ATTEND = quick(
    r"(?i)\b(?:are meeting|met|meet|gathered|gather|convened|attended|participated|took part|"
    r"closed|opened|concluded|held|cerraron|clausuraron|inauguraron|concluyeron|celebraron|"
    r"realizaron|"
    r"(?:officials|representatives|delegations|delegates|ministers|vice[- ]?ministers|"
    r"authorities) (?:from|of)|se reun\w+|reunid[oa]s|particip\w+|asist\w+|"
    r"(?:funcionari[oa]s|representantes|delegaciones|delegad[oa]s|(?:vice)?ministr[oa]s|"
    r"autoridades) de)\b"
)


def _counted_members(c: _Collector) -> None:
    """Rule ``counted-members``: a sentence about the meeting says that "the N countries" of a
    process took part without naming them, and the document names exactly N states in one list
    elsewhere ("officials from Belize, Canada, … and the United States meet every year"): a
    reader resolves the count to that list. Only an exact count of one unbroken list of
    distinct states is taken, never the members a table of processes would give."""
    counts = []
    for s in c.ctx.sentences:
        if s.block.kind == "footnote" or not _about_meeting(c.ctx, c.meeting, s):
            continue
        for m in _counted().finditer(s.text):
            if _COUNTED_ATTEND.search(s.text) and not _INTENT.search(s.text):
                counts.append((s, cardinal_value(m.group("num"))))
    if not counts:
        return
    for s in c.ctx.sentences:
        if _THANK.search(s.text) or _SUPPORT.search(s.text):
            continue
        states = [(m, ref) for m, ref in _actors_in(c, s) if ref.kind == "state"]
        for run in _runs(s.text, states):
            keys = {ref.key for _m, ref in run}
            if len(keys) != len(run) or len(run) < 2:
                continue
            if any(n == len(run) for _s, n in counts):
                for _m, ref in run:
                    c.add(ref, "participant", s, "counted-members")
                return


def _runs(
    text: str, actors: list[tuple[Mention, ActorRef]]
) -> list[list[tuple[Mention, ActorRef]]]:
    """The unbroken lists among a sentence's names: names with only list words between."""
    runs: list[list[tuple[Mention, ActorRef]]] = []
    for actor in actors:
        if runs and _list_gap(text[runs[-1][-1][0].end : actor[0].start]):
            runs[-1].append(actor)
        else:
            runs.append([actor])
    return runs


# "hosted by A", "the host country, A", "organizado por A" (the list follows) and "A was the
# host country", "A fue (el país) sede", "A served as host" (the list precedes).
_HOSTING = re.compile(
    r"(?i)\b(?P<after>hosted by|organi[sz]ed by|organizad[oa] por|(?:the |as )host country,?|"
    r"(?:el )?pa[ií]s (?:anfitri[oó]n|sede),?|con la anfitrionía de)\s+(?:the\s+|el\s+|la\s+)?|"
    r"\s(?P<before>(?:was|were|is|served as|acted as|fue|fueron|será|es|actu[oó] como|"
    r"sirvi[oó] como)\s+(?:the\s+|el\s+|la\s+)?(?:hosts?(?:\s+country)?|country host|"
    r"pa[ií]s\s+(?:anfitri[oó]n|sede)|sede|anfitri[oó]n(?:a|es)?))\b"
)


def _hosting(c: _Collector, s: Sentence) -> None:
    """Hosts and organizers stated as such, before or after the cue (see ``_HOSTING``)."""
    actors = [(m, ref) for m, ref in _actors_in(c, s) if m.kind not in ("process", "body")]
    for cue in _HOSTING.finditer(s.text):
        words = cue.group().lower()
        role: Role = "organizer" if "organi" in words else "host"
        if cue.group("after"):
            found = _list_after(s, actors, cue.end())
            if "host country" in words or "país" in words or "pais" in words:
                found += _list_before(s.text, actors, cue.start())  # "A, the host country, …"
        else:
            found = _list_before(s.text, actors, cue.start("before"))
        for i in found:
            c.add(actors[i][1], role, s, "hosting")
    for cue in _HOSTS_ACTIVE.finditer(s.text):
        if _EARLIER_EVENT.search(s.text, cue.end(), cue.end() + 80):
            continue  # "… which hosted the previous meeting": another one
        for i in _list_before(s.text, actors, cue.start()):
            c.add(actors[i][1], "host", s, "hosting")


# the host as the subject: "On 3 May, Guatemala hosted the third Ministerial", "Chile acogió
# la reunión"
_HOSTS_ACTIVE = re.compile(
    r"(?i)\s(?:hosted|hosts|is hosting|will host|acogi[oó]|alberg[oó]|(?:es|fue) "
    r"anfitri[oó]n(?:a)? de)\s+(?:the|this|la|el|esta|este)\s"
)


# "El Gobierno de A, a través de …, da la bienvenida a los delegados", "A welcomes the
# delegations": who welcomes the delegations to the meeting is its host.
_WELCOMES = quick(
    r"(?i)\b(?:(?:da|dio|daba|brinda|brind[oó])\s+la\s+bienvenida\s+a|welcome[sd]?)\s+"
    r"(?:a\s+)?(?:los\s+|las\s+|the\s+|all\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:delegad[oa]s|delegaciones|participantes|delegates|delegations|participants)\b"
)
# the subject of the welcome: a state, alone or as its government, at the start of its clause
_WELCOMING_SUBJECT = re.compile(
    r"(?i)(?:^|[.:;]\s*|[-–—]\s*)(?:(?:el|the)\s+)?(?:(?:gobierno|government)\s+(?:del?|of)\s+)?"
    r"(?:(?:la|el|los|the)\s+)?$"
)


def _welcoming_host(c: _Collector, s: Sentence, cue: re.Match[str]) -> None:
    """The state that opens the sentence (or its clause) and welcomes the delegations hosts
    the meeting; an aside between them ("…, a través de la Secretaría de X, da la bienvenida")
    is allowed, another verb is not."""
    for m, ref in _actors_in(c, s):
        if m.kind != "state" or m.start >= cue.start():
            continue
        if _WELCOMING_SUBJECT.search(s.text[max(0, m.start - 40) : m.start]):
            between = s.text[m.end : cue.start()]
            if len(between) < 250 and not _FINITE_VERB.search(between):
                c.add(ref, "host", s, "welcome-host")
        return  # only the first state can be the subject


# a finite verb between the subject and the welcome makes the state something else's object
_FINITE_VERB = quick(
    r"(?i)\b(?:is|are|was|were|has|have|had|said|es|son|fue|fueron|ha|han|dijo|\w{3,}ed|"
    r"\w+ó|\w+(?:aron|ieron))\b"
)


_PRESENTED_BY = quick(
    r"(?i)\b(?:presented|submitted|delivered|made)\s+by\s+(?:the\s+)?|"
    r"\b(?:presentad|expuest)[oa]s?\s+por\s+(?:el\s+|la\s+|los\s+|las\s+)?|"
    r"\b(?:presentation|report|proposal)\b[^;]{0,120}?\b(?:made|given|delivered)\s+by\s+"
    r"(?:the\s+)?|"
    r"\b(?:presentaci[oó]n|exposici[oó]n|ponencia|informe|propuesta)\b[^;]{0,200}?"
    r"\b(?:por parte de(?:l)?|(?:realizad|efectuad|hech)[oa]s? por|a cargo de(?:l)?)\s+"
    r"(?:la\s+|el\s+|los\s+|las\s+)?|"
    # "la presentación del documento de la RROCM", "the presentation of the report of the TS":
    # the author of what was presented, named right after it
    r"\b(?:presentaci[oó]n|exposici[oó]n)\s+del?\s+(?:documento|informe|estudio|diagn[oó]stico)"
    r"\s+del?\s+(?:la\s+|el\s+|los\s+|las\s+)?|"
    r"\bpresentation\s+of\s+the\s+(?:document|report|study|assessment)\s+of\s+(?:the\s+)?"
)
# A capitalised name, then the opening of its acronym: "Red Regional de Organizaciones Civiles
# sobre Migración (" (the words only; the acronym itself is a mention).
_UNKNOWN_NAME = re.compile(
    r"(?:[A-ZÁÉÍÓÚÑ][\w’'-]*\s+(?:(?:de|del|la|las|los|para|sobre|y|e|of|the|for|on|and|in)"
    r"\s+)*){1,12}\(\s*"
)
# Between two presenters named as one ("OIM-CEPAL", "OIM–CEPAL/CELADE", "la OIM y el ACNUR"),
# or nothing at all where the page lost the dash ("OIMCEPAL": two mentions, end to end).
# between presenters named as one: "OIM–CEPAL/CELADE", "la OIM (OIM); la Comisión … (CEPAL)/"
_JOINT = re.compile(
    r"(?i)\)?\s*(?:\([A-Z][A-Za-z]{1,9}\)\s*)?(?:(?:[-–—/&,;]|\by\b|\band\b)\s*(?:la\s+|el\s+|the\s+)?)?"
)


_PRESENT_LATER = quick(
    r"(?i)\b(?:se acord[oó] presentarl[oa]s?|(?:will|shall) (?:be )?present(?:ed)?|"
    r"(?:agreed|decided) to present|to be presented|presentar[aá]n?|a presentarse)\b"
)


def _presented_by(c: _Collector, s: Sentence) -> None:
    """ "the budget submitted by the Technical Secretariat", "la propuesta presentada por
    México": the actor named right after the cue presented at the meeting; a state that
    presents takes part. A presentation the item schedules for a later meeting ("Presentación
    a cargo de A y B … Se acordó presentarlo en la reunión …") has not happened yet."""
    if s.block.kind == "item" and _PRESENT_LATER.search(s.block.text):
        return
    actors = _actors_in(c, s)
    for cue in _PRESENTED_BY.finditer(s.text):
        first = bisect.bisect_left(actors, cue.end(), key=lambda a: a[0].start)
        end = cue.end() + 12  # the presenter follows the cue closely …
        name = _UNKNOWN_NAME.match(s.text, cue.end())
        if name:  # … or after a name the gazetteer does not know, by its acronym "(RROCM)"
            end = name.end()
        for m, ref in actors[first:]:
            if m.start > end:
                break
            if ref.kind == "state":
                c.add(ref, "participant", s, "presented-by")
            if ref.kind != "process":
                c.add(ref, "presenter", s, "presented-by")
            joint = _JOINT.match(s.text, m.end)  # "OIM–CEPAL/CELADE": presenters named as one
            if not joint:
                break
            end = joint.end()
            unknown = _UNKNOWN_NAME.match(s.text, end)
            if unknown:  # a misspelt name the gazetteer misses, known by its acronym after it
                end = unknown.end()


# The organization that serves as a process's Technical Secretariat, named with it: "whose
# Technical Secretariat is held by UNHCR", "la Secretaría Técnica, a cargo de la OEA", "ILO, in
# its capacity as Technical Secretariat", "la OIT, que ejerce la Secretaría Técnica".
_TS_WORDS = r"(?:Technical Secretariat|Secretar[ií]a T[eé]cnica)"
_SECRETARIAT = quick(rf"(?i){_TS_WORDS}")
_TS_THEN_ORG = re.compile(
    r"(?i)^\s*(?:\((?:TS|ST)\)\s*)?(?:(?:of|de)\s+(?:the\s+|la\s+)?\S+\s*)?,?\s*"
    r"(?:(?:is|was|es|era|fue|est[aá])\s+)?(?:(?:held|exercised|performed|provided|"
    r"carried out) by|a cargo de(?:l)?|ejercida por|(?:que\s+)?recae en|is|was|es|era|fue|:)"
    r"\s+(?:the\s+|la\s+|el\s+)?$"
)
_ORG_THEN_TS = re.compile(
    rf"(?i)^\s*(?:\([A-Z]{{2,8}}\))?\s*,?\s*(?:which\s+|que\s+)?(?:as|acts as|serves as|"
    rf"acting as|in its capacity as|holds|como|en su calidad de|ejerce(?:\s+como)?|act[uú]a como|"
    rf"funge como)\s+(?:the\s+|la\s+)?(?:its\s+|su\s+)?{_TS_WORDS}"
)


def _secretariat(c: _Collector, s: Sentence) -> None:
    """The organization named as the Technical Secretariat serves the meeting: it supports it."""
    actors = _actors_in(c, s)
    for k, (m, ref) in enumerate(actors):
        if ref.kind != "organization":
            continue
        # the Secretariat named just before, maybe with its process ("… of the RCM is IOM")
        before = [x for x, _r in actors[max(0, k - 2) : k] if x.kind == "body"]
        named_before = bool(before) and before[-1].key == "technical-secretariat"
        if (
            named_before and _TS_THEN_ORG.match(s.text[before[-1].end : m.start])
        ) or _ORG_THEN_TS.match(s.text[m.end : m.end + 80]):
            c.add(ref, "supporter", s, "secretariat")


# Words that place a meeting in the future or in the past of the one reported.
_NEXT = quick(
    r"(?i)\b(?:next|upcoming|previous|last|will|shall|pr[oó]xim[oa]s?|anterior|"
    r"celebrar[aá]n?|realizar[aá]n?|se llevar[aá])\b"
)
# "the meeting of the RCGM", "la reunión del GRCM", "the RCGM meeting", "el GRCM se reunió".
_MEETING_OF = quick(
    r"(?i)\b(?:meeting|session|reuni[oó]n|sesi[oó]n)\s+(?:of|del?)\s+(?:the\s+|la\s+|el\s+)?$"
)
_MEETING_AFTER = re.compile(
    r"(?i)^\s*(?:\([A-Z]{2,8}\)\s*)?(?:meeting|session|met|se reuni[oó]|sesion[oó])\b"
)


def _body_meeting(c: _Collector, s: Sentence) -> None:
    """A body of the process that held its own session within the reported meeting ("the
    meeting of the RCGM", "la reunión del GRCM", "the RCGM met") took part in it."""
    for m, ref in _actors_in(c, s):
        if ref.kind != "body" or ref.key.split(":")[-1] in _NOT_CONVENING_BODIES:
            continue
        before = s.text[max(0, m.start - 40) : m.start]
        if _MEETING_OF.search(before) or _MEETING_AFTER.match(s.text[m.end : m.end + 30]):
            c.add(ref, "participant", s, "body-meeting")


# A list of participants introduced by a heading word and a colon within the running text
# ("Additional participants: …", "Participantes: …"): its entries may go on in the next block.
_HEADED_LIST = quick(
    r"(?i)\b(?:additional |other |also )?(?:participants|participating (?:countries|"
    r"organi[sz]ations|delegations)|participantes|otros participantes|asistentes)\s*:"
)


def _opens_with_actor(c: _Collector, s: Sentence) -> bool:
    """Whether the sentence opens a block with a name, known or followed by its acronym."""
    if not s.sentence_start_of_block():
        return False
    first = next(iter(_actors_in(c, s)), None)
    if first is None:
        return False
    unknown = _UNKNOWN_NAME.match(s.text)
    return first[0].start <= 4 or (unknown is not None and first[0].start <= unknown.end())


def _continues_list(c: _Collector, s: Sentence) -> bool:
    """Whether a later sentence of a block opened by "Participants:" goes on with its entries:
    it opens with a name that is an entry, not the subject of a clause ("Haiti, which chairs
    the group, and the OAS" goes on; "Canada funded the meeting" does not), and it neither
    thanks nor credits support."""
    if _THANK.search(s.text) or _SUPPORT.search(s.text):
        return False
    first = next(iter(_actors_in(c, s)), None)
    return (
        first is not None and first[0].start <= 4 and bool(_ENTRY_END.match(s.text, first[0].end))
    )


# what may follow a list entry's name: a comma, a semicolon, a bracket, "and", or its end
_ENTRY_END = re.compile(r"(?i)\s*(?:[,;(]|(?:and|y|e)\s|[.:]?\s*$)")


def _list_entries(c: _Collector, s: Sentence) -> None:
    """Entries of a participants list continued from the block before, one per ";" part:
    "Org A (ACR) represented by …; Org B (ACR); Org C (ACR), Org D": each part's leading name
    (or the acronym after an unknown name), and the names listed with it."""
    actors = _actors_in(c, s)
    lo = 0
    for part in [*s.text.split(";")]:
        hi = lo + len(part)
        lead = len(part) - len(part.lstrip())
        unknown = _UNKNOWN_NAME.match(part, lead)
        reach = lo + (unknown.end() if unknown else lead + 4)
        k = bisect.bisect_left(actors, lo, key=lambda a: a[0].start)
        if k < len(actors) and actors[k][0].start <= reach and actors[k][0].start < hi:
            run = [k]
            while (
                run[-1] + 1 < len(actors)
                and actors[run[-1] + 1][0].start < hi
                and _list_gap(s.text[actors[run[-1]][0].end : actors[run[-1] + 1][0].start])
            ):
                run.append(run[-1] + 1)
            for i in run:
                c.add(actors[i][1], "participant", s, "list-entries")
        lo = hi + 1


# "Meeting of the MIRPS", "Reunión del Proceso de Quito", "Technical Meeting - Quito Process
# Chapter", "Annual Meeting (MIRPS)": the forum is named as the meeting's own
_OF_BEFORE = re.compile(r"(?i)(?:\b(?:of|de|del)\s+(?:the\s+|la\s+|el\s+)?|\s[-–—(]\s*)$")


# "Sixth MIRPS Annual Meeting", "the XII RCPs Meeting": only an ordinal before the forum
_ORDINAL_ONLY = re.compile(rf"(?i)(?:the\s+|la\s+|el\s+)?(?:{ordinal_pattern()})")


# between a meeting's name and its forum: "– Capítulo de Santiago II del", "of the"
_FORUM_AFTER_NAME = re.compile(
    r"(?i)\s*(?:[-–—]\s*(?:[\w-]+\s+){0,5}?)?(?:of|de|del)\s+(?:the\s+|la\s+|el\s+)?"
)


def _clean_between(s: Sentence, original_end: int, clean_start: int) -> str:
    """The clean text of ``s`` from an original offset to a clean index ("" if it is not in
    the sentence or comes after the index)."""
    offsets = s.seg.offsets
    k = bisect.bisect_left(offsets, original_end)
    return s.text[k:clean_start] if k <= clean_start else ""


def _own_meeting(c: _Collector) -> None:
    """The process (or body) whose meeting this is takes part in it: the RCM at a meeting of
    the RCM, the RCGM at its own meeting. Read from the processes the meeting was found with
    and from the names inside the meeting's own name, whatever shape that name has."""
    meeting = c.meeting
    refs = list(meeting.processes)
    at = meeting.span.start
    for s in c.ctx.sentences:
        if not (s.seg.offsets and s.seg.offsets[0] <= at <= s.seg.offsets[-1]):
            continue
        for m in s.mentions:
            if m.kind == "process" and not meeting.processes:
                # the processes named in the sentence the meeting was found in
                refs.extend(c.ctx.actor(s, m, "rule"))
            elif m.kind == "organization" and _FORUM_AFTER_NAME.fullmatch(
                _clean_between(s, meeting.span.end, m.start)
            ):
                # "la IX Reunión – Capítulo de Santiago II del Proceso de Quito –": the forum
                # named right after the meeting's name holds it
                refs.extend(c.ctx.actor(s, m, "rule"))
    for m in c.ctx.gazetteer.find(meeting.name):
        if m.kind == "process":
            refs.append(ActorRef("process", m.key, m.name, meeting.span))
        elif m.kind == "body" and m.key not in _NOT_CONVENING_BODIES:
            for process in resolve_body(meeting.name, m, c.ctx.main_process):
                refs.append(ActorRef("body", f"{process}:{m.key}", m.name, meeting.span))
        elif m.kind == "organization" and (
            _OF_BEFORE.search(meeting.name[: m.start])
            or _ORDINAL_ONLY.fullmatch(meeting.name[: m.start].strip())
        ):
            # "IV Annual Meeting of the MIRPS", "Reunión del Proceso de Quito": a forum that
            # is not one of the two conferences holds its own meeting too
            refs.append(ActorRef("organization", m.key, m.name, meeting.span))
    if not refs and _SERIES_MEETING.search(meeting.name):
        # "the XXV Vice-Ministerial Meeting", "la Reunión Viceministerial" in a document that
        # names one process only: a meeting of that process's own series is that process's.
        named = {m.key for s in c.ctx.sentences for m in s.mentions if m.kind == "process"}
        if len(named) == 1:
            key = named.pop()
            refs.append(ActorRef("process", key, key.upper(), meeting.span))
    taken = {(kind, key) for kind, key, _role in c.seen}
    for ref in refs:
        if (ref.kind, ref.key) not in taken:
            c.add(ref, "participant", None, "own-meeting")


# Names of the meetings a process holds in its own series (its plenary, its vice-ministerial
# meeting), as opposed to a forum or workshop that others may convene.
_SERIES_MEETING = quick(
    r"(?i)\b(?:vice[- ]?ministerial|viceministerial|conference|conferencia|plenary|plenaria)\b"
)

# Bodies that serve a meeting rather than hold it: "the Technical Secretariat's report on the
# meeting" does not make the meeting the Secretariat's own.
_NOT_CONVENING_BODIES = frozenset({"technical-secretariat", "presidency-pro-tempore"})


_DATELINE_DASH = re.compile(r"\s+[-–—]\s+")
_VENUE_BEFORE = re.compile(
    r"(?i)\b(?:sede|instalaciones|oficinas|headquarters|premises|offices)\s+(?:de|del|of)\s+"
    r"(?:la\s+|el\s+|los\s+|las\s+|the\s+)?$"
)


def _actors_in(
    c: _Collector, s: Sentence, start: int = 0, end: int | None = None
) -> list[tuple[Mention, ActorRef]]:
    end = len(s.text) if end is None else end
    out = []
    for i, m in enumerate(s.mentions):
        if not (start <= m.start < end) or m.kind == "city":
            continue
        if _VENUE_BEFORE.search(s.text, max(0, m.start - 40), m.start):
            continue  # "en la sede de la ALADI": where the meeting was, not who came
        if m.start == 0 and _DATELINE_DASH.match(s.text, m.end):
            continue  # "Costa Rica - Officials from …": where the news was filed
        prev = s.mentions[i - 1] if i else None
        if m.kind == "state" and prev and prev.kind == "city" and m.start - prev.end <= 4:
            continue  # "San José, Republic of Costa Rica": a place, not an actor
        if m.kind == "process" and _QUALIFIER_AFTER.match(s.text[m.end : m.end + _AFTER]):
            continue
        nxt = s.mentions[i + 1] if i + 1 < len(s.mentions) else None
        if m.kind == "process" and nxt and nxt.kind == "body" and nxt.start - m.end <= 2:
            continue  # "RCM Technical Secretariat", "RCM-TS": the body is meant
        if m.kind == "process" and re.match(
            r"\s*(?:[-–]|and the)\s*(?:RCM|SACM)\b[-\s]*(?:meeting|plenary)",
            s.text[m.end : m.end + _AFTER],
        ):
            continue
        for ref in c.ctx.actor(s, m, "rule"):
            out.append((m, ref))
    return out


def _footnote_actors(c: _Collector, s: Sentence, lo: int, hi: int) -> list[ActorRef]:
    out: list[ActorRef] = []
    for idx, num in s.block.markers:
        rel = idx - s.start_in_block
        if lo <= rel <= hi and num in c.ctx.doc.footnotes:
            note = c.ctx.doc.footnotes[num]
            for fs in [x for x in c.ctx.sentences if x.block is note]:
                for m in fs.mentions:
                    if m.kind in ("state", "organization", "process", "body"):
                        out.extend(c.ctx.actor(fs, m, "rule"))
    return out


_REASON_CUT = re.compile(r"(?i)\s(?:for|por)\s(?!su\s+intermedio|medio\s+de|conducto\s+de)")


def _thanks(c: _Collector, s: Sentence) -> None:
    """Thanked actors: those before a "for ..." reason; the reason decides host or supporter.
    After a reason, "and the Government of X for ..." thanks X in turn; actors inside a reason
    ("for their efforts to organize the meeting of the RCM") are not thanked."""
    thank = _THANK.search(s.text)
    assert thank is not None
    for lo, hi in _split_parts(s.text, thank.end()):
        # "por su intermedio", "por medio de": the way of thanking, not a reason
        cuts = [m.start() for m in _REASON_CUT.finditer(s.text[lo:hi])]
        segments = list(itertools.pairwise([lo, *[lo + x for x in cuts], hi]))
        for k, (a, b) in enumerate(segments):
            reason_end = segments[k + 1][1] if k + 1 < len(segments) else hi
            reason = s.text[b:reason_end]
            role: Role = (
                "host"
                if _HOSPITALITY.search(reason)
                else "organizer"
                if _ORGANISING.match(reason)
                else "supporter"
            )
            if role == "supporter" and _PRESENTED_REASON.match(reason):
                role = "presenter"  # "thank the Presidency for the presentation of its report"
            previous = a  # the presence phrase must stand between the last name and this one
            for m, ref in _actors_in(c, s, a, b):
                if k > 0 and not _THANKED_AGAIN.search(s.text[a : m.start]):
                    continue
                window = s.text[max(previous, m.start - 100) : m.start]
                previous = m.end
                if k == 0 and _presence_of(window):
                    c.add(ref, "participant", s, "thanks-participation")
                    continue
                c.add(ref, role, s, "thanks")
                if role == "presenter" and ref.kind == "state":
                    c.add(ref, "participant", s, "thanks")  # a state that presented took part
            if k == 0 and _PRONOUN_THANKED.match(s.text[a:b]):
                # "take note of the new RNCOM committee and thank it for …": the pronoun stands
                # for the last actor named before the thanks
                before = [ref for m, ref in _actors_in(c, s, 0, thank.start())]
                if before:
                    c.add(before[-1], role, s, "thanks-pronoun")
            if k == 0:
                for ref in _footnote_actors(c, s, a, b):
                    c.add(ref, role, s, "thanks")
                for pos, group in c.ctx.groups(s, "rule:thanks"):
                    if a <= pos < b and group.key in ("observer-organizations", "civil-society"):
                        c.add(group, role, s, "thanks")


# a reason that thanks for what the actor presented at the meeting: "for the presentation of
# its Progress Report", "for its Operations and Financial Report", "por la presentación de su
# informe", "por su exposición"
_PRESENTED_REASON = re.compile(
    r"(?i)\s*(?:for|por)\s+(?:the\s+|la\s+|el\s+|its\s+|their\s+|su\s+|sus\s+)?"
    r"(?:(?:presentation|presentaci[oó]n|exposici[oó]n|ponencia)\b|"
    r"(?:[A-Z][\w-]*\s+(?:and\s+|y\s+)?){0,4}(?:report|informe)\b)"
)
_PRONOUN_THANKED = re.compile(r"(?i)\s*(?:it|them|le|les)\s*$")

# "thanked the presence of the Vice-Minister of X", "agradecen la asistencia de X": X took part.
_PRESENCE = quick(
    r"(?i)\b(?:participation|presence|attendance|participaci[oó]n|presencia|asistencia)\s+"
    r"(?:of|de)\b"
)

# What is thanked after a presence phrase when it is the support of the actor instead: "thanked
# the participation of the officials and the financial support of X" (X supported).
_SUPPORT_WORD = quick(
    r"(?i)\b(?:support|backing|funding|financ\w+|contributions?|sponsorship|apoyo|aportes?|"
    r"auspicio|patrocinio|contribuci[oó]n(?:es)?|hospitality|hospitalidad)\b"
)


def _presence_of(window: str) -> bool:
    """Whether ``window`` (the words before a thanked name) ends in a phrase of presence
    ("the participation of", "la asistencia de …") that no phrase of support follows."""
    found = list(_PRESENCE.finditer(window))
    return bool(found) and not _SUPPORT_WORD.search(window, found[-1].end())


_THANKED_AGAIN = re.compile(
    r"(?i)\b(?:and|y)\s+(?:(?:thank|agradecer|agradece|agradecen)\s+(?:a\s+)?)?(?:to\s+|a\s+)?"
    r"(?:the\s+|la\s+|el\s+|al\s+)?(?:(?:people|government|"
    r"pueblo|gobierno)s?\s+(?:and\s+(?:the\s+)?(?:government|gobierno)\s+)?(?:of|de|del)\s+"
    r"(?:the\s+)?)?$"
)


def _split_parts(text: str, start: int) -> list[tuple[int, int]]:
    cuts = [start]
    for m in re.finditer(r"(?i),?\s+(as well as|así como|and also|y también)\s+", text[start:]):
        cuts.append(start + m.start())
    cuts.append(len(text))
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def _support(c: _Collector, s: Sentence) -> None:
    """ "with the support of A, B and C": the names of the list after the cue support. An
    organization's offer to the meeting ("To positively consider IOM's offer to organize a
    workshop", "la oferta de la OIM de …") is support too."""
    for _mention, ref in _supported(c, s):
        c.add(ref, "supporter", s, "support")
    for m, ref in _actors_in(c, s):
        if ref.kind == "organization" and (
            _OFFER_AFTER.match(s.text, m.end) or _OFFER_BEFORE.search(s.text, 0, m.start)
        ):
            c.add(ref, "supporter", s, "offer")


_OFFER_AFTER = re.compile(r"(?i)['’]s?\s+(?:kind\s+|generous\s+)?offer\s+(?:to|of)\b")
_OFFER_BEFORE = re.compile(
    r"(?i)\b(?:la\s+)?(?:amable\s+|generosa\s+)?oferta\s+(?:de\s+la|del?)\s+$"
)


def _supported(c: _Collector, s: Sentence) -> list[tuple[Mention, ActorRef]]:
    found: list[tuple[Mention, ActorRef]] = []
    cues = list(_SUPPORT.finditer(s.text))
    if not cues:
        return found
    actors = _actors_in(c, s)
    for cue in cues:
        found.extend(actors[i] for i in _list_after(s, actors, cue.end()))
    return found


# "IOM supported the Conference / RCM's efforts", "la OIM apoyó la reunión": an organization,
# subject of the verb, whose object is the process, its meeting or the event.
_SUPPORTED_VERB = quick(
    r"(?i)\b(?:supported|supports|has supported|apoy[oó]|ha apoyado|respald[oó])\s+"
    r"(?:the\s+|this\s+|los\s+|las\s+|el\s+|la\s+|esta\s+|este\s+)?"
)
_EVENT_WORD = re.compile(
    r"(?i)(?:meeting|conference|forum|event|workshop|reuni[oó]n|conferencia|foro|evento|taller)\b"
)


def _support_subject(c: _Collector, s: Sentence) -> None:
    """Rule ``supported-subject``: an organization that is the subject of "supported" with
    the process or the event as object supports the meeting; a state that "supported" a
    proposal is not meant (only organizations, and only that object)."""
    actors = _actors_in(c, s)
    for verb in _SUPPORTED_VERB.finditer(s.text):
        process_next = any(
            m.start == verb.end() and ref.kind in ("process", "body") for m, ref in actors
        )
        if not process_next and not _EVENT_WORD.match(s.text, verb.end()):
            continue
        for ref in _subject_before(c, s, verb.start()):
            if ref.kind == "organization":
                c.add(ref, "supporter", s, "supported-subject")


_EARLIER_EVENT = quick(rf"(?i)\b(?:{EARLIER_WORDS})\b")


def _convened(c: _Collector, s: Sentence) -> None:
    for verb in _CONVENE.finditer(s.text):
        after = s.text[verb.end() : verb.end() + 140]
        if _EARLIER_EVENT.search(after[:90]):
            continue  # "which hosted the annual meeting last year": an earlier meeting
        if _PPT_WORDS.match(after):
            continue  # "holds the Presidency Pro Tempore": a post, not a meeting
        if not re.search(
            r"(?i)\b(forum|meeting|conference|foro|reuni[oó]n|conferencia|"
            r"session|workshop|taller|plenary|encounter)\b",
            after,
        ):
            continue
        definite = re.match(
            r"(?i)\s+(?:the|this|an?|its|their|el|la|una?|su)\s+(?:\w+\s+){0,3}?(?:forum|meeting|"
            r"workshop|conference|session|foro|reuni[oó]n|taller|conferencia|sesi[oó]n)\b",
            after,
        )
        if (
            c.meeting.name.split()[0].lower() not in after.lower()
            and not _mentions_meeting(c.meeting, after)
            and not definite
        ):
            continue
        word = verb.group(1).lower()
        role: Role = (
            "host"
            if word.startswith("host")
            else "organizer"
            if word.startswith("organi")
            else "convener"
        )
        subject = _subject_before(c, s, verb.start())
        for ref in subject:
            c.add(ref, role, s, "convened")
        if subject:
            return


def _presidency(c: _Collector, s: Sentence) -> None:
    """Roles stated next to a state's name: "under the Presidency Pro Tempore of Honduras"
    (presidency), "Guatemala, as host country, chaired the meeting" (host, chair),
    "Panamá, en su calidad de país anfitrión y de la Presidencia Pro Tempore" (host, presidency)."""
    for m, ref in _actors_in(c, s):
        if m.kind != "state":
            continue
        if _PRESIDENCY.search(s.text[max(0, m.start - 45) : m.start]):
            c.add(ref, "presidency", s, "presidency")
        after = s.text[m.end : m.end + 90]
        app = _APPOSITION.match(after)
        if app:
            what = app.group("what").lower()
            role: Role = "host"
            if what == "chair":
                role = "chair"
            elif "pres" in what or "mpore" in what or what == "ppt":
                role = "presidency"
            c.add(ref, role, s, "apposition")
            if role == "host" and _ALSO_PRESIDENCY.search(after):
                c.add(ref, "presidency", s, "apposition")
        if _CHAIRED.match(after) or (app and _CHAIRED.search(after[app.end() : app.end() + 20])):
            c.add(ref, "chair", s, "chaired")
        if _TAKES_PRESIDENCY.match(after):
            # "El Salvador asumió este lunes la Presidencia Pro Tempore": the handover happens
            # at the meeting, so the state is there (it presides the next term, not this one)
            c.add(ref, "participant", s, "takes-presidency")
        holds = _HOLDS_PRESIDENCY.match(after)
        if holds:
            # at an RCM meeting, a state said to hold the SACM's presidency attended; it does
            # not preside over the meeting reported
            own = {p.key for p in c.meeting.processes}
            other = [
                x.key
                for x in s.mentions
                if x.kind == "process" and m.end + holds.end() <= x.start < m.end + holds.end() + 20
            ]
            if other and own and not own & set(other):
                c.add(ref, "participant", s, "holds-presidency")
            else:
                c.add(ref, "presidency", s, "holds-presidency")
    co_chair = _CO_CHAIR.search(s.text)
    if co_chair is not None:
        # "We, the Foreign Ministers of A and B, had the honour to co-chair the Conference"
        for ref in _subject_before(c, s, co_chair.start()):
            c.add(ref, "chair", s, "chaired")


# "<State>, currently holding the Presidency Pro Tempore", "<Estado>, que ejerce la
# Presidencia Pro Tempore": the state holds the presidency.
_HOLDS_PRESIDENCY = re.compile(
    r"(?i)^\s*,?\s*(?:(?:which|that|who|que|quien)\s+)?(?:currently\s+|actualmente\s+)?"
    r"(?:holds|holding|exercises|exercising|occupies|ejerce|ostenta|ocupa|detenta)\s+"
    r"(?:currently\s+|actualmente\s+)?(?:the\s+|la\s+)?(?:presidency pro[-\s]t[eé]mpore|"
    r"pro[-\s]t[eé]mpore (?:presidency|chairmanship)|presidencia pro[-\s]t[eé]mpore|"
    r"chairmanship pro[-\s]t[eé]mpore)"
)
_TAKES_PRESIDENCY = re.compile(
    r"(?i)^\s*,?\s*(?:(?:which|that|que)\s+)?(?:assumed|assumes|took over|takes over|received|"
    r"receives|asumi[oó]|asume|recibi[oó]|recibe)\s+(?:[\w-]+\s+){0,3}?(?:the\s+|la\s+)?"
    r"(?:presidency|chairmanship|presidencia|ppt|pro[-\s]t[eé]mpore)\b"
)
_PPT_WORDS = re.compile(
    r"(?i)\s*(?:currently\s+|actualmente\s+)?(?:the\s+|la\s+)?(?:presidency|chairmanship|"
    r"presidencia|pro[-\s]t[eé]mpore)\b"
)
_ALSO_PRESIDENCY = quick(
    r"(?i)\b(?:y|and)\s+(?:de\s+)?(?:of\s+)?(?:la|the)\s+(?:presidencia|presidency)\s+pro"
)


def _mentions_meeting(meeting: Meeting, text: str) -> bool:
    words = [w for w in re.findall(r"\w{4,}", meeting.name.lower())][:4]
    low = text.lower()
    return sum(w in low for w in words) >= min(2, len(words))


def _subject_before(c: _Collector, s: Sentence, verb_start: int) -> list[ActorRef]:
    cands = _actors_in(c, s, 0, verb_start)
    subject: list[ActorRef] = []
    last_end = -1
    for m, ref in cands:
        before = s.text[: m.start]
        if subject:
            between = s.text[last_end : m.start]
            if re.fullmatch(r"\s*(?:\(|\)|,)?\s*(?:and|y|&)?\s*(?:the|la|el)?\s*", between):
                subject.append(ref)
                last_end = m.end
                continue
            if re.fullmatch(r"\s*\(\s*", between) or m.start - last_end <= 2:
                last_end = m.end
                continue
            break
        # "The Presidency Pro Tempore of Costa Rica held": the state holding it convenes
        holder = m.kind == "state" and subject == [] and bool(_PRESIDENCY.search(before[-45:]))
        if (
            _PREP_BEFORE.search(before[-30:])
            and not _TRANSPARENT.search(before[-45:])
            and not holder
        ):
            continue
        if ref.kind == "body" and ref.key.endswith("presidency-pro-tempore"):
            nxt = next((x for x, _r in cands if x.start > m.start), None)
            if (
                nxt is not None
                and nxt.kind == "state"
                and _PRESIDENCY.search(s.text[max(0, nxt.start - 45) : nxt.start])
            ):
                continue
        if re.search(r"(?i)\bsupport", before[-40:]):
            continue
        subject.append(ref)
        last_end = m.end
    return subject


# "In 2017, Belize signed …", "En 2019, los países …": the sentence is set in that year
_SET_IN_YEAR = re.compile(r"(?i)^(?:in|during|en|durante)\s+(?:el\s+año\s+)?(?P<y>(?:19|20)\d\d)\b")


def _about_meeting(ctx: DocContext, meeting: Meeting, s: Sentence) -> bool:
    set_in = _SET_IN_YEAR.match(s.text)
    if set_in and meeting.start is not None:
        start = meeting.start
        year = start.value.year if start.value is not None else start.year
        if year is not None and int(set_in["y"]) != year:
            return False  # another year than the meeting's: what was done then
    if s.index < 25:
        return True
    if meeting.start and any(d.first.day == meeting.start.day for d in s.dates):
        return True
    return bool(
        re.search(
            r"(?i)\b(the (forum|meeting|conference|workshop)|this (forum|meeting|"
            r"event)|el foro|la reuni[oó]n)\b",
            s.text,
        )
    )


def _names_only(s: Sentence) -> bool:
    """A line that holds only names ("Belize Costa Rica Honduras", "IOM, UNHCR"): a list laid
    out line by line under a heading such as "Participating countries:"."""
    if not s.mentions or len(s.text) > 300:
        return False
    rest, last = [], 0
    for m in s.mentions:
        rest.append(s.text[last : m.start])
        last = m.end
    rest.append(s.text[last:])
    return _list_gap(" ".join(rest)[:90])


def _attendance(c: _Collector, s: Sentence, whole: bool = False, observers: bool = False) -> None:
    """Actors the sentence says took part: the list of names that follows an attendance cue
    ("with the participation of A, B and C", "Los Representantes de los Gobiernos de A, B y C")
    or precedes it ("A, B and C participated", "A y B, reunidos en …"). Only names inside such
    a list count, so a country named elsewhere in the sentence (a place, a past meeting) does
    not. ``whole``: the sentence is an item under "The following delegations attended:", where
    every name is listed. A sentence that states an aim or an expectation ("the objective was to
    bring together …", "participation … is expected") reports no attendance."""
    if not whole and _INTENT.search(s.text):
        return
    actors = [(m, ref) for m, ref in _actors_in(c, s) if m.kind != "body"]
    supported = {m.start for m, _ref in _supported(c, s)}
    actors = [(m, r) for m, r in actors if m.start not in supported]
    chosen: dict[int, int] = {}  # index in actors -> start of the cue that listed it
    if whole:
        chosen = {i: 0 for i in range(len(actors))}
    else:
        for cue in _ATTEND.finditer(s.text):
            if not _SUBJECT_ONLY.fullmatch(cue.group()):
                for i in _list_after(s, actors, cue.end()):
                    chosen.setdefault(i, cue.start())
            for i in _list_before(s.text, actors, cue.start()):
                chosen.setdefault(i, cue.start())
        for cue in _AGREED.finditer(s.text):
            for i in _list_before(s.text, actors, cue.start()):
                chosen.setdefault(i, cue.start())
    cues = [o.start() for o in _OBSERVER_CUE.finditer(s.text)]
    qualified = _observer_names(s, actors) if cues else set()
    for i in sorted(chosen):
        m, ref = actors[i]
        role: Role = "participant"
        k = bisect.bisect_left(cues, m.start)
        introduced = k > 0 and chosen[i] <= cues[k - 1]  # "asistieron en calidad de observ…"
        if observers or i in qualified or introduced:
            role = "observer"
        c.add(ref, role, s, "attendance")
    if not chosen:
        return
    lo = min(actors[i][0].start for i in chosen)
    hi = max(actors[i][0].end for i in chosen)
    for ref in _footnote_actors(c, s, max(0, lo - 40), hi + 40):
        if ref.kind not in ("body", "process"):
            c.add(ref, "participant", s, "attendance-footnote")
    for note in c.ctx.doc.footnote_for(s.block, s.start_in_block, s.start_in_block + len(s.text)):
        _footnote_roles(c, note)


# "with the participation of", "con la presencia de": cues whose list may stand at the end of a
# chain of "de / of" phrases (rule ``participation-of``)
_PARTICIPATION_OF = quick(
    r"(?i)\b(?:(?:with|had|has|saw) the (?:participation|presence|attendance) of|"
    r"(?:con|tuvo|tiene) la (?:participaci[oó]n|presencia|asistencia) de)\s"
)
# how far the chain may run from the cue to the first name of the list
_CHAIN_REACH = 320
# the chain ends in "de / of (the)" right before the list: "responsables de los asuntos
# migratorios de | A, B y C", "responsible for migration of | A, B and C"
_CHAIN_END = re.compile(r"(?i)\b(?:de|del|of|from)\s+(?:the\s+|los\s+|las\s+|la\s+|el\s+)?$")
# a list that closes its clause: the sentence ends, or a comma or a semicolon follows
_CLAUSE_CLOSES = re.compile(r"\s*(?:[.;,)]|$)")


def _participation_of(c: _Collector, s: Sentence) -> None:
    """Rule ``participation-of``: the states listed at the end of a chain of "de / of"
    phrases after "with the participation of" ("con la participación de funcionarios de los
    Ministerios de … y de los Ministerios de … responsables de los asuntos migratorios de A, B
    y C"), too far from the cue for ``attendance``. The chain holds no sentence break, place,
    support, aim or new clause, it ends in "de / of" right before the list, and the list closes
    its clause; actors another rule has placed keep their role."""
    if _INTENT.search(s.text):
        return
    actors = [(m, ref) for m, ref in _actors_in(c, s) if m.kind == "state"]
    if not actors:
        return
    for cue in _PARTICIPATION_OF.finditer(s.text):
        first = bisect.bisect_left(actors, cue.end(), key=lambda a: a[0].start)
        if first == len(actors):
            continue
        start = actors[first][0].start
        gap = s.text[cue.end() : start]
        if (
            len(gap) > _CHAIN_REACH
            or not _CHAIN_END.search(gap)
            or re.search(r"[.;:]", gap)
            or _PLACE_IN_GAP.search(gap)
            or _SUPPORT.search(gap)
            or _new_clause(gap)
            or _city_between(s, cue.end(), start)
        ):
            continue
        run = _list_after(s, actors[first:], start)
        while run and not _CLAUSE_CLOSES.match(s.text, actors[first + run[-1]][0].end):
            run.pop()  # "… de A y B, y de C en calidad de observador": A and B
        for i in run:
            ref = actors[first + i][1]
            if not any(seen[:2] == (ref.kind, ref.key) for seen in c.seen):
                c.add(ref, "participant", s, "participation-of")


# Cues of a list of people present by title and affiliation ("opened by the Minister of Foreign
# Affairs of X, accompanied by the Director of IOM, Name; the Senator …"): every state and
# organization named in it, up to a relative clause, is there through its representative.
_PERSON_LIST = quick(
    r"(?i)\b(?:(?:opened|inaugurated|closed|chaired|presided(?: over)?|welcomed|handed over|"
    r"transferred)\b[^.;]{0,40}?\bby|accompanied by|acompañad[oa]s? (?:por|de)|"
    r"delegation,?\s+(?:alongside|along with|together with)|"
    r"delegaci[oó]n,?\s+(?:junto (?:a|con)|acompañad[oa] (?:por|de))|"
    r"sesi[oó]n (?:inaugural|de apertura) estuvo a cargo del?|presidid[oa] por|"
    r"inaugurad[oa] por|entregad[oa] por|traspasad[oa] por)\s"
)
_RELATIVE = quick(r"(?i)\b(?:who|which|whom|where|quien(?:es)?|que|donde|cuy[oa]s?)\b")
_PERSON_LIST_REACH = 400


# the opening of a speech greets the dignitaries present: "Excelentísimo Señor Ministro de
# Relaciones Exteriores del Estado Plurinacional de Bolivia, …", "Distinguished Vice Minister of
# Foreign Affairs of Ecuador, …"
_SALUTATION = quick(
    r"(?:(?i:excelent[ií]sim[oa]s?|distinguid[oa]s?|estimad[oa]s?|honorable|your excellency|"
    r"excellency|distinguished|dear)\s+(?i:señor(?:a|es)?\s+|mr\.?\s+|ms\.?\s+|madam\s+)?"
    r"(?i:(?:vice[-\s]?)?(?:minist|vicecanciller|canciller|secretar|subsecretar|embajador|"
    r"ambassador|director|presidente?|president|delegad|representa|jef|head|chair))|"
    # a line of the greeting: "Hon. Ana Ruiz, Minister of …", "H.E. Tom Lee, High Commissioner"
    r"(?:Hon|H\.\s?E|S\.\s?E)\.\s+[A-ZÁÉÍÓÚÑ][\w'’-]+(?:\s+[A-ZÁÉÍÓÚÑ][\w'’-]+){1,3},\s)"
)
_DANGLING_OF = re.compile(r"(?i)\b(?:de|del|de la|of|of the)\s*$")
_EX = re.compile(r"(?i)\b(?:ex|former|antiguo|antigua)\s")


def _salutation(c: _Collector, s: Sentence) -> None:
    """Rule ``salutation``: a state whose official the speech greets as present ("Distinguido
    Subsecretario de Relaciones Exteriores del Ecuador") took part. A greeting cut by the line
    ("… Relaciones Exteriores del" / "Estado Plurinacional de Bolivia, D. …") goes on in the
    next sentence; an office held before ("ex Presidente Pro-Tempore de …") names no one
    present."""
    parts = [(s, 0, len(s.text))]
    if _DANGLING_OF.search(s.text) and s.index + 1 < len(c.ctx.sentences):
        nxt = c.ctx.sentences[s.index + 1]
        comma = nxt.text.find(",")
        parts.append((nxt, 0, comma if comma > 0 else len(nxt.text)))
    for sentence, lo, hi in parts:
        for m, ref in _actors_in(c, sentence, lo, hi):
            former = list(_EX.finditer(sentence.text, 0, m.start))
            if former and "," not in sentence.text[former[-1].end() : m.start]:
                continue  # "y ex Presidente Pro Tempore de la Conferencia celebrada en Chile"
            if ref.kind in ("state", "organization"):
                c.add(ref, "participant", sentence, "salutation")


def _person_list(c: _Collector, s: Sentence) -> None:
    actors = [(m, ref) for m, ref in _actors_in(c, s) if m.kind != "body"]
    for cue in _PERSON_LIST.finditer(s.text):
        end = min(len(s.text), cue.end() + _PERSON_LIST_REACH)
        rel = _RELATIVE.search(s.text, cue.end(), end)
        end = rel.start() if rel else end
        k = bisect.bisect_left(actors, cue.end(), key=lambda a: a[0].start)
        while k < len(actors) and actors[k][0].start < end:
            entry = re.split(r"[,;]", s.text[cue.end() : actors[k][0].start])[-1]
            if not _ACCREDITED_TO.search(entry):
                c.add(actors[k][1], "participant", s, "person-list")
            k += 1


# "Ambassador of Belize to Guatemala and Panama", "Embajador de Chile ante Bolivia": the states
# an envoy is sent to are not represented by the envoy
_ACCREDITED_TO = quick(
    r"(?i)\b(?:ambassador|embajador[a]?|envoy|enviad[oa]|consul|c[oó]nsul)\b.*\b(?:to|ante)\s"
)


_ANOTHER_GROUP = quick(
    r"(?i)\b(?:as well as|along with|together with|and also|as also|así como|además de|"
    r"junto (?:con|a)|y también)\b"
)


def _observer_names(s: Sentence, actors: list[tuple[Mention, ActorRef]]) -> set[int]:
    """The names an observer cue qualifies: the list it introduces ("en calidad de observadores
    el ACNUR y la CEPAL", "Observer organizations: A, B") or closes ("la OIM y el ACNUR en
    calidad de organizaciones observadoras", "IOM and UNHCR participated as observers"). Names
    of another list of the sentence ("Belize, Canada …, se reunieron …, con la participación
    de la OIM en calidad de observadora") are not observers."""
    found: set[int] = set()
    for cue in _OBSERVER_CUE.finditer(s.text):
        found.update(_list_after(s, actors, cue.end()))
        before = sorted(_list_before(s.text, actors, cue.start()))
        for k in range(len(before) - 1, 0, -1):
            # "A, B y C, así como la OIM y el ACNUR en calidad de observadores": the cue
            # qualifies the names after the last "así como / as well as" only
            gap = s.text[actors[before[k - 1]][0].end : actors[before[k]][0].start]
            if _ANOTHER_GROUP.search(gap):
                before = before[k:]
                break
        found.update(before)
        verb = _VERB_BEFORE.search(s.text, max(0, cue.start() - 40), cue.start())
        if verb:
            found.update(_list_before(s.text, actors, verb.start()))
    return found


# "IOM and UNHCR participated / attended / took part as observers": the list is the verb's subject.
_VERB_BEFORE = quick(
    r"(?i)\b(?:participated|attended|took part|were present|participaron|asistieron|"
    r"estuvieron presentes|participan|asisten)\s+(?:also\s+|también\s+)?$"
)


def _list_gap(gap: str) -> bool:
    gap = re.sub(r"\([^()]{0,80}\)", " ", gap)
    if len(gap) > 90 and (len(gap) > 300 or any(len(p) > 60 for p in gap.split(","))):
        return False  # a long gap only as a list of names the gazetteer does not know
    if re.search(r"[.;:\d]", gap.replace("Mr.", "").replace("Ms.", "")):
        return False
    for word in re.findall(r"[^\s,()/&-]+", gap):
        if word.lower() not in _LIST_WORDS and not word[0].isupper():
            return False
    return True


def _list_after(s: Sentence, actors: list[tuple[Mention, ActorRef]], cue_end: int) -> list[int]:
    text = s.text
    out: list[int] = []
    # Start at the first name after the cue (bisect, not a scan: a sentence may hold many cues).
    first = bisect.bisect_left(actors, cue_end, key=lambda a: a[0].start)
    for i in range(first, len(actors)):
        m, ref = actors[i]
        if not out:
            gap = text[cue_end : m.start]
            if len(gap) > _CUE_REACH or re.search(r"[.;]\s", gap) or _PLACE_IN_GAP.search(gap):
                break
            if _PLACE_BEFORE.search(gap) and _EVENT_IN_GAP.search(gap):
                break  # "officials from … are holding their meeting in the Dominican Republic"
            if _new_clause(gap):
                break  # "con la participación de X, se presentó el estudio … de <state>"
            if _city_between(s, cue_end, m.start):
                break  # "reunidos en … la ciudad de Encarnación, República del Paraguay": a place
            if ref.kind == "process" or (
                ref.kind == "organization"
                and _MEMBERS_OF.search(text, max(0, cue_end - 30), cue_end)
            ):
                continue  # "the member countries of the MIRPS -A, B and C-": whose members
            out.append(i)
            continue
        prev = actors[out[-1]][0]
        if m.start < prev.end:
            continue
        if not _list_gap(text[prev.end : m.start]):
            break
        out.append(i)
    return _list_end(text, actors, out)


_MEMBERS_OF = re.compile(
    r"(?i)\b(?:member (?:countries|states)|pa[ií]ses miembros|estados miembros)\s+(?:of|de|del)"
    r"(?:\s+(?:the|la|el))?\s*$"
)
# A comma and a word that opens a new clause (a clitic, a pronoun, a relative or a
# conjunction of time): "con la participación de X, se presentó el estudio … de <state>".
_NEW_CLAUSE = quick(
    r",\s*(?:se|que(?!\s+(?:conforman|integran|forman|componen)\b)|quien|quienes|donde|cuando|"
    r"mientras|which(?!\s+(?:are|comprise|include)\b)|who|whom|where|when|while|"
    r"whereas|it|they|we)\b"
)


def _new_clause(gap: str) -> bool:
    """Whether a comma in ``gap`` opens a new clause (see ``_NEW_CLAUSE``); an apposition
    ("…, integrantes de la CSM (A, B …") does not."""
    return bool(_NEW_CLAUSE.search(gap))


def _city_between(s: Sentence, lo: int, hi: int) -> bool:
    k = bisect.bisect_left(s.mentions, lo, key=lambda x: x.start)
    while k < len(s.mentions) and s.mentions[k].start < hi:
        if s.mentions[k].kind == "city":
            return True
        k += 1
    return False


def _list_end(text: str, actors: list[tuple[Mention, ActorRef]], run: list[int]) -> list[int]:
    """Where a list really ends: "A, B and C, D …" stops at C (a comma alone after the last
    "and" opens a new clause), and "with the support of A, B carried out …" keeps A alone (two
    names of one list are joined by "and"). A list cut off mid-way ("A, B, C, D") is kept."""
    gaps = [text[actors[x][0].end : actors[y][0].start] for x, y in itertools.pairwise(run)]
    joined = [bool(re.search(r"(?i)\b(?:and|y|e|as well as|así como)\b|&", g)) for g in gaps]
    comma = [bool(re.fullmatch(r"\s*,\s*", g)) for g in gaps]
    for k in range(1, len(gaps)):
        if joined[k - 1] and comma[k]:
            return run[: k + 1]
    if len(run) == 2 and comma[0]:
        return run[:1]
    return run


# What precedes a country named as the place of a city: "in Lima, ", "en la ciudad de X, ".
_AFTER_PLACE = re.compile(
    r"(?:\b(?:[Ii]n|[Ee]n|[Aa]t)\s+(?:the\s+city\s+of\s+|la\s+ciudad\s+de\s+)?|"
    r"\b[Cc]ity of\s+|\b[Cc]iudad de\s+)(?:[A-ZÁÉÍÓÚÑ][\w.'’-]*\s*){1,3},\s*$"
)
# Between a cue and its list, words that introduce a place or an event instead ("reunidos en la
# Conferencia …, realizada en la ciudad de X, <country>"): the name after them is no attendant.
# a name right after "in (the)" / "en (la)" is where something happens, not who attends
_PLACE_BEFORE = re.compile(r"(?i)\b(?:in|at|en)\s+(?:the\s+|la\s+|el\s+)?$")
_EVENT_IN_GAP = quick(
    r"(?i)\b(?:meetings?|conference|session|forum|hold\w*|reuni[oó]n|conferencia|sesi[oó]n|"
    r"foro|celebr\w+|realiz\w+)\b"
)
_PLACE_IN_GAP = quick(
    r"(?i)\b(?:held|took place|realizad[oa]|celebrad[oa]|llevad[oa] a cabo|tuvo lugar|"
    r"in the city of|en la ciudad de|hosted)\b"
)


def _list_before(text: str, actors: list[tuple[Mention, ActorRef]], cue_start: int) -> list[int]:
    out: list[int] = []
    last = bisect.bisect_right(actors, cue_start, key=lambda a: a[0].end)
    edge = -1  # where the list read so far begins, once its last name is found
    for i in range(last - 1, -1, -1):
        m, ref = actors[i]
        if m.end > cue_start:
            continue
        if ref.kind == "process":
            break  # "the members of the RCM, gathered …": the process qualifies, not attends
        if edge < 0:
            gap = text[m.end : cue_start]
            if len(gap) <= 30 and re.fullmatch(
                r"[\s,)\-–—]*(?:(?:also|all|both|have|has|who|which|that|que|también|ambos|han|todos)"
                r"\s*)*",
                gap,
            ):
                if _AFTER_PLACE.search(text[max(0, m.start - 45) : m.start]):
                    break  # "… realizada en la ciudad de X, <country>, adoptan": a place
                out.append(i)
                edge = m.start
                continue
            if not _UNKNOWN_LAST.fullmatch(gap):
                break
            # "…, ILO, United Nations Office of Drug Control attended as observers": the last
            # name is one the gazetteer does not know; a known name glued to its front
            # ("United Nations") is part of it, one before a comma is the list's previous name
            if gap[:1] == ",":
                out.append(i)
            edge = m.start
            continue
        if not _list_gap(text[m.end : edge]):
            break
        out.append(i)
        edge = m.start
    return out


# the unknown last name of a list, right before its cue: capitalised words and connectors
_UNKNOWN_LAST = re.compile(
    r"(?:,\s*|\s+)(?:[A-ZÁÉÍÓÚÑ][\w'’.-]*\s+(?:(?:of|for|and|on|the|de|del|la|y|para)\s+){0,2}){1,8}"
)


def _footnote_roles(c: _Collector, note: object) -> None:
    for fs in [x for x in c.ctx.sentences if x.block is note]:
        role = _AS_ROLE.search(fs.text)
        if not role or not re.search(r"(?i)\b(attended|particip|asisti)", fs.text):
            continue
        word = (role.group("role") or role.group("es") or "").lower()
        mapped: Role = (
            "listener"
            if word.startswith(("listener", "oyente"))
            else "observer"
            if word.startswith("observ")
            else "host"
            if word.startswith(("host", "anfitri"))
            else "chair"
            if word == "chair"
            else "presenter"
            if word == "presenter"
            else "speaker"
        )
        for m, ref in _actors_in(c, fs, 0, role.start()):
            if m.kind == "state":
                c.add(ref, mapped, fs, "as-role")


def _intervention(c: _Collector, s: Sentence) -> None:
    if s.block.kind in ("heading", "item") and len(s.block.text) < 200 and _heading_presenter(c, s):
        return
    if s.block.kind == "heading" and not _LABEL.match(s.text):
        return
    label = _LABEL.match(s.text) if s.sentence_start_of_block() else None
    if label:
        subject = [
            ref
            for m, ref in _actors_in(c, s, 0, label.end("actor"))
            if m.start == _first_word(s.text)
        ]
        for ref in subject:
            c.add(ref, "participant", s, "question-label")
            c.add(ref, "speaker", s, "question-label")
    m = _SPEECH.match(s.text)
    if not m:
        return
    actor_text_end = m.end("actor")
    found = [
        (mention, ref)
        for mention, ref in _actors_in(c, s, 0, actor_text_end)
        if mention.start <= _first_word(s.text) + 30
    ]
    leftover = s.text[m.start("actor") : actor_text_end]
    for mention, _ref in found:
        leftover = leftover.replace(mention.name, " ")
    words = re.findall(r"[^\s,()]+", leftover)
    if any(
        w.lower() not in _SUBJECT_FILLERS and not re.fullmatch(r"[A-Z]{2,6}s?", w) for w in words
    ):
        return  # the subject is more than the actor ("The fact that Chile ...")
    refs = [ref for _mention, ref in found]
    for ref in refs[:2]:
        if ref.kind == "state":
            c.add(ref, "participant", s, "intervention")
        role: Role = (
            "presenter"
            if m.group("verb").startswith("presen") or "presentation" in m.group("verb")
            else "speaker"
        )
        c.add(ref, role, s, "intervention")


def _heading_presenter(c: _Collector, s: Sentence) -> bool:
    m = re.match(
        r"(?i)^(?:presentation (?:of|by)\s+(?:the\s+)?|[^:]{3,40}:\s*(?:presentation of"
        r"|update on the support of|presentaci[oó]n de)\s+(?:the\s+)?)",
        s.text,
    )
    if not m:
        return False
    for mention, ref in _actors_in(c, s, m.end(), m.end() + 60):
        if mention.start <= m.end() + 6:
            if ref.kind == "state":
                c.add(ref, "participant", s, "presentation")
            c.add(ref, "presenter", s, "presentation")
            return True
    return False


def _first_word(text: str) -> int:
    m = re.match(
        r"(?i)(?:in addition,\s*|furthermore,\s*|moreover,\s*|finally,\s*|also,\s*|"
        r"answer:\s*)?(?:the\s+)?",
        text,
    )
    return m.end() if m else 0

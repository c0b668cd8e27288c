"""Persons named in a document, with the title and affiliation the text gives them.

Why token runs and not one big pattern: titles are long and vary ("Viceministra Interina de
Trabajo", "UNHCR Assistant Regional Representative", "Independent Expert on the rights of
older persons"), and read greedily a title becomes a name ("Interina"). So each sentence is cut into
words, every word is classed once (title word, name word, particle, or other) from reviewed
lexicons (``lexicon/person-titles.tsv``, ``non-name-words.tsv``, ``given-names.tsv``,
``person-cues.tsv``) and the gazetteer (a state, city or organization is never part of a name),
and a name is a run of name words. A run is a person only when a cue around it says so, and the
rule that fired is recorded in the provenance (``rule:person-<cue>``):

- ``title``: a title word right before it ("Vice-Minister Ana Torres", "Sra. Ana Torres", "IOM
  Chief of Mission Ana Torres"), or a title and its complement earlier in the same clause,
  when the run opens with a known given name ("Independent Expert on ... Ana Torres");
- ``apposition``: "<title phrase>, Ana Torres," and "Ana Torres, Director of ...";
- ``heading``: "Ana Torres: Presentation of ..." or "Remarks by Ana Torres";
- ``from``, ``behalf``: "Ana Torres from IOM", "On behalf of Chile, Ana Torres";
- ``led``, ``list``: "chaired by Ana Torres", "presidida por Ana Torres"; "Ana Torres (Chile)";
- ``speech``: "Ana Torres said", "dijo Ana Torres";
- ``signature``, ``byline``: "(Signed) Ana TORRES", a line holding only a name at the top or
  bottom of the document, or "By Ana Torres".

A person needs at least two name words (a given name and a surname, or two surnames) as written:
a surname alone ("Ministro Torres") only joins a person already named in full. Mentions of the
same surname are one person (the fullest name wins).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from rcm_graph.model.facts import ActorRef, Person
from rcm_graph.stages.extraction.context import DocContext, Sentence
from rcm_graph.stages.extraction.lexicons import table

_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_](?:[\w'’-]*[^\W_])?\.?|\S")
_PARTICLES = {"de", "del", "la", "las", "los", "da", "das", "do", "dos", "van", "von", "der", "di"}
_CLAUSE_STOPS = {",", ";", ":", "(", ")", "[", "]", '"', "“", "”", "«", "»", ".", "–", "—", "|"}
_MAX_CLAUSE = 16  # tokens scanned back for a title in the same clause


@lru_cache(maxsize=1 << 16)
def _fold(word: str) -> str:
    """Case and accents folded; cached: a text repeats its words (a million calls on 1 MB)."""
    text = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in text if not unicodedata.combining(c)).rstrip(".")


@cache
def _titles() -> dict[str, set[str]]:
    """Folded title word -> its kinds (office, modifier, honorific)."""
    out: dict[str, set[str]] = {}
    for form, _lang, kind in table("person-titles.tsv"):
        out.setdefault(_fold(form), set()).add(kind)
    return out


@cache
def _words(name: str, column: int = 0) -> frozenset[str]:
    return frozenset(_fold(row[column]) for row in table(name))


@cache
def _cues(kind: str) -> tuple[str, ...]:
    return tuple(c for c, _lang, k in table("person-cues.tsv") if k == kind)


@cache
def _cue_words(kind: str) -> frozenset[str]:
    """The cues of one kind, folded, for word look-ups ("pointed out" stays two words)."""
    return frozenset(_fold(c) for c in _cues(kind))


@cache
def _cue_pattern(kind: str) -> re.Pattern[str]:
    alts = "|".join(re.escape(c) for c in sorted(_cues(kind), key=len, reverse=True))
    return re.compile(rf"(?i)(?<!\w)(?:{alts})(?!\w)")


@cache
def _institution_words() -> frozenset[str]:
    """Words that recur in the names of organizations and bodies of the gazetteer ("Committee",
    "Fund", "Secretariat"): words of institutions, never part of a person's name. A word must
    occur in the names of two or more organizations, and name no place, so that the word of
    one name is not taken for a common word."""
    from rcm_graph.stages.extraction.gazetteer import gazetteer

    keys: dict[str, set[str]] = {}
    places: set[str] = set()
    for name, entry in gazetteer().entries.items():
        words = {
            _fold(w) for w in re.findall(r"[^\W\d_][\w'-]*", name) if len(w) >= 3 and w[0].isupper()
        }
        if entry.kind in ("city", "state"):
            places |= words
        elif entry.kind in ("organization", "process", "body") and not entry.exact:
            for w in words:
                keys.setdefault(w, set()).add(entry.key)
    return frozenset(w for w, k in keys.items() if len(k) >= 2 and w not in places)


@cache
def _body_words() -> frozenset[str]:
    """Nouns that close the name of a body ("Committee", "Programme", "Grupo"): a run of
    capitalised words right before one names the body, not a person."""
    rows = table("non-name-words.tsv")
    return frozenset(_fold(w) for w, group in rows if group == "body") | _institution_words()


@cache  # asked for every capitalised word: build the union once
def _stop_words() -> frozenset[str]:
    """Capitalised words that are never names: the reviewed stop list and words of
    institutions."""
    return _words("non-name-words.tsv") | _institution_words()


def _lowercase_words(ctx: DocContext) -> frozenset[str]:
    """Words the document itself writes in lower case: a capitalised "Working" or "Youth" is
    a common word of the text (a heading, a programme's name), not a name. Used only for runs
    that open with no known given name, since surnames are also words ("Fuentes", "Young")."""
    written: set[str] = set()
    for s in ctx.sentences:
        written.update(_LOWER_WORD.findall(s.text))
    return frozenset(map(_fold, written))  # each distinct word folded once


_LOWER_WORD = re.compile(r"(?<![\w-])[a-zà-ÿ][a-zà-ÿ]{3,}")


@dataclass
class _Tok:
    text: str  # without a final dot
    start: int
    end: int
    # office | modifier | honorific | name | caps | initial | particle | y | other | punct
    kind: str
    given: bool = False
    common: bool = False  # a word the document also writes in lower case


# Words that fold to a title but are written as an institution: "Secretaría" (a secretariat,
# with its accent) is not "Secretaria" (a secretary)
_INSTITUTION_SPELLINGS = frozenset(("secretaría", "secretarías"))


@lru_cache(maxsize=1 << 16)  # a pure function of the word, asked for every word
def _title_kind(word: str) -> str | None:
    if word.lower() in _INSTITUTION_SPELLINGS:
        return None
    kinds = _titles().get(_fold(word))
    if kinds is None and "-" in word:
        parts = [_titles().get(_fold(p)) for p in word.split("-")]
        if all(parts):
            kinds = set().union(*(p for p in parts if p))
    if not kinds:
        return None
    for k in ("office", "honorific", "modifier"):
        if k in kinds:
            return k
    return None


def _tokens(s: Sentence, lower: frozenset[str] = frozenset()) -> list[_Tok]:
    covered = [(m.start, m.end) for m in s.mentions]
    out: list[_Tok] = []
    for m in _TOKEN.finditer(s.text):
        raw = m.group()
        start = m.start()
        if not raw[0].isalpha():
            out.append(_Tok(raw, start, m.end(), "punct"))
            continue
        word, folded, given, fixed, free = _word_class(raw)
        end = start + len(word)
        if fixed is not None:
            kind = fixed
        elif covered and any(a < end and start < b for a, b in covered):
            kind = "other"  # a word of a state, city or organization the gazetteer found
        else:
            kind = free
        out.append(_Tok(word, start, end, kind, given, folded in lower))
    return out


_WORD_START = re.compile(r"(?<![^\W\d_])[^\W\d_]")
# The same starts where the letter is a capital, for Latin-1 text (these are its upper-case
# characters, checked against str.isupper): the class comes first, so ``re`` jumps from capital
# to capital instead of trying the look-behind at every character.
_LATIN1_CAPITAL_START = re.compile(r"[A-ZÀ-ÖØ-Þ](?<![^\W\d_].)")


def _may_hold_name(text: str) -> bool:
    """False only when no token of ``text`` is a name word, so that it has no candidate:
    most sentences, spared the tokenising. A name word opens with a capital letter, and a
    token can only start at a letter that no letter precedes (a letter before it would have
    carried the token through), so the capitals found so are every name word's start."""
    latin1 = text.isascii() or max(text, default="") <= "\xff"
    for m in (_LATIN1_CAPITAL_START if latin1 else _WORD_START).finditer(text):
        if m.group().isupper():
            token = _TOKEN.match(text, m.start())
            if token is not None:
                _word, _folded, _given, fixed, free = _word_class(token.group())
                if fixed is None and free == "name":
                    return True
    return False


@lru_cache(maxsize=1 << 16)
def _word_class(raw: str) -> tuple[str, str, bool, str | None, str]:
    """What a word token is, apart from the sentence: (word without a final dot, folded,
    a known given name, its kind whatever the gazetteer says or None, its kind when the
    gazetteer does not cover it). Cached: the same words recur in every sentence, and classing
    them was the larger part of reading a long document's persons."""
    word = raw[:-1] if raw.endswith(".") and len(raw) > 1 else raw
    if len(word) > 3 and word[-2:] in ("’s", "'s"):
        word = word[:-2]  # "President Arévalo’s leadership": the name is "Arévalo"
    folded = _fold(word)
    given = folded in _words("given-names.tsv")
    title = _title_kind(word)
    fixed: str | None = None
    if title:
        fixed = title
    elif word.islower():
        fixed = "y" if word == "y" else "particle" if word in _PARTICLES else "other"
    if len(word) == 1 and raw.endswith("."):
        free = "initial"
    elif word.isupper() and given and len(word) >= 3:
        free = "name"  # a known given name in capitals opens a name: "MINISTRO JUAN PÉREZ"
    elif word.isupper() and len(word) >= 3:
        free = "caps"
    elif word[0].isupper() and not word.isupper() and (given or folded not in _stop_words()):
        free = "name"
    else:
        free = "other"
    return word, folded, given, fixed, free


@cache
def _caps_stops() -> frozenset[str]:
    """Words in capitals that end a run of name words: stop words and speech cues."""
    return _stop_words() | _cue_words("speech")


def _segments(toks: list[_Tok]) -> list[tuple[int, int]]:
    """(first, last) token indexes of runs of name words, particles inside them allowed."""
    out = []
    i = 0
    while i < len(toks):
        if toks[i].kind != "name":
            i += 1
            continue
        j = i
        k = i + 1
        while k < len(toks):
            t = toks[k]
            caps_word = t.kind == "caps" and _fold(t.text) in _caps_stops()
            if t.kind in ("name", "caps", "initial") and not caps_word:
                j = k
                k += 1
                continue
            if t.kind == "particle":
                n = k
                while n < len(toks) and toks[n].kind == "particle" and n - k < 2:
                    n += 1
                if n < len(toks) and toks[n].kind == "name":
                    k = n
                    continue
            if (
                t.kind == "y"
                and k + 1 < len(toks)
                and toks[k + 1].kind == "name"
                and not toks[k + 1].given
                and sum(x.kind == "name" for x in toks[i:k]) >= 2
                and (k + 2 >= len(toks) or toks[k + 2].kind not in ("name", "caps"))
            ):
                j = k + 1  # "Ortega y Gasset": one surname joined by "y"
                k += 2
                continue
            break
        out.append((i, j))
        i = j + 1
    return out


@dataclass
class _Candidate:
    name: str
    first: int  # clean index in the sentence
    last: int
    title: str | None
    affiliation: ActorRef | None
    rule: str
    words: int


def find_persons(ctx: DocContext) -> list[Person]:
    found: list[tuple[Sentence, _Candidate]] = []
    last_block = len(ctx.doc.blocks) - 1
    lower = _lowercase_words(ctx)
    for s in ctx.sentences:
        edge = s.block_index in (0, last_block)
        found.extend((s, c) for c in _candidates(ctx, s, edge, lower))
    people: list[Person] = []
    # full names first, so that a surname alone can join the person it names
    for s, c in sorted(found, key=lambda sc: sc[1].words < 2):
        prior = next((p for p in people if _same_person(p.name, c.name)), None)
        if prior is None:
            if c.words < 2 and not _office_and_surname(c, s.text):
                continue
            people.append(
                Person(
                    local_id=f"p{len(people) + 1}",
                    name=c.name,
                    span=s.seg.span(c.first, c.last),
                    title=c.title,
                    affiliation=c.affiliation,
                    method=f"rule:person-{c.rule}",
                )
            )
            continue
        if len(c.name.split()) > len(prior.name.split()):
            prior.name = c.name
            prior.span = s.seg.span(c.first, c.last)
        if prior.title is None and c.title:
            prior.title = c.title
        if prior.affiliation is None and c.affiliation:
            prior.affiliation = c.affiliation
    people.sort(key=lambda p: p.span.start)
    for n, p in enumerate(people, start=1):
        p.local_id = f"p{n}"
    return people


def _office_and_surname(c: _Candidate, sentence: str) -> bool:
    """ "Secretary Blinken", "Foreign Minister Courtenay": a surname alone is a person when an
    office (not only an honorific such as "Mr.") stands right before it, in a sentence that is
    not a headline in Title Case ("Deputy Director General Commends …")."""
    if c.rule != "title" or not c.title:
        return False
    if c.name.endswith("s") and _fold(c.name[:-1]) in _titles():
        return False  # "Deputy Ministers": a plural office, not a name
    words_of_text = _LETTER_RUN.findall(sentence)
    if len(words_of_text) >= 5 and sum(w[0].isupper() for w in words_of_text) >= 0.7 * len(
        words_of_text
    ):
        return False
    words = c.title.split()
    if any(_fold(w) in _CONNECTORS for w in words):
        return False  # "Director General para Asuntos | Consulares": the office goes on
    return any("office" in _titles().get(_fold(w), ()) for w in words)


# words inside an office's complement: a single capitalised word after them ends the office
_CONNECTORS = frozenset(("de", "del", "para", "y", "of", "for", "and", "on", "sobre"))


def _same_person(a: str, b: str) -> bool:
    """ "Torres" and "Ana Torres" are one person; "Ana Pérez" and "Luis Pérez" are not:
    the shorter name must be the end of the longer one."""
    wa, wb = _fold(a).split(), _fold(b).split()
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return long_[-len(short) :] == short


def _candidates(
    ctx: DocContext, s: Sentence, edge: bool, lower: frozenset[str]
) -> list[_Candidate]:
    if not _may_hold_name(s.text):
        return []
    toks = _tokens(s, lower)
    out: list[_Candidate] = []
    for i, j in _segments(toks):
        run = toks[i : j + 1]
        if not any(t.given for t in run) and any(t.common for t in run if t.kind == "name"):
            continue  # "Central America Working Committee": a word of the text, not a name
        nxt = toks[j + 1] if j + 1 < len(toks) else None
        if nxt is not None and _fold(nxt.text) in _body_words():
            continue  # "... Youth Programme", "... Working Committee": the name of a body
        c = _judge(ctx, s, toks, i, j, edge)
        if c is not None:
            out.append(c)
    return out


def _name(toks: list[_Tok], i: int, j: int) -> tuple[str, int]:
    words = [
        t.text.capitalize() if t.text.isupper() and len(t.text) > 1 else t.text
        for t in toks[i : j + 1]
    ]
    count = sum(t.kind in ("name", "caps") for t in toks[i : j + 1])
    return " ".join(words), count


def _judge(
    ctx: DocContext, s: Sentence, toks: list[_Tok], i: int, j: int, edge: bool
) -> _Candidate | None:
    text = s.text

    def make(a: int, rule: str, title: tuple[int, int] | None = None) -> _Candidate | None:
        name, count = _name(toks, a, j)
        if count > 5 or (count < 2 and rule != "title"):
            return None
        title_text = None
        aff = None
        if title is not None:
            ta, tb = title
            title_text = _title_text(toks, ta, tb, text)
            aff = _affiliation(ctx, s, toks[ta].start, toks[tb].end)
        return _Candidate(name, toks[a].start, toks[j].end, title_text, aff, rule, count)

    def given_start() -> int | None:
        """Where the name begins in a run that may open with the title's complement: at a
        known given name, else (a run of three words or more that closes the clause) after
        its first word, the complement's ("Minister of Tourism Bartolo Quispe Mamani")."""
        for a in range(i, j + 1):
            if toks[a].given and toks[a].kind == "name":
                rest = sum(t.kind in ("name", "caps") for t in toks[a : j + 1])
                return a if rest >= 2 else None
        prev = toks[i - 1] if i > 0 else None
        if prev is not None and prev.kind == "other" and prev.text[:1].isupper():
            return i  # the complement ends in a known word: "Secretary of State | Ana Ruiz"
        words = [n for n in range(i, j + 1) if toks[n].kind == "name"]
        closes = j + 1 >= len(toks) or toks[j + 1].kind in ("punct", "other", "y")
        if len(words) >= 3 and closes and toks[i].kind == "name":
            return words[1]  # "(Minister of) Tourism | Bartolo Quispe Mamani"
        return None

    before = toks[i - 1] if i > 0 else None
    after = toks[j + 1] if j + 1 < len(toks) else None
    # a title word right before the name ("Ambassador Ana Torres", "Chief of Mission Ana Torres")
    block = _title_block(toks, i - 1)
    if block is not None:
        c = make(i, "title", block)
        if c is not None and (c.title is None or c.affiliation is None):
            # an honorific alone ("Mr.", "Sra."): the office may stand in an apposition
            # ("the Head of the Americas Unit, Ms. Ana Torres", "Sra. Ana Torres, Directora");
            # a rank without an employer ("IOM's Director General, Ambassador Ana Torres"):
            # the office before it says whose
            title = _apposition_before(toks, block[0])
            if title is None and c.title is None:
                title = _apposition_after(toks, j)
            if title is not None:
                appositive = _title_text(toks, title[0], title[1], text)
                c.title = appositive if c.title is None else f"{appositive}; {c.title}"
                c.affiliation = c.affiliation or _affiliation(
                    ctx, s, toks[title[0]].start, toks[title[1]].end
                )
        return c
    # a title earlier in the same clause, with a complement ("Relator Especial sobre ... Ana")
    office = _office_in_clause(toks, i - 1)
    if office is not None:
        a = given_start()
        if a is not None and _complement_ok(toks, office, a):
            return make(a, "title", (_block_start(toks, office), a - 1))
    # "<title phrase>, Ana Torres," (the name closes with punctuation or a small word)
    ends_clean = after is None or after.kind not in ("name", "caps", "office", "modifier")
    appos = _apposition_before(toks, i) if ends_clean else None
    if appos is not None:
        return make(i, "apposition", appos)
    # "Ana Torres, Director of ..." (a known given name opens it, or a verb of speech precedes)
    speech = _cue_words("speech")
    said_before = before is not None and _fold(before.text) in speech
    appos = _apposition_after(toks, j) if toks[i].given or said_before else None
    if appos is not None:
        return make(i, "apposition", appos)
    head = text[: toks[i].start]
    # headings: "Ana Torres: Presentation of ...", "Remarks by Ana Torres"
    if s.block.kind in ("heading", "item") or s.start_in_block == 0:
        if not head.strip(" -–*•") and after is not None and after.text == ":":
            c = make(i, "heading")
            rest = text[after.end :].lstrip(" *")
            if c is not None and _cue_pattern("presents").match(rest):
                # "Ana Torres: Presentation of Mexico on ...": she speaks for Mexico
                c.affiliation = _actor_after(ctx, s, after.end)
            return c
        if _ends_with_cue(head, "remarks") and (after is None or after.text in (":", "*")):
            return make(i, "heading")
    # "Ana Torres from IOM", "Ana Torres, de la OIM,"
    of_org = (
        toks[i].given
        and after is not None
        and after.text == ","
        and j + 2 < len(toks)
        and _fold(toks[j + 2].text) in {"de", "del", "of", "from"}
    )
    if of_org:
        k = j + 3 if j + 3 < len(toks) and _fold(toks[j + 3].text) in {"la", "el", "the"} else j + 2
        aff = _mention_at(ctx, s, toks[k].end + 1)
        if aff is not None:
            c = make(i, "from")
            if c is not None:
                c.affiliation = aff
            return c
    if after is not None and after.text.lower() in _cues("from"):
        aff = _mention_at(ctx, s, after.end + 1)
        if aff is not None:
            c = make(i, "from")
            if c is not None:
                c.affiliation = aff
            return c
    # a line that opens with a name and goes on with the office: a signature block or an
    # attendance list ("Ana Torres Viceministra de Relaciones Exteriores")
    if not head.strip(" -–*•") and after is not None and after.kind == "office":
        end = j + 1
        while end + 1 < len(toks) and toks[end + 1].kind != "punct":
            end += 1
        return make(i, "signature", (j + 1, end))
    # "On behalf of Chile, Ana Torres", "Por Guatemala: Ana Torres"
    if before is not None and before.text in (",", ":"):
        at, clause = _clause(toks, i - 2, text)
        m = _cue_pattern("behalf").match(clause) or _signatory(s, at, clause)
        if m:
            c = make(i, "behalf")
            if c is not None:
                c.affiliation = _mention_at(ctx, s, at + m.end() + 1)
            return c
    # "Ana Torres said" at the start of a sentence, or anywhere after a known given name;
    # "said Ana Torres"
    said_after = after is not None and _fold(_next_words(toks, j + 1)) in speech
    if said_after and (not head.strip(" \"“”'") or toks[i].given):
        return make(i, "speech")
    if said_before and toks[i].given:
        return make(i, "speech")
    # "chaired by Ana Torres", "presidida por Ana Torres"; "Ana Torres (Chile)" in a list
    if toks[i].given and _ends_with_cue(head, "led"):
        return make(i, "led")
    if toks[i].given and after is not None and after.text == "(":
        inside = next(
            (
                m
                for m in s.mentions
                if m.kind in ("organization", "state", "process")
                and m.start >= after.end
                and text[after.end : m.start].strip() == ""
                and text[m.end :].lstrip().startswith(")")
            ),
            None,
        )
        if inside is not None:
            c = make(i, "list")
            if c is not None:
                refs = ctx.actor(s, inside, "rule:person-affiliation")
                c.affiliation = refs[0] if refs else None
            return c
    # "(Signed) Ana TORRES Permanent Representative"
    if _ends_with_cue(head, "signature"):
        end = j + 1
        while end < len(toks) and toks[end].kind in ("office", "modifier", "other", "particle"):
            end += 1
        titled = end > j + 1 and toks[j + 1].kind in ("office", "modifier")
        title = (j + 1, end - 1) if titled else None
        return make(i, "signature", title)
    # a line holding only a name, at the top or bottom of the document, or "By Ana Torres"
    ends = after is None or (after.text == "." and not s.text[after.end :].strip())
    only_name = ends and s.start_in_block == 0 and len(s.text) == len(s.block.text)
    if only_name and toks[i].given:
        if not head.strip() and edge:
            return make(i, "byline")
        if _fold(head.strip()) in _cue_words("byline"):
            return make(i, "byline")
    return None


def _signatory(s: Sentence, at: int, clause: str) -> re.Match[str] | None:
    """ "Por Guatemala", "For Belize": a signatory's state or organization, and nothing else."""
    m = _cue_pattern("signatory").match(clause)
    if m is None:
        return None
    rest = at + m.end() + 1
    whole = any(
        x.kind in ("state", "organization", "process")
        and x.start == rest
        and x.end == at + len(clause)
        for x in s.mentions
    )
    return m if whole else None


def _apposition_before(toks: list[_Tok], i: int) -> tuple[int, int] | None:
    """The title phrase of "<title phrase>, <name at token i>", as (first, last) tokens."""
    if i < 2 or toks[i - 1].text != ",":
        return None
    office = _office_in_clause(toks, i - 2)
    if office is None or not _complement_ok(toks, office, i - 1):
        return None
    return _title_head(toks, office), i - 2


def _apposition_after(toks: list[_Tok], j: int) -> tuple[int, int] | None:
    """The title phrase of "<name ending at token j>, (the|IOM) Director of ...", to the next
    punctuation or verb of speech ("…, IOM's Regional Director for the Caribbean said that")."""
    if j + 1 >= len(toks) or toks[j + 1].text != ",":
        return None
    k = j + 2
    # words of the office's field may come first ("Legal Protection Officer"), not a new name
    while (
        k < len(toks)
        and k <= j + 5
        and toks[k].kind not in ("office", "punct")
        and not (toks[k].kind == "name" and toks[k].given)
    ):
        k += 1
    if k >= len(toks) or toks[k].kind != "office":
        return None
    end = k
    speech = _cue_words("speech")
    while end + 1 < len(toks) and toks[end + 1].kind != "punct":
        if _fold(toks[end + 1].text) in speech:
            break
        end += 1
    start = _block_start(toks, k)
    if any(t.kind == "name" for t in toks[j + 2 : start]):
        start = j + 2  # "Legal Protection Officer": the field's words belong to the title
    return start, end


def _title_head(toks: list[_Tok], office: int) -> int:
    """Where a title that ends in ``office`` begins, when that office is itself the
    complement of an earlier one across a list of fields ("subsecretario de Población,
    Empleo y Asuntos Laborales de la Secretaría de Trabajo"): the earliest office whose
    complement runs, comma-separated list and all, into the later one."""
    start = _block_start(toks, office)
    governing = _governing_office(toks, start)
    if governing is not None:
        return _title_head(toks, governing)
    n = start - 1
    while n >= 0 and toks[n].text not in _CLAUSE_STOPS:
        n -= 1
    if n < 0 or toks[n].text != ",":
        return start
    earlier = _office_in_clause(toks, start - 1)
    if earlier is None or earlier >= n or not _complement_ok(toks, earlier, start):
        return start
    return _title_head(toks, earlier)


_OF = frozenset({"de", "del", "of"})
_ARTICLES = frozenset({"la", "el", "los", "las", "the"})


def _governing_office(toks: list[_Tok], start: int) -> int | None:
    """The office whose complement a title starting at ``start`` is part of, in the same
    clause: "Secretario General del Área del | Viceministro de ...", "Head of the Office of the
    | Deputy Minister of ...". Only across "de / del / of (the)", so that two offices joined by
    "y el / and the" stay two titles."""
    n = start - 1
    if n >= 1 and _fold(toks[n].text) in _ARTICLES:
        n -= 1
    if n < 1 or _fold(toks[n].text) not in _OF:
        return None
    earlier = _office_in_clause(toks, n - 1)
    if earlier is None or not _complement_ok(toks, earlier, start):
        return None
    return earlier


def _title_block(toks: list[_Tok], k: int) -> tuple[int, int] | None:
    """The title words that end at token ``k`` ("UNHCR Assistant Regional Representative", "Chief of
    Mission"), if they hold an office or an honorific; connectors may join title words."""
    if k < 0 or toks[k].kind not in ("office", "modifier", "honorific"):
        return None
    start = _block_start(toks, k)
    kinds = {t.kind for t in toks[start : k + 1]}
    return (start, k) if kinds & {"office", "honorific"} else None


def _block_start(toks: list[_Tok], k: int) -> int:
    connectors = _cue_words("connector")
    start = k
    n = k - 1
    while n >= 0:
        t = toks[n]
        if t.kind in ("office", "modifier", "honorific"):
            start = n
            n -= 1
        elif (
            _fold(t.text) in connectors
            and n - 1 >= 0
            and toks[n - 1].kind in ("office", "modifier")
            and t.kind not in ("name", "punct")
        ):
            n -= 1
        else:
            break
    return start


def _office_in_clause(toks: list[_Tok], k: int) -> int | None:
    """The last office word in the clause that ends at token ``k`` (back to punctuation)."""
    n = k
    while n >= 0 and k - n < _MAX_CLAUSE and toks[n].text not in _CLAUSE_STOPS:
        if toks[n].kind == "office":
            return n
        n -= 1
    if n >= 0 and toks[n].text == "," and k - n < _MAX_CLAUSE and _in_title_list(toks, n + 1, k):
        # "Undersecretary of Labour, Employment and Social Security of the Ministry of ...":
        # a comma inside the enumeration of an office's fields, not the end of the clause
        return _office_in_clause(toks, n - 1)
    return None


def _in_title_list(toks: list[_Tok], a: int, b: int) -> bool:
    """Whether tokens ``a``..``b`` (after a comma) continue an office's list of fields:
    capitalised words and connectors only, the list closed by "and"/"y" and the connector
    that leads on ("Population and Migration of the Ministry of the Interior of ...")."""
    connectors = _cue_words("connector")
    words = toks[a : b + 1]
    if not words or not words[0].text[:1].isupper():
        return False
    for t in words:
        if t.kind == "punct" or (
            t.text.islower() and _fold(t.text) not in connectors | {"and", "y", "e"}
        ):
            return False
    return any(_fold(t.text) in ("and", "y", "e") for t in words)


def _complement_ok(toks: list[_Tok], office: int, end: int) -> bool:
    """What stands between a title and the name is the title's complement ("of Foreign
    Affairs", "de la OIM", "boliviana"): it opens with a connector or a title word or an
    adjective, and it holds no other person (a given name followed by another name word)."""
    connectors = _cue_words("connector")
    middle = toks[office + 1 : end]
    k = 0
    while k < len(middle) and middle[k].kind in ("office", "modifier"):
        k += 1
    rest = middle[k:]
    if rest and _fold(rest[0].text) not in connectors and len(rest) > 1:
        return False
    for n, t in enumerate(rest):
        if t.given and t.kind == "name" and n + 1 < len(rest) and rest[n + 1].kind == "name":
            return False
    return True


def _title_text(toks: list[_Tok], a: int, b: int, text: str) -> str | None:
    while a <= b and toks[a].kind == "honorific":
        a += 1
    if a > b:
        return None
    return text[toks[a].start : toks[b].end].strip(" ,") or None


def _clause(toks: list[_Tok], k: int, text: str) -> tuple[int, str]:
    """Start and text of the clause that ends at token ``k`` (back to punctuation)."""
    if k < 0:
        return 0, ""
    n = k
    while n - 1 >= 0 and toks[n - 1].text not in _CLAUSE_STOPS:
        n -= 1
    return toks[n].start, text[toks[n].start : toks[k].end]


def _next_words(toks: list[_Tok], k: int) -> str:
    """The word at ``k``, or the two words from ``k`` ("pointed out")."""
    one = toks[k].text
    speech = _cue_words("speech")
    if _fold(one) not in speech and k + 1 < len(toks):
        return f"{one} {toks[k + 1].text}"
    return one


def _ends_with_cue(head: str, kind: str) -> bool:
    h = head.rstrip(" *()[]:").rstrip()
    return any(re.search(rf"(?i)(?<!\w){re.escape(c)}$", h) for c in _cues(kind))


def _affiliation(ctx: DocContext, s: Sentence, start: int, end: int) -> ActorRef | None:
    """The organization or state right before a title ("IOM Regional Director") or named
    in it ("Minister of Labour of Belize")."""
    for m in s.mentions:
        gap = s.text[m.end : start]
        # right before the title, or with a possessive: "IOM's Director General"
        near = 0 <= start - m.end <= 2 or (
            0 <= start - m.end <= 4 and _POSSESSIVE.fullmatch(gap) is not None
        )
        if m.kind in ("organization", "state", "process") and near:
            refs = ctx.actor(s, m, "rule:person-affiliation")
            return refs[0] if refs else None
    for m in s.mentions:
        if m.kind in ("organization", "state", "process") and start <= m.start and m.end <= end:
            refs = ctx.actor(s, m, "rule:person-affiliation")
            return refs[0] if refs else None
    return None


_POSSESSIVE = re.compile(r"['’]s?\s")


def _mention_at(ctx: DocContext, s: Sentence, pos: int) -> ActorRef | None:
    for m in s.mentions:
        if m.kind in ("organization", "state", "process") and 0 <= m.start - pos <= 5:
            refs = ctx.actor(s, m, "rule:person-affiliation")
            return refs[0] if refs else None
    return None


_QUOTES = re.compile(r"[\"“”«»]")
_LETTER_RUN = re.compile(r"[^\W\d_]+")


def reported_speech(text: str) -> bool:
    """Whether a sentence reports someone's words as news does: a quotation with a verb of
    speech ('"...", said the Minister'), or an office and a verb of speech ("El Ministro
    destacó ...", "the Director General emphasized ...")."""
    speech = _cue_words("speech")
    # most sentences: decided in C. An ASCII word folds to its lower case, so an ASCII text's
    # folded words are the words of its lower case, with no call per word.
    folded = (
        _LETTER_RUN.findall(text.lower())
        if text.isascii()
        else map(_fold, _LETTER_RUN.findall(text))
    )
    if speech.isdisjoint(folded):
        return False
    letters = _LETTER_RUN.findall(text)
    words = [_fold(w) for w in letters]
    if len(_QUOTES.findall(text)) >= 2:
        return True
    return any("office" in _titles().get(w, ()) for w in words)


def _actor_after(ctx: DocContext, s: Sentence, pos: int) -> ActorRef | None:
    for m in s.mentions:
        if m.kind in ("organization", "state") and pos <= m.start <= pos + 60:
            refs = ctx.actor(s, m, "rule:person-affiliation")
            return refs[0] if refs else None
    return None

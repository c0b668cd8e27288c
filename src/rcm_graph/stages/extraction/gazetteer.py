"""Recognising actors and places by name: states, organizations, processes, their bodies, cities.

Built from the project's reference data (``rcm_graph.reference.tables``: organizations with English
and Spanish names and acronyms, RCM and SACM members), from ISO 3166 via pycountry (English
names, official names and their Spanish translations shipped with pycountry), and from the
lexicon tables of name variants. One compiled alternation, longest names first, so "Dominican
Republic" wins over "Dominica", "Mexico City" (a city) over "Mexico" (a state), and
"United Nations Regional Network on Migration" over "United Nations".

Names match case-insensitively but must start with a capital letter as written; acronyms match
exactly. A body ("Technical Secretariat", "PPT", "Troika") is resolved to its process by the
words around it ("RCM-TS", "the PPTs of the SACM and the RCM"), else to the document's main
process.
"""

from __future__ import annotations

import bisect
import difflib
import gettext
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from rcm_graph.model.facts import ActorKind
from rcm_graph.stages.extraction.lexicons import table
from rcm_graph.stages.extraction.prefilter import latin1_lower, quick

MentionKind = ActorKind | str  # "city" is used internally for places


@dataclass(frozen=True)
class Mention:
    """A recognised name in a clean text: what it is and where (clean indexes)."""

    kind: str  # state | organization | process | body | city
    key: str  # ISO3 | org key | "rcm:technical-secretariat" | "City|ISO3"
    name: str
    start: int
    end: int
    plural: bool = False


@dataclass(frozen=True)
class _Entry:
    kind: str
    key: str
    exact: bool  # acronyms match case-sensitively


_PROCESS_KEYS = ("rcm", "sacm")
# Acronyms that may be written with a dot after each letter: three letters or more, so that a
# two-letter one ("E.U.") is not confused with a Spanish abbreviation of a country.
_DOTTABLE = re.compile(r"[A-Z]{3,8}")
# Country names that are also common words of the documents' languages ("Reunión" is Spanish
# for "meeting" and pycountry's Spanish name of Réunion).
_STATE_NAME_SKIP = {"Georgia", "Jordan", "Chad", "Turkey", "Guinea", "Reunión", "Réunion", "Unión"}


def unaccented(name: str) -> str:
    """``name`` without its accents and tildes ("República" -> "Republica")."""
    decomposed = unicodedata.normalize("NFKD", name)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


# Acronyms that are also English words: they name their organization only outside a run of
# capitals ("WHO WE ARE" is a heading of IOM's pages, not the World Health Organization).
_WORD_ACRONYMS = frozenset(("WHO", "CAN", "ICE"))
_CAPS_WORD = re.compile(r"[A-ZÁÉÍÓÚÑ]{2,}")


def _in_capitals(text: str, start: int, end: int, known: dict[str, _Entry]) -> bool:
    """Whether the word at ``start:end`` stands next to a word in capitals that is no known
    name ("WHO WE ARE"; in "WHO, PAHO" the neighbour is an acronym too, so a list)."""
    before = text[max(0, start - 20) : start].split()
    after = text[end : end + 20].split()
    near = [w.strip(".,;:()") for w in (before[-1:] + after[:1])]
    return any(_CAPS_WORD.fullmatch(w) and w not in known for w in near)


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer.build()


class Gazetteer:
    def __init__(self, entries: dict[str, _Entry]) -> None:
        self.entries = entries
        self._folded = {k.casefold(): v for k, v in entries.items() if not v.exact}
        names = [" ".join(n.casefold().split()) for n in entries]
        alternation = trie_pattern(names)
        self._regex = re.compile(rf"(?<![\w@.])(?:{alternation})(?![\w])", re.IGNORECASE)
        # The same names, case-sensitive, for Latin-1 texts searched in lower case: the same
        # matches (prefilter.latin1_lower), and a third of the time, since ``re`` tests a
        # case-insensitive branch's first letter only by trying it (issue 17).
        latin1 = all(n == n.lower() and max(n, default="") <= "\xff" for n in names)
        self._lower = re.compile(rf"(?<![\w@.])(?:{alternation})(?![\w])") if latin1 else None
        # Page text often loses the space after a name ("the Dominican Republicconvened"): a
        # state name of several words, followed by a glued lower-case word, is still that
        # state. Only names of several words, and four letters or more glued, so that
        # "Peruvian" or "Costa Ricans" are not read as names.
        glued = [" ".join(n.casefold().split()) for n, e in entries.items() if _gluable(n, e)]
        # with the literal test in front: most sentences hold no part of such a name
        self._glued = quick(rf"(?<![\w@.])(?:{trie_pattern(glued)})(?=[a-z]{{4,}})", re.IGNORECASE)
        self._names: dict[str, list[str]] | None = None
        self._prefixes: list[tuple[str, _Entry]] | None = None
        self.city_country = {
            e.key.split("|")[0]: e.key.split("|")[1] for e in entries.values() if e.kind == "city"
        }

    @classmethod
    def build(cls) -> Gazetteer:
        from rcm_graph.reference.tables import reference_data

        entries: dict[str, _Entry] = {}

        def add(name: str | None, kind: str, key: str, *, exact: bool = False) -> None:
            if not name or len(name) < 2:
                return
            name = " ".join(name.split())
            entries.setdefault(name, _Entry(kind, key, exact))
            if not exact and not name.isascii():
                # pages and older documents drop the accents: "Republica Dominicana",
                # "Organizacion Internacional para las Migraciones"
                entries.setdefault(unaccented(name), _Entry(kind, key, exact))
            if exact and kind in ("organization", "process") and _DOTTABLE.fullmatch(name):
                # older documents write acronyms with dots: "O.I.M.", "C.E.P.A.L"
                dotted = ".".join(name)
                entries.setdefault(dotted + ".", _Entry(kind, key, True))
                entries.setdefault(dotted, _Entry(kind, key, True))

        ref = reference_data()
        for org in ref.organizations:
            kind = "process" if org.key in _PROCESS_KEYS else "organization"
            add(org.name_en, kind, org.key)
            add(org.name_es, kind, org.key)
            add(org.acronym_en, kind, org.key, exact=True)
            add(org.acronym_es, kind, org.key, exact=True)
        for key, alias, _note in table("organization-aliases.tsv"):
            kind = "process" if key in _PROCESS_KEYS else "organization"
            add(alias, kind, key, exact=alias.isupper() or "/" in alias)
        for key, alias in table("bodies.tsv"):
            add(alias, "body", key, exact=alias.isupper() or alias.rstrip("s").isupper())
        for city, iso3, aliases in table("cities.tsv"):
            for name in [city, *[a for a in aliases.split("|") if a]]:
                add(name, "city", f"{city}|{iso3}")
        for iso3, alias in table("state-aliases.tsv"):
            add(alias, "state", iso3, exact=alias.isupper())
        for member in ref.members:
            if member.iso3:
                add(member.name_en, "state", member.iso3)
                add(member.name_es, "state", member.iso3)
        for name, iso3 in _pycountry_names():
            add(name, "state", iso3)
        return cls(entries)

    def acronym(self, written: str) -> Mention | None:
        """The organization or process whose acronym is exactly ``written`` (as a mention at
        offset 0), else None: for rules that split a run of capitals."""
        entry = self.entries.get(written)
        if entry is None or not entry.exact or entry.kind not in ("organization", "process"):
            return None
        return Mention(entry.kind, entry.key, written, 0, len(written))

    def find(self, text: str) -> list[Mention]:
        """All names in ``text``, left to right, never overlapping."""
        out: list[Mention] = []
        lower = self._lower
        low = latin1_lower(text) if lower is not None else None
        found = self._regex.finditer(text) if lower is None or low is None else lower.finditer(low)
        for m in found:
            written = text[m.start() : m.end()]
            norm = " ".join(written.split())
            entry = self.entries.get(norm)
            if entry is None:
                entry = self._folded.get(norm.casefold())
                if entry is None or not written[0].isupper():
                    continue
            elif entry.exact is False and not written[0].isupper():
                continue
            if (
                entry.exact
                and norm in _WORD_ACRONYMS
                and _in_capitals(text, m.start(), m.end(), self.entries)
            ):
                continue  # "WHO WE ARE", "YES WE CAN": a heading in capitals, no acronym
            plural = entry.kind == "body" and norm.lower().endswith("s") and not norm.isupper()
            plural = plural or norm in ("PPTs",)
            out.append(Mention(entry.kind, entry.key, written, m.start(), m.end(), plural))
        for m in self._glued.finditer(text):
            written = m.group()
            entry = self._folded.get(" ".join(written.split()).casefold())
            if entry is None or not written[0].isupper():
                continue
            if any(x.start < m.end() and m.start() < x.end for x in out):
                continue
            out.append(Mention(entry.kind, entry.key, written, m.start(), m.end()))
            out.sort(key=lambda x: x.start)
        if "(" in text:
            out = self._bracketed_acronyms(text, out)
        return out

    def cut_name(self, text: str) -> Mention | None:
        """Rule ``cut-name``: the name a page cuts off at the end of ``text``.

        WHY: pages are often stored up to a byte limit and end mid-word ("… Estados Unidos de
        América, República de Guatemal"); the last name of a list of participants is then lost.
        The last word (three letters at least), with the words before it back to the last
        punctuation (five words at most, the first in capitals), must begin the names of one
        state, organization or process only; a word that begins several names ("United",
        "Central"), or a name already complete, names nothing. An acronym is cut only in
        capitals ("UNESC"). The caller checks that the document really ends at ``text``'s
        end, and records the completion as a warning of the document."""
        offset = max(0, len(text) - 120)
        tail = _CUT_TAIL.search(text, offset)
        if tail is None:
            return None
        words = list(_WORD_BEFORE.finditer(text, tail.start()))
        if len(words[-1].group()) < 3:
            return None
        index = self._prefix_index()
        for k in range(min(5, len(words)), 0, -1):
            start = words[-k].start()
            written = text[start:]
            if not written[0].isupper():
                continue
            folded = " ".join(written.casefold().split())
            at = bisect.bisect_left(index, (folded,))
            keys: set[tuple[str, str]] = set()
            while at < len(index) and index[at][0].startswith(folded):
                name, entry = index[at]
                at += 1
                if name == folded:
                    return None  # the name is complete: the gazetteer has it already
                if entry.exact and not written.isupper():
                    continue  # an acronym is cut only in capitals ("UNESC")
                keys.add((entry.kind, entry.key))
            if len(keys) > 1:
                return None  # the start of several names: no way to know which
            if keys:
                kind, key = keys.pop()
                return Mention(kind, key, written, start, len(text))
        return None

    def _prefix_index(self) -> list[tuple[str, _Entry]]:
        """The names of states, organizations and processes, folded and sorted: for prefixes."""
        index = self._prefixes
        if index is None:
            index = sorted(
                (
                    (" ".join(n.casefold().split()), e)
                    for n, e in self.entries.items()
                    if e.kind in ("state", "organization", "process")
                ),
                key=lambda pair: pair[0],
            )
            self._prefixes = index
        return index

    def _bracketed_acronyms(self, text: str, found: list[Mention]) -> list[Mention]:
        """Rule ``bracketed-acronym``: a known acronym of an organization in brackets right
        after a name, also in Title case as Spanish press writes it ("(Cepal)", "(Acnur)"),
        names that organization; and the name before it is that organization's, even when
        misspelt ("... para los Refujiados (Acnur)"), so that a generic name caught inside it
        ("Naciones Unidas") gives way. Only in brackets, only acronyms of three letters or more,
        so that ordinary words are not taken."""
        # ``found`` is sorted and never overlaps: by start and by end alike, so that bisect
        # finds the mentions of a stretch (a megabyte of "(OIM)" stays linear)
        starts = [x.start for x in found]
        ends = [x.end for x in found]
        drop: set[int] = set()  # indexes in ``found`` that give way
        added: list[Mention] = []
        for m in _BRACKETED.finditer(text):
            written = m.group(1)
            entry = self.entries.get(written.upper())
            if entry is None or not entry.exact or entry.kind not in ("organization", "process"):
                continue
            start, end = m.start(1), m.end(1)
            k = bisect.bisect_left(starts, start)
            if not (k < len(found) and starts[k] == start and ends[k] == end):
                if (k > 0 and ends[k - 1] > start) or (k < len(found) and starts[k] < end):
                    continue  # part of another name
                added.append(Mention(entry.kind, entry.key, written, start, end))
            gone, name = self._name_before(text, m.start(), entry, found, starts, ends)
            drop |= gone
            if name is not None:
                added.append(name)
        if not added and not drop:
            return found
        kept = [x for i, x in enumerate(found) if i not in drop]
        return sorted([*kept, *added], key=lambda x: (x.start, x.end))

    def _name_before(
        self,
        text: str,
        bracket: int,
        entry: _Entry,
        found: list[Mention],
        starts: list[int],
        ends: list[int],
    ) -> tuple[set[int], Mention | None]:
        """The mentions that give way to the acronym's name written before ``bracket``, and
        that name as a mention when it is misspelt (None when the gazetteer found it)."""
        end = bracket
        while end > 0 and text[end - 1].isspace():
            end -= 1
        j = bisect.bisect_left(ends, end)
        if j < len(found) and ends[j] == end and found[j].key == entry.key:
            return set(), None  # the name is written as the gazetteer knows it
        span = _fuzzy_name(text, end, self._names_of(entry.key))
        if span is not None:
            a, b = span
            inside = range(bisect.bisect_right(ends, a), bisect.bisect_left(starts, b))
            if all(a <= starts[i] and ends[i] <= b for i in inside):
                return set(inside), Mention(entry.kind, entry.key, text[a:b], a, b)
        # the name is too far from any known spelling: a generic name that is part of the
        # acronym's own names, in the words right before the bracket, still gives way
        lo = max(0, end - 300)
        clause = max(lo - 1, *(text.rfind(c, lo, end) for c in ",;:()"))
        names = [" ".join(n.casefold().split()) for n in self._names_of(entry.key)]
        gone = set()
        for i in range(bisect.bisect_right(starts, clause), bisect.bisect_right(ends, end)):
            x = found[i]
            if x.kind not in ("organization", "process") or x.key == entry.key:
                continue
            if any(" ".join(x.name.casefold().split()) in n for n in names):
                gone.add(i)
        return gone, None

    def _names_of(self, key: str) -> list[str]:
        """The names (not acronyms) of an organization or process, as listed."""
        names = self._names
        if names is None:
            names = {}
            for name, e in self.entries.items():
                if not e.exact and e.kind in ("organization", "process") and " " in name:
                    names.setdefault(e.key, []).append(name)
            self._names = names
        return names.get(key, [])


# the last words of a text back to a punctuation mark, the text ending in a letter
_CUT_TAIL = re.compile(r"[\w'’-]+(?:[ \t]+[\w'’-]+){0,4}(?<=[^\W\d_])\Z")
# a word of three to ten letters in brackets, in capitals or in Title case: "(CEPAL)", "(Cepal)"
_BRACKETED = re.compile(r"\(([A-Z](?:[A-Z]{2,9}|[a-z]{2,9}))\)")
# How alike a name written before an acronym must be to one of the acronym's names (a ratio of
# difflib): a letter or two wrong in a long name ("Refujiados", "Childrens"), not another name.
_NAME_LIKENESS = 0.9
_WORD_BEFORE = re.compile(r"\S+")


def _fuzzy_name(text: str, end: int, names: list[str]) -> tuple[int, int] | None:
    """Where one of ``names`` is written, perhaps misspelt, in the words that end at ``end``:
    the same number of words as the name (or one fewer or more), alike by ``_NAME_LIKENESS``
    in lower case; the closest wins. Only text up to 300 characters back is read."""
    lo = max(0, end - 300)
    words = [(w.start(), w.end()) for w in _WORD_BEFORE.finditer(text, lo, end)]
    best: tuple[float, int] | None = None
    for name in names:
        target = " ".join(name.casefold().split())
        n = len(target.split())
        for k in (n - 1, n, n + 1):
            if k < 2 or k > len(words):
                continue
            a = words[-k][0]
            if not text[a].isupper():
                continue
            matcher = difflib.SequenceMatcher(
                None, " ".join(text[a:end].casefold().split()), target
            )
            if (
                matcher.real_quick_ratio() < _NAME_LIKENESS
                or matcher.quick_ratio() < _NAME_LIKENESS
            ):
                continue  # upper bounds of the ratio, cheap: most windows stop here
            ratio = matcher.ratio()
            if ratio >= _NAME_LIKENESS and (best is None or ratio > best[0]):
                best = (ratio, a)
    return None if best is None else (best[1], end)


def _gluable(name: str, entry: _Entry) -> bool:
    return entry.kind == "state" and not entry.exact and " " in name.strip()


_Trie = dict[str, "_Trie"]


def trie_pattern(words: list[str]) -> str:
    """A regex equivalent to the alternation of ``words`` but shaped as a trie: the engine
    follows one branch per character instead of trying hundreds of names at every position.
    Longer words win because every branch that can continue is tried before stopping."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: _Trie) -> str:
    end = "" in node
    branches = []
    for ch in sorted(k for k in node if k):
        atom = r"\s+" if ch == " " else re.escape(ch)
        branches.append(atom + _node_pattern(node[ch]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if end else body


def _pycountry_names() -> list[tuple[str, str]]:
    import pycountry

    try:
        es = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"])
        translate = es.gettext
    except OSError:

        def translate(message: str) -> str:
            return message

    out: list[tuple[str, str]] = []
    for country in pycountry.countries:
        iso3 = country.alpha_3
        names = [country.name, getattr(country, "official_name", None)]
        names.append(getattr(country, "common_name", None))
        for name in list(names):
            if name:
                names.append(translate(name))
        for name in names:
            if not name or "," in name or "(" in name or name in _STATE_NAME_SKIP:
                continue
            out.append((name, iso3))
    return out


def resolve_body(text: str, mention: Mention, default_process: str) -> list[str]:
    """The process key(s) a body mention belongs to, from the words around it."""
    before = text[max(0, mention.start - 6) : mention.start]
    after = text[mention.end : mention.end + 60]
    found = re.match(
        r"\s*(?:\([A-Z]{2,4}s?\)\s*)?(?:of|de)\s+(?:the\s+|la\s+|each\s+|both\s+)?"
        r"(?P<a>RCM|SACM|CRM|CSM)(?:\s+(?:and|y)\s+(?:the\s+|la\s+)?(?P<b>RCM|SACM|CRM|CSM))?",
        after,
    )
    names = {"RCM": "rcm", "CRM": "rcm", "SACM": "sacm", "CSM": "sacm"}
    if found:
        keys = [names[found.group("a")]]
        if found.group("b"):
            keys.append(names[found.group("b")])
        return keys
    prefix = re.search(r"(RCM|SACM|CRM|CSM)[-\s]$", before)
    if prefix:
        return [names[prefix.group(1)]]
    return [default_process]


def group_label(key: str, language: str) -> str | None:
    """The name of an unnamed collective ("participating-countries") in ``language`` (else in
    English), from ``lexicon/groups.tsv``: a pronoun or a generic phrase the sentence used
    ("They", "the countries") is evidence of the group, not its name."""
    labels = {(k, lang): label for k, lang, label in table("groups.tsv")}
    return labels.get((key, language)) or labels.get((key, "en"))

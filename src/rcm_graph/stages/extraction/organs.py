"""Organizations named by composition: an organ of a known organization, or a municipality;
and acronyms that page text has glued together.

Documents of this family often name an actor that is not in any table but is built from one:
"la Secretaría General del SICA", "the Executive Secretariat of ECLAC", "el Gobierno
Municipal de Tarija", "the Municipality of Quetzaltenango". Read word by word, the
gazetteer sees only the known organization (or a place) inside the name, and credits the wrong
actor: the integration system, not its General Secretariat; a city, not its government.

Rule ``organs`` (lexicon ``organs.tsv``): a phrase of the table, written with a capital, followed
(after an optional article) either by a known organization's mention (kind ``organ-of``) or by a
capitalised place name (kind ``municipal``), is one organization spanning both. Its name is the
table's English label with the organization's English name or the place filled in, so that the
same organ gets the same IRI and label whether the text is English or Spanish; its key is the
slug of that label. The mentions inside the span give way to it. Roles are then given by the
participation rules exactly as for any other organization.
"""

from __future__ import annotations

import re
from functools import cache

from rcm_graph.model.slugs import slugify
from rcm_graph.stages.extraction.gazetteer import Gazetteer, Mention
from rcm_graph.stages.extraction.lexicons import phrase_pattern, table
from rcm_graph.stages.extraction.prefilter import Quick, quick

RULE = "organs"

_ARTICLE = re.compile(r"\s+(?:(?:the|la|el|los|las)\s+)?", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_CAP = r"[A-ZÁÉÍÓÚÑÜ][^\W\d_]+"
# A place name: up to four capitalised words, joined by the particles of Spanish place names
# ("San José", "Santo Domingo de Guzmán"); it ends at the first word in lower case or a comma.
_PLACE = re.compile(rf"{_CAP}(?:(?:\s+(?:de|del|de la|de los|de las))?\s+{_CAP}){{0,3}}")


@cache
def _phrases() -> tuple[Quick, dict[str, tuple[str, str]]]:
    """One pattern for every phrase of the table, and each phrase's (kind, label) by its
    case-folded, space-normalised form."""
    rows = table("organs.tsv")
    labels = {" ".join(p.casefold().split()): (kind, label) for p, _lang, kind, label in rows}
    ordered = sorted((p for p, *_ in rows), key=len, reverse=True)
    # with the literal test in front: almost no sentence names an organ or a municipality
    pattern = quick("|".join(phrase_pattern(p) for p in ordered), re.IGNORECASE)
    return pattern, labels


@cache
def _english_names() -> dict[str, str]:
    from rcm_graph.reference.tables import reference_data

    return {o.key: o.name_en for o in reference_data().organizations if o.name_en}


def compose_organs(text: str, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` with each composed organization of ``text`` in place of the mentions it
    spans (the same list when the text names none)."""
    pattern, labels = _phrases()
    composed: list[Mention] = []
    for m in pattern.finditer(text):
        if not m.group()[0].isupper():
            continue
        kind, label = labels.get(" ".join(m.group().casefold().split()), ("", ""))
        after = _ARTICLE.match(text, m.end())
        at = after.end() if after else m.end()
        if kind == "organ-of":
            inner = next((x for x in mentions if x.start == at), None)
            names = _english_names()
            if inner is None or inner.kind != "organization" or inner.key not in names:
                continue
            name, end = label.replace("{of}", names[inner.key]), inner.end
        elif kind == "municipal":
            # no article: it is part of the name ("La Paz")
            space = _SPACE.match(text, m.end())
            place = _PLACE.match(text, space.end()) if space else None
            if place is None:
                continue
            name, end = label.replace("{of}", place.group()), place.end()
        else:
            continue
        composed.append(Mention("organization", slugify(name), name, m.start(), end))
    if not composed:
        return mentions
    kept = [x for x in mentions if not any(c.start < x.end and x.start < c.end for c in composed)]
    return sorted([*kept, *composed], key=lambda x: x.start)


# A run of capitals that no name matched: a candidate for acronyms glued together.
_CAPITALS = re.compile(r"(?<![\w-])[A-Z]{6,16}(?![\w-])")


def split_glued_acronyms(text: str, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """Rule ``glued-acronyms``: page text sometimes loses the separator between two acronyms
    ("por parte de OIMCEPAL/CELADE"). A run of capitals that is no name but splits into two
    known acronyms of organizations, each of three letters or more, is both of them; a run with
    no such split (a heading word in capitals) or more than one is left alone."""
    if not _CAPITALS.search(text):
        return mentions
    added: list[Mention] = []
    for m in _CAPITALS.finditer(text):
        if any(x.start < m.end() and m.start() < x.end for x in mentions):
            continue
        word = m.group()
        splits = [
            (left, right)
            for i in range(3, len(word) - 2)
            if (left := gazetteer.acronym(word[:i])) and (right := gazetteer.acronym(word[i:]))
        ]
        if len(splits) != 1:
            continue
        left, right = splits[0]
        middle = m.start() + len(left.name)
        added.append(Mention(left.kind, left.key, left.name, m.start(), middle))
        added.append(Mention(right.kind, right.key, right.name, middle, m.end()))
    if not added:
        return mentions
    return sorted([*mentions, *added], key=lambda x: x.start)

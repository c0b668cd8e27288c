"""GCM objectives, guiding principles and topics per paragraph, by a transparent lexicon.

Why a lexicon and not a model: every tag can be explained by the phrase that triggered it (kept
as the evidence span), a reviewer can fix a wrong tag by editing one row of a TSV file, and the
method is the same for English and Spanish. Phrases live in ``lexicon/objectives.tsv``,
``principles.tsv`` and ``topics.tsv``.
"""

from __future__ import annotations

import re
from functools import cache

from rcm_graph.model.facts import ObjectiveMention, PrincipleMention, TopicMention
from rcm_graph.stages.extraction.context import DocContext
from rcm_graph.stages.extraction.gazetteer import trie_pattern
from rcm_graph.stages.extraction.lexicons import phrase_pattern, table
from rcm_graph.stages.extraction.prefilter import Quick, quick


@cache
def _compiled(name: str) -> tuple[tuple[str, str, Quick], ...]:
    """(key, literal first word, pattern) per phrase; the literal is a cheap pre-filter, and
    the pattern's own literal test another (the phrase's longest word, not only its first)."""
    out = []
    for key, _lang, phrase in table(name):
        first = phrase.split()[0].rstrip("*").split("-")[0].casefold()
        out.append((key, first, quick(phrase_pattern(phrase), re.IGNORECASE)))
    return tuple(out)


_ONE_PASS = 64  # first words from which one pass beats a substring search per word (measured)


@cache
def _first_words(name: str) -> tuple[re.Pattern[str] | None, dict[str, tuple[str, ...]]]:
    """The phrases' first words as a trie in a look-ahead (None when they are few), and for
    each first word the first words it begins with (itself included)."""
    firsts = sorted({first for _key, first, _pattern in _compiled(name)})
    starts = {f: tuple(g for g in firsts if f.startswith(g)) for f in firsts}
    if len(firsts) < _ONE_PASS:
        return None, starts
    return re.compile(f"(?=({trie_pattern(firsts)}))"), starts


def _present_firsts(name: str, folded: str) -> set[str]:
    """The first words of ``name``'s phrases that occur in ``folded`` (as substrings). With
    many first words, in one pass: a substring search per word (some 300 for the objectives)
    was a quarter of a second per megabyte. At each position the trie gives the longest first
    word that starts there, and every other one starting there is a beginning of it, so the
    words present are the beginnings of those found."""
    pattern, starts = _first_words(name)
    if pattern is None:
        return {first for first in starts if first in folded}
    return {g for f in set(pattern.findall(folded)) for g in starts[f]}


@cache
def _blockers() -> Quick | None:
    """One pattern for the stock phrases of ``lexicon/objective-blockers.tsv``."""
    alts = [phrase_pattern(phrase) for phrase, _lang in table("objective-blockers.tsv")]
    return quick("|".join(alts), re.IGNORECASE) if alts else None


def _masked(text: str) -> str:
    """``text`` with its stock phrases blanked (same length, so offsets hold): in "countries
    of origin, transit and return" the word "return" names a role of a country, not return."""
    pattern = _blockers()
    if pattern is None:
        return text
    return pattern.sub(lambda m: " " * len(m.group()), text)


def _hits(name: str, text: str) -> list[tuple[str, int, int]]:
    """(key, start, end) of the first phrase per key in ``text``."""
    if name == "objectives.tsv":
        text = _masked(text)
    present = _present_firsts(name, text.casefold())
    best: dict[str, tuple[int, int]] = {}
    for key, first, pattern in _compiled(name):
        if first not in present:
            continue
        m = pattern.search(text)
        if m and (key not in best or m.start() < best[key][0]):
            best[key] = (m.start(), m.end())
    return [(k, a, b) for k, (a, b) in best.items()]


def find_objectives(ctx: DocContext) -> list[ObjectiveMention]:
    out = []
    for block in ctx.doc.blocks:
        if block.kind == "footnote":
            continue
        for key, a, b in sorted(_hits("objectives.tsv", block.text), key=lambda h: (h[1], h[0])):
            out.append(
                ObjectiveMention(
                    int(key), block.segment.span(a, b), block.segment.span(), "rule:lexicon"
                )
            )
    return out


def find_principles(ctx: DocContext) -> list[PrincipleMention]:
    out = []
    for block in ctx.doc.blocks:
        for key, a, b in sorted(_hits("principles.tsv", block.text), key=lambda h: (h[1], h[0])):
            out.append(
                PrincipleMention(
                    key, block.segment.span(a, b), block.segment.span(), "rule:lexicon"
                )
            )
    return out


def find_topics(ctx: DocContext) -> list[TopicMention]:
    out = []
    for block in ctx.doc.blocks:
        for key, a, b in sorted(_hits("topics.tsv", block.text), key=lambda h: (h[1], h[0])):
            out.append(TopicMention(key, block.segment.span(a, b), "rule:lexicon"))
    return out


def paragraph_objectives(text: str) -> list[int]:
    return sorted({int(k) for k, _a, _b in _hits("objectives.tsv", text)})


def paragraph_topics(text: str) -> list[str]:
    return sorted({k for k, _a, _b in _hits("topics.tsv", text)})

"""Ordinals of meeting names (words, Roman numerals, figures), and the cardinals of counts.

A series meeting is named by its number in three ways that must mean the same meeting:
"Fifth" / "Quinta" / "V" / "5th" / "5ª". The words come from ``lexicon/ordinals.tsv``
(compounds are built from its parts: "Twenty-First", "Vigésima Primera", "Decimoctava").
A bare Roman numeral is ambiguous in running text ("I enclose"), so :data:`ORDINAL` matches it
and the callers accept it only before a meeting noun or a conference name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from rcm_graph.stages.extraction.gazetteer import trie_pattern
from rcm_graph.stages.extraction.lexicons import table

_ROMAN_VALID = re.compile(r"^(?=[IVXLC]+$)C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


def fold(text: str) -> str:
    """Lower case without accents ("Décima" -> "decima")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@cache
def _words() -> dict[str, tuple[int, str]]:
    out: dict[str, tuple[int, str]] = {}
    for word, value, role in table("ordinals.tsv"):
        out[fold(word)] = (int(value), role)
    return out


def _stem(word: str, role: str) -> str:
    """A tens word as it starts a compound: "vigésim" of "vigésima" ("vigésimo primera",
    "decimoctava"); English tens words are whole ("twenty-first")."""
    return word[:-1] if role == "tens-whole" and word[-1:] in ("o", "a") else word


def _alternation(roles: tuple[str, ...], stems: bool = False) -> str:
    words: set[str] = set()
    for word, _value, role in table("ordinals.tsv"):
        if role in roles:
            form = _stem(word, role) if stems else word
            words.add(form.lower())
            words.add(fold(form))
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def ordinal_pattern() -> str:
    """Regex source for one ordinal (named group ``ord``), without surrounding context."""
    tens = _alternation(("tens", "tens-whole"), stems=True)
    units = _alternation(("unit",))
    whole = _alternation(("whole", "tens-whole", "unit"))
    return (
        rf"(?P<ord>(?:(?:{tens})[oa]?[-\s]?(?:{units})|(?:{whole}))(?!\w)"
        r"|(?<![\w-])[IVXLC]{1,7}(?![\w-])"
        r"|(?<![\w-])\d{1,2}(?:st|nd|rd|th|[ºª°]|\.?ª|a|o)(?!\w))"
    )


_WORD_RUN = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
# a whole run of at most seven Roman letters; it opens with the letter class so that the
# engine can skip to those letters
_ROMAN_RUN = re.compile(r"[ivxlc](?<!\w[ivxlc])[ivxlc]{0,6}(?!\w)")
_BEYOND_LATIN1 = re.compile(r"[^\x00-\xff]")


@cache
def _word_endings() -> tuple[str, ...]:
    """Every ordinal word as the pattern spells it (lower case, with and without accents)."""
    words: set[str] = set()
    for word, _value, _role in table("ordinals.tsv"):
        words.add(word.lower())
        words.add(fold(word))
    return tuple(sorted(words))


def may_hold_ordinal(text: str) -> bool:
    """False only when :func:`ordinal_pattern` (searched case-insensitively) cannot match
    ``text``: a cheap test that spares most sentences the case-insensitive search of a long
    alternation, which costs about 0.3 ms per sentence and dominated the extraction of long
    documents.

    Why it is exact: a match of the word branch ends where a run of word characters ends, with
    an ordinal word (a unit or a whole word, the tens stems only precede one); a Roman numeral
    is a whole run of at most seven of ``ivxlc``; a figure needs a digit. Lowering the text
    keeps offsets and case-insensitive equality within Latin-1; any other character (the
    Kelvin sign, a long s, a dotless i) answers True, so the full search decides."""
    if _DIGIT.search(text) or _BEYOND_LATIN1.search(text):
        return True
    low = text.lower()
    if _ROMAN_RUN.search(low):
        return True
    return _run_ending().search(low) is not None


@cache
def _run_ending() -> re.Pattern[str]:
    """An ordinal word that ends a run of word characters: one search in C, which ``re``
    starts only at the letters that open a word, instead of a list of the runs and a test per
    run. A word with another character cannot end a run, so it is left out."""
    words = [w for w in _word_endings() if _WORD_RUN.fullmatch(w)]
    return re.compile(rf"(?:{trie_pattern(words)})(?!\w)" if words else "(?!)")


def ordinal_value(text: str) -> int | None:
    """The number of one ordinal as written ("XXI", "Twenty-First", "vigésima octava", "17th")."""
    raw = text.strip()
    if _ROMAN_VALID.match(raw):
        return roman(raw)
    figure = re.match(r"(\d{1,2})", raw)
    if figure:
        return int(figure.group(1))
    words = _words()
    low = fold(raw)
    if low in words:
        return words[low][0]
    compact = re.sub(r"[-\s]", "", low)
    for word, (value, role) in words.items():
        stem = _stem(word, role)
        if role in ("tens", "tens-whole") and compact.startswith(stem):
            tail = compact[len(stem) :]
            rest = words.get(tail) or (words.get(tail[1:]) if tail[:1] in ("o", "a") else None)
            if rest and rest[1] == "unit":
                return value + rest[0]
    return None


def roman(text: str) -> int:
    """The value of a valid Roman numeral (I, IV, XXVIII …)."""
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for a, b in zip(text, text[1:] + " ", strict=False):
        v = values[a]
        total += -v if b != " " and values.get(b, 0) > v else v
    return total


def is_roman(text: str) -> bool:
    return bool(_ROMAN_VALID.match(text))


@cache
def _cardinals() -> dict[str, int]:
    return {fold(word): int(value) for word, value in table("cardinals.tsv")}


@cache
def cardinal_pattern() -> str:
    """Regex source for a count of things (named group ``num``): a figure or a cardinal word
    of ``lexicon/cardinals.tsv`` ("11", "eleven", "once"), with or without its accents."""
    words: set[str] = set()
    for word, _value in table("cardinals.tsv"):
        words.add(re.escape(word.lower()).replace(r"\-", r"[-\s]"))
        words.add(re.escape(fold(word)).replace(r"\-", r"[-\s]"))
    alternation = "|".join(sorted(words, key=len, reverse=True))
    return rf"(?P<num>\d{{1,3}}|(?:{alternation}))(?!\w)"


def cardinal_value(text: str) -> int | None:
    """The number a count is written with ("11", "Eleven", "veintidós"), or None."""
    raw = text.strip()
    if raw.isdigit():
        return int(raw)
    return _cardinals().get(re.sub(r"\s+", "-", fold(raw)))

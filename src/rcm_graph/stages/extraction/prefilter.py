"""Regex searches that skip texts they cannot match, at the same result.

Python's ``re`` tries a case-insensitive alternation of words at every position of the text:
a rule such as "the Vice-Ministers agreed / acordaron / decided ... that" costs 50-300 µs per
sentence, and the rules run over every sentence, so a long document spent most of its
extraction time in searches that found nothing. :func:`quick` wraps a compiled pattern with the
test a regex engine would do first: every match of the pattern contains one of a few literal
strings (its *factors*, read from the parsed pattern), so a text that contains none of them,
compared in lower case, cannot match and is answered at once; any other text gets the pattern's
own search. The answer is therefore always the pattern's own.

Lower-case containment is a necessary condition for both case-sensitive and case-insensitive
literals when the text is Latin-1 (``str.lower`` keeps its length and two Latin-1 characters are
equal ignoring case exactly when their lower cases are). A text with any other character goes
straight to the pattern.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

__all__ = ["Quick", "factors", "latin1_lower", "quick"]

_BEYOND_LATIN1 = re.compile(r"[^\x00-\xff]")
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def factors(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Lower-case strings one of which every match of ``pattern`` contains, or None when the
    pattern has no such set (it can match without a literal, or an empty string)."""
    return _need(sre_parse.parse(pattern, flags))


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """The more selective of two factor sets: longer shortest string, then fewer strings."""
    if a is None:
        return b
    if b is None:
        return a
    ka = (min(map(len, a)), -len(a))
    kb = (min(map(len, b)), -len(b))
    return b if kb > ka else a


def _need(items: Any) -> frozenset[str] | None:
    """Factors of a sequence: the best of its items' (every item must match somewhere in the
    match), a run of literal characters counting as one string."""
    best: frozenset[str] | None = None
    run: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            char = chr(av)
            low = char.lower()
            if char <= "\xff" and len(low) == 1:
                run.append(low)
                continue
        if run:
            best = _better(best, frozenset(["".join(run)]))
            run = []
        found: frozenset[str] | None = None
        if op is sre.SUBPATTERN:
            found = _need(av[-1])
        elif op is sre.ATOMIC_GROUP:
            found = _need(av)
        elif op is sre.BRANCH:
            alternatives = [_need(a) for a in av[1]]
            if all(a is not None for a in alternatives):
                found = frozenset().union(*(a for a in alternatives if a is not None))
        elif op in _REPEATS and av[0] >= 1:
            found = _need(av[2])
        best = _better(best, found)
    if run:
        best = _better(best, frozenset(["".join(run)]))
    return best


_INDEXED = 500  # longer texts (a whole block) are searched directly, without the trigram set


@lru_cache(maxsize=64)
def _lowered(text: str) -> tuple[str, frozenset[str] | None] | None:
    """The text in lower case and, when short, the set of its three-letter substrings; None
    when it is not Latin-1 (the test does not hold there). Cached: the rules of one sentence
    ask for the same text many times in a row, and the set turns each rule's test into a few
    set look-ups instead of a substring search per factor."""
    if _BEYOND_LATIN1.search(text):
        return None
    low = text.lower()
    if len(low) > _INDEXED:
        return low, None
    return low, frozenset([low[i : i + 3] for i in range(len(low) - 2)])


def latin1_lower(text: str) -> str | None:
    """``text.lower()`` when ``text`` is Latin-1, else None. In such a text a case-sensitive
    search for lower-case Latin-1 literals finds exactly the matches, at the same indexes, of
    the case-insensitive search in the original (see the module docstring), and a
    case-sensitive alternation is far cheaper for ``re``. Shares the literal test's cache: the
    rules ask for the same sentence next."""
    lowered = _lowered(text)
    return None if lowered is None else lowered[0]


class Quick:
    """A compiled pattern and its factors; the methods answer as the pattern's do."""

    __slots__ = ("_by_head", "_factors", "_heads", "regex")

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        self._factors = tuple(sorted(factors(regex.pattern, regex.flags) or ()))
        # the factors by their first three letters, when every factor has three
        self._by_head: dict[str, tuple[str, ...]] = {}
        if self._factors and min(map(len, self._factors)) >= 3:
            for f in self._factors:
                self._by_head[f[:3]] = (*self._by_head.get(f[:3], ()), f)
        self._heads = frozenset(self._by_head) if self._by_head else None

    def may_match(self, text: str) -> bool:
        """False only when no match of the pattern can be in ``text``."""
        if not self._factors:
            return True
        lowered = _lowered(text)
        if lowered is None:
            return True
        low, trigrams = lowered
        if trigrams is None or self._heads is None:
            return any(map(low.__contains__, self._factors))
        if trigrams.isdisjoint(self._heads):  # the common answer, without building a set
            return False
        # only the factors whose first three letters the text has (plain loops: a generator
        # per call cost more than the test itself)
        for head in self._heads.intersection(trigrams):
            for factor in self._by_head[head]:
                if factor in low:
                    return True
        return False

    def search(self, text: str, pos: int = 0, endpos: int = 2**63 - 1) -> re.Match[str] | None:
        return self.regex.search(text, pos, endpos) if self.may_match(text) else None

    def match(self, text: str, pos: int = 0, endpos: int = 2**63 - 1) -> re.Match[str] | None:
        return self.regex.match(text, pos, endpos) if self.may_match(text) else None

    def fullmatch(self, text: str, pos: int = 0, endpos: int = 2**63 - 1) -> re.Match[str] | None:
        return self.regex.fullmatch(text, pos, endpos) if self.may_match(text) else None

    def finditer(self, text: str, pos: int = 0, endpos: int = 2**63 - 1) -> Iterator[re.Match[str]]:
        return self.regex.finditer(text, pos, endpos) if self.may_match(text) else iter(())

    def findall(self, text: str, pos: int = 0, endpos: int = 2**63 - 1) -> list[Any]:
        return self.regex.findall(text, pos, endpos) if self.may_match(text) else []

    def sub(self, repl: Callable[[re.Match[str]], str], text: str) -> str:
        return self.regex.sub(repl, text) if self.may_match(text) else text

    @property
    def pattern(self) -> str:
        return self.regex.pattern


def quick(pattern: str, flags: int = 0) -> Quick:
    """``re.compile(pattern, flags)`` with the literal test in front of it."""
    return Quick(re.compile(pattern, flags))

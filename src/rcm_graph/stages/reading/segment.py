"""Cleaned text that never forgets where it came from.

A :class:`Segment` is a run of cleaned text (page furniture, Markdown emphasis and footnote
markers dropped, whitespace collapsed, words split across line ends rejoined) together with the
offset in the *original* text of every one of its characters. Rules match on the clean text;
:meth:`Segment.span` turns a match back into a :class:`~rcm_graph.model.facts.Span` of the original,
so provenance is exact however much cleaning happened.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from rcm_graph.model.facts import Span

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPER_TO_DIGIT = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")


def superscript_number(marker: str) -> str:
    """ "¹²" -> "12"; plain digits pass through."""
    return marker.translate(_SUPER_TO_DIGIT)


@dataclass(frozen=True)
class Segment:
    """Clean text plus, for each character, its offset in ``source`` (the original text)."""

    source: str
    text: str
    offsets: tuple[int, ...]

    def span(self, start: int = 0, end: int | None = None) -> Span:
        """The original-text span covering clean characters ``[start, end)``."""
        end = len(self.text) if end is None else end
        if not self.text:
            return Span(0, 0, "")
        start = min(max(start, 0), len(self.text) - 1)
        end = max(min(end, len(self.text)), start + 1)
        first = self.offsets[start]
        last = self.offsets[end - 1] + 1
        return Span(first, last, self.source[first:last])

    def sub(self, start: int, end: int) -> Segment:
        """The part ``[start, end)`` of this segment, as a segment of its own (stripped)."""
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return Segment(self.source, self.text[start:end], self.offsets[start:end])

    @property
    def start(self) -> int:
        return self.offsets[0] if self.offsets else 0

    @property
    def end(self) -> int:
        return self.offsets[-1] + 1 if self.offsets else 0


# Pages type an apostrophe as an accent ("IOM´s Director General"): the clean text reads it as
# one, character for character, so that offsets stay those of the original
_APOSTROPHES = str.maketrans({"\u00b4": "\u2019", "\u0060": "\u2019"})

_HYPHEN_BREAK = re.compile(r"(?<=[a-záéíóúñü])-\n[ \t]*(?=[a-záéíóúñü])")


_NON_SPACE = re.compile(r"\S+")


def build_segment(source: str, dropped: bytearray, start: int, end: int) -> Segment:
    """Clean the original characters ``[start, end)``: skip dropped ones, collapse whitespace,
    rejoin hyphenated line breaks; keep the original offset of every kept character."""
    # every hyphen break holds "-\n": a range without one is not scanned by the pattern
    joins = (
        {m.start() for m in _HYPHEN_BREAK.finditer(source, start, end)}
        if source.find("-\n", start, end) >= 0
        else set()
    )
    if not joins and dropped.count(0, start, end) == end - start:
        return _collapse_spaces(source, start, end)
    chars: list[str] = []
    offsets: list[int] = []
    pending_space = -1
    i = start
    while i < end:
        if dropped[i]:
            i += 1
            continue
        if i in joins:  # "migra-\n tion" -> "migration"
            i += 1
            while i < end and source[i] in "\n \t":
                i += 1
            continue
        ch = source[i]
        if ch.isspace():
            if chars and pending_space < 0:
                pending_space = i
        else:
            if pending_space >= 0:
                chars.append(" ")
                offsets.append(pending_space)
                pending_space = -1
            chars.append(ch)
            offsets.append(i)
        i += 1
    return Segment(source, "".join(chars).translate(_APOSTROPHES), tuple(offsets))


def _collapse_spaces(source: str, start: int, end: int) -> Segment:
    """:func:`build_segment` of a range with nothing dropped and no hyphen break: runs of
    whitespace become one space (at the offset of the run's first character), leading and
    trailing ones go. Exactly the character loop's result, computed by whole-string operations
    (issue 17: a loop per word was still a quarter of reading a 1 MB document): the kept
    characters are all but the whitespace that follows whitespace, so the offsets are the
    ranges between runs of two or more whitespace characters (``\\s`` and ``str.split`` use
    the same whitespace test), each run keeping its first character."""
    piece = source[start:end]
    words = piece.split()
    if not words:
        return Segment(source, "", ())
    first = start + len(piece) - len(piece.lstrip())
    core = piece.strip()
    ranges: list[range] = []
    kept = 0  # the core index from which characters are kept
    for run in _SPACE_RUN.finditer(core):
        ranges.append(range(first + kept, first + run.start() + 1))
        kept = run.end()
    ranges.append(range(first + kept, first + len(core)))
    offsets = tuple(ranges[0]) if len(ranges) == 1 else tuple(itertools.chain(*ranges))
    return Segment(source, " ".join(words).translate(_APOSTROPHES), offsets)


_SPACE_RUN = re.compile(r"\s{2,}")

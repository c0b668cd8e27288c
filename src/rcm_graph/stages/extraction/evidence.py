"""The evidence span of a sentence: never a quote with a running page header inside.

A sentence that runs over a page break is one clean segment, but the original characters
between its two halves hold the page's furniture (a running header, a logo line, a page
number). A text-quote selector must quote the original exactly, so a span over the whole
sentence would quote the header too. The evidence is then the part of the sentence before the
page break (the part that names who does what); the clean text of the fact keeps the whole
sentence.
"""

from __future__ import annotations

from rcm_graph.model.facts import Span
from rcm_graph.stages.reading import Segment


def evidence_span(seg: Segment) -> Span:
    """The span of ``seg`` up to the first furniture it skips (the whole segment when none)."""
    offsets = seg.offsets
    source = seg.source
    for i in range(1, len(offsets)):
        a, b = offsets[i - 1], offsets[i]
        if b - a > 1 and _furniture(source[a + 1 : b]):
            while i > 1 and seg.text[i - 1].isspace():
                i -= 1
            return seg.span(0, i)
    return seg.span()


def _furniture(gap: str) -> bool:
    """Skipped original text that is more than whitespace, emphasis or a footnote marker:
    a line break with visible characters (a header, a page number) in between."""
    if "\n" not in gap:
        return False
    visible = "".join(ch for ch in gap if not ch.isspace() and ch not in "*_")
    return len(visible) > 3

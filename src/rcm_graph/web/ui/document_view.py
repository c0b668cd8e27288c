"""A document's full text cut into segments so that every extracted fact's span can be marked.

WHY segments: spans overlap (a commitment's sentence contains the state named in it), so one
HTML element per span is impossible. The text is cut at every span boundary; each segment knows
which spans cover it and which spans start at it (for the ``#span-START-END`` anchors), and the
template marks it. Offsets are code points into ``rcm:fullText`` (end exclusive), as the data
model says; a span outside the text is ignored, not trusted.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from rcm_graph.web.ui.sparql_client import Row


@dataclass(frozen=True)
class FactSpan:
    fact: str
    fact_type: str | None
    label: str | None
    start: int
    end: int

    @property
    def anchor(self) -> str:
        return f"span-{self.start}-{self.end}"


@dataclass(frozen=True)
class Segment:
    text: str
    start: int
    anchors: tuple[str, ...]  # ids of spans that start here
    covering: tuple[str, ...]  # ids of spans that cover this segment
    current: bool  # inside the span asked for with ?highlight=

    @property
    def marked(self) -> bool:
        return bool(self.covering)


def fact_spans(rows: list[Row], text_length: int) -> list[FactSpan]:
    """Facts with valid spans (0 <= start < end <= len(text)), one per (fact, span)."""
    spans: dict[tuple[str, int, int], FactSpan] = {}
    for row in rows:
        try:
            start, end = int(row["start"].value), int(row["end"].value)
        except (KeyError, ValueError):
            continue
        if not 0 <= start < end <= text_length:
            continue
        fact = row["fact"].value
        type_term = row.get("factType")
        label_term = row.get("label")
        spans.setdefault(
            (fact, start, end),
            FactSpan(
                fact,
                type_term.value if type_term else None,
                label_term.value if label_term else None,
                start,
                end,
            ),
        )
    return sorted(spans.values(), key=lambda s: (s.start, -s.end, s.fact))


def segments(text: str, spans: list[FactSpan], highlight: tuple[int, int] | None) -> list[Segment]:
    """Cut ``text`` at every span boundary (and at the highlighted range)."""
    cuts = {0, len(text)}
    for span in spans:
        cuts.update((span.start, span.end))
    if highlight and 0 <= highlight[0] < highlight[1] <= len(text):
        cuts.update(highlight)
    else:
        highlight = None
    ordered = sorted(cuts)
    out = []
    for start, end in itertools.pairwise(ordered):
        covering = tuple(
            dict.fromkeys(s.anchor for s in spans if s.start <= start and end <= s.end)
        )
        anchors = tuple(dict.fromkeys(s.anchor for s in spans if s.start == start))
        current = highlight is not None and highlight[0] <= start and end <= highlight[1]
        out.append(Segment(text[start:end], start, anchors, covering, current))
    return out


def parse_highlight(raw: str | None) -> tuple[int, int] | None:
    """``"120-168"`` -> ``(120, 168)``; anything else -> None."""
    if not raw:
        return None
    start, sep, end = raw.partition("-")
    if not sep or not start.isdigit() or not end.isdigit():
        return None
    return int(start), int(end)

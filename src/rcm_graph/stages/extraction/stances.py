"""States' stances on the Global Compact for Migration, where a document states them.

"X did not participate in the vote", "X voted against / abstained / voted in favour", and
lists of GCM champion countries (in parentheses or in a footnote attached to "champion").
"""

from __future__ import annotations

import re
from typing import Literal

from rcm_graph.model.facts import StanceOnGCM
from rcm_graph.stages.extraction.context import DocContext
from rcm_graph.stages.extraction.prefilter import quick

Stance = Literal["voted-in-favour", "voted-against", "abstained", "did-not-vote", "champion"]
_CUES: list[tuple[str, Stance]] = [
    (
        r"did not (?:participate|take part) in the vote|did not vote|"
        r"no particip[oó] en la votaci[oó]n|no vot[oó]",
        "did-not-vote",
    ),
    (r"voted against|vot[oó] en contra", "voted-against"),
    (r"abstained|se abstuvo", "abstained"),
    (r"voted in favou?r|vot[oó] a favor", "voted-in-favour"),
]
# compiled once, each with its literal test: they run over every sentence
_CUE_PATTERNS = tuple((quick(pattern, re.IGNORECASE), stance) for pattern, stance in _CUES)
_GCM = quick(r"(?i)global compact|GCM|pacto mundial|\bPMM\b|73/195")
_CHAMPION = quick(r"(?i)champion countr(?:y|ies)|pa[ií]ses campeones")


def find_stances(ctx: DocContext) -> list[StanceOnGCM]:
    out: list[StanceOnGCM] = []
    seen: set[tuple[str, str]] = set()

    def add(state_key: str, ref: object, stance: Stance) -> None:
        from rcm_graph.model.facts import ActorRef

        assert isinstance(ref, ActorRef)
        if (state_key, stance) in seen:
            return
        seen.add((state_key, stance))
        out.append(StanceOnGCM(ref, stance, ref.span, "rule:stance"))

    for s in ctx.sentences:
        # a cue counts only in a sentence that names the compact: asked once, not per cue
        for pattern, stance in _CUE_PATTERNS if _GCM.search(s.text) else ():
            cue = pattern.search(s.text)
            if cue:
                for m in s.mentions:
                    if m.kind == "state" and m.start < cue.start():
                        for ref in ctx.actor(s, m, "rule:stance"):
                            add(ref.key, ref, stance)
        for cm in _CHAMPION.finditer(s.text):
            after = s.text[cm.end() : cm.end() + 200]
            paren = re.match(r"\s*\(([^)]*)\)", after)
            if paren:
                lo, hi = cm.end() + paren.start(1), cm.end() + paren.end(1)
                for m in s.mentions:
                    if m.kind == "state" and lo <= m.start < hi:
                        for ref in ctx.actor(s, m, "rule:stance"):
                            add(ref.key, ref, "champion")
            for idx, num in s.block.markers:
                rel = idx - s.start_in_block
                if cm.start() <= rel <= cm.end() + 12 and num in ctx.doc.footnotes:
                    note = ctx.doc.footnotes[num]
                    for fs in [x for x in ctx.sentences if x.block is note]:
                        for m in fs.mentions:
                            if m.kind == "state":
                                for ref in ctx.actor(fs, m, "rule:stance"):
                                    add(ref.key, ref, "champion")
    return out

"""Unnamed collectives as actors: labelled by what they are, never by how the text refers to
them. "They agreed", "The countries agreed" and "the Participating countries stated" all name
the participating countries; a graph label "They" would mean nothing to a reader."""

from __future__ import annotations

from dataclasses import replace

from rcm_graph.model.facts import ActorRef, Span
from rcm_graph.stages.extraction.context import DocContext

_LABELS = {
    "participating-countries": ("participating countries", "países participantes"),
    "member-countries": ("member countries", "países miembros"),
    "observer-organizations": ("observer organizations", "organizaciones observadoras"),
    "civil-society": ("civil society", "sociedad civil"),
}


def group(ctx: DocContext, key: str, span: Span, method: str) -> ActorRef:
    """The collective ``key`` in the document's language; ``span`` is where the text names it."""
    en, es = _LABELS.get(key, (key.replace("-", " "), key.replace("-", " ")))
    return ActorRef("group", key, es if ctx.language == "es" else en, span, method)


def labelled(ctx: DocContext, ref: ActorRef) -> ActorRef:
    """``ref`` with a collective's label in place of the words the text used."""
    if ref.kind != "group":
        return ref
    return replace(ref, name=group(ctx, ref.key, ref.span, ref.method).name)

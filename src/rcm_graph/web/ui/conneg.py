"""Content negotiation for linked-data routes: Accept (with q-values) and file extensions.

WHY our own small parser: the choice set is fixed (HTML and four RDF syntaxes), and linked-data
clients send combined headers such as ``text/turtle;q=0.9, application/ld+json, */*;q=0.1``
that must resolve by quality, then by specificity, then by our order of preference.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RdfFormat:
    """One representation of a resource."""

    key: str
    media_type: str
    extension: str
    rdflib_format: str
    label: str


HTML = RdfFormat("html", "text/html", ".html", "", "HTML")
TURTLE = RdfFormat("turtle", "text/turtle", ".ttl", "turtle", "Turtle")
JSON_LD = RdfFormat("jsonld", "application/ld+json", ".jsonld", "json-ld", "JSON-LD")
N_TRIPLES = RdfFormat("nt", "application/n-triples", ".nt", "nt", "N-Triples")
RDF_XML = RdfFormat("rdfxml", "application/rdf+xml", ".rdf", "xml", "RDF/XML")

RDF_FORMATS: tuple[RdfFormat, ...] = (TURTLE, JSON_LD, N_TRIPLES, RDF_XML)
ALL_FORMATS: tuple[RdfFormat, ...] = (HTML, *RDF_FORMATS)

# Other spellings clients send for the same formats.
_ALIASES = {
    "application/xhtml+xml": HTML,
    "application/x-turtle": TURTLE,
    "application/turtle": TURTLE,
    "application/json": JSON_LD,
    "text/plain": N_TRIPLES,
    "application/xml": RDF_XML,
    "text/xml": RDF_XML,
}
_BY_TYPE = {f.media_type: f for f in ALL_FORMATS} | _ALIASES
_BY_EXTENSION = {f.extension: f for f in RDF_FORMATS} | {".json": JSON_LD}


def split_extension(path: str) -> tuple[str, RdfFormat | None]:
    """``"state/PAN.ttl"`` -> ``("state/PAN", TURTLE)``; no known extension -> ``(path, None)``."""
    dot = path.rfind(".")
    if dot <= path.rfind("/"):
        return path, None
    fmt = _BY_EXTENSION.get(path[dot:].lower())
    return (path[:dot], fmt) if fmt else (path, None)


def _parse_accept(header: str) -> list[tuple[str, float, int]]:
    """(media range, q, position) for each entry of an Accept header."""
    entries = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        entries.append((media, q, position))
    return entries


def _quality(fmt: RdfFormat, entries: list[tuple[str, float, int]]) -> tuple[float, int]:
    """The q a format gets, and how specific the matching range was (2 exact, 1 type/*, 0 */*)."""
    best: tuple[float, int] = (-1.0, -1)
    for media, q, _ in entries:
        if media == fmt.media_type or _BY_TYPE.get(media) is fmt:
            spec = 2
        elif media == "*/*":
            spec = 0
        elif media.endswith("/*") and fmt.media_type.startswith(media[:-1]):
            spec = 1
        else:
            continue
        if spec > best[1]:
            best = (q, spec)
    return best


def negotiate(accept: str | None, offered: tuple[RdfFormat, ...] = ALL_FORMATS) -> RdfFormat | None:
    """The best offered format for an Accept header; None when nothing acceptable is offered.

    No header (or an empty one) means "anything": the first offered format (HTML for resources).
    """
    if not accept or not accept.strip():
        return offered[0]
    entries = _parse_accept(accept)
    scored = []
    for rank, fmt in enumerate(offered):
        q, spec = _quality(fmt, entries)
        if q > 0:
            scored.append((q, spec, -rank, fmt))
    if not scored:
        return None
    scored.sort(key=lambda item: (item[0], item[1], item[2]), reverse=True)
    return scored[0][3]


def prefers_html(accept: str | None) -> bool:
    """Whether a client (a browser) prefers HTML to JSON for error pages and the like."""
    if not accept:
        return False
    entries = _parse_accept(accept)
    html = _quality(HTML, entries)
    json_q = max((q for media, q, _ in entries if media == "application/json"), default=-1.0)
    return html[0] > 0 and html[1] >= 1 and html[0] >= json_q

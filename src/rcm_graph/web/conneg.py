"""Content negotiation (RFC 9110 §12.5.1): q-values, wildcards, specificity, and ``format=``.

WHY our own: the SPARQL result types depend on the query form, aliases matter to real clients
(``application/json`` means SPARQL JSON for SELECT but JSON-LD for CONSTRUCT), and a request
whose Accept header fits nothing must get 406, not a silent default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rcm_graph.model.formats import (
    JSON_LD,
    N_QUADS,
    N_TRIPLES,
    RDF_XML,
    SPARQL_CSV,
    SPARQL_JSON,
    SPARQL_TSV,
    SPARQL_XML,
    TRIG,
    TURTLE,
)

HTML = "text/html"

# Other names clients use for the types we produce: alias -> (solutions type, graph type).
_ALIASES: dict[str, tuple[str | None, str | None]] = {
    "application/json": (SPARQL_JSON, JSON_LD),
    "application/xml": (SPARQL_XML, RDF_XML),
    "text/xml": (SPARQL_XML, RDF_XML),
    "application/x-turtle": (None, TURTLE),
    "text/plain": (None, N_TRIPLES),
    "text/n-triples": (None, N_TRIPLES),
    "application/x-trig": (None, TRIG),
    "text/x-nquads": (None, N_QUADS),
    # Turtle is a subset of Notation 3, so a client asking for N3 can read Turtle; it is
    # announced as text/turtle (what the body is), which N3 clients such as SPARQLWrapper
    # accept. WHY not a 406: SPARQLWrapper's N3 and rdflib users ask for these types.
    "text/n3": (None, TURTLE),
    "text/rdf+n3": (None, TURTLE),
    "application/n3": (None, TURTLE),
    "application/turtle": (None, TURTLE),
    # rdflib's SPARQLStore (and older clients) send the results type they configured for
    # every query form and parse the body by its Content-Type: give them the RDF sibling.
    SPARQL_XML: (None, RDF_XML),
    SPARQL_JSON: (None, JSON_LD),
}

# Short names for the ``format`` request parameter (plain links, curl).
FORMAT_NAMES: dict[str, tuple[str | None, str | None]] = {
    "json": (SPARQL_JSON, JSON_LD),
    "srj": (SPARQL_JSON, None),
    "xml": (SPARQL_XML, RDF_XML),
    "srx": (SPARQL_XML, None),
    "csv": (SPARQL_CSV, None),
    "tsv": (SPARQL_TSV, None),
    "ttl": (None, TURTLE),
    "turtle": (None, TURTLE),
    "nt": (None, N_TRIPLES),
    "ntriples": (None, N_TRIPLES),
    "n-triples": (None, N_TRIPLES),
    "rdfxml": (None, RDF_XML),
    "rdf": (None, RDF_XML),
    "rdf+xml": (None, RDF_XML),
    "n3": (None, TURTLE),
    "jsonld": (None, JSON_LD),
    "json-ld": (None, JSON_LD),
    "trig": (None, TRIG),
    "nq": (None, N_QUADS),
    "nquads": (None, N_QUADS),
    "n-quads": (None, N_QUADS),
    "html": (HTML, HTML),
}


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    params: tuple[tuple[str, str], ...]
    order: int

    def matches(self, media_type: str) -> int:
        """Specificity of the match (3 exact, 2 type/*, 1 */*) or 0 for no match."""
        main, _, sub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 1
        if self.type == main and self.subtype == "*":
            return 2
        if self.type == main and self.subtype == sub:
            return 3
        return 0


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; a missing or empty header accepts anything."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0, (), 0)]
    ranges = []
    for order, item in enumerate(header.split(",")):
        parts = [p.strip() for p in item.split(";")]
        full = parts[0].lower()
        if "/" not in full:
            if full == "*":
                full = "*/*"
            else:
                continue
        main, _, sub = full.partition("/")
        q = 1.0
        params = []
        for param in parts[1:]:
            name, _, value = param.partition("=")
            name = name.strip().lower()
            value = value.strip().strip('"')
            if name == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
            elif name:
                params.append((name, value))
        ranges.append(MediaRange(main, sub, q, tuple(params), order))
    return ranges


def _expand_aliases(ranges: list[MediaRange], graph: bool) -> list[MediaRange]:
    """Map alias types (``application/json``) onto the type we produce for this form."""
    expanded = []
    for r in ranges:
        expanded.append(r)
        alias = _ALIASES.get(f"{r.type}/{r.subtype}")
        target = alias[1] if alias and graph else alias[0] if alias else None
        if target:
            main, _, sub = target.partition("/")
            expanded.append(MediaRange(main, sub, r.q, r.params, r.order))
    return expanded


def negotiate(accept: str | None, offered: Sequence[str], *, graph: bool = False) -> str | None:
    """The offered type the client prefers, or None when nothing acceptable is offered.

    Preference: highest q of the most specific matching range; ties go to the server's order
    of ``offered`` (its first entry is the default for ``*/*``).
    """
    ranges = _expand_aliases(parse_accept(accept), graph)
    best: tuple[float, int, int] | None = None
    choice = None
    for index, media_type in enumerate(offered):
        q = None
        specificity = 0
        for r in ranges:
            s = r.matches(media_type)
            if s > specificity:
                specificity, q = s, r.q
            elif s == specificity and s and q is not None:
                q = max(q, r.q)
        if q is None or q <= 0:
            continue
        key = (q, specificity if specificity == 3 else 0, -index)
        if best is None or key > best:
            best, choice = key, media_type
    return choice


def from_format_param(value: str, *, graph: bool) -> str | None:
    """The media type a ``format`` parameter names (short name, full type or alias), or None."""
    lowered = value.strip().lower()
    named = FORMAT_NAMES.get(lowered) or _ALIASES.get(lowered)
    if named:
        solutions, graphs = named
        return graphs if graph else solutions
    return lowered if "/" in lowered else None


def from_format_params(
    values: list[str], offered: Sequence[str], *, graph: bool
) -> list[str | None]:
    """The distinct media types that (possibly repeated) ``format`` parameters name.

    WHY repeats are accepted: SPARQLWrapper sends ``format=json-ld`` and then
    ``format=application/ld+json,application/x-json+ld`` (a short name for Virtuoso, its
    Accept list for others). Values naming the same type agree and give one entry; a value
    with commas is read as an Accept list over ``offered``; empty values (sent when it would
    accept anything) are ignored. None stands for a value that names no available format.
    """
    named = [v for v in values if v.strip()]
    return list(
        dict.fromkeys(
            negotiate(v, offered, graph=graph) if "," in v else from_format_param(v, graph=graph)
            for v in named
        )
    )


def prefers_html(accept: str | None, offered: Sequence[str]) -> bool:
    """True when the client (a browser) ranks text/html above every offered type."""
    if not accept:
        return False
    ranges = parse_accept(accept)
    html_q = max((r.q for r in ranges if r.type == "text" and r.subtype == "html"), default=0.0)
    if html_q <= 0:
        return False
    others = [r.q for r in ranges if any(r.matches(t) == 3 for t in offered)]
    return html_q > max(others, default=0.0)

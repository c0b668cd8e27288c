"""What a resource page shows, computed from page-query rows into plain data for the template.

WHY a separate view model: the template then only lays out values (all escaped), and the rules
(which label wins, which values are inferred, how evidence links to a highlighted span) are
ordinary Python that tests can read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rcm_graph.model.vocab import RCM
from rcm_graph.web.ui.sparql_client import Row, Term

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL_PROPERTIES = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
    "http://xmlns.com/foaf/0.1/name",
)
HIDDEN_ON_PAGE = (str(RCM.fullText),)  # shown by the document view, not as a property cell
# Facts without a label (commitments, statements) are titled by their text, shortened: a
# reader recognises "Panama will open a help desk…", not "…-c1".
TEXT_PROPERTIES = (str(RCM.commitmentText), str(RCM.statementText))
TITLE_CHARS = 140


@dataclass(frozen=True)
class Value:
    """One object of a property: an IRI (with a label when known) or a literal."""

    term: Term
    label: str | None = None
    inferred: bool = False
    graph: str | None = None


@dataclass
class PropertyValues:
    iri: str
    label: str | None
    values: list[Value] = field(default_factory=list)


@dataclass(frozen=True)
class Incoming:
    subject: Term
    subject_label: str | None
    prop: str
    prop_label: str | None


@dataclass(frozen=True)
class Evidence:
    """A quoted span of a document that backs a fact about (or naming) the resource."""

    fact: str
    fact_type: str | None
    document: str
    document_title: str | None
    start: int
    end: int
    exact: str | None
    method: str | None

    @property
    def anchor(self) -> str:
        return f"span-{self.start}-{self.end}"


@dataclass
class ResourceView:
    iri: str
    label_en: str | None
    label_es: str | None
    types: list[Value]
    properties: list[PropertyValues]
    incoming: list[Incoming]
    evidence: list[Evidence]
    has_full_text: bool
    text: str | None = None  # a commitment's or statement's text, when it has no label

    @property
    def title(self) -> str:
        if self.label_en or self.label_es:
            return self.label_en or self.label_es or ""
        if self.text:
            return shorten(self.text)
        return local_name(self.iri)


def shorten(text: str, limit: int = TITLE_CHARS) -> str:
    """``text`` cut at a word before ``limit`` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def _short(label: str | None) -> str | None:
    return shorten(label) if label else label


def local_name(iri: str) -> str:
    cut = max(iri.rfind("/"), iri.rfind("#"))
    return iri[cut + 1 :] or iri


def _opt(row: Row, name: str) -> str | None:
    term = row.get(name)
    return term.value if term is not None else None


def _labels(rows: list[Row]) -> tuple[str | None, str | None]:
    """English (or untagged) and Spanish label, by the order of :data:`LABEL_PROPERTIES`."""
    en: str | None = None
    es: str | None = None
    for prop in LABEL_PROPERTIES:
        for row in rows:
            obj = row["o"]
            if row["p"].value != prop or obj.kind != "literal":
                continue
            lang = (obj.lang or "").lower()
            if en is None and (lang in ("", "en") or lang.startswith("en-")):
                en = obj.value
            if es is None and lang.split("-")[0] == "es":
                es = obj.value
    return en, es


def build_resource_view(
    iri: str, outgoing: list[Row], incoming: list[Row], evidence: list[Row], *, inferred_graph: str
) -> ResourceView:
    """Group outgoing rows by property (asserted values first), keep one row per value."""
    grouped: dict[str, PropertyValues] = {}
    seen: dict[str, dict[Term, Value]] = defaultdict(dict)
    for row in outgoing:
        prop = row["p"].value
        if prop in HIDDEN_ON_PAGE:
            continue
        entry = grouped.setdefault(prop, PropertyValues(prop, _opt(row, "plabel")))
        graph = _opt(row, "g")
        label = _short(_opt(row, "olabel"))
        value = Value(row["o"], label, inferred=graph == inferred_graph, graph=graph)
        previous = seen[prop].get(row["o"])
        if previous is None or (previous.inferred and not value.inferred):
            seen[prop][row["o"]] = value
    for prop, entry in grouped.items():
        entry.values = sorted(seen[prop].values(), key=lambda v: (v.inferred, v.term.value))
    types = grouped.pop(RDF_TYPE, PropertyValues(RDF_TYPE, None)).values
    label_en, label_es = _labels(outgoing)
    return ResourceView(
        iri=iri,
        label_en=label_en,
        label_es=label_es,
        types=types,
        properties=sorted(grouped.values(), key=lambda p: (p.label or local_name(p.iri)).lower()),
        incoming=_incoming(incoming),
        evidence=_evidence(evidence),
        has_full_text=any(r["p"].value == str(RCM.fullText) for r in outgoing),
        text=_text(outgoing),
    )


def _text(rows: list[Row]) -> str | None:
    """The English (or untagged) commitment or statement text, for a title."""
    for row in rows:
        obj = row["o"]
        if row["p"].value in TEXT_PROPERTIES and (obj.lang or "en").lower().startswith("en"):
            return obj.value
    return None


def _incoming(rows: list[Row]) -> list[Incoming]:
    unique = {
        (r["s"], r["p"].value): Incoming(
            r["s"], _short(_opt(r, "slabel")), r["p"].value, _opt(r, "plabel")
        )
        for r in rows
    }
    return sorted(unique.values(), key=lambda i: (i.prop, (i.subject_label or i.subject.value)))


def _evidence(rows: list[Row]) -> list[Evidence]:
    unique: dict[tuple[str, str, int, int], Evidence] = {}
    for r in rows:
        try:
            start, end = int(r["start"].value), int(r["end"].value)
        except (KeyError, ValueError):
            continue
        key = (r["fact"].value, r["doc"].value, start, end)
        unique.setdefault(
            key,
            Evidence(
                fact=r["fact"].value,
                fact_type=_opt(r, "factType"),
                document=r["doc"].value,
                document_title=_opt(r, "docTitle"),
                start=start,
                end=end,
                exact=_opt(r, "exact"),
                method=_opt(r, "method"),
            ),
        )
    return sorted(unique.values(), key=lambda e: (e.document, e.start, e.end, e.fact))

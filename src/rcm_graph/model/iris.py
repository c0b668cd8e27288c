"""The one place that mints IRIs for data resources.

Same input, same IRI, every build: IRIs derive only from stable keys (ISO codes, reference keys,
document slugs, offsets), never from counters that depend on processing order across documents.
The base is configurable (``Settings.base_iri``); paths follow ARCHITECTURE.md (``id/...``,
``graph/...``) so that the server can answer them under its own host.

This module imports only :mod:`rcm_graph.model.vocab`-free leaves; it is a leaf itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rdflib import URIRef

from rcm_graph.model.slugs import slugify

GRAPH_NAMES = ("reference", "ontology", "inferred", "validation", "meta")


@dataclass(frozen=True)
class Iris:
    """IRI factory bound to a base IRI (ending in ``/``)."""

    base: str = "https://w3id.org/rcm-graph/"

    def _id(self, *parts: str) -> URIRef:
        return URIRef(self.base + "id/" + "/".join(parts))

    # actors
    def state(self, iso3: str) -> URIRef:
        return self._id("state", iso3.upper())

    def org(self, key: str) -> URIRef:
        """Organizations and processes, by reference key (``iom``, ``rcm``) or acronym slug."""
        return self._id("org", slugify(key))

    def body(self, process_key: str, body_key: str) -> URIRef:
        """A body of a process: ``id/org/rcm/technical-secretariat``."""
        return self._id("org", slugify(process_key), slugify(body_key))

    def person(self, name: str) -> URIRef:
        return self._id("person", slugify(name))

    def membership(self, process_key: str, member_key: str, status: str) -> URIRef:
        return self._id("membership", slugify(process_key), slugify(member_key), slugify(status))

    # meetings and documents
    def meeting(
        self,
        kind: str,
        *,
        ordinal: int | None,
        start: date | None,
        year: int | None = None,
        name: str | None = None,
        within: str | None = None,
    ) -> URIRef:
        """Meetings resolve across documents by kind, ordinal and date.

        With a full start date the date identifies the meeting; without one the year and the
        ordinal (or, failing that, a slug of the name) do. With no year at all an ordinal says
        too little: every forum has a "first plenary meeting", and without a date nothing
        confirms that two documents speak of the same one. ``within`` (the series, or the
        processes that hold the meeting, when the text names them), else the name, then joins
        the key, so that only the same forum's meeting resolves across documents.
        """
        when = start.isoformat() if start else (str(year) if year else "undated")
        parts = [when, slugify(kind)]
        if ordinal is not None:
            parts.append(str(ordinal))
            if start is None and year is None and (within or name):
                parts.append(slugify(within or name or "", max_length=60))
        elif name and not start:
            parts.append(slugify(name, max_length=60))
        return self._id("meeting", "-".join(parts))

    def meeting_in(self, doc_id: str, local_id: str) -> URIRef:
        """A meeting that only its document can identify (no date, year, number or name)."""
        return self._id("meeting", f"in-{slugify(doc_id)}-{slugify(local_id)}")

    def series(self, key: str) -> URIRef:
        return self._id("series", slugify(key))

    def document(self, doc_id: str) -> URIRef:
        return self._id("document", slugify(doc_id))

    def provision(self, doc_id: str, number: str) -> URIRef:
        return self._id("provision", slugify(doc_id), slugify(number))

    def fact(self, doc_id: str, kind: str, local_id: str) -> URIRef:
        """A fact node local to one document: participation, statement, count, mention …"""
        return self._id(slugify(kind), f"{slugify(doc_id)}-{slugify(local_id)}")

    def commitment(self, doc_id: str, local_id: str) -> URIRef:
        return self._id("commitment", f"{slugify(doc_id)}-{slugify(local_id)}")

    def span(self, doc_id: str, start: int, end: int) -> URIRef:
        return self._id("span", slugify(doc_id), f"{start}-{end}")

    def selector(self, doc_id: str, start: int, end: int, kind: str) -> URIRef:
        return self._id("span", slugify(doc_id), f"{start}-{end}", slugify(kind))

    # controlled vocabularies (SKOS concepts and schemes)
    def objective(self, number: int) -> URIRef:
        return self._id("objective", str(int(number)))

    def principle(self, letter: str) -> URIRef:
        return self._id("principle", letter.lower())

    def concept(self, scheme: str, notation: str) -> URIRef:
        """A concept of a project scheme: ``role``, ``meeting-type``, ``document-type``,
        ``statement-type``, ``commitment-type``, ``topic``, ``membership-status``, ``stance``."""
        return self._id(slugify(scheme), slugify(notation))

    def scheme(self, name: str) -> URIRef:
        return self._id("scheme", slugify(name))

    def place(self, city: str, country_iso3: str | None) -> URIRef:
        suffix = f"-{country_iso3.upper()}" if country_iso3 else ""
        return self._id("place", slugify(city) + suffix)

    # named graphs and dataset
    def graph(self, name: str) -> URIRef:
        if name not in GRAPH_NAMES:
            raise ValueError(f"unknown graph {name!r}")
        return URIRef(self.base + "graph/" + name)

    def edits_graph(self) -> URIRef:
        """Triples added to the default graph by writes (SPARQL Update, Graph Store Protocol),
        so that the default graph stays the union of the named graphs (see
        rcm_graph.writes.writer)."""
        return URIRef(self.base + "graph/edits")

    def document_graph(self, doc_id: str) -> URIRef:
        return URIRef(self.base + "graph/document/" + slugify(doc_id))

    def dataset(self) -> URIRef:
        return URIRef(self.base + "dataset")

    def extraction_run(self, build_id: str) -> URIRef:
        return self._id("run", slugify(build_id))

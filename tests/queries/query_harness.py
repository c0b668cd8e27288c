"""Shared by the catalogue tests: the bundled documents, IRIs of the default base, and a runner
that binds and runs catalogue queries on a pyoxigraph store (default graph = union of all)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from rcm_graph.model.iris import Iris
from rcm_graph.query.catalogue import Catalogue

IRIS = Iris()

if TYPE_CHECKING:
    from rcm_graph.pipeline import BuildSummary


@dataclass(frozen=True)
class BundledBuild:
    """The data directory of the session's build of the bundled corpus, and the build's
    summary (what ``rcm-graph build`` prints; None when ``RCM_GRAPH_TEST_REUSE_DATA_DIR``
    named a data directory built elsewhere)."""

    data_dir: Path
    summary: BuildSummary | None


TS_REPORT_2017 = "2017-03-ts-report-regional-stance-gcm"
MINUTES_2017 = "2017-06-rcm-sacm-working-meeting-final-minutes"
PLENARY_2023 = "2023-08-rcm-sacm-iv-plenary-joint-communique"
FORUM_2023 = "2023-09-first-forum-champion-countries-joint-communique"
FORUM_2024 = "2024-09-second-forum-champion-countries-joint-communique"
DOCUMENTS = (TS_REPORT_2017, MINUTES_2017, PLENARY_2023, FORUM_2023, FORUM_2024)


# The canonical views' result variables, in order: the contract other tools rely on.
VIEW_VARIABLES = {
    "documents": ["document", "title", "type", "date", "language", "source"],
    "meetings": ["meeting", "name", "start", "end", "city", "countryCode", "document"],
    "events": ["event", "name", "start", "end", "city", "document"],
    "participants": ["meeting", "actor", "actorName", "actorCode", "role"],
    "persons": [
        "person",
        "name",
        "title",
        "affiliationName",
        "affiliationCode",
        "meeting",
        "document",
    ],
    "statements": ["statement", "actorName", "actorCode", "meeting", "text", "objectiveNumber"],
    "commitments": [
        "commitment",
        "text",
        "responsibleName",
        "responsibleCode",
        "due",
        "kind",
        "meeting",
        "document",
    ],
    "objectives": ["document", "objective", "objectiveNumber", "evidence"],
}


def doc(stem: str) -> str:
    return str(IRIS.document(stem))


def stem_of(document_iri: str | None) -> str | None:
    """The document slug of a document IRI (``…/id/document/{slug}``)."""
    if document_iri is None:
        return None
    return document_iri.rsplit("/", 1)[-1]


def squash(text: str | None) -> str:
    """Lower case, single spaces, no markdown emphasis: for "the row's text contains …"."""
    return " ".join((text or "").replace("*", "").lower().split())


@dataclass
class Result:
    variables: list[str]
    rows: list[dict[str, str | None]]

    def column(self, name: str) -> list[str | None]:
        return [r[name] for r in self.rows]


def _value(term: object) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode):
        return str(term.value)
    return str(term)


class Queries:
    """Runs catalogue queries, bound with parameters, against one store."""

    def __init__(
        self, name: str, store: ox.Store, catalogue: Catalogue, *, union_flag: bool
    ) -> None:
        """``union_flag``: query the union of the named graphs through pyoxigraph's flag (for a
        store holding only named graphs); a built store already holds the distinct union as its
        default graph, and the flag (a bag over every graph) would repeat each row."""
        self.name = name
        self.store = store
        self.catalogue = catalogue
        self.union_flag = union_flag
        self._results: dict[tuple[str, tuple[tuple[str, str], ...]], Result] = {}

    def run(self, query: str, params: Mapping[str, str] | None = None) -> Result:
        """The rows of a catalogue query; stores are read-only here, so each answer is kept."""
        key = (query, tuple(sorted((params or {}).items())))
        if key not in self._results:
            sparql = self.catalogue.get(query).bind(params or {})
            solutions = self.store.query(sparql, use_default_graph_as_union=self.union_flag)
            assert isinstance(solutions, ox.QuerySolutions)
            variables = [v.value for v in solutions.variables]
            rows = [{v: _value(s[v]) for v in variables} for s in solutions]
            self._results[key] = Result(variables, rows)
        return self._results[key]

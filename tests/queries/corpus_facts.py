"""Names shared by the catalogue tests: the bundled documents and IRIs of the default base."""

from __future__ import annotations

from rcm_graph.iris import Iris

IRIS = Iris()

TS_REPORT_2017 = "2017-03-ts-report-regional-stance-gcm"
MINUTES_2017 = "2017-06-rcm-sacm-working-meeting-final-minutes"
PLENARY_2023 = "2023-08-rcm-sacm-iv-plenary-joint-communique"
FORUM_2023 = "2023-09-first-forum-champion-countries-joint-communique"
FORUM_2024 = "2024-09-second-forum-champion-countries-joint-communique"
DOCUMENTS = (TS_REPORT_2017, MINUTES_2017, PLENARY_2023, FORUM_2023, FORUM_2024)


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

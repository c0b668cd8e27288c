"""Small hand-built DocumentFacts: two invented documents that name the same state, organization
and meeting, so that mapping, resolution, reasoning and validation can be checked exactly."""

from __future__ import annotations

import hashlib
from datetime import date

from rcm_graph.model.facts import (
    ActorRef,
    Commitment,
    Count,
    DateValue,
    DocumentFacts,
    Meeting,
    ObjectiveMention,
    Participation,
    Person,
    Place,
    PrincipleMention,
    Provision,
    Span,
    StanceOnGCM,
    Statement,
    TopicMention,
)

TEXT_A = (
    "Joint Communique of the Fourth Plenary Meeting\n"
    "Panama City, 10 May 2030\n"
    "The Fourth Plenary Meeting was held in Panama City on 10 May 2030. "
    "More than 40 representatives attended. Panama hosted the meeting and IOM supported it. "
    "Ms. Ana Example, Vice-Minister of Panama, chaired the session. "
    "Panama proposed a workshop on smuggling of migrants. "
    "1. The States agreed that IOM will prepare a report on regular pathways by 31 December 2030. "
    "Principle of national sovereignty. "
    "Belize did not take part in the vote.\n"
)

TEXT_B = (
    "Minutes of the working meeting\n"
    "At the Fourth Plenary Meeting (Panama City, 10 May 2030) Panama and IOM took part. "
    "The RCM Technical Secretariat recalled it.\n"
)


def span(text: str, phrase: str, nth: int = 0) -> Span:
    """The span of the ``nth`` occurrence of ``phrase`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return Span(start, start + len(phrase), phrase)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def doc_a() -> DocumentFacts:
    t = TEXT_A
    panama = ActorRef("state", "PAN", "Panama", span(t, "Panama", 2), "rule:actors")
    iom = ActorRef("organization", "iom", "IOM", span(t, "IOM"), "rule:actors")
    meeting = Meeting(
        local_id="m1",
        name="Fourth Plenary Meeting",
        kind="plenary-meeting",
        span=span(t, "Fourth Plenary Meeting", 1),
        reported=True,
        ordinal=4,
        start=DateValue(date(2030, 5, 10), span(t, "10 May 2030", 1), 2030, 5, 10),
        place=Place("Panama City", "PAN", span(t, "Panama City", 1)),
        counts=[Count("representatives", 40, "more-than", span(t, "More than 40 representatives"))],
        processes=[ActorRef("process", "rcm", "RCM", span(t, "Plenary"), "rule:actors")],
        method="rule:meetings",
    )
    workshop = Meeting(
        local_id="m2",
        name="workshop on smuggling of migrants",
        kind="workshop",
        span=span(t, "workshop on smuggling of migrants"),
        reported=False,
        planned=True,
        method="rule:meetings",
    )
    return DocumentFacts(
        doc_id="doc-a",
        source="doc-a.txt",
        sha256=_sha(t),
        text=t,
        language="en",
        doc_type="joint-communique",
        title="Joint Communique of the Fourth Plenary Meeting",
        title_span=span(t, "Joint Communique of the Fourth Plenary Meeting"),
        date=DateValue(date(2030, 5, 10), span(t, "10 May 2030"), 2030, 5, 10),
        issuing_body=ActorRef("process", "rcm", "RCM", span(t, "Plenary"), "rule:actors"),
        meetings=[meeting, workshop],
        actors=[panama, iom],
        persons=[
            Person(
                "p1",
                "Ana Example",
                span(t, "Ms. Ana Example, Vice-Minister of Panama"),
                title="Vice-Minister",
                affiliation=panama,
                method="rule:persons",
            )
        ],
        participations=[
            Participation("m1", panama, "host", span(t, "Panama hosted the meeting"), "rule:roles"),
            Participation("m1", iom, "supporter", span(t, "IOM supported it"), "rule:roles"),
        ],
        statements=[
            Statement(
                "s1",
                panama,
                "proposed",
                span(t, "Panama proposed a workshop on smuggling of migrants."),
                meeting="m1",
                topics=["smuggling-of-migrants"],
                method="rule:statements",
            )
        ],
        commitments=[
            Commitment(
                "c1",
                "IOM will prepare a report on regular pathways by 31 December 2030",
                "agreement",
                span(t, "The States agreed that IOM will prepare a report"),
                responsible=[iom],
                due=DateValue(date(2030, 12, 31), span(t, "31 December 2030"), 2030, 12, 31),
                meeting="m1",
                provision="1",
                objectives=[5],
                topics=["regular-pathways"],
                method="rule:commitments",
            )
        ],
        objectives=[
            ObjectiveMention(5, span(t, "regular pathways"), span(t, "1. The States"), "rule:gcm")
        ],
        principles=[
            PrincipleMention(
                "c", span(t, "national sovereignty"), span(t, "Principle of"), "rule:gcm"
            )
        ],
        topics=[
            TopicMention("smuggling-of-migrants", span(t, "smuggling of migrants"), "rule:topics")
        ],
        stances=[
            StanceOnGCM(
                ActorRef("state", "BLZ", "Belize", span(t, "Belize"), "rule:actors"),
                "did-not-vote",
                span(t, "Belize did not take part in the vote."),
                "rule:stances",
            )
        ],
        provisions=[Provision("1", span(t, "1. The States agreed"), None)],
    )


def doc_b() -> DocumentFacts:
    t = TEXT_B
    meeting = Meeting(
        local_id="m1",
        name="Fourth Plenary Meeting",
        kind="plenary-meeting",
        span=span(t, "Fourth Plenary Meeting"),
        reported=False,
        ordinal=4,
        start=DateValue(date(2030, 5, 10), span(t, "10 May 2030"), 2030, 5, 10),
        place=Place("Panama City", "PAN", span(t, "Panama City")),
        method="rule:meetings",
    )
    panama = ActorRef("state", "PAN", "Panama", span(t, "Panama and"), "rule:actors")
    iom = ActorRef("organization", "iom", "IOM", span(t, "IOM took"), "rule:actors")
    ts = ActorRef(
        "body",
        "rcm:technical-secretariat",
        "RCM Technical Secretariat",
        span(t, "RCM Technical Secretariat"),
        "rule:actors",
    )
    return DocumentFacts(
        doc_id="doc-b",
        source="doc-b.md",
        sha256=_sha(t),
        text=t,
        language="en",
        doc_type="minutes",
        title="Minutes of the working meeting",
        meetings=[meeting],
        actors=[panama, iom, ts],
        participations=[
            Participation(
                "m1", panama, "participant", span(t, "Panama and IOM took part"), "curated"
            ),
            Participation("m1", iom, "participant", span(t, "Panama and IOM took part"), "curated"),
        ],
    )

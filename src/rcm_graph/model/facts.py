"""Facts as plain typed data: the contract between extraction and mapping.

Extraction produces one :class:`DocumentFacts` per source document; mapping turns it into RDF.
No RDF here: these dataclasses are what the gold annotations, the scorer, curation files and
the mapper all speak. Every fact carries a :class:`Span` (character offsets into the original
text of its document, end exclusive, with the quoted text) and a ``method``: ``"rule:<name>"``
for an extraction rule, ``"curated"`` for an editor's fact.

Identifiers inside one document (``Meeting.local_id`` …) are stable for the same text, so that
curation files can refer to them; global identity (IRIs) is the mapper's job.

This module is a leaf: it imports nothing from the package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

ActorKind = Literal["state", "organization", "process", "body", "person", "group"]
"""state: keyed by ISO 3166-1 alpha-3; organization and process: keyed by the reference key of
``organizations.tsv`` (``iom``, ``eclac``, ``rcm``, ``sacm``…) or, when unknown to the reference
data, a slug of the acronym or name; body: a body of a process (``rcm:technical-secretariat``,
``rcm:presidency-pro-tempore``, ``rcm:troika``, ``rcm:ad-hoc-group-extra-regional-migrants``);
person: a slug of the name; group: an unnamed collective such as "observer organizations"."""

Role = Literal[
    "participant",
    "host",
    "convener",
    "organizer",
    "presidency",
    "observer",
    "listener",
    "supporter",
    "presenter",
    "speaker",
    "chair",
]

MeetingKind = Literal[
    "vice-ministerial-meeting",
    "plenary-meeting",
    "forum-of-champion-countries",
    "working-meeting",
    "online-meeting",
    "troika-meeting",
    "thematic-consultation",
    "regional-review",
    "technical-meeting",
    "workshop",
    "conference",
    "meeting",
]

DocumentType = Literal[
    "joint-communique",
    "minutes",
    "report",
    "declaration",
    "conclusions",
    "press-release",
    "agenda",
    "news",
    "presentation",
    "web-page",
    "other",
]

StatementKind = Literal[
    "stated",
    "proposed",
    "requested",
    "suggested",
    "expressed-concern",
    "agreed",
    "recommended",
    "asked",
    "thanked",
]

CommitmentKind = Literal["agreement", "commitment", "request", "recommendation"]


@dataclass(frozen=True)
class Span:
    """Characters ``[start, end)`` of the original document text, and the text itself."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class ActorRef:
    """A mention of an actor, resolved to a key where the reference data knows it."""

    kind: ActorKind
    key: str
    name: str  # the name as written in the text
    span: Span
    method: str = "rule"


@dataclass(frozen=True)
class DateValue:
    """A calendar date, or part of one, as the text gives it.

    ``value`` is set only when day, month and year are all certain. ``year_inferred`` says the
    year came from context (e.g. the document's own date); ``uncertain`` flags a date whose year
    could not be made certain and was left open (then ``value`` is None and ``month``/``day``
    carry what is known).
    """

    value: date | None
    span: Span
    year: int | None = None
    month: int | None = None
    day: int | None = None
    year_inferred: bool = False
    uncertain: bool = False


@dataclass(frozen=True)
class Place:
    city: str | None
    country: str | None  # ISO 3166-1 alpha-3
    span: Span


@dataclass(frozen=True)
class Count:
    """A count the document states: "more than 82 representatives from 17 countries"."""

    what: Literal["representatives", "countries", "participants", "organizations", "delegations"]
    value: int
    qualifier: Literal["exact", "more-than", "about", "at-least"]
    span: Span


@dataclass
class Meeting:
    """A meeting or event. ``reported`` is True for the meetings the document reports on;
    otherwise it is another event the text mentions (past) or plans (``planned``)."""

    local_id: str
    name: str
    kind: MeetingKind
    span: Span
    reported: bool
    planned: bool = False
    ordinal: int | None = None
    series: str | None = None  # e.g. "regional-forum-of-champion-countries"
    start: DateValue | None = None
    end: DateValue | None = None
    place: Place | None = None
    virtual: bool = False
    counts: list[Count] = field(default_factory=list)
    processes: list[ActorRef] = field(default_factory=list)  # RCM, SACM … holding it
    method: str = "rule"


@dataclass
class Participation:
    meeting: str  # Meeting.local_id
    actor: ActorRef
    role: Role
    span: Span
    method: str = "rule"


@dataclass
class Person:
    local_id: str
    name: str
    span: Span
    title: str | None = (
        None  # honorific or office: "Vice-Minister", "Ambassador", "Regional Director"
    )
    affiliation: ActorRef | None = None
    method: str = "rule"


@dataclass
class Statement:
    """An actor's intervention at a meeting: who said, proposed, requested … what."""

    local_id: str
    speaker: ActorRef
    kind: StatementKind
    span: Span  # the sentence(s) carrying the statement
    meeting: str | None = None
    objectives: list[int] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    method: str = "rule"


@dataclass
class Commitment:
    """What is to be done, by whom, by when. One per responsible actor set and deadline."""

    local_id: str
    text: str
    kind: CommitmentKind
    span: Span
    responsible: list[ActorRef] = field(default_factory=list)  # empty when the text is passive
    due: DateValue | None = None
    meeting: str | None = None
    provision: str | None = None  # the number as printed: "7", "4.b"
    objectives: list[int] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    method: str = "rule"
    # False for a decision that asks for no further action ("take note of", "thank",
    # "approve the report"): still an agreement of the meeting, but nothing is to be done
    forward_looking: bool = True


@dataclass
class ObjectiveMention:
    """Evidence that a paragraph concerns GCM objective ``number`` (1-23)."""

    number: int
    evidence: Span  # the phrase that triggered it
    paragraph: Span
    method: str = "rule"


@dataclass
class PrincipleMention:
    """Evidence that a paragraph invokes GCM guiding principle ``letter`` (a-j)."""

    letter: str
    evidence: Span
    paragraph: Span
    method: str = "rule"


@dataclass
class TopicMention:
    topic: str  # a notation of the topic scheme, e.g. "smuggling-of-migrants"
    evidence: Span
    method: str = "rule"


@dataclass
class StanceOnGCM:
    """A state's stance on the GCM where a document states it (e.g. did not vote on it)."""

    state: ActorRef
    stance: Literal["voted-in-favour", "voted-against", "abstained", "did-not-vote", "champion"]
    span: Span
    method: str = "rule"


@dataclass
class Provision:
    """A numbered item or section of the document, as printed."""

    number: str
    span: Span
    heading: str | None = None


@dataclass
class DocumentFacts:
    """Everything extracted from one document."""

    doc_id: str  # stable slug derived from the file name
    source: str  # the file name it was read from
    sha256: str  # of the raw bytes
    text: str  # the original text all spans point into
    language: str  # BCP 47: "en", "es"
    doc_type: DocumentType | None = None
    title: str | None = None
    title_span: Span | None = None
    date: DateValue | None = None
    issuing_body: ActorRef | None = None
    meetings: list[Meeting] = field(default_factory=list)
    actors: list[ActorRef] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    participations: list[Participation] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    objectives: list[ObjectiveMention] = field(default_factory=list)
    principles: list[PrincipleMention] = field(default_factory=list)
    topics: list[TopicMention] = field(default_factory=list)
    stances: list[StanceOnGCM] = field(default_factory=list)
    provisions: list[Provision] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. "date year left open: ..."

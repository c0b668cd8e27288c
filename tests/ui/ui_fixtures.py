"""A tiny dataset for the UI tests, made by the real mapper, reference graph and reasoner.

Two invented documents (no bundled file is named): one is hostile — its title and text contain
HTML and a ``<script>`` element — so the pages' escaping is tested on data that went through the
whole mapping path. The other has what a meeting page's readable sections show besides
participants: a person of an organization and the organization itself speaking, a stated count,
and a long commitment (hundreds of characters, a long word and a long URL) that a table must
wrap, not stretch. The dataset is published with ``rcm_graph.store.dataset`` exactly as a build
does.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pyoxigraph
from rdflib import Graph

from live_server import LiveServer
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
    Span,
    Statement,
)
from rcm_graph.model.iris import Iris
from rcm_graph.reference.graph import reference_graph
from rcm_graph.reference.ontology import load_ontology
from rcm_graph.settings import Settings
from rcm_graph.stages.mapping import map_document
from rcm_graph.store.publish import publish_quads

BASE = "https://w3id.org/rcm-graph/"
IRIS = Iris(BASE)

SCRIPT = "<script>document.title='pwned';window.__xss=1</script>"
HOSTILE_TITLE = "Communiqué <b>bold</b> & <i>co</i>"
HOSTILE_TEXT = (
    f"{HOSTILE_TITLE}\n"
    "Ninth Plenary Meeting, San José, 12 March 2031.\n"
    f"The delegates noted the note {SCRIPT} left on the table.\n"
    "Costa Rica hosted the meeting and Panama took part.\n"
    "1. The States agreed that Panama will open a help desk for migrants by 30 June 2032.\n"
)
# A commitment longer than any real one the extractor keeps, with words no line can hold:
# a table of commitments must wrap it (a `white-space: nowrap` once made one 2,235 px wide).
LONG_COMMITMENT = (
    "Costa Rica will coordinate, together with the Technical Secretariat and the observer "
    "organizations, the interinstitutionalization of the regional protocol for the protection "
    "of unaccompanied migrant children and adolescents, publish the consolidated guidelines at "
    "https://www.example.org/regional-conference/protocols/unaccompanied-migrant-children/"
    "consolidated-guidelines-2033-final-version.pdf and report to the Vice-Ministerial Meeting "
    "on the progress achieved in each member country by 31 January 2033"
)
PERSON = "Ana María Ejemplo"
PLAIN_TEXT = (
    "Minutes of the Tenth Plenary Meeting\n"
    "Tenth Plenary Meeting, Panama City, 4 April 2032.\n"
    "Panama hosted the meeting. Costa Rica took part.\n"
    "More than 82 representatives from 17 countries attended.\n"
    f"Ambassador {PERSON}, of the International Organization for Migration (IOM), proposed "
    "a regional fund for the reintegration of returned migrants.\n"
    "The International Organization for Migration expressed concern about the rising number "
    "of missing migrants.\n"
    f"2. The States agreed that {LONG_COMMITMENT}.\n"
)


def span(text: str, phrase: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return Span(start, start + len(phrase), phrase)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hostile_document() -> DocumentFacts:
    t = HOSTILE_TEXT
    cri = ActorRef("state", "CRI", "Costa Rica", span(t, "Costa Rica"), "rule:actors")
    pan = ActorRef("state", "PAN", "Panama", span(t, "Panama took part"), "rule:actors")
    meeting = Meeting(
        local_id="m1",
        name="Ninth Plenary Meeting",
        kind="plenary-meeting",
        span=span(t, "Ninth Plenary Meeting"),
        reported=True,
        ordinal=9,
        start=DateValue(date(2031, 3, 12), span(t, "12 March 2031"), 2031, 3, 12),
        place=Place("San José", "CRI", span(t, "San José")),
        method="rule:meetings",
    )
    return DocumentFacts(
        doc_id="hostile-communique",
        source="hostile-communique.txt",
        sha256=_sha(t),
        text=t,
        language="en",
        doc_type="joint-communique",
        title=HOSTILE_TITLE,
        title_span=span(t, HOSTILE_TITLE),
        date=DateValue(date(2031, 3, 12), span(t, "12 March 2031"), 2031, 3, 12),
        meetings=[meeting],
        actors=[cri, pan],
        participations=[
            Participation(
                "m1", cri, "host", span(t, "Costa Rica hosted the meeting"), "rule:roles"
            ),
            Participation("m1", pan, "participant", span(t, "Panama took part"), "rule:roles"),
        ],
        commitments=[
            Commitment(
                "c1",
                "Panama will open a help desk for migrants by 30 June 2032",
                "agreement",
                span(t, "The States agreed that Panama will open a help desk for migrants"),
                responsible=[pan],
                due=DateValue(date(2032, 6, 30), span(t, "30 June 2032"), 2032, 6, 30),
                meeting="m1",
                objectives=[15],
                method="rule:commitments",
            )
        ],
        objectives=[
            ObjectiveMention(
                15, span(t, "help desk for migrants"), span(t, "1. The States"), "rule:gcm"
            )
        ],
    )


def plain_document() -> DocumentFacts:
    t = PLAIN_TEXT
    pan = ActorRef("state", "PAN", "Panama", span(t, "Panama hosted"), "rule:actors")
    cri = ActorRef("state", "CRI", "Costa Rica", span(t, "Costa Rica"), "rule:actors")
    meeting = Meeting(
        local_id="m1",
        name="Tenth Plenary Meeting",
        kind="plenary-meeting",
        span=span(t, "Tenth Plenary Meeting", 1),
        reported=True,
        ordinal=10,
        start=DateValue(date(2032, 4, 4), span(t, "4 April 2032"), 2032, 4, 4),
        place=Place("Panama City", "PAN", span(t, "Panama City")),
        counts=[
            Count("representatives", 82, "more-than", span(t, "More than 82 representatives")),
            Count("countries", 17, "exact", span(t, "17 countries")),
        ],
        method="rule:meetings",
    )
    iom = ActorRef(
        "organization",
        "iom",
        "International Organization for Migration",
        span(t, "International Organization for Migration"),
        "rule:actors",
    )
    person = ActorRef("person", "ana-maria-ejemplo", PERSON, span(t, PERSON), "rule:persons")
    return DocumentFacts(
        doc_id="tenth-plenary-minutes",
        source="tenth-plenary-minutes.txt",
        sha256=_sha(t),
        text=t,
        language="en",
        doc_type="minutes",
        title="Minutes of the Tenth Plenary Meeting",
        title_span=span(t, "Minutes of the Tenth Plenary Meeting"),
        meetings=[meeting],
        actors=[pan, cri, iom, person],
        participations=[
            Participation("m1", pan, "host", span(t, "Panama hosted the meeting"), "rule:roles"),
            Participation("m1", cri, "participant", span(t, "Costa Rica took part"), "rule:roles"),
        ],
        persons=[
            Person(
                "p1",
                PERSON,
                span(t, PERSON),
                title="Ambassador",
                affiliation=iom,
                method="rule:persons",
            )
        ],
        statements=[
            Statement(
                "s1",
                person,
                "proposed",
                span(
                    t,
                    f"Ambassador {PERSON}, of the International Organization for Migration "
                    "(IOM), proposed a regional fund for the reintegration of returned migrants.",
                ),
                meeting="m1",
                method="rule:statements",
            ),
            Statement(
                "s2",
                iom,
                "expressed-concern",
                span(
                    t,
                    "The International Organization for Migration expressed concern about "
                    "the rising number of missing migrants.",
                ),
                meeting="m1",
                method="rule:statements",
            ),
        ],
        commitments=[
            Commitment(
                "c1",
                LONG_COMMITMENT,
                "commitment",
                span(t, f"2. The States agreed that {LONG_COMMITMENT}"),
                responsible=[cri],
                due=DateValue(date(2033, 1, 31), span(t, "31 January 2033"), 2033, 1, 31),
                meeting="m1",
                method="rule:commitments",
            )
        ],
    )


# The property chain rcm:hasParticipation⁻ ∘ rcm:participant⁻ that OWL 2 RL reasoning applies;
# the reasoner itself takes seconds to set up, so the UI tests derive just this shortcut (and
# the acronyms' alternative labels below).
PARTICIPATED_IN = """
PREFIX rcm: <https://w3id.org/rcm-graph/ontology#>
CONSTRUCT { ?actor rcm:participatedIn ?meeting }
WHERE { ?meeting rcm:hasParticipation/rcm:participant ?actor }
"""


# rcm:acronym ⊑ skos:altLabel: reasoning makes every acronym of the reference data an
# alternative label too ("OIM"), which search must not show bare.
ACRONYMS_AS_ALT_LABELS = """
PREFIX rcm: <https://w3id.org/rcm-graph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { ?actor skos:altLabel ?acronym } WHERE { ?actor rcm:acronym ?acronym }
"""


def build_graphs() -> dict[str, Graph]:
    """Named graph IRI -> graph: documents, reference, ontology, inferred."""
    graphs = {
        str(IRIS.graph("reference")): reference_graph(IRIS),
        str(IRIS.graph("ontology")): load_ontology(),
    }
    inferred = Graph()
    for triple in graphs[str(IRIS.graph("reference"))].query(ACRONYMS_AS_ALT_LABELS):
        inferred.add(triple)  # type: ignore[arg-type]
    for facts in (hostile_document(), plain_document()):
        doc = map_document(facts, IRIS)
        graphs[str(IRIS.document_graph(facts.doc_id))] = doc
        for triple in doc.query(PARTICIPATED_IN):
            inferred.add(triple)  # type: ignore[arg-type]
    graphs[str(IRIS.graph("inferred"))] = inferred
    return graphs


def write_dataset(data_dir: Path) -> Path:
    """Publish the graphs as a dataset, in the layout a build writes (plus ``reference.ttl``)."""
    graphs_by_name = build_graphs()
    quads = []
    for name, graph in graphs_by_name.items():
        ntriples = graph.serialize(format="nt", encoding="utf-8")
        for t in pyoxigraph.parse(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES):
            quads.append(
                pyoxigraph.Quad(t.subject, t.predicate, t.object, pyoxigraph.NamedNode(name))
            )
    reference = graphs_by_name[str(IRIS.graph("reference"))]
    return publish_quads(
        data_dir,
        quads,
        meta_graph=str(IRIS.graph("meta")),
        extra_files={"reference.ttl": reference.serialize(format="turtle", encoding="utf-8")},
    )


class UiServer(LiveServer):
    """The app on a free port of 127.0.0.1, with one query worker (the UI tests are light)."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(Settings(data_dir=data_dir, query_workers=1))

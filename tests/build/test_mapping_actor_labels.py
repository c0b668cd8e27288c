"""How actors the reference data does not describe are named in a document graph: an
organization defined in the text carries its acronym (queries find organizations by it), and an
unnamed group is labelled by what it is, not by the pronoun a sentence used for it."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDFS, Graph, Literal

from rcm_graph.model.iris import Iris
from rcm_graph.model.vocab import RCM
from rcm_graph.stages.extraction import extract_text
from rcm_graph.stages.mapping import map_document
from rcm_graph.stages.reading import RawDocument

IRIS = Iris()


def _graph(text: str) -> Graph:
    raw = RawDocument(Path("labels.txt"), "labels", "labels.txt", "0" * 64, text)
    return map_document(extract_text(raw), IRIS)


def test_an_organization_defined_in_the_text_carries_its_acronym() -> None:
    graph = _graph(
        "The Andean Development Observatory (ADO) presented a study on labour migration in "
        "the region. The ADO will publish it in 2031."
    )
    assert (IRIS.org("ado"), RCM.acronym, Literal("ADO", lang="en")) in graph


def test_a_group_is_labelled_by_what_it_is() -> None:
    graph = _graph(
        "JOINT COMMUNIQUÉ\n\nThe Member States of the RCM met in Belmopan on 4 May 2031.\n\n"
        "They agreed to share their national plans with the Technical Secretariat by "
        "30 June 2031."
    )
    labels = {
        str(label) for node, label in graph.subject_objects(RDFS.label) if "/group/" in str(node)
    }
    assert labels and "They" not in labels
    assert labels <= {"Participating countries", "Member countries", "Observer organizations"}

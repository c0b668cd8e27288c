"""Extraction quality on the bundled corpus, against gold written by reading the documents.

The targets are the project's (issue 4), measured without any curation file. The gold files are
in tests/gold/ (see their README for the annotation conventions).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rcm_graph.resources import bundled_corpus_dir
from rcm_graph.stages.extraction import extract_corpus
from rcm_graph.stages.reading import list_documents
from rcm_graph.tools.evaluation import Evaluation, evaluate, load_gold

GOLD = Path(__file__).resolve().parent.parent / "gold"
TARGETS = {
    "participating states": 0.95,
    "meetings": 0.95,
    "organizations": 0.9,
    "commitments": 0.9,
    "objectives": 0.8,
}


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    result = extract_corpus(list_documents(bundled_corpus_dir()))
    assert not result.errors
    gold = load_gold(GOLD)
    assert set(gold) == {d.doc_id for d in result.documents}, "one gold file per document"
    return evaluate(result.documents, gold)


@pytest.mark.parametrize(("fact_type", "target"), sorted(TARGETS.items()))
def test_f1_meets_target(evaluation: Evaluation, fact_type: str, target: float) -> None:
    score = evaluation.scores[fact_type]
    assert score.f1 >= target, f"{fact_type}: F1 {score.f1:.3f} < {target}\n{evaluation.table()}"


def test_due_date_accuracy(evaluation: Evaluation) -> None:
    assert evaluation.due_matched >= 30
    assert evaluation.due_accuracy >= 0.9, evaluation.table()


def test_scorer_counts_mistakes() -> None:
    """The scorer is not a rubber stamp: damaging the extraction lowers the scores."""
    result = extract_corpus(list_documents(bundled_corpus_dir()))
    for doc in result.documents:
        doc.participations = [p for p in doc.participations if p.actor.kind != "state"]
        doc.commitments = doc.commitments[1:]
        for c in doc.commitments:
            c.due = None
    damaged = evaluate(result.documents, load_gold(GOLD))
    assert damaged.scores["participating states"].recall == 0.0
    assert damaged.scores["commitments"].fn >= 4
    assert damaged.due_accuracy < 1.0


def test_meeting_attributes(evaluation: Evaluation) -> None:
    """Kind, ordinal, city and country of the meetings matched by date."""
    assert evaluation.attributes_checked >= 25
    assert evaluation.attributes_correct / evaluation.attributes_checked >= 0.9, evaluation.table()

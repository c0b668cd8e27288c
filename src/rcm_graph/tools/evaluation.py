"""Scoring extraction against gold annotations: precision, recall and F1 per fact type.

The gold files (``tests/gold/<doc_id>.toml``, see their README) are written by reading the
documents. Scores are micro-averaged over documents (true positives, false positives and false
negatives are summed), so a long document weighs more than a short one.

Fact types and what counts as a match:

- ``meetings``: (reported?, start, end) of the reported meeting and of every event dated to the
  day; dates compare as ISO dates, or ``--MM-DD`` when the year is open.
- ``participating states``: ISO codes of states with any role but supporter at the reported
  meeting.
- ``organizations``: (key, role) pairs of organizations, processes and process bodies.
- ``persons``: names (accents and case folded).
- ``commitments``: a gold commitment matches an extracted one whose text contains its quote and
  whose responsible actors are the same set; ``due-date accuracy`` is the share of quote-matched
  commitments whose due date equals the gold one (both absent counts as equal).
- ``objectives``: GCM objective numbers per document.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rcm_graph.errors import InputError
from rcm_graph.model.facts import DateValue, DocumentFacts

FACT_TYPES = (
    "meetings",
    "participating states",
    "organizations",
    "persons",
    "commitments",
    "objectives",
)
_NOT_PARTICIPATING = {"supporter"}
_DAY_KEY = re.compile(r"^(\d{4}|-)-\d{2}-\d{2}$")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class Evaluation:
    scores: dict[str, Score] = field(default_factory=lambda: {t: Score() for t in FACT_TYPES})
    due_matched: int = 0
    due_correct: int = 0
    attributes_checked: int = 0  # kind, ordinal, city, country of matched meetings
    attributes_correct: int = 0
    errors: dict[str, list[str]] = field(default_factory=dict)  # doc_id -> differences

    @property
    def due_accuracy(self) -> float:
        return self.due_correct / self.due_matched if self.due_matched else 1.0

    def table(self) -> str:
        lines = [f"{'fact type':<22} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}"]
        for name in FACT_TYPES:
            s = self.scores[name]
            lines.append(
                f"{name:<22} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} "
                f"{s.tp:5d} {s.fp:5d} {s.fn:5d}"
            )
        lines.append(
            f"{'due-date accuracy':<22} {self.due_accuracy:6.3f} "
            f"({self.due_correct}/{self.due_matched} quote-matched commitments)"
        )
        share = (
            self.attributes_correct / self.attributes_checked if self.attributes_checked else 1.0
        )
        lines.append(
            f"{'meeting attributes':<22} {share:6.3f} ({self.attributes_correct}/"
            f"{self.attributes_checked} kind/ordinal/city/country values of matched meetings)"
        )
        return "\n".join(lines)


def load_gold(gold_dir: Path) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for path in sorted(gold_dir.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise InputError(f"cannot read gold file ({exc})", where=str(path)) from None
        out[str(data.get("doc_id", path.stem))] = data
    return out


def evaluate(documents: Sequence[DocumentFacts], gold: dict[str, dict[str, object]]) -> Evaluation:
    result = Evaluation()
    by_id = {d.doc_id: d for d in documents}
    for doc_id, g in gold.items():
        doc = by_id.get(doc_id)
        if doc is None:
            raise InputError(f"gold annotations for {doc_id!r} but no such document extracted")
        diffs: list[str] = []
        for name, (gold_set, pred_set) in _sets(doc, g).items():
            score = _compare(gold_set, pred_set)
            result.scores[name].add(score)
            diffs += [f"{name}: missed {x}" for x in sorted(gold_set - pred_set, key=str)]
            diffs += [f"{name}: spurious {x}" for x in sorted(pred_set - gold_set, key=str)]
        checked, right, a_diffs = _meeting_attributes(doc, g)
        result.attributes_checked += checked
        result.attributes_correct += right
        diffs += a_diffs
        c_score, matched, correct, c_diffs = _commitments(doc, g)
        result.scores["commitments"].add(c_score)
        result.due_matched += matched
        result.due_correct += correct
        result.errors[doc_id] = diffs + c_diffs
    return result


def _compare(gold: set[object], pred: set[object]) -> Score:
    return Score(len(gold & pred), len(pred - gold), len(gold - pred))


def _key(value: DateValue | None) -> str | None:
    if value is None:
        return None
    if value.value is not None:
        return value.value.isoformat()
    if value.month and value.day and value.year is None:
        return f"--{value.month:02d}-{value.day:02d}"
    return None


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(text.lower().split())


def _sets(doc: DocumentFacts, g: dict[str, object]) -> dict[str, tuple[set[object], set[object]]]:
    gold_meetings: set[object] = set()
    for m in _list(g, "meeting"):
        start, end = str(m.get("start", "")), str(m.get("end", m.get("start", "")))
        if m.get("reported") or _DAY_KEY.match(start):
            gold_meetings.add((bool(m.get("reported")), start or None, end or None))
    pred_meetings: set[object] = set()
    for meeting in doc.meetings:
        p_start, p_end = _key(meeting.start), _key(meeting.end or meeting.start)
        if meeting.reported or p_start:
            pred_meetings.add((meeting.reported, p_start, p_end))
    reported = {m.local_id for m in doc.meetings if m.reported}
    parts = [p for p in doc.participations if p.meeting in reported]
    participants = g.get("participants", {})
    gold_states: set[object] = (
        set(participants.get("states", [])) if isinstance(participants, dict) else set()
    )
    pred_states: set[object] = {
        p.actor.key for p in parts if p.actor.kind == "state" and p.role not in _NOT_PARTICIPATING
    }
    gold_orgs = {(str(o["key"]), str(o["role"])) for o in _list(g, "organization")}
    pred_orgs = {
        (p.actor.key, p.role) for p in parts if p.actor.kind in ("organization", "process", "body")
    }
    gold_persons = {_fold(str(p["name"])) for p in _list(g, "person")}
    pred_persons = {_fold(p.name) for p in doc.persons}
    objectives = g.get("objectives", {})
    gold_obj = set(objectives.get("numbers", [])) if isinstance(objectives, dict) else set()
    pred_obj = {o.number for o in doc.objectives}
    return {
        "meetings": (gold_meetings, pred_meetings),
        "participating states": (gold_states, pred_states),
        "organizations": (set(gold_orgs), set(pred_orgs)),
        "persons": (set(gold_persons), set(pred_persons)),
        "objectives": (set(gold_obj), set(pred_obj)),
    }


def _meeting_attributes(doc: DocumentFacts, g: dict[str, object]) -> tuple[int, int, list[str]]:
    """Of the meetings matched by date, how many of the gold's kind, ordinal, city and country
    values the extraction got right."""
    preds = {
        (m.reported, _key(m.start), _key(m.end or m.start)): m
        for m in doc.meetings
        if m.reported or _key(m.start)
    }
    checked = right = 0
    diffs: list[str] = []
    for gm in _list(g, "meeting"):
        start = str(gm.get("start", ""))
        key = (bool(gm.get("reported")), start or None, str(gm.get("end", start)) or None)
        pred = preds.get(key)
        if pred is None:
            continue
        values = {
            "kind": pred.kind,
            "ordinal": pred.ordinal,
            "city": pred.place.city if pred.place else None,
            "country": pred.place.country if pred.place else None,
        }
        for attr, got in values.items():
            if attr in gm:
                checked += 1
                if gm[attr] == got:
                    right += 1
                else:
                    diffs.append(f"meetings: {attr} {got!r} != {gm[attr]!r} for {key}")
    return checked, right, diffs


def _list(g: dict[str, object], key: str) -> list[dict[str, object]]:
    value = g.get(key, [])
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _commitments(doc: DocumentFacts, g: dict[str, object]) -> tuple[Score, int, int, list[str]]:
    preds = list(doc.commitments)
    used: set[int] = set()
    score = Score()
    matched = correct = 0
    diffs: list[str] = []
    for gc in _list(g, "commitment"):
        quote = _fold(str(gc["quote"]))
        listed = gc.get("responsible", [])
        responsible = {str(r) for r in listed} if isinstance(listed, list) else set()
        due = str(gc["due"]) if "due" in gc else None
        candidates = [i for i, c in enumerate(preds) if i not in used and quote in _fold(c.text)]
        if not candidates:
            score.fn += 1
            diffs.append(f"commitments: missed {gc['quote']!r}")
            continue
        matched += 1
        best = next(
            (i for i in candidates if {a.key for a in preds[i].responsible} == responsible),
            candidates[0],
        )
        used.add(best)
        pred = preds[best]
        if _key(pred.due) == due:
            correct += 1
        else:
            diffs.append(f"commitments: due {_key(pred.due)} != {due} for {gc['quote']!r}")
        if {a.key for a in pred.responsible} == responsible:
            score.tp += 1
        else:
            score.fp += 1
            score.fn += 1
            diffs.append(
                f"commitments: responsible {sorted(a.key for a in pred.responsible)} != "
                f"{sorted(responsible)} for {gc['quote']!r}"
            )
    for i, c in enumerate(preds):
        if i not in used:
            score.fp += 1
            diffs.append(f"commitments: spurious {c.text[:90]!r}")
    return score, matched, correct, diffs

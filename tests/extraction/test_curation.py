"""Curation files: editors add, correct and remove facts; curated facts win and are reported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rcm_graph.errors import CurationError
from rcm_graph.resources import bundled_corpus_dir
from rcm_graph.stages.extraction import ExtractionResult, extract_corpus
from rcm_graph.stages.reading import list_documents

REPORT = "2017-03-ts-report-regional-stance-gcm"
MINUTES = "2017-06-rcm-sacm-working-meeting-final-minutes"


def _run(tmp_path: Path, files: dict[str, str]) -> ExtractionResult:
    cur = tmp_path / "curation"
    cur.mkdir()
    for name, text in files.items():
        (cur / name).write_text(text, encoding="utf-8")
    return extract_corpus(list_documents(bundled_corpus_dir()), curation_dir=cur)


def test_curation_adds_corrects_and_removes(tmp_path: Path) -> None:
    result = _run(
        tmp_path,
        {
            f"{REPORT}.toml": """
# The report never states the year; the editor knows it from the RCM's archive.
[[correct.meeting]]
id = "m1"
start = "2017-03-29"
end = "2017-03-29"

[[add.participation]]
actor = "USA"
role = "host"
quote = "welcomed the meeting participants to Washington, DC"

[[remove]]
type = "participation"
actor = "rcm:presidency-pro-tempore"
reason = "the PPT is El Salvador's delegation, already counted"
""",
            f"{MINUTES}.toml": """
[[correct.commitment]]
quote = "Hold a meeting prior to the CELAC-EU meeting"
due = "2017-09-07"

[[add.objective]]
number = 11
quote = "exchange biometric data on migrants"
""",
        },
    )
    docs = {d.doc_id: d for d in result.documents}
    report = docs[REPORT]
    meeting = report.meetings[0]
    assert meeting.start is not None and meeting.start.value == date(2017, 3, 29)
    assert meeting.method == "curated"
    host = [p for p in report.participations if p.actor.key == "USA" and p.role == "host"]
    assert len(host) == 1 and host[0].method == "curated"
    assert host[0].span.text == "welcomed the meeting participants to Washington, DC"
    assert not [p for p in report.participations if p.actor.key == "rcm:presidency-pro-tempore"]
    minutes = docs[MINUTES]
    hold = next(c for c in minutes.commitments if c.text.startswith("Hold a meeting prior"))
    assert hold.due is not None and hold.due.value == date(2017, 9, 7) and hold.method == "curated"
    assert 11 in {o.number for o in minutes.objectives if o.method == "curated"}
    joined = "\n".join(result.curation_report)
    assert "corrected meeting m1: start, end" in joined
    assert "added participation USA as host" in joined
    assert "removed 1 participation" in joined and "already counted" in joined
    assert "corrected commitment" in joined and "added objective 11" in joined


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("[[add.participation]\nactor = 1\n", 1, "not valid TOML"),
        (
            '\n\n[[add.participation]]\nactor = "USA"\nrole = "boss"\nquote = "Panama"\n',
            5,
            "unknown role",
        ),
        ('[[remove]]\ntype = "meeting"\nid = "m1"\ncolour = "red"\n', 4, "unknown field"),
        ('[[add.person]]\nname = "X"\nquote = "not in the text at all"\n', 3, "does not occur"),
        ('[[correct.meeting]]\nid = "m9"\n', 2, "no meeting 'm9'"),
        ('[[correct.meeting]]\nid = "m1"\nstart = "29 March"\n', 3, "YYYY-MM-DD"),
        ("[[add.colour]]\nx = 1\n", 1, "cannot add facts of type 'colour'"),
        (
            '[[add.participation]]\nactor = "XYZ-org"\nrole = "host"\nquote = "Panama"\n',
            1,
            "unknown actor",
        ),
    ],
)
def test_malformed_curation_names_file_and_line(
    tmp_path: Path, text: str, line: int, fragment: str
) -> None:
    with pytest.raises(CurationError) as info:
        _run(tmp_path, {f"{REPORT}.toml": text})
    assert fragment in info.value.what
    assert info.value.where is not None
    assert info.value.where.endswith(f"{REPORT}.toml:{line}")


def test_curation_for_unknown_document(tmp_path: Path) -> None:
    with pytest.raises(CurationError, match="no document with id"):
        _run(tmp_path, {"no-such-document.toml": '[[remove]]\ntype = "meeting"\n'})


def test_curated_facts_improve_the_score(tmp_path: Path) -> None:
    from rcm_graph.tools.evaluation import evaluate, load_gold

    gold = load_gold(Path(__file__).resolve().parent.parent / "gold")
    result = _run(
        tmp_path,
        {
            f"{MINUTES}.toml": """
[[remove]]
type = "participation"
actor = "CHL"
""",
        },
    )
    scores = evaluate(result.documents, gold).scores["participating states"]
    assert scores.fn == 1  # the curation removed a true participant: the scorer sees it

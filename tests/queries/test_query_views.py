"""The eight canonical views: exact result variables, one row per item, the documents' facts.

Expectations are read from the five documents of corpus/, not from any query's output. Each
test runs on the hand-written dataset and on the real build (see conftest.py).
"""

from __future__ import annotations

from collections import Counter

import pytest
from query_harness import (
    DOCUMENTS,
    FORUM_2023,
    FORUM_2024,
    MINUTES_2017,
    PLENARY_2023,
    TS_REPORT_2017,
    VIEW_VARIABLES,
    Queries,
    doc,
    squash,
    stem_of,
)

from rcm_graph.query.catalogue import CANONICAL_VIEWS

ITEM_KEYS = {
    "documents": ("document",),
    "meetings": ("meeting", "document"),
    "events": ("event", "document"),
    "participants": ("meeting", "actor", "role"),
    "persons": ("person", "meeting", "document"),
    "statements": ("statement", "objectiveNumber"),
    "commitments": ("commitment", "responsibleCode", "responsibleName"),
    "objectives": ("document", "objective"),
}


def test_the_views_are_the_documented_eight() -> None:
    assert set(VIEW_VARIABLES) == set(CANONICAL_VIEWS)


@pytest.mark.parametrize("view", CANONICAL_VIEWS)
def test_view_has_the_canonical_variables_in_order_and_one_row_per_item(
    data: Queries, view: str
) -> None:
    result = data.run(view)
    expected = VIEW_VARIABLES[view]
    assert result.variables[: len(expected)] == expected  # extra columns may follow
    keys = Counter(tuple(r[k] for k in ITEM_KEYS[view]) for r in result.rows)
    assert result.rows, f"{view} is empty"
    assert [k for k, n in keys.items() if n > 1] == []


def test_documents_view(data: Queries) -> None:
    rows = {stem_of(r["document"]): r for r in data.run("documents").rows}
    assert set(rows) == set(DOCUMENTS)
    types = {stem: r["type"] for stem, r in rows.items()}
    assert types == {
        TS_REPORT_2017: "report",
        MINUTES_2017: "minutes",
        PLENARY_2023: "joint-communique",
        FORUM_2023: "joint-communique",
        FORUM_2024: "joint-communique",
    }
    for stem, r in rows.items():
        assert r["source"] == f"{stem}.txt"
        assert r["language"] == "en"
        assert r["title"]
    assert rows[MINUTES_2017]["date"] == "2017-06-08"
    assert rows[PLENARY_2023]["date"] == "2023-08-23"
    assert rows[FORUM_2023]["date"] in {"2023-09-27", "2023-09-28"}
    assert rows[FORUM_2024]["date"] in {"2024-09-25", "2024-09-26"}
    # The 2017 report is undated; its meeting was in March 2017.
    assert rows[TS_REPORT_2017]["date"] in {None, "2017-03-29", "2017-03-30", "2017-03-31"}
    # Either heading of the 2017 report is its title.
    title_2017 = squash(rows[TS_REPORT_2017]["title"])
    assert "regional stance" in title_2017 or "report of the technical secretariat" in title_2017
    assert "champion countries" in squash(rows[FORUM_2023]["title"])
    assert "champion countries" in squash(rows[FORUM_2024]["title"])


def test_meetings_view(data: Queries) -> None:
    rows = data.run("meetings").rows
    by_doc: dict[str, list[dict[str, str | None]]] = {}
    for r in rows:
        by_doc.setdefault(stem_of(r["document"]) or "", []).append(r)
    assert set(by_doc) == set(DOCUMENTS)
    facts = {
        MINUTES_2017: ("2017-06-08", None, "panama city", "PAN"),
        PLENARY_2023: ("2023-08-23", None, "panama city", "PAN"),
        FORUM_2023: ("2023-09-27", "2023-09-28", "panama city", "PAN"),
        FORUM_2024: ("2024-09-25", "2024-09-26", "san salvador", "SLV"),
    }
    for stem, (start, end, city, country) in facts.items():
        found = [
            r
            for r in by_doc[stem]
            if r["start"] == start and squash(r["city"]) == city and r["countryCode"] == country
        ]
        assert found, f"{stem}: no meeting on {start} in {city}, {country}: {by_doc[stem]}"
        if end is not None:
            assert found[0]["end"] == end
    washington = [r for r in by_doc[TS_REPORT_2017] if "washington" in squash(r["city"])]
    assert washington and washington[0]["countryCode"] == "USA"
    assert washington[0]["start"] in {None, "2017-03-29"}


def test_meetings_and_events_are_apart(data: Queries) -> None:
    meetings = {(r["meeting"], r["document"]) for r in data.run("meetings").rows}
    events = {(r["event"], r["document"]) for r in data.run("events").rows}
    assert meetings and events and not meetings & events


def test_events_view(data: Queries) -> None:
    rows = data.run("events").rows
    dated = {(stem_of(r["document"]), r["start"], r["end"]) for r in rows}
    # The 2017 minutes announce (agreements 5, 7, 8, 11 and 13):
    assert {
        (MINUTES_2017, "2017-09-07", "2017-09-08"),  # CELAC-EU meeting, Brussels
        (MINUTES_2017, "2017-12-04", "2017-12-06"),  # GCM meeting, Guadalajara
        (MINUTES_2017, "2017-09-26", "2017-09-27"),  # RCM-SACM plenary consultation, Panama
        (MINUTES_2017, "2017-07-07", "2017-07-08"),  # Ad Hoc Group meeting, Mexico City
    } <= dated
    assert (MINUTES_2017, "2017-06-20") in {(d, s) for d, s, _ in dated}  # Geneva side event
    cities = {(stem_of(r["document"]), squash(r["city"])) for r in rows}
    assert {
        (MINUTES_2017, "brussels"),
        (MINUTES_2017, "guadalajara"),
        (MINUTES_2017, "geneva"),
        (MINUTES_2017, "mexico city"),
        (MINUTES_2017, "san salvador"),  # the RCM Meeting of November
        (TS_REPORT_2017, "geneva"),  # the Global RCP Meeting
    } <= cities
    # The 2024 communiqué recalls the I Forum, held in Panama City in 2023.
    assert (FORUM_2024, "panama city") in cities


def test_participants_view(data: Queries) -> None:
    rows = data.run("participants").rows
    meetings = {
        (stem_of(r["document"]), r["start"]): r["meeting"] for r in data.run("meetings").rows
    }
    by_meeting: dict[str | None, set[tuple[str | None, str | None]]] = {}
    for r in rows:
        by_meeting.setdefault(r["meeting"], set()).add((r["actorCode"], r["role"]))

    def codes(meeting: str | None, *roles: str) -> set[str | None]:
        return {c for c, role in by_meeting.get(meeting, set()) if not roles or role in roles}

    working = meetings[(MINUTES_2017, "2017-06-08")]
    assert {"SLV", "PAN", "MEX", "CHL"} <= codes(working)
    forum_2024 = meetings[(FORUM_2024, "2024-09-25")]
    attended = {"BLZ", "CAN", "CRI", "COL", "ECU", "SLV", "GTM", "HND", "PAN", "PER", "USA", "DOM"}
    assert attended <= codes(forum_2024, "participant", "listener", "host")
    assert ("DOM", "listener") in by_meeting[forum_2024]
    assert ("SLV", "host") in by_meeting[forum_2024]
    assert {"MEX", "NIC"}.isdisjoint(codes(forum_2024))  # RCM members not named as attending
    forum_2023 = meetings[(FORUM_2023, "2023-09-27")]
    assert ("PAN", "convener") in by_meeting[forum_2023]
    assert ("IOM", "supporter") in by_meeting[forum_2023]
    plenary = meetings[(PLENARY_2023, "2023-08-23")]
    assert ("PAN", "host") in by_meeting[plenary]
    assert ("CAN", "supporter") in by_meeting[plenary]


def test_participant_codes_are_iso3_for_states_and_acronyms_for_organizations(
    data: Queries,
) -> None:
    rows = data.run("participants").rows
    codes = {
        r["actor"].rsplit("/", 2)[-2:][0] + ":" + (r["actorCode"] or "") for r in rows if r["actor"]
    }
    assert "state:PAN" in codes and "org:IOM" in codes
    for r in rows:
        if "/id/state/" in (r["actor"] or ""):
            assert r["actorCode"] == r["actor"].rsplit("/", 1)[-1]
            assert r["actorName"]


def test_persons_view(data: Queries) -> None:
    rows = data.run("persons").rows
    people = {(squash(r["name"]), r["affiliationCode"], stem_of(r["document"])) for r in rows}
    assert {
        ("margaret pollack", "USA", TS_REPORT_2017),
        ("renata dubini", "UNHCR", TS_REPORT_2017),
        ("dilip ratha", "WB", TS_REPORT_2017),
        ("ramón ramírez", "MEX", TS_REPORT_2017),
        ("michele klein-solomon", "IOM", FORUM_2023),
    } <= people
    titles = {squash(r["name"]): squash(r["title"]) for r in rows}
    assert "vice-minister" in titles["liduvina magarín"]
    assert "regional director" in titles["michele klein-solomon"]
    assert "ambassador" in titles.get("gómez camacho", titles.get("ambassador gómez camacho", ""))
    organizations = {r["affiliationName"] for r in rows if r["affiliationCode"] == "IOM"}
    assert organizations == {"International Organization for Migration"}


STATEMENTS = [
    ("USA", "requested that the terms “slavery” or “modern slavery” not be used"),
    ("USA", "topic of extra-regional migrants coming from south america"),
    ("HND", "migrant smuggling and trafficking should be developed as an additional item"),
    ("HND", "extra-regional and extra-continental migrants be addressed"),
    ("GTM", "access to justice be included"),
    ("DOM", "themes should be classified in accordance with the schedule"),
    ("PAN", "from the perspective of transit countries"),
    ("MEX", "the 7 items proposed by mexico be included in the declaration"),
    ("CRI", "reality of the region of mesoamerica"),
    ("UNHCR", "proposed a roadmap to implement the san josé declaration"),
]


@pytest.mark.parametrize(("code", "phrase"), STATEMENTS)
def test_statements_view(data: Queries, code: str, phrase: str) -> None:
    rows = data.run("statements").rows
    found = [r for r in rows if r["actorCode"] == code and phrase in squash(r["text"])]
    assert found, f"no statement by {code} containing {phrase!r}"
    meetings = {
        r["meeting"] for r in data.run("meetings").rows if stem_of(r["document"]) == TS_REPORT_2017
    }
    assert found[0]["meeting"] in meetings


def test_statements_carry_objective_numbers(data: Queries) -> None:
    rows = data.run("statements").rows
    honduras = {
        r["objectiveNumber"]
        for r in rows
        if r["actorCode"] == "HND" and "smuggling and trafficking" in squash(r["text"])
    }
    assert {"9", "10"} <= honduras


COMMITMENTS = [
    # (document, responsible code or None for "names nobody", due, phrase)
    (TS_REPORT_2017, None, None, "will prepare a background paper on the experiences of the rcm"),
    (TS_REPORT_2017, None, None, "a draft political declaration to be used as a leading document"),
    (TS_REPORT_2017, "MEX", None, "mexico commits to conveying the information about the gcm"),
    (MINUTES_2017, None, "2017-06-12", "no later than 12 june"),
    (MINUTES_2017, "CHL", "2017-06-20", "chile shall submit its comments and responses"),
    (MINUTES_2017, "IOM", None, "the iom is asked to continue its cooperation"),
    (MINUTES_2017, "PAN", None, "chile and panama shall present"),
    (MINUTES_2017, "CHL", None, "chile and panama shall present"),
]


@pytest.mark.parametrize(("stem", "code", "due", "phrase"), COMMITMENTS)
def test_commitments_view(
    data: Queries, stem: str, code: str | None, due: str | None, phrase: str
) -> None:
    rows = [r for r in data.run("commitments").rows if stem_of(r["document"]) == stem]
    found = [r for r in rows if phrase in squash(r["text"])]
    assert found, f"{stem}: no commitment containing {phrase!r}"
    if code is not None:
        assert code in {r["responsibleCode"] for r in found}
    if due is not None:
        assert {r["due"] for r in found} == {due}


def test_commitments_one_row_per_responsible_actor(data: Queries) -> None:
    rows = data.run("commitments").rows
    calendar = [r for r in rows if "maintain the calendar of meetings" in squash(r["text"])]
    # "the Technical Secretariats (TS) of the RCM and the SACM": two responsible actors.
    assert len({r["responsible"] for r in calendar}) == 2
    assert len({r["commitment"] for r in calendar}) == 1
    for r in rows:
        assert r["due"] is None or len(r["due"]) == 10


def test_objectives_view(data: Queries) -> None:
    rows = data.run("objectives").rows
    pairs = {(stem_of(r["document"]), r["objectiveNumber"]) for r in rows}
    assert {
        (TS_REPORT_2017, "9"),  # migrant smuggling
        (TS_REPORT_2017, "10"),  # trafficking in persons
        (TS_REPORT_2017, "20"),  # remittances
        (PLENARY_2023, "9"),
        (PLENARY_2023, "10"),
        (FORUM_2023, "9"),
        (FORUM_2023, "10"),
        (FORUM_2023, "8"),  # save lives
        (FORUM_2023, "4"),  # legal identity and proper documentation
    } <= pairs
    for stem in (MINUTES_2017, FORUM_2024):  # neither speaks of smuggling or trafficking
        assert (stem, "9") not in pairs and (stem, "10") not in pairs
    assert all(r["evidence"] and "/id/span/" in r["evidence"] for r in rows)


def test_objective_evidence_quotes_the_document(data: Queries) -> None:
    for r in data.run("objectives").rows:
        assert r["quote"], r
        assert doc(stem_of(r["document"]) or "") == r["document"]

"""The competency questions of queries/: each answered as the five documents answer it.

Expectations come from reading corpus/ (the comments cite the passage); they are never copied
from a query's output. Each test runs on the hand-written dataset and on the real build.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from query_harness import (
    FORUM_2023,
    FORUM_2024,
    MINUTES_2017,
    PLENARY_2023,
    TS_REPORT_2017,
    Queries,
    squash,
    stem_of,
)

from rcm_graph.query.catalogue import CANONICAL_VIEWS, load_catalogue
from rcm_graph.resources import bundled_corpus_dir

QUESTIONS = [q.name for q in load_catalogue() if not q.is_canonical_view]


def test_at_least_twenty_questions_each_titled_by_its_question() -> None:
    assert len(QUESTIONS) >= 20
    for query in load_catalogue():
        if query.name not in CANONICAL_VIEWS:
            assert query.title.endswith("?"), query.name
        assert query.description, query.name


@pytest.mark.parametrize("name", QUESTIONS)
def test_every_question_has_an_answer_in_the_corpus(data: Queries, name: str) -> None:
    assert data.run(name).rows, f"{name} finds nothing in the bundled corpus"


def by_start(rows: list[dict[str, str | None]], key: str) -> dict[str | None, set[str | None]]:
    grouped: dict[str | None, set[str | None]] = {}
    for r in rows:
        grouped.setdefault(r["start"], set()).add(r[key])
    return grouped


def test_states_at_each_forum(data: Queries) -> None:
    found = by_start(data.run("states-at-each-forum").rows, "stateCode")
    # 2023: "The Government of Panama ... convened the First Regional Forum"; no other state is
    # named as taking part (Azerbaijan, Colombia, Nigeria are a footnote on GCM champions).
    assert found.get("2023-09-27") == {"PAN"}
    # 2024: "attended by representatives of the Governments of Belize, Canada, Costa Rica,
    # Colombia, Ecuador, El Salvador, Guatemala, Honduras, Panama, Peru, United States and the
    # Dominican Republic" (the last as a listener).
    assert found.get("2024-09-25") == {
        "BLZ",
        "CAN",
        "CRI",
        "COL",
        "ECU",
        "SLV",
        "GTM",
        "HND",
        "PAN",
        "PER",
        "USA",
        "DOM",
    }


def test_states_at_meetings_of_another_type(data: Queries) -> None:
    rows = data.run("states-at-each-forum", {"meetingType": "working-meeting"}).rows
    # "Member Countries of the RCM (El Salvador, Panama, and México) and of the SACM (Chile)".
    assert by_start(rows, "stateCode").get("2017-06-08") == {"SLV", "PAN", "MEX", "CHL"}


def test_secretariat_commitments_in_date_order(data: Queries) -> None:
    rows = data.run("secretariat-commitments").rows
    texts = [(stem_of(r["document"]), squash(r["text"])) for r in rows]
    expected = [
        (TS_REPORT_2017, "background paper on the experiences of the rcm"),
        (TS_REPORT_2017, "best practices implemented by the rcm in the past 20 years"),
        (TS_REPORT_2017, "draft political declaration"),
        (TS_REPORT_2017, "the ts and the ppt will jointly prepare a draft declaration"),
        (MINUTES_2017, "maintain the calendar of meetings related to the gcm"),
        (MINUTES_2017, "the rcm shall share said declaration with the sacm"),
        (MINUTES_2017, "the rcm-ts shall send said questionnaire to the sacm"),
    ]
    for stem, phrase in expected:
        assert any(s == stem and phrase in t for s, t in texts), (stem, phrase)
    # Nothing the SACM's secretariat alone must do, nor anything from the communiqués.
    assert {s for s, _ in texts} <= {TS_REPORT_2017, MINUTES_2017}
    dues = [r["due"] for r in rows]
    dated = [d for d in dues if d is not None]
    assert dated == sorted(dated) and dues[: len(dated)] == dated  # dated first, in order


def test_secretariat_commitments_of_the_sacm(data: Queries) -> None:
    rows = data.run("secretariat-commitments", {"processAcronym": "SACM"}).rows
    # Only agreement 1 of the minutes names the SACM's Technical Secretariat.
    assert [squash(r["text"]) for r in rows if "calendar of meetings" in squash(r["text"])]
    assert all(stem_of(r["document"]) == MINUTES_2017 for r in rows)


def test_objectives_discussed_most_in_2017(data: Queries) -> None:
    rows = data.run("objectives-discussed-most").rows
    numbers = [r["objectiveNumber"] for r in rows]
    # Migrant smuggling runs through the 2017 report (the United States twice, Costa Rica's
    # question, the World Bank's answer, Honduras); trafficking, remittances, return and
    # international cooperation are discussed too; legal identity is not.
    assert "9" in numbers[:3]
    assert {"9", "10", "20", "21", "23"} <= set(numbers)
    assert "4" not in numbers
    counts = [int(r["mentions"] or 0) for r in rows]
    assert counts == sorted(counts, reverse=True)


def test_objectives_discussed_in_2023(data: Queries) -> None:
    rows = data.run("objectives-discussed-most", {"year": "2023"}).rows
    # The First Forum: "save lives" (8), "legal identity and proper documentation" (4).
    assert {"4", "8", "9", "10"} <= {r["objectiveNumber"] for r in rows}


def test_organizations_supporting_in_2023_and_2024(data: Queries) -> None:
    codes = {r["actorCode"] for r in data.run("organizations-supporting-in-two-years").rows}
    # 2023 (First Forum): IOM's support and the footnoted UN Network members UNHCR, CEPAL,
    # CICR, IFRC, OACNUDH, IOM, ILO, PNUD, UNFPA, UNICEF, UNODC. 2024: "IOM, UNDP, ILO, OHCHR,
    # UNODC, ECLAC, UNICEF and UNHCR ... and civil society, through RNCOM".
    assert {"IOM", "UNHCR", "ECLAC", "OHCHR", "ILO", "UNDP", "UNICEF", "UNODC"} <= codes
    assert codes.isdisjoint({"UNFPA", "ICRC", "IFRC", "RNCOM", "CAN", "PAN", "SLV"})


def test_speakers_at_the_2017_meetings(data: Queries) -> None:
    rows = data.run("speakers-by-year").rows
    speakers = {(squash(r["name"]), r["actorCode"]) for r in rows}
    assert {
        ("margaret pollack", "USA"),  # "On behalf of the United States, Margaret Pollack"
        ("renata dubini", "UNHCR"),  # "Renata Dubini from UNHCR"
        ("dilip ratha", "WB"),  # "Update on the Support of the World Bank"
        ("ramón ramírez", "MEX"),  # "Presentation of Mexico"
    } <= speakers
    # François Crépeau was quoted by RNCOM, he did not speak.
    assert not any("crépeau" in name for name, _ in speakers)


def test_planned_events(data: Queries) -> None:
    rows = data.run("planned-events").rows
    planned = {(stem_of(r["document"]), r["start"]) for r in rows}
    assert {
        (MINUTES_2017, "2017-09-07"),  # CELAC-EU meeting, Brussels
        (MINUTES_2017, "2017-12-04"),  # GCM meeting, Guadalajara
        (MINUTES_2017, "2017-06-20"),  # side event of the Third Thematic Session, Geneva
        (MINUTES_2017, "2017-09-26"),  # RCM-SACM plenary consultation, Panama
        (MINUTES_2017, "2017-07-07"),  # Ad Hoc Group on Extra-Regional Migrants, Mexico City
        (TS_REPORT_2017, "2017-04-24"),  # the online meeting
    } <= planned
    cities = {(stem_of(r["document"]), squash(r["city"])) for r in rows}
    assert (MINUTES_2017, "san salvador") in cities  # RCM Meeting, November
    assert any(
        stem_of(r["document"]) == FORUM_2023 and "review" in squash(r["name"]) for r in rows
    )  # "the review of the GCM in Latin America and the Caribbean to be held in 2024"
    # Held meetings are not planned ones; the 2024 communiqué only recalls past events.
    assert not {s for _, s in planned} & {"2017-06-08", "2023-08-23", "2023-09-27", "2024-09-25"}
    assert FORUM_2024 not in {d for d, _ in planned}


def test_members_not_recorded_at_the_2024_forum(data: Queries) -> None:
    rows = data.run("members-not-recorded").rows
    # RCM members: BLZ CAN CRI DOM SLV GTM HND MEX NIC PAN USA; the II Forum names all but two.
    assert {r["stateCode"] for r in rows} == {"MEX", "NIC"}


def test_members_not_recorded_at_the_2017_working_meeting(data: Queries) -> None:
    rows = data.run("members-not-recorded", {"start": "2017-06-08"}).rows
    assert {r["stateCode"] for r in rows} == {
        "BLZ",
        "CAN",
        "CRI",
        "DOM",
        "GTM",
        "HND",
        "NIC",
        "USA",
    }


def test_commitments_due_before(data: Queries) -> None:
    rows = data.run("commitments-due-before").rows
    due = {(squash(r["text"]), r["due"]) for r in rows}
    # Agreement 9: "no later than 12 June"; agreement 12: Chile "no later than 20 June".
    assert any("no later than 12 june" in t and d == "2017-06-12" for t, d in due)
    assert any("chile shall submit" in t and d == "2017-06-20" for t, d in due)
    assert all(d is not None and d < "2017-07-01" for _, d in due)
    dates = [r["due"] or "" for r in rows]
    assert dates == sorted(dates)


def test_commitments_due_before_an_earlier_date(data: Queries) -> None:
    rows = data.run("commitments-due-before", {"before": "2017-06-15"}).rows
    texts = [squash(r["text"]) for r in rows]
    assert any("no later than 12 june" in t for t in texts)
    assert not any("chile shall submit" in t for t in texts)


def test_topics_raised_by_honduras(data: Queries) -> None:
    topics = {r["notation"] for r in data.run("topics-raised-by-state").rows}
    # "the topic of migrant smuggling and trafficking should be developed as an additional
    # item"; "the topic of extra-regional and extra-continental migrants be addressed".
    assert {"smuggling-of-migrants", "trafficking-in-persons", "extra-regional-migrants"} <= topics


def test_topics_raised_by_panama(data: Queries) -> None:
    topics = {r["notation"] for r in data.run("topics-raised-by-state", {"state": "PAN"}).rows}
    # "the importance of addressing the topic of extra-regional migration flows with the SACM"
    assert "extra-regional-migrants" in topics


def test_documents_on_smuggling_and_trafficking(data: Queries) -> None:
    stems = {stem_of(r["document"]) for r in data.run("documents-on-two-topics").rows}
    # 2017 report (smugglers and "trafficking in persons"), 2023 plenary ("trafficking in
    # persons and migrant smuggling networks"), 2023 forum ("migrant smuggling and human
    # trafficking"); the minutes and the 2024 communiqué speak of neither.
    assert stems == {TS_REPORT_2017, PLENARY_2023, FORUM_2023}


def test_principles_invoked(data: Queries) -> None:
    rows = data.run("principles-invoked").rows
    pairs = {(r["letter"], stem_of(r["document"])) for r in rows}
    assert {
        ("f", TS_REPORT_2017),  # "A human rights approach to enable the protection of migrants"
        ("c", TS_REPORT_2017),  # "national identity and national sovereignty"
        ("e", TS_REPORT_2017),  # "closely linked to the Sustainable Development Goals"
        ("f", PLENARY_2023),  # "full respect for the human rights of migrants"
        ("e", FORUM_2023),  # "its linkage with sustainable development"
        ("b", FORUM_2024),  # "to improve international cooperation on migration governance"
        ("e", FORUM_2024),  # "promotes sustainable development"
    } <= pairs
    assert ("c", PLENARY_2023) not in pairs and ("c", MINUTES_2017) not in pairs
    assert_quotes_match_the_documents(rows)


def assert_quotes_match_the_documents(rows: list[dict[str, str | None]]) -> None:
    """Every (document, start, end, quote) row points at exactly that text of the file."""
    corpus = bundled_corpus_dir()
    for r in rows:
        text = (corpus / f"{stem_of(r['document'])}.txt").read_text(encoding="utf-8")
        start, end = int(r["start"] or -1), int(r["end"] or -1)
        assert text[start:end] == r["quote"], r


def test_stated_counts(data: Queries) -> None:
    rows = data.run("stated-counts").rows
    counts = {(stem_of(r["document"]), r["what"], r["value"], r["qualifier"]) for r in rows}
    assert {
        (PLENARY_2023, "countries", "23", "exact"),  # "representatives from 23 countries"
        (FORUM_2023, "representatives", "82", "more-than"),  # "more than 82 representatives"
        (FORUM_2023, "countries", "17", "exact"),  # "from 17 countries"
    } <= counts


def test_hosts_of_meetings(data: Queries) -> None:
    hosts = {(r["stateCode"], r["start"]) for r in data.run("hosts-of-meetings").rows}
    # Panama's "hospitality" at the IV Plenary and the First Forum; El Salvador's "hospitality
    # in hosting this II Forum".
    assert {("PAN", "2023-08-23"), ("PAN", "2023-09-27"), ("SLV", "2024-09-25")} <= hosts
    assert {code for code, _ in hosts} <= {"PAN", "SLV", "USA"}


def test_listeners_and_observers(data: Queries) -> None:
    rows = data.run("listeners-and-observers").rows
    # "attended this forum as a member country of the RCM and as a listener"
    assert ("DOM", "listener", "2024-09-25") in {
        (r["actorCode"], r["role"], r["start"]) for r in rows
    }
    assert {r["actorCode"] for r in rows if r["role"] == "listener"} == {"DOM"}


def test_stance_dominican_republic_did_not_vote(data: Queries) -> None:
    rows = data.run("stances-on-the-gcm").rows
    # "The Dominican Republic did not participate in the vote of the Global Compact for Migration"
    assert ("DOM", "did-not-vote", FORUM_2024) in {
        (r["actorCode"], r["stance"], stem_of(r["document"])) for r in rows
    }


def test_stance_champion_countries(data: Queries) -> None:
    rows = data.run("stances-on-the-gcm").rows
    # Footnote 1 of the First Forum's communiqué: "GCM champion¹ countries" — "Azerbaijan,
    # Colombia, Nigeria,".
    champions = {r["actorCode"] for r in rows if r["stance"] == "champion"}
    assert {"AZE", "COL", "NGA"} <= champions


def test_requests_to_organizations(data: Queries) -> None:
    rows = data.run("requests-to-organizations").rows
    # Agreement 11: "the IOM is asked to continue its cooperation".
    assert any(
        r["actorCode"] == "IOM"
        and stem_of(r["document"]) == MINUTES_2017
        and "continue its cooperation" in squash(r["text"])
        for r in rows
    )


def test_meetings_in_panama(data: Queries) -> None:
    starts = {r["start"] for r in data.run("meetings-in-country").rows}
    assert starts == {"2017-06-08", "2023-08-23", "2023-09-27"}


def test_meetings_in_el_salvador(data: Queries) -> None:
    rows = data.run("meetings-in-country", {"country": "SLV"}).rows
    assert {(r["start"], squash(r["city"])) for r in rows} == {("2024-09-25", "san salvador")}


def test_joint_meetings_of_the_rcm_and_the_sacm(data: Queries) -> None:
    starts = {r["start"] for r in data.run("joint-meetings").rows}
    # The working meeting of 8 June 2017 and the IV Plenary of 23 August 2023; the forums were
    # the RCM's alone.
    assert {"2017-06-08", "2023-08-23"} <= starts
    assert not starts & {"2023-09-27", "2024-09-25"}


def test_proposals_at_the_2017_meetings(data: Queries) -> None:
    rows = data.run("proposals-by-year").rows
    codes = {r["actorCode"] for r in rows}
    # US requests on "slavery" and on extra-regional migrants; Mexico's suggestion on the 7
    # items; Guatemala on access to justice; the Dominican Republic on classifying themes;
    # Honduras on extra-continental migrants; UNHCR's roadmap; Panama on transit countries.
    assert {"USA", "MEX", "GTM", "DOM", "HND", "UNHCR", "PAN"} <= codes
    assert {r["kind"] for r in rows} <= {"proposed", "suggested", "requested", "recommended"}


def test_documents_on_objective_9(data: Queries) -> None:
    stems = {stem_of(r["document"]) for r in data.run("documents-on-objective").rows}
    assert stems == {TS_REPORT_2017, PLENARY_2023, FORUM_2023}


def test_documents_on_objective_4(data: Queries) -> None:
    rows = data.run("documents-on-objective", {"objective": "4"}).rows
    # Only the First Forum: "improve access to legal identity and proper documentation".
    assert {stem_of(r["document"]) for r in rows} == {FORUM_2023}


def test_events_in_geneva(data: Queries) -> None:
    rows = data.run("events-in-city").rows
    assert (MINUTES_2017, "2017-06-20") in {(stem_of(r["document"]), r["start"]) for r in rows}
    assert TS_REPORT_2017 in {stem_of(r["document"]) for r in rows}  # the Global RCP Meeting
    assert {stem_of(r["document"]) for r in rows} <= {TS_REPORT_2017, MINUTES_2017}


@pytest.mark.parametrize(
    ("code", "person", "title"),
    [
        ("IOM", "michele klein-solomon", "regional director"),
        ("UNHCR", "renata dubini", None),
        ("USA", "margaret pollack", None),
        ("MEX", "ramón ramírez", None),
    ],
)
def test_representatives_of_actor(data: Queries, code: str, person: str, title: str | None) -> None:
    rows = data.run("representatives-of-actor", {"code": code}).rows
    found = [r for r in rows if squash(r["name"]) == person]
    assert found, rows
    if title:
        assert title in squash(found[0]["title"])


def test_commitment_evidence_points_into_the_source_files(data: Queries) -> None:
    rows = data.run("commitment-evidence").rows
    corpus = bundled_corpus_dir()
    for r in rows:
        text = (corpus / (r["source"] or "")).read_text(encoding="utf-8")
        assert text[int(r["start"] or -1) : int(r["end"] or -1)] == r["quote"], r
        assert (r["method"] or "").startswith(("rule", "curated"))
    quotes = [squash(r["quote"]) for r in rows if stem_of(r["document"]) == MINUTES_2017]
    assert any("no later than 12 june" in q for q in quotes)


def test_statements_per_actor(data: Queries) -> None:
    rows = data.run("statements-per-actor").rows
    meetings = {
        r["meeting"] for r in data.run("meetings").rows if stem_of(r["document"]) == TS_REPORT_2017
    }
    at_2017 = [r for r in rows if r["meeting"] in meetings]
    # The United States speaks at least as often as anyone at the 2017 meeting (welcome, two
    # presentations, questions, requests, proposals); Mexico, with its written proposal, its
    # invitation and its proposal on climate change, as often in the build (the statements of
    # the US delegate Margaret Pollack are hers, not the state's).
    assert at_2017
    top = at_2017[0]["statements"]
    assert any(r["actorCode"] == "USA" and r["statements"] == top for r in at_2017)
    counts = [int(r["statements"] or 0) for r in at_2017]
    assert counts == sorted(counts, reverse=True)


def test_the_corpus_folder_is_the_one_tested() -> None:
    assert (bundled_corpus_dir() / f"{FORUM_2024}.txt").is_file()
    assert Path(bundled_corpus_dir()).name == "corpus"

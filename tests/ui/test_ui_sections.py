"""The readable sections of resource pages (issue 19): grouping, labels, quotes, titles.

The pure parts (``summary.build_section``, the title of an unlabelled fact) on hand-made rows;
the sections of a meeting, a state, a document and a commitment over real HTTP, on the session's
server of the UI tests.
"""

from __future__ import annotations

import re
from html import unescape

import httpx
from ui_fixtures import BASE

from rcm_graph.web.conneg import from_format_params
from rcm_graph.web.ui.rendering import Links
from rcm_graph.web.ui.resource_view import ResourceView
from rcm_graph.web.ui.sparql_client import Term
from rcm_graph.web.ui.summary import MEETING_SECTIONS, build_section

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
LINKS = Links(BASE)
PARTICIPANTS = MEETING_SECTIONS[0]


def iri(path: str) -> Term:
    return Term("uri", BASE + "id/" + path)


def lit(value: str) -> Term:
    return Term("literal", value)


def test_rows_group_by_participant_with_distinct_roles_and_numbered_quotes() -> None:
    doc = iri("document/d")
    rows = [
        {"actor": iri("state/PAN"), "actorLabel": lit("Panama"), "role": iri("role/host"),
         "roleLabel": lit("host"), "doc": doc, "start": lit("5"), "end": lit("9")},
        {"actor": iri("state/PAN"), "actorLabel": lit("Panamá"), "role": iri("role/host"),
         "roleLabel": lit("host"), "doc": doc, "start": lit("5"), "end": lit("9")},
        {"actor": iri("state/PAN"), "actorLabel": lit("Panama"), "role": iri("role/speaker"),
         "roleLabel": lit("speaker"), "doc": doc, "start": lit("20"), "end": lit("26")},
        {"actor": iri("org/x-y")},  # no label, no role, no quote
    ]  # fmt: skip
    section = build_section(PARTICIPANTS, rows, LINKS)
    assert len(section.rows) == 2
    (name, roles, quotes), (other, no_role, no_quote) = section.rows
    assert [(v.text, v.href) for v in name] == [("Panama", "/id/state/PAN")]
    assert [v.text for v in roles] == ["host", "speaker"]
    assert [(v.text, v.href) for v in quotes] == [
        ("quote 1", "/id/document/d?highlight=5-9#span-5-9"),
        ("quote 2", "/id/document/d?highlight=20-26#span-20-26"),
    ]
    assert [v.text for v in other] == ["x-y"]  # the IRI's last segment, never the whole IRI
    assert no_role == [] and no_quote == []


def test_unlabelled_fact_is_titled_by_its_text_shortened_at_a_word() -> None:
    text = "Panama will open a help desk for migrants " * 5
    view = ResourceView(BASE + "id/commitment/c1", None, None, [], [], [], [], False, text)
    assert view.title.endswith("…") and len(view.title) <= 141
    assert view.title.startswith("Panama will open a help desk")
    assert ResourceView(BASE + "id/commitment/c1", None, None, [], [], [], [], False).title == "c1"


def test_repeated_format_values_agree_when_they_name_one_type() -> None:
    offered = ["application/ld+json", "text/turtle"]
    both = ["json-ld", "application/ld+json,application/x-json+ld", ""]
    assert from_format_params(both, offered, graph=True) == ["application/ld+json"]
    assert from_format_params(["n3"], offered, graph=True) == ["text/turtle"]
    assert len(from_format_params(["ttl", "jsonld"], offered, graph=True)) == 2


def sections(client: httpx.Client, path: str) -> dict[str, str]:
    """Section id -> its text, of the HTML page at ``path``."""
    html = client.get(path, headers={"Accept": BROWSER}).text
    found = re.findall(r'<section class="panel summary" id="(\w+)">(.*?)</section>', html, re.S)
    return {key: unescape(re.sub(r"<[^>]+>", " ", body)) for key, body in found}


def test_meeting_state_document_and_commitment_pages_have_their_sections(
    client: httpx.Client,
) -> None:
    meeting = sections(client, "/id/meeting/2031-03-12-plenary-meeting-9")
    assert {"participants", "commitments", "documents"} <= set(meeting)
    assert "Costa Rica" in meeting["participants"] and "host" in meeting["participants"]
    assert "help desk" in meeting["commitments"] and "2032-06-30" in meeting["commitments"]
    assert "Communiqué <b>bold</b>" in meeting["documents"]  # the title, as text
    # and the property table below names participations by participant and role
    html = client.get("/id/meeting/2031-03-12-plenary-meeting-9", headers={"Accept": BROWSER})
    assert "Costa Rica (host)</a>" in html.text and "Panama (participant)</a>" in html.text

    state = sections(client, "/id/state/PAN")
    assert "Ninth Plenary Meeting" in state["meetings"]
    assert "Tenth Plenary Meeting" in state["meetings"]
    assert "help desk" in state["commitments"]

    document = sections(client, "/id/document/hostile-communique")
    assert "Ninth Plenary Meeting" in document["meetings"]
    assert "Panama" in document["participants"] and "help desk" in document["commitments"]

    commitment_path = "/id/commitment/hostile-communique-c1"
    page = client.get(commitment_path, headers={"Accept": BROWSER}).text
    assert "<h1>Panama will open a help desk for migrants by 30 June 2032</h1>" in page
    record = sections(client, commitment_path)["commitment"]
    for expected in ("Responsible", "Panama", "Due", "2032-06-30", "Adopted at", "quote"):
        assert expected in record


def section_html(client: httpx.Client, path: str) -> dict[str, str]:
    """Section id -> its HTML, of the page at ``path``."""
    html = client.get(path, headers={"Accept": BROWSER}).text
    found = re.findall(r'<section class="panel summary" id="(\w+)">(.*?)</section>', html, re.S)
    return dict(found)


def _text(fragment: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def table_rows(section: str) -> list[dict[str, str]]:
    """The rows of a section's table, each as header -> the cell's text."""
    headers = [_text(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", section, re.S)]
    body = section.split("<tbody>", 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        dict(zip(headers, [_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)],
                 strict=True))
        for row in rows
    ]  # fmt: skip


def record(section: str) -> dict[str, str]:
    """A record section (a definition list) as term -> its text."""
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", section, re.S)
    return {_text(term): _text(value) for term, value in pairs}


TENTH = "/id/meeting/2032-04-04-plenary-meeting-10"


def test_meeting_page_shows_statements_persons_and_stated_counts(client: httpx.Client) -> None:
    found = section_html(client, TENTH)
    assert list(found) == [
        "participants", "commitments", "statements", "persons", "counts", "documents"
    ]  # fmt: skip
    statements = table_rows(found["statements"])
    assert [(s["By"], s["Kind"], s["Evidence"]) for s in statements] == [
        ("Ana María Ejemplo", "proposed", "quote"),
        ("International Organization for Migration", "expressed concern", "quote"),
    ]
    assert statements[0]["Statement"].startswith("Ambassador Ana María Ejemplo, of the")
    assert "rising number of missing migrants" in statements[1]["Statement"]
    assert table_rows(found["persons"]) == [
        {
            "Person": "Ana María Ejemplo",
            "Title": "Ambassador",
            "Affiliation": "International Organization for Migration",
            "Evidence": "quote",
        }
    ]
    counts = table_rows(found["counts"])
    assert sorted((c["Count"], c["Of"], c["Qualifier"]) for c in counts) == [
        ("17", "countries", "exactly"),
        ("82", "representatives", "more than"),
    ]
    assert all(c["Evidence"] == "quote" for c in counts)
    spanish = table_rows(section_html(client, TENTH + "?lang=es")["counts"])
    assert sorted(tuple(c.values())[:3] for c in spanish) == [
        ("17", "países", "exactamente"),
        ("82", "representantes", "más de"),
    ]
    # each quote opens the document at the quoted characters
    quote = re.search(r'class="quote-link"', found["counts"])
    assert quote is not None and "/id/document/tenth-plenary-minutes?highlight=" in found["counts"]


def test_organization_and_person_pages_have_their_sections(client: httpx.Client) -> None:
    org = section_html(client, "/id/org/iom")
    assert list(org) == ["statements"]  # it took part in no meeting and is responsible for none
    assert [(s["Kind"], s["Evidence"]) for s in table_rows(org["statements"])] == [
        ("expressed concern", "quote")
    ]
    person = section_html(client, "/id/person/ana-maria-ejemplo")
    assert list(person) == ["statements"]
    (made,) = table_rows(person["statements"])
    assert made["Kind"] == "proposed" and "a regional fund" in made["Statement"]
    state = section_html(client, "/id/state/CRI")
    assert list(state) == ["meetings", "commitments"]
    assert {m["Role"] for m in table_rows(state["meetings"])} == {"host", "participant"}
    for path in ("/id/org/iom", "/id/person/ana-maria-ejemplo"):  # the property table stays
        page = client.get(path, headers={"Accept": BROWSER}).text
        assert page.index('id="statements"') < page.index('<table class="props"')


def test_commitment_kind_is_shown_on_its_page_and_the_meeting_page(client: httpx.Client) -> None:
    agreement = record(section_html(client, "/id/commitment/hostile-communique-c1")["commitment"])
    assert agreement["Kind"] == "agreement"
    long_one = record(section_html(client, "/id/commitment/tenth-plenary-minutes-c1")["commitment"])
    assert long_one["Kind"] == "commitment"
    assert long_one["Responsible"] == "Costa Rica" and long_one["Due"] == "2033-01-31"
    (adopted,) = table_rows(section_html(client, TENTH)["commitments"])
    assert (adopted["Kind"], adopted["Responsible"], adopted["Due"]) == (
        "commitment", "Costa Rica", "2033-01-31"
    )  # fmt: skip
    assert adopted["Commitment"].endswith("by 31 January 2033")

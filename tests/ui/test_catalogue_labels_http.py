"""``/queries`` (HTML and JSON), named query pages and texts, ``/labels`` and ``/search``,
against the real server of the UI tests."""

from __future__ import annotations

import httpx
import pytest

from rcm_graph.query.catalogue import load_catalogue

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
STATE = "https://w3id.org/rcm-graph/id/state/"


@pytest.mark.parametrize("path", ["/queries", "/queries/"])
def test_catalogue_index_as_json(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    data = response.json()
    names = [q["name"] for q in data["queries"]]
    assert names == load_catalogue().names()
    forum = next(q for q in data["queries"] if q["name"] == "states-at-each-forum")
    assert forum["parameters"] == [
        {
            "name": "meetingType",
            "type": "notation",
            "default": "forum-of-champion-countries",
            "required": False,
            "description": "notation of the meeting type",
            "expects": "a concept notation (host, report …), bound as a plain literal",
            "input": {"type": "text", "pattern": "[a-z0-9]+(-[a-z0-9]+)*"},
        }
    ]
    assert forum["href"] == "/queries/states-at-each-forum"
    assert "date" in data["parameterTypes"]


def test_catalogue_index_as_html(client: httpx.Client) -> None:
    response = client.get("/queries", headers=HTML)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"]
    assert 'href="/queries/commitments-due-before"' in response.text
    assert '<code>before</code> <span class="datatype">date</span>' in response.text
    assert client.get("/queries", headers=HTML, params={"format": "json"}).json()["queries"]


def test_query_text_has_the_parameters_bound(client: httpx.Client) -> None:
    response = client.get("/queries/meetings-in-country.rq", params={"country": "cri"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-query")
    assert 'VALUES (?country) { ("CRI") }' in response.text
    bad = client.get("/queries/meetings-in-country.rq", params={"country": "C'); DROP"})
    assert bad.status_code == 400
    assert "ISO 3166-1 alpha-3" in bad.json()["error"]["detail"]


def test_named_query_page_has_typed_fields_and_rows(client: httpx.Client) -> None:
    page = client.get("/queries/commitments-due-before", headers=HTML)
    assert page.status_code == 200
    assert 'id="param-before" name="before" value="2017-07-01" type="date"' in page.text
    assert "No rows." in page.text  # nothing was due before 2017 in the test data
    later = client.get(
        "/queries/commitments-due-before", params={"before": "2033-01-01"}, headers=HTML
    )
    assert "Panama will open a help desk for migrants" in later.text
    assert 'href="/id/commitment/hostile-communique-c1"' in later.text
    # the document's title is its label: shown beside its IRI, as text
    assert "Communiqué &lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;co&lt;/i&gt;" in later.text
    assert "<b>bold</b>" not in later.text
    assert "format=csv" in later.text and "before=2033-01-01" in later.text
    # programs still get CSV from the same URL
    csv = client.get("/queries/commitments-due-before", params={"before": "2033-01-01"})
    assert csv.headers["content-type"].startswith("text/csv")


def test_named_query_page_shows_a_bad_value_next_to_the_form(client: httpx.Client) -> None:
    page = client.get(
        "/queries/commitments-due-before", params={"before": "2017-02-30"}, headers=HTML
    )
    assert page.status_code == 400
    assert page.headers["content-type"].startswith("text/html")
    assert "a real calendar date written YYYY-MM-DD" in page.text
    assert 'value="2017-02-30"' in page.text  # the form keeps what was typed


def test_labels_in_both_languages(client: httpx.Client) -> None:
    response = client.get(
        "/labels",
        params=[
            ("iri", STATE + "MEX"),
            ("iri", STATE + "USA"),
            ("iri", "not an iri"),
            ("iri", "http://[bad"),  # refused by the engine's IRI parser: skipped, not a 400
        ],
    )
    assert response.status_code == 200
    labels = response.json()["labels"]
    assert labels[STATE + "MEX"] == {"en": "Mexico", "es": "México"}
    assert labels[STATE + "USA"]["es"] == "Estados Unidos"
    assert set(labels) == {STATE + "MEX", STATE + "USA"}
    posted = client.post("/labels", json={"iris": [STATE + "PAN"]})
    assert posted.json()["labels"][STATE + "PAN"]["es"] == "Panamá"


def test_labels_refuse_more_than_a_page(client: httpx.Client) -> None:
    response = client.post("/labels", json={"iris": [f"{STATE}X{i}" for i in range(501)]})
    assert response.status_code == 400
    assert "at most 500" in response.json()["error"]["detail"]
    assert client.post("/labels", content=b"[1, 2]").status_code == 400


@pytest.mark.parametrize(
    ("q", "first"),
    [("méx", "MEX"), ("MEXICO", "MEX"), ("estados un", "USA"), ("panama", "PAN")],
)
def test_search_ignores_case_and_accents(client: httpx.Client, q: str, first: str) -> None:
    results = client.get("/search", params={"q": q}).json()["results"]
    assert results[0]["iri"] == STATE + first
    assert results[0]["href"] == "/id/state/" + first
    assert results[0]["kind"] == "state"


IOM = "https://w3id.org/rcm-graph/id/org/iom"


@pytest.mark.parametrize(
    ("q", "label", "lang"),
    [
        ("International Organization for Mig", "International Organization for Migration", "en"),
        ("organizacion internacional para las", "Organización Internacional para las Migraciones",
         "es"),
        ("IOM", "International Organization for Migration (IOM)", "en"),
        ("oim", "Organización Internacional para las Migraciones (OIM)", "es"),
    ],
)  # fmt: skip
def test_search_finds_an_organization_by_name_and_acronym_in_both_languages(
    client: httpx.Client, q: str, label: str, lang: str
) -> None:
    results = client.get("/search", params={"q": q}).json()["results"]
    assert results[0]["iri"] == IOM, results
    assert results[0]["href"] == "/id/org/iom"
    assert (results[0]["label"], results[0]["lang"]) == (label, lang)
    assert (results[0]["kind"], results[0]["kindLabel"]) == ("org", "organization")
    assert [r["iri"] for r in results].count(IOM) == 1  # one hit per thing


def test_search_finds_a_person_by_name_without_accents(client: httpx.Client) -> None:
    for q in ("Ana María", "ana maria", "ejemplo"):
        results = client.get("/search", params={"q": q}).json()["results"]
        assert [(r["label"], r["href"], r["kind"]) for r in results] == [
            ("Ana María Ejemplo", "/id/person/ana-maria-ejemplo", "person")
        ], q
    only = client.get("/search", params={"q": "a", "kind": "person", "limit": "50"}).json()
    assert [r["href"] for r in only["results"]] == ["/id/person/ana-maria-ejemplo"]


def test_search_page_lists_an_organization_and_a_person(client: httpx.Client) -> None:
    org = client.get("/search", params={"q": "OIM"}, headers=HTML).text
    assert 'href="/id/org/iom">Organización Internacional para las Migraciones (OIM)</a>' in org
    person = client.get("/search", params={"q": "ana maria"}, headers=HTML).text
    assert 'href="/id/person/ana-maria-ejemplo">Ana María Ejemplo</a>' in person


def test_search_finds_meetings_and_objectives_and_is_bounded(client: httpx.Client) -> None:
    meeting = client.get("/search", params={"q": "ninth plen"}).json()["results"]
    assert [r["label"] for r in meeting] == ["Ninth Plenary Meeting"]
    objective = client.get("/search", params={"q": "servicios básicos", "kind": "objective"})
    assert objective.json()["results"][0]["href"] == "/id/objective/15"
    many = client.get("/search", params={"q": "a", "limit": "5"}).json()["results"]
    assert len(many) == 5
    assert client.get("/search", params={"q": "a", "limit": "51"}).status_code == 400
    assert client.get("/search", params={"q": "x" * 101}).status_code == 400
    assert client.get("/search", params={"q": "a", "kind": "planet"}).status_code == 400
    assert client.get("/search", params={"q": ""}).json()["results"] == []


def test_search_page_for_browsers(client: httpx.Client) -> None:
    response = client.get("/search", params={"q": "costa"}, headers=HTML)
    assert response.status_code == 200
    assert 'href="/id/state/CRI"' in response.text
    assert 'id="site-search"' in response.text  # the header's box is on every page

"""``/queries/{name}``: named queries of the catalogue, parameters bound safely, CSV and JSON."""

from __future__ import annotations

import httpx
import pytest
from endpoint_support import EX, error_of, media_type, parse_graph, parse_solutions

from rcm_graph.query.catalogue import load_catalogue

MEETING = f"{EX}id/meeting/2019-11-07-vice-ministerial-24"


def rows(response: httpx.Response) -> list[dict[str, str]]:
    parsed = parse_solutions(response)
    assert not isinstance(parsed, bool)
    return parsed[1]


def test_csv_by_default_and_json_on_request(client: httpx.Client) -> None:
    csv_response = client.get("/queries/meetings-in-country", params={"country": "PAN"})
    assert csv_response.status_code == 200
    assert media_type(csv_response) == "text/csv"
    csv_rows = rows(csv_response)
    assert [(r["meeting"], r["city"], r["start"]) for r in csv_rows] == [
        (MEETING, "Panama City", "2019-11-07")
    ]
    json_response = client.get(
        "/queries/meetings-in-country", params={"country": "PAN", "format": "json"}
    )
    assert media_type(json_response) == "application/sparql-results+json"
    assert rows(json_response) == csv_rows
    by_accept = client.get(
        "/queries/meetings-in-country",
        params={"country": "pan"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert rows(by_accept) == csv_rows


def test_same_rows_as_the_bound_query_on_sparql(client: httpx.Client) -> None:
    """The route runs exactly the catalogue's query with the value bound as a term."""
    bound = load_catalogue().get("meetings-in-country").bind({"country": "PAN"})
    direct = client.get("/sparql", params={"query": bound, "format": "json"})
    named = client.get("/queries/meetings-in-country", params={"country": "PAN", "format": "json"})
    assert rows(named) == rows(direct)
    other = client.get("/queries/meetings-in-country", params={"country": "MEX"})
    assert rows(other) == []


def test_default_parameter_value(client: httpx.Client) -> None:
    response = client.get("/queries/meetings-in-country", params={"format": "json"})
    assert [r["meeting"] for r in rows(response)] == [MEETING]  # default country PAN


@pytest.mark.parametrize(
    "params",
    [
        {"country": 'PAN") } INSERT DATA { <urn:x> <urn:y> <urn:z> } #'},
        {"country": "PANAMA"},
        {"nosuchparam": "1"},
        {"country": "PAN", "format": "ttl"},
    ],
)
def test_bad_parameters_are_400(client: httpx.Client, params: dict[str, str]) -> None:
    response = client.get("/queries/meetings-in-country", params=params)
    assert response.status_code == 400
    error_of(response)


def test_repeated_parameter_is_400(client: httpx.Client) -> None:
    response = client.get(
        "/queries/meetings-in-country", params=[("country", "PAN"), ("country", "MEX")]
    )
    assert response.status_code == 400
    error_of(response)


def test_unknown_query_is_404_naming_the_known_ones(client: httpx.Client) -> None:
    response = client.get("/queries/no-such-query")
    assert response.status_code == 404
    assert "meetings-in-country" in str(error_of(response)["hint"])


def test_every_catalogue_query_runs(client: httpx.Client) -> None:
    """Each named query with its defaults parses and runs on the endpoint (rows vary by data)."""
    catalogue = load_catalogue()
    for query in catalogue:
        if any(p.required for p in query.parameters):
            continue
        response = client.get(f"/queries/{query.name}", params={"format": "json"})
        assert response.status_code == 200, (query.name, response.text)
        if media_type(response).startswith("application/sparql-results"):
            parse_solutions(response)
        else:
            parse_graph(response)

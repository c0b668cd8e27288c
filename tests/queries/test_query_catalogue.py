"""The catalogue reader: headers, errors that name file:line, and safe parameter binding.

Binding is tested by running the bound text on a real pyoxigraph store: an injection attempt
must come back as one literal that matches nothing (or exactly itself), never as SPARQL.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from rcm_graph.errors import QueryError
from rcm_graph.query.catalogue import (
    CANONICAL_VIEWS,
    HTML_INPUTS,
    PARAMETER_TYPES,
    load_catalogue,
    load_query,
    where_group_start,
)

EX = "http://example.org/"

LABELS = """
# title: Which things have a given label?
# description: Things whose label is ?label,
#   one row per thing.
# param: label string default="a thing" — the exact label
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?thing WHERE {
  ?thing rdfs:label ?l .  # a comment with a { brace
  FILTER(STR(?l) = ?label)
}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.rq"
    path.write_text(text.lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture()
def store() -> ox.Store:
    s = ox.Store()
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    for local, text in [("a", "a thing"), ("b", 'tricky ") } #'), ("c", "other")]:
        s.add(ox.Quad(ox.NamedNode(EX + local), label, ox.Literal(text)))
    return s


def rows(store: ox.Store, sparql: str) -> list[str]:
    return sorted(str(sol["thing"].value) for sol in store.query(sparql))


def test_header_fields_and_parameters(tmp_path: Path) -> None:
    query = load_query(write(tmp_path, "labels", LABELS))
    assert query.name == "labels"
    assert query.title == "Which things have a given label?"
    assert query.description == "Things whose label is ?label, one row per thing."
    [param] = query.parameters
    assert (param.name, param.type, param.default, param.line) == ("label", "string", "a thing", 4)
    assert param.description == "the exact label"


def test_catalogue_lists_and_gets_by_name(tmp_path: Path) -> None:
    write(tmp_path, "labels", LABELS)
    write(tmp_path, "all", "# title: Everything\nSELECT * WHERE { ?s ?p ?o }\n")
    (tmp_path / "notes.txt").write_text("not a query", encoding="utf-8")
    catalogue = load_catalogue(tmp_path)
    assert catalogue.names() == ["all", "labels"]
    assert catalogue.get("all").title == "Everything"
    with pytest.raises(QueryError) as err:
        catalogue.get("nothing")
    assert "all, labels" in err.value.one_line()


def test_default_is_bound_and_values_override(tmp_path: Path, store: ox.Store) -> None:
    query = load_query(write(tmp_path, "labels", LABELS))
    assert rows(store, query.bind({})) == [EX + "a"]
    assert rows(store, query.bind({"label": "other"})) == [EX + "c"]


@pytest.mark.parametrize(
    "attack",
    [
        'x" ) } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o . FILTER("1',
        "x' } UNION { ?thing ?p ?o } #",
        'tricky ") } #',
        '\\" } UNION { ?thing ?p ?o } #',
        "line\nbreak } UNION { ?thing ?p ?o",
    ],
)
def test_string_injection_stays_one_literal(tmp_path: Path, store: ox.Store, attack: str) -> None:
    query = load_query(write(tmp_path, "labels", LABELS))
    bound = query.bind({"label": attack})
    found = rows(store, bound)  # parses and runs: the value never became SPARQL
    assert found == ([EX + "b"] if attack == 'tricky ") } #' else [])


@pytest.mark.parametrize(
    "value", ["http://x/> } UNION { ?s ?p ?o", "file:///etc/passwd", "not an iri", "http://a b"]
)
def test_iri_parameter_refuses_what_is_not_an_iri(tmp_path: Path, value: str) -> None:
    text = "# title: T\n# param: thing iri — a thing\nSELECT * WHERE { ?thing ?p ?o }\n"
    query = load_query(write(tmp_path, "t", text))
    with pytest.raises(QueryError) as err:
        query.bind({"thing": value})
    assert "thing" in err.value.one_line()


def test_iri_parameter_binds_an_iri(tmp_path: Path, store: ox.Store) -> None:
    text = "# title: T\n# param: thing iri\nSELECT ?thing WHERE { ?thing ?p ?o }\n"
    query = load_query(write(tmp_path, "t", text))
    assert rows(store, query.bind({"thing": EX + "c"})) == [EX + "c"]


@pytest.mark.parametrize(
    ("type_", "good", "term", "bad"),
    [
        (
            "date",
            "2017-06-08",
            '"2017-06-08"^^<http://www.w3.org/2001/XMLSchema#date>',
            "2017-02-30",
        ),
        ("integer", "42", '"42"^^<http://www.w3.org/2001/XMLSchema#integer>', "4 2"),
        ("year", "2017", '"2017"^^<http://www.w3.org/2001/XMLSchema#integer>', "17"),
        ("iso3", "pan", '"PAN"', "PANA"),
        ("objective", "9", '"9"^^<http://www.w3.org/2001/XMLSchema#integer>', "24"),
        ("principle", "F", '"f"', "k"),
        ("topic", "smuggling-of-migrants", '"smuggling-of-migrants"', 'Smuggling" }'),
        ("acronym", "IOM", '"IOM"', "I O M"),
    ],
)
def test_typed_values_are_checked_and_typed(
    tmp_path: Path, type_: str, good: str, term: str, bad: str
) -> None:
    text = f"# title: T\n# param: v {type_}\nSELECT ?v WHERE {{ }}\n"
    query = load_query(write(tmp_path, "t", text))
    assert f"VALUES (?v) {{ ({term}) }}" in query.bind({"v": good})
    with pytest.raises(QueryError) as err:
        query.bind({"v": bad})
    assert err.value.hint and "v" in err.value.what
    result = list(ox.Store().query(query.bind({"v": good})))
    assert str(result[0]["v"]) == term


def test_every_declared_type_has_a_validator() -> None:
    assert {"iri", "string", "date", "integer", "iso3", "objective"} <= set(PARAMETER_TYPES)


def test_every_type_has_a_form_field_that_accepts_the_shipped_defaults() -> None:
    """A form pre-filled with a default the browser's pattern refuses could not be sent."""
    assert set(HTML_INPUTS) == set(PARAMETER_TYPES)
    for query in load_catalogue():
        for p in query.parameters:
            field = p.as_json()["input"]
            assert isinstance(field, dict) and field == p.html_input
            if p.default is not None and "pattern" in field:
                assert re.fullmatch(field["pattern"], p.default), (query.name, p.name)
            if p.default is not None and field["type"] == "number":
                low, high = float(field.get("min", "-inf")), float(field.get("max", "inf"))
                assert low <= int(p.default) <= high, (query.name, p.name)


def test_unknown_and_missing_parameters_are_query_errors(tmp_path: Path) -> None:
    text = "# title: T\n# param: v date — needed\nSELECT ?v WHERE { }\n"
    query = load_query(write(tmp_path, "t", text))
    with pytest.raises(QueryError, match="needs a value"):
        query.bind({})
    with pytest.raises(QueryError) as err:
        query.bind({"v": "2020-01-01", "w": "x"})
    assert "no parameter 'w'" in err.value.what and err.value.hint == "known parameters: v"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("# title: T\n# titel: oops\nSELECT * WHERE { }\n", 2, "unknown header field"),
        ("# title: T\n# param: v colour\nSELECT ?v WHERE { }\n", 2, "unknown parameter type"),
        ("# title: T\n# param: 9v\nSELECT * WHERE { }\n", 2, "malformed parameter"),
        ("# title: T\n# param: v date default=tomorrow\nSELECT ?v WHERE { }\n", 2, "v"),
        ("# title: T\n#\n# param: v date\nSELECT * WHERE { ?s ?p ?o }\n", 3, "never uses ?v"),
        ("# title: T\n# param: v date\n# param: v date\nSELECT ?v WHERE { }\n", 3, "twice"),
        ("# description: no title\nSELECT * WHERE { }\n", 1, "no '# title:'"),
        ("# title: T\n# a stray comment\nSELECT * WHERE { }\n", 2, "header comment"),
        ("# title: T\n# title: U\nSELECT * WHERE { }\n", 2, "second"),
    ],
)
def test_malformed_headers_name_file_and_line(
    tmp_path: Path, text: str, line: int, fragment: str
) -> None:
    path = write(tmp_path, "bad", text)
    with pytest.raises(QueryError) as err:
        load_catalogue(tmp_path)
    assert err.value.where == f"{path}:{line}"
    assert fragment in err.value.one_line()


def test_a_variable_inside_a_string_does_not_count_as_use(tmp_path: Path) -> None:
    text = '# title: T\n# param: v string\nSELECT * WHERE { ?s ?p "?v" }\n'
    with pytest.raises(QueryError, match="never uses"):
        load_query(write(tmp_path, "t", text))


@pytest.mark.parametrize(
    ("sparql", "marker"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "WHERE {"),
        ("SELECT * { ?s ?p ?o }", "* {"),
        ("ASK { ?s ?p ?o }", "ASK {"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "WHERE {"),
        ('PREFIX x: <http://e/{a}> SELECT ("{" AS ?b) WHERE { ?s ?p ?o }', "WHERE {"),
        ("SELECT * # WHERE {\nWHERE { ?s ?p ?o }", "\nWHERE {"),
    ],
)
def test_where_group_is_found_outside_strings_iris_and_comments(sparql: str, marker: str) -> None:
    assert where_group_start(sparql) == sparql.index(marker) + len(marker)


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="does not exist"):
        load_catalogue(tmp_path / "nope")


def test_canonical_view_names_are_the_contract() -> None:
    assert CANONICAL_VIEWS == (
        "documents",
        "meetings",
        "events",
        "participants",
        "persons",
        "statements",
        "commitments",
        "objectives",
    )

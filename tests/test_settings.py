"""Settings precedence (flags > environment > defaults), validation and provenance."""

from __future__ import annotations

from pathlib import Path

import pytest

from rcm_graph.errors import ConfigError
from rcm_graph.settings import Settings, load_settings


def test_defaults() -> None:
    s = load_settings({}, {})
    assert s == Settings()
    assert s.base_iri == "https://w3id.org/rcm-graph/"
    assert (s.host, s.port, s.query_timeout_s) == ("127.0.0.1", 8000, 30.0)
    assert all(source == "default" for _, _, source in s.describe())


def test_environment_overrides_default() -> None:
    s = load_settings({}, {"RCM_GRAPH_QUERY_TIMEOUT_S": "2.5", "RCM_GRAPH_DATA_DIR": "x"})
    assert s.query_timeout_s == 2.5
    assert s.data_dir == Path("x")
    assert s.sources["query_timeout_s"] == "environment RCM_GRAPH_QUERY_TIMEOUT_S"


def test_flag_overrides_environment() -> None:
    s = load_settings({"port": "9001"}, {"RCM_GRAPH_PORT": "9000"})
    assert s.port == 9001
    assert s.sources["port"] == "flag --port"


def test_none_flag_means_not_given() -> None:
    s = load_settings({"port": None}, {"RCM_GRAPH_PORT": "9000"})
    assert s.port == 9000


def test_base_iri_gets_trailing_slash() -> None:
    assert load_settings({"base_iri": "https://example.org/kg"}, {}).base_iri == (
        "https://example.org/kg/"
    )


def test_cors_origins_list() -> None:
    s = load_settings({}, {"RCM_GRAPH_CORS_ORIGINS": "https://a.org, https://b.org"})
    assert s.cors_origins == ("https://a.org", "https://b.org")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("RCM_GRAPH_PORT", "eighty"),
        ("RCM_GRAPH_PORT", "70000"),
        ("RCM_GRAPH_QUERY_TIMEOUT_S", "0"),
        ("RCM_GRAPH_MAX_RESULT_ROWS", "-3"),
        ("RCM_GRAPH_BASE_IRI", "ftp://x/"),
        ("RCM_GRAPH_DEBUG", "maybe"),
    ],
)
def test_bad_values_name_the_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings({}, {variable: value})
    assert info.value.where == variable
    assert value in info.value.one_line()


def test_secret_is_masked() -> None:
    rows = dict((n, v) for n, v, _ in load_settings({}, {"RCM_GRAPH_WRITE_TOKEN": "s3"}).describe())
    assert rows["write_token"] == "***"

"""One typed settings object, built once at the edge (CLI or app factory) and passed down.

Precedence: command-line flags > ``RCM_GRAPH_*`` environment variables > a TOML configuration
file > defaults. Every value remembers where it came from so that ``rcm-graph settings`` can say
so. Nothing else in the package reads ``os.environ``.

The configuration file has one flat key per setting, named as the setting (``port = 8000``,
``query_timeout_s = 5``): the names a user sees in ``rcm-graph settings`` and, upper-cased, in
the environment variables. WHY flat and not tables (``[server]``): a setting such as
``data_dir`` or ``base_iri`` is shared by build, query and serve, so any grouping would be
arbitrary, and one name per setting everywhere is easier to look up and to search for.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rcm_graph.errors import ConfigError

ENV_PREFIX = "RCM_GRAPH_"
DEFAULT_BASE_IRI = "https://w3id.org/rcm-graph/"


@dataclass(frozen=True)
class Settings:
    """Effective configuration of one run. Build it with :func:`load_settings`."""

    data_dir: Path = Path("data")
    corpus: Path | None = None  # None: the bundled corpus
    curation: Path | None = None  # None: <corpus>/curation if it exists
    base_iri: str = DEFAULT_BASE_IRI
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout_s: float = 30.0
    max_result_rows: int = 100_000
    max_request_bytes: int = 1_000_000
    cors_origins: tuple[str, ...] = ("*",)
    query_workers: int = 2
    query_fast_workers: int = 6
    query_long_cpu_s: float = 0.25
    query_cache_mb: int = 64
    query_store: str = "auto"
    write_token: str | None = None
    remote_endpoint: str | None = None
    service_allowlist: tuple[str, ...] = ()
    reasoner: str = "rules"
    validator: str = "turbo"
    debug: bool = False
    build_workers: int = field(default_factory=lambda: default_build_workers())
    document_max_bytes: int = 50_000_000
    document_timeout_s: float = 300.0
    request_read_timeout_s: float = 30.0
    log_format: str = "text"
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)

    def describe(self) -> list[tuple[str, str, str]]:
        """(name, value, source) for every setting, secrets masked."""
        rows = []
        for f in dataclasses.fields(self):
            if f.name == "sources":
                continue
            value = getattr(self, f.name)
            if f.name == "write_token" and value:
                shown = "***"
            elif isinstance(value, tuple):
                shown = ",".join(value)
            elif value is None:
                shown = "(unset)"
            else:
                shown = str(value)
            rows.append((f.name, shown, self.sources.get(f.name, "default")))
        return rows


def _parse_bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError("expected true or false (also 1/0, yes/no, on/off)")


def _parse_origins(raw: str) -> tuple[str, ...]:
    return tuple(o.strip() for o in raw.split(",") if o.strip())


def _number(raw: str, convert: Callable[[str], Any], expected: str) -> Any:
    """``convert(raw)`` or a ValueError that says what is expected. WHY: Python's own message
    ("invalid literal for int() with base 10") names neither the setting nor the fix."""
    try:
        value = convert(raw.strip())
    except ValueError:
        raise ValueError(f"expected {expected}") from None
    return value


def _parse_positive_float(raw: str) -> float:
    expected = "a number greater than 0"
    value: float = _number(raw, float, expected)
    if not value > 0:
        raise ValueError(f"expected {expected}")
    return value


def _parse_positive_int(raw: str) -> int:
    expected = "a whole number greater than 0"
    value: int = _number(raw, int, expected)
    if value <= 0:
        raise ValueError(f"expected {expected}")
    return value


def _parse_non_negative_int(raw: str) -> int:
    expected = "a whole number, 0 or more"
    value: int = _number(raw, int, expected)
    if value < 0:
        raise ValueError(f"expected {expected}")
    return value


def default_build_workers() -> int:
    """Processes a build uses for per-document work: the CPUs, at most 4 (each worker holds
    the ontology, reference data and shapes, about 200 MiB)."""
    return max(1, min(os.cpu_count() or 1, 4))


def _parse_reasoner(raw: str) -> str:
    """OWL 2 RL engine of the build: compiled rules (default; owlrl where they cannot be exact)
    or owlrl for every document."""
    value = raw.strip().lower()
    if value not in ("rules", "owlrl"):
        raise ValueError("must be 'rules' or 'owlrl'")
    return value


def _parse_query_store(raw: str) -> str:
    """Where query workers read the dataset: a copy in memory, the build's on-disk store, or
    ``auto`` (memory for small datasets, disk past a size; see ``rcm_graph.query.local.builds``)."""
    value = raw.strip().lower()
    if value not in ("auto", "memory", "disk"):
        raise ValueError("must be 'auto', 'memory' or 'disk'")
    return value


def _parse_validator(raw: str) -> str:
    """SHACL engine of the build: pyshacl-turbo (default) or pyshacl."""
    value = raw.strip().lower()
    if value not in ("turbo", "pyshacl"):
        raise ValueError("must be 'turbo' or 'pyshacl'")
    return value


def _parse_log_format(raw: str) -> str:
    """Every log line as text, or as one JSON object (see ``rcm_graph.cli.logs``)."""
    value = raw.strip().lower()
    if value not in ("text", "json"):
        raise ValueError("must be 'text' or 'json'")
    return value


def _parse_port(raw: str) -> int:
    expected = "a port number from 0 to 65535"
    value: int = _number(raw, int, expected)
    if not 0 <= value <= 65535:
        raise ValueError(f"expected {expected}")
    return value


def _parse_base_iri(raw: str) -> str:
    if not raw.startswith(("http://", "https://")):
        raise ValueError("must be an http(s) IRI")
    return raw if raw.endswith("/") else raw + "/"


def _parse_service_allowlist(raw: str) -> tuple[str, ...]:
    """Comma-separated absolute http(s) IRIs of SPARQL endpoints that SERVICE may call."""
    iris = tuple(item.strip() for item in raw.split(",") if item.strip())
    for iri in iris:
        scheme, _, rest = iri.partition("://")
        if scheme not in ("http", "https") or not rest or rest.startswith("/"):
            raise ValueError(f"{iri!r} is not an absolute http(s) IRI")
        if any(c in iri for c in '<>" {}|\\^`'):
            raise ValueError(f"{iri!r} contains characters not allowed in an IRI")
    return iris


def _optional_path(raw: str) -> Path | None:
    return Path(raw) if raw else None


def _optional_str(raw: str) -> str | None:
    return raw or None


_PARSERS: dict[str, Callable[[str], Any]] = {
    "data_dir": Path,
    "corpus": _optional_path,
    "curation": _optional_path,
    "base_iri": _parse_base_iri,
    "host": str,
    "port": _parse_port,
    "query_timeout_s": _parse_positive_float,
    "max_result_rows": _parse_positive_int,
    "max_request_bytes": _parse_positive_int,
    "cors_origins": _parse_origins,
    "query_workers": _parse_positive_int,
    "query_fast_workers": _parse_non_negative_int,
    "query_long_cpu_s": _parse_positive_float,
    "query_cache_mb": _parse_non_negative_int,
    "query_store": _parse_query_store,
    "write_token": _optional_str,
    "remote_endpoint": _optional_str,
    "service_allowlist": _parse_service_allowlist,
    "reasoner": _parse_reasoner,
    "validator": _parse_validator,
    "debug": _parse_bool,
    "build_workers": _parse_positive_int,
    "document_max_bytes": _parse_positive_int,
    "document_timeout_s": _parse_positive_float,
    "request_read_timeout_s": _parse_positive_float,
    "log_format": _parse_log_format,
}

# Environment names that differ from the upper-cased field name.
_ENV_ALIASES = {"query_timeout_s": "QUERY_TIMEOUT_S", "corpus": "CORPUS_DIR"}

# One line per setting: what ``rcm-graph settings --help`` and the example configuration file
# (docs/rcm-graph.example.toml) say about it. tests/test_configuration.py checks that every
# setting has one.
DESCRIPTIONS: dict[str, str] = {
    "data_dir": "dataset directory (builds, the current build, caches)",
    "corpus": "documents to read; empty: the bundled corpus",
    "curation": "curation files; empty: <corpus>/curation if it exists",
    "base_iri": "base IRI of the data (http or https; a trailing / is added)",
    "host": "address the server binds to",
    "port": "port the server listens on",
    "query_timeout_s": "query time limit, in seconds",
    "max_result_rows": "most rows a result holds (a capped result says so)",
    "max_request_bytes": "largest request body, in bytes",
    "cors_origins": "origins allowed to read cross-origin ('*': any)",
    "query_workers": "query worker processes (also: how many long queries run at once)",
    "query_fast_workers": "extra query workers that long queries may not hold",
    "query_long_cpu_s": "CPU seconds after which a query counts as long",
    "query_cache_mb": "result caches per build, MiB each (0: off)",
    "query_store": "where query workers read the data: auto, memory or disk",
    "write_token": "token that enables SPARQL Update; empty: read-only",
    "remote_endpoint": "remote SPARQL endpoint to serve and query; empty: the embedded store",
    "service_allowlist": "SPARQL endpoints that SERVICE may call; empty: SERVICE refused",
    "reasoner": "OWL 2 RL engine of the build: rules or owlrl",
    "validator": "SHACL engine of the build: turbo or pyshacl",
    "debug": "tracebacks and debug logs",
    "build_workers": "build worker processes (the output does not depend on it)",
    "document_max_bytes": "largest corpus file read, in bytes (a larger one is skipped)",
    "document_timeout_s": "time limit of one document's extraction, in seconds",
    "request_read_timeout_s": "time a client has to send a whole request, in seconds",
    "log_format": "log lines as text, or json: one JSON object per line",
}

# Defaults that depend on the machine or on another setting, as the help states them.
_DEFAULT_TEXT = {"build_workers": "the CPUs, at most 4"}

CONFIG_ENV = ENV_PREFIX + "CONFIG"
CONFIG_FILE_NAME = "rcm-graph.toml"

# RCM_GRAPH_* names that set no setting and are never warned about: the configuration file's
# variable, and the ones the project's own scripts and tests read (scripts/test,
# tests/extraction, tests/queries).
_NOT_SETTINGS = {
    CONFIG_ENV,
    ENV_PREFIX + "VENV",
    ENV_PREFIX + "DEVSET",
    ENV_PREFIX + "CLI",
    ENV_PREFIX + "TEST_REUSE_DATA_DIR",
}


def env_name(field_name: str) -> str:
    """The environment variable that sets ``field_name``."""
    return ENV_PREFIX + _ENV_ALIASES.get(field_name, field_name.upper())


@dataclass(frozen=True)
class SettingDoc:
    """What the help says about one setting. The configuration file's key is ``name``."""

    name: str
    env: str
    default: str
    description: str


def setting_docs() -> list[SettingDoc]:
    """Every setting in declaration order: the one table the help and the example file use."""
    defaults = Settings()
    docs = []
    for f in dataclasses.fields(Settings):
        if f.name == "sources":
            continue
        if f.name in _DEFAULT_TEXT:
            default = _DEFAULT_TEXT[f.name]
        else:
            default = _toml_value(getattr(defaults, f.name))
        docs.append(SettingDoc(f.name, env_name(f.name), default, DESCRIPTIONS.get(f.name, "")))
    return docs


def _toml_value(value: object) -> str:
    """``value`` written as TOML (None as the empty string that means "unset")."""
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _nearest(word: str, candidates: list[str]) -> str | None:
    found = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return found[0] if found else None


def unknown_environment(environ: Mapping[str, str]) -> list[str]:
    """One warning line for each ``RCM_GRAPH_*`` variable that sets nothing, with the nearest
    valid name.

    WHY a warning and not an error: the environment is inherited, not written for one command.
    A shell profile, a CI job or a container image may carry a variable for another version of
    the tool or for the project's scripts, and an error would stop every command of a
    deployment for a name that does no harm. Tools that read prefixed variables behave so
    (Terraform warns about values for undeclared ``TF_VAR_`` variables; Git and Cargo ignore
    unknown names). The configuration file, which is written for this tool, gets an error.
    """
    known = {env_name(name) for name in _PARSERS}
    suffixes = [name[len(ENV_PREFIX) :] for name in sorted(known)]
    warnings = []
    for var in sorted(environ):
        if not var.startswith(ENV_PREFIX) or var in known or var in _NOT_SETTINGS:
            continue
        nearest = _nearest(var[len(ENV_PREFIX) :].upper(), suffixes)
        advice = (
            f"did you mean {ENV_PREFIX}{nearest}?"
            if nearest
            else "see `rcm-graph settings --help` for the variables"
        )
        warnings.append(f"environment variable {var} is not a setting and is ignored; {advice}")
    return warnings


def find_config_file(
    given: str | Path | None, environ: Mapping[str, str], cwd: Path
) -> Path | None:
    """The configuration file of a run: ``--config FILE``, else ``$RCM_GRAPH_CONFIG``, else
    ``rcm-graph.toml`` in the working directory when it exists, else none.

    A file named by the flag or the variable must exist (a typo there is an error, not a
    silent fallback to defaults).
    """
    for raw, where in ((given, "--config"), (environ.get(CONFIG_ENV), CONFIG_ENV)):
        if raw:
            path = Path(raw)
            if not path.is_file():
                raise ConfigError(
                    f"configuration file {str(path)!r} not found",
                    where=where,
                    hint="give the path of a TOML file (see docs/rcm-graph.example.toml)",
                )
            return path
    local = cwd / CONFIG_FILE_NAME
    return local if local.is_file() else None


_TOML_KIND_EXPECTED = {
    "int": "a whole number (port = 8000)",
    "float": "a number (query_timeout_s = 2.5)",
    "bool": "true or false, without quotes",
    "list": 'an array of strings (cors_origins = ["https://a.org"])',
    "str": 'a string in quotes (host = "0.0.0.0")',
}


def _toml_kind(name: str) -> str:
    """The TOML type a setting takes, read from the field's annotation."""
    annotation = str(next(f.type for f in dataclasses.fields(Settings) if f.name == name))
    if annotation in ("int", "float", "bool"):
        return annotation
    if annotation.startswith("tuple"):
        return "list"
    return "str"


def _toml_type_name(value: object) -> str:
    for kind, label in (
        (bool, "a boolean"),
        (int, "an integer"),
        (float, "a float"),
        (str, "a string"),
        (list, "an array"),
        (dict, "a table"),
    ):
        if isinstance(value, kind):
            return label
    return "a date or time"


def _key_line(text: str, key: str) -> int | None:
    """The line where ``key`` is set or opened as a table (tomllib does not report it)."""
    quoted = re.escape(key)
    pattern = re.compile(
        rf"^[ \t]*(?:\[[ \t]*)?(?:{quoted}|\"{quoted}\"|'{quoted}')[ \t]*(?:=|\])", re.MULTILINE
    )
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def read_config_file(path: Path) -> dict[str, Any]:
    """The settings a TOML configuration file sets, converted and checked like the
    environment's. A relative path in the file is relative to the file's folder (so
    ``--config /srv/rcm/rcm-graph.toml`` with ``data_dir = "data"`` means /srv/rcm/data,
    wherever the command runs); flags and variables stay relative to the working directory.
    Raises :class:`ConfigError` naming the file (and the line where it can be
    found) for unreadable or malformed TOML, an unknown key (with the nearest valid one), a
    value of the wrong TOML type or out of range."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ConfigError(
            f"cannot read the configuration file ({exc.strerror})", where=str(path)
        ) from None
    except UnicodeDecodeError:
        raise ConfigError("the configuration file is not UTF-8 text", where=str(path)) from None
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"not valid TOML: {exc}", where=str(path), hint="see docs/rcm-graph.example.toml"
        ) from None
    values: dict[str, Any] = {}
    for key, value in table.items():
        line = _key_line(text, key)
        where = f"{path}, line {line}" if line else str(path)
        if key not in _PARSERS:
            normal = key.lower().replace("-", "_").removeprefix(ENV_PREFIX.lower())
            nearest = normal if normal in _PARSERS else _nearest(normal, list(_PARSERS))
            if isinstance(value, dict) and not nearest:
                raise ConfigError(
                    f"unknown table [{key}]: settings are top-level keys, not in tables",
                    where=where,
                    hint="see `rcm-graph settings --help` for the keys",
                )
            advice = f"did you mean '{nearest}'?" if nearest else "see `rcm-graph settings --help`"
            raise ConfigError(f"unknown key '{key}'", where=where, hint=advice)
        converted = _convert_toml(key, value, where)
        if isinstance(converted, Path):  # as a build tool reads its file: from the file's folder
            converted = path.parent / converted.expanduser()
        values[key] = converted
    return values


def _convert_toml(name: str, value: object, where: str) -> Any:
    kind = _toml_kind(name)
    parse = _PARSERS[name]
    ok = {
        "int": isinstance(value, int) and not isinstance(value, bool),
        "float": isinstance(value, int | float) and not isinstance(value, bool),
        "bool": isinstance(value, bool),
        "list": isinstance(value, list) and all(isinstance(v, str) for v in value),
        "str": isinstance(value, str),
    }[kind]
    if not ok:
        shown = _toml_value(value) if not isinstance(value, dict | list) else _toml_type_name(value)
        raise ConfigError(
            f"'{name}' must be {_TOML_KIND_EXPECTED[kind]}, not {_toml_type_name(value)} ({shown})",
            where=where,
        )
    try:
        if kind == "bool":
            return value
        if kind == "list":
            assert isinstance(value, list)
            return tuple(item for raw in value for item in parse(raw))
        return parse(value if isinstance(value, str) else repr(value))
    except ValueError as exc:
        raise ConfigError(
            f"{name} = {_toml_value(value)}: {exc}",
            where=where,
            hint="see `rcm-graph settings --help`",
        ) from None


def load_settings(
    flags: Mapping[str, object] | None = None,
    environ: Mapping[str, str] | None = None,
    config_file: Path | None = None,
    flag_names: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve settings from flags (None means "not given"), then environment, then the
    configuration file (if any), then defaults.

    ``flag_names`` maps a setting to its flag where that is not ``--setting-name``. Raises
    :class:`ConfigError` naming the flag, variable or file key and the accepted values.
    """
    flags = flags or {}
    environ = environ if environ is not None else {}
    from_file = read_config_file(config_file) if config_file is not None else {}
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name, parse in _PARSERS.items():
        flag_value = flags.get(name)
        if flag_value is not None:
            where = (flag_names or {}).get(name) or "--" + name.replace("_", "-")
            values[name] = _convert(parse, flag_value, where)
            sources[name] = f"flag {where}"
            continue
        var = env_name(name)
        if var in environ:
            values[name] = _convert(parse, environ[var], var)
            sources[name] = f"environment {var}"
        elif name in from_file:
            values[name] = from_file[name]
            sources[name] = f"file {config_file}"
    return Settings(**values, sources=sources)


def _convert(parse: Callable[[str], Any], raw: object, where: str) -> Any:
    if not isinstance(raw, str):
        return raw
    try:
        return parse(raw)
    except ValueError as exc:
        raise ConfigError(
            f"invalid value {raw!r}: {exc}", where=where, hint="see `rcm-graph settings --help`"
        ) from None

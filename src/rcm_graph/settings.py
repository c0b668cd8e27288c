"""One typed settings object, built once at the edge (CLI or app factory) and passed down.

Precedence: command-line flags > ``RCM_GRAPH_*`` environment variables > defaults. Every value
remembers where it came from so that ``rcm-graph settings`` can say so. Nothing else in the
package reads ``os.environ``.
"""

from __future__ import annotations

import dataclasses
import os
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
    raise ValueError(f"not a boolean: {raw!r}")


def _parse_origins(raw: str) -> tuple[str, ...]:
    return tuple(o.strip() for o in raw.split(",") if o.strip())


def _parse_positive_float(raw: str) -> float:
    value = float(raw)
    if not value > 0:
        raise ValueError("must be greater than 0")
    return value


def _parse_positive_int(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError("must be greater than 0")
    return value


def _parse_non_negative_int(raw: str) -> int:
    value = int(raw)
    if value < 0:
        raise ValueError("must be 0 or greater")
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


def _parse_port(raw: str) -> int:
    value = int(raw)
    if not 0 <= value <= 65535:
        raise ValueError("must be between 0 and 65535")
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
}

# Environment names that differ from the upper-cased field name.
_ENV_ALIASES = {"query_timeout_s": "QUERY_TIMEOUT_S", "corpus": "CORPUS_DIR"}


def env_name(field_name: str) -> str:
    """The environment variable that sets ``field_name``."""
    return ENV_PREFIX + _ENV_ALIASES.get(field_name, field_name.upper())


def load_settings(
    flags: Mapping[str, object] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Resolve settings from flags (None means "not given"), then environment, then defaults.

    Raises :class:`ConfigError` naming the flag or variable and the accepted values.
    """
    flags = flags or {}
    environ = environ if environ is not None else {}
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name, parse in _PARSERS.items():
        flag_value = flags.get(name)
        if flag_value is not None:
            where = "--" + name.replace("_", "-")
            values[name] = _convert(parse, flag_value, where)
            sources[name] = f"flag {where}"
            continue
        var = env_name(name)
        if var in environ:
            values[name] = _convert(parse, environ[var], var)
            sources[name] = f"environment {var}"
    return Settings(**values, sources=sources)


def _convert(parse: Callable[[str], Any], raw: object, where: str) -> Any:
    if not isinstance(raw, str):
        return raw
    try:
        return parse(raw)
    except ValueError as exc:
        raise ConfigError(
            f"invalid value {raw!r} ({exc})", where=where, hint="see `rcm-graph settings --help`"
        ) from None

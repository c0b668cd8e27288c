"""The query catalogue: the named, documented SPARQL files of ``queries/*.rq``.

The same files are the CLI's named queries, the UI's examples, the server's ``/queries/{name}``
pages and the generated ``docs/queries.md``, so they are read in one place. Each file starts with
a header of comment lines::

    # title: Which commitments were due before a given date?
    # description: Commitments with a deadline earlier than ?before, earliest first.
    #   A description may continue on indented comment lines.
    # param: before date default=2017-07-01 — the first day that is no longer "before"

Parameters are bound as RDF terms, never by formatting user text into SPARQL: each value is
checked against the parameter's declared type, turned into one term (a literal with its datatype
or an IRI) and serialised by pyoxigraph, which escapes it; the term is injected as a ``VALUES``
block at the start of the query's outermost ``WHERE`` group, found by a tokenizer that skips
strings, IRIs and comments. Filters anywhere in that group (and in its OPTIONAL parts) see the
bound value; a sub-select does not, so catalogue queries use parameters outside sub-selects.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from rcm_graph.errors import QueryArgumentError, QueryError, UnknownQueryName
from rcm_graph.model.sparql_text import strip_noncode, where_group_start
from rcm_graph.resources import shipped_dir

XSD = "http://www.w3.org/2001/XMLSchema#"

CANONICAL_VIEWS = (
    "documents",
    "meetings",
    "events",
    "participants",
    "persons",
    "statements",
    "commitments",
    "objectives",
)
"""The stable tabular views other tools rely on (their result variables are a contract)."""

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_FIELD = re.compile(r"^#\s*([A-Za-z][A-Za-z_-]*)\s*:\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>[a-z0-9-]+)"
    r"(?:\s+default=(?P<default>\"(?:[^\"\\]|\\.)*\"|\S+))?"
    r"(?:\s+(?:—|--|-)\s*(?P<description>.*))?\s*$"
)


# --- parameter types --------------------------------------------------------------------------


def _xsd(local: str) -> ox.NamedNode:
    return ox.NamedNode(XSD + local)


def _string(value: str) -> ox.Literal:
    if not value.strip():
        raise ValueError("an empty text")
    if len(value) > 1000:
        raise ValueError("at most 1000 characters")
    if any(ord(c) < 0x20 and c not in "\t\n\r" for c in value):
        raise ValueError("text without control characters")
    return ox.Literal(value)


def _iri(value: str) -> ox.NamedNode:
    if not re.match(r"^(https?://|urn:)", value):
        raise ValueError("an absolute http(s) or urn: IRI")
    try:
        return ox.NamedNode(value)
    except ValueError:
        raise ValueError("a well-formed IRI (no spaces, quotes or angle brackets)") from None


def _integer(value: str) -> ox.Literal:
    if not re.fullmatch(r"[+-]?[0-9]{1,18}", value.strip()):
        raise ValueError("a whole number such as 2017")
    return ox.Literal(str(int(value)), datatype=_xsd("integer"))


def _year(value: str) -> ox.Literal:
    if not re.fullmatch(r"[0-9]{4}", value.strip()):
        raise ValueError("a four-digit year such as 2017")
    return ox.Literal(value.strip(), datatype=_xsd("integer"))


def _date(value: str) -> ox.Literal:
    text = value.strip()
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        raise ValueError("a date written YYYY-MM-DD")
    try:
        date.fromisoformat(text)
    except ValueError:
        raise ValueError("a real calendar date written YYYY-MM-DD") from None
    return ox.Literal(text, datatype=_xsd("date"))


def _iso3(value: str) -> ox.Literal:
    text = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", text):
        raise ValueError("an ISO 3166-1 alpha-3 country code such as PAN")
    return ox.Literal(text)


def _objective(value: str) -> ox.Literal:
    text = value.strip()
    if not re.fullmatch(r"[0-9]{1,2}", text) or not 1 <= int(text) <= 23:
        raise ValueError("a GCM objective number from 1 to 23")
    return ox.Literal(str(int(text)), datatype=_xsd("integer"))


def _principle(value: str) -> ox.Literal:
    text = value.strip().lower()
    if not re.fullmatch(r"[a-j]", text):
        raise ValueError("a GCM guiding principle letter from a to j")
    return ox.Literal(text)


def _notation(value: str) -> ox.Literal:
    text = value.strip()
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", text):
        raise ValueError("a notation in lower case with hyphens, such as smuggling-of-migrants")
    return ox.Literal(text)


def _acronym(value: str) -> ox.Literal:
    text = value.strip()
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9&./-]{0,19}", text):
        raise ValueError("an acronym such as IOM or RCM")
    return ox.Literal(text)


TermParser = Callable[[str], ox.NamedNode | ox.Literal]

PARAMETER_TYPES: dict[str, tuple[TermParser, str]] = {
    "string": (_string, "text, bound as an xsd:string literal"),
    "iri": (_iri, "an absolute http(s) or urn: IRI, bound as an IRI"),
    "integer": (_integer, "a whole number, bound as xsd:integer"),
    "year": (_year, "a four-digit year, bound as xsd:integer"),
    "date": (_date, "a date YYYY-MM-DD, bound as xsd:date"),
    "iso3": (_iso3, "an ISO 3166-1 alpha-3 code (PAN), bound as a plain literal"),
    "objective": (_objective, "a GCM objective number 1-23, bound as xsd:integer"),
    "principle": (_principle, "a GCM guiding principle letter a-j, bound as a plain literal"),
    "topic": (_notation, "a topic notation (smuggling-of-migrants), bound as a plain literal"),
    "notation": (_notation, "a concept notation (host, report …), bound as a plain literal"),
    "acronym": (_acronym, "an organization's English acronym (IOM), bound as a plain literal"),
}
"""Declared type → (validator returning the RDF term, what a user must give)."""

HTML_INPUTS: dict[str, dict[str, str]] = {
    "string": {"type": "text", "maxlength": "1000"},
    "iri": {"type": "url", "pattern": "(https?://|urn:).+"},
    "integer": {"type": "number", "step": "1"},
    "year": {"type": "number", "min": "1000", "max": "9999", "step": "1"},
    "date": {"type": "date"},
    "iso3": {"type": "text", "pattern": "[A-Za-z]{3}", "maxlength": "3"},
    "objective": {"type": "number", "min": "1", "max": "23", "step": "1"},
    "principle": {"type": "text", "pattern": "[a-jA-J]", "maxlength": "1"},
    "topic": {"type": "text", "pattern": "[a-z0-9]+(-[a-z0-9]+)*"},
    "notation": {"type": "text", "pattern": "[a-z0-9]+(-[a-z0-9]+)*"},
    "acronym": {"type": "text", "pattern": r"[A-Za-z][A-Za-z0-9&.\/\-]{0,19}"},
}
"""Declared type → attributes of the HTML ``<input>`` that asks for it (forms on the UI pages).

WHY here, next to the validators: a form field must accept what :data:`PARAMETER_TYPES` accepts,
so the two tables are kept side by side; the server still validates every value."""


# --- the catalogue ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Parameter:
    """One ``# param:`` line: a variable of the query that a caller may (or must) bind.

    This is the public parameter model: the CLI's ``--param``, the server's ``/queries`` index
    and forms, and generated API descriptions all read it. ``name`` is the SPARQL variable
    (without ``?``); ``type`` a key of :data:`PARAMETER_TYPES`; ``default`` the text value used
    when none is given (``None``: the value is required); ``line`` the header line declaring it.
    """

    name: str
    type: str
    default: str | None
    description: str
    line: int

    @property
    def required(self) -> bool:
        return self.default is None

    @property
    def type_description(self) -> str:
        """What a caller must give, in words (``a date YYYY-MM-DD, bound as xsd:date``)."""
        return PARAMETER_TYPES[self.type][1]

    @property
    def html_input(self) -> dict[str, str]:
        """Attributes of the HTML ``<input>`` for this parameter (type, pattern, range)."""
        return dict(HTML_INPUTS.get(self.type, {"type": "text"}))

    def as_json(self) -> dict[str, object]:
        """The parameter as a JSON object (the ``/queries`` index, the query page's forms)."""
        return {
            "name": self.name,
            "type": self.type,
            "default": self.default,
            "required": self.required,
            "description": self.description,
            "expects": self.type_description,
            "input": self.html_input,
        }

    def term(self, value: str, *, query: str) -> str:
        """The value as one SPARQL term, checked against the type and escaped."""
        parse, expected = PARAMETER_TYPES[self.type]
        try:
            return str(parse(value))
        except ValueError as exc:
            raise QueryArgumentError(
                f"parameter {self.name!r} of query {query!r} expects {exc}, got {value!r}",
                where=f"parameter {self.name}",
                hint=f"give {expected}",
            ) from None


@dataclass(frozen=True)
class NamedQuery:
    """A catalogue entry: a ``.rq`` file with its header parsed."""

    name: str
    title: str
    description: str
    parameters: list[Parameter]
    text: str
    path: Path
    body_line: int = field(default=1, repr=False)

    @property
    def is_canonical_view(self) -> bool:
        return self.name in CANONICAL_VIEWS

    @property
    def body(self) -> str:
        """The query text without its header comment lines (what a user runs or pastes)."""
        return "\n".join(self.text.splitlines()[self.body_line - 1 :]) + "\n"

    def as_json(self) -> dict[str, object]:
        """Name, title, description and parameters as a JSON object (the ``/queries`` index)."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "canonical_view": self.is_canonical_view,
            "parameters": [p.as_json() for p in self.parameters],
        }

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise QueryArgumentError(
            f"query {self.name!r} has no parameter {name!r}",
            where=f"query {self.name}",
            hint=_known("parameters", [p.name for p in self.parameters]),
        )

    def bind(self, values: Mapping[str, str]) -> str:
        """The query text with every parameter bound to a typed, escaped RDF term.

        Unknown names, missing required values and values of the wrong type raise
        :class:`QueryError`; defaults fill what is not given.
        """
        for name in values:
            self.parameter(name)
        if not self.parameters:
            return self.text
        terms: list[str] = []
        for p in self.parameters:
            raw = values.get(p.name, p.default)
            if raw is None:
                raise QueryArgumentError(
                    f"query {self.name!r} needs a value for parameter {p.name!r}",
                    where=f"query {self.name}",
                    hint=f"give {p.name}=… ({PARAMETER_TYPES[p.type][1]})",
                )
            terms.append(p.term(raw, query=self.name))
        names = " ".join("?" + p.name for p in self.parameters)
        block = f"\n  VALUES ({names}) {{ ({' '.join(terms)}) }}\n"
        at = where_group_start(self.text)
        if at is None:  # checked at load time; kept for queries built by hand
            raise QueryError(
                f"cannot find the WHERE group of query {self.name!r}", where=str(self.path)
            )
        return self.text[:at] + block + self.text[at:]


@dataclass(frozen=True)
class Catalogue:
    """All named queries of a folder, by name."""

    queries: dict[str, NamedQuery]
    directory: Path

    def names(self) -> list[str]:
        return sorted(self.queries)

    def get(self, name: str) -> NamedQuery:
        try:
            return self.queries[name]
        except KeyError:
            near = self.nearest(name)
            raise UnknownQueryName(
                f"no named query {name!r}",
                where=str(self.directory),
                hint=(f"did you mean {' or '.join(near)}? " if near else "")
                + _known("queries", self.names()),
            ) from None

    def nearest(self, name: str, count: int = 3) -> list[str]:
        """The names a mistyped ``name`` most likely meant: close spellings first
        (:func:`difflib.get_close_matches`), then names that contain it (``commitment``)."""
        typed = name.strip().lower().removesuffix(".rq")
        near = difflib.get_close_matches(typed, self.names(), n=count, cutoff=0.6)
        if len(typed) >= 3:
            near += [n for n in self.names() if typed in n and n not in near]
        return near[:count]

    def __iter__(self) -> Iterator[NamedQuery]:
        return iter(self.queries[n] for n in self.names())

    def __len__(self) -> int:
        return len(self.queries)

    def __contains__(self, name: object) -> bool:
        return name in self.queries


def _known(what: str, names: list[str]) -> str:
    return f"known {what}: {', '.join(names)}" if names else f"it has no {what}"


def load_catalogue(queries_dir: Path | None = None) -> Catalogue:
    """Read every ``*.rq`` file of ``queries_dir`` (default: the shipped ``queries/``)."""
    directory = queries_dir if queries_dir is not None else shipped_dir("queries")
    if not directory.is_dir():
        raise QueryError(
            "the query catalogue folder does not exist",
            where=str(directory),
            hint="create it or point to a folder of .rq files",
        )
    queries: dict[str, NamedQuery] = {}
    for path in sorted(directory.glob("*.rq")):
        query = load_query(path)
        queries[query.name] = query
    return Catalogue(queries, directory)


def load_query(path: Path) -> NamedQuery:
    """Parse one ``.rq`` file; a malformed header raises QueryError naming ``file:line``."""
    name = path.stem
    if not _NAME.match(name):
        raise QueryError(
            f"query file name {path.name!r} is not a valid query name",
            where=f"{path}:1",
            hint="use lower-case letters, digits, hyphens and underscores",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"cannot read the query file ({exc})", where=str(path)) from None
    return parse_query(name, text, path)


def parse_query(name: str, text: str, path: Path) -> NamedQuery:
    lines = text.splitlines()
    fields: dict[str, str] = {}
    params: list[Parameter] = []
    last: str | None = None
    body_line = len(lines) + 1
    for number, line in enumerate(lines, start=1):
        if not line.startswith("#"):
            body_line = number
            break
        where = f"{path}:{number}"
        match = _FIELD.match(line)
        if match and not line.startswith("#  "):
            key, value = match.group(1).lower(), match.group(2).strip()
            if key in ("title", "description"):
                if key in fields:
                    raise QueryError(f"a second '# {key}:' line", where=where)
                fields[key] = value
                last = key
            elif key == "param":
                params.append(_parse_param(value, number, where, params))
                last = None
            else:
                raise QueryError(
                    f"unknown header field {key!r}",
                    where=where,
                    hint="the header knows '# title:', '# description:' and '# param:'",
                )
            continue
        continuation = line[1:].strip()
        if not continuation:
            continue
        if last is None or not line.startswith("#  "):
            raise QueryError(
                "a header comment that is not a '# title:', '# description:' or '# param:' line",
                where=where,
                hint="continue a title or description on a comment line indented by 2 spaces",
            )
        fields[last] = (fields[last] + " " + continuation).strip()
    title = fields.get("title", "")
    if not title:
        raise QueryError(
            "the query has no '# title:' header line",
            where=f"{path}:1",
            hint="start the file with '# title: <the question it answers>'",
        )
    query = NamedQuery(
        name=name,
        title=title,
        description=fields.get("description", ""),
        parameters=params,
        text=text,
        path=path,
        body_line=body_line,
    )
    _check_body(query)
    return query


def _parse_param(value: str, number: int, where: str, seen: list[Parameter]) -> Parameter:
    match = _PARAM.match(value)
    if not match:
        raise QueryError(
            f"malformed parameter line {value!r}",
            where=where,
            hint="write '# param: NAME TYPE [default=VALUE] — description'",
        )
    name, type_ = match.group("name"), match.group("type")
    if type_ not in PARAMETER_TYPES:
        raise QueryError(
            f"unknown parameter type {type_!r}",
            where=where,
            hint=_known("types", sorted(PARAMETER_TYPES)),
        )
    if any(p.name == name for p in seen):
        raise QueryError(f"parameter {name!r} is declared twice", where=where)
    default = match.group("default")
    if default is not None and default.startswith('"'):
        default = json.loads(default)
    param = Parameter(name, type_, default, (match.group("description") or "").strip(), number)
    if default is not None:  # a bad default is a header error, found at load time
        try:
            param.term(default, query=name)
        except QueryError as exc:
            raise QueryError(f"bad default: {exc.what}", where=where, hint=exc.hint) from None
    return param


def _check_body(query: NamedQuery) -> None:
    body = strip_noncode(query.text)
    for p in query.parameters:
        if not re.search(r"[?$]" + re.escape(p.name) + r"(?![A-Za-z0-9_])", body):
            raise QueryError(
                f"parameter {p.name!r} is declared but the query never uses ?{p.name}",
                where=f"{query.path}:{p.line}",
                hint="remove the '# param:' line or use the variable in the query",
            )
    if query.parameters and where_group_start(query.text) is None:
        raise QueryError(
            "a query with parameters needs a WHERE group to bind them in",
            where=f"{query.path}:{query.body_line}",
        )

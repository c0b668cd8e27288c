"""The project's one error hierarchy.

Every error a user can cause carries three things, so that the CLI and the HTTP layer can
turn it into one clear line without a traceback: *what* went wrong, *where* (a file and line,
a setting, a query position) and *what to do*. Internal bugs are not `RcmGraphError`s: they
surface as tracebacks with ``--debug`` and as HTTP 500 with a log line.

This module is a leaf: it imports nothing from the package.
"""

from __future__ import annotations


class RcmGraphError(Exception):
    """Base of every error the user can act on.

    ``exit_code`` is the CLI exit status (2: bad input or configuration, 1: query error or
    non-conformant data); ``http_status`` is what the web layer answers.
    """

    exit_code: int = 2
    http_status: int = 400

    def __init__(self, what: str, *, where: str | None = None, hint: str | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.where = where
        self.hint = hint

    def one_line(self) -> str:
        """The message as one line: ``where: what (hint)``."""
        text = f"{self.where}: {self.what}" if self.where else self.what
        if self.hint:
            text += f" — {self.hint}"
        return " ".join(text.split())


class ConfigError(RcmGraphError):
    """A setting, flag or environment variable has an unusable value."""


class InputError(RcmGraphError):
    """A document, curation file or other input cannot be read or understood."""


class DocumentError(InputError):
    """One source document is empty, binary, wrongly encoded or unreadable."""


class CurationError(InputError):
    """A curation file is malformed or refers to something that does not exist."""


class ShapeError(InputError):
    """A SHACL shapes file or the ontology cannot be parsed."""


class NotBuiltError(RcmGraphError):
    """A stage or a dataset that the command needs does not exist yet."""


class DatasetError(RcmGraphError):
    """The dataset directory is missing, corrupted or not writable."""

    http_status = 503


class QueryError(RcmGraphError):
    """A SPARQL query is malformed or refused (e.g. it would fetch from the network)."""

    exit_code = 1


class QueryRefused(QueryError):
    """A well-formed query that the read-only, no-outbound-fetch policy forbids."""

    http_status = 403


class QueryUnjudgeable(QueryError):
    """A text the policy cannot check: nested or chained beyond what the engine's parser
    survives, or written so that the lexer cannot tell how the engine would read it. Bad input
    (exit 2, HTTP 400), refused before the engine sees it."""

    exit_code = 2


class QueryTimeout(QueryError):
    """A query ran past its time limit and was stopped."""

    http_status = 503

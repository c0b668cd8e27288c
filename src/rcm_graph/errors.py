"""The project's one error hierarchy.

Every error a user can cause carries three things, so that the CLI and the HTTP layer can
turn it into one clear line without a traceback: *what* went wrong, *where* (a file and line,
a setting, a query position) and *what to do*. Internal bugs are not `RcmGraphError`s: they
surface as tracebacks with ``--debug`` and as HTTP 500 with a log line.

This module is a leaf: it imports nothing from the package.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_UNAVAILABLE = 3
EXIT_INTERRUPTED = 130

EXIT_CODES: dict[int, str] = {
    EXIT_OK: "ok",
    EXIT_FAILED: "built but not conformant, or a query error",
    EXIT_BAD_INPUT: "bad input or configuration",
    EXIT_UNAVAILABLE: "the server could not start (port in use, privileged port, foreign address)",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C)",
}
"""Every exit status of ``rcm-graph``, in one place: the ``--help`` epilog is made from it and a
test checks that the README's exit-code table lists exactly these. WHY a separate code for a
server that cannot listen: it is the one failure a supervisor or a script can act on without a
person (retry later, pick another port); everything fixed by editing the command is 2."""


class RcmGraphError(Exception):
    """Base of every error the user can act on.

    ``exit_code`` is the CLI exit status (one of :data:`EXIT_CODES`); ``http_status`` is what
    the web layer answers.
    """

    exit_code: int = EXIT_BAD_INPUT
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


class ListenError(RcmGraphError):
    """The server cannot listen on its address: the port is taken, needs privileges, or the
    address is not one of this machine's."""

    exit_code = EXIT_UNAVAILABLE
    http_status = 503


class QueryError(RcmGraphError):
    """A SPARQL query is malformed or refused (e.g. it would fetch from the network)."""

    exit_code = EXIT_FAILED


class QueryRefused(QueryError):
    """A well-formed query that the read-only, no-outbound-fetch policy forbids."""

    http_status = 403


class QueryUnjudgeable(QueryError):
    """A text the policy cannot check: nested or chained beyond what the engine's parser
    survives, or written so that the lexer cannot tell how the engine would read it. Bad input
    (exit 2, HTTP 400), refused before the engine sees it."""

    exit_code = EXIT_BAD_INPUT


class QueryArgumentError(QueryError):
    """A named query called wrongly: a parameter it does not declare, a required one missing, a
    value of the wrong type. Bad input (exit 2, HTTP 400): the query itself is fine."""

    exit_code = EXIT_BAD_INPUT


class UnknownQueryName(QueryArgumentError):
    """A named query that the catalogue does not have (HTTP 404), with the nearest names as
    the hint."""

    http_status = 404


class QueryTimeout(QueryError):
    """A query ran past its time limit and was stopped."""

    http_status = 503

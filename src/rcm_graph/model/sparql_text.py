"""The one SPARQL lexer of the package: tokens, IRIs as the engine reads them, and bounds.

WHY one: the policy check (:mod:`rcm_graph.query.policy`), the query catalogue and the remote
backend each had a tokenizer of their own, and each disagreed with the engine somewhere. A
policy that reads a query differently from the engine that runs it is a hole (issue 17: an
IRI with a ``\\u0073`` escape was "not an IRI" to the check and a SERVICE endpoint to
pyoxigraph). Everything that needs to know what a SPARQL text *says* asks this module.

What it guarantees:

- **Linear time.** Every token pattern is possessive or bounded, and a run of name characters
  (``a.a.a…``) is consumed once and split afterwards; the previous lexer re-scanned such a run
  from every position (a 120 KB ``ASK { a.a.a… }`` took 71 s). The request size limit then
  bounds the cost of every analysis.
- **IRIs as the engine reads them.** ``IRIREF`` may hold ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes
  (SPARQL 1.1 section 19.2, "codepoint escape sequences"; pyoxigraph decodes them in IRIs and
  strings only, not in keywords or comments); they are decoded, prefixed names are expanded
  (with ``PN_LOCAL_ESC`` unescaped), and relative references are resolved against ``BASE`` as
  RFC 3986 section 5.2 says, so a check compares exactly the IRI the engine would use.
- **Refusal of what it cannot classify.** After ``SERVICE``, ``FROM``, ``FROM NAMED``,
  ``LOAD``, ``USING`` and ``WITH`` only an IRI (or, after ``SERVICE``, a variable) may follow;
  anything else is reported in :attr:`Analysis.unclassified`, and callers refuse the text. An
  unterminated string, a malformed escape or an ``<…>`` that the engine might read as a ``<``
  operator (it holds a ``'``) makes the whole text unclassifiable: the lexer cannot know where
  the engine's tokens end, so nothing after that point could be trusted.
- **Bounded nesting.** pyoxigraph's parser and algebra recurse: 3,000 nested ``{}`` or ~10,000
  chained operators overflow the stack and kill the process (a segfault). Depth and the number
  of operators outside data blocks (``VALUES``, ``INSERT DATA`` …) are counted and reported in
  :attr:`Analysis.too_complex` before the engine sees the text.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

QueryForm = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]

# Brackets ``{ ( [`` open at once. The engine overflowed its stack at 3,000 nested groups and
# at 5,000 nested subqueries (8 MiB stack); no real query comes near 100.
MAX_NESTING = 200
# Operators, separators and group keywords outside data blocks. Chains of 10,000 ``&&``, ``+``,
# ``!``, ``|``, ``/``, ``,``, ``FILTER`` or ``{}`` overflowed the engine's stack; 5,000 did not.
MAX_OPERATORS = 2_000

_NAME_CHARS = r"\w\-.\u00b7\u00c0-\U000effff"
_LOCAL = (
    r"(?:[\w\-:%\u00b7\u00c0-\U000effff]|\\[_~.\-!$&'()*+,;=/?#@%]"
    r"|\.(?=[\w\-:%\\\u00c0-\U000effff]))*+"
)
_TOKEN = re.compile(
    rf"""
    (?P<ws>[ \t\r\n]++)
  | (?P<comment>\#[^\n\r]*+)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*+'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*+\"\"\"
              |'(?:[^'\\\n\r]|\\[^\n\r])*+'|"(?:[^"\\\n\r]|\\[^\n\r])*+")
  | (?P<badstring>['"])
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*+>)
  | (?P<var>[?$][\w\u00b7\u00c0-\U000effff]++)
  | (?P<bnode>_:[{_NAME_CHARS}]++)
  | (?P<name>[A-Za-z\u00c0-\U000effff][{_NAME_CHARS}]*+(?::{_LOCAL})?|:{_LOCAL})
  | (?P<op>&&|\|\||!=|<=|>=|\^\^)
  | (?P<inert>(?:[?$](?![\w\u00b7\u00c0-\U000effff])|[0-9,@%~`\\])++)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_WORD_SPLIT = re.compile(r"[A-Za-z0-9_\u00b7\u00c0-\U000effff]++|.", re.DOTALL)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\(.)")

QUERY_FORMS: frozenset[str] = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_KEYWORDS: frozenset[str] = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
# Tokens that make the engine build one more node of its parse tree or algebra.
_OPERATORS: frozenset[str] = frozenset(
    {"{", "(", "[", ".", ";", "|", "/", "^", "!", "&&", "||", "=", "!=", "<", ">", "<=", ">="}
    | {"+", "-", "*", "UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "GRAPH", "SERVICE"}
    | {"SELECT", "EXISTS"}
)
_OPEN = {"{": "}", "(": ")", "[": "]"}


@dataclass(frozen=True, slots=True)
class Token:
    """A significant token: ``kind`` is one of iri, var, bnode, pname, word, string, op,
    other; ``text`` is as written; ``offset`` is its position in the text."""

    kind: str
    text: str
    offset: int


class Unclassifiable(ValueError):
    """The text cannot be tokenized the way the engine would (see :func:`tokens`)."""

    def __init__(self, what: str, offset: int) -> None:
        super().__init__(what)
        self.what = what
        self.offset = offset


def tokens(text: str) -> Iterator[Token]:
    """Significant tokens of a SPARQL text (whitespace and comments dropped), in linear time.

    Raises :class:`Unclassifiable` where the engine's reading cannot be known: an unterminated
    string, or an ``<…>`` holding a ``'`` (the engine reads ``?a<'x>'`` as a comparison with
    the string ``'x>'``, so tokens after it would not line up).
    """
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        start = match.start()
        value = match.group()
        if kind == "badstring":
            raise Unclassifiable("an unterminated string", start)
        if kind == "iri" and "'" in value:
            raise Unclassifiable(f"{value[:40]!r} may be an IRI or a comparison", start)
        if kind == "inert":  # digits, commas, lone ? and $ ...: one token per run
            yield Token("other", value, start)
        elif kind != "name":
            yield Token(kind, value, start)
        elif ":" in value:
            yield Token("pname", value, start)
        elif value.isalnum() or value.replace("_", "").isalnum():
            yield Token("word", value, start)
        else:  # ``a.b-c``: words and punctuation, as the engine reads them
            for part in _WORD_SPLIT.finditer(value):
                piece = part.group()
                kind = "word" if piece[0].isalnum() or piece[0] == "_" else "other"
                yield Token(kind, piece, start + part.start())


def decode_iri(raw: str) -> str | None:
    """The IRI of an ``IRIREF`` body with its ``\\u``/``\\U`` escapes decoded; ``None`` when an
    escape names no character (a surrogate, or past U+10FFFF)."""
    if "\\" not in raw:
        return raw
    bad = False

    def char(match: re.Match[str]) -> str:
        nonlocal bad
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            bad = True
            return ""
        return chr(code)

    decoded = _ESCAPE.sub(char, raw)
    return None if bad or "\\" in _ESCAPE.sub("", raw) else decoded


_URI = re.compile(
    r"^(?:([A-Za-z][A-Za-z0-9+.\-]*):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$"
)


def _remove_dot_segments(path: str) -> str:
    out: list[str] = []
    segments = path.split("/")
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment == ".":
            if last:
                out.append("")
        elif segment == "..":
            if len(out) > 1 or (out and out[0] != ""):
                out.pop()
            if last:
                out.append("")
        else:
            out.append(segment)
    result = "/".join(out)
    if path.startswith("/") and not result.startswith("/"):
        result = "/" + result
    return result


def resolve(reference: str, base: str | None) -> str:
    """``reference`` resolved against ``base`` as the engine (oxiri) does it: RFC 3986 section
    5.2.2 for every scheme alike (``urllib.parse.urljoin`` leaves references against unknown
    schemes alone), except that an absolute or network-path reference is kept as written (no
    dot segments removed), which is what pyoxigraph does and so what it would fetch."""
    ref = _URI.match(reference)
    if base is None or ref is None or ref.group(1) is not None:
        return reference
    b = _URI.match(base)
    if b is None:
        return reference
    _, r_auth, r_path, r_query, r_frag = ref.groups()
    b_scheme, b_auth, b_path, b_query, _ = b.groups()
    if r_auth is not None:
        return f"{b_scheme}:{reference}"
    if r_path == "":
        auth, path = b_auth, b_path
        query = r_query if r_query is not None else b_query
    else:
        auth, query = b_auth, r_query
        if r_path.startswith("/"):
            path = _remove_dot_segments(r_path)
        elif b_auth is not None and b_path == "":
            path = _remove_dot_segments("/" + r_path)
        else:
            path = _remove_dot_segments(b_path[: b_path.rfind("/") + 1] + r_path)
    return _join(b_scheme, auth, path, query, r_frag)


_DOT_SEGMENT = re.compile(r"(?:^|/)\.\.?(?:/|$)")


def _dots_differ(reference: str, base: str) -> bool:
    """Whether resolving ``reference`` removes dot segments, where the engine's resolver and
    RFC 3986 part ways (it keeps ``..`` of the base path as a segment, and drops the root of
    ``/..`` under a base without authority): such an IRI is left unclassified rather than
    guessed (a relative reference with ``./`` or ``../`` is rare in a query)."""
    ref = _URI.match(reference)
    if ref is None or ref.group(1) is not None or ref.group(2) is not None:
        return False
    path = ref.group(3)
    b = _URI.match(base)
    base_path = b.group(3) if b is not None else ""
    return bool(_DOT_SEGMENT.search(path) or _DOT_SEGMENT.search(base_path))


def _join(
    scheme: str | None, auth: str | None, path: str, query: str | None, frag: str | None
) -> str:
    out = f"{scheme}:" if scheme is not None else ""
    if auth is not None:
        out += "//" + auth
    out += path
    if query is not None:
        out += "?" + query
    if frag is not None:
        out += "#" + frag
    return out


@dataclass
class Analysis:
    """What the lexer found: the form, the prologue, every IRI that could make the engine reach
    out or read a graph, and why the text cannot be judged (if it cannot)."""

    form: QueryForm | None = None
    is_update: bool = False
    base: str | None = None
    prefixes: dict[str, str] = field(default_factory=dict)
    service_iris: list[str] = field(default_factory=list)
    variable_service: bool = False
    service: bool = False  # any SERVICE keyword at all
    from_iris: list[str] = field(default_factory=list)
    from_named_iris: list[str] = field(default_factory=list)
    using_iris: list[str] = field(default_factory=list)
    file_iris: list[str] = field(default_factory=list)
    load: bool = False
    # ``'SERVICE:x' at 1:20``: text the engine reads as the SERVICE keyword and more.
    service_spellings: list[str] = field(default_factory=list)
    # "SERVICE at 1:20: ..." for each keyword followed by something that is not an IRI.
    unclassified: list[str] = field(default_factory=list)
    too_complex: str | None = None


def position(text: str, offset: int) -> str:
    """``line:column`` (1-based) of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return f"{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


class _Resolver:
    def __init__(self, base: str | None) -> None:
        self.base = base
        self.prefixes: dict[str, str] = {}

    def iri(self, token: Token | None) -> str | None:
        """The absolute IRI a token names, or ``None`` (not an IRI, bad escape, unknown prefix)."""
        if token is None:
            return None
        if token.kind == "iri":
            decoded = decode_iri(token.text[1:-1])
            if decoded is None or (self.base is not None and _dots_differ(decoded, self.base)):
                return None
            return resolve(decoded, self.base)
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            namespace = self.prefixes.get(prefix)
            if namespace is None:
                return None
            return namespace + _LOCAL_ESCAPE.sub(r"\1", local)
        return None


_TARGET_KEYWORDS = {"SERVICE", "FROM", "LOAD", "USING", "WITH"}


class TooSlow(Exception):
    """The analysis passed its deadline (the caller turns it into its time-limit error)."""


# How many tokens are read between two looks at the clock.
_CLOCK_EVERY = 4096


def analyse(text: str, base_iri: str | None = None, *, deadline: float | None = None) -> Analysis:
    """Tokenize ``text`` once and collect what a policy needs (see the module docstring).

    Stops at the first reason to refuse the text as a whole (unclassifiable, too complex):
    what follows would not be judged anyway. ``deadline`` (a ``time.monotonic()`` value) makes
    a long text's analysis count against the request's time limit: :class:`TooSlow` is raised
    once it passes (the analysis costs about 1-4 us per token, so 1 MB takes seconds).
    """
    result = Analysis()
    stream = tokens(text)
    toks: list[Token] = []

    def at(k: int) -> Token | None:
        while len(toks) <= k:
            nxt = next(stream, None)
            if nxt is None:
                return None
            toks.append(nxt)
            if (
                deadline is not None
                and len(toks) % _CLOCK_EVERY == 0
                and time.monotonic() > deadline
            ):
                raise TooSlow(f"the analysis stopped at token {len(toks)}")
        return toks[k]

    try:
        _scan(text, at, _Resolver(base_iri), result)
    except Unclassifiable as exc:
        result.unclassified.append(f"{position(text, exc.offset)}: {exc.what}")
    return result


def _scan(
    text: str, at: Callable[[int], Token | None], resolver: _Resolver, result: Analysis
) -> None:
    depth = 0
    operators = 0
    closers: list[str] = []
    data_depth: int | None = None  # depth at which the open VALUES / DATA block started
    data_next = False
    i = -1
    while (tok := at(i := i + 1)) is not None:
        kind = tok.kind
        text_ = tok.text
        if kind == "other":
            if text_ in _OPEN:
                closers.append(_OPEN[text_])
                depth += 1
                if depth > MAX_NESTING:
                    result.too_complex = (
                        f"brackets nested more than {MAX_NESTING} deep at "
                        f"{position(text, tok.offset)}"
                    )
                    return
                if data_next and data_depth is None and text_ == "{":
                    data_depth = depth
                    data_next = False
            elif closers and text_ == closers[-1]:
                if data_depth == depth:
                    data_depth = None
                closers.pop()
                depth -= 1
        word = text_.upper() if kind == "word" else ""
        if data_depth is None and (word or text_) in _OPERATORS and kind != "string":
            operators += 1
            if operators > MAX_OPERATORS:
                result.too_complex = (
                    f"more than {MAX_OPERATORS} operators and patterns outside VALUES and DATA "
                    f"blocks (at {position(text, tok.offset)})"
                )
                return
        if kind == "iri" or kind == "pname":
            if kind == "pname" and _run_together(tok, word, result, text):
                continue
            iri = resolver.iri(tok)
            if iri is not None and iri[:5].lower() == "file:":
                result.file_iris.append(iri)
            continue
        if not word or _run_together(tok, word, result, text):
            continue
        if word in ("VALUES", "DATA"):
            data_next = True
        nxt = at(i + 1)
        if word == "BASE":
            resolved = resolver.iri(nxt) if nxt is not None and nxt.kind == "iri" else None
            if resolved is None:
                result.unclassified.append(f"BASE at {position(text, tok.offset)}")
            resolver.base = resolved
            result.base = resolved
        elif word == "PREFIX":
            namespace = resolver.iri(at(i + 2)) if nxt is not None else None
            if nxt is not None and nxt.kind == "pname" and nxt.text.endswith(":") and namespace:
                resolver.prefixes[nxt.text[:-1]] = namespace
            else:
                result.unclassified.append(f"PREFIX at {position(text, tok.offset)}")
        elif word in QUERY_FORMS and result.form is None and not result.is_update:
            result.form = word  # type: ignore[assignment]
        elif word in UPDATE_KEYWORDS and result.form is None:
            result.is_update = True
        if word in _TARGET_KEYWORDS:
            _target(word, at, i, resolver, result, text)
    result.prefixes = resolver.prefixes


# The engine matches keywords without a word boundary: ``SERVICE:x`` is ``SERVICE :x``,
# ``SERVICESILENT<…>`` is ``SERVICE SILENT <…>``, ``trueSERVICE`` is ``true SERVICE``,
# ``PREFIXex:<…>`` declares ``ex:``. A word, or the prefix of a prefixed name, that starts
# with one of these keywords (or holds SERVICE anywhere) cannot be classified.
_RUN_TOGETHER = ("SERVICE", "LOAD", "PREFIX", "BASE", "FROM", "USING", "WITH")
_RUN_TOGETHER_RE = re.compile(r"SERVICE|^(?:LOAD|PREFIX|BASE|FROM|USING|WITH)")


def _run_together(tok: Token, word: str, result: Analysis, text: str) -> bool:
    """Whether ``tok`` holds a keyword run together with other text (then recorded)."""
    head = word or tok.text.partition(":")[0].upper()
    if word in _RUN_TOGETHER:  # the keyword itself (a prefix named ``service:`` is not)
        return False
    found = _RUN_TOGETHER_RE.search(head)
    if found is None:
        return False
    hit = "SERVICE" if "SERVICE" in head else found.group()
    if hit == "SERVICE":
        result.service = True
        result.service_spellings.append(f"{tok.text[:40]!r} at {position(text, tok.offset)}")
    if hit == "LOAD":
        result.load = True
    result.unclassified.append(
        f"{hit} run together with other text ({tok.text[:40]!r}) at {position(text, tok.offset)}"
    )
    return True


def _target(
    word: str,
    at: Callable[[int], Token | None],
    i: int,
    resolver: _Resolver,
    result: Analysis,
    text: str,
) -> None:
    """What follows SERVICE / FROM [NAMED] / LOAD / USING [NAMED] / WITH: an IRI, or (after
    SERVICE) a variable; anything else is unclassified."""
    j = i + 1
    following = at(j)
    modifier = following.text.upper() if following is not None and following.kind == "word" else ""
    if (word in ("SERVICE", "LOAD") and modifier == "SILENT") or (
        word in ("FROM", "USING") and modifier == "NAMED"
    ):
        j += 1
    target = at(j)
    if word == "SERVICE":
        result.service = True
        if target is not None and target.kind == "var":
            result.variable_service = True
            return
    if word == "LOAD":
        result.load = True
    iri = resolver.iri(target) if target is not None else None
    if iri is None:
        where = at(i)
        result.unclassified.append(f"{word} at {position(text, where.offset if where else 0)}")
        return
    if word == "SERVICE":
        result.service_iris.append(iri)
    elif word == "FROM":
        (result.from_named_iris if modifier == "NAMED" else result.from_iris).append(iri)
    elif word in ("USING", "WITH"):
        result.using_iris.append(iri)


def query_form(text: str) -> QueryForm | None:
    """The form of a query (its first query-form keyword), ``None`` for an update or neither."""
    analysis = analyse(text)
    return None if analysis.is_update else analysis.form


def strip_noncode(text: str) -> str:
    """The text with strings, IRIs and comments blanked (offsets kept), so that variable names
    can be searched for in code only."""
    out: list[str] = []
    last = 0
    for tok in tokens(text):
        if tok.kind in ("string", "iri"):
            out.append(text[last : tok.offset])
            out.append(" " * len(tok.text))
            last = tok.offset + len(tok.text)
    out.append(text[last:])
    blanked = "".join(out)
    # comments: everything from an unquoted ``#`` outside IRIs to the end of its line
    return re.sub(r"#[^\n\r]*", lambda m: " " * len(m.group()), blanked)


def where_group_start(text: str) -> int | None:
    """Offset just after the ``{`` that opens the outermost WHERE group, or None.

    That is the ``{`` after a top-level ``WHERE`` keyword or, for forms that may omit it
    (``SELECT * { … }``, ``ASK { … }``), the first top-level ``{`` after the query form.
    """
    depth = 0
    seen_form = False
    after_where = False
    for tok in tokens(text):
        if tok.kind == "word" and depth == 0:
            word = tok.text.upper()
            if word == "WHERE":
                after_where = True
            elif word in ("SELECT", "ASK", "DESCRIBE"):
                seen_form = True
        elif tok.kind == "other" and tok.text == "{":
            if depth == 0 and (after_where or seen_form):
                return tok.offset + 1
            depth += 1
        elif tok.kind == "other" and tok.text == "}":
            depth = max(0, depth - 1)
    return None


__all__ = [
    "MAX_NESTING",
    "MAX_OPERATORS",
    "QUERY_FORMS",
    "UPDATE_KEYWORDS",
    "Analysis",
    "Token",
    "TooSlow",
    "Unclassifiable",
    "analyse",
    "decode_iri",
    "position",
    "query_form",
    "resolve",
    "strip_noncode",
    "tokens",
    "where_group_start",
]

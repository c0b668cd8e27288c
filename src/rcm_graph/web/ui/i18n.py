"""The interface in English or Spanish: the message catalogues, the choice of language, links.

WHY one catalogue per language (``web/messages/en.json``, ``web/messages/es.json``) and no text
in the templates: a translator reviews one file, and ``tests/ui/test_i18n.py`` fails when a key
is in one catalogue and not the other or a template asks for a key that neither has. Templates
call ``t("key", name=value)``; a value that is markup (a link built by the template) is kept,
anything else is escaped, so a catalogue entry cannot inject markup and the data cannot either.

Which language a page is in, first match wins:

1. ``?lang=es`` in the URL (an explicit, shareable choice; the answer sets the cookie too, and
   the page's own links keep the parameter, see :func:`keep_language`);
2. the ``rcm_lang`` cookie, set by the switch in the header;
3. the ``Accept-Language`` header (RFC 9110 §12.5.4: q-values, ``es-MX`` matches ``es``,
   ``*`` matches whatever is left);
4. English.

Only the HTML interface is translated: SPARQL results, JSON and CSV answers are data. Labels of
things follow the language too (``@es`` first, then ``@en``, then untagged; see
:class:`Names`), while data values such as quoted passages stay as written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from urllib.parse import urlencode

from markupsafe import Markup, escape
from starlette.requests import Request

LANGUAGES: tuple[str, ...] = ("en", "es")
"""Interface languages, the default first."""
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "es": "Español"}
"""Each language by its own name (what the switch shows)."""
PARAMETER = "lang"
COOKIE = "rcm_lang"
COOKIE_MAX_AGE_S = 365 * 24 * 3600
VARY = ("Accept-Language", "Cookie")
"""Request headers an HTML page depends on besides the URL (for ``Vary``)."""
JS_PREFIX = "js."
"""Keys the scripts use; each page carries those of its language in ``#rcm-messages``."""

MESSAGES_DIR = Path(__file__).resolve().parent.parent / "messages"
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_TAG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$|^\*$")


@cache
def catalogue(lang: str) -> Mapping[str, str]:
    """The messages of ``lang`` (key → text), read once from its JSON file."""
    path = MESSAGES_DIR / f"{lang}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RuntimeError(f"{path}: the message catalogue cannot be read ({exc})") from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise RuntimeError(f"{path}: a message catalogue is one JSON object of strings")
    return data


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders of a message (both languages must have the same ones)."""
    return set(_PLACEHOLDER.findall(text))


# ------------------------------------------------------------------------------ the choice


def parse_accept_language(header: str | None) -> list[tuple[str, float]]:
    """``"es-MX,es;q=0.9,en;q=0.5"`` → ``[("es-mx", 1.0), ("es", 0.9), ("en", 0.5)]``.

    Best first (stable for equal q); malformed ranges and q-values are skipped, not fatal:
    a browser's header is not the reader's fault."""
    ranges: list[tuple[str, float]] = []
    for part in (header or "").split(","):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip().lower()
        if not tag or not _TAG.match(tag):
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = -1.0
        if 0.0 <= quality <= 1.0:
            ranges.append((tag, quality))
    return sorted(ranges, key=lambda r: -r[1])


def negotiate_language(header: str | None, supported: tuple[str, ...] = LANGUAGES) -> str | None:
    """The supported language the ``Accept-Language`` header prefers; None if it names none.

    A range matches a language when it is the language or a more specific tag of it
    (``es-MX`` → ``es``; RFC 4647 lookup, truncated to the primary subtag). ``*`` stands for
    any language not named otherwise; ``q=0`` excludes a language."""
    ranges = parse_accept_language(header)
    excluded = {tag.split("-")[0] for tag, q in ranges if q == 0.0 and tag != "*"}
    for tag, quality in ranges:
        if quality == 0.0:
            continue
        if tag == "*":
            named = {t.split("-")[0] for t, _ in ranges}
            rest = [lang for lang in supported if lang not in named and lang not in excluded]
            if rest:
                return rest[0]
            continue
        primary = tag.split("-")[0]
        if primary in supported and primary not in excluded:
            return primary
    return None


@dataclass(frozen=True)
class Choice:
    """The language of one answer and whether the URL asked for it (``?lang=``)."""

    lang: str
    explicit: bool


def choose_language(
    parameter: str | None, cookie: str | None, accept_language: str | None
) -> Choice:
    """``?lang=``, else the cookie, else ``Accept-Language``, else English (module docstring).

    An unknown ``?lang=`` value is ignored (the page is shown, not refused)."""
    wanted = (parameter or "").strip().lower()
    if wanted in LANGUAGES:
        return Choice(wanted, True)
    kept = (cookie or "").strip().lower()
    if kept in LANGUAGES:
        return Choice(kept, False)
    return Choice(negotiate_language(accept_language) or DEFAULT_LANGUAGE, False)


def request_language(request: Request) -> Choice:
    """The :class:`Choice` for a request (computed once, kept on ``request.state``)."""
    known = getattr(request.state, "language", None)
    if isinstance(known, Choice):
        return known
    choice = choose_language(
        request.query_params.get(PARAMETER),
        request.cookies.get(COOKIE),
        request.headers.get("accept-language"),
    )
    request.state.language = choice
    return choice


def merge_vary(existing: str | None, *names: str) -> str:
    """``Vary`` with ``names`` added once each (case-insensitive), existing ones first."""
    out = [v.strip() for v in (existing or "").split(",") if v.strip()]
    seen = {v.lower() for v in out}
    for name in names:
        if name.lower() not in seen:
            out.append(name)
            seen.add(name.lower())
    return ", ".join(out)


def cookie_header(lang: str) -> str:
    """The ``Set-Cookie`` value that remembers ``lang`` (for every page, a year, not for
    scripts; ``Lax`` so a link from elsewhere still carries it)."""
    return f"{COOKIE}={lang}; Path=/; Max-Age={COOKIE_MAX_AGE_S}; SameSite=Lax; HttpOnly"


# ------------------------------------------------------------------------------ the messages


class Translator:
    """``t(key, **values)`` of one language: the message as markup, values escaped."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._messages = catalogue(lang)
        self._fallback = catalogue(DEFAULT_LANGUAGE)

    def text(self, key: str) -> str:
        """The raw message; a key missing from both catalogues is a programming error."""
        found = self._messages.get(key)
        if found is None:
            found = self._fallback.get(key)
        if found is None:
            raise KeyError(f"no message {key!r} in web/messages/{self.lang}.json")
        return found

    def __call__(self, key: str, **values: object) -> Markup:
        template = escape(self.text(key))
        return Markup(template).format(**values) if values else Markup(template)

    def value(self, text: str) -> str:
        """A word the data or a page query gives in English for the interface (a relation
        such as "reports on it"), in this language when the catalogue has ``value.<text>``."""
        return self._messages.get("value." + text) or text

    def number(self, value: int) -> str:
        """A whole number as the language writes it: ``17,886`` in English; in Spanish
        groups of three separated by a no-break space from five digits on (RAE: ``17 886``,
        ``2025``), never a comma or a point, which read as decimals somewhere."""
        if self.lang == "es":
            return f"{value:,}".replace(",", "\u00a0") if abs(value) >= 10_000 else str(value)
        return f"{value:,}"

    def plural(self, key: str, count: int, **values: object) -> Markup:
        """``key.one`` for 1, ``key.other`` otherwise (the rule of both languages here);
        ``{n}`` is the count."""
        return self(f"{key}.{'one' if count == 1 else 'other'}", n=count, **values)

    @cached_property
    def scripts(self) -> Mapping[str, str]:
        """The messages the scripts use, for ``<body data-messages>``: the ``js.`` keys
        (without the prefix) and the names of the kinds of things (``kind.``, for the
        autocomplete). Computed once per language."""
        out = {}
        for key in self._fallback:
            if key.startswith(JS_PREFIX):
                out[key[len(JS_PREFIX) :]] = self.text(key)
            elif key.startswith("kind."):
                out[key] = self.text(key)
        return out


@cache
def translator(lang: str) -> Translator:
    return Translator(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


# ------------------------------------------------------------------------------ links


def with_language(url: str, lang: str) -> str:
    """``url`` with ``lang=`` set in its query string (before any ``#fragment``)."""
    base, hash_mark, fragment = url.partition("#")
    path, _, query = base.partition("?")
    kept = [p for p in query.split("&") if p and not p.startswith(PARAMETER + "=")]
    query = "&".join([*kept, urlencode({PARAMETER: lang})])
    return f"{path}?{query}{hash_mark}{fragment}"


def switch_links(request: Request, current: str) -> list[tuple[str, str, str, bool]]:
    """(code, own name, href, is current) for each language: the same page in it."""
    path = request.url.path
    query = request.url.query
    here = path + ("?" + query if query else "")
    return [
        (lang, LANGUAGE_NAMES[lang], with_language(here, lang), lang == current)
        for lang in LANGUAGES
    ]


# a path on this server ("/…", not "//host") or a query string alone ("?highlight=…")
_LOCAL_HREF = re.compile(r'(\shref=")(/(?!/)[^"#]*|\?[^"#]*)(#[^"]*)?"')


def keep_language(html: str, lang: str) -> str:
    """The page with ``lang=`` added to every link to this server (GET forms carry a hidden
    ``lang`` field instead: a browser drops the query string of a form's action).

    For an explicit ``?lang=``: a shared link must stay in its language for a reader whose
    browser sends another ``Accept-Language`` and has no cookie. Links to other sites, to
    ``/static/`` files and the switch's own links (which set ``lang=`` already) are kept."""

    def add(found: re.Match[str]) -> str:
        attr, target, fragment = found.group(1), found.group(2), found.group(3) or ""
        if target.startswith("/static/") or f"{PARAMETER}=" in target:
            return found.group(0)
        separator = "&amp;" if "?" in target else "?"
        return f'{attr}{target}{separator}{PARAMETER}={lang}{fragment}"'

    return _LOCAL_HREF.sub(add, html)


# ------------------------------------------------------------------------------ names


Labels = Callable[[Iterable[str]], Mapping[str, Mapping[str, str]]]
"""IRIs → {language tag → label}: :meth:`rcm_graph.web.ui.labels.LabelService.labels`."""


class Names:
    """The labels of the things a page shows, in the page's language.

    WHY on the page and not in each page query: the queries pick English (or untagged) labels
    and stay the same queries the pages show as "the query behind this page"; for another
    language the IRIs a page holds are looked up once, together, in the label service (cached
    per build), and a template asks ``name(iri_or_path, english)``: the label in the page's
    language, else the English one the query gave, else the IRI's short name."""

    def __init__(self, lang: str, base: str, found: Mapping[str, Mapping[str, str]]) -> None:
        self.lang = lang
        self.base = base
        self.found = found

    def iri(self, value: str) -> str:
        return self.base + value[1:] if value.startswith("/id/") else value

    def __call__(self, value: object, default: object = None) -> object:
        by_lang = self.found.get(self.iri(str(value))) if isinstance(value, str) else None
        if by_lang:
            for lang in (self.lang, DEFAULT_LANGUAGE, ""):
                if by_lang.get(lang):
                    return by_lang[lang]
        return default


def iris_in(context: object, base: str, limit: int = 5000) -> list[str]:
    """The IRIs of this dataset and its ontology a page's context holds (as IRIs, Terms or
    ``/id/`` paths): what may have a label in another language."""
    found: dict[str, None] = {}
    stack: list[object] = [context]
    while stack and len(found) < limit:
        item = stack.pop()
        if isinstance(item, str):
            if item.startswith(base) and " " not in item:
                found[item] = None
            elif item.startswith("/id/"):
                found[base + item[1:]] = None
        elif isinstance(item, Mapping):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
        elif hasattr(item, "__dataclass_fields__"):
            stack.extend(getattr(item, name) for name in item.__dataclass_fields__)
    return list(found)


__all__ = [
    "COOKIE",
    "LANGUAGES",
    "Choice",
    "Names",
    "Translator",
    "catalogue",
    "choose_language",
    "keep_language",
    "merge_vary",
    "negotiate_language",
    "parse_accept_language",
    "request_language",
    "translator",
]

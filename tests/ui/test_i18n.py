"""The English/Spanish interface (issue 19, point 9): the catalogues, the choice of language and
what the real server answers in each (headers, caching, labels, data left untranslated)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from rcm_graph.web.ui import i18n
from rcm_graph.web.ui.labels import SEARCH_KINDS
from rcm_graph.web.ui.summary import (
    ACTOR_SECTIONS,
    COMMITMENT_SECTIONS,
    DOCUMENT_SECTIONS,
    MEETING_SECTIONS,
)

WEB = Path(i18n.__file__).resolve().parent.parent
HTML = {"Accept": "text/html"}

# ------------------------------------------------------------------ the catalogues


def test_both_catalogues_have_the_same_keys_and_placeholders() -> None:
    en, es = i18n.catalogue("en"), i18n.catalogue("es")
    assert sorted(set(en) - set(es)) == [], "keys missing from es.json"
    assert sorted(set(es) - set(en)) == [], "keys missing from en.json"
    differing = [k for k in en if i18n.placeholders(en[k]) != i18n.placeholders(es[k])]
    assert differing == [], "placeholders differ between the languages"
    assert all(v.strip() for v in [*en.values(), *es.values()]), "an empty message"


def _keys_the_code_asks_for() -> set[str]:
    """Every key a template, the UI's Python or a script asks for, literal or composed."""
    keys: set[str] = set()
    for template in (WEB / "templates").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        keys |= set(re.findall(r"\bt\(\s*[\"']([a-z0-9_.]+)[\"']\s*[,)]", text))
        keys |= {
            f"{k}.{n}" for k in re.findall(r"\btn\(\s*[\"']([a-z0-9_.]+)[\"']", text)
            for n in ("one", "other")
        }  # fmt: skip
        whats = re.findall(r"query_note\([^,)]+,\s*\"([a-z]+)\"\)", text)
        keys |= {f"query_note.link.{w}" for w in [*whats, "page"]}
        for names in re.findall(r"for href, key in \[(.*?)\] %\}", text):
            keys |= {f"home.card.{n}" for n in re.findall(r'"([a-z]+)"\)', names)}
    for python in (WEB / "ui").glob("*.py"):
        text = python.read_text(encoding="utf-8")
        found = re.findall(r"\"((?:col|section|ontology)\.[a-z0-9_.]+)\"", text)
        keys |= {k for k in found if not k.endswith(".html")}  # a template's name
    for script in (WEB / "static").glob("*.js"):
        text = script.read_text(encoding="utf-8")
        keys |= {"js." + k for k in re.findall(r"\bT\(\s*\"([a-z_.]+)\"", text)}
        keys |= {"js." + k for k in re.findall(r"rcmT\(\s*\"([a-z_.]+)\"", text) if k != "kind."}
        keys |= {"js." + k for k in re.findall(r"\"(unbound\.(?:one|other))\"", text)}
    keys |= {f"lang.switch_to.{lang}" for lang in i18n.LANGUAGES}
    keys |= {f"kind.{kind}" for kind in SEARCH_KINDS}
    keys |= {f"home.card.{n}.text" for n in ("meetings", "states", "objectives", "commitments")}
    for spec in (*MEETING_SECTIONS, *DOCUMENT_SECTIONS, *ACTOR_SECTIONS, *COMMITMENT_SECTIONS):
        keys |= {spec.title, *(c.header for c in spec.columns)} | ({spec.empty} - {""})
    return keys


def test_every_key_the_code_asks_for_is_in_the_catalogue() -> None:
    asked = _keys_the_code_asks_for()
    assert len(asked) > 150  # the scan found the templates, the scripts and the sections
    assert sorted(asked - set(i18n.catalogue("en"))) == []


def test_a_message_escapes_its_values_but_keeps_markup_built_by_the_template() -> None:
    t = i18n.translator("es")
    assert str(t("kind.state")) == "Estado"
    assert "&lt;b&gt;" in str(t("search.found.one", n=1, q="<b>"))
    assert str(t.plural("search.found", 2, q="x")).startswith("2 resultados")
    assert (t.number(100_000), t.number(2025)) == ("100\u00a0000", "2025")
    assert i18n.translator("en").number(100_000) == "100,000"
    with pytest.raises(KeyError):
        t("no.such.key")


def test_names_prefer_the_page_language_then_english_then_untagged() -> None:
    base = "https://w3id.org/rcm-graph/"
    found = {
        base + "id/state/PAN": {"en": "Panama", "es": "Panamá"},
        base + "id/org/x": {"en": "Civil society", "": "untagged"},
        base + "id/org/y": {"": "untagged"},
    }
    name = i18n.Names("es", base, found)
    assert name("/id/state/PAN", "Panama") == "Panamá"  # a local path or the IRI
    assert name(base + "id/org/x", "from the query") == "Civil society"
    assert name(base + "id/org/y") == "untagged"
    assert name(base + "id/org/z", "from the query") == "from the query"
    context = {"rows": [{"href": "/id/state/PAN"}], "iri": base + "id/org/x", "n": 3}
    assert sorted(i18n.iris_in(context, base)) == [base + "id/org/x", base + "id/state/PAN"]


# ------------------------------------------------------------------ choosing the language


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es", "es"),
        ("es-MX,es;q=0.9,en;q=0.5", "es"),
        ("en-US,en;q=0.9,es;q=0.8", "en"),
        ("fr-FR,fr;q=0.9,es;q=0.4,en;q=0.3", "es"),  # French is not offered: the next one
        ("en;q=0.2, es;q=0.8", "es"),  # order of the header does not matter, q does
        ("de, *;q=0.5", "en"),  # the wildcard stands for any language: the first offered
        ("en;q=0, *", "es"),  # ... except one excluded with q=0
        ("ES-mx", "es"),  # case-insensitive
        ("fr, de", None),
        ("", None),
        ("es;q=abc, ;;, en;q=2", None),  # malformed ranges and q-values are skipped
    ],
)
def test_accept_language_negotiation(header: str, expected: str | None) -> None:
    assert i18n.negotiate_language(header) == expected


def test_the_url_wins_over_the_cookie_which_wins_over_accept_language() -> None:
    assert i18n.choose_language("es", "en", "en") == i18n.Choice("es", True)
    assert i18n.choose_language(None, "es", "en-US") == i18n.Choice("es", False)
    assert i18n.choose_language("xx", None, "es-AR") == i18n.Choice("es", False)
    assert i18n.choose_language(None, "klingon", "fr") == i18n.Choice("en", False)


def test_links_keep_an_explicit_language() -> None:
    html = (
        '<a href="/browse/states">x</a> <a href="/id/doc/a?highlight=1-2#span-1-2">y</a>'
        ' <a href="https://example.org/">z</a> <link href="/static/ui.css">'
        ' <a href="/query?lang=en">English</a> <a href="?highlight=3-4#span-3-4">s</a>'
    )
    kept = i18n.keep_language(html, "es")
    assert '<a href="/browse/states?lang=es">' in kept
    assert 'href="/id/doc/a?highlight=1-2&amp;lang=es#span-1-2"' in kept
    assert 'href="https://example.org/"' in kept and 'href="/static/ui.css"' in kept
    assert 'href="/query?lang=en"' in kept
    assert 'href="?highlight=3-4&amp;lang=es#span-3-4"' in kept
    assert i18n.with_language("/search?q=a&lang=en#top", "es") == "/search?q=a&lang=es#top"


# ------------------------------------------------------------------ the real server


def test_lang_parameter_gives_the_spanish_page_and_remembers_it(client: httpx.Client) -> None:
    page = client.get("/browse/states", params={"lang": "es"}, headers=HTML)
    assert page.status_code == 200
    assert page.headers["content-language"] == "es"
    assert '<html lang="es">' in page.text
    assert "<h1>Estados " in page.text and "Estados miembros y observadores" in page.text
    assert ">Panamá</a>" in page.text  # the @es label of the state
    assert "Estado miembro" in page.text  # the @es label of its membership status
    assert 'href="/browse/meetings?lang=es"' in page.text  # the links keep the language
    assert 'href="/browse/states?lang=en" hreflang="en"' in page.text  # the switch: same page
    assert page.headers["set-cookie"].startswith(f"{i18n.COOKIE}=es;")
    # the cookie alone keeps the next page in Spanish
    cookie = {i18n.COOKIE: "es"}
    resource = client.get("/id/state/PAN", headers=HTML, cookies=cookie)
    assert resource.headers["content-language"] == "es"
    assert "<h1>Panamá</h1>" in resource.text
    assert "Reuniones en las que participó" in resource.text  # a readable section's title
    assert ">participó en</a>" in resource.text  # a property's @es label from the ontology
    assert "Panama will open a help desk" in resource.text  # quoted data stays as written


def test_accept_language_chooses_and_pages_vary_by_it(client: httpx.Client) -> None:
    spanish = client.get("/", headers={**HTML, "Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    english = client.get("/", headers={**HTML, "Accept-Language": "en-US,en;q=0.9"})
    assert spanish.headers["content-language"] == "es"
    assert "Conferencia Regional sobre Migración" in spanish.text
    assert english.headers["content-language"] == "en"
    assert "The Regional Conference on Migration as linked data" in english.text
    assert "set-cookie" not in spanish.headers  # only the switch (?lang=) sets the cookie
    for response in (spanish, english):
        vary = {v.strip().lower() for v in response.headers["vary"].split(",")}
        assert {"accept-language", "cookie"} <= vary
    # the ETag names the language: a cache must not answer a Spanish tag to an English reader
    assert spanish.headers["etag"] != english.headers["etag"]
    again = {"If-None-Match": spanish.headers["etag"]}
    english_again = client.get("/", headers={**HTML, "Accept-Language": "en", **again})
    spanish_again = client.get("/", headers={**HTML, "Accept-Language": "es", **again})
    assert english_again.status_code == 200 and english_again.headers["content-language"] == "en"
    assert spanish_again.status_code == 304


def test_data_answers_are_not_translated(client: httpx.Client) -> None:
    spanish = {"Accept-Language": "es"}
    rows = client.get("/browse/states", params={"format": "json", "lang": "es"})
    assert rows.headers["content-type"].startswith("application/sparql-results+json")
    assert "content-language" not in rows.headers
    assert rows.content == client.get("/browse/states", params={"format": "json"}).content
    found = client.get("/search", params={"q": "panam", "format": "json"}, headers=spanish)
    assert found.json()["results"][0]["kindLabel"] == "state"
    sparql = client.get("/sparql", params={"query": "ASK {}"}, headers=spanish)
    assert "content-language" not in sparql.headers


def test_error_and_catalogue_pages_in_spanish(client: httpx.Client) -> None:
    missing = client.get("/id/state/XXX", params={"lang": "es"}, headers=HTML)
    assert missing.status_code == 404
    assert "404 — No encontrado" in missing.text and "Consulta SPARQL" in missing.text
    form = client.get("/queries/commitments-due-before", params={"lang": "es"}, headers=HTML)
    assert "Catálogo de consultas" in form.text and ">Ejecutar</button>" in form.text
    assert '<input type="hidden" name="lang" value="es">' in form.text  # the form keeps it

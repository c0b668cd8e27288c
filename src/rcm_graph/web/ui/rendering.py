"""HTML rendering: one Jinja2 environment with autoescaping, the filters pages share, the footer.

WHY autoescape everywhere (``select_autoescape`` is not enough: it keys on file names): every
value comes from documents nobody here wrote, so a document containing ``<script>`` must show as
text. No template uses ``|safe``; markup is built by templates from plain values only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse

from rcm_graph import __version__
from rcm_graph.model.vocab import ONTOLOGY_IRI, PREFIXES
from rcm_graph.web.ui import i18n
from rcm_graph.web.ui.i18n import Names

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

DATA_LICENCE = "CC BY 4.0"
DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
ATTRIBUTION = "rcm-graph contributors, built from documents of the Regional Conference on Migration"
CODE_LICENCE = "Apache-2.0"

# Content-Security-Policy of every HTML page: only our own scripts (the vendored YASGUI and
# ui.js), no inline script; inline styles are needed by the CodeMirror editor inside YASGUI.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


@dataclass(frozen=True)
class Links:
    """Maps IRIs of the dataset to paths on this server, and names them shortly."""

    base: str

    def local(self, iri: str) -> str:
        """The path on this server that answers ``iri``; external IRIs stay as they are."""
        if iri.startswith(self.base + "id/"):
            return "/" + iri[len(self.base) :]
        if iri.startswith(ONTOLOGY_IRI):
            rest = iri[len(ONTOLOGY_IRI) :]
            return "/ontology" + (rest if rest.startswith("#") else "")
        return iri

    def is_local(self, iri: str) -> bool:
        return self.local(iri) != iri

    def curie(self, iri: str) -> str:
        """``rcm:Meeting`` for a known namespace, else the IRI."""
        best = ""
        name = ""
        for prefix, ns in PREFIXES.items():
            if iri.startswith(str(ns)) and len(str(ns)) > len(best):
                best, name = str(ns), prefix
        local = iri[len(best) :]
        if best and local and "/" not in local and "#" not in local:
            return f"{name}:{local}"
        if iri.startswith(self.base):
            return iri[len(self.base) :]
        return iri


def query_link(sparql: str) -> str:
    """A link to the query page with ``sparql`` loaded in the editor (a shareable URL)."""
    return "/query?" + urlencode({"query": sparql})


def _make_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["urlquote"] = lambda value: quote(str(value), safe="")
    env.globals.update(
        version=__version__,
        licence=DATA_LICENCE,
        licence_url=DATA_LICENCE_URL,
        attribution=ATTRIBUTION,
        code_licence=CODE_LICENCE,
        query_link=query_link,
    )
    return env


ENV = _make_env()


def _names(request: Request, lang: str, links: Links, context: Mapping[str, object]) -> Names:
    """The labels in ``lang`` of the things ``context`` holds (none needed for English: the
    page queries pick English labels)."""
    service = getattr(request.app.state, "ui_labels", None)
    if lang == i18n.DEFAULT_LANGUAGE or service is None:
        return Names(lang, links.base, {})
    iris = i18n.iris_in(context, links.base)
    return Names(lang, links.base, service.labels(iris) if iris else {})


def render(
    request: Request,
    template: str,
    context: Mapping[str, object],
    *,
    links: Links,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render a page in the reader's language (:mod:`.i18n`); every page gets the link
    helpers, the request path, the footer data, ``t`` and ``name``."""
    choice = i18n.request_language(request)
    t = i18n.translator(choice.lang)
    html = ENV.get_template(template).render(
        request_path=request.url.path,
        local=links.local,
        curie=links.curie,
        is_local=links.is_local,
        base_iri=links.base,
        lang=choice.lang,
        lang_explicit=choice.explicit,
        languages=i18n.switch_links(request, choice.lang),
        t=t,
        tn=t.plural,
        tv=t.value,
        num=t.number,
        name=_names(request, choice.lang, links, context),
        script_messages=t.scripts,
        **context,
    )
    if choice.explicit:
        html = i18n.keep_language(html, choice.lang)
    out = dict(headers or {})
    out["Content-Language"] = choice.lang
    out["Vary"] = i18n.merge_vary(out.get("Vary"), *i18n.VARY)
    response = HTMLResponse(html, status_code=status_code, headers=out)
    if choice.explicit:
        response.headers.append("Set-Cookie", i18n.cookie_header(choice.lang))
    # the security headers are set on every HTML answer by ui.security.SecurityHeaders
    return response


def add_security_headers(headers: MutableHeaders) -> None:
    """Set the security headers that are not set yet."""
    for name, value in SECURITY_HEADERS.items():
        if name not in headers:
            headers[name] = value

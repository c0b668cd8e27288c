"""``slugify``: the one rule that turns a name into the slug of an IRI or a document id.

WHY its own module: the reader derives document ids from file names and the IRI minter derives
path segments from names, and both must agree (a document's graph IRI is built from its id).
The reader produces plain data and may not load rdflib, which :mod:`rcm_graph.model.iris` needs,
so the rule lives here, with nothing but the standard library.
"""

from __future__ import annotations

import re
import unicodedata

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, *, max_length: int = 80) -> str:
    """ASCII, lower-case, hyphen-separated; accents folded ("Panamá" -> "panama")."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", folded.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "x"

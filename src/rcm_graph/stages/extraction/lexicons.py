"""Reading the extraction lexicons (``extraction/lexicon/*.tsv``) once per process.

The tables are general vocabulary (see the folder's README): names and acronyms of actors,
cities, and evidence phrases for GCM objectives, principles and topics. A malformed row fails
with the file and line, like the reference tables.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from rcm_graph.errors import InputError

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"


@cache
def table(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of ``lexicon/<name>`` (header and ``#`` comments skipped), fields stripped."""
    path = LEXICON_DIR / name
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read lexicon ({exc})", where=str(path)) from None
    header = lines[0].split("\t")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) < len(header):
            fields += [""] * (len(header) - len(fields))
        if not fields[0] or len(fields) > len(header):
            raise InputError(
                "malformed lexicon row",
                where=f"{path}:{number}",
                hint=f"each row needs {len(header)} tab-separated fields: {', '.join(header)}",
            )
        rows.append(tuple(fields))
    return tuple(rows)


def phrase_pattern(phrase: str) -> str:
    """A lexicon phrase as a regex: whole words, flexible spaces and hyphens, ``*`` = word end."""
    parts = []
    for word in phrase.split():
        star = word.endswith("*")
        core = re.escape(word.rstrip("*")).replace(r"\-", r"[-\s]?")
        parts.append(core + (r"\w*" if star else ""))
    return r"(?<!\w)" + r"[\s-]+".join(parts) + r"(?!\w)"

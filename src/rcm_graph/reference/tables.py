"""The verified reference tables (package data ``reference_data/*.tsv``) as typed rows.

One reader for every consumer: the reference graph, the extractor's gazetteer and the tests.
Each row keeps its ``source`` column so that provenance of reference facts is never lost.
A malformed table fails with the file, the line and the column that is wrong.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rcm_graph.errors import InputError
from rcm_graph.resources import reference_data_dir


@dataclass(frozen=True)
class Objective:
    number: int
    title_en: str
    title_es: str | None
    short_label_en: str
    short_label_es: str | None
    gcm_paragraph: str
    source: str
    notes: str


@dataclass(frozen=True)
class Principle:
    letter: str
    label_en: str
    label_es: str | None
    text_en: str
    gcm_paragraph: str
    source: str
    notes: str


@dataclass(frozen=True)
class Organization:
    key: str
    name_en: str
    name_es: str | None
    acronym_en: str | None
    acronym_es: str | None
    wikidata_qid: str | None
    type: str
    source: str
    notes: str


@dataclass(frozen=True)
class ProcessMember:
    """A row of rcm-members.tsv: one actor's status in a process (RCM or SACM)."""

    process: str
    status: str
    name_en: str
    name_es: str | None
    iso3: str | None
    iso2: str | None
    wikidata_qid: str | None
    source: str
    notes: str


@dataclass(frozen=True)
class ReferenceData:
    objectives: tuple[Objective, ...]
    principles: tuple[Principle, ...]
    organizations: tuple[Organization, ...]
    members: tuple[ProcessMember, ...]
    directory: Path

    def organization(self, key: str) -> Organization | None:
        return next((o for o in self.organizations if o.key == key), None)


def _rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = reader.fieldnames or []
            missing = [c for c in required if c not in header]
            if missing:
                raise InputError(
                    f"missing column(s) {', '.join(missing)}",
                    where=f"{path}:1",
                    hint="restore the header row of the reference table",
                )
            rows = []
            for row in reader:
                if None in row or any(v is None for v in row.values()):
                    raise InputError(
                        "wrong number of tab-separated fields",
                        where=f"{path}:{reader.line_num}",
                        hint=f"each row needs {len(header)} fields",
                    )
                rows.append((reader.line_num, {k: v.strip() for k, v in row.items()}))
            return rows
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read reference table ({exc})", where=str(path)) from None


def _opt(value: str) -> str | None:
    return value or None


def _int(value: str, where: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise InputError(f"expected a whole number, got {value!r}", where=where) from None


def load_reference_data(directory: Path | None = None) -> ReferenceData:
    """Read and check the four reference tables (default: the package's own)."""
    directory = directory or reference_data_dir()
    obj_path = directory / "gcm-objectives.tsv"
    objectives = tuple(
        Objective(
            number=_int(r["number"], f"{obj_path}:{line}"),
            title_en=r["title_en"],
            title_es=_opt(r["title_es"]),
            short_label_en=r["short_label_en"],
            short_label_es=_opt(r["short_label_es"]),
            gcm_paragraph=r["gcm_paragraph"],
            source=r["source"],
            notes=r["notes"],
        )
        for line, r in _rows(
            obj_path, ("number", "title_en", "title_es", "short_label_en", "short_label_es")
        )
    )
    pr_path = directory / "gcm-guiding-principles.tsv"
    principles = tuple(
        Principle(
            letter=r["letter"],
            label_en=r["label_en"],
            label_es=_opt(r["label_es"]),
            text_en=r["text_en"],
            gcm_paragraph=r["gcm_paragraph"],
            source=r["source"],
            notes=r["notes"],
        )
        for _, r in _rows(pr_path, ("letter", "label_en", "label_es", "text_en"))
    )
    org_path = directory / "organizations.tsv"
    organizations = tuple(
        Organization(
            key=r["key"],
            name_en=r["name_en"],
            name_es=_opt(r["name_es"]),
            acronym_en=_opt(r["acronym_en"]),
            acronym_es=_opt(r["acronym_es"]),
            wikidata_qid=_opt(r["wikidata_qid"]),
            type=r["type"],
            source=r["source"],
            notes=r["notes"],
        )
        for _, r in _rows(org_path, ("key", "name_en", "acronym_en", "type"))
    )
    mem_path = directory / "rcm-members.tsv"
    members = tuple(
        ProcessMember(
            process=r["process"],
            status=r["status"],
            name_en=r["name_en"],
            name_es=_opt(r["name_es"]),
            iso3=_opt(r["iso3166_alpha3"]),
            iso2=_opt(r["iso3166_alpha2"]),
            wikidata_qid=_opt(r["wikidata_qid"]),
            source=r["source"],
            notes=r["notes"],
        )
        for _, r in _rows(mem_path, ("process", "status", "name_en", "iso3166_alpha3"))
    )
    if sorted(o.number for o in objectives) != list(range(1, 24)):
        raise InputError("the GCM has objectives 1 to 23; the table differs", where=str(obj_path))
    return ReferenceData(objectives, principles, organizations, members, directory)


@cache
def reference_data() -> ReferenceData:
    """The package's reference data, read once per process."""
    return load_reference_data()

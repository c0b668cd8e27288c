"""Editors' corrections: one TOML file per document that adds, corrects or removes facts.

Why TOML: Python reads it with the standard library (``tomllib``), so curation needs no new
dependency; it allows comments (editors explain *why*), and its tables of arrays map one to one
onto facts. YAML would need PyYAML and has surprising implicit types ("NO" is false); JSON
allows no comments.

A file ``<curation-dir>/<doc_id>.toml`` looks like::

    [[remove]]                      # drop extracted facts that match
    type = "participation"          # participation | commitment | meeting | person |
    actor = "BLZ"                   #   objective | stance | statement
    role = "participant"
    reason = "Belize is only thanked for its support"

    [[add.participation]]
    actor = "CRI"                   # ISO3 -> state; "rcm:troika" -> body; else organization
    role = "host"
    quote = "welcomed the delegations to San José"   # evidence: words of the document

    [[correct.meeting]]
    id = "m1"
    start = "2019-05-06"
    city = "San José"
    country = "CRI"

    [[correct.commitment]]
    quote = "shall submit, no later than 15 July"
    responsible = ["rcm:presidency-pro-tempore"]
    due = "2019-07-15"

Curated facts carry ``method = "curated"`` and win over extracted ones; every change is listed
in the returned report. A malformed file raises :class:`~rcm_graph.errors.CurationError` with
the file and line.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, cast, get_args

from rcm_graph.errors import CurationError
from rcm_graph.model.facts import (
    ActorKind,
    ActorRef,
    Commitment,
    CommitmentKind,
    DateValue,
    DocumentFacts,
    Meeting,
    MeetingKind,
    ObjectiveMention,
    Participation,
    Person,
    Place,
    Role,
    Span,
)

CURATED = "curated"
_REMOVABLE = (
    "participation",
    "commitment",
    "meeting",
    "person",
    "objective",
    "stance",
    "statement",
)
_ADDABLE = ("participation", "commitment", "meeting", "person", "objective")
_CORRECTABLE = ("meeting", "commitment", "person")


class _File:
    """A parsed curation file and the means to say where something is in it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CurationError(f"cannot read curation file ({exc})", where=str(path)) from None
        try:
            self.data = tomllib.loads(self.raw)
        except tomllib.TOMLDecodeError as exc:
            line = re.search(r"line (\d+)", str(exc))
            raise CurationError(
                f"not valid TOML: {exc}",
                where=f"{path}:{line.group(1) if line else 1}",
                hint="see the format in the module documentation of rcm_graph.stages.curation",
            ) from None
        self.lines = self.raw.splitlines()

    def where(self, header: str, index: int, key: str | None = None) -> str:
        """``file:line`` of the ``index``-th ``[[header]]`` table (and its ``key`` if given)."""
        pattern = re.compile(rf"^\s*\[\[\s*{re.escape(header)}\s*\]\]")
        hits = [i for i, line in enumerate(self.lines) if pattern.match(line)]
        line = hits[index] if index < len(hits) else 0
        if key is not None:
            for j in range(line + 1, len(self.lines)):
                if self.lines[j].lstrip().startswith("["):
                    break
                if re.match(rf"^\s*{re.escape(key)}\s*=", self.lines[j]):
                    line = j
                    break
        return f"{self.path}:{line + 1}"


def apply_curation(documents: list[DocumentFacts], curation_dir: Path) -> list[str]:
    """Apply every ``*.toml`` of ``curation_dir`` to the matching document; return the report."""
    if not curation_dir.is_dir():
        raise CurationError(
            "the curation folder does not exist",
            where=str(curation_dir),
            hint="create it or do not pass a curation folder",
        )
    by_id = {d.doc_id: d for d in documents}
    report: list[str] = []
    for path in sorted(curation_dir.glob("*.toml")):
        cfile = _File(path)
        doc_id = cfile.data.get("doc_id", path.stem)
        doc = by_id.get(doc_id) if isinstance(doc_id, str) else None
        if doc is None:
            raise CurationError(
                f"no document with id {doc_id!r} in the corpus",
                where=f"{path}:1",
                hint=f"name the file after a document id: {', '.join(sorted(by_id)) or '(none)'}",
            )
        report.extend(_apply(cfile, doc))
    return report


def files_by_document(curation_dir: Path) -> dict[str, list[Path]]:
    """The ``*.toml`` files of ``curation_dir`` by the document id each applies to, in the
    order :func:`apply_curation` applies them.

    WHY: a build that extracts one document at a time (in any worker process) gives each
    document exactly the files that name it, with :func:`apply_files`, as
    :func:`apply_curation` would over the whole corpus.
    """
    if not curation_dir.is_dir():
        raise CurationError(
            "the curation folder does not exist",
            where=str(curation_dir),
            hint="create it or do not pass a curation folder",
        )
    found: dict[str, list[Path]] = {}
    for path in sorted(curation_dir.glob("*.toml")):
        doc_id = _File(path).data.get("doc_id", path.stem)
        found.setdefault(doc_id if isinstance(doc_id, str) else repr(doc_id), []).append(path)
    return found


def apply_files(paths: Iterable[Path], doc: DocumentFacts) -> list[str]:
    """Apply the curation files ``paths`` to ``doc``, in order; return what they changed."""
    report: list[str] = []
    for path in paths:
        report.extend(_apply(_File(path), doc))
    return report


def _apply(cfile: _File, doc: DocumentFacts) -> list[str]:
    unknown = set(cfile.data) - {"doc_id", "remove", "add", "correct"}
    if unknown:
        raise CurationError(
            f"unknown top-level key(s): {', '.join(sorted(unknown))}",
            where=f"{cfile.path}:1",
            hint="use [[remove]], [[add.<type>]] or [[correct.<type>]]",
        )
    report: list[str] = []
    for i, entry in enumerate(_tables(cfile, cfile.data.get("remove", []), "remove")):
        report.extend(_remove(cfile, doc, entry, i))
    for section, allowed, handler in (
        ("add", _ADDABLE, _ADDERS),
        ("correct", _CORRECTABLE, _CORRECTORS),
    ):
        block = cfile.data.get(section, {})
        if not isinstance(block, dict):
            raise CurationError(f"[{section}] must be a table", where=f"{cfile.path}:1")
        for kind, entries in block.items():
            if kind not in allowed:
                raise CurationError(
                    f"cannot {section} facts of type {kind!r}",
                    where=cfile.where(f"{section}.{kind}", 0),
                    hint=f"types: {', '.join(allowed)}",
                )
            header = f"{section}.{kind}"
            for i, entry in enumerate(_tables(cfile, entries, header)):
                report.append(handler[kind](_Entry(cfile, header, i, entry), doc))
    return [f"{doc.doc_id}: {line}" for line in report]


def _tables(cfile: _File, value: object, header: str) -> list[dict[str, object]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise CurationError(
            f"{header} must be an array of tables ([[{header}]])", where=cfile.where(header, 0)
        )
    return value


class _Entry:
    def __init__(self, cfile: _File, header: str, index: int, data: dict[str, object]) -> None:
        self.cfile, self.header, self.index, self.data = cfile, header, index, data

    def fail(self, what: str, key: str | None = None, hint: str | None = None) -> CurationError:
        return CurationError(what, where=self.cfile.where(self.header, self.index, key), hint=hint)

    def check_keys(self, allowed: set[str]) -> None:
        extra = set(self.data) - allowed - {"reason"}
        if extra:
            raise self.fail(
                f"unknown field(s) {', '.join(sorted(extra))}",
                next(iter(sorted(extra))),
                hint=f"allowed: {', '.join(sorted(allowed | {'reason'}))}",
            )

    def text(self, key: str, *, required: bool = True) -> str | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.fail(f"missing field {key!r}")
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{key!r} must be a non-empty string", key)
        return value

    def texts(self, key: str) -> list[str] | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{key!r} must be a list of strings", key)
        return list(value)

    def date(self, key: str) -> DateValue | None:
        value = self.data.get(key)
        if value is None:
            return None
        try:
            day = value if isinstance(value, date) else date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(f"{key!r} must be a date YYYY-MM-DD, got {value!r}", key) from None
        span = Span(0, 0, "")
        return DateValue(day, span, day.year, day.month, day.day)

    def span(self, doc: DocumentFacts, key: str = "quote", required: bool = True) -> Span | None:
        quote = self.text(key, required=required)
        if quote is None:
            return None
        start = doc.text.find(quote)
        if start < 0:
            folded = re.sub(r"\s+", " ", doc.text)
            if quote not in folded:
                raise self.fail(
                    f"the quote {quote!r} does not occur in the document",
                    key,
                    hint="copy the words exactly from the document text",
                )
            # map a whitespace-normalised hit back to the original
            pattern = r"\s+".join(re.escape(w) for w in quote.split())
            m = re.search(pattern, doc.text)
            assert m is not None
            return Span(m.start(), m.end(), m.group())
        return Span(start, start + len(quote), quote)


def _actor(entry: _Entry, key: str, span: Span, name: str | None = None) -> ActorRef:
    from rcm_graph.reference.tables import reference_data

    if re.fullmatch(r"[A-Z]{3}", key):
        kind = "state"
    elif ":" in key:
        kind = "body"
    elif key in ("rcm", "sacm"):
        kind = "process"
    elif reference_data().organization(key) is not None:
        kind = "organization"
    elif key in ("participating-countries", "observer-organizations", "member-countries"):
        kind = "group"
    else:
        raise entry.fail(
            f"unknown actor {key!r}",
            hint="use an ISO 3166 alpha-3 code, an organization key of organizations.tsv, "
            "rcm/sacm, or process:body (rcm:technical-secretariat)",
        )
    return ActorRef(cast(ActorKind, kind), key, name or key, span, CURATED)


def _meeting_id(entry: _Entry, doc: DocumentFacts) -> str:
    mid = entry.text("meeting", required=False)
    if mid is None:
        reported = [m for m in doc.meetings if m.reported]
        if not reported:
            raise entry.fail("the document has no reported meeting; give 'meeting'")
        return reported[0].local_id
    if not any(m.local_id == mid for m in doc.meetings):
        raise entry.fail(f"no meeting {mid!r} in the document", "meeting")
    return mid


def _covers(span: Span, quote: str | None) -> bool:
    return quote is None or " ".join(quote.split()) in " ".join(span.text.split())


def _remove(cfile: _File, doc: DocumentFacts, data: dict[str, object], i: int) -> list[str]:
    entry = _Entry(cfile, "remove", i, data)
    entry.check_keys({"type", "actor", "role", "quote", "id", "number", "name"})
    kind = entry.text("type")
    if kind not in _REMOVABLE:
        raise entry.fail(
            f"cannot remove facts of type {kind!r}", "type", hint=f"types: {', '.join(_REMOVABLE)}"
        )
    actor, role = data.get("actor"), data.get("role")
    quote = entry.text("quote", required=False)
    number = data.get("number")
    lists: dict[str, tuple[list[Any], Callable[[Any], bool]]] = {
        "participation": (
            doc.participations,
            lambda f: (
                isinstance(f, Participation)
                and (actor is None or f.actor.key == actor)
                and (role is None or f.role == role)
                and _covers(f.span, quote)
            ),
        ),
        "commitment": (
            doc.commitments,
            lambda f: (
                isinstance(f, Commitment)
                and _covers(f.span, quote)
                and (data.get("id") in (None, f.local_id))
            ),
        ),
        "meeting": (
            doc.meetings,
            lambda f: (
                isinstance(f, Meeting)
                and data.get("id") in (None, f.local_id)
                and _covers(f.span, quote)
            ),
        ),
        "person": (
            doc.persons,
            lambda f: (
                isinstance(f, Person)
                and data.get("name") in (None, f.name)
                and data.get("id") in (None, f.local_id)
            ),
        ),
        "objective": (
            doc.objectives,
            lambda f: (
                isinstance(f, ObjectiveMention)
                and number in (None, f.number)
                and _covers(f.paragraph, quote)
            ),
        ),
        "stance": (
            doc.stances,
            lambda f: actor in (None, getattr(getattr(f, "state", None), "key", None)),
        ),
        "statement": (doc.statements, lambda f: _covers(getattr(f, "span"), quote)),  # noqa: B009
    }
    items, match = lists[str(kind)]
    gone = [f for f in items if match(f)]
    if not gone:
        raise entry.fail(
            f"nothing to remove: no {kind} matches",
            hint="check the actor, role, number or quote against the extracted facts",
        )
    for f in gone:
        items.remove(f)
    reason = data.get("reason")
    return [
        f"removed {len(gone)} {kind} fact(s) matching {_describe(data)}"
        + (f" ({reason})" if reason else "")
    ]


def _describe(data: dict[str, object]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in data.items() if k not in ("type", "reason"))


def _add_participation(entry: _Entry, doc: DocumentFacts) -> str:
    entry.check_keys({"actor", "role", "quote", "meeting", "name"})
    role = entry.text("role")
    if role not in get_args(Role):
        raise entry.fail(
            f"unknown role {role!r}", "role", hint=f"roles: {', '.join(get_args(Role))}"
        )
    span = entry.span(doc)
    assert span is not None
    actor = _actor(entry, str(entry.text("actor")), span, entry.text("name", required=False))
    meeting = _meeting_id(entry, doc)
    before = len(doc.participations)
    doc.participations[:] = [
        p
        for p in doc.participations
        if not (p.actor.key == actor.key and p.role == role and p.meeting == meeting)
    ]
    doc.participations.append(Participation(meeting, actor, cast(Role, role), span, CURATED))
    verb = "overrode" if len(doc.participations) <= before else "added"
    return f"{verb} participation {actor.key} as {role} at {meeting}"


def _add_commitment(entry: _Entry, doc: DocumentFacts) -> str:
    entry.check_keys({"quote", "responsible", "due", "kind", "provision", "meeting", "objectives"})
    span = entry.span(doc)
    assert span is not None
    kind = entry.text("kind", required=False) or "agreement"
    if kind not in get_args(CommitmentKind):
        raise entry.fail(f"unknown commitment kind {kind!r}", "kind")
    responsible = [_actor(entry, k, span) for k in entry.texts("responsible") or []]
    due = entry.date("due")
    objectives = entry.data.get("objectives", [])
    if not isinstance(objectives, list) or not all(
        isinstance(n, int) and 1 <= n <= 23 for n in objectives
    ):
        raise entry.fail("'objectives' must be a list of numbers 1-23", "objectives")
    doc.commitments[:] = [c for c in doc.commitments if not _covers(c.span, span.text)]
    local_id = f"cur-c{len(doc.commitments) + 1}"
    doc.commitments.append(
        Commitment(
            local_id,
            span.text,
            cast(CommitmentKind, kind),
            span,
            responsible,
            replace(due, span=span) if due else None,
            meeting=_meeting_id(entry, doc) if doc.meetings else None,
            provision=entry.text("provision", required=False),
            objectives=list(objectives),
            method=CURATED,
        )
    )
    return f"added commitment {local_id} ({', '.join(r.key for r in responsible) or 'no actor'})"


def _add_meeting(entry: _Entry, doc: DocumentFacts) -> str:
    entry.check_keys(
        {"name", "kind", "quote", "start", "end", "reported", "planned", "city", "country", "id"}
    )
    span = entry.span(doc)
    assert span is not None
    kind = entry.text("kind", required=False) or "meeting"
    if kind not in get_args(MeetingKind):
        raise entry.fail(f"unknown meeting kind {kind!r}", "kind")
    local_id = entry.text("id", required=False) or f"cur-m{len(doc.meetings) + 1}"
    start = entry.date("start")
    end = entry.date("end") or start
    meeting = Meeting(
        local_id,
        str(entry.text("name")),
        cast(MeetingKind, kind),
        span,
        reported=bool(entry.data.get("reported", False)),
        planned=bool(entry.data.get("planned", False)),
        start=replace(start, span=span) if start else None,
        end=replace(end, span=span) if end else None,
        method=CURATED,
    )
    _set_place(entry, meeting, span)
    doc.meetings[:] = [m for m in doc.meetings if m.local_id != local_id]
    doc.meetings.append(meeting)
    return f"added meeting {local_id} ({meeting.name})"


def _set_place(entry: _Entry, meeting: Meeting, span: Span) -> None:
    city = entry.text("city", required=False)
    country = entry.text("country", required=False)
    if country is not None and not re.fullmatch(r"[A-Z]{3}", country):
        raise entry.fail("'country' must be an ISO 3166 alpha-3 code", "country")
    if city or country:
        meeting.place = Place(city, country, span)


def _add_person(entry: _Entry, doc: DocumentFacts) -> str:
    entry.check_keys({"name", "title", "affiliation", "quote"})
    span = entry.span(doc)
    assert span is not None
    name = str(entry.text("name"))
    aff = entry.text("affiliation", required=False)
    doc.persons[:] = [p for p in doc.persons if p.name != name]
    doc.persons.append(
        Person(
            f"cur-p{len(doc.persons) + 1}",
            name,
            span,
            entry.text("title", required=False),
            _actor(entry, aff, span) if aff else None,
            CURATED,
        )
    )
    return f"added person {name}"


def _add_objective(entry: _Entry, doc: DocumentFacts) -> str:
    entry.check_keys({"number", "quote"})
    number = entry.data.get("number")
    if not isinstance(number, int) or not 1 <= number <= 23:
        raise entry.fail("'number' must be a GCM objective number 1-23", "number")
    span = entry.span(doc)
    assert span is not None
    doc.objectives.append(ObjectiveMention(number, span, span, CURATED))
    return f"added objective {number}"


def _correct_meeting(entry: _Entry, doc: DocumentFacts) -> str:
    entry.check_keys(
        {"id", "name", "kind", "start", "end", "city", "country", "reported", "planned", "ordinal"}
    )
    mid = entry.text("id")
    meeting = next((m for m in doc.meetings if m.local_id == mid), None)
    if meeting is None:
        raise entry.fail(
            f"no meeting {mid!r} in the document",
            "id",
            hint=f"ids: {', '.join(m.local_id for m in doc.meetings) or '(none)'}",
        )
    changed = []
    for key in ("start", "end"):
        value = entry.date(key)
        if value is not None:
            old = getattr(meeting, key)
            setattr(meeting, key, replace(value, span=old.span if old else meeting.span))
            changed.append(key)
    if "kind" in entry.data:
        kind = entry.text("kind")
        if kind not in get_args(MeetingKind):
            raise entry.fail(f"unknown meeting kind {kind!r}", "kind")
        meeting.kind = cast(MeetingKind, kind)
        changed.append("kind")
    if "name" in entry.data:
        meeting.name = str(entry.text("name"))
        changed.append("name")
    for flag in ("reported", "planned"):
        if flag in entry.data:
            setattr(meeting, flag, bool(entry.data[flag]))
            changed.append(flag)
    if "ordinal" in entry.data:
        ordinal = entry.data["ordinal"]
        if not isinstance(ordinal, int):
            raise entry.fail("'ordinal' must be a whole number", "ordinal")
        meeting.ordinal = ordinal
        changed.append("ordinal")
    if "city" in entry.data or "country" in entry.data:
        _set_place(entry, meeting, meeting.place.span if meeting.place else meeting.span)
        changed.append("place")
    meeting.method = CURATED
    return f"corrected meeting {mid}: {', '.join(changed) or 'nothing'}"


def _correct_commitment(entry: _Entry, doc: DocumentFacts) -> str:
    entry.check_keys({"quote", "id", "responsible", "due", "kind"})
    quote = entry.text("quote", required=False)
    cid = entry.text("id", required=False)
    if quote is None and cid is None:
        raise entry.fail("give 'quote' or 'id' to select the commitment")
    hits = [
        c for c in doc.commitments if (cid is None or c.local_id == cid) and _covers(c.span, quote)
    ]
    if len(hits) != 1:
        raise entry.fail(f"'quote'/'id' select {len(hits)} commitments, not one", "quote")
    commitment = hits[0]
    changed = []
    responsible = entry.texts("responsible")
    if responsible is not None:
        commitment.responsible = [_actor(entry, k, commitment.span) for k in responsible]
        changed.append("responsible")
    if "due" in entry.data:
        due = entry.date("due")
        commitment.due = (
            replace(due, span=commitment.due.span if commitment.due else commitment.span)
            if due
            else None
        )
        changed.append("due")
    if "kind" in entry.data:
        kind = entry.text("kind")
        if kind not in get_args(CommitmentKind):
            raise entry.fail(f"unknown commitment kind {kind!r}", "kind")
        commitment.kind = cast(CommitmentKind, kind)
        changed.append("kind")
    commitment.method = CURATED
    return f"corrected commitment {commitment.local_id}: {', '.join(changed) or 'nothing'}"


def _correct_person(entry: _Entry, doc: DocumentFacts) -> str:
    entry.check_keys({"name", "new_name", "title", "affiliation"})
    name = entry.text("name")
    person = next((p for p in doc.persons if p.name == name), None)
    if person is None:
        raise entry.fail(f"no person {name!r} in the document", "name")
    if "new_name" in entry.data:
        person.name = str(entry.text("new_name"))
    if "title" in entry.data:
        person.title = entry.text("title")
    if "affiliation" in entry.data:
        person.affiliation = _actor(entry, str(entry.text("affiliation")), person.span)
    person.method = CURATED
    return f"corrected person {name}"


_ADDERS: dict[str, Callable[[_Entry, DocumentFacts], str]] = {
    "participation": _add_participation,
    "commitment": _add_commitment,
    "meeting": _add_meeting,
    "person": _add_person,
    "objective": _add_objective,
}
_CORRECTORS: dict[str, Callable[[_Entry, DocumentFacts], str]] = {
    "meeting": _correct_meeting,
    "commitment": _correct_commitment,
    "person": _correct_person,
}

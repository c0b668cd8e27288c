"""The journal of accepted writes: one JSON file per write under ``data_dir/edits/``, and its
replay onto a freshly built store.

WHY: every accepted write is journalled before it is published, so a rebuild from the corpus
applies the journal again (:func:`replay`) and nothing written through the endpoint is lost.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph

from rcm_graph.errors import QueryError
from rcm_graph.model.iris import Iris
from rcm_graph.query.policy import check_update
from rcm_graph.sandbox import netguard
from rcm_graph.store import dataset as ds
from rcm_graph.writes.edit import Edit, Operation, apply_edit

EDITS_DIR = "edits"
JOURNAL_FORMAT = 1

# ---------------------------------------------------------------------------------------------
# The journal


@dataclass(frozen=True)
class JournalEntry:
    seq: int
    time: str
    operation: Operation
    graph: str | None
    media_type: str | None
    payload: str
    sha256: str
    build_id: str
    derived_from: str

    @property
    def edit(self) -> Edit:
        return Edit(self.operation, self.payload, self.graph, self.media_type)


_ENTRY_NAME = re.compile(r"^(\d{8})\.json$")


def journal_dir(data_dir: Path) -> Path:
    return data_dir / EDITS_DIR


def journal_files(data_dir: Path) -> list[Path]:
    """The journal's entries in order (``edits/00000001.json`` …)."""
    folder = journal_dir(data_dir)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if _ENTRY_NAME.match(p.name))


def next_seq(data_dir: Path) -> int:
    files = journal_files(data_dir)
    return int(files[-1].name[:8]) + 1 if files else 1


def read_entry(path: Path) -> JournalEntry:
    """One journal entry, checked (raises ``ValueError`` naming what is wrong)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    entry = JournalEntry(**{k: data[k] for k in JournalEntry.__dataclass_fields__})
    if entry.edit.sha256 != entry.sha256:
        raise ValueError("the payload does not match its SHA-256")
    return entry


def write_entry(data_dir: Path, entry: JournalEntry) -> Path:
    folder = journal_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{entry.seq:08d}.json"
    ds.write_json_atomically(path, {"format": JOURNAL_FORMAT, **asdict(entry)})
    return path


@dataclass(frozen=True)
class Replayed:
    """What replaying the journal did: the sequence numbers applied, and one problem per entry
    that could not be read or applied (naming its file)."""

    applied: list[int]
    problems: list[str]


def replay_journal(store: pyoxigraph.Store, data_dir: Path, base_iri: str) -> Replayed:
    """Apply the journal of ``data_dir`` in order to a freshly built ``store``.

    WHY a build replays it: a write is a new version of the dataset, and a rebuild from the
    corpus must not silently drop what curators wrote through the endpoint. The store must
    already hold the named graphs and their union as its default graph (call it after the
    default graph is complete, before statistics and the meta graph). Entries that fail are
    reported and skipped; the others are applied.

    An update entry must pass the write policy again (a journal written before a policy fix, or
    edited by hand, must not make the build fetch), and the entries are applied in a thread
    that cannot open a network socket (:func:`rcm_graph.sandbox.netguard.run_guarded`).
    """
    return netguard.run_guarded(_replay, store, data_dir, base_iri)


def _replay(store: pyoxigraph.Store, data_dir: Path, base_iri: str) -> Replayed:
    iris = Iris(base_iri)
    applied: list[int] = []
    problems: list[str] = []
    for path in journal_files(data_dir):
        try:
            entry = read_entry(path)
            if entry.edit.operation == "update":
                check_update(entry.edit.payload, base_iri=base_iri)
            apply_edit(store, entry.edit, iris)
        except (OSError, ValueError, KeyError, TypeError, SyntaxError, QueryError) as exc:
            text = exc.what if isinstance(exc, QueryError) else f"{type(exc).__name__}: {exc}"
            problems.append(f"{path}: edit not applied ({text})")
            continue
        applied.append(entry.seq)
    return Replayed(applied, problems)


def replay(store: pyoxigraph.Store, data_dir: Path, base_iri: str) -> list[str]:
    """:func:`replay_journal`, returning only the problems."""
    return replay_journal(store, data_dir, base_iri).problems

"""The per-document cache: each document's results under ``data_dir/cache/``.

An entry is keyed by the document's bytes, its file name and the fingerprint of everything
else that shapes its results (:mod:`rcm_graph.pipeline.fingerprint`), so a rebuild after one
document changed re-processes only that document, and a change to the ontology, the shapes,
the reference data or the code re-processes all. Each entry is written into a temporary
directory and renamed into place: a build killed mid-write leaves no half entry. The
closure and validation of ontology + reference (the "background") are cached the same way.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rcm_graph.pipeline.convert import ntriples, parse_nt
from rcm_graph.pipeline.fingerprint import sha
from rcm_graph.stages.reasoning import Inference
from rcm_graph.stages.validation import Evidence, ValidationReport, ValidationResult

CACHE_FORMAT = 1


@dataclass
class Processed:
    """One document's results as the build keeps them: N-Triples bytes (handed on to the store
    at once, then dropped) and a small summary (ids, counts, the validation report only when it
    has results)."""

    doc_id: str
    source: str
    sha256: str
    facts: int
    graph_nt: bytes
    inferred_nt: bytes
    conforms: bool
    results: list[ValidationResult]
    report_nt: bytes
    problems: list[str]
    cached: bool
    seconds: dict[str, float] = field(default_factory=dict)
    curation: list[str] = field(default_factory=list)  # what curation changed (fresh only)

    def report(self) -> ValidationReport | None:
        """The document's validation report, or None when it conforms with nothing to say."""
        if self.conforms and not self.results:
            return None
        return ValidationReport(self.conforms, self.results, parse_nt(self.report_nt))


class Cache:
    """Per-document results under ``data_dir/cache/``, each entry written atomically."""

    def __init__(self, root: Path, fingerprint: str, enabled: bool) -> None:
        self.root = root
        self.fingerprint = fingerprint
        self.enabled = enabled

    def key(self, source: str, sha256: str) -> str:
        return sha(f"{CACHE_FORMAT}\0{self.fingerprint}\0{source}\0{sha256}".encode())[:32]

    def _dir(self, key: str) -> Path:
        return self.root / "documents" / key

    def has(self, source: str, sha256: str) -> bool:
        return self.enabled and (self._dir(self.key(source, sha256)) / "entry.json").is_file()

    def get(self, source: str, sha256: str) -> Processed | None:
        entry = self._dir(self.key(source, sha256))
        if not self.enabled or not (entry / "entry.json").is_file():
            return None
        try:
            meta = json.loads((entry / "entry.json").read_text(encoding="utf-8"))
            return Processed(
                doc_id=meta["doc_id"],
                source=meta["source"],
                sha256=meta["sha256"],
                facts=meta["facts"],
                graph_nt=(entry / "document.nt").read_bytes(),
                inferred_nt=(entry / "inferred.nt").read_bytes(),
                conforms=meta["conforms"],
                results=[_result_from_json(r) for r in meta["results"]],
                report_nt=(entry / "validation.nt").read_bytes(),
                problems=meta["problems"],
                cached=True,
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged entry is simply recomputed

    def put(self, item: Processed) -> None:
        final = self._dir(self.key(item.source, item.sha256))
        tmp = final.with_name(final.name + f".tmp-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        (tmp / "document.nt").write_bytes(item.graph_nt)
        (tmp / "inferred.nt").write_bytes(item.inferred_nt)
        (tmp / "validation.nt").write_bytes(item.report_nt)
        meta = {
            "doc_id": item.doc_id,
            "source": item.source,
            "sha256": item.sha256,
            "facts": item.facts,
            "conforms": item.conforms,
            "results": [asdict(r) for r in item.results],
            "problems": item.problems,
        }
        (tmp / "entry.json").write_text(json.dumps(meta), encoding="utf-8")
        shutil.rmtree(final, ignore_errors=True)
        try:
            tmp.rename(final)
        except OSError:  # another worker wrote the same entry (two identical files) first
            shutil.rmtree(tmp, ignore_errors=True)

    def get_background(self) -> tuple[Inference, ValidationReport] | None:
        entry = self.root / "background" / self.fingerprint
        if not self.enabled or not (entry / "entry.json").is_file():
            return None
        try:
            meta = json.loads((entry / "entry.json").read_text(encoding="utf-8"))
            inference = Inference(parse_nt((entry / "inferred.nt").read_bytes()), meta["problems"])
            report = ValidationReport(
                meta["conforms"],
                [_result_from_json(r) for r in meta["results"]],
                parse_nt((entry / "validation.nt").read_bytes()),
            )
            return inference, report
        except (OSError, ValueError, KeyError, SyntaxError):
            return None

    def put_background(self, inference: Inference, report: ValidationReport) -> None:
        final = self.root / "background" / self.fingerprint
        tmp = final.with_name(final.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        (tmp / "inferred.nt").write_bytes(ntriples(inference.triples))
        (tmp / "validation.nt").write_bytes(ntriples(report.graph))
        meta = {
            "problems": inference.problems,
            "conforms": report.conforms,
            "results": [asdict(r) for r in report.results],
        }
        (tmp / "entry.json").write_text(json.dumps(meta), encoding="utf-8")
        shutil.rmtree(final, ignore_errors=True)
        tmp.rename(final)

    def prune(self, used: set[str]) -> None:
        """Drop entries no build uses any more (old versions of changed documents)."""
        for parent, keep in (
            (self.root / "documents", used),
            (self.root / "background", {self.fingerprint}),
        ):
            for child in parent.iterdir() if parent.is_dir() else []:
                if child.name not in keep:
                    shutil.rmtree(child, ignore_errors=True)


def _result_from_json(data: dict[str, Any]) -> ValidationResult:
    evidence = tuple(Evidence(**e) for e in data.get("evidence", ()))
    return ValidationResult(**{**data, "evidence": evidence})

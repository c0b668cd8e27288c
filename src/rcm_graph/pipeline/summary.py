"""What a build did, as the caller of :func:`rcm_graph.pipeline.run.build` gets it back."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rcm_graph.model.iris import Iris
from rcm_graph.stages.validation import ValidationReport
from rcm_graph.store.void import triples_per_graph_names


@dataclass
class BuildSummary:
    """What a build did; ``published`` says whether ``current`` now points to it."""

    build_id: str
    build_dir: Path
    documents: list[str]  # doc ids built
    reused: list[str]  # doc ids taken from the cache
    errors: list[str]  # one line per unreadable document
    facts: int
    triples_per_graph: dict[str, int]
    conforms: bool
    published: bool
    report: ValidationReport
    stage_seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    stage_cpu_seconds: dict[str, float] = field(default_factory=dict)
    stage_peak_rss_raise_mib: dict[str, float] = field(default_factory=dict)
    triples: int = 0  # distinct triples in the union of the graphs (void.union_triples)

    def format(self, iris: Iris) -> str:
        """The summary printed after a build. The skipped documents are only counted here:
        their errors are printed as they happen and again as the last lines of the build's
        output (:func:`rcm_graph.pipeline.output.run_build`), where they cannot be missed."""
        names = triples_per_graph_names(iris, self.triples_per_graph)
        skipped = f", {len(self.errors)} skipped" if self.errors else ""
        width = max((len(n) for n in names), default=10)
        lines = [
            f"build {self.build_id}: {len(self.documents)} documents "
            f"({len(self.reused)} from cache{skipped}), {self.facts} facts",
            f"  {'graph'.ljust(width)}  triples",
        ]
        lines += [f"  {n.ljust(width)}  {c:>7}" for n, c in sorted(names.items())]
        lines.append(f"  {'union (distinct)'.ljust(width)}  {self.triples:>7}")
        verdict = "conforms" if self.conforms else "DOES NOT CONFORM"
        lines.append(f"validation: {verdict} ({len(self.report.results)} results)")
        times = " · ".join(f"{k} {v:.2f}s" for k, v in self.stage_seconds.items())
        lines.append(f"time: {times} · total {sum(self.stage_seconds.values()):.2f}s")
        if self.stage_cpu_seconds:
            cpu = " · ".join(f"{k} {v:.2f}s" for k, v in self.stage_cpu_seconds.items())
            lines.append(f"build process CPU: {cpu}")
        if self.stage_peak_rss_raise_mib:
            raised = " · ".join(
                f"{k} +{v:.0f}" for k, v in self.stage_peak_rss_raise_mib.items() if v >= 0.5
            )
            lines.append(f"build process peak RSS raised (MiB) by: {raised}")
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)

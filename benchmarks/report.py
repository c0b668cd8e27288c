"""Markdown tables from one results JSON, and their place in docs/performance.md.

The document keeps hand-written analysis outside the markers; only the text between
``<!-- BEGIN GENERATED -->`` and ``<!-- END GENERATED -->`` is replaced by a run.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

from benchmarks import stats
from rcm_graph.pipeline.figures import GLOBAL_STAGES as PIPELINE_GLOBAL_STAGES

BEGIN = "<!-- BEGIN GENERATED -->"
END = "<!-- END GENERATED -->"
CHEAP_MS = 1.0  # in-process cost below which a query counts as "cheap"


def _f(x: float | None, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}"


def render(out: dict[str, Any]) -> str:
    parts = [_machine(out["machine"])]
    if "build" in out:
        parts.append(_build(out["build"]))
    if "http" in out:
        parts.append(_http(out["http"]))
    if "anatomy" in out:
        parts.append(_anatomy(out["anatomy"]))
    if "engines" in out:
        parts.append(_engines(out["engines"]))
    if out.get("failures"):
        parts.append(
            "**Sections that failed:** "
            + "; ".join(f"{k}: {v}" for k, v in out["failures"].items())
        )
    return "\n\n".join(parts) + "\n"


def _machine(m: dict[str, Any]) -> str:
    versions = ", ".join(f"{k} {v}" for k, v in sorted(m["versions"].items()))
    return (
        f"Measured {m['date_utc']} UTC on {m['cpus']} × {m['cpu']}, {m['memory_gib']} GiB, "
        f"Python {m['python']}, {m['platform']}; load average at start "
        f"{'/'.join(str(x) for x in m['load_average_at_start'])}; commit {m.get('git_commit')}.\n"
        f"Versions: {versions}."
    )


def _exponent(pts: list[tuple[int, float]]) -> str:
    """Growth exponent k of value ~ n^k between the two largest measured scales."""
    pts = [(n, v) for n, v in pts if v and v > 0 and not math.isnan(v)]
    if len(pts) < 2:
        return "—"
    (n0, v0), (n1, v1) = pts[-2], pts[-1]
    return f"{math.log(v1 / v0) / math.log(n1 / n0):.2f}"


def _load(r: dict[str, Any]) -> str:
    before, after = r.get("load_before"), r.get("load_after")
    if not before:
        return "—"
    text = f"{before[0]:.1f}"
    return text + (f"→{after[0]:.1f}" if after else "")


def _build(build: dict[str, Any]) -> str:
    validators = sorted({r.get("validator", "pyshacl") for v in build.values() for r in v["build"]})
    workers = sorted(
        {str(r.get("workers") or "default") for v in build.values() for r in v["build"]}
    )
    lines = [
        "### Build: end to end (`rcm-graph build --full`, fresh process; validator: "
        + ", ".join(validators)
        + "; build workers: "
        + ", ".join(workers)
        + ")",
        "",
        "Growth exponent k: time (or memory) ∝ documents^k between the two largest scales "
        "(1 = linear). Peak RSS: the build process itself (`VmHWM`) and the sum over its "
        "process tree (sampled; includes the worker processes). Load: the 1-minute load "
        "average before → after the build (2 CPUs).",
        "",
        "| documents | corpus MB | wall s | CPU s | wall ms/doc | CPU ms/doc | k (wall) "
        "| peak RSS build MiB | peak RSS tree MiB | k (RSS) | load | runs |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    walls: list[tuple[int, float]] = []
    rsss: list[tuple[int, float]] = []
    for n_str, rows in sorted(build.items(), key=lambda kv: int(kv[0])):
        n = int(n_str)
        ok = [r for r in rows["build"] if r.get("rc") in (0, 1)]
        if not ok:
            lines.append(
                f"| {n:,} | — | — | — | — | — | — | — | — | — | — | 0 "
                f"({len(rows['build'])} failed) |"
            )
            continue
        wall = stats.median([r["seconds"] for r in ok])
        cpus = [r["cpu_seconds"] for r in ok if "cpu_seconds" in r]
        cpu = stats.median(cpus) if cpus else math.nan
        main = max(r.get("peak_main_rss_mib") or r.get("peak_rss_mib", 0) for r in ok)
        trees = [r["peak_tree_rss_mib"] for r in ok if r.get("peak_tree_rss_mib")]
        corpus = ok[0].get("corpus_bytes")
        walls.append((n, wall))
        rsss.append((n, main))
        failed = len(rows["build"]) - len(ok)
        lines.append(
            f"| {n:,} | {_f(corpus / 1e6 if corpus else None, 2)} | {_f(wall, 1)} | {_f(cpu, 1)} "
            f"| {_f(wall * 1000 / n)} | {_f(cpu * 1000 / n)} | {_exponent(walls)} "
            f"| {_f(main)} | {_f(max(trees) if trees else None)} | {_exponent(rsss)} "
            f"| {', '.join(_load(r) for r in ok)} | {len(ok)}"
            + (f" ({failed} failed)" if failed else "")
            + " |"
        )
    lines += _pipeline_stages(build)
    lines += _serve_memory(build)
    if any(p for v in build.values() for p in v.get("stages", [])):
        lines += _stage_probe(build)
    return "\n".join(lines)


def _serve_memory(build: dict[str, Any]) -> list[str]:
    rows = [(int(n), r) for n, v in build.items() for r in v.get("serve", []) if "error" not in r]
    if not rows:
        return []
    lines = [
        "",
        "### Serve: memory of `rcm-graph serve` on each built dataset (process tree: API "
        "process + query workers)",
        "",
        "RSS sums count pages that processes share (forked workers, the store's mapped "
        "files) once per process; PSS counts them once in total. *(again)*: measured again "
        "on the same built dataset after the run (`benchmarks.runner.serve_memory`).",
        "",
        "| documents | triples | processes | RSS after start MiB | PSS after start MiB "
        "| RSS after a full scan MiB | PSS after a full scan MiB | peak RSS MiB "
        "| full scan s | start s | load |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, r in sorted(rows, key=lambda x: x[0]):
        lines.append(
            f"| {n:,}{' (again)' if r.get('again') else ''} | {r.get('triples', 0):,} "
            f"| {r.get('processes', '—')} "
            f"| {_f(r.get('rss_after_start_mib'))} | {_f(r.get('pss_after_start_mib'))} "
            f"| {_f(r.get('rss_after_query_mib'))} | {_f(r.get('pss_after_query_mib'))} "
            f"| {_f(r.get('peak_rss_mib'))} "
            f"| {_f(r.get('count_seconds'), 2)} | {_f(r.get('start_seconds'), 1)} | {_load(r)} |"
        )
    return lines


def _stage_probe(build: dict[str, Any]) -> list[str]:
    lines = ["", "### Build: cost of each stage (stage probe, median seconds)", ""]
    scales = sorted(build, key=int)
    steps: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    kinds: dict[str, str] = {}
    peaks: dict[str, list[float]] = defaultdict(list)
    for n in scales:
        for probe in build[n].get("stages", []):
            if "steps" not in probe:
                continue
            peaks[n].append(probe["peak_rss_mib"])
            for s in probe["steps"]:
                steps[s["step"]][n].append(s["seconds"])
                kinds[s["step"]] = s["kind"]
    if not steps:
        errors = [p.get("error", "") for n in scales for p in build[n].get("stages", [])]
        lines.append("Stage probe unavailable: " + (errors[0][-300:] if errors else "not run"))
        return lines
    head = "| step | kind | " + " | ".join(f"{int(n):,} docs" for n in scales)
    head += " | ms/doc at largest | growth per ×10 docs |"
    lines += [head, "|---|---|" + "---:|" * len(scales) + "---:|---:|"]
    for step, per in steps.items():
        meds = [stats.median(per[n]) if per[n] else math.nan for n in scales]
        largest = next((i for i in range(len(scales) - 1, -1, -1) if not math.isnan(meds[i])), None)
        per_doc = meds[largest] * 1000 / int(scales[largest]) if largest is not None else math.nan
        lines.append(
            f"| {step} | {kinds[step]} | "
            + " | ".join(_f(m, 2) for m in meds)
            + f" | {_f(per_doc, 2)} | {_growth(scales, meds)} |"
        )
    lines.append(
        "| peak RSS of the probe, MiB | | "
        + " | ".join(_f(max(peaks[n]) if peaks[n] else None, 0) for n in scales)
        + " | | |"
    )
    return lines


# The pipeline's global steps, plus the name older builds used for the cross-document pass.
GLOBAL_STAGES = {*PIPELINE_GLOBAL_STAGES, "cross-document"}


def _pipeline_stages(build: dict[str, Any]) -> list[str]:
    """The pipeline's own per-stage seconds (``stage_seconds`` of the build manifest) and,
    from builds that record it, the build process's CPU per global step
    (``stage_cpu_seconds``: the growth figure that a shared machine does not distort)."""
    wall = _stage_table(
        build,
        "stage_seconds",
        "### Build: the pipeline's own stage times (manifest `stage_seconds`, median s)",
        "Per-document stages are summed over documents (CPU-bound work in whichever process "
        "ran it; with several workers their sum exceeds the wall time); global steps are "
        "wall seconds of the build process.",
    )
    cpu = _stage_table(
        build,
        "stage_cpu_seconds",
        "### Build: CPU of the build process per global step (manifest `stage_cpu_seconds`, "
        "median s)",
        "CPU seconds of the build process (all its threads) while each global step ran; "
        "per-document stages run in workers and are not in this table.",
    )
    return wall + cpu


def _stage_table(build: dict[str, Any], key: str, title: str, intro: str) -> list[str]:
    scales = sorted(build, key=int)
    per: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for n in scales:
        for r in build[n]["build"]:
            for stage, sec in (r.get("manifest") or {}).get(key, {}).items():
                per[stage][n].append(sec)
    if not per:
        return []
    lines = [
        "",
        title,
        "",
        intro,
        "",
        "| stage | kind | "
        + " | ".join(f"{int(n):,} docs" for n in scales)
        + " | ms/doc at largest | growth per ×10 docs |",
        "|---|---|" + "---:|" * len(scales) + "---:|---:|",
    ]
    order = sorted(per.items(), key=lambda kv: (kv[0] in GLOBAL_STAGES, kv[0]))
    for stage, by_n in order:
        meds = [stats.median(by_n[n]) if by_n[n] else math.nan for n in scales]
        last = next((i for i in range(len(scales) - 1, -1, -1) if not math.isnan(meds[i])), None)
        per_doc = meds[last] * 1000 / int(scales[last]) if last is not None else math.nan
        kind = "global" if stage in GLOBAL_STAGES else "per document"
        lines.append(
            f"| {stage} | {kind} | "
            + " | ".join(_f(m, 2) for m in meds)
            + f" | {_f(per_doc, 2)} | {_growth(scales, meds)} |"
        )
    return lines


def _growth(scales: list[str], meds: list[float]) -> str:
    """Time factor per ×10 documents between the two largest measured scales."""
    pts = [(int(n), m) for n, m in zip(scales, meds, strict=True) if not math.isnan(m) and m > 0]
    if len(pts) < 2:
        return "—"
    (n0, t0), (n1, t1) = pts[-2], pts[-1]
    exponent = math.log(t1 / t0) / math.log(n1 / n0)
    factor = 10**exponent
    flag = " **super-linear**" if exponent > 1.15 and t1 > 1.0 else ""
    return f"×{factor:.1f} (n^{exponent:.2f}){flag}"


def _http(h: dict[str, Any]) -> str:
    cells = h["cells"]
    inproc = h["in_process_ms"]
    by: dict[tuple[str, int, str], list[dict[str, Any]]] = defaultdict(list)
    for c in cells:
        by[(c["query"], c["c"], c["target"])].append(c)
    targets = list(h["targets"])
    conc = sorted({c["c"] for c in cells})
    queries = list(inproc)
    lines = [
        f"### Endpoint: {h['scale']:,}-document dataset over HTTP (loopback, own asyncio client)",
        "",
        "Cells: requests/s · p50 ms · p99 ms · server CPU ms per request (medians over rounds)."
        " In-process = pyoxigraph query +"
        " JSON serialisation in one Python process, the engine's floor.",
        "",
    ]
    for q in queries:
        kind = "cheap" if inproc[q] < CHEAP_MS or q == "ask-cheap" else "expensive"
        lines += [f"**{q}** ({kind}; in-process {inproc[q]:.2f} ms; rows {_rows(h, q)})", ""]
        lines.append("| target | " + " | ".join(f"c={c}" for c in conc) + " |")
        lines.append("|---|" + "---:|" * len(conc))
        for t in targets:
            if not any(by.get((q, c, t)) for c in conc):
                continue
            row = []
            for c in conc:
                got = by.get((q, c, t), [])
                if not got:
                    row.append("skipped")
                    continue
                rps = stats.median([g["rps"] for g in got])
                p50 = stats.median([g["p50_ms"] for g in got])
                p99 = stats.median([g["p99_ms"] for g in got])
                errs = sum(g["errors"] for g in got)
                cpu = stats.median([g.get("cpu_ms_per_req", math.nan) for g in got])
                row.append(
                    f"{_f(rps, 0)} · {_f(p50, 2)} · {_f(p99, 1)} · {_f(cpu, 2)}"
                    + (f" ({errs} err)" if errs else "")
                )
            lines.append(f"| {t} | " + " | ".join(row) + " |")
        lines.append("")
    lines += _targets_table(h, by, conc, queries)
    lines += [
        "",
        "Server memory (sum over the process tree, MiB): "
        + "; ".join(
            f"{t}: {v.get('rss_after_start_mib')} after start, {v.get('peak_rss_mib')} peak"
            for t, v in h["targets"].items()
        )
        + ".",
    ]
    if h.get("slow"):
        lines.append(
            "Measured at c=1 only (one request took longer than the slow threshold): "
            + ", ".join(h["slow"])
            + "."
        )
    return "\n".join(lines)


def _rows(h: dict[str, Any], q: str) -> str:
    seen = {v.get("rows") for v in h.get("agreement", {}).get(q, {}).values()}
    seen.discard(None)
    if len(seen) == 1:
        return f"{seen.pop()}, all targets agree"
    return "targets DISAGREE: " + ", ".join(
        f"{t}={v.get('rows')}" for t, v in h.get("agreement", {}).get(q, {}).items()
    )


def _paired(
    by: dict[tuple[str, int, str], list[dict[str, Any]]], q: str, c: int, a: str, qb: str, b: str
) -> float:
    ra = {x["round"]: x["rps"] for x in by.get((q, c, a), [])}
    rb = {x["round"]: x["rps"] for x in by.get((qb, c, b), [])}
    common = sorted(set(ra) & set(rb))
    return stats.paired_ratio([ra[r] for r in common], [rb[r] for r in common])


def _targets_table(
    h: dict[str, Any],
    by: dict[tuple[str, int, str], list[dict[str, Any]]],
    conc: list[int],
    queries: list[str],
) -> list[str]:
    """The issue's targets, once per configuration of ours that was measured.

    WHY both: ``rcm-graph`` is the server as shipped (result and response caches on, and the
    load repeats each query, so from the second request on it answers from memory);
    ``rcm-graph-nocache`` runs every request through the engine, which is what a stream of
    distinct queries costs. Neither number may stand in for the other.
    """
    labels = {
        "rcm-graph": "as shipped (caches on)",
        "rcm-graph-nocache": "caches off (every request runs the query)",
    }
    ours = [t for t in labels if t in h["targets"]]
    if not ours:
        return []
    lines = [
        "**Targets of issue 9** (paired per-round throughput ratios; cheap: ours ÷ bare "
        "FastAPI route, goal ≥ 0.7; expensive: ours ÷ `oxigraph serve` in memory, goal ≥ 1.0)",
        "",
        "| query | kind | configuration | " + " | ".join(f"c={c}" for c in conc) + " | met? |",
        "|---|---|---|" + "---:|" * len(conc) + "---|",
    ]
    for q in queries:
        cheap = h["in_process_ms"][q] < CHEAP_MS or q == "ask-cheap"
        for target in ours:
            if cheap:
                ratios = [_paired(by, q, c, target, "ask-cheap", "fastapi-floor") for c in conc]
                goal = 0.7
            else:
                ratios = [_paired(by, q, c, target, q, "oxigraph-serve-mem") for c in conc]
                goal = 1.0
            valid = [r for r in ratios if not math.isnan(r)]
            met = "yes" if valid and min(valid) >= goal else ("no" if valid else "—")
            lines.append(
                f"| {q} | {'cheap' if cheap else 'expensive'} | {labels[target]} | "
                + " | ".join(_f(r, 2) for r in ratios)
                + f" | {met} |"
            )
    return lines


def _anatomy(a: dict[str, Any]) -> str:
    by: dict[tuple[str, int, str], list[dict[str, Any]]] = defaultdict(list)
    for c in a["cells"]:
        by[(c["query"], c["c"], c["target"])].append(c)
    conc = sorted({c["c"] for c in a["cells"]})
    targets = list(dict.fromkeys(c["target"] for c in a["cells"]))
    lines = [
        "### Anatomy of a request: our app with one layer removed at a time",
        "",
        "Cells: requests/s · p50 ms · server CPU ms per request (medians over rounds); "
        "ratio = paired per-round throughput ÷ `full`.",
        "",
    ]
    for q in a["queries"]:
        lines += [
            f"**{q}**",
            "",
            "| variant | " + " | ".join(f"c={c}" for c in conc) + " | ratio to full (c=1) |",
            "|---|" + "---:|" * (len(conc) + 1),
        ]
        for t in targets:
            if not by.get((q, conc[0], t)):
                continue
            row = []
            for c in conc:
                got = by.get((q, c, t), [])
                row.append(
                    f"{_f(stats.median([g['rps'] for g in got]), 0)} · "
                    f"{_f(stats.median([g['p50_ms'] for g in got]), 2)} · "
                    f"{_f(stats.median([g.get('cpu_ms_per_req', math.nan) for g in got]), 2)}"
                    if got
                    else "—"
                )
            ratio = (
                _paired(by, q, conc[0], t, q, "variant-full")
                if t != "fastapi-floor"
                else _paired(by, q, conc[0], t, "ask-cheap", "variant-full")
            )
            lines.append(f"| {t} | " + " | ".join(row) + f" | {_f(ratio, 2)} |")
        lines.append("")
    return "\n".join(lines)


def _engines(e: dict[str, Any]) -> str:
    lines = [f"### Reasoning and validation engines ({e.get('scale')} documents)", ""]
    for block in e.get("tables", []):
        lines.append(f"**{block['title']}**")
        lines.append("")
        lines.append(
            "| engine | seconds (median) | min–max | peak RSS MiB | ratio to reference "
            "| output | same results as reference |"
        )
        lines.append("|---|---:|---:|---:|---:|---:|---|")
        for row in block["rows"]:
            lo, hi = stats.spread(row["seconds"])
            lines.append(
                f"| {row['engine']} | {_f(stats.median(row['seconds']), 2)} "
                f"| {_f(lo, 2)}–{_f(hi, 2)} "
                f"| {_f(max(row['rss'], default=None), 0)} | {_f(row.get('ratio'), 3)} "
                f"| {row.get('output', '—')} | {row.get('same', '—')} |"
            )
        if block.get("note"):
            lines += ["", block["note"]]
        lines.append("")
    return "\n".join(lines)


def _build_stream(b: dict[str, Any]) -> str:
    """Memory against documents processed, sampled from outside a streaming build."""
    samples = [x for x in b.get("samples", []) if x.get("documents")]
    rc = b.get("rc")
    if not b.get("finished"):
        state = f"stopped after {b.get('seconds', 0):,.0f} s"
    elif rc == 0:
        state = "finished"
    else:
        state = f"ended after {b.get('seconds', 0):,.0f} s with exit status {rc}"
        if rc is not None and rc < 0:
            state += f" (stopped by signal {-rc})"
    lines = [
        f"### Build memory while streaming a {b.get('corpus_documents', 0):,}-document corpus "
        f"({state}; `python -m benchmarks.stages --stream`)",
        "",
        "Documents done = entries the build has written to its per-document cache. RSS of the "
        "build process (current and peak) and of its whole process tree (the build process and "
        "its worker processes).",
        "",
        "| documents done | elapsed s | build RSS MiB | build peak MiB | tree RSS MiB "
        "| load (1 min) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    if not samples:
        return "\n".join([*lines, "| — | — | — | — | — | — |"])
    step = max(1, samples[-1]["documents"] // 10)
    picked, next_mark = [], 0
    for x in samples:
        if x["documents"] >= next_mark:
            picked.append(x)
            next_mark = (x["documents"] // step + 1) * step
    if picked[-1] is not samples[-1]:
        picked.append(samples[-1])
    for x in picked:
        lines.append(
            f"| {x['documents']:,} | {x['t']:,.0f} | {_f(x['main_rss_mib'])} "
            f"| {_f(x['main_peak_mib'])} | {_f(x['tree_rss_mib'])} | {x['load'][0]:.1f} |"
        )
    # The per-document phase: up to the first sample with every document done (after it
    # the global steps run, whose memory is reported as such, not as growth per document).
    total = b.get("corpus_documents") or samples[-1]["documents"]
    done_at = next((i for i, x in enumerate(samples) if x["documents"] >= total), None)
    streaming = samples[: done_at + 1] if done_at is not None else samples
    early = next((x for x in streaming if x["documents"] >= streaming[-1]["documents"] / 10), None)
    last = streaming[-1]
    if done_at is not None and done_at + 1 < len(samples):
        after = samples[done_at + 1 :]
        lines += [
            "",
            f"All {total:,} documents were done after {last['t']:,.0f} s; the global steps "
            f"then ran for the remaining {samples[-1]['t'] - last['t']:,.0f} s of this run, "
            f"with the build process at up to {_f(max(x['main_peak_mib'] for x in after))} MiB "
            "peak RSS.",
        ]
    if early and last["documents"] > early["documents"]:
        per_1000 = (
            (last["main_peak_mib"] - early["main_peak_mib"])
            * 1000
            / (last["documents"] - early["documents"])
        )
        lines += [
            "",
            f"Per-document phase: build process peak RSS from {early['documents']:,} to "
            f"{last['documents']:,} documents: {_f(early['main_peak_mib'])} → "
            f"{_f(last['main_peak_mib'])} MiB "
            f"({per_1000:+.1f} MiB per 1,000 documents); throughput "
            f"{(last['documents'] - early['documents']) / max(last['t'] - early['t'], 1e-9):.2f} "
            "documents/s over that span.",
        ]
    return "\n".join(lines)


def _engines_scale(e: dict[str, Any]) -> str:
    """Reasoners and SHACL engines on the union of N documents (``benchmarks.engines_scale``)."""
    scales = sorted(e.get("scales", {}), key=int)
    cap = e.get("cap_cpu_s", 0)
    lines = [
        "### Reasoning and validation engines on the whole graph "
        "(`python -m benchmarks.engines whole-graph`)",
        "",
        "Every engine on the union of N documents' asserted triples + ontology + reference, "
        f"each run in a fresh process, capped at {cap:,.0f} CPU s and "
        f"{e.get('cap_mem_gib', 0):g} GiB of address space. CPU s: user + system of the run "
        "(wait4), the robust figure on this shared machine; engine s: its load and "
        "reason/validate phases (CPU), without start-up and output. `*-pipeline`: what the "
        "build does (each document against the background, then the cross-document pass; "
        "validation per document + shared nodes + reference). Load: 1-minute load average "
        "before the run (2 CPUs).",
        "",
    ]
    for kind, title, out_label in (
        ("reasoning", "OWL 2 RL reasoning", "data triples inferred"),
        ("validation", "SHACL validation (asserted + inferred)", "results"),
    ):
        lines += [
            f"**{title}** (agreement: inferred triples about data nodes, asserted ones "
            "removed, `xsd:string` as plain literals, against the reference engine of that "
            "size; the rules engines read the ontology + reference closure made once, as the "
            "build caches it)"
            if kind == "reasoning"
            else f"**{title}** (agreement: the set of (focus node, path, constraint component))",
            "",
            "| documents | triples in | engine | CPU s | engine s | wall s | peak RSS MiB "
            f"| {out_label} | same as reference | load |",
            "|---:|---:|---|---:|---:|---:|---:|---:|---|---:|",
        ]
        for n in scales:
            s = e["scales"][n]
            meta = s["meta"]
            size = meta["reason_input_triples"] if kind == "reasoning" else _validation_size(s)
            agreement = s.get("agreement", {})
            ref = agreement.get("reference", {}).get(kind)
            by_engine: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for run in s["runs"]:
                if run["kind"] == kind:
                    by_engine[run["engine"]].append(run)
            for engine, runs in by_engine.items():
                ok = [r for r in runs if r["status"] == "ok"]
                triples = size
                if not ok:
                    r = runs[0]
                    lines.append(
                        f"| {int(n):,} | {_f(triples, 0)} | {engine} "
                        f"| **> cap** ({r['status']}, {_f(r['cpu_s'])} CPU s) | — "
                        f"| {_f(r['wall_s'])} | {_f(r['peak_rss_mib'], 0)} | — | — "
                        f"| {_load(_loads(r))} |"
                    )
                    continue
                cpu = stats.median([r["cpu_s"] for r in ok])
                eng = stats.median([_engine_cpu(r) for r in ok])
                wall = stats.median([r["wall_s"] for r in ok])
                spread = f" ({_f(min(r['cpu_s'] for r in ok))}–{_f(max(r['cpu_s'] for r in ok))})"
                out = ok[0].get("data_triples", ok[0].get("results"))
                same = (
                    "reference"
                    if engine == ref
                    else _agree(agreement.get("vs_reference", {}).get(engine))
                )
                lines.append(
                    f"| {int(n):,} | {_f(triples, 0)} | {engine} "
                    f"| {_f(cpu)}{spread if len(ok) > 1 else ''} | {_f(eng)} | {_f(wall)} "
                    f"| {_f(max(r['peak_rss_mib'] for r in ok), 0)} | {_f(out, 0)} | {same} "
                    f"| {', '.join(_load(_loads(r)) for r in ok)} |"
                )
            for engine, why in s.get("skipped", {}).items():
                if engine not in by_engine and _kind_of(engine) == kind:
                    lines.append(f"| {int(n):,} | {_f(size, 0)} | {engine} | {why} | | | | | | |")
        lines.append("")
    if e.get("note"):
        lines += [f"**Not measured:** {e['note']}", ""]
    lines += _engines_scale_injected(e, scales)
    lines += _engines_scale_same(e, scales)
    lines += _engines_scale_growth(e)
    return "\n".join(lines)


def _engines_scale_injected(e: dict[str, Any], scales: list[str]) -> list[str]:
    """The validators on a copy with violations put in (the synthetic corpus conforms)."""
    rows = [(n, e["scales"][n]["injected"]) for n in scales if e["scales"][n].get("injected")]
    if not rows:
        return []
    lines = [
        "**SHACL validation with injected violations** (every k-th document: one node loses "
        "the values of a property the shapes require, one typed value gets another datatype; "
        "derived from the shapes; `python -m benchmarks.engines_scale inject-validate`)",
        "",
        "| documents | injected | engine | CPU s | engine s | peak RSS MiB | results "
        "| same as reference |",
        "|---:|---|---|---:|---:|---:|---:|---|",
    ]
    for n, inj in rows:
        ch = inj["changes"]
        what = (
            f"every {inj['every']}: {ch.get('documents', 0)} documents, "
            f"{ch.get('dropped', 0)} values dropped, {ch.get('retyped', 0)} retyped"
        )
        ref = inj["agreement"].get("reference", {}).get("validation")
        for r in inj["runs"]:
            if r["status"] != "ok":
                lines.append(
                    f"| {int(n):,} | {what} | {r['engine']} | **> cap** ({r['status']}) "
                    f"| — | {_f(r['peak_rss_mib'], 0)} | — | — |"
                )
                continue
            same = (
                "reference"
                if r["engine"] == ref
                else _agree(inj["agreement"]["vs_reference"].get(r["engine"]))
            )
            lines.append(
                f"| {int(n):,} | {what} | {r['engine']} | {_f(r['cpu_s'])} "
                f"| {_f(_engine_cpu(r))} | {_f(r['peak_rss_mib'], 0)} | {r.get('results')} "
                f"| {same} |"
            )
    lines.append("")
    return lines


def _validation_size(s: dict[str, Any]) -> int | None:
    """Triples the validators read (asserted + inferred: the same input for every one)."""
    if s["meta"].get("validation_input_triples"):
        return int(s["meta"]["validation_input_triples"])
    sizes = [r["triples_in"] for r in s["runs"] if r["kind"] == "validation" and "triples_in" in r]
    return max(sizes) if sizes else None


def _kind_of(engine: str) -> str:
    return (
        "validation"
        if "shacl" in engine or "rudof" in engine or "turbo" in engine
        else ("reasoning")
    )


def _loads(r: dict[str, Any]) -> dict[str, Any]:
    return {"load_before": r.get("load_before"), "load_after": r.get("load_after")}


def _engine_cpu(r: dict[str, Any]) -> float:
    phases = r.get("phases_cpu_s", {})
    return float(sum(v for k, v in phases.items() if k not in ("post", "write-inferred")))


def _agree(c: dict[str, Any] | None) -> str:
    if c is None:
        return "—"
    if c["same"]:
        return f"yes ({c['common']:,})"
    keys = ", ".join(
        f"{k.strip('<>').rsplit('#', 1)[-1].rsplit('/', 1)[-1]} {v:,}"
        for k, v in list(c["only_reference_by_key"].items())[:4]
    )
    return f"**no**: {c['only_reference']:,} missing, {c['only_other']:,} extra" + (
        f" (missing: {keys})" if keys else ""
    )


def _engines_scale_same(e: dict[str, Any], scales: list[str]) -> list[str]:
    rows = [
        (n, name, c)
        for n in scales
        for name, c in e["scales"][n].get("agreement", {}).get("same_engine", {}).items()
    ]
    if not rows:
        return []
    lines = [
        "**Per document + cross-document pass vs the whole graph, same engine** (inferred "
        "triples about data nodes; the semantic premise of the build's per-document reasoning)",
        "",
        "| documents | comparison | same closure | common | only whole graph | only per document "
        "| differing predicates |",
        "|---:|---|---|---:|---:|---:|---|",
    ]
    samples = []
    for n, name, c in rows:
        keys = {**c["only_reference_by_key"], **c["only_other_by_key"]}
        lines.append(
            f"| {int(n):,} | {name} | {'yes' if c['same'] else '**no**'} | {c['common']:,} "
            f"| {c['only_reference']:,} | {c['only_other']:,} "
            f"| {', '.join(f'`{k}` {v:,}' for k, v in keys.items()) or '—'} |"
        )
        if not c["same"]:
            samples += [
                f"- {int(n):,} documents, {name}, only in the whole graph: `{t}`"
                for t in c["only_reference_sample"][:5]
            ]
            samples += [
                f"- {int(n):,} documents, {name}, only per document: `{t}`"
                for t in c["only_other_sample"][:5]
            ]
    if samples:
        lines += ["", "Examples of the differences:", "", *samples]
    lines.append("")
    return lines


def _engines_scale_growth(e: dict[str, Any]) -> list[str]:
    growth = e.get("growth", {})
    if not growth:
        return []
    lines = [
        "**Growth** (exponent k of CPU s or peak RSS ∝ documents^k between the two largest "
        "sizes an engine finished; where it stopped, and why, is measured, not extrapolated)",
        "",
        "| engine | largest size finished | k (CPU) | k (RSS) | stopped |",
        "|---|---:|---:|---:|---|",
    ]
    skipped = {
        engine: (n, why) for n, s in e["scales"].items() for engine, why in s["skipped"].items()
    }
    for engine, g in growth.items():
        stop = g.get("stopped")
        text = f"{stop['status']} at {stop['documents']:,} documents" if stop else ""
        if not text and engine in skipped:
            text = f"{int(skipped[engine][0]):,}: {skipped[engine][1]}"
        between = g.get("between")
        span = f" ({between[0]:,}→{between[1]:,})" if between else ""
        lines.append(
            f"| {engine} | {_f(g.get('largest_ok'), 0)} "
            f"| {_f(g.get('cpu_exponent'), 2)}{span} "
            f"| {_f(g.get('rss_exponent'), 2)} | {text or '—'} |"
        )
    return lines


SECTIONS = ("build", "build_stream", "http", "anatomy", "engines", "engines_scale")
_RENDER = {
    "build": _build,
    "build_stream": _build_stream,
    "http": _http,
    "anatomy": _anatomy,
    "engines": _engines,
    "engines_scale": _engines_scale,
}
RESULTS = Path(__file__).resolve().parent / "results"


def latest_sections(results_dir: Path = RESULTS) -> dict[str, tuple[str, dict[str, Any]]]:
    """For every section, the newest results file (not a ``--quick`` one) that holds it.

    WHY per section: runs measure different sections (``--only http,anatomy`` by one person,
    ``--only build`` by another); each section of the document shows its newest measurement,
    so a run of one section never wipes the tables of another.
    """
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for path in sorted(results_dir.glob("*.json"), reverse=True):  # names start with UTC time
        if path.stem.endswith("-quick"):
            continue
        try:
            out = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for name in SECTIONS:
            if name not in found and out.get(name) and not (out.get("failures") or {}).get(name):
                found[name] = (path.name, out)
    return found


def render_latest(results_dir: Path = RESULTS) -> str:
    """Every section from its newest results file, each with its machine line and source."""
    parts = []
    for name, (file_name, out) in sorted(
        latest_sections(results_dir).items(), key=lambda kv: SECTIONS.index(kv[0])
    ):
        parts.append(f"<!-- section {name}: from benchmarks/results/{file_name} -->")
        parts.append(f"*Section `{name}`, from `{file_name}`.* " + _machine(out["machine"]))
        parts.append(_RENDER[name](out[name]))
    return "\n\n".join(parts) + "\n"


def write_docs(
    path: Path, tables: str = "", results_name: str = "", *, results_dir: Path | None = None
) -> None:
    """Rewrite the generated part of ``path`` from the newest results of every section.

    ``tables``/``results_name`` (one run's rendering) are used only when no results file can
    be read, so that a run always leaves its figures somewhere.
    """
    directory = results_dir or RESULTS
    generated = render_latest(directory) if latest_sections(directory) else tables
    text = (
        path.read_text(encoding="utf-8") if path.exists() else f"# Performance\n\n{BEGIN}\n{END}\n"
    )
    if BEGIN not in text or END not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    note = (
        "<!-- generated by benchmarks/report.py from the newest results file of each section; "
        "rerun: python -m benchmarks (or python -m benchmarks.report to regenerate) -->"
    )
    body = f"{BEGIN}\n{note}\n\n{generated}\n{END}"
    path.write_text(head + body + tail, encoding="utf-8")


def main() -> int:
    """``python -m benchmarks.report``: regenerate docs/performance.md from the results."""
    write_docs(Path(__file__).resolve().parent.parent / "docs" / "performance.md")
    print(render_latest())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

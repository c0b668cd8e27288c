"""The build's plain progress lines, as a log of a long build gets them (issue 20): the events
of a 10,000-document build fed to the renderer the CLI uses when stderr is not a terminal.
The live display on a terminal is shown by a real build on a pseudo-terminal
(tests/build/test_build_pipeline.py)."""

from __future__ import annotations

import io
import time

import pytest

from rcm_graph.cli.progress import DocumentCount, PlainProgress, duration


def test_ten_thousand_documents_print_a_count_line_per_interval_not_per_document() -> None:
    out = io.StringIO()
    plain = PlainProgress(out, interval_s=0.05)
    plain.step_started("load", "ontology, shapes, reference")
    plain.documents_found(10_000, 4_000)
    started = time.monotonic()
    for n in range(10_000):
        if n == 5_000:
            plain.document_skipped(["corpus/broken.txt: the file contains NUL bytes — give text"])
            continue
        plain.document_done(f"doc-{n}.txt", cached=n < 4_000)
        if n % 1_000 == 999:
            time.sleep(0.06)  # an interval passes every 1,000 documents
    elapsed = time.monotonic() - started
    plain.step_started("dumps", "nq.gz")
    lines = out.getvalue().splitlines()
    counts = [line for line in lines if line.startswith("[documents] ") and "/" in line]
    assert 8 <= len(counts) <= 12 + elapsed / 0.05, lines  # one per interval, plus the last
    assert lines[0] == "[load] ontology, shapes, reference"
    assert lines[1] == "[documents] 10,000 to build, 4,000 of them from the cache"
    assert "skipped: corpus/broken.txt: the file contains NUL bytes — give text" in lines
    assert counts[-1].startswith("[documents] 10,000/10,000 (100%) · in ")
    assert counts[-1].endswith(" · 4,000 cached · 1 skipped")
    middle = counts[len(counts) // 2]
    assert "documents/s" in middle and " left" in middle
    assert lines[-1] == "[dumps] nq.gz"
    assert not any("doc-" in line for line in lines)  # no line per document
    assert "\x1b" not in out.getvalue()


def test_the_rate_and_time_left_leave_the_cached_documents_out() -> None:
    count = DocumentCount()
    count.found(total=110, cached=100)
    for n in range(100):
        count.add(f"cached-{n}", cached=True)
    assert count.rate() is None and count.left_s() is None  # nothing computed yet
    time.sleep(0.2)
    count.add("computed", cached=False)
    rate, left = count.rate(), count.left_s()
    assert rate is not None and left is not None
    assert 0.5 < rate < 6  # one document in 0.2 s (or more on a busy machine), not 101
    assert left == pytest.approx((110 - 101) / rate, rel=0.05)  # the nine left at that rate


def test_durations_read_as_a_person_says_them() -> None:
    assert [duration(s) for s in (4.4, 187, 3_900, 6_528)] == ["4s", "3m 07s", "1h 05m", "1h 48m"]

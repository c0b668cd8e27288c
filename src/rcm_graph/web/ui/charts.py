"""Geometry of the server-side SVG charts of the browse pages (bars and a timeline).

WHY server-side: the browse pages are for readers who do not write SPARQL and must work without
JavaScript; the numbers are computed here, the template only draws (escaped) shapes and text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    href: str
    y: float
    width: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    ticks: list[tuple[float, int]]
    width: int
    height: int
    label_width: int
    bar_width: int
    row_height: int
    top: int


def bar_chart(items: list[tuple[str, int, str]], *, label_width: int = 330) -> BarChart:
    """Horizontal bars for (label, value, link) items, scaled to the largest value."""
    bar_width, row_height, top = 480, 24, 26
    largest = max((v for _, v, _ in items), default=0) or 1
    bars = [
        Bar(label, value, href, top + i * row_height, max(value / largest * bar_width, 1.0))
        for i, (label, value, href) in enumerate(items)
    ]
    step = max(1, -(-largest // 4))
    ticks = [(label_width + v / largest * bar_width, v) for v in range(0, largest + 1, step)]
    return BarChart(
        bars,
        ticks,
        label_width + bar_width + 60,
        top + len(items) * row_height + 8,
        label_width,
        bar_width,
        row_height,
        top,
    )


@dataclass(frozen=True)
class TimelineItem:
    label: str
    href: str
    when: str
    x: float
    y: float
    planned: bool


@dataclass(frozen=True)
class Timeline:
    items: list[TimelineItem]
    years: list[tuple[float, int]]
    width: int
    height: int
    axis_y: int


def timeline(items: list[tuple[date, str, str, bool]]) -> Timeline:
    """Meetings as dots on a year axis; dots in the same year stack upwards."""
    left, axis_width, axis_y = 40, 1080, 0
    if not items:
        return Timeline([], [], left + axis_width + 40, 60, 40)
    first, last = min(d.year for d, *_ in items), max(d.year for d, *_ in items) + 1
    span = max(last - first, 1)

    def x_of(d: date) -> float:
        return left + ((d.year - first) + (d.timetuple().tm_yday - 1) / 366) / span * axis_width

    stacks: dict[int, int] = {}
    placed = []
    for when, label, href, planned in sorted(items, key=lambda i: i[0]):
        level = stacks.get(when.year, 0)
        stacks[when.year] = level + 1
        placed.append((when, label, href, planned, level))
    tallest = max(stacks.values())
    axis_y = 30 + tallest * 16
    out = [
        TimelineItem(label, href, when.isoformat(), x_of(when), axis_y - 12 - level * 16, planned)
        for when, label, href, planned, level in placed
    ]
    step = max(1, -(-span // 14))
    years = [(left + (y - first) / span * axis_width, y) for y in range(first, last + 1, step)]
    return Timeline(out, years, left + axis_width + 40, axis_y + 30, axis_y)

"""Small statistics for benchmark samples: medians, percentiles, paired ratios.

WHY paired ratios: the machine is shared and noisy; two configurations measured in the same
round suffer the same drift, so the median of per-round ratios is far steadier than the ratio
of two medians.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def median(values: Sequence[float]) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100), the definition load testers use."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def paired_ratio(numerators: Sequence[float], denominators: Sequence[float]) -> float:
    """Median of per-round ratios; rounds where either side is missing or zero are skipped."""
    ratios = [
        a / b
        for a, b in zip(numerators, denominators, strict=False)
        if b and not math.isnan(a) and not math.isnan(b)
    ]
    return median(ratios)


def spread(values: Sequence[float]) -> tuple[float, float]:
    return (min(values), max(values)) if values else (math.nan, math.nan)

"""Stacked status bars as plain data for inline SVG: no chart library, nothing to load."""

from dataclasses import dataclass

from recommendations.choices import Status
from recommendations.overview.computation import Counts


@dataclass(frozen=True)
class Segment:
    status: str
    label: str
    count: int
    x: float  # percent of the bar's width
    width: float


def status_bar(counts: Counts) -> list[Segment]:
    """One segment per status that has items, left to right in lifecycle order."""
    total = counts.total
    segments, x = [], 0.0
    for status in Status:
        count = counts.by_status[status.value]
        if not count:
            continue
        width = 100 * count / total
        segments.append(
            Segment(status.value, str(status.label), count, round(x, 3), round(width, 3))
        )
        x += width
    return segments

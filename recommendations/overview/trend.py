"""The status distribution over time: for each period end (month or quarter), how many of the
selected items existed then and in which status, rebuilt from the status history as the
overview's ``as_of`` is, and equal to its totals on each of those dates.

Set-based, in two queries whatever the number of points, each one pass: the items counted
by the period of their creation and their status now, and their status changes since the
first period counted by the period of the item's creation, the period of the change and the
move. A point counts the items created by then in their status now, with every later change
undone (history is append-only, each change starting where the last one ended). A change
dated before its item's creation (not made by the tracker, but imported data may hold one)
counts from the creation on.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, Count, DateField, F, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth, TruncQuarter
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recommendations import lifecycle
from recommendations.choices import Status
from recommendations.models import Recommendation
from recommendations.overview.computation import start_of_day


class Period:
    MONTH = "month"
    QUARTER = "quarter"
    choices = [(MONTH, _("month")), (QUARTER, _("quarter"))]
    values = [MONTH, QUARTER]


_MONTHS = {Period.MONTH: 1, Period.QUARTER: 3}
_TRUNC = {Period.MONTH: TruncMonth, Period.QUARTER: TruncQuarter}
# A trend wider than this is refused (20 years of months): a chart, not a data dump.
MAX_POINTS = 240
DEFAULT_MONTHS = 24


@dataclass
class TrendPoint:
    date: dt.date
    by_status: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


@dataclass
class Trend:
    period: str
    start: dt.date
    end: dt.date
    points: list[TrendPoint]
    filters: dict[str, list[str]] = field(default_factory=dict)


def period_start(day: dt.date, period: str) -> dt.date:
    months = _MONTHS[period]
    return day.replace(month=(day.month - 1) // months * months + 1, day=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def default_start(end: dt.date) -> dt.date:
    """The first day of the last ``DEFAULT_MONTHS`` months up to ``end``."""
    return _add_months(end, 1 - DEFAULT_MONTHS)


def point_dates(start: dt.date, end: dt.date, period: str) -> list[dt.date]:
    """The ends of the periods from the one holding ``start`` to the one holding ``end``;
    the last point is ``end`` itself."""
    dates, first = [], period_start(start, period)
    while first <= end:
        following = _add_months(first, _MONTHS[period])
        dates.append(min(following - dt.timedelta(days=1), end))
        first = following
    return dates


def counted_statuses(
    status: list[str] | None = None, closed: bool | None = None, **_others
) -> frozenset[str]:
    """The statuses the status filters let through: as they judge each item by its status on
    each point, they keep or drop whole series."""
    kept = frozenset(status) if status else frozenset(Status.values)
    if closed is not None:
        kept &= lifecycle.CLOSED if closed else lifecycle.OPEN_STATUSES
    return kept


def build_trend(
    *,
    recommendations: QuerySet[Recommendation],
    period: str,
    start: dt.date,
    end: dt.date,
    statuses: frozenset[str] = frozenset(Status.values),
    filters: dict[str, list[str]] | None = None,
) -> Trend:
    """The trend of ``recommendations`` (already filtered by their current values), counting
    only ``statuses``. Validation is the caller's (see ``query.TrendOptionsForm``)."""
    dates = point_dates(start, end, period)
    first = period_start(dates[0], period)
    cutoff = start_of_day(end + dt.timedelta(days=1))
    tzinfo = timezone.get_current_timezone()

    def bucket(column):
        # The period's first day: the first period for anything before it (fewer rows),
        # None after ``end`` (the last point may end mid-period).
        return Case(
            When(**{f"{column}__gte": cutoff}, then=Value(None)),
            When(**{f"{column}__lt": start_of_day(first)}, then=Value(first)),
            default=_TRUNC[period](column, tzinfo=tzinfo, output_field=DateField()),
            output_field=DateField(),
        )

    existing = recommendations.filter(created_at__lt=cutoff).order_by()
    created = existing.values(created=bucket("created_at"), now=F("status")).annotate(n=Count("pk"))
    # Only the changes that some point undoes: after the first period and after the period
    # of their item's creation.
    moves = (
        existing.filter(status_changes__changed_at__gte=start_of_day(first))
        .annotate(created=bucket("created_at"), moved=bucket("status_changes__changed_at"))
        .filter(Q(moved__isnull=True) | Q(moved__gt=F("created")))
        .values(
            "created",
            "moved",
            from_status=F("status_changes__from_status"),
            to_status=F("status_changes__to_status"),
        )
        .annotate(n=Count("status_changes"))
    )

    slots = {period_start(day, period): i for i, day in enumerate(dates)}
    last = len(dates)

    def slot(day: dt.date | dt.datetime | None) -> int:
        if day is None:
            return last  # after the last point
        # Inside Case, PostgreSQL's DATE_TRUNC comes back as a timestamp (at local midnight).
        return slots[day.date() if isinstance(day, dt.datetime) else day]

    # Per point, the change of each count from the point before (a difference array).
    deltas = [dict.fromkeys(Status.values, 0) for _day in range(last + 1)]
    for row in created:
        deltas[slot(row["created"])][row["now"]] += row["n"]
    for row in moves:
        # Undone on the points from the item's creation up to the change (a change dated
        # before the creation counts from the creation on).
        begin = slot(row["created"])
        done = max(begin, slot(row["moved"]))
        for index, sign in ((begin, 1), (done, -1)):
            deltas[index][row["from_status"]] += sign * row["n"]
            deltas[index][row["to_status"]] -= sign * row["n"]

    running = dict.fromkeys(Status.values, 0)
    points = []
    for day, delta in zip(dates, deltas, strict=False):
        for status, n in delta.items():
            running[status] += n
        shown = {status: running[status] if status in statuses else 0 for status in Status.values}
        points.append(TrendPoint(day, shown))
    return Trend(period=period, start=start, end=end, points=points, filters=filters or {})

"""The follow-up overview: counts per status by group, rates, "as of" a date and "changed
since" a date. One computation behind the API, the command, the page and every export.

The status on a past date is rebuilt from the status history; the due date from the due date
revisions. Groups (report, owner, domain, ...) and filters use the items' current values.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import lifecycle
from .choices import Horizon, Priority, Status
from .models import DueDateRevision, Recommendation, StatusChange


class GroupBy:
    NONE = "none"
    REPORT = "report"
    INSTITUTE = "institute"
    DOMAIN = "domain"
    OWNER = "owner"
    PRIORITY = "priority"
    HORIZON = "horizon"

    # The default first: a form that leaves the choice empty shows what it gets.
    choices = [
        (REPORT, _("report")),
        (INSTITUTE, _("institute")),
        (DOMAIN, _("primary policy domain")),
        (OWNER, _("owner")),
        (PRIORITY, _("priority")),
        (HORIZON, _("horizon")),
        (NONE, _("no grouping")),
    ]
    values = [value for value, _label in choices]


# Per grouping: the column that identifies a group, the columns that name it, and the order.
_GROUP_COLUMNS = {
    GroupBy.REPORT: ("report__number", ["report__title"], ["report__sequence"]),
    GroupBy.INSTITUTE: ("report__institutes__slug", ["report__institutes__name"], []),
    GroupBy.DOMAIN: (
        "primary_domain__slug",
        ["primary_domain__name_nl", "primary_domain__name_en"],
        [],
    ),
    GroupBy.OWNER: ("owner__slug", ["owner__name"], []),
    GroupBy.PRIORITY: ("priority", [], []),
    GroupBy.HORIZON: ("horizon", [], []),
}
_CHOICE_ORDER = {
    GroupBy.PRIORITY: [value for value, _label in Priority.choices],
    GroupBy.HORIZON: [value for value, _label in Horizon.choices],
}


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        """The share (0..1), or None when there is nothing to divide by."""
        return self.numerator / self.denominator if self.denominator else None


@dataclass
class Counts:
    by_status: dict[str, int]
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    def _sum(self, statuses) -> int:
        return sum(self.by_status[s] for s in statuses)

    @property
    def acceptance(self) -> Rate:
        """Accepted or further along, of those assessed."""
        return Rate(self._sum(lifecycle.ACCEPTED_OR_FURTHER), self._sum(lifecycle.ASSESSED))

    @property
    def implementation(self) -> Rate:
        """Implemented, of those closed."""
        return Rate(self.by_status[Status.IMPLEMENTED], self._sum(lifecycle.CLOSED))

    @property
    def overdue_share(self) -> Rate:
        """Overdue, of those not closed."""
        return Rate(self.overdue, self._sum(lifecycle.OPEN_STATUSES))

    @classmethod
    def empty(cls) -> "Counts":
        return cls(by_status={status.value: 0 for status in Status}, overdue=0)

    def add(self, status: str, count: int, overdue: int) -> None:
        self.by_status[status] += count
        self.overdue += overdue


RATE_DEFINITIONS = {
    "acceptance": _(
        "accepted, in progress, implemented or partially implemented, of those assessed "
        "(every status but open and under consideration)"
    ),
    "implementation": _(
        "implemented, of those closed (implemented, partially implemented, not accepted, "
        "superseded)"
    ),
    "overdue_share": _("past the due date and not closed, of those not closed"),
}


@dataclass
class Group:
    key: str | None
    label: str
    counts: Counts


@dataclass(frozen=True)
class ChangeEvent:
    code: str
    title: str
    from_status: str
    to_status: str
    changed_by: str | None
    changed_at: dt.datetime
    note: str
    evidence_url: str


@dataclass(frozen=True)
class NewItem:
    code: str
    title: str
    status: str
    created_at: dt.datetime


@dataclass
class Overview:
    as_of: dt.date
    since: dt.date | None
    group_by: str
    filters: dict[str, list[str]]
    groups: list[Group]
    totals: Counts
    changes: list[ChangeEvent] = field(default_factory=list)
    new_items: list[NewItem] = field(default_factory=list)


def start_of_day(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the tracker's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _status_on(cutoff: dt.datetime):
    """The status each recommendation had just before ``cutoff``: the target of its last
    change before it, else the origin of its first change after it, else its status now."""
    changes = StatusChange.objects.filter(recommendation=OuterRef("pk"))
    last_before = changes.filter(changed_at__lt=cutoff).order_by("-changed_at", "-pk")
    first_after = changes.filter(changed_at__gte=cutoff).order_by("changed_at", "pk")
    return Coalesce(
        Subquery(last_before.values("to_status")[:1]),
        Subquery(first_after.values("from_status")[:1]),
        F("status"),
    )


def _due_date_on(cutoff: dt.datetime):
    """The due date just before ``cutoff``, from the revisions (a revision may clear it)."""
    revisions = DueDateRevision.objects.filter(recommendation=OuterRef("pk"))
    last_before = revisions.filter(changed_at__lt=cutoff).order_by("-changed_at", "-pk")
    first_after = revisions.filter(changed_at__gte=cutoff).order_by("changed_at", "pk")
    return Case(
        When(Exists(last_before), then=Subquery(last_before.values("new_date")[:1])),
        When(Exists(first_after), then=Subquery(first_after.values("previous_date")[:1])),
        default=F("due_date"),
        output_field=DateField(),
    )


def _with_status_on(
    recommendations: QuerySet[Recommendation], as_of: dt.date, today: dt.date
) -> QuerySet[Recommendation]:
    """The recommendations that existed on ``as_of``, annotated with ``status_then`` and
    ``overdue_then`` (1 or 0). Today's picture needs no history."""
    if as_of >= today:
        status, due_date = F("status"), F("due_date")
    else:
        cutoff = start_of_day(as_of + dt.timedelta(days=1))
        recommendations = recommendations.filter(created_at__lt=cutoff)
        status, due_date = _status_on(cutoff), _due_date_on(cutoff)
    return recommendations.annotate(status_then=status, due_date_then=due_date).annotate(
        overdue_then=Case(
            When(
                Q(due_date_then__lt=as_of, status_then__in=lifecycle.OPEN_STATUSES),
                then=Value(1),
            ),
            default=Value(0),
        )
    )


def _counted(annotated: QuerySet, columns: list[str]) -> QuerySet:
    # Distinct keys: filters across many-to-many relations may repeat an item.
    return (
        annotated.order_by()
        .values(*columns, "status_then")
        .annotate(
            n=Count("pk", distinct=True),
            overdue=Count("pk", distinct=True, filter=Q(overdue_then=1)),
        )
    )


def _group_label(group_by: str, key, row: dict) -> str:
    if key is None:
        return str(_("(none)")) if group_by != GroupBy.OWNER else str(_("(no owner)"))
    if group_by == GroupBy.REPORT:
        return f"{key}. {row['report__title']}"
    if group_by == GroupBy.INSTITUTE:
        return row["report__institutes__name"]
    if group_by == GroupBy.DOMAIN:
        english = (get_language() or "").startswith("en")
        return row["primary_domain__name_en" if english else "primary_domain__name_nl"]
    if group_by == GroupBy.OWNER:
        return row["owner__name"]
    if group_by == GroupBy.PRIORITY:
        return str(Priority(key).label)
    return str(Horizon(key).label)


def _groups(annotated: QuerySet, group_by: str) -> list[Group]:
    key_column, label_columns, order_columns = _GROUP_COLUMNS[group_by]
    groups: dict[object, Group] = {}
    order: dict[object, tuple] = {}
    for row in _counted(annotated, [key_column, *label_columns, *order_columns]):
        key = row[key_column]
        if key not in groups:
            groups[key] = Group(key, _group_label(group_by, key, row), Counts.empty())
            order[key] = tuple(row[c] for c in order_columns)
        groups[key].counts.add(row["status_then"], row["n"], row["overdue"])
    if group_by in _CHOICE_ORDER:
        rank = {value: i for i, value in enumerate(_CHOICE_ORDER[group_by])}
        sort_key = lambda g: rank.get(g.key, len(rank))  # noqa: E731
    elif order_columns:
        sort_key = lambda g: order[g.key]  # noqa: E731
    else:
        sort_key = lambda g: (g.key is None, g.label.casefold())  # noqa: E731
    return sorted(groups.values(), key=sort_key)


def _changes(recommendations, start: dt.datetime, end: dt.datetime | None) -> list[ChangeEvent]:
    window = Q(changed_at__gte=start) & (Q(changed_at__lt=end) if end else Q())
    changes = (
        StatusChange.objects.filter(window, recommendation__in=recommendations.values("pk"))
        .select_related("recommendation", "changed_by")
        .order_by("changed_at", "pk")
    )
    return [
        ChangeEvent(
            code=c.recommendation.code,
            title=c.recommendation.title,
            from_status=c.from_status,
            to_status=c.to_status,
            changed_by=c.changed_by.get_username() if c.changed_by else None,
            changed_at=c.changed_at,
            note=c.note,
            evidence_url=c.evidence_url,
        )
        for c in changes
    ]


def _new_items(recommendations, start: dt.datetime, end: dt.datetime | None) -> list[NewItem]:
    window = Q(created_at__gte=start) & (Q(created_at__lt=end) if end else Q())
    created = (
        Recommendation.objects.filter(window, pk__in=recommendations.values("pk"))
        .order_by("created_at", "code")
        .values_list("code", "title", "status", "created_at")
    )
    return [NewItem(*row) for row in created]


def build_overview(
    *,
    recommendations: QuerySet[Recommendation],
    group_by: str = GroupBy.REPORT,
    as_of: dt.date | None = None,
    since: dt.date | None = None,
    filters: dict[str, list[str]] | None = None,
) -> Overview:
    """The overview of ``recommendations`` (already filtered) on ``as_of`` (default today).

    A fixed number of queries whatever the number of groups or items: one for the groups,
    one for the totals, and with ``since`` one each for the status changes and new items.
    Validation of the options is the caller's (see ``forms.OverviewOptionsForm``).
    """
    today = timezone.localdate()
    as_of = as_of or today
    annotated = _with_status_on(recommendations, as_of, today)

    totals = Counts.empty()
    for row in _counted(annotated, []):
        totals.add(row["status_then"], row["n"], row["overdue"])
    groups = [] if group_by == GroupBy.NONE else _groups(annotated, group_by)

    changes, new_items = [], []
    if since is not None:
        start = start_of_day(since)
        end = None if as_of >= today else start_of_day(as_of + dt.timedelta(days=1))
        changes = _changes(recommendations, start, end)
        new_items = _new_items(recommendations, start, end)
    return Overview(
        as_of=as_of,
        since=since,
        group_by=group_by,
        filters=filters or {},
        groups=groups,
        totals=totals,
        changes=changes,
        new_items=new_items,
    )

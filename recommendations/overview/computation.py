"""The follow-up overview: counts per status by group, rates, "as of" a date and "changed
since" a date. One computation behind the API, the command, the page and every export.

The status on a past date is rebuilt from the status history; the due date from the due date
revisions. The filters that judge an item by its status (status, closed, overdue) apply to
the status and due date on that date; groups (report, owner, domain, ...) and the other
filters use the items' current values.
"""

import datetime as dt
from collections.abc import Callable
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
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recommendations import lifecycle
from recommendations.choices import Horizon, Priority, Status
from recommendations.models import (
    DueDateRevision,
    Organisation,
    PolicyDomain,
    Recommendation,
    StatusChange,
    closed_q,
    overdue_q,
)
from recommendations.roles import PUBLIC, Audience
from reports.models import Institute, Report

# The recommendation list's filters that judge an item by its status: an overview applies
# them to the status on its date (see ``_on_status_then``), not to today's.
STATUS_FILTERS = ("status", "closed", "overdue")


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


# Per grouping: the column counted by (an id where possible: no join needed) and, for
# related objects, how to name and order the groups it finds (one query).
_GROUP_KEYS = {
    GroupBy.REPORT: "report_id",
    GroupBy.INSTITUTE: "report__institutes",
    GroupBy.DOMAIN: "primary_domain_id",
    GroupBy.OWNER: "owner_id",
    GroupBy.PRIORITY: "priority",
    GroupBy.HORIZON: "horizon",
}
_STATUS_VALUES = tuple(Status.values)


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

    def sum_of(self, statuses) -> int:
        return sum(self.by_status[s] for s in statuses)

    def rate(self, name: str) -> Rate:
        return RATES[name].of(self)

    @property
    def rates(self) -> dict[str, Rate]:
        return {name: self.rate(name) for name in RATES}

    @classmethod
    def empty(cls) -> "Counts":
        return cls(by_status=dict.fromkeys(_STATUS_VALUES, 0), overdue=0)

    def add(self, status: str, count: int, past_due: int) -> None:
        """Count ``count`` items in ``status``, ``past_due`` of them past their due date:
        overdue when the status is still open."""
        self.by_status[status] += count
        if status in lifecycle.OPEN_STATUSES:
            self.overdue += past_due


@dataclass(frozen=True)
class RateDefinition:
    """A rate of the overview: every output lists these, in this order, with these words."""

    name: str
    label: str
    numerator_label: str
    denominator_label: str
    definition: str
    of: Callable[[Counts], Rate]


RATES = {
    rate.name: rate
    for rate in [
        RateDefinition(
            "acceptance",
            _("Acceptance rate"),
            _("Accepted or further"),
            _("Assessed"),
            _(
                "accepted, in progress, implemented or partially implemented, of those "
                "assessed (every status but open and under consideration)"
            ),
            lambda c: Rate(c.sum_of(lifecycle.ACCEPTED_OR_FURTHER), c.sum_of(lifecycle.ASSESSED)),
        ),
        RateDefinition(
            "implementation",
            _("Implementation rate"),
            _("Implemented"),
            _("Closed"),
            _(
                "implemented, of those closed (implemented, partially implemented, not "
                "accepted, superseded)"
            ),
            lambda c: Rate(c.by_status[Status.IMPLEMENTED], c.sum_of(lifecycle.CLOSED)),
        ),
        RateDefinition(
            "overdue_share",
            _("Share overdue"),
            _("Overdue"),
            _("Not closed"),
            _("past the due date and not closed, of those not closed"),
            lambda c: Rate(c.overdue, c.sum_of(lifecycle.OPEN_STATUSES)),
        ),
    ]
}


@dataclass
class Group:
    key: str | None
    label: str
    counts: Counts
    # The recommendation list's parameter and value that select the group's items, if any.
    filter: tuple[str, str] | None = None


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
class DueDateEvent:
    code: str
    title: str
    previous_date: dt.date | None
    new_date: dt.date | None
    changed_by: str | None
    changed_at: dt.datetime
    reason: str


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
    due_date_changes: list[DueDateEvent] = field(default_factory=list)


def start_of_day(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the tracker's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _status_on(cutoff: dt.datetime):
    """The status each recommendation had just before ``cutoff``: where it changed since,
    the origin of its first change after it (history is append-only, each change starting
    where the last one ended); otherwise the status it has now."""
    first_after = StatusChange.objects.filter(
        recommendation=OuterRef("pk"), changed_at__gte=cutoff
    ).order_by("changed_at", "pk")
    return Coalesce(Subquery(first_after.values("from_status")[:1]), F("status"))


def _due_date_on(cutoff: dt.datetime):
    """The due date just before ``cutoff``: the previous date of the first revision after it,
    else the due date now (a revision may have set or cleared it: hence Exists)."""
    first_after = DueDateRevision.objects.filter(
        recommendation=OuterRef("pk"), changed_at__gte=cutoff
    ).order_by("changed_at", "pk")
    return Case(
        When(Exists(first_after), then=Subquery(first_after.values("previous_date")[:1])),
        default=F("due_date"),
        output_field=DateField(),
    )


def _with_status_on(
    recommendations: QuerySet[Recommendation], as_of: dt.date, today: dt.date
) -> QuerySet[Recommendation]:
    """The recommendations that existed on ``as_of``, annotated with ``status_then`` and
    ``past_due_then`` (1 when their due date then lay before ``as_of``, else 0; whether that
    makes them overdue depends on ``status_then``, which ``Counts.add`` checks, so that the
    status subquery appears once in the SQL). Today's picture needs no history."""
    if as_of >= today:
        status, due_date = F("status"), F("due_date")
    else:
        cutoff = start_of_day(as_of + dt.timedelta(days=1))
        recommendations = recommendations.filter(created_at__lt=cutoff)
        status, due_date = _status_on(cutoff), _due_date_on(cutoff)
    return recommendations.annotate(status_then=status, due_date_then=due_date).annotate(
        past_due_then=Case(When(due_date_then__lt=as_of, then=Value(1)), default=Value(0))
    )


def _on_status_then(
    annotated: QuerySet,
    as_of: dt.date,
    *,
    status: list[str] | None = None,
    closed: bool | None = None,
    overdue: bool | None = None,
) -> QuerySet:
    """The status filters of the recommendation list, judged on ``as_of``."""
    if status:
        annotated = annotated.filter(status_then__in=status)
    tests = {
        "closed_then": (closed, closed_q(status="status_then")),
        "overdue_then": (overdue, overdue_q(as_of, status="status_then", due_date="due_date_then")),
    }
    for name, (wanted, lookup) in tests.items():
        if wanted is not None:
            # A true/false column: exclude() on the rebuilt expressions would drop NULL due dates.
            flag = Case(When(lookup, then=Value(True)), default=Value(False))
            annotated = annotated.alias(**{name: flag}).filter(**{name: wanted})
    return annotated


def _counted(annotated: QuerySet, columns: list[str]) -> QuerySet:
    # The filters never repeat an item (those across many-to-many relations are subqueries),
    # so plain counts are right.
    return (
        annotated.order_by()
        .values(*columns, "status_then")
        .annotate(n=Count("pk"), past_due=Sum("past_due_then"))
    )


def _named(group_by: str, keys: set) -> dict[object, tuple[str, str, tuple, tuple]]:
    """Per group key: the key shown (number, slug or value), its label, its sort order and the
    recommendation list's filter that selects exactly its items."""
    ids = [key for key in keys if key is not None]
    if group_by == GroupBy.REPORT:
        rows = Report.objects.filter(pk__in=ids).values_list("pk", "number", "title", "sequence")
        return {
            pk: (number, f"{number}. {title}", (0, seq), ("report_id", str(pk)))
            for pk, number, title, seq in rows
        }
    if group_by == GroupBy.INSTITUTE:
        rows = Institute.objects.filter(pk__in=ids).values_list("pk", "slug", "name")
        return {
            pk: (slug, name, (0, name.casefold()), ("institute", slug)) for pk, slug, name in rows
        }
    if group_by == GroupBy.DOMAIN:
        rows = PolicyDomain.objects.filter(pk__in=ids).values_list(
            "pk", "slug", PolicyDomain.name_field()
        )
        return {
            pk: (slug, label, (0, label.casefold()), ("primary_domain_id", str(pk)))
            for pk, slug, label in rows
        }
    if group_by == GroupBy.OWNER:
        rows = Organisation.objects.filter(pk__in=ids).values_list("pk", "slug", "name")
        return {
            pk: (slug, label, (0, label.casefold()), ("owner", slug)) for pk, slug, label in rows
        }
    choices = Priority if group_by == GroupBy.PRIORITY else Horizon
    order = {value: i for i, value in enumerate(choices.values)}
    return {key: (key, str(choices(key).label), (0, order[key]), (group_by, key)) for key in ids}


def _groups(annotated: QuerySet, group_by: str) -> list[Group]:
    key_column = _GROUP_KEYS[group_by]
    counts: dict[object, Counts] = {}
    for row in _counted(annotated, [key_column]):
        key = row[key_column]
        if key not in counts:
            counts[key] = Counts.empty()
        counts[key].add(row["status_then"], row["n"], row["past_due"])
    names = _named(group_by, set(counts))
    if group_by == GroupBy.OWNER:
        names[None] = (None, str(_("(no owner)")), (1,), ("has_owner", "false"))
    else:  # the list has no filter for "no domain", "no priority", ...
        names[None] = (None, str(_("(none)")), (1,), None)
    ordered = sorted(counts, key=lambda key: names[key][2])
    return [Group(*names[key][:2], counts[key], names[key][3]) for key in ordered]


def _changes(
    recommendations, start: dt.datetime, end: dt.datetime | None, audience: Audience
) -> list[ChangeEvent]:
    window = Q(changed_at__gte=start) & (Q(changed_at__lt=end) if end else Q())
    rows = (
        StatusChange.objects.filter(window, recommendation__in=recommendations.values("pk"))
        .order_by("changed_at", "pk")
        .values_list(
            "recommendation__code",
            "recommendation__title",
            "from_status",
            "to_status",
            "changed_by__username",
            "changed_at",
            "note",
            "evidence_url",
            "publication",
        )
    )
    events = []
    for *moved, changed_by, changed_at, note, evidence_url, publication in rows:
        published = publication is not None
        events.append(
            ChangeEvent(
                *moved,
                audience.person(changed_by),
                changed_at,
                audience.note(note, published=published),
                audience.note(evidence_url, published=published),
            )
        )
    return events


def _due_date_changes(
    recommendations, start: dt.datetime, end: dt.datetime | None, audience: Audience
) -> list[DueDateEvent]:
    """The due date revisions in the window, people and reasons as ``audience`` may see them
    (the read rule of ``_changes``)."""
    window = Q(changed_at__gte=start) & (Q(changed_at__lt=end) if end else Q())
    rows = (
        DueDateRevision.objects.filter(window, recommendation__in=recommendations.values("pk"))
        .order_by("changed_at", "pk")
        .values_list(
            "recommendation__code",
            "recommendation__title",
            "previous_date",
            "new_date",
            "changed_by__username",
            "changed_at",
            "reason",
            "publication",
        )
    )
    return [
        DueDateEvent(
            *moved,
            audience.person(changed_by),
            changed_at,
            audience.note(reason, published=publication is not None),
        )
        for *moved, changed_by, changed_at, reason, publication in rows
    ]


def _new_items(annotated, start: dt.datetime, end: dt.datetime | None) -> list[NewItem]:
    """The items created in the window, with their status on the overview's date."""
    window = Q(created_at__gte=start) & (Q(created_at__lt=end) if end else Q())
    created = (
        annotated.filter(window)
        .order_by("created_at", "code")
        .values_list("code", "title", "status_then", "created_at")
    )
    return [NewItem(*row) for row in created]


def build_overview(
    *,
    recommendations: QuerySet[Recommendation],
    group_by: str = GroupBy.REPORT,
    as_of: dt.date | None = None,
    since: dt.date | None = None,
    filters: dict[str, list[str]] | None = None,
    status_filters: dict | None = None,
    audience: Audience = PUBLIC,
) -> Overview:
    """The overview of ``recommendations`` (already filtered, but for ``status_filters``,
    the cleaned values of ``STATUS_FILTERS``, which apply on ``as_of``) on ``as_of``
    (default today). The changes show people and notes as ``audience`` may see them.

    A fixed number of queries whatever the number of groups or items: the counts per group
    (or the totals), the groups' names, and with ``since`` the status changes, new items and
    due date changes.
    Validation of the options is the caller's (see ``query.OverviewOptionsForm``).
    """
    today = timezone.localdate()
    as_of = as_of or today
    annotated = _with_status_on(recommendations, as_of, today)
    if status_filters and any(value not in (None, []) for value in status_filters.values()):
        annotated = _on_status_then(annotated, as_of, **status_filters)
        recommendations = annotated

    groups = [] if group_by == GroupBy.NONE else _groups(annotated, group_by)
    totals = Counts.empty()
    if groups and group_by != GroupBy.INSTITUTE:
        # Every item sits in exactly one group: the totals are the groups' sum.
        for group in groups:
            for status, n in group.counts.by_status.items():
                totals.add(status, n, 0)
            totals.overdue += group.counts.overdue
    else:  # no grouping, or a report of several institutes counts in each of them
        for row in _counted(annotated, []):
            totals.add(row["status_then"], row["n"], row["past_due"])

    changes, new_items, due_date_changes = [], [], []
    if since is not None:
        start = start_of_day(since)
        end = None if as_of >= today else start_of_day(as_of + dt.timedelta(days=1))
        changes = _changes(recommendations, start, end, audience)
        new_items = _new_items(annotated, start, end)
        due_date_changes = _due_date_changes(recommendations, start, end, audience)
    return Overview(
        as_of=as_of,
        since=since,
        group_by=group_by,
        filters=filters or {},
        groups=groups,
        totals=totals,
        changes=changes,
        new_items=new_items,
        due_date_changes=due_date_changes,
    )

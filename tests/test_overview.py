"""The overview computation: exact counts on a scripted history, as of several dates."""

import datetime as dt

import pytest

from recommendations.models import Recommendation
from recommendations.overview.computation import build_overview
from recommendations.roles import INTERNAL, PUBLIC

SCENARIO_TODAY = dt.date(2026, 10, 1)  # the day the `scenario` fixture runs its test on

STATUSES = [
    "open",
    "under_consideration",
    "accepted",
    "in_progress",
    "implemented",
    "partially_implemented",
    "not_accepted",
    "superseded",
]


def counts(**nonzero):
    return {status: nonzero.get(status, 0) for status in STATUSES}


def overview(**options):
    """As a logged-in reader sees it (people and every note; tests/test_public_reading.py
    covers what anonymous readers see)."""
    return build_overview(
        recommendations=Recommendation.objects.all(), audience=INTERNAL, **options
    )


def by_key(result):
    return {group.key: group.counts for group in result.groups}


@pytest.mark.parametrize(
    ("as_of", "expected", "overdue"),
    [
        ("2026-01-09", counts(), 0),  # nothing existed yet
        ("2026-01-10", counts(open=4), 0),
        ("2026-03-01", counts(open=2, accepted=1, under_consideration=1), 0),
        ("2026-04-15", counts(open=3, accepted=1, under_consideration=1), 0),
        # C is due on 1 June and still under consideration: overdue from 2 June on.
        ("2026-06-30", counts(open=2, under_consideration=1, in_progress=1, not_accepted=1), 1),
        ("2026-08-31", counts(open=2, accepted=1, implemented=1, not_accepted=1), 1),
        # On 1 September C's due date moved to the end of the year: no longer overdue.
        ("2026-09-30", counts(open=2, accepted=1, implemented=1, not_accepted=1), 0),
        (SCENARIO_TODAY.isoformat(), counts(open=2, accepted=1, implemented=1, not_accepted=1), 0),
    ],
)
def test_totals_as_of_a_date_are_rebuilt_from_the_history(scenario, as_of, expected, overdue):
    result = overview(as_of=dt.date.fromisoformat(as_of), group_by="none")
    assert result.totals.by_status == expected
    assert result.totals.total == sum(expected.values())
    assert result.totals.overdue == overdue
    assert result.groups == []


def test_today_needs_no_history_and_agrees_with_it(scenario):
    # Nothing happened on 30 September: the rebuilt picture equals today's current one.
    rebuilt = overview(as_of=dt.date(2026, 9, 30), group_by="owner")
    current = overview(group_by="owner")
    assert current.as_of == SCENARIO_TODAY
    assert by_key(current) == by_key(rebuilt)
    assert current.totals == rebuilt.totals


def test_groups_by_owner_as_of_june(scenario, english):
    result = overview(as_of=dt.date(2026, 6, 30), group_by="owner")
    assert [(g.key, g.label) for g in result.groups] == [
        ("syntra-vlaanderen", "Syntra Vlaanderen"),
        ("vdab", "Vlaamse Dienst voor Arbeidsbemiddeling"),
        (None, "(no owner)"),
    ]
    groups = by_key(result)
    assert groups["vdab"].by_status == counts(in_progress=1, not_accepted=1)
    assert groups["syntra-vlaanderen"].by_status == counts(under_consideration=1, open=1)
    assert groups["syntra-vlaanderen"].overdue == 1
    assert groups[None].by_status == counts(open=1)


def test_groups_by_report_in_report_order_with_rates(scenario):
    result = overview(as_of=dt.date(2026, 8, 31), group_by="report")
    assert [g.key for g in result.groups] == ["1", "5.1"]
    assert result.groups[0].label == "1. Naar een vernieuwde sectorale insteek"
    first, other = result.groups[0].counts, result.groups[1].counts
    assert first.by_status == counts(implemented=1, not_accepted=1, open=1)
    assert other.by_status == counts(accepted=1, open=1)
    # Acceptance: accepted or further / assessed. Implementation: implemented / closed.
    assert (first.rate("acceptance").numerator, first.rate("acceptance").denominator) == (1, 2)
    assert first.rate("acceptance").value == 0.5
    assert (first.rate("implementation").numerator, first.rate("implementation").denominator) == (
        1,
        2,
    )
    assert (other.rate("acceptance").numerator, other.rate("acceptance").denominator) == (1, 1)
    assert other.rate("implementation").value is None  # nothing closed: no rate, not zero
    assert (other.rate("overdue_share").numerator, other.rate("overdue_share").denominator) == (
        1,
        2,
    )
    totals = result.totals
    assert (totals.rate("acceptance").numerator, totals.rate("acceptance").denominator) == (2, 3)
    assert (totals.rate("implementation").numerator, totals.rate("implementation").denominator) == (
        1,
        2,
    )
    assert (totals.rate("overdue_share").numerator, totals.rate("overdue_share").denominator) == (
        1,
        3,
    )


@pytest.mark.parametrize(
    ("group_by", "keys"),
    [
        ("priority", ["unset"]),
        ("horizon", ["unspecified"]),
        ("domain", ["werk"]),
        ("institute", ["hiva", "idea-consult"]),
    ],
)
def test_every_grouping_adds_up_to_the_totals(scenario, group_by, keys):
    result = overview(group_by=group_by)
    assert sorted(g.key for g in result.groups) == keys
    assert sum(g.counts.total for g in result.groups) == result.totals.total == 5


def test_a_report_of_two_institutes_counts_in_both_but_once_in_the_totals(
    scenario, report, other_institute
):
    report.institutes.add(other_institute)
    result = overview(group_by="institute")
    groups = by_key(result)
    assert groups["idea-consult"].total == 3
    assert groups["hiva"].total == 5
    assert result.totals.total == 5


def test_changed_since_lists_transitions_and_new_items_up_to_as_of(scenario):
    result = overview(as_of=dt.date(2026, 6, 30), since=dt.date(2026, 4, 1))
    assert [(c.code, c.from_status, c.to_status, c.changed_by, c.note) for c in result.changes] == [
        ("R01-1", "accepted", "in_progress", "coordinator", ""),
        ("R01-2", "open", "not_accepted", "coordinator", "Geen budget"),
    ]
    assert all(c.changed_at.date() == dt.date(2026, 5, 1) for c in result.changes)
    assert [(item.code, item.title) for item in result.new_items] == [("R01-3", "Leerwinkels")]


def test_changed_since_without_as_of_runs_to_today(scenario):
    result = overview(since=dt.date(2026, 7, 1))
    assert [(c.code, c.to_status) for c in result.changes] == [
        ("R01-1", "implemented"),
        ("R05.1-1", "accepted"),
    ]
    assert result.new_items == []


def test_filters_narrow_the_overview(scenario):
    result = build_overview(
        recommendations=Recommendation.objects.filter(owner__slug="vdab"),
        as_of=dt.date(2026, 6, 30),
        since=dt.date(2026, 1, 1),
        group_by="none",
    )
    assert result.totals.by_status == counts(in_progress=1, not_accepted=1)
    assert {c.code for c in result.changes} == {"R01-1", "R01-2"}


def test_an_empty_selection_gives_zeros_not_an_error(scenario):
    result = build_overview(
        recommendations=Recommendation.objects.none(), group_by="owner", since=dt.date(2026, 1, 1)
    )
    assert result.groups == []
    assert result.totals.by_status == counts()
    assert result.totals.rate("acceptance").value is None
    assert (result.changes, result.new_items) == ([], [])


@pytest.mark.parametrize("group_by", ["none", "report", "institute", "domain", "owner"])
def test_a_fixed_number_of_queries_whatever_the_groups(
    scenario, grow_catalogue, django_assert_num_queries, group_by
):
    # Counts per group (institutes: and the totals), the groups' names, status changes,
    # new items, due date changes.
    expected = {"none": 4, "institute": 6}.get(group_by, 5)
    options = {"as_of": SCENARIO_TODAY, "since": dt.date(2026, 1, 1), "group_by": group_by}
    with django_assert_num_queries(expected):
        before = overview(**options)
    grow_catalogue(10)
    with django_assert_num_queries(expected):
        after = overview(**options)
    assert after.totals.total == before.totals.total + 10
    assert len(after.changes) == len(before.changes) + 10
    if group_by != "none":
        assert len(after.groups) == len(before.groups) + 10


@pytest.mark.parametrize("as_of", ["2018-06-30", "2022-01-01", "2025-03-15"])
def test_as_of_agrees_with_replaying_every_history_by_hand(db, as_of):
    from django.utils import timezone

    from recommendations.overview.computation import start_of_day
    from recommendations.synthetic import generate

    generate(recommendations=400, seed=5)
    day = dt.date.fromisoformat(as_of)
    cutoff = start_of_day(day + dt.timedelta(days=1))
    expected, overdue = counts(), 0
    items = Recommendation.objects.prefetch_related("status_changes", "due_date_revisions")
    for item in items.filter(created_at__lt=cutoff):
        status = "open"
        for change in item.status_changes.all():
            if change.changed_at < cutoff:
                status = change.to_status
        due = item.due_date
        revisions = [r for r in item.due_date_revisions.all() if r.changed_at >= cutoff]
        if revisions:
            due = revisions[0].previous_date
        expected[status] += 1
        overdue += status in {"open", "under_consideration", "accepted", "in_progress"} and (
            due is not None and due < day
        )
    assert day < timezone.localdate()
    result = overview(as_of=day, group_by="owner")
    assert result.totals.by_status == expected
    assert result.totals.overdue == overdue
    assert sum(expected.values()) > 0


def test_due_date_changes_in_the_window_are_listed(scenario):
    changes = overview(as_of=SCENARIO_TODAY, since=dt.date(2026, 4, 1))
    moves = [(d.code, d.previous_date, d.new_date, d.reason) for d in changes.due_date_changes]
    code = scenario["c"].code
    assert moves == [
        (code, None, dt.date(2026, 6, 1), ""),
        (code, dt.date(2026, 6, 1), dt.date(2026, 12, 31), "wacht op het uitvoeringsbesluit"),
    ]
    # The window ends with the overview's date.
    earlier = overview(as_of=dt.date(2026, 6, 30), since=dt.date(2026, 4, 1))
    assert [d.new_date for d in earlier.due_date_changes] == [dt.date(2026, 6, 1)]
    # The public sees neither who nor an unpublished reason.
    public = build_overview(
        recommendations=Recommendation.objects.all(),
        as_of=SCENARIO_TODAY,
        since=dt.date(2026, 4, 1),
        audience=PUBLIC,
    )
    assert {(d.changed_by, d.reason) for d in public.due_date_changes} == {(None, "")}
    assert {d.changed_by for d in changes.due_date_changes} != {None}

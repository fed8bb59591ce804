"""generate_synthetic: realistic, lawful, reproducible bulk data; never mixed into real data."""

import io
from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from recommendations import lifecycle
from recommendations.models import DueDateRevision, Recommendation, StatusChange
from recommendations.synthetic import generate
from reports.models import Report


def snapshot():
    return list(
        Recommendation.objects.order_by("code").values_list(
            "code", "title", "status", "owner__slug", "due_date", "version"
        )
    )


@pytest.mark.django_db
def test_it_builds_a_lawful_catalogue_with_history():
    made = generate(recommendations=300, seed=7)
    assert made.recommendations == Recommendation.objects.count() == 300
    assert made.reports == Report.objects.count() == 8
    assert made.status_changes == StatusChange.objects.count() > 300
    assert made.due_date_revisions == DueDateRevision.objects.count() > 0

    items = Recommendation.objects.select_related("parent").prefetch_related("status_changes")
    now = timezone.now()
    for item in items:
        assert item.code == f"{item.report.code_prefix}-{item.position}"
        if item.parent:
            assert item.parent.report_id == item.report_id
            assert item.position.startswith(item.parent.position + ".")
        changes = list(item.status_changes.all())
        assert len(changes) <= 6
        assert item.version == 1 + len(changes)
        statuses = ["open", *(change.to_status for change in changes)]
        assert item.status == statuses[-1]
        for change, (before, after) in zip(changes, pairwise(statuses), strict=True):
            assert (change.from_status, change.to_status) == (before, after)
            transition = lifecycle.get_transition(before, after)
            assert transition is not None
            assert bool(change.note) == transition.needs_note
        moments = [item.created_at, *(c.changed_at for c in changes)]
        assert moments == sorted(moments) and moments[-1] <= now

    # Sub-measures, owners, domains and due dates in realistic shares.
    assert 0.4 < items.filter(parent__isnull=False).count() / 300 < 0.85
    assert 0.5 < items.filter(owner__isnull=False).count() / 300 < 0.9
    assert 0.4 < items.filter(due_date__isnull=False).count() / 300 < 0.8
    assert items.annotate(n=Count("addressees")).filter(n__gt=0).exists()
    assert items.annotate(n=Count("related_domains")).filter(n__gt=0).exists()
    assert len(set(items.values_list("status", flat=True))) >= 6


@pytest.mark.django_db(transaction=True)
def test_seeds_are_reproducible_across_databases_states():
    generate(recommendations=50, seed=11)
    first = snapshot()
    call_command("flush", "--no-input")
    generate(recommendations=50, seed=11)
    assert snapshot() == first
    call_command("flush", "--no-input")
    generate(recommendations=50, seed=12)
    assert snapshot() != first


@pytest.mark.django_db
def test_a_second_run_adds_new_reports_after_the_first():
    generate(recommendations=80, seed=1)
    generate(recommendations=80, seed=2)
    assert Recommendation.objects.count() == 160
    assert list(Report.objects.values_list("number", flat=True)) == [
        str(n) for n in range(101, 105)
    ]


def test_it_refuses_a_database_with_real_data_unless_forced(loaded):
    real = Recommendation.objects.count()
    with pytest.raises(CommandError, match="holds real recommendations"):
        call_command("generate_synthetic", "--recommendations", "10")
    assert Recommendation.objects.count() == real
    out = io.StringIO()
    call_command("generate_synthetic", "--recommendations", "10", "--force", stdout=out)
    assert Recommendation.objects.count() == real + 10
    assert "10 recommendations" in out.getvalue()


@pytest.mark.django_db
def test_nonsense_counts_are_refused():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_synthetic", "--recommendations", "0")

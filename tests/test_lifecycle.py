"""The status lifecycle: one table of moves, one service that applies them."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied

from recommendations import lifecycle
from recommendations.models import Recommendation, Status, StatusChange
from recommendations.services import TransitionRefused, transition_status

ALL_PAIRS = list(itertools.product(Status, Status))
ALLOWED = [pair for pair in ALL_PAIRS if pair in lifecycle.TRANSITIONS]
REFUSED = [pair for pair in ALL_PAIRS if pair not in lifecycle.TRANSITIONS]


def put_in(recommendation, status):
    """Place a fresh item in ``status`` the way production would: through the service."""
    Recommendation.objects.filter(pk=recommendation.pk).update(status=status)
    recommendation.refresh_from_db()
    return recommendation


def test_table_matches_design():
    assert lifecycle.allowed_targets(Status.OPEN) == [s for s in Status if s != Status.OPEN]
    assert lifecycle.allowed_targets(Status.ACCEPTED) == [
        Status.IN_PROGRESS,
        Status.IMPLEMENTED,
        Status.PARTIALLY_IMPLEMENTED,
        Status.SUPERSEDED,
    ]
    for closed in lifecycle.CLOSED:
        assert lifecycle.allowed_targets(closed) == [
            Status.UNDER_CONSIDERATION,
            Status.ACCEPTED,
            Status.IN_PROGRESS,
        ]
    # Nothing ever goes back to "open" (not yet assessed), and no status moves to itself.
    assert all(target != Status.OPEN for _, target in lifecycle.TRANSITIONS)
    assert all(source != target for source, target in lifecycle.TRANSITIONS)


@pytest.mark.parametrize(("source", "target"), ALLOWED, ids=lambda s: s.value)
def test_every_allowed_transition_applies(recommendation, superuser, source, target):
    put_in(recommendation, source)
    version = recommendation.version

    change = transition_status(
        recommendation=recommendation,
        to_status=target,
        user=superuser,
        note="Besluit van de Vlaamse Regering",
        evidence_url="https://www.werk.be/besluit",
    )

    recommendation.refresh_from_db()
    assert recommendation.status == target
    assert recommendation.version == version + 1
    assert recommendation.updated_at == change.changed_at
    assert (change.from_status, change.to_status) == (source, target)
    assert change.changed_by == superuser
    assert change.note == "Besluit van de Vlaamse Regering"


@pytest.mark.parametrize(("source", "target"), REFUSED, ids=lambda s: s.value)
def test_every_other_transition_is_refused_and_writes_nothing(
    recommendation, superuser, source, target
):
    put_in(recommendation, source)

    with pytest.raises(TransitionRefused) as refused:
        transition_status(
            recommendation=recommendation, to_status=target, user=superuser, note="reden"
        )

    assert refused.value.allowed == lifecycle.allowed_targets(source)
    recommendation.refresh_from_db()
    assert recommendation.status == source
    assert recommendation.version == 1
    assert not StatusChange.objects.exists()


def test_unknown_target_is_refused(recommendation, superuser):
    with pytest.raises(TransitionRefused):
        transition_status(recommendation=recommendation, to_status="done", user=superuser)


@pytest.mark.parametrize("target", sorted(lifecycle.CLOSED))
def test_closing_needs_a_note(recommendation, editor, target, english):
    with pytest.raises(TransitionRefused, match="needs a note"):
        transition_status(recommendation=recommendation, to_status=target, user=editor, note="   ")
    recommendation.refresh_from_db()
    assert recommendation.status == Status.OPEN
    assert not StatusChange.objects.exists()


def test_forward_moves_inside_the_open_part_need_no_note(recommendation, editor):
    transition_status(
        recommendation=recommendation, to_status=Status.UNDER_CONSIDERATION, user=editor
    )
    transition_status(recommendation=recommendation, to_status=Status.ACCEPTED, user=editor)
    assert recommendation.status == Status.ACCEPTED
    assert recommendation.version == 3


def test_reopening_needs_a_coordinator(recommendation, editor, coordinator, english):
    put_in(recommendation, Status.NOT_ACCEPTED)

    with pytest.raises(PermissionDenied):
        transition_status(
            recommendation=recommendation,
            to_status=Status.UNDER_CONSIDERATION,
            user=editor,
            note="nieuw regeerakkoord",
        )
    with pytest.raises(TransitionRefused, match="needs a note"):
        transition_status(
            recommendation=recommendation, to_status=Status.UNDER_CONSIDERATION, user=coordinator
        )
    transition_status(
        recommendation=recommendation,
        to_status=Status.UNDER_CONSIDERATION,
        user=coordinator,
        note="nieuw regeerakkoord",
    )
    assert recommendation.status == Status.UNDER_CONSIDERATION


def test_users_without_follow_up_rights_are_refused(recommendation, plain_user):
    with pytest.raises(PermissionDenied):
        transition_status(recommendation=recommendation, to_status=Status.ACCEPTED, user=plain_user)
    assert not StatusChange.objects.exists()


def test_current_status_always_equals_the_last_change(recommendation, superuser):
    path = [Status.UNDER_CONSIDERATION, Status.ACCEPTED, Status.IN_PROGRESS, Status.IMPLEMENTED]
    for target in path:
        transition_status(
            recommendation=recommendation, to_status=target, user=superuser, note="ok"
        )
        last = recommendation.status_changes.latest("changed_at", "id")
        assert Recommendation.objects.get(pk=recommendation.pk).status == last.to_status
    history = list(recommendation.status_changes.values_list("from_status", "to_status"))
    assert history == list(zip([Status.OPEN, *path[:-1]], path, strict=True))


def test_a_failed_write_rolls_back_the_status_change(recommendation, superuser, monkeypatch):
    def broken_save(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Recommendation, "save", broken_save)
    with pytest.raises(RuntimeError):
        transition_status(recommendation=recommendation, to_status=Status.ACCEPTED, user=superuser)
    assert not StatusChange.objects.exists()
    assert Recommendation.objects.get(pk=recommendation.pk).status == Status.OPEN


def test_status_changes_are_append_only(recommendation, superuser):
    change = transition_status(
        recommendation=recommendation, to_status=Status.ACCEPTED, user=superuser
    )
    with pytest.raises(TypeError):
        change.note = "rewritten"
        change.save()
    with pytest.raises(TypeError):
        change.delete()
    with pytest.raises(TypeError):
        StatusChange.objects.all().delete()
    with pytest.raises(TypeError):
        StatusChange.objects.update(note="rewritten")
    assert StatusChange.objects.get().note == ""

"""Writes to recommendations. Every status change goes through ``transition_status``."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import lifecycle
from .models import Recommendation, Status, StatusChange

COORDINATOR_GROUP = "coordinators"


class TransitionRefused(ValidationError):
    """A move the lifecycle does not allow, or one that lacks a required note."""

    def __init__(self, message: str, *, allowed: list[Status]):
        super().__init__(message, code="transition_refused")
        self.allowed = allowed


def is_coordinator(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=COORDINATOR_GROUP).exists()


def can_edit_follow_up(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """Until roles per organisation arrive, staff users may update follow-up."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def check_transition(
    *, recommendation: Recommendation, to_status: str, note: str, user
) -> lifecycle.Transition:
    """The transition from the item's current status, or an explanation why not."""
    if not can_edit_follow_up(user):
        raise PermissionDenied(
            _("You may not change the status of %(code)s.") % {"code": recommendation.code}
        )
    allowed = lifecycle.allowed_targets(recommendation.status)
    transition = lifecycle.get_transition(recommendation.status, to_status)
    if transition is None:
        labels = ", ".join(str(s) for s in allowed) or _("none")
        raise TransitionRefused(
            _("%(code)s cannot move from “%(source)s” to “%(target)s”. Allowed: %(allowed)s.")
            % {
                "code": recommendation.code,
                "source": Status(recommendation.status).value,
                "target": to_status,
                "allowed": labels,
            },
            allowed=allowed,
        )
    if transition.needs_coordinator and not is_coordinator(user):
        raise PermissionDenied(_("Only a coordinator may reopen a closed recommendation."))
    if transition.needs_note and not note.strip():
        raise TransitionRefused(
            _("Moving to “%(target)s” needs a note: the reason or the evidence.")
            % {"target": Status(to_status).label},
            allowed=allowed,
        )
    return transition


@transaction.atomic
def transition_status(
    *,
    recommendation: Recommendation,
    to_status: str,
    user,
    note: str = "",
    evidence_url: str = "",
    at=None,
) -> StatusChange:
    """Move a recommendation to ``to_status`` and record the move.

    The row is locked for the check, so two concurrent moves cannot both start from the same
    status. Validates, writes the ``StatusChange``, updates the status and bumps the version in
    one transaction; on any refusal nothing is written.
    """
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    check_transition(recommendation=locked, to_status=to_status, note=note, user=user)
    changed_at = at or timezone.now()
    change = StatusChange(
        recommendation=locked,
        from_status=locked.status,
        to_status=to_status,
        note=note.strip(),
        evidence_url=evidence_url.strip(),
        changed_by=user if user and user.is_authenticated else None,
        changed_at=changed_at,
    )
    change.full_clean()
    change.save()
    locked.status = to_status
    locked.version += 1
    locked.updated_at = changed_at
    locked.save(update_fields=["status", "version", "updated_at"])
    # Keep the caller's instance in step with the database.
    recommendation.status = locked.status
    recommendation.version = locked.version
    recommendation.updated_at = locked.updated_at
    return change


@transaction.atomic
def save_recommendation(*, recommendation: Recommendation) -> Recommendation:
    """Save an edit of a recommendation's own fields (not its status): validate, stamp, bump."""
    if recommendation.pk is not None:
        recommendation.version += 1
    recommendation.updated_at = timezone.now()
    recommendation.full_clean()
    recommendation.save()
    return recommendation

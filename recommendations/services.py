"""Writes to recommendations. Each runs in one transaction on a locked row, checks who may do
it (``roles``), records history, bumps the version, and writes nothing when it refuses."""

from collections.abc import Collection

from auditlog.context import set_actor
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import lifecycle, roles
from .models import (
    DueDateRevision,
    NotePublication,
    Officer,
    Organisation,
    Recommendation,
    Status,
    StatusChange,
)


class TransitionRefused(ValidationError):
    """A move the lifecycle does not allow, or one that lacks a required note."""

    def __init__(self, message: str, *, allowed: list[Status]):
        super().__init__(message, code="transition_refused")
        self.allowed = allowed


class VersionConflict(Exception):
    """The item changed since the caller read it (optimistic locking)."""

    def __init__(self, current_version: int):
        super().__init__(f"The recommendation is now at version {current_version}.")
        self.current_version = current_version


def _lock(
    recommendation: Recommendation, expected_version: int | Collection[int] | None
) -> Recommendation:
    """The row, locked; VersionConflict unless it is at the version the caller read (or at
    one of the versions it accepts: HTTP's If-Match may list several). None: any version."""
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if expected_version is None:
        return locked
    accepted = {expected_version} if isinstance(expected_version, int) else expected_version
    if locked.version not in accepted:
        raise VersionConflict(locked.version)
    return locked


def _sync(target: Recommendation, source: Recommendation) -> None:
    """Keep the caller's instance in step with the saved row."""
    for field in Recommendation._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def check_may_follow_up(user, recommendation: Recommendation) -> None:
    """PermissionDenied unless ``user`` may change the follow-up of ``recommendation`` at all
    (needs no payload: the API asks before it validates one)."""
    if not roles.can_follow_up(user, recommendation):
        raise PermissionDenied(
            _("You may not change the follow-up of %(code)s.") % {"code": recommendation.code}
        )


def check_may_change(user, recommendation: Recommendation) -> frozenset[str]:
    """The fields ``user`` may change on ``recommendation``; PermissionDenied when none
    (needs no payload: the API asks before it validates one)."""
    allowed = roles.editable_fields(user, recommendation)
    if not allowed:
        raise PermissionDenied(_("You may not change %(code)s.") % {"code": recommendation.code})
    return allowed


def check_transition(
    *, recommendation: Recommendation, to_status: str, note: str, user
) -> lifecycle.Transition:
    """The transition from the item's current status, or an explanation why not."""
    check_may_follow_up(user, recommendation)
    allowed = lifecycle.allowed_targets(recommendation.status)
    transition = lifecycle.get_transition(recommendation.status, to_status)
    if transition is None:
        # Read by a person (the admin names the item before it): labels, not values.
        labels = ", ".join(str(status.label) for status in allowed) or _("none")
        target = Status(to_status).label if to_status in Status.values else to_status
        raise TransitionRefused(
            _("Cannot move from “%(source)s” to “%(target)s”. Allowed: %(allowed)s.")
            % {
                "source": Status(recommendation.status).label,
                "target": target,
                "allowed": labels,
            },
            allowed=allowed,
        )
    if transition.needs_coordinator and not roles.is_coordinator(user):
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
    expected_version: int | Collection[int] | None = None,
) -> StatusChange:
    """Move a recommendation to ``to_status`` and record the move.

    The row is locked for the check, so two concurrent moves cannot both start from the same
    status.
    """
    locked = _lock(recommendation, expected_version)
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
    with set_actor(user if user and user.is_authenticated else None):
        locked.save(update_fields=["status", "version", "updated_at"])
    _sync(recommendation, locked)
    return change


MANY_TO_MANY = {"related_domains", "addressees"}


def check_update(
    *,
    recommendation: Recommendation,
    user,
    changes: dict,
    due_date_reason: str = "",
    expected_version: int | Collection[int] | None = None,
) -> tuple[Recommendation, dict]:
    """The locked row and what of ``changes`` differs from it, or why the update is refused:
    ``VersionConflict``, ``PermissionDenied`` (the role), ``ValidationError`` (a due date
    change without a reason). Call it in a transaction: the lock holds until it ends, so a
    form that checks in ``clean`` saves what it checked."""
    locked = _lock(recommendation, expected_version)
    allowed = check_may_change(user, locked)
    refused = sorted(set(changes) - allowed)
    if refused:
        raise PermissionDenied(
            _("You may not change these fields of %(code)s: %(fields)s.")
            % {"code": recommendation.code, "fields": ", ".join(refused)}
        )
    changed = {
        name: value
        for name, value in changes.items()
        if (
            set(getattr(locked, name).all()) != set(value)
            if name in MANY_TO_MANY
            else getattr(locked, name) != value
        )
    }
    if (
        "due_date" in changed
        and due_date_needs_reason(locked.due_date, changed["due_date"])
        and not due_date_reason.strip()
    ):
        raise ValidationError(
            {"due_date_reason": _("Changing or clearing a due date needs a reason.")}
        )
    return locked, changed


@transaction.atomic
def update_recommendation(
    *,
    recommendation: Recommendation,
    user,
    changes: dict,
    due_date_reason: str = "",
    expected_version: int | Collection[int] | None = None,
) -> Recommendation:
    """Change a recommendation's fields (not its status: that is ``transition_status``).

    Editors change the follow-up of what their organisation owns; coordinators everything.
    A first due date is free; changing or clearing one needs a reason and is recorded.
    """
    locked, changed = check_update(
        recommendation=recommendation,
        user=user,
        changes=changes,
        due_date_reason=due_date_reason,
        expected_version=expected_version,
    )
    if not changed:
        _sync(recommendation, locked)
        return recommendation

    now = timezone.now()
    if "due_date" in changed:
        _record_due_date(locked, changed["due_date"], due_date_reason, user, now)
    for name, value in changed.items():
        if name not in MANY_TO_MANY:
            setattr(locked, name, value)
    locked.version += 1
    locked.updated_at = now
    locked.full_clean()
    with set_actor(user if user and user.is_authenticated else None):
        locked.save()
        for name in MANY_TO_MANY & set(changed):
            getattr(locked, name).set(changed[name])
    _sync(recommendation, locked)
    return recommendation


def due_date_needs_reason(previous, new) -> bool:
    """Setting a first due date is free; changing or clearing one needs a reason."""
    return previous is not None and previous != new


def _record_due_date(recommendation, new_date, reason: str, user, at) -> None:
    previous = recommendation.due_date
    revision = DueDateRevision(
        recommendation=recommendation,
        previous_date=previous,
        new_date=new_date,
        reason=reason.strip(),
        changed_by=user if user and user.is_authenticated else None,
        changed_at=at,
    )
    revision.full_clean()
    revision.save()


PUBLISHABLE = {"status_change": StatusChange, "due_date_revision": DueDateRevision}


class NothingToPublish(ValidationError):
    pass


@transaction.atomic
def publish_note(
    *, recommendation: Recommendation, kind: str, record_id: int, user
) -> tuple[NotePublication, bool]:
    """Make the note (or reason) and evidence link of one history entry of ``recommendation``
    public; returns the publication and whether it is new (publishing twice changes nothing).
    A coordinator's act; the history entry itself is never edited."""
    if not roles.may_publish_notes(user):
        raise PermissionDenied(_("Only a coordinator may publish notes."))
    model = PUBLISHABLE[kind]
    record = (
        model.objects.select_for_update()
        .filter(recommendation=recommendation, pk=record_id)
        .first()
    )
    if record is None:
        raise NothingToPublish(
            {
                "id": _("%(code)s has no %(kind)s with id %(id)s.")
                % {"code": recommendation.code, "kind": model._meta.verbose_name, "id": record_id}
            }
        )
    existing = NotePublication.objects.filter(**{kind: record}).first()
    if existing is not None:
        return existing, False
    if not any(getattr(record, name, "") for name in ("note", "reason", "evidence_url")):
        raise NothingToPublish({"id": _("This entry has no note, reason or evidence link.")})
    publication = NotePublication(**{kind: record}, published_by=user)
    publication.full_clean()
    publication.save()
    return publication, True


@transaction.atomic
def save_recommendation(*, recommendation: Recommendation, user) -> Recommendation:
    """Create a recommendation (a coordinator's act, e.g. from the admin)."""
    if not roles.is_coordinator(user):
        raise PermissionDenied(_("Only a coordinator may add recommendations."))
    recommendation.updated_at = timezone.now()
    recommendation.full_clean()
    with set_actor(user):
        recommendation.save()
    return recommendation


@transaction.atomic
def assign_role(
    *,
    username: str,
    role: str,
    organisation: Organisation | None = None,
    email: str | None = None,
    password: str | None = None,
    by=None,
) -> tuple[object, bool]:
    """Create or update a user with a role; returns the user and whether it was created.

    Editors need an organisation; readers lose their role groups and admin access.
    """
    if role not in roles.ROLES:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    if role == "editor" and organisation is None:
        raise ValidationError({"organisation": _("An editor belongs to an organisation.")})
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    if created and not password:
        user.set_unusable_password()
    if password:
        user.set_password(password)
    if email is not None:
        user.email = email
    user.is_staff = role != "reader" or user.is_superuser
    user.full_clean(exclude=["password"])
    user.save()
    roles.ensure_role_groups()
    user.groups.remove(*Group.objects.filter(name__in=[roles.EDITORS, roles.COORDINATORS]))
    if role in roles.ROLE_GROUP:
        user.groups.add(Group.objects.get(name=roles.ROLE_GROUP[role]))
    with set_actor(by):
        if organisation is None:
            Officer.objects.filter(user=user).delete()
        else:
            Officer.objects.update_or_create(user=user, defaults={"organisation": organisation})
    return user, created

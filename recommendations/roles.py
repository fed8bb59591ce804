"""Who may read and change what: the one rule, used by API, pages, exports, admin and commands.

- readers: everyone; reading is public unless ``VIONA_PUBLIC_READ`` is off. Anonymous readers
  see organisations, never people, and only the notes a coordinator has published
  (``Audience``); logged-in readers see who did what and every note;
- editors (group ``editors``, member of an organisation): the follow-up of the recommendations
  their organisation owns: status (forward moves), due date, follow-up officer;
- coordinators (group ``coordinators``; superusers are coordinators): everything, including
  owners, priorities, texts and reopening closed items.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

EDITORS = "editors"
COORDINATORS = "coordinators"
COORDINATE = "recommendations.coordinate"
CHANGE = "recommendations.change_recommendation"

# What an editor may change on a recommendation of their own organisation.
EDITOR_FIELDS = frozenset({"due_date", "follow_up_officer"})
# What a coordinator may change besides (status goes through transitions, never directly).
COORDINATOR_FIELDS = EDITOR_FIELDS | {
    "owner",
    "priority",
    "priority_rationale",
    "primary_domain",
    "related_domains",
    "addressees",
    "horizon",
    "title",
    "text",
}

_GROUP_PERMISSIONS = {
    EDITORS: [
        ("recommendations", "view_recommendation"),
        ("recommendations", "change_recommendation"),
        ("recommendations", "view_statuschange"),
        ("recommendations", "view_duedaterevision"),
    ],
    COORDINATORS: [
        ("recommendations", "coordinate"),
        *(
            (app, f"{action}_{model}")
            for app, models in {
                "recommendations": ["recommendation", "organisation", "policydomain", "officer"],
                "reports": ["report", "institute"],
            }.items()
            for model in models
            for action in ("view", "add", "change")
        ),
        ("recommendations", "view_statuschange"),
        ("recommendations", "view_duedaterevision"),
        ("auditlog", "view_logentry"),
    ],
}


def ensure_role_groups() -> None:
    """Create the role groups with their permissions (idempotent; run after migrations)."""
    for name, permissions in _GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in permissions
        ]
        group.permissions.set(wanted)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_coordinator(user) -> bool:
    return _active(user) and user.has_perm(COORDINATE)


def organisation_of(user):
    officer = getattr(user, "officer", None) if _active(user) else None
    return officer.organisation if officer else None


def is_editor(user) -> bool:
    return _active(user) and user.has_perm(CHANGE) and organisation_of(user) is not None


def can_follow_up(user, recommendation) -> bool:
    """May this user change the follow-up (status, due date, officer) of this item?"""
    if is_coordinator(user):
        return True
    organisation = organisation_of(user) if is_editor(user) else None
    return organisation is not None and recommendation.owner_id == organisation.pk


def editable_fields(user, recommendation) -> frozenset[str]:
    if is_coordinator(user):
        return COORDINATOR_FIELDS
    if can_follow_up(user, recommendation):
        # A closed item's due date is history: only a coordinator (who may reopen) moves it.
        return EDITOR_FIELDS - {"due_date"} if recommendation.is_closed else EDITOR_FIELDS
    return frozenset()


def may_publish_notes(user) -> bool:
    return is_coordinator(user)


def in_workspace(user, queryset, *, owner: str = "owner"):
    """What a user works on in the admin: a coordinator everything, an editor what their
    organisation owns (``owner`` is the path to the owning organisation), others nothing.
    A workspace, not a read rule: reading through the API and the pages is public."""
    if is_coordinator(user):
        return queryset
    organisation = organisation_of(user) if is_editor(user) else None
    if organisation is None:
        return queryset.none()
    return queryset.filter(**{owner: organisation})


# The recommendation fields whose values are people: shown to readers who may see people only.
PERSONAL_FIELDS = frozenset({"follow_up_officer"})


@dataclass(frozen=True)
class Audience:
    """What a reader may see of people and notes."""

    internal: bool

    def person(self, name: str | None) -> str | None:
        """A user name, for logged-in readers only."""
        return name if self.internal else None

    def note(self, text: str, *, published: bool) -> str:
        """A note, reason or evidence link: internal unless a coordinator published it."""
        return text if self.internal or published else ""


PUBLIC = Audience(internal=False)
INTERNAL = Audience(internal=True)


def audience_of(user) -> Audience:
    return INTERNAL if _active(user) else PUBLIC


def may_read(user) -> bool:
    """Reading the catalogue: public unless ``VIONA_PUBLIC_READ`` is off."""
    return settings.VIONA_PUBLIC_READ or _active(user)


def active_accounts():
    """Who may be named follow-up officer or made a member of an organisation."""
    return get_user_model().objects.filter(is_active=True).order_by("username")


def may_write_at_all(user) -> bool:
    """Whether any write could be allowed (the API's first, object-independent check)."""
    return is_coordinator(user) or is_editor(user)


ROLES = ("reader", "editor", "coordinator")
ROLE_GROUP = {"editor": EDITORS, "coordinator": COORDINATORS}

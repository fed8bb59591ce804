"""Who may change what: the one object-level rule, used by API, admin and commands.

- readers: everyone; reading is public unless ``VIONA_PUBLIC_READ`` is off;
- editors (group ``editors``, member of an organisation): the follow-up of the recommendations
  their organisation owns: status (forward moves), due date, follow-up officer;
- coordinators (group ``coordinators``; superusers are coordinators): everything, including
  owners, priorities, texts and reopening closed items.
"""

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
        return EDITOR_FIELDS
    return frozenset()


def active_accounts():
    """Who may be named follow-up officer or made a member of an organisation."""
    return get_user_model().objects.filter(is_active=True).order_by("username")


def may_write_at_all(user) -> bool:
    """Whether any write could be allowed (the API's first, object-independent check)."""
    return is_coordinator(user) or is_editor(user)


ROLES = ("reader", "editor", "coordinator")
ROLE_GROUP = {"editor": EDITORS, "coordinator": COORDINATORS}

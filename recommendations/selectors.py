"""Reads of recommendations, with the joins each view needs declared once."""

from auditlog.models import LogEntry
from django.db.models import Count, Prefetch, QuerySet

from .models import DueDateRevision, Prefetched, Recommendation, Status, StatusChange
from .roles import PERSONAL_FIELDS, Audience

REVISIONS_IN_ORDER = DueDateRevision.objects.order_by("changed_at", "id")

# Columns of the joined rows that no list shows: not read, so that a page's rows stay narrow.
UNSHOWN_RELATED_COLUMNS = [
    *(f"parent__{name}" for name in ("title", "text", "priority_rationale")),
    *(
        f"report__{name}"
        for name in ("authors", "keywords", "abstract", "reference", "source_ranges", "sections")
    ),
    "follow_up_officer__password",
]


def recommendation_list() -> QuerySet[Recommendation]:
    """Recommendations with everything their API representation shows: a fixed query count.

    The related lists come as plain attributes named in ``Prefetched`` (revisions oldest
    first): unlike ``item.addressees.all()``, reading
    them creates no related manager per item (~4.5 ms on a page of 50)."""
    return (
        Recommendation.objects.select_related(
            "report", "parent", "owner", "follow_up_officer", "primary_domain"
        )
        .defer(*UNSHOWN_RELATED_COLUMNS)
        .prefetch_related(
            Prefetch("addressees", to_attr=Prefetched.ADDRESSEES),
            Prefetch("related_domains", to_attr=Prefetched.RELATED_DOMAINS),
            Prefetch(
                "due_date_revisions",
                queryset=REVISIONS_IN_ORDER,
                to_attr=Prefetched.DUE_DATE_REVISIONS,
            ),
        )
    )


def status_history(recommendation: Recommendation) -> QuerySet[StatusChange]:
    return recommendation.status_changes.select_related("changed_by").order_by("changed_at", "id")


def _name(user) -> str | None:
    return user.get_username() if user else None


# Status moves and due date changes have their own records, with their note, evidence or
# reason: the audit trail's copies of them are not shown a second time.
RECORDED_ELSEWHERE = frozenset({"status", "due_date"})


def field_changes(recommendation: Recommendation) -> list[tuple[LogEntry, dict]]:
    """The audit trail's changes of the tracked fields but status and due date, oldest first:
    (entry, {field: change})."""
    entries = (
        LogEntry.objects.get_for_object(recommendation)
        .select_related("actor")
        .filter(action=LogEntry.Action.UPDATE)
        .order_by("timestamp", "id")
    )
    shown = []
    for entry in entries:
        changes = {
            name: change
            for name, change in entry.changes_dict.items()
            if name not in RECORDED_ELSEWHERE
        }
        if changes:
            shown.append((entry, changes))
    return shown


def recommendation_history(recommendation: Recommendation, audience: Audience) -> list[dict]:
    """Everything that happened to a recommendation, oldest first: status changes, due date
    revisions (with their reasons) and the audit trail of its other tracked fields, showing
    people and notes as ``audience`` may see them."""
    events = [
        {
            "kind": "status_change",
            "id": change.pk,
            "changed_at": change.changed_at,
            "changed_by": audience.person(_name(change.changed_by)),
            "from_status": change.from_status,
            "to_status": change.to_status,
            "note": audience.note(change.note, published=change.is_published),
            "evidence_url": audience.note(change.evidence_url, published=change.is_published),
            "published": change.is_published,
        }
        for change in status_history(recommendation).select_related("publication")
    ]
    events += [
        {
            "kind": "due_date_revision",
            "id": revision.pk,
            "changed_at": revision.changed_at,
            "changed_by": audience.person(_name(revision.changed_by)),
            "previous_date": revision.previous_date,
            "new_date": revision.new_date,
            "reason": audience.note(revision.reason, published=revision.is_published),
            "published": revision.is_published,
        }
        for revision in recommendation.due_date_revisions.select_related(
            "changed_by", "publication"
        )
    ]
    for entry, changes in field_changes(recommendation):
        if not audience.internal:
            changes = {
                name: change for name, change in changes.items() if name not in PERSONAL_FIELDS
            }
        if changes:
            events.append(
                {
                    "kind": "field_change",
                    "changed_at": entry.timestamp,
                    "changed_by": audience.person(_name(entry.actor)),
                    "changes": changes,
                }
            )
    order = {"status_change": 0, "due_date_revision": 1, "field_change": 2}
    return sorted(events, key=lambda event: (event["changed_at"], order[event["kind"]]))


def status_counts(recommendations: QuerySet[Recommendation]) -> dict[Status, int]:
    """How many of the given recommendations are in each status (every status listed)."""
    counted = dict(
        recommendations.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counted.get(status.value, 0) for status in Status}

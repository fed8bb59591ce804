"""The filtered recommendation list as a spreadsheet: one row per item, labels in the active
language, dates as dates."""

from django.utils import timezone
from django.utils.translation import gettext as _

from recommendations.choices import Horizon, Priority, Status
from recommendations.models import Prefetched
from recommendations.roles import Audience
from viona.tables import csv_bytes, xlsx_bytes


def export_header() -> list[str]:
    return [
        _("Code"),
        _("Report"),
        _("Position"),
        _("Parent"),
        _("Title"),
        _("Status"),
        _("Owner"),
        _("Follow-up officer"),
        _("Primary policy domain"),
        _("Related policy domains"),
        _("Addressees"),
        _("Priority"),
        _("Horizon"),
        _("Due date"),
        _("Overdue"),
        _("Source lines"),
        _("Created"),
        _("Updated"),
    ]


def export_rows(recommendations) -> list[list]:
    """``recommendations`` as ``selectors.recommendation_list()`` gives them (joins fixed)."""
    today = timezone.localdate()
    yes, no = _("yes"), _("no")
    return [
        [
            item.code,
            item.report.number,
            item.position,
            item.parent.code if item.parent else "",
            item.title,
            str(Status(item.status).label),
            item.owner.name if item.owner else "",
            item.follow_up_officer.get_username() if item.follow_up_officer else "",
            item.primary_domain.name,
            "; ".join(d.name for d in getattr(item, Prefetched.RELATED_DOMAINS)),
            "; ".join(o.name for o in getattr(item, Prefetched.ADDRESSEES)),
            str(Priority(item.priority).label),
            str(Horizon(item.horizon).label),
            item.due_date,
            yes if item.is_overdue(today) else no,
            f"{item.source_start}-{item.source_end}",
            item.created_at,
            item.updated_at,
        ]
        for item in recommendations
    ]


def export_file(recommendations, fmt: str, audience: Audience) -> bytes:
    rows = [export_header(), *export_rows(recommendations)]
    if not audience.internal:  # the follow-up officer is a person
        officer = rows[0].index(_("Follow-up officer"))
        rows = [row[:officer] + row[officer + 1 :] for row in rows]
    if fmt == "csv":
        return csv_bytes(rows)
    return xlsx_bytes([(_("Recommendations"), rows, {0})])

"""The filtered recommendation list as a spreadsheet: one row per item, labels in the active
language, dates as dates; columns that name a person only for readers who may see people."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from recommendations.choices import Horizon, Priority, Status
from recommendations.models import Prefetched
from recommendations.roles import PERSONAL_FIELDS, Audience
from viona.tables import csv_bytes, xlsx_bytes


@dataclass(frozen=True)
class Column:
    field: str  # the recommendation's field it shows (for the read rule)
    label: str
    value: Callable


def _names(objects) -> str:
    return "; ".join(o.name for o in objects)


COLUMNS = [
    Column("code", gettext_lazy("Code"), lambda item: item.code),
    Column("report", gettext_lazy("Report"), lambda item: item.report.number),
    Column("position", gettext_lazy("Position"), lambda item: item.position),
    Column("parent", gettext_lazy("Parent"), lambda i: i.parent.code if i.parent else ""),
    Column("title", gettext_lazy("Title"), lambda item: item.title),
    Column("status", gettext_lazy("Status"), lambda item: str(Status(item.status).label)),
    Column("owner", gettext_lazy("Owner"), lambda i: i.owner.name if i.owner else ""),
    Column(
        "follow_up_officer",
        gettext_lazy("Follow-up officer"),
        lambda i: i.follow_up_officer.get_username() if i.follow_up_officer else "",
    ),
    Column(
        "primary_domain", gettext_lazy("Primary policy domain"), lambda i: i.primary_domain.name
    ),
    Column(
        "related_domains",
        gettext_lazy("Related policy domains"),
        lambda i: _names(getattr(i, Prefetched.RELATED_DOMAINS)),
    ),
    Column(
        "addressees",
        gettext_lazy("Addressees"),
        lambda i: _names(getattr(i, Prefetched.ADDRESSEES)),
    ),
    Column("priority", gettext_lazy("Priority"), lambda i: str(Priority(i.priority).label)),
    Column("horizon", gettext_lazy("Horizon"), lambda i: str(Horizon(i.horizon).label)),
    Column("due_date", gettext_lazy("Due date"), lambda item: item.due_date),
    Column(
        "is_overdue",
        gettext_lazy("Overdue"),
        lambda i: _("yes") if i.is_overdue(timezone.localdate()) else _("no"),
    ),
    Column(
        "source_lines",
        gettext_lazy("Source lines"),
        lambda i: f"{i.source_start}-{i.source_end}",
    ),
    Column("created_at", gettext_lazy("Created"), lambda item: item.created_at),
    Column("updated_at", gettext_lazy("Updated"), lambda item: item.updated_at),
]


def export_file(recommendations, fmt: str, audience: Audience) -> bytes:
    """``recommendations`` as ``selectors.recommendation_list()`` gives them (joins fixed)."""
    columns = [
        column for column in COLUMNS if audience.internal or column.field not in PERSONAL_FIELDS
    ]
    rows = [
        [str(column.label) for column in columns],
        *([column.value(item) for column in columns] for item in recommendations),
    ]
    if fmt == "csv":
        return csv_bytes(rows)
    return xlsx_bytes([(_("Recommendations"), rows, {0})])

"""An overview written out: Markdown, CSV, XLSX, HTML and JSON, each stamped with the date
it shows and the filters used. Labels follow the active language."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from recommendations.api.serializers import OverviewSerializer
from recommendations.choices import Status
from recommendations.overview.charts import status_bar
from recommendations.overview.computation import RATES, Counts, GroupBy, Overview, Rate
from recommendations.overview.filter_labels import filters_text
from viona.tables import SheetLayout, csv_bytes, xlsx_bytes

FORMATS = ["md", "csv", "xlsx", "html", "json"]


def group_by_label(overview: Overview) -> str:
    return str(dict(GroupBy.choices)[overview.group_by])


def stamp(overview: Overview) -> list[tuple[str, str]]:
    """What every output states above its numbers."""
    lines = [
        (_("Status as of"), overview.as_of.isoformat()),
        (_("Grouped by"), group_by_label(overview)),
        (_("Filters"), filters_text(overview.filters)),
    ]
    if overview.since:
        lines.append((_("Changes since"), overview.since.isoformat()))
    return lines


def table_header() -> list[str]:
    header = [_("Group"), *(str(s.label) for s in Status), _("Total"), _("Overdue")]
    for rate in RATES.values():
        label = str(rate.label)
        header += [label, f"{label}: {rate.numerator_label}", f"{label}: {rate.denominator_label}"]
    return header


def _labelled_counts(overview: Overview) -> list[tuple[str, Counts]]:
    """Each group, then the totals."""
    return [
        *((group.label, group.counts) for group in overview.groups),
        (_("Total"), overview.totals),
    ]


def table_rows(overview: Overview) -> list[list]:
    """One row per group and a totals row: counts, then each rate with its terms."""
    rows = []
    for label, counts in _labelled_counts(overview):
        row = [label, *(counts.by_status[s.value] for s in Status), counts.total, counts.overdue]
        for name in RATES:
            rate = counts.rate(name)
            row += [rate.value, rate.numerator, rate.denominator]
        rows.append(row)
    return rows


def changes_header() -> list[str]:
    return [_("Code"), _("Title"), _("From"), _("To"), _("By"), _("When"), _("Note"), _("Evidence")]


def changes_rows(overview: Overview) -> list[list]:
    return [
        [
            c.code,
            c.title,
            str(Status(c.from_status).label),
            str(Status(c.to_status).label),
            c.changed_by or "",
            c.changed_at,
            c.note,
            c.evidence_url,
        ]
        for c in overview.changes
    ]


def due_dates_header() -> list[str]:
    return [
        _("Code"),
        _("Title"),
        _("Previous due date"),
        _("New due date"),
        _("By"),
        _("When"),
        _("Reason"),
    ]


def due_dates_rows(overview: Overview) -> list[list]:
    return [
        [
            d.code,
            d.title,
            d.previous_date or "",
            d.new_date or "",
            d.changed_by or "",
            d.changed_at,
            d.reason,
        ]
        for d in overview.due_date_changes
    ]


def new_items_header() -> list[str]:
    return [_("Code"), _("Title"), _("Status now"), _("Created")]


def new_items_rows(overview: Overview) -> list[list]:
    return [
        [item.code, item.title, str(Status(item.status).label), item.created_at]
        for item in overview.new_items
    ]


def percent(rate: Rate) -> str:
    return "–" if rate.value is None else f"{rate.value:.0%} ({rate.numerator}/{rate.denominator})"


def to_markdown(overview: Overview) -> str:
    def line(cells):
        return (
            "| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in cells) + " |"
        )

    out = [f"# {_('Follow-up overview')}", ""]
    out += [f"- **{label}**: {value}" for label, value in stamp(overview)]
    header = [_("Group"), *(str(s.label) for s in Status), _("Total"), _("Overdue")]
    header += [str(rate.label) for rate in RATES.values()]
    out += ["", line(header), line(["---"] * len(header))]
    for label, counts in _labelled_counts(overview):
        cells = [label, *(counts.by_status[s.value] for s in Status), counts.total, counts.overdue]
        out.append(line([*cells, *(percent(counts.rate(name)) for name in RATES)]))
    out += ["", _("Rates and their denominators:")]
    for rate in RATES.values():
        out.append(f"- {rate.label} = {rate.numerator_label} / {rate.denominator_label}")
    if overview.since:
        out += ["", f"## {_('Status changes since %(date)s') % {'date': overview.since}}", ""]
        out += _markdown_table(line, changes_header(), changes_rows(overview))
        out += ["", f"## {_('Due date changes since %(date)s') % {'date': overview.since}}", ""]
        out += _markdown_table(line, due_dates_header(), due_dates_rows(overview))
        out += ["", f"## {_('New items since %(date)s') % {'date': overview.since}}", ""]
        out += _markdown_table(line, new_items_header(), new_items_rows(overview))
    return "\n".join(out) + "\n"


def _markdown_table(line, header, rows) -> list[str]:
    if not rows:
        return [_("None.")]
    shown = [[_minutes(c) for c in row] for row in rows]
    return [line(header), line(["---"] * len(header)), *map(line, shown)]


def _minutes(value):
    if hasattr(value, "hour"):
        return timezone.localtime(value).isoformat(timespec="minutes")
    return value


def _blocks(overview: Overview) -> list[list]:
    rows: list[list] = [[label, value] for label, value in stamp(overview)]
    rows += [[], table_header(), *table_rows(overview)]
    if overview.since:
        rows += [[], [_("Status changes since %(date)s") % {"date": overview.since}]]
        rows += [changes_header(), *changes_rows(overview)]
        rows += [[], [_("Due date changes since %(date)s") % {"date": overview.since}]]
        rows += [due_dates_header(), *due_dates_rows(overview)]
        rows += [[], [_("New items since %(date)s") % {"date": overview.since}]]
        rows += [new_items_header(), *new_items_rows(overview)]
    return rows


def to_csv(overview: Overview) -> bytes:
    return csv_bytes(_blocks(overview))


def to_xlsx(overview: Overview) -> bytes:
    # The dates as date cells: a spreadsheet sorts and compares them.
    dates = {str(_("Status as of")): overview.as_of, str(_("Changes since")): overview.since}
    stamp_rows = [[label, dates.get(str(label), value)] for label, value in stamp(overview)]
    header = len(stamp_rows) + 1
    rates_at = len(table_header()) - 3 * len(RATES)
    table = SheetLayout(
        header_row=header,
        table_end=header + len(overview.groups) + 2,
        percent_columns=frozenset(range(rates_at, rates_at + 3 * len(RATES), 3)),
    )
    sheets = [
        (
            _("Overview"),
            [*stamp_rows, [], table_header(), *table_rows(overview)],
            {header, header + len(overview.groups) + 1},
            table,
        )
    ]
    if overview.since:
        listing = SheetLayout(header_row=0)
        sheets.append((_("Changes"), [changes_header(), *changes_rows(overview)], {0}, listing))
        sheets.append(
            (_("New items"), [new_items_header(), *new_items_rows(overview)], {0}, listing)
        )
        sheets.append(
            (_("Due dates"), [due_dates_header(), *due_dates_rows(overview)], {0}, listing)
        )
    return xlsx_bytes(sheets)


def to_html(overview: Overview) -> str:
    """A standalone printable page (the same template as /overview/, without the form)."""
    return render_to_string(
        "recommendations/overview.html", overview_context(overview, standalone=True)
    )


def to_json(overview: Overview) -> str:
    data = OverviewSerializer(overview).data
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2) + "\n"


def render(overview: Overview, fmt: str) -> bytes:
    if fmt == "csv":
        return to_csv(overview)
    if fmt == "xlsx":
        return to_xlsx(overview)
    text = {"md": to_markdown, "html": to_html, "json": to_json}[fmt](overview)
    return text.encode("utf-8")


def overview_context(overview: Overview, **extra) -> dict:
    """What the page template needs: the overview, its stamp and chart segments."""
    return {
        "overview": overview,
        "stamp": stamp(overview),
        "statuses": list(Status),
        "rates": list(RATES.values()),
        "rows": [
            {
                "label": group.label,
                "counts": group.counts,
                "cells": [group.counts.by_status[s.value] for s in Status],
                # (count, link to its items): the page adds the links (views.DrillDown).
                "status_cells": [(group.counts.by_status[s.value], None) for s in Status],
                "links": {},
                "bar": status_bar(group.counts),
            }
            for group in overview.groups
        ],
        "totals_cells": [overview.totals.by_status[s.value] for s in Status],
        "totals_status_cells": [(overview.totals.by_status[s.value], None) for s in Status],
        "totals_links": {},
        "group_by_label": group_by_label(overview),
        "totals_bar": status_bar(overview.totals),
        "changes": changes_rows(overview),
        "new_items": new_items_rows(overview),
        "due_date_changes": due_dates_rows(overview),
        **extra,
    }

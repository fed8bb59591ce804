"""A trend written out (Markdown, CSV, XLSX, JSON) and drawn (stacked bars as SVG data for
the overview page: no chart library, no script). Labels follow the active language."""

import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.http import QueryDict
from django.utils.translation import gettext as _

from recommendations.api.filters import RecommendationFilterSet
from recommendations.choices import Status
from recommendations.overview.query import OverviewRequestInvalid, trend_for
from recommendations.overview.trend import Period, Trend
from viona.tables import csv_bytes, xlsx_bytes

FORMATS = ["md", "csv", "xlsx", "json"]


def trend_data(trend: Trend) -> dict:
    """The JSON answer (``TrendSerializer`` documents it)."""
    return {
        "period": trend.period,
        "start": trend.start.isoformat(),
        "end": trend.end.isoformat(),
        "filters": trend.filters,
        "statuses": [{"value": s.value, "label": str(s.label)} for s in Status],
        "points": [
            {"date": p.date.isoformat(), "by_status": p.by_status, "total": p.total}
            for p in trend.points
        ],
    }


def stamp(trend: Trend) -> list[tuple[str, str]]:
    filters = "; ".join(f"{name}={','.join(values)}" for name, values in trend.filters.items())
    return [
        (_("Status per"), str(dict(Period.choices)[trend.period])),
        (_("From"), trend.start.isoformat()),
        (_("Up to"), trend.end.isoformat()),
        (_("Filters"), filters or _("none")),
    ]


def table_header() -> list[str]:
    return [_("Status as of"), *(str(s.label) for s in Status), _("Total")]


def table_rows(trend: Trend) -> list[list]:
    return [[p.date, *(p.by_status[s.value] for s in Status), p.total] for p in trend.points]


def render(trend: Trend, fmt: str) -> bytes:
    if fmt == "json":
        data = json.dumps(trend_data(trend), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        return (data + "\n").encode("utf-8")
    stamp_rows = [[label, value] for label, value in stamp(trend)]
    if fmt == "csv":
        return csv_bytes([*stamp_rows, [], table_header(), *table_rows(trend)])
    if fmt == "xlsx":
        rows = [*stamp_rows, [], table_header(), *table_rows(trend)]
        return xlsx_bytes([(_("Trend"), rows, {len(stamp_rows) + 1})])

    def line(cells):
        return "| " + " | ".join(str(c) for c in cells) + " |"

    out = [f"# {_('Status over time')}", ""]
    out += [f"- **{label}**: {value}" for label, value in stamp_rows]
    out += ["", line(table_header()), line(["---"] * len(table_header()))]
    out += [line(row) for row in table_rows(trend)]
    return ("\n".join(out) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Bar:
    date: str
    x: float
    width: float
    total: int
    # (status, label, count, y, height) from the bottom up, in the chart's units.
    segments: list[tuple[str, str, int, float, float]]


CHART_WIDTH, CHART_HEIGHT = 720, 200


def trend_bars(trend: Trend) -> list[Bar]:
    """One stacked bar per point, scaled to the largest total, for an inline SVG."""
    top = max((p.total for p in trend.points), default=0) or 1
    step = CHART_WIDTH / max(len(trend.points), 1)
    bars = []
    for i, point in enumerate(trend.points):
        y, segments = float(CHART_HEIGHT), []
        for status in Status:
            count = point.by_status[status.value]
            if not count:
                continue
            height = CHART_HEIGHT * count / top
            y -= height
            segments.append((status.value, str(status.label), count, round(y, 2), round(height, 2)))
        x, width = round(i * step + step * 0.1, 2), round(step * 0.8, 2)
        bars.append(Bar(point.date.isoformat(), x, width, point.total, segments))
    return bars


def page_context(query: QueryDict, as_of, audience) -> dict:
    """The overview page's trend: per month, the 24 months up to the overview's date, with
    the page's filters. A trend cannot judge ``overdue``: with that filter it is left out."""
    params = QueryDict(mutable=True)
    for name in RecommendationFilterSet.base_filters:
        if name != "as_of" and any(query.getlist(name)):
            params.setlist(name, query.getlist(name))
    if "overdue" in params:
        return {"trend_left_out": True}
    params["end"] = as_of.isoformat()
    try:
        trend = trend_for(params, audience=audience)
    except OverviewRequestInvalid:  # the overview itself already named the bad parameter
        return {}
    return {
        "trend": trend,
        "trend_bars": trend_bars(trend),
        "trend_header": table_header(),
        "trend_rows": table_rows(trend),
        "trend_chart_height": CHART_HEIGHT,
    }

"""The status distribution over time: GET /api/v1/overview/trend/, trend_for() and the
followup_trend command, checked against the overview "as of" each point."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.http import QueryDict
from openpyxl import load_workbook

from recommendations.models import Recommendation
from recommendations.overview.computation import build_overview
from recommendations.overview.query import OverviewRequestInvalid, overview_for, trend_for
from recommendations.roles import INTERNAL
from tests.conftest import SCENARIO_TODAY

URL = "/api/v1/overview/trend/"

OPEN4 = {"open": 4}
MARCH = {"open": 2, "accepted": 1, "under_consideration": 1}
APRIL = {"open": 3, "accepted": 1, "under_consideration": 1}
MAY = {"open": 2, "under_consideration": 1, "in_progress": 1, "not_accepted": 1}
JULY = {"open": 2, "accepted": 1, "implemented": 1, "not_accepted": 1}


def nonzero(by_status):
    return {status: n for status, n in by_status.items() if n}


def get_trend(api, **params):
    response = api.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content
    return response.json()


def test_monthly_points_count_each_status_at_each_month_end(scenario, api):
    data = get_trend(api, start="2026-01-01")
    assert data["period"] == "month"
    assert (data["start"], data["end"]) == ("2026-01-01", SCENARIO_TODAY.isoformat())
    assert [(p["date"], nonzero(p["by_status"])) for p in data["points"]] == [
        ("2026-01-31", OPEN4),
        ("2026-02-28", OPEN4),
        ("2026-03-31", MARCH),
        ("2026-04-30", APRIL),
        ("2026-05-31", MAY),
        ("2026-06-30", MAY),
        ("2026-07-31", JULY),
        ("2026-08-31", JULY),
        ("2026-09-30", JULY),
        ("2026-10-01", JULY),  # the last point is `end`
    ]
    assert [p["total"] for p in data["points"]] == [4, 4, 4, 5, 5, 5, 5, 5, 5, 5]


def test_quarterly_points(scenario, api):
    data = get_trend(api, period="quarter", start="2026-02-10", end="2026-09-30")
    assert [(p["date"], nonzero(p["by_status"])) for p in data["points"]] == [
        ("2026-03-31", MARCH),
        ("2026-06-30", MAY),
        ("2026-09-30", JULY),
    ]


def test_default_is_the_last_24_months_up_to_today(scenario, api):
    data = get_trend(api)
    dates = [p["date"] for p in data["points"]]
    assert len(dates) == 24
    assert (dates[0], dates[-1]) == ("2024-11-30", "2026-10-01")
    assert data["points"][0]["total"] == 0  # nothing existed yet


def _oracle(query: QueryDict, day: dt.date) -> dict:
    as_of = query.copy()
    for name in ("period", "start", "end"):
        as_of.pop(name, None)
    as_of["as_of"] = day.isoformat()
    as_of["group_by"] = "none"
    return overview_for(as_of, audience=INTERNAL).totals.by_status


@pytest.mark.parametrize(
    "filters",
    [
        "",
        "period=quarter",
        "status=open&status=accepted",
        "closed=true",
        "closed=false&status=accepted&status=implemented",
        "owner=vdab",
        "report_number=5.1",
        "has_owner=false",
        "end=2026-04-10",  # E is created later in that month
        "end=2026-03-01&period=quarter",  # the day of a change: counted
    ],
)
def test_every_point_equals_the_overview_as_of_that_date(scenario, filters):
    query = QueryDict(f"start=2025-12-01&{filters}")
    trend = trend_for(query, audience=INTERNAL)
    assert trend.points
    for point in trend.points:
        assert point.by_status == _oracle(query, point.date), point.date


def test_a_change_dated_before_its_item_existed_counts_from_the_creation(scenario):
    # Not something the tracker does, but imported data might: the overview then ignores the
    # item before its creation and shows it with its status after the change.
    c = scenario["c"]
    Recommendation.objects.filter(pk=c.pk).update(created_at=c.created_at.replace(month=3, day=5))
    trend = trend_for(QueryDict("start=2026-01-01"), audience=INTERNAL)
    for point in trend.points:
        expected = build_overview(
            recommendations=Recommendation.objects.all(), as_of=point.date, group_by="none"
        ).totals.by_status
        assert point.by_status == expected, point.date


def test_a_fixed_number_of_queries_whatever_the_points_and_items(
    scenario, grow_catalogue, django_assert_num_queries
):
    # Two: the items by creation and first status, the changes by period and move (a slug
    # filter adds its look-ups while the filters are read, as in the overview).
    with django_assert_num_queries(2):
        trend_for(QueryDict("start=2026-09-01&closed=false"), audience=INTERNAL)
    with django_assert_num_queries(4):
        trend_for(QueryDict("start=2026-09-01&owner=vdab"), audience=INTERNAL)
    grow_catalogue(6)
    with django_assert_num_queries(2):
        trend = trend_for(QueryDict("start=2020-01-01&closed=false"), audience=INTERNAL)
    assert len(trend.points) == 82
    with django_assert_num_queries(4):
        trend_for(QueryDict("start=2020-01-01&owner=vdab&period=quarter"), audience=INTERNAL)


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"period": "week"}, "period"),
        ({"start": "2026-13-45"}, "start"),
        ({"end": "2026-10-02"}, "end"),  # the future
        ({"start": "2026-06-01", "end": "2026-05-31"}, "start"),
        ({"start": "1990-01-01"}, "start"),  # more than 240 monthly points
        ({"overdue": "true"}, "overdue"),
        ({"status": "done"}, "status"),
        ({"owner": "nobody"}, "owner"),
    ],
)
def test_bad_parameters_answer_400_naming_them(scenario, api, params, named):
    response = api.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert named in response.json()


def test_trend_for_refuses_overdue_rather_than_ignore_it(scenario):
    with pytest.raises(OverviewRequestInvalid) as refused:
        trend_for(QueryDict("overdue=false"), audience=INTERNAL)
    assert list(refused.value.errors) == ["overdue"]


def test_csv_and_xlsx_downloads(scenario, api):
    params = {"start": "2026-01-01", "period": "quarter"}
    response = api.get(URL, {**params, "format": "csv"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "trend-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows.index(next(r for r in rows if r and r[0] == "Status as of"))
    assert rows[header][1:3] == ["Open", "Under consideration"]
    assert [r[0] for r in rows[header + 1 :]] == [
        "2026-03-31",
        "2026-06-30",
        "2026-09-30",
        "2026-10-01",
    ]
    assert rows[-1][-1] == "5"

    response = api.get(URL, {**params, "format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    points = [
        row for row in sheet.iter_rows(values_only=True) if row and str(row[0])[:10] == "2026-03-31"
    ]
    assert len(points) == 1
    assert (points[0][1], points[0][-1]) == (2, 4)


def test_schema_documents_the_trend_and_its_parameters(db, api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/overview/trend/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"period", "start", "end", "status", "owner", "format"} <= names


def test_the_command_prints_the_trend(scenario, capfd):
    call_command(
        "followup_trend",
        "--period",
        "quarter",
        "--start",
        "2026-01-01",
        "--status",
        "open",
        "--format",
        "csv",
        "--language",
        "en",
    )
    rows = list(csv.reader(io.StringIO(capfd.readouterr().out.lstrip("\ufeff"))))
    assert ["Filters", "status=open"] in rows
    points = rows[rows.index(next(r for r in rows if r and r[0] == "Status as of")) + 1 :]
    assert [(r[0], r[1], r[-1]) for r in points] == [
        ("2026-03-31", "2", "2"),
        ("2026-06-30", "2", "2"),
        ("2026-09-30", "2", "2"),
        ("2026-10-01", "2", "2"),
    ]


def test_the_command_markdown_and_errors(scenario, capfd):
    call_command("followup_trend", "--start", "2026-09-01", "--language", "en")
    out = capfd.readouterr().out
    assert "| 2026-09-30 | 2 | 0 | 1 | 0 | 1 | 0 | 1 | 0 | 5 |" in out
    with pytest.raises(CommandError, match="--overdue"):
        call_command("followup_trend", "--overdue", "true")
    with pytest.raises(CommandError, match="--start"):
        call_command("followup_trend", "--start", "2027-01-01", "--end", "2026-01-01")


def test_the_overview_page_shows_the_trend_with_its_filters(scenario, client):
    response = client.get("/overview/", {"owner": "vdab", "as_of": "2026-06-30"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="trend-chart"' in page
    # 24 monthly points up to the overview's date, A and B only (owner VDAB).
    assert page.count('class="trend-point"') == 24
    assert "<title>2026-06-30: 2</title>" in page
    assert "<title>2026-05-31 · " in page


def test_the_overview_page_leaves_the_trend_out_with_overdue(scenario, client):
    response = client.get("/overview/", {"overdue": "true"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="trend-chart"' not in page
    assert 'id="trend"' in page

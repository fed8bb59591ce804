"""GET /api/v1/overview/ and the CSV/XLSX downloads, through HTTP."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from rest_framework import serializers

from recommendations.api.serializers import CountsSerializer, OverviewGroupSerializer
from recommendations.api.views import OverviewView
from recommendations.models import Recommendation
from recommendations.overview.computation import build_overview

URL = "/api/v1/overview/"
EXPORT = "/api/v1/recommendations/export/"


def get_json(api, **params):
    response = api.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content
    return response.json()


def nonzero(counts):
    return {status: n for status, n in counts["by_status"].items() if n}


@pytest.mark.parametrize(
    ("filters", "then", "today"),
    [
        # On 30 June A was in progress (implemented now), C under consideration (accepted now).
        ({"status": "in_progress"}, {"in_progress": 1}, {}),
        (
            {"status": ["under_consideration", "open"]},
            {"under_consideration": 1, "open": 2},
            {"open": 2},
        ),
        ({"closed": "true"}, {"not_accepted": 1}, {"implemented": 1, "not_accepted": 1}),
        (
            {"closed": "false"},
            {"in_progress": 1, "under_consideration": 1, "open": 2},
            {"accepted": 1, "open": 2},
        ),
        # C was overdue then (due 1 June); its due date moved to 31 December since.
        ({"overdue": "true"}, {"under_consideration": 1}, {}),
        (
            {"overdue": "false"},
            {"in_progress": 1, "not_accepted": 1, "open": 2},
            {"implemented": 1, "not_accepted": 1, "accepted": 1, "open": 2},
        ),
    ],
)
def test_status_filters_judge_the_status_on_the_overview_date(api, scenario, filters, then, today):
    past = get_json(api, group_by="none", as_of="2026-06-30", **filters)
    assert nonzero(past["totals"]) == then
    assert past["filters"] == {k: v if isinstance(v, list) else [v] for k, v in filters.items()}
    assert nonzero(get_json(api, group_by="none", **filters)["totals"]) == today


def test_the_overview_never_applies_its_filter_backends(api, scenario, monkeypatch):
    # They are there for the schema only; applied, `status` would judge today's status.
    def refuse(*args, **kwargs):
        raise AssertionError("the overview filters through overview_for() only")

    monkeypatch.setattr(OverviewView, "filter_queryset", refuse)
    past = get_json(api, group_by="none", as_of="2026-06-30", status="in_progress")
    assert nonzero(past["totals"]) == {"in_progress": 1}
    browsable = api.get(URL, {"status": "open"}, HTTP_ACCEPT="text/html")
    assert browsable.status_code == 200
    assert browsable["Content-Type"].startswith("text/html")


def test_status_filtered_changes_are_those_of_the_items_selected_on_that_date(api, scenario):
    data = get_json(api, as_of="2026-06-30", since="2026-01-01", status="in_progress")
    assert [(c["code"], c["to_status"]["value"]) for c in data["changes"]] == [
        ("R01-1", "accepted"),
        ("R01-1", "in_progress"),
    ]
    # A new item shows its status on that date (it is implemented now).
    assert [(i["code"], i["status"]["value"]) for i in data["new_items"]] == [
        ("R01-1", "in_progress")
    ]


def test_overview_by_owner_as_of_june_with_changes_since_april(api, scenario, plain_user):
    api.force_authenticate(plain_user)  # notes are for logged-in readers
    data = get_json(api, group_by="owner", as_of="2026-06-30", since="2026-04-01")
    assert (data["as_of"], data["since"], data["group_by"]) == ("2026-06-30", "2026-04-01", "owner")
    groups = {g["key"]: g for g in data["groups"]}
    assert list(groups) == ["syntra-vlaanderen", "vdab", None]
    vdab = groups["vdab"]["counts"]
    assert vdab["by_status"]["in_progress"] == vdab["by_status"]["not_accepted"] == 1
    assert vdab["total"] == 2
    assert vdab["rates"]["acceptance"] == {"value": 0.5, "numerator": 1, "denominator": 2}
    assert groups["syntra-vlaanderen"]["counts"]["overdue"] == 1
    assert groups[None]["label"] == "(no owner)"
    assert data["totals"]["total"] == 5
    assert data["totals"]["rates"]["overdue_share"] == {
        "value": 0.25,
        "numerator": 1,
        "denominator": 4,
    }
    assert [
        (c["code"], c["from_status"]["value"], c["to_status"]["label"]) for c in data["changes"]
    ] == [
        ("R01-1", "accepted", "In progress"),
        ("R01-2", "open", "Not accepted"),
    ]
    assert data["changes"][1]["note"] == "Geen budget"
    assert [item["code"] for item in data["new_items"]] == ["R01-3"]
    assert [(c["code"], c["previous_date"], c["new_date"]) for c in data["due_date_changes"]] == [
        ("R05.1-1", None, "2026-06-01")
    ]
    assert [s["value"] for s in data["statuses"]][:2] == ["open", "under_consideration"]
    assert set(data["rate_definitions"]) == {"acceptance", "implementation", "overdue_share"}


def test_the_list_filters_apply(api, scenario):
    data = get_json(api, group_by="none", report="arbeidsbemiddelaar", as_of="2026-03-31")
    assert data["filters"] == {"report": ["arbeidsbemiddelaar"]}
    assert data["totals"]["by_status"]["under_consideration"] == 1
    assert data["totals"]["total"] == 2
    assert data["groups"] == []


def test_labels_follow_the_language(api, scenario):
    dutch = api.get(URL, {"group_by": "priority"}).json()
    assert dutch["groups"][0]["label"] == "Niet bepaald"
    assert dutch["statuses"][2]["label"] == "Aanvaard"


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"group_by": "colour"}, "group_by"),
        ({"as_of": "30-13-2026"}, "as_of"),
        ({"as_of": "2026-10-02"}, "as_of"),  # the future (today is 1 October)
        ({"since": "2027-01-01"}, "since"),
        ({"since": "2026-07-01", "as_of": "2026-06-30"}, "since"),
        ({"status": "finished"}, "status"),
        ({"owner": "nobody"}, "owner"),
        ({"format": "pdf"}, "format"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(api, scenario, params, parameter):
    response = api.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == [parameter]


def test_since_after_as_of_says_so(api, scenario):
    response = api.get(
        URL, {"since": "2026-07-01", "as_of": "2026-06-30"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["since"] == ["“Changes since” must not lie after “status as of”."]


def test_an_empty_selection_is_zeros(api, scenario):
    data = get_json(api, q="geen-enkele-aanbeveling-heet-zo", group_by="owner")
    assert data["groups"] == []
    assert data["totals"]["total"] == 0
    assert set(data["totals"]["by_status"].values()) == {0}
    assert data["totals"]["rates"]["acceptance"]["value"] is None


def test_reading_can_require_a_login(api, api_as, plain_user, scenario, settings):
    settings.VIONA_PUBLIC_READ = False
    assert api.get(URL).status_code in (401, 403)
    assert api.get(EXPORT).status_code in (401, 403)
    assert api_as(plain_user).get(URL).status_code == 200


@pytest.mark.parametrize("group_by", ["report", "institute", "domain", "owner"])
def test_the_query_count_does_not_grow_with_groups_or_items(
    api, scenario, grow_catalogue, django_assert_num_queries, group_by
):
    params = {"group_by": group_by, "since": "2026-01-01"}
    # Counts, group names, status changes, new items and due date changes (and, for
    # institutes, the totals apart).
    queries = 6 if group_by == "institute" else 5
    with django_assert_num_queries(queries):
        before = get_json(api, **params)
    grow_catalogue(20)
    with django_assert_num_queries(queries):
        after = get_json(api, **params)
    assert len(after["groups"]) == len(before["groups"]) + 20
    assert len(after["changes"]) == len(before["changes"]) + 20


def csv_table(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # a BOM: spreadsheets read the accents right
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_overview_as_csv_parses_back_to_the_same_numbers(api, scenario):
    params = {"group_by": "owner", "as_of": "2026-06-30", "since": "2026-04-01"}
    data = get_json(api, **params)
    response = api.get(URL, {**params, "format": "csv"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert 'filename="overview-2026-10-01.csv"' in response["Content-Disposition"]
    rows = csv_table(response.content)
    assert rows[0] == ["Status as of", "2026-06-30"]
    assert ["Changes since", "2026-04-01"] in rows
    header_at = next(i for i, row in enumerate(rows) if row[:1] == ["Group"])
    header = rows[header_at]
    body = rows[header_at + 1 : header_at + 1 + len(data["groups"]) + 1]
    expected = [*data["groups"], {"label": "Total", "counts": data["totals"]}]
    for row, group in zip(body, expected, strict=True):
        assert row[0] == group["label"]
        counts = group["counts"]
        for label, status in zip(header[1:9], data["statuses"], strict=True):
            assert label == status["label"]
            assert int(row[header.index(label)]) == counts["by_status"][status["value"]]
        assert int(row[header.index("Total")]) == counts["total"]
        assert int(row[header.index("Overdue")]) == counts["overdue"]
        acceptance = counts["rates"]["acceptance"]
        assert int(row[header.index("Acceptance rate: Assessed")]) == acceptance["denominator"]
        value = row[header.index("Acceptance rate")]
        assert (float(value) if value else None) == acceptance["value"]
    change = next(row for row in rows if row[:1] == ["R01-2"])
    assert change[:4] == ["R01-2", "Opleidingscheques", "Open", "Not accepted"]


def test_overview_as_xlsx_parses_back_to_the_same_numbers(api, scenario):
    params = {"group_by": "report", "as_of": "2026-08-31", "since": "2026-01-01"}
    data = get_json(api, **params)
    response = api.get(URL, {**params, "format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Overview", "Changes", "New items", "Due dates"]
    rows = [list(row) for row in workbook["Overview"].iter_rows(values_only=True)]
    # The date is a date cell; rates are percentages; the header is frozen and filtered.
    assert rows[0][:2] == ["Status as of", dt.datetime(2026, 8, 31)]
    sheet = workbook["Overview"]
    assert sheet["B1"].is_date and sheet["B1"].number_format == "yyyy-mm-dd"
    header_at = next(i for i, row in enumerate(rows) if row[:1] == ["Group"])
    header = rows[header_at]
    assert sheet.freeze_panes == f"B{header_at + 2}"
    last = header_at + 1 + len(data["groups"]) + 1
    assert (
        sheet.auto_filter.ref
        == f"A{header_at + 1}:{sheet.cell(1, len(header)).column_letter}{last}"
    )
    rate = sheet.cell(header_at + 2, header.index("Implementation rate") + 1)
    assert rate.number_format == "0%"
    assert sheet.column_dimensions["A"].width > 8
    assert "Overview.xlsx" not in response["Content-Disposition"]
    assert 'filename="overview-' in response["Content-Disposition"]
    expected = [*data["groups"], {"counts": data["totals"]}]
    for row, group in zip(rows[header_at + 1 :], expected, strict=True):
        counts = group["counts"]
        assert row[header.index("Total")] == counts["total"]
        assert row[header.index("Implemented")] == counts["by_status"]["implemented"]
        assert (
            row[header.index("Implementation rate")] == counts["rates"]["implementation"]["value"]
        )
    changes = list(workbook["Changes"].iter_rows(values_only=True))
    assert len(changes) == 1 + len(data["changes"]) == 7


def test_the_filtered_list_exports_as_csv_and_xlsx(api, scenario):
    response = api.get(
        EXPORT, {"format": "csv", "report": "sectorale-insteek"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    rows = csv_table(response.content)
    assert rows[0][:3] == ["Code", "Report", "Position"]
    assert [row[0] for row in rows[1:]] == ["R01-1", "R01-2", "R01-3"]
    status = rows[0].index("Status")
    assert [row[status] for row in rows[1:]] == ["Implemented", "Not accepted", "Open"]
    domain = rows[0].index("Primary policy domain")
    assert {row[domain] for row in rows[1:]} == {"Work"}

    response = api.get(EXPORT, {"format": "xlsx", "owner": "syntra-vlaanderen"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["R01-3", "R05.1-1"]
    domain = rows[0].index("Primair beleidsdomein")
    assert {row[domain] for row in rows[1:]} == {"Werk"}


def test_export_defaults_to_csv_and_refuses_other_formats(api, scenario):
    assert api.get(EXPORT)["Content-Type"] == "text/csv"
    refused = api.get(EXPORT, {"format": "json"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "csv, xlsx" in refused.json()["format"][0]
    bad_filter = api.get(EXPORT, {"format": "xlsx", "due_before": "gisteren"})
    assert bad_filter.status_code == 400
    assert list(bad_filter.json()) == ["due_before"]


def test_export_orders_as_the_list_does(api, scenario):
    # `ordering` is documented for the export (test_api_docs.py): it must apply.
    def codes(params):
        response = api.get(EXPORT, {"format": "csv", **params})
        assert response.status_code == 200, response.content
        return [row[0] for row in csv_table(response.content)[1:]]

    in_code_order = ["R01-1", "R01-2", "R01-3", "R05.1-1", "R05.1-2"]
    assert codes({"ordering": "code"}) == in_code_order
    assert codes({"ordering": "-code"}) == in_code_order[::-1]
    in_report = codes({"ordering": "-code", "report": "sectorale-insteek"})
    assert in_report == ["R01-3", "R01-2", "R01-1"]


def test_export_costs_a_fixed_number_of_queries(
    api, scenario, make_recommendation, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4) as few:
        api.get(EXPORT)
    for n in range(20):
        make_recommendation(position=f"7.{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        api.get(EXPORT)


@pytest.mark.parametrize("group_by", ["report", "owner", "institute", "none"])
def test_counts_built_directly_equal_the_declared_fields(scenario, group_by):
    """The group and count serializers build their output by hand for speed; it must be
    exactly what their declared fields (the documented schema) give."""
    overview = build_overview(recommendations=Recommendation.objects.all(), group_by=group_by)
    for group in overview.groups:
        declared = serializers.Serializer.to_representation(OverviewGroupSerializer(), group)
        assert OverviewGroupSerializer().to_representation(group) == declared
    declared = serializers.Serializer.to_representation(CountsSerializer(), overview.totals)
    assert CountsSerializer().to_representation(overview.totals) == declared

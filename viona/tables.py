"""Tables written as CSV or XLSX files: what exports and overviews hand to spreadsheets."""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

Row = Sequence[object]

CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).isoformat(timespec="seconds")
            if value.tzinfo
            else value.isoformat(timespec="seconds")
        )
    if value is None:
        return ""
    return value


# A text cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value):
    value = _cell(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(rows: Iterable[Row]) -> bytes:
    """UTF-8 with a byte order mark, so that spreadsheet programs read accents right.

    Text that a spreadsheet would take for a formula gets a leading apostrophe (OWASP's
    advice against CSV injection): the program then shows it as text.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(sheets: Sequence[tuple[str, Iterable[Row], set[int]]]) -> bytes:
    """One workbook; per sheet a title, its rows and which rows (0-based) are headings."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows, heading_rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        for index, row in enumerate(rows):
            sheet.append([_xlsx_cell(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if cell.data_type == "f":  # openpyxl reads text starting with "=" as a formula
                    cell.data_type = "s"
            if index in heading_rows:
                for cell in sheet[sheet.max_row]:
                    cell.font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_cell(value):
    if isinstance(value, dt.datetime):
        # Excel has no time zones: local wall-clock time, as the officers read it.
        return timezone.localtime(value).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, str):
        # Characters XML forbids; the models refuse them, but rows loaded raw may hold them.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value

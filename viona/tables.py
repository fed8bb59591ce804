"""Tables written as CSV or XLSX files: what exports and overviews hand to spreadsheets."""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

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


@dataclass(frozen=True)
class SheetLayout:
    """How a sheet reads: its table's header row (0-based; frozen, with an auto-filter over
    the rows below it up to ``table_end``, exclusive, default the last row) and the columns
    (0-based) whose numbers are shares, shown as percentages."""

    header_row: int | None = None
    table_end: int | None = None
    percent_columns: frozenset[int] = frozenset()


# Column widths in characters: wide enough for most values, never a wall.
_MIN_WIDTH, _MAX_WIDTH = 8, 50


def xlsx_bytes(
    sheets: Sequence[
        tuple[str, Iterable[Row], set[int]] | tuple[str, Iterable[Row], set[int], SheetLayout]
    ],
) -> bytes:
    """One workbook; per sheet a title, its rows, which rows (0-based) are headings and,
    optionally, its layout. Every sheet gets column widths from its values; dates are date
    cells."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows, heading_rows, *layout in sheets:
        layout = layout[0] if layout else SheetLayout()
        sheet = workbook.create_sheet(title[:31])
        widths: dict[int, int] = {}
        for index, row in enumerate(rows):
            sheet.append([_xlsx_cell(v) for v in row])
            for column, cell in enumerate(sheet[sheet.max_row]):
                if cell.data_type == "f":  # openpyxl reads text starting with "=" as a formula
                    cell.data_type = "s"
                if index in heading_rows:
                    cell.font = Font(bold=True)
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                elif (
                    layout.header_row is not None
                    and index > layout.header_row
                    and column in layout.percent_columns
                ):
                    cell.number_format = "0%"
                widths[column] = max(widths.get(column, 0), _width(cell.value))
        for column, width in widths.items():
            letter = get_column_letter(column + 1)
            sheet.column_dimensions[letter].width = min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)
        if layout.header_row is not None and sheet.max_row > layout.header_row:
            first = layout.header_row + 1
            sheet.freeze_panes = sheet.cell(row=first + 1, column=2)
            last = layout.table_end if layout.table_end is not None else sheet.max_row
            sheet.auto_filter.ref = f"A{first}:{get_column_letter(sheet.max_column)}{last}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 16 if isinstance(value, dt.datetime) else 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def _xlsx_cell(value):
    if isinstance(value, dt.datetime):
        # Excel has no time zones: local wall-clock time, as the officers read it.
        return timezone.localtime(value).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, str):
        # Characters XML forbids; the models refuse them, but rows loaded raw may hold them.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value

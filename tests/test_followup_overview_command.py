"""manage.py followup_overview: the same overview in every format, stamped, parsed back."""

import csv
import datetime as dt
import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

OPTIONS = ["--group-by", "owner", "--as-of", "2026-06-30", "--since", "2026-04-01"]
# Expected per owner as of 30 June (see the `scenario` fixture): status counts and total.
# The columns whose numbers assert_table checks.
CHECKED_COLUMNS = ["Open", "Under consideration", "In progress", "Not accepted", "Total", "Overdue"]
EXPECTED = {
    "Syntra Vlaanderen": {"Open": 1, "Under consideration": 1, "Total": 2, "Overdue": 1},
    "Vlaamse Dienst voor Arbeidsbemiddeling": {
        "In progress": 1,
        "Not accepted": 1,
        "Total": 2,
        "Overdue": 0,
    },
    "(no owner)": {"Open": 1, "Total": 1, "Overdue": 0},
    "Total": {
        "Open": 2,
        "Under consideration": 1,
        "In progress": 1,
        "Not accepted": 1,
        "Total": 5,
        "Overdue": 1,
    },
}


def run(tmp_path, fmt, *extra):
    path = tmp_path / f"overview.{fmt}"
    call_command(
        "followup_overview",
        *OPTIONS,
        "--language",
        "en",
        "--format",
        fmt,
        "--output",
        str(path),
        *extra,
    )
    return path


def assert_table(header, rows):
    """``rows`` (label first) hold exactly the expected numbers; other statuses are zero."""
    assert [row[0] for row in rows] == list(EXPECTED)
    for row in rows:
        expected = EXPECTED[row[0]]
        for column in CHECKED_COLUMNS:
            assert int(row[header.index(column)]) == expected.get(column, 0), (row[0], column)


@pytest.fixture
def run_in(tmp_path, scenario):
    return lambda fmt, *extra: run(tmp_path, fmt, *extra)


def test_markdown_is_stamped_and_holds_the_numbers(run_in):
    text = run_in("md").read_text("utf-8")
    assert "- **Status as of**: 2026-06-30" in text
    assert "- **Grouped by**: owner" in text
    assert "- **Filters**: none" in text
    assert "- **Changes since**: 2026-04-01" in text
    lines = [line for line in text.splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:6]]
    assert_table(header, rows)
    assert rows[1][header.index("Acceptance rate")] == "50% (1/2)"
    assert "| R01-2 | Opleidingscheques | Open | Not accepted | coordinator |" in text


def test_csv_parses_back(run_in):
    rows = list(csv.reader(io.StringIO(run_in("csv").read_text("utf-8-sig"))))
    assert rows[:4] == [
        ["Status as of", "2026-06-30"],
        ["Grouped by", "owner"],
        ["Filters", "none"],
        ["Changes since", "2026-04-01"],
    ]
    start = rows.index(next(row for row in rows if row[:1] == ["Group"]))
    assert_table(rows[start], rows[start + 1 : start + 5])


def test_xlsx_parses_back(run_in):
    workbook = load_workbook(run_in("xlsx"))
    rows = [list(row) for row in workbook["Overview"].iter_rows(values_only=True)]
    assert rows[0][:2] == ["Status as of", dt.datetime(2026, 6, 30)]
    start = next(i for i, row in enumerate(rows) if row[:1] == ["Group"])
    assert_table(rows[start], rows[start + 1 : start + 5])
    assert [row[0] for row in workbook["New items"].iter_rows(min_row=2, values_only=True)] == [
        "R01-3"
    ]


class TableCells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.inside, self.cell, self.in_chart = [], False, None, False

    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self.in_chart = True  # the bar's tooltips are not the cell's text
        elif tag == "table" and ("id", "overview-table") in attrs:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "svg":
            self.in_chart = False
        elif tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(self.cell.strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None and not self.in_chart:
            self.cell += data


def test_html_is_a_standalone_page_that_parses_back(run_in):
    html = run_in("html").read_text("utf-8")
    assert re.search(r"<dt>Status as of</dt><dd>2026-06-30</dd>", html)
    assert "<form" not in html  # no filter form in the printable file
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing from outside
    parser = TableCells()
    parser.feed(html)
    header, *rows = parser.rows
    assert_table(header, rows)


def test_json_parses_back(run_in):
    data = json.loads(run_in("json").read_text("utf-8"))
    assert (data["as_of"], data["group_by"], data["filters"]) == ("2026-06-30", "owner", {})
    by_label = {g["label"]: g["counts"] for g in data["groups"]} | {"Total": data["totals"]}
    header = ["label", *CHECKED_COLUMNS]
    keys = ["open", "under_consideration", "in_progress", "not_accepted"]
    rows = [
        [label, *(counts["by_status"][k] for k in keys), counts["total"], counts["overdue"]]
        for label, counts in by_label.items()
    ]
    assert_table(header, rows)


def test_filters_are_options_and_are_stamped(run_in):
    text = run_in(
        "md", "--report", "arbeidsbemiddelaar", "--status", "open", "--status", "accepted"
    ).read_text("utf-8")
    # Labels, not parameters: the filter's and each value's (run_in's language: English).
    assert (
        "- **Filters**: Status: Open, Accepted; "
        "Report: De rol en impact van de arbeidsbemiddelaar" in text
    )


def test_markdown_goes_to_stdout_by_default(scenario, capfd):
    call_command("followup_overview", "--group-by", "none", "--language", "en")
    out = capfd.readouterr().out
    assert "- **Status as of**: 2026-10-01" in out
    assert "| Total | 2 | 0 | 1 | 0 | 1 | 0 | 1 | 0 | 5 | 0 |" in out


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--as-of", "2027-01-01"], "--as-of: 2027-01-01 lies in the future."),
        (["--since", "1 januari"], "--since: Enter a date as YYYY-MM-DD."),
        (["--since", "2026-07-01", "--as-of", "2026-06-30"], "--since: “Changes since” must not"),
        (["--owner", "nobody"], "--owner: Select a valid choice."),
    ],
)
def test_bad_options_are_a_clear_error_and_write_nothing(scenario, tmp_path, arguments, message):
    path = tmp_path / "out.md"
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("followup_overview", *arguments, "--language", "en", "--output", str(path))
    assert not path.exists()


def test_unknown_format_or_grouping_is_refused(scenario):
    with pytest.raises(CommandError, match="invalid choice: 'pdf'"):
        call_command("followup_overview", "--format", "pdf")
    with pytest.raises(CommandError, match="invalid choice: 'colour'"):
        call_command("followup_overview", "--group-by", "colour")


@pytest.mark.parametrize("language", ["nl", "NL", "nl-be"])
def test_nl_stands_for_dutch(scenario, capfd, language):
    call_command("followup_overview", "--group-by", "none", "--language", language)
    assert "- **Stand van zaken op**: 2026-10-01" in capfd.readouterr().out


def test_the_html_heading_names_the_grouping(tmp_path, scenario):
    for language, heading in [("en", "By owner"), ("nl-be", "Per eigenaar")]:
        path = tmp_path / f"overview-{language}.html"
        call_command(
            "followup_overview",
            "--group-by",
            "owner",
            "--format",
            "html",
            "--language",
            language,
            "--output",
            str(path),
            stderr=io.StringIO(),
        )
        assert f"<h2>{heading}</h2>" in path.read_text("utf-8")


def test_xlsx_is_not_written_to_a_terminal(scenario, monkeypatch):
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    with pytest.raises(CommandError, match="--output"):
        call_command("followup_overview", "--format", "xlsx")

"""The printable overview page in a real browser: headless Chromium (Debian's `chromium`
package) driven by Playwright, against pytest-django's live server.

Skipped when the browser or Playwright is missing, unless VIONA_REQUIRE_BROWSER=1 (as in CI),
then it fails. With VIONA_SCREENSHOT_DIR set, the page is also saved there as overview.png
and overview-print.png.
"""

import datetime as dt
import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models import Count
from django.utils import timezone

from recommendations.models import Recommendation
from recommendations.services import transition_status
from reports.models import Report

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads what tests write


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _stamp(page) -> dict[str, str]:
    terms = page.locator("dl#stamp dt").all_inner_texts()
    values = page.locator("dl#stamp dd").all_inner_texts()
    return dict(zip(terms, values, strict=True))


def _screenshots(page) -> None:
    directory = os.environ.get("VIONA_SCREENSHOT_DIR")
    if not directory:
        return
    page.screenshot(path=str(Path(directory) / "overview.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(Path(directory) / "overview-print.png"), full_page=True)
    page.emulate_media(media="screen")


def test_overview_table_charts_and_a_filter_change(loaded, coordinator, watched, live_server):
    reports = list(
        Report.objects.annotate(n=Count("recommendations")).filter(n__gt=0).order_by("sequence")
    )
    first, second, third = (
        Recommendation.objects.filter(report=report).order_by("code")[0] for report in reports[:3]
    )
    moves = [
        (first, "accepted", ""),
        (second, "under_consideration", ""),
        (third, "implemented", "Done: see the annual report."),
    ]
    for recommendation, to_status, note in moves:
        transition_status(
            recommendation=recommendation, to_status=to_status, user=coordinator, note=note
        )
    since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    page = watched.page

    response = page.goto(f"{live_server.url}/overview/?group_by=report&since={since}")
    assert response.status == 200

    # The grouped table: one row per report with recommendations, in report order.
    rows = page.locator("table#overview-table tbody tr:not(.total)")
    assert rows.count() == len(reports)
    labels = [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())]
    assert labels == [f"{report.number}. {report.title}" for report in reports]
    for i in range(rows.count()):
        bar = rows.nth(i).locator("svg.bar")
        assert bar.count() == 1
        assert bar.locator("rect").count() >= 1
        assert bar.bounding_box()["width"] > 0
    # The reports with a moved item show two colours, the others only "open".
    for i, (_recommendation, to_status, _note) in enumerate(moves):
        segments = rows.nth(i).locator("svg.bar rect")
        classes = [segments.nth(j).get_attribute("class") for j in range(segments.count())]
        assert classes == ["s-open", f"s-{to_status}"]  # in lifecycle order
    assert rows.nth(3).locator("svg.bar rect").count() == 1
    accepted = rows.first.locator("svg.bar rect.s-accepted")
    fill = accepted.evaluate("rect => getComputedStyle(rect).fill")
    assert fill == "rgb(106, 169, 233)"  # the stylesheet applies

    # The overall bar: every status that has items.
    overall = page.locator("section#overall svg.bar.overall")
    assert overall.count() == 1
    assert overall.locator("rect").count() == 4
    assert overall.bounding_box()["width"] > 0

    # The changes since the date: each move, with its note.
    changes = page.locator("section#changes")
    assert changes.is_visible()
    change_rows = changes.locator("table").first.locator("tbody tr")
    assert change_rows.count() == len(moves)
    for i, (recommendation, _to_status, _note) in enumerate(moves):
        cells = change_rows.nth(i).locator("td").all_inner_texts()
        assert cells[0] == recommendation.code
        # An anonymous visitor: no user names, no unpublished notes (test_public_reading.py).
        assert cells[4] == cells[6] == ""
    assert _stamp(page)["Changes since"] == since
    _screenshots(page)

    # Print: the form, the export links and the navigation are hidden.
    page.emulate_media(media="print")
    for selector in ("form#filters", "p#exports", "#language-form"):
        assert page.locator(selector).is_hidden(), selector
    assert page.locator("table#overview-table").is_visible()
    page.emulate_media(media="screen")
    assert page.locator("form#filters").is_visible()

    # Change the grouping and pick a status in the form; submit with its button.
    form = page.locator("form#filters")
    form.locator("select[name=group_by]").select_option("owner")
    # Checkboxes: no Ctrl-click, the whole label in sight.
    form.locator("input[type=checkbox][name=status][value=accepted]").check()
    form.locator("input[type=checkbox][name=status][value=implemented]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: "group_by=owner" in url)
    page.wait_for_load_state()

    query = _query(page.url)
    assert query["group_by"] == ["owner"]
    assert sorted(query["status"]) == ["accepted", "implemented"]
    assert query["since"] == [since]
    owners = sorted(
        {first.owner, third.owner}, key=lambda o: (o is None, o.name.casefold() if o else "")
    )
    rows = page.locator("table#overview-table tbody tr:not(.total)")
    labels = [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())]
    assert labels == [owner.name if owner else "(no owner)" for owner in owners]
    for i in range(rows.count()):
        assert rows.nth(i).locator("svg.bar rect").count() >= 1
    assert page.locator("section#overall h2").inner_text().endswith(": 2")
    stamp = _stamp(page)
    assert stamp["Grouped by"] == "owner"
    assert stamp["Filters"] == "Status: Accepted, Implemented"
    assert page.locator("form#filters select[name=group_by]").input_value() == "owner"
    assert page.locator("section#changes table").first.locator("tbody tr").count() == 2

    watched.assert_clean(live_server.url)


def test_an_invalid_filter_shows_its_error(watched, live_server):
    page = watched.page
    response = page.goto(f"{live_server.url}/overview/?as_of=2999-01-01")
    assert response.status == 400
    error = page.locator("#field-as_of .errorlist")
    assert error.is_visible()
    assert "2999-01-01" in error.inner_text()
    assert page.locator("div.errorlist[role=alert]").is_visible()
    assert page.locator("table#overview-table").count() == 0
    assert page.locator("form#filters").is_visible()
    watched.assert_clean(live_server.url, document_status=(response.url, 400))

"""The overview page's trend chart in a real browser (headless Chromium, as
tests/test_overview_browser.py): it renders, coloured by status, with its table, and the page
logs no console error and asks nothing from elsewhere."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads what tests write


def test_the_trend_chart_renders_without_errors(scenario, watched, live_server):
    page = watched.page
    response = page.goto(f"{live_server.url}/overview/?as_of=2026-09-30")
    assert response.status == 200

    chart = page.locator("svg#trend-chart")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 50
    points = chart.locator("g.trend-point")
    assert points.count() == 24
    # The last point (September 2026): A implemented, B not accepted, C accepted, D and E open.
    last = points.last.locator("rect")
    classes = [last.nth(i).get_attribute("class") for i in range(last.count())]
    assert classes == ["s-open", "s-accepted", "s-implemented", "s-not_accepted"]
    fill = last.first.evaluate("rect => getComputedStyle(rect).fill")
    assert fill == "rgb(154, 165, 177)"  # the page's stylesheet colours the statuses
    # Months before the first item have no bar.
    assert points.first.locator("rect").count() == 0

    # The numbers, for whoever cannot read the chart.
    page.locator("#trend-numbers summary").click()
    rows = page.locator("#trend-numbers tbody tr")
    assert rows.count() == 24
    assert rows.last.locator("td").first.inner_text() == "2026-09-30"
    assert rows.last.locator("td").last.inner_text() == "5"
    watched.assert_clean(live_server.url)

"""The overview printed to PDF by Chromium (Playwright's page.pdf()): the default overview of
the loaded catalogue fits a few A4 pages, and the total row is printed once (a body row, not
a table footer that Chromium repeats at the bottom of every page). And a count, clicked,
opens the list of exactly the items counted."""

import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads the catalogue

# The default overview (grouped by report, with the trend) of the loaded catalogue: 13
# reports; three A4 pages before the print stylesheet was tightened.
MAX_PAGES = 2


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def test_the_default_overview_prints_on_few_a4_pages_with_one_total_row(
    loaded, watched, live_server
):
    page = watched.page
    page.goto(f"{live_server.url}/overview/")
    rows = page.locator("table#overview-table tbody tr")
    assert rows.count() >= 13
    page.emulate_media(media="print")
    assert page.locator("table#overview-table tfoot").count() == 0
    assert page.locator("table#overview-table tr.total").count() == 1
    assert rows.last.get_attribute("class") == "total"
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    assert 1 <= _pages(pdf) <= MAX_PAGES, _pages(pdf)


def test_a_count_opens_the_list_of_exactly_those_items(loaded, watched, live_server):
    page = watched.page
    page.goto(f"{live_server.url}/overview/")
    first_total = page.locator("table#overview-table tbody tr").first.locator("td").nth(9)
    count = int(first_total.inner_text())
    first_total.locator("a").click()
    page.wait_for_url(lambda url: "/api/v1/recommendations/?" in url)
    assert "report_id=" in page.url and "as_of=" in page.url
    assert f'"count": {count},' in page.locator("body").inner_text()
    assert not watched.errors


def test_on_a_narrow_screen_the_table_scrolls_and_headers_break_between_words(
    loaded, watched, live_server
):
    page = watched.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/overview/")
    scroller = page.locator(".table-scroll")
    assert scroller.evaluate("e => e.scrollWidth > e.clientWidth")  # it scrolls sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the page does not
    # No header has more lines than words: a word is never split.
    lines_and_words = page.locator("#overview-table th").evaluate_all(
        """cells => cells.map(th => {
            const range = document.createRange();
            range.selectNodeContents(th);
            const tops = [...range.getClientRects()].map(rect => Math.round(rect.top));
            return [th.innerText, new Set(tops).size, th.innerText.trim().split(/\\s+/).length];
        })"""
    )
    assert all(lines <= words for _text, lines, words in lines_and_words), lines_and_words

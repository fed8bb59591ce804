"""From every count of the overview page to the list of exactly the items counted (issue 14):
the recommendation list's `as_of` judges status, closed and overdue on that date by the
overview's rule."""

import html
import re

import pytest

from recommendations.overview.computation import GroupBy

pytestmark = pytest.mark.django_db

COUNT_LINK = re.compile(r'<a href="(/api/v1/recommendations/\?[^"]+)">(\d+)</a>')


def _codes(client, url):
    answer = client.get(url + "&page_size=200")
    assert answer.status_code == 200, answer.content
    return sorted(item["code"] for item in answer.json()["results"])


def _count_links(client, query):
    page = client.get(f"/overview/?{query}")
    assert page.status_code == 200
    table = page.content.decode()
    return [(html.unescape(url), int(n)) for url, n in COUNT_LINK.findall(table)]


@pytest.mark.parametrize("as_of", ["2026-03-01", "2026-06-30", "2026-10-01"])
@pytest.mark.parametrize("group_by", GroupBy.values)
def test_every_count_lists_exactly_the_items_counted(scenario, client, as_of, group_by):
    links = _count_links(client, f"as_of={as_of}&group_by={group_by}")
    assert links, "the counts are links"
    for url, n in links:
        assert f"as_of={as_of}" in url
        assert len(_codes(client, url)) == n, url


def test_counts_follow_the_page_filters(scenario, client):
    links = _count_links(client, "as_of=2026-06-30&group_by=owner&report_number=1")
    assert links
    for url, n in links:
        assert "report_number=1" in url
        assert len(_codes(client, url)) == n, url


def test_the_overdue_items_of_a_past_date_are_listed(scenario, client):
    # On 2026-06-30, C was under consideration and due on 2026-06-01; today it is accepted
    # and due on 2026-12-31: overdue then, not now.
    page = client.get("/overview/?as_of=2026-06-30").content.decode()
    overdue = re.search(r'<a href="([^"]+)" id="overdue-link">', page)
    assert overdue, "the overview links to its overdue items"
    assert _codes(client, html.unescape(overdue.group(1))) == [scenario["c"].code]
    today = client.get("/overview/").content.decode()
    assert 'id="overdue-link"' not in today


def test_the_list_judges_status_closed_and_overdue_on_as_of(scenario, api):
    a, b, c, d, e = (scenario[k].code for k in "abcde")

    def codes(query):
        answer = api.get(f"/api/v1/recommendations/?{query}&page_size=200")
        assert answer.status_code == 200, answer.content
        return sorted(item["code"] for item in answer.json()["results"])

    assert codes("status=under_consideration") == []
    assert codes("as_of=2026-06-30&status=under_consideration") == [c]
    assert codes("as_of=2026-06-30&status=in_progress") == [a]
    assert codes("as_of=2026-06-30&closed=true") == [b]
    assert codes("as_of=2026-06-30&overdue=true") == [c]
    assert codes("as_of=2026-06-30&overdue=false") == sorted([a, b, d, e])
    assert codes("overdue=true") == []
    # Items created after the date are left out, as in the overview.
    assert codes("as_of=2026-03-01") == sorted([a, b, c, d])
    assert codes("as_of=2026-03-01&status=open") == sorted([b, d])
    # Today's picture is the list without `as_of`.
    assert codes("as_of=2026-10-01&status=implemented") == codes("status=implemented") == [a]


def test_a_bad_as_of_is_a_400_naming_it(scenario, api):
    answer = api.get("/api/v1/recommendations/?as_of=2026-13-45")
    assert answer.status_code == 400
    assert "as_of" in answer.json()

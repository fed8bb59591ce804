"""The printable overview page, server-side: content, languages, errors, escaping, access."""

import re

import pytest

URL = "/overview/"


def test_the_page_shows_table_charts_changes_and_exports(client, scenario, plain_user):
    client.force_login(plain_user)  # notes are for logged-in readers
    response = client.get(
        URL,
        {"group_by": "owner", "as_of": "2026-06-30", "since": "2026-04-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<dt>Status as of</dt><dd>2026-06-30</dd>" in html
    table = html[
        html.index('id="overview-table"') : html.index(
            "</table>", html.index('id="overview-table"')
        )
    ]
    assert table.count('<svg class="bar"') == 3  # one bar per owner group
    assert "Syntra Vlaanderen" in table and "(no owner)" in table
    assert 'class="bar overall"' in html
    # Bar widths are numbers an SVG understands, whatever the language's decimal comma.
    widths = re.findall(r'width="([^"]+)"', html)
    assert widths and all(re.fullmatch(r"\d+(\.\d+)?", w) for w in widths)
    assert "Opleidingscheques" in html and "Geen budget" in html  # changes since April
    assert (
        "/api/v1/overview/?group_by=owner&amp;as_of=2026-06-30&amp;since=2026-04-01&amp;format=csv"
        in html
    )
    # The list export shows today's statuses, and says so: the overview's dates are not passed.
    assert "with their current status" in html
    assert '"/api/v1/recommendations/export/?format=xlsx"' in html
    assert "@media print" in html


def test_the_list_export_keeps_the_filters_but_not_the_overview_options(client, scenario):
    html = client.get(
        URL, {"group_by": "owner", "as_of": "2026-06-30", "status": "accepted", "q": "x y"}
    ).content.decode()
    exports = re.findall(r'href="(/api/v1/recommendations/export/[^"]*)"', html)
    assert exports == [
        "/api/v1/recommendations/export/?status=accepted&amp;q=x+y&amp;format=csv",
        "/api/v1/recommendations/export/?status=accepted&amp;q=x+y&amp;format=xlsx",
    ]


def test_the_page_speaks_dutch_by_default(client, scenario):
    html = client.get(URL).content.decode()
    assert '<html lang="nl-be">' in html
    assert "Aanvaard" in html


def test_a_bad_filter_is_shown_on_the_page_with_a_400(client, scenario):
    response = client.get(
        URL, {"as_of": "2999-01-01", "owner": "nobody"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "2999-01-01 lies in the future." in html
    assert "Select a valid choice" in html
    assert 'id="overview-table"' not in html


def test_a_bad_filter_the_form_does_not_show_is_named_and_dropped_on_resubmit(client, scenario):
    response = client.get(
        URL, {"owner_id": "abc", "institute": "zz", "addressee": "vdab"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please correct the fields marked above." not in html
    assert "<code>owner_id</code>:" in html and "<code>institute</code>:" in html
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
    assert ("addressee", "vdab") in hidden  # a valid filter stays
    assert not {name for name, _ in hidden} & {"owner_id", "institute"}


def test_an_empty_selection_says_so(client, scenario):
    html = client.get(URL, {"q": "bestaat-niet"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No recommendations match this selection." in html


def test_text_from_the_data_is_escaped(client, scenario, coordinator):
    from recommendations.services import transition_status

    item = scenario["d"]
    item.title = '<script>alert("x")</script>'
    item.save()
    transition_status(
        recommendation=item, to_status="under_consideration", user=coordinator, note="<b>vet</b>"
    )
    client.force_login(coordinator)
    html = client.get(URL, {"since": "2026-09-01"}).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;vet&lt;/b&gt;" in html


def test_reading_can_require_a_login(client, scenario, settings, plain_user):
    settings.VIONA_PUBLIC_READ = False
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/overview/")
    client.force_login(plain_user)
    assert client.get(URL).status_code == 200


@pytest.mark.django_db
def test_the_admin_index_links_to_the_overview(client, superuser):
    client.force_login(superuser)
    html = client.get("/admin/").content.decode()
    assert 'href="/overview/"' in html

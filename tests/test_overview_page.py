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
    widths = re.findall(r'<rect [^>]*width="([^"]+)"', html)
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


def test_changes_since_include_due_date_changes_as_the_audience_may_see_them(
    client, scenario, plain_user
):
    # 2026-05-01: C gets its first due date; 2026-09-01: it moves, with an unpublished reason.
    query = {"since": "2026-04-01", "as_of": "2026-09-30"}
    anonymous = client.get(URL, query, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    section = anonymous[anonymous.index('id="due-date-changes"') :]
    section = section[: section.index("</table>")]
    assert section.count(scenario["c"].code) == 2
    assert "2026-06-01" in section and "2026-12-31" in section
    assert "wacht op het uitvoeringsbesluit" not in section
    client.force_login(plain_user)
    internal = client.get(URL, query, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "wacht op het uitvoeringsbesluit" in internal
    # Before the first change's date, only that one; none after the window's end.
    earlier = client.get(URL, {"since": "2026-04-01", "as_of": "2026-06-30"}).content.decode()
    assert "2026-12-31" not in earlier[earlier.index('id="due-date-changes"') :]


def test_a_bad_date_leaves_no_dangling_title_or_footer(client, scenario):
    response = client.get(URL, {"as_of": "2026-13-45"})
    assert response.status_code == 400
    html = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    footer = re.search(r"<footer>(.*?)</footer>", html, re.S).group(1)
    assert title == "Opvolgingsoverzicht"
    assert "stand van zaken" not in footer.lower()
    good = client.get(URL, {"as_of": "2026-06-30"}).content.decode()
    assert "2026-06-30" in re.search(r"<title>(.*?)</title>", good).group(1)


def test_the_stamp_names_filters_and_values_by_their_labels(client, scenario):
    html = client.get(
        URL, {"status": ["accepted", "in_progress"], "owner": "vdab"}
    ).content.decode()
    stamp = html[html.index('id="stamp"') : html.index("</dl>")]
    assert "Status: Aanvaard, In uitvoering" in stamp
    assert "status=" not in stamp and "owner=" not in stamp


def test_filters_are_checkboxes_and_owners_are_sorted_by_name(client, scenario):
    html = client.get(URL, {"status": "accepted"}).content.decode()
    form = html[html.index('id="filters"') : html.index("</form>", html.index('id="filters"'))]
    assert "<select multiple" not in form and "multiple>" not in form
    for name in ("report", "status", "primary_domain", "owner", "priority", "horizon"):
        assert f'<fieldset class="field checks" id="field-{name}">' in form
        assert f'type="checkbox" name="{name}"' in form
    assert re.search(r'type="checkbox" name="status" value="accepted"[^>]*checked', form)
    owners = form[form.index('id="field-owner"') :]
    owners = owners[: owners.index("</fieldset>")]
    labels = [label.strip() for label in re.findall(r">\s*([^<]+)</label>", owners)]
    assert labels and labels == sorted(labels, key=str.casefold)


def test_the_total_row_is_the_last_body_row_not_a_footer(client, scenario, plain_user):
    client.force_login(plain_user)
    html = client.get(URL, {"since": "2026-01-01"}).content.decode()
    table = html[
        html.index('id="overview-table"') : html.index(
            "</table>", html.index('id="overview-table"')
        )
    ]
    assert "<tfoot" not in table
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    assert body.count('<tr class="total">') == 1
    assert body.rstrip().endswith("</tr>") and body.rindex('<tr class="total">') > body.rindex(
        "<tr>"
    )
    # Print: headers wrap between words, evidence links print their address.
    assert "hyphens: manual" in html and "word-break: normal" in html
    assert 'a.evidence::after { content: " (" attr(href) ")"' in html

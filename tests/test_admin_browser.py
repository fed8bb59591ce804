"""The admin's status form in a real browser (Chromium), in Dutch and English: it moves the
item, a refusal keeps the form, the list fits 1400 px; no console error, nothing fetched from
elsewhere (issue 14)."""

import pytest

from recommendations.models import StatusChange


@pytest.fixture
def logged_in(watched, live_server, superuser, client):
    """The browser page with the superuser's session cookie."""
    client.force_login(superuser)
    cookie = client.cookies["sessionid"]
    watched.page.context.add_cookies(
        [{"name": "sessionid", "value": cookie.value, "url": live_server.url}]
    )
    return watched


def in_language(watched, live_server, language):
    watched.page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    return watched.page


@pytest.mark.parametrize("language", ["en", "nl-be"])
def test_the_item_page_changes_the_status(logged_in, live_server, recommendation, language):
    page = in_language(logged_in, live_server, language)
    item_url = f"{live_server.url}/admin/recommendations/recommendation/{recommendation.pk}/change/"
    page.goto(item_url)

    form = page.locator("#status-form")
    assert form.locator("select[name=to_status]").input_value() == ""
    form.locator("select[name=to_status]").select_option("superseded")
    form.locator("input[type=submit]").click()  # no note: refused, the form stays
    page.wait_for_load_state()
    assert page.locator(".errorlist").count() == 1
    assert page.locator("select[name=to_status]").input_value() == "superseded"
    assert not StatusChange.objects.exists()

    page.locator("a.cancel-link").click()
    page.wait_for_url(item_url)
    page.locator("#status-form select[name=to_status]").select_option("accepted")
    page.locator("#status-form textarea[name=note]").fill("Besluit van de Vlaamse Regering")
    page.locator("#status-form input[type=submit]").click()
    page.wait_for_url(item_url)

    assert page.locator(".messagelist .success").count() == 1
    change = StatusChange.objects.get()
    assert (change.to_status, change.note) == ("accepted", "Besluit van de Vlaamse Regering")
    # now from "accepted": "open" and "accepted" are no longer offered
    offered = page.locator("#status-form select[name=to_status] option").evaluate_all(
        "options => options.map(o => o.value)"
    )
    assert offered == ["", "in_progress", "implemented", "partially_implemented", "superseded"]
    logged_in.assert_clean(live_server.url)


@pytest.mark.parametrize("language", ["en", "nl-be"])
def test_the_list_shows_the_deadline_at_1400_px(
    logged_in, live_server, make_recommendation, organisations, language
):
    for n in range(5):
        make_recommendation(
            position=str(n + 1),
            title="Versterking van de intersectorale samenwerking van sectorconsultenten " * 2,
            owner=organisations["vdab"],
        )
    page = in_language(logged_in, live_server, language)
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{live_server.url}/admin/recommendations/recommendation/")

    deadline = page.locator("#result_list th.column-due_date").bounding_box()
    results = page.locator("#changelist-form .results").bounding_box()
    assert deadline["x"] + deadline["width"] <= results["x"] + results["width"]
    title = page.locator("#result_list td.field-title").first.bounding_box()
    assert title["width"] >= 250  # some 35 characters a line, not 15
    logged_in.assert_clean(live_server.url)


def test_the_admin_home_link_to_the_overview_reads_on_one_line(logged_in, live_server):
    page = in_language(logged_in, live_server, "nl-be")
    page.set_viewport_size({"width": 800, "height": 900})
    page.goto(f"{live_server.url}/admin/")
    link = page.locator("#followup-overview-link a").bounding_box()
    assert link["width"] > link["height"] * 5
    logged_in.assert_clean(live_server.url)
    assert any(url.endswith("/static/viona/favicon.svg") for url in logged_in.requests)

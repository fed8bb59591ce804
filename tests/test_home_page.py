"""The home page at `/` (where the admin's "View site" leads): what the tracker is and the way
to its overview, admin, API and API documentation, in Dutch and English."""

import re

import pytest
from django.urls import reverse

LINKS = ["overview-page", "admin:index", "api-root", "swagger-ui", "redoc", "schema"]


def test_the_home_page_links_to_every_part_of_the_tracker(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in LINKS:
        assert f'href="{reverse(name)}"' in html, name
    assert response["Content-Security-Policy"].startswith("default-src 'self'")
    assert "<style" not in html and "<script" not in html and "style=" not in html
    assert not re.search(r"""(?:src|href)="(?:https?:)?//""", html)


def test_the_admin_view_site_link_leads_to_it(client, superuser):
    client.force_login(superuser)
    admin = client.get(reverse("admin:index")).content.decode()
    assert 'href="/"' in admin
    assert client.get("/").status_code == 200


def test_the_home_page_has_a_language_headings_and_landmarks(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert html.count("<h1>") == 1
    for landmark in ("<header>", "<main>", "<nav ", "<footer>"):
        assert landmark in html, landmark
    assert '<label for="language">' in html


def test_the_home_page_speaks_dutch_and_english(client):
    dutch = client.get("/", HTTP_ACCEPT_LANGUAGE="nl-be").content.decode()
    assert '<html lang="nl-be">' in dutch
    assert "Opvolgingsoverzicht" in dutch
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Follow-up overview" in english
    assert "Opvolgingsoverzicht" not in english


@pytest.mark.django_db(transaction=True)
def test_the_home_page_in_a_browser(watched, live_server):
    response = watched.page.goto(live_server.url + "/")
    assert response.status == 200
    assert watched.page.locator("h1").inner_text() == "VIONA recommendation tracker"
    styled = watched.page.locator("header").evaluate("e => getComputedStyle(e).borderBottomStyle")
    assert styled == "solid"  # the stylesheet loaded under the page's policy
    watched.assert_clean(live_server.url)
    watched.page.get_by_role("link", name="Follow-up overview").click()
    watched.page.wait_for_url(live_server.url + reverse("overview-page"))


def test_the_favicon_is_where_browsers_ask_for_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert client.get(response["Location"]).status_code == 200

"""The two API documentation pages, Swagger UI and Redoc, in a real browser: headless Chromium
(Debian's `chromium` package) driven by Playwright, against pytest-django's live server.

They must work under their Content-Security-Policy (viona/api/docs.py) and load nothing from
elsewhere: every request is recorded and any console error fails the test, which includes the
error Chromium logs when the policy blocks something.

Skipped when the browser or Playwright is missing, unless VIONA_REQUIRE_BROWSER=1 (as in CI),
then it fails. The set-up is in conftest.py and browser_support.py.
"""

import pytest
from django.test import Client

TITLE = "VIONA Recommendation Tracker API"


@pytest.fixture
def operations():
    """(method, path, summary) of every operation the schema documents."""
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    return [
        (method, path, operation.get("summary", ""))
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]


def test_swagger_ui_shows_every_operation_and_tries_one(watched, live_server, operations):
    page = watched.page
    response = page.goto(f"{live_server.url}/api/docs/")
    assert response.status == 200
    assert "default-src 'self'" in response.headers["content-security-policy"]
    blocks = page.locator(".opblock")
    blocks.first.wait_for()
    assert TITLE in page.locator(".info .title").inner_text()
    assert blocks.count() == len(operations)
    shown = {
        (
            blocks.nth(i).locator(".opblock-summary-method").inner_text().lower(),
            blocks.nth(i).locator(".opblock-summary-path").get_attribute("data-path"),
        )
        for i in range(blocks.count())
    }
    assert shown == {(method, path) for method, path, _summary in operations}

    # The overview documents the list's filters (test_api_docs.py): shown as its parameters.
    overview = page.locator(".opblock-get", has=page.locator("[data-path='/api/v1/overview/']"))
    overview.locator(".opblock-summary").click()
    for name in ("status", "owner", "q", "group_by", "as_of"):
        assert overview.locator(f"tr[data-param-name='{name}']").is_visible(), name

    # "Try it out" asks this server, which the policy allows.
    institutes = page.locator(".opblock-get", has=page.locator("[data-path='/api/v1/institutes/']"))
    institutes.locator(".opblock-summary").click()
    institutes.locator("button.try-out__btn").click()
    institutes.locator("button.execute").click()
    status = institutes.locator(".live-responses-table .response .response-col_status")
    status.wait_for()
    assert status.inner_text().strip() == "200"

    watched.assert_clean(live_server.url)
    assert f"{live_server.url}/api/v1/institutes/" in watched.requests


def test_redoc_shows_every_operation_and_searches(watched, live_server, operations):
    page = watched.page
    response = page.goto(f"{live_server.url}/api/redoc/")
    assert response.status == 200
    assert "default-src 'self'" in response.headers["content-security-policy"]
    sections = page.locator("[data-section-id*='/operation/']")
    sections.first.wait_for()
    assert TITLE in page.locator("h1").first.inner_text()
    assert sections.count() == len(operations)
    headings = set(sections.locator("h2").all_inner_texts())
    assert {summary for _method, _path, summary in operations if summary} <= headings

    # The search index is built in a worker, which the policy allows from a blob.
    page.locator("input[placeholder='Search...']").fill("overview")
    results = page.locator("[data-role='search:results'] li")
    results.first.wait_for()
    assert any("Follow-up overview" in text for text in results.all_inner_texts())

    # Redocly's footer link is hidden; its logo was never asked for (see assert_clean).
    assert page.locator("a[href$='redocly.com/redoc/']").is_hidden()

    watched.assert_clean(live_server.url)
    assert f"{live_server.url}/api/redoc/redoc.standalone.js" in watched.requests

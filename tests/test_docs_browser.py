"""The two API documentation pages, Swagger UI and Redoc, in a real browser: headless Chromium
(Debian's `chromium` package) driven by Playwright, against pytest-django's live server.

They must work under their Content-Security-Policy (viona/api/docs.py) and load nothing from
elsewhere: every request is recorded and any console error fails the test, which includes the
error Chromium logs when the policy blocks something.

Skipped when the browser or Playwright is missing, unless VIONA_REQUIRE_BROWSER=1 (as in CI),
then it fails. The set-up is that of tests/test_overview_browser.py.
"""

import os
from pathlib import Path

import pytest
from django.test import Client

CHROMIUM = Path("/usr/bin/chromium")
TITLE = "VIONA Recommendation Tracker API"


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (Debian's chromium package)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"Playwright for Python cannot be imported: {error}"
    return None


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module."""
    missing = _missing()
    if missing:
        if os.environ.get("VIONA_REQUIRE_BROWSER") == "1":
            pytest.fail(f"VIONA_REQUIRE_BROWSER=1 but {missing}", pytrace=False)
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API marks this thread as running an event loop; the database
    # teardown runs here too.
    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()


def _local(url: str, server_url: str) -> bool:
    # data: images (Swagger UI's icons) and the blob: Redoc makes its search worker from are
    # no requests to anywhere.
    return url.startswith((f"{server_url}/", "data:", f"blob:{server_url}/"))


class Watched:
    """A page with every request it made and every console error or uncaught exception."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))

    def assert_clean(self, server_url: str) -> None:
        self.page.wait_for_load_state("networkidle")
        assert self.errors == []
        outside = [url for url in self.requests if not _local(url, server_url)]
        assert outside == [], "requests left the server"
        assert self.requests, "no request recorded"


@pytest.fixture
def watched(browser, live_server):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    # Recorded above; aborted here so that a stray request never reaches the network.
    context.route(lambda url: not _local(url, live_server.url), lambda route: route.abort())
    yield Watched(context.new_page())
    context.close()


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

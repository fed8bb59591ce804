"""Every HTML page carries a Content-Security-Policy (viona/csp.py) and works under it in a
real browser: a blocked script or style is a console error, which fails the test."""

import pytest

from recommendations.services import transition_status

PAGES = [
    "/admin/login/",
    "/admin/",
    "/admin/recommendations/recommendation/",
    "/admin/recommendations/recommendation/{pk}/change/",
    "/admin/recommendations/statuschange/",
    "/api/v1/recommendations/",
    "/api/v1/recommendations/{code}/",
    "/overview/?since=2000-01-01",
]


@pytest.fixture
def logged_in(watched, live_server, superuser, client):
    """The browser page with the superuser's session cookie."""
    client.force_login(superuser)
    cookie = client.cookies["sessionid"]
    watched.page.context.add_cookies(
        [{"name": "sessionid", "value": cookie.value, "url": live_server.url}]
    )
    return watched


@pytest.mark.parametrize("path", PAGES)
def test_each_page_works_under_its_policy(logged_in, live_server, recommendation, superuser, path):
    transition_status(
        recommendation=recommendation, to_status="accepted", user=superuser, note="ok"
    )
    url = live_server.url + path.format(pk=recommendation.pk, code=recommendation.code)
    response = logged_in.page.goto(url)
    assert response.status == 200
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    if not path.startswith("/api/"):  # DRF's browsable API styles elements inline
        assert "'unsafe-inline'" not in policy
    assert "script-src 'self';" in policy
    logged_in.assert_clean(live_server.url)


def test_an_inline_style_that_is_not_declared_is_blocked(client, recommendation):
    """The policy is not decoration: the overview's inline stylesheet is allowed by its hash,
    and only that one."""
    response = client.get("/overview/")
    policy = response["Content-Security-Policy"]
    assert "style-src 'self' 'sha256-" in policy
    assert "'unsafe-inline'" not in policy
    assert client.get("/admin/login/")["Content-Security-Policy"].count("sha256") == 0

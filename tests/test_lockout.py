"""Repeated failed logins lock an account out from an address (django-axes, viona.settings).

tests/test_production.py checks the same against gunicorn in production mode, behind a proxy.
"""

import io

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

LOGIN = "/admin/login/?next=/admin/"


def log_in(client, password, username="editor", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra).status_code


def fail_five_times(client, username="editor", **extra):
    return [log_in(client, "wrong", username, **extra) for _ in range(5)]


@pytest.fixture
def client(client):
    """As a browser from one address; the admin's form, which passes the request to Axes."""
    client.defaults["REMOTE_ADDR"] = "192.0.2.10"
    return client


def test_five_failures_lock_out_the_right_password_until_reset(client, editor):
    assert fail_five_times(client) == [200, 200, 200, 200, 429]
    response = client.post(
        LOGIN, {"username": "editor", "password": "pw"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 429
    assert "try again in 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session

    call_command("axes_reset_username", "editor", stdout=io.StringIO())
    assert log_in(client, "pw") == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_axes_reset_unlocks_everyone(client, editor):
    fail_five_times(client)
    call_command("axes_reset", stdout=io.StringIO())
    assert log_in(client, "pw") == 302


def test_the_lockout_is_per_account_and_address(client, editor, coordinator):
    fail_five_times(client)
    assert log_in(client, "pw", REMOTE_ADDR="192.0.2.11") == 302
    assert log_in(client, "pw", username="coordinator") == 302
    assert log_in(client, "pw") == 429


def test_a_success_clears_the_count(client, editor):
    assert [log_in(client, "wrong") for _ in range(4)] == [200] * 4
    assert log_in(client, "pw") == 302
    client.logout()
    assert [log_in(client, "wrong") for _ in range(4)] == [200] * 4


def test_a_spoofed_forwarded_for_does_not_escape_the_lockout(client, editor):
    codes = [log_in(client, "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}") for n in range(5)]
    assert codes == [200, 200, 200, 200, 429]
    assert log_in(client, "pw", HTTP_X_FORWARDED_FOR="10.0.0.99") == 429


def test_behind_a_proxy_the_address_it_saw_is_locked_out(client, editor, settings):
    settings.VIONA_TRUSTED_PROXIES = 1

    def via_proxy(address, claimed="10.9.9.9"):
        return {"HTTP_X_FORWARDED_FOR": f"{claimed}, {address}"}

    codes = [log_in(client, "wrong", **via_proxy("198.51.100.7", f"10.0.0.{n}")) for n in range(5)]
    assert codes == [200, 200, 200, 200, 429]
    assert log_in(client, "pw", **via_proxy("198.51.100.7")) == 429
    assert log_in(client, "pw", **via_proxy("198.51.100.8")) == 302


def test_a_locked_out_account_keeps_its_api_token(client, editor, recommendation):
    """The lockout guards the password; a token is another credential, revoked on its own."""
    fail_five_times(client)
    token = Token.objects.create(user=editor)
    response = APIClient().post(
        f"/api/v1/recommendations/{recommendation.code}/transition/",
        {"to_status": "accepted"},
        format="json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 200


def test_a_session_from_the_login_form_writes_through_the_api(editor, recommendation):
    api = APIClient(enforce_csrf_checks=True)
    assert api.get("/admin/login/").status_code == 200
    token = api.cookies["csrftoken"].value
    response = api.post(
        LOGIN, {"username": "editor", "password": "pw", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    response = api.post(
        f"/api/v1/recommendations/{recommendation.code}/transition/",
        {"to_status": "accepted"},
        format="json",
        HTTP_X_CSRFTOKEN=api.cookies["csrftoken"].value,
    )
    assert response.status_code == 200

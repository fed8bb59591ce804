"""Production mode refuses to start half-configured and passes Django's deployment checks."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

ROOT = Path(__file__).resolve().parent.parent
HASHED = re.compile(r"\.[0-9a-f]{12}\.")  # a name from the static files manifest
GOOD_KEY = "k8Jq2vN5xR1tY7uW3zA9bC4dE6fG0hI2jK5lM8nO1pQ4rS7tU0vW3xY6zA9bC2dE5f"


def manage(*args, **environment):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({}, "needs DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "short"}, "needs DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "a" * 60}, "needs DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": GOOD_KEY}, "needs DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_half_configured(environment, message):
    result = manage("check", DJANGO_DEBUG="false", **environment)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_passes_the_deployment_checks():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_ALLOWED_HOSTS="opvolging.vlaanderen.be",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_mode_is_the_zero_configuration_default():
    result = manage("diffsettings", "--all")
    assert "DEBUG = True" in result.stdout


@pytest.mark.parametrize(
    ("throttle", "who"),
    [(AnonRateThrottle, None), (UserRateThrottle, "reader")],
)
def test_api_use_is_throttled(api, make_user, monkeypatch, throttle, who):
    monkeypatch.setattr(throttle, "THROTTLE_RATES", {"anon": "3/minute", "user": "3/minute"})
    if who:
        api.force_authenticate(make_user(who))
    codes = [api.get("/api/v1/reports/").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def production_environment(tmp_path_factory):
    """A deployment behind one proxy (which terminates TLS and appends to X-Forwarded-For)."""
    work = tmp_path_factory.mktemp("production")
    return {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": GOOD_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_BEHIND_TLS_PROXY": "true",
        "VIONA_TRUSTED_PROXIES": "1",
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
    }


@pytest.fixture(scope="module")
def production_server(production_environment):
    """What `make serve` runs: migrate, collectstatic, gunicorn (2 workers), in production mode."""
    import time

    port = _free_port()
    environment = production_environment
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        result = manage(*command, **environment)
        assert result.returncode == 0, result.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "viona.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env={**env, **environment},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            fetch(f"{base}/api/v1/")
        except OSError:
            time.sleep(0.1)
        else:
            break
    yield base
    server.terminate()
    server.wait(timeout=10)


def fetch(url, https=True, method="GET", body=None, headers=()):
    """(status, headers, body) without following redirects."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    headers = {**({"X-Forwarded-Proto": "https"} if https else {}), **dict(headers)}
    connection.request(
        method, parts.path + (f"?{parts.query}" if parts.query else ""), body, headers=headers
    )
    response = connection.getresponse()
    return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")


def test_production_serves_hashed_static_files_offline(production_server):
    status, headers, html = fetch(f"{production_server}/api/docs/")
    assert status == 200
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assets = re.findall(r"""(?:src|href)=["'](/static/[^"']+)["']""", html)
    assert assets, html
    for asset in assets:
        assert HASHED.search(asset), asset
        status, headers, _ = fetch(production_server + asset)
        assert status == 200, asset
        assert "immutable" in headers["Cache-Control"]


def test_production_pages_and_errors(production_server):
    status, _, body = fetch(f"{production_server}/api/v1/recommendations/")
    assert (status, json.loads(body)["count"]) == (200, 0)
    status, _, html = fetch(f"{production_server}/admin/login/")
    assert status == 200 and HASHED.search(html)
    status, _, html = fetch(f"{production_server}/overview/?group_by=owner")
    assert status == 200 and "<form" in html
    status, _, body = fetch(f"{production_server}/nergens/")
    assert status == 404 and "Traceback" not in body and "URLconf" not in body
    status, headers, _ = fetch(f"{production_server}/api/v1/reports/", https=False)
    assert status == 301 and headers["Location"].startswith("https://")


def behind_the_proxy(address, claimed=None):
    """The X-Forwarded-For the proxy sends on: what the client wrote, then the address it saw."""
    return {"X-Forwarded-For": f"{claimed}, {address}" if claimed else address}


def test_production_rate_holds_across_workers_and_spoofed_headers(production_server):
    """The documented 120 anonymous answers a minute per client, counted once for both workers,
    whatever X-Forwarded-For the client writes itself."""
    url = f"{production_server}/api/v1/institutes/"
    codes = [
        fetch(url, headers=behind_the_proxy("203.0.113.10", f"10.0.{n // 256}.{n % 256}"))[0]
        for n in range(121)
    ]
    assert codes == [200] * 120 + [429]
    assert fetch(url, headers=behind_the_proxy("203.0.113.11"))[0] == 200  # its own count


def admin_login(base, username, password, address, claimed=None):
    """The admin's login form, posted from behind the proxy: the answer's status."""
    from urllib.parse import urlencode

    _, headers, _ = fetch(f"{base}/admin/login/", headers=behind_the_proxy(address))
    token = re.search(r"csrftoken=(\w+)", headers["Set-Cookie"]).group(1)
    form = {"username": username, "password": password, "csrfmiddlewaretoken": token}
    status, _, _ = fetch(
        f"{base}/admin/login/?next=/admin/",
        method="POST",
        body=urlencode(form),
        headers={
            **behind_the_proxy(address, claimed),
            "Cookie": f"csrftoken={token}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"{base.replace('http:', 'https:')}/admin/login/",
        },
    )
    return status


def test_production_locks_out_repeated_failed_logins(production_server, production_environment):
    import secrets

    password = secrets.token_urlsafe(16)
    result = manage(
        *("set_role", "officer", "--role", "coordinator", "--password-env", "VIONA_PASSWORD"),
        VIONA_PASSWORD=password,
        **production_environment,
    )
    assert result.returncode == 0, result.stderr
    address = "198.51.100.20"

    failures = [
        admin_login(production_server, "officer", "wrong", address, claimed=f"10.1.0.{n}")
        for n in range(5)
    ]
    assert failures == [200, 200, 200, 200, 429]
    assert admin_login(production_server, "officer", password, address) == 429
    assert admin_login(production_server, "officer", password, "198.51.100.21") == 302

    result = manage("axes_reset_username", "officer", **production_environment)
    assert result.returncode == 0, result.stderr
    assert admin_login(production_server, "officer", password, address) == 302

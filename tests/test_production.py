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
def production_server(tmp_path_factory):
    """What `make serve` runs: migrate, collectstatic, gunicorn, in production mode."""
    import time

    work = tmp_path_factory.mktemp("production")
    port = _free_port()
    environment = {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": GOOD_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_BEHIND_TLS_PROXY": "true",
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
    }
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        result = manage(*command, **environment)
        assert result.returncode == 0, result.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "viona.wsgi",
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


def fetch(url, https=True):
    """(status, headers, body) without following redirects."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    headers = {"X-Forwarded-Proto": "https"} if https else {}
    connection.request(
        "GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers
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

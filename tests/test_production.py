"""Production mode refuses to start half-configured and passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

ROOT = Path(__file__).resolve().parent.parent
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

"""The API's rates count per client address (viona.clientip), in the shared database cache.

tests/test_production.py checks the same against gunicorn with two workers in production mode.
"""

import pytest
from django.db import connection
from django.test import RequestFactory
from rest_framework.throttling import SimpleRateThrottle

from viona.clientip import client_ip

URL = "/api/v1/institutes/"


@pytest.fixture
def rate_of_ten(monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "10/minute", "user": "10/minute"}
    )


@pytest.fixture
def database_cache(settings):
    """The deployment's cache (conftest's fresh_cache swaps in memory for the tests)."""
    from django.core.cache import cache

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "viona_cache",
        }
    }
    cache.clear()


def forwarded(n):
    return f"10.{n // 65536}.{n // 256 % 256}.{n % 256}"


def test_a_new_forwarded_for_on_each_request_does_not_reset_the_count(db, api, rate_of_ten):
    codes = [api.get(URL, HTTP_X_FORWARDED_FOR=forwarded(n)).status_code for n in range(300)]
    assert codes == [200] * 10 + [429] * 290


def test_behind_one_proxy_the_address_it_saw_is_counted(db, api, rate_of_ten, settings):
    settings.VIONA_TRUSTED_PROXIES = 1
    codes = [
        api.get(URL, HTTP_X_FORWARDED_FOR=f"{forwarded(n)}, 198.51.100.7").status_code
        for n in range(12)
    ]
    assert codes == [200] * 10 + [429] * 2
    assert api.get(URL, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 200


def test_the_counts_live_in_the_database_cache(db, api, rate_of_ten, database_cache):
    codes = [api.get(URL, HTTP_X_FORWARDED_FOR=forwarded(n)).status_code for n in range(11)]
    assert codes == [200] * 10 + [429]
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM viona_cache")
        keys = [key for (key,) in cursor.fetchall()]
    assert any("throttle_anon_127.0.0.1" in key for key in keys), keys


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, None, "192.0.2.1"),
        (0, "203.0.113.5", "192.0.2.1"),
        (1, None, "192.0.2.1"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "10.0.0.1, 203.0.113.5", "203.0.113.5"),
        (1, "203.0.113.5 , ", "192.0.2.1"),
        (1, "not an address", "192.0.2.1"),
        (1, "2001:DB8::1", "2001:db8::1"),
        (2, "10.0.0.1, 203.0.113.5, 198.51.100.9", "203.0.113.5"),
        (2, "203.0.113.5", "203.0.113.5"),
    ],
)
def test_client_address(settings, proxies, forwarded_for, expected):
    settings.VIONA_TRUSTED_PROXIES = proxies
    extra = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", **extra)
    assert client_ip(request) == expected


def test_the_overview_page_counts_against_the_api_rate(client, rate_of_ten, recommendation):
    """The page runs the overview API's computation: it is no way around the rate."""
    answers = [client.get("/overview/", REMOTE_ADDR="192.0.2.9").status_code for _n in range(11)]
    assert answers == [200] * 10 + [429]
    refused = client.get("/overview/", REMOTE_ADDR="192.0.2.9")
    assert int(refused["Retry-After"]) >= 1
    assert client.get("/overview/", REMOTE_ADDR="192.0.2.10").status_code == 200

"""No lost updates under real concurrent requests (PostgreSQL: row locks are real there)."""

import itertools
import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from recommendations.models import Recommendation, StatusChange

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locking is tested on PostgreSQL"
    ),
]


def send(url, method, payload, token, headers=()):
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        method=method,
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Token {token}",
            **dict(headers),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def race(calls):
    """Start all calls at the same moment; their status codes."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return send(*call)

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_concurrent_transitions_from_the_same_state_apply_once(live_server, recommendation, editor):
    token = Token.objects.create(user=editor).key
    url = f"{live_server.url}/api/v1/recommendations/{recommendation.code}/transition/"
    targets = ["accepted", "not_accepted", "in_progress", "superseded"] * 2
    calls = [(url, "POST", {"to_status": target, "note": "tegelijk"}, token) for target in targets]

    codes = race(calls)

    assert codes.count(200) >= 1
    # The others were refused from the state they found (a reopening needs a coordinator).
    assert set(codes) <= {200, 400, 403}
    changes = list(StatusChange.objects.order_by("changed_at", "id"))
    # The history is a chain: each change starts where the previous one ended.
    assert changes[0].from_status == "open"
    for before, after in itertools.pairwise(changes):
        assert after.from_status == before.to_status
    item = Recommendation.objects.get(pk=recommendation.pk)
    assert item.status == changes[-1].to_status
    assert item.version == 1 + len(changes) == 1 + codes.count(200)


def test_concurrent_patches_with_if_match_let_exactly_one_through(
    live_server, recommendation, editor
):
    token = Token.objects.create(user=editor).key
    url = f"{live_server.url}/api/v1/recommendations/{recommendation.code}/"
    calls = [
        (url, "PATCH", {"due_date": f"2027-0{n}-01"}, token, {"If-Match": '"1"'})
        for n in range(1, 7)
    ]

    codes = race(calls)

    assert sorted(codes) == [200] + [412] * 5
    item = Recommendation.objects.get(pk=recommendation.pk)
    assert item.version == 2
    assert item.due_date_revisions.count() == 1

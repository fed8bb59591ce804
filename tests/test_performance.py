"""How lists, history and the database connection are kept fast at 100,000 items (see
bench/RESULTS.md): pages found by their keys first, fixed query counts, no JIT, frozen
start-up objects."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers

from recommendations.models import Status
from recommendations.services import transition_status

ROOT = Path(__file__).resolve().parent.parent
URL = "/api/v1/recommendations/"


@pytest.fixture
def many(make_recommendation, other_report, organisations):
    for n in range(12):
        make_recommendation(
            position=f"{n % 4}.{n}",
            owner=organisations["vdab"] if n % 2 else None,
            status=Status.ACCEPTED if n % 2 else Status.OPEN,
            due_date=f"2027-0{1 + n % 3}-01",
            **({"report": other_report} if n % 3 == 0 else {}),
        )


def all_codes(api, params):
    body = api.get(URL, {**params, "page_size": 200}).json()
    return [item["code"] for item in body["results"]]


def paged_codes(api, params, page_size=5):
    codes, page = [], 1
    while True:
        response = api.get(URL, {**params, "page_size": page_size, "page": page})
        if response.status_code == 404:
            return codes
        codes += [item["code"] for item in response.json()["results"]]
        page += 1


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"ordering": "-code"},
        {"ordering": "due_date,code"},
        {"status": ["accepted"], "ordering": "-report__sequence,code"},
        {"q": "aanbeveling"},
    ],
)
def test_pages_walk_every_item_once_in_the_list_order(api, many, params):
    whole = all_codes(api, params)
    assert whole, "the scenario must match something"
    assert paged_codes(api, params) == whole


def test_a_page_is_found_by_its_keys_first(api, many):
    """The database sorts and skips keys, and reads the joined rows of one page only."""
    with CaptureQueriesContext(connection) as queries:
        api.get(URL, {"page": 2, "page_size": 5})
    page_query = next(q["sql"] for q in queries if "reports_report" in q["sql"])
    outer, _, keys = page_query.partition(" IN (SELECT ")
    assert "LIMIT" not in outer
    assert "LIMIT 5 OFFSET 5" in keys


def test_history_costs_a_fixed_number_of_queries(api, recommendation, coordinator):
    def history_queries():
        with CaptureQueriesContext(connection) as queries:
            response = api.get(f"{URL}{recommendation.code}/history/")
        assert response.status_code == 200
        return len(queries), len(response.json())

    before, events_before = history_queries()
    for to_status in ("under_consideration", "accepted", "in_progress"):
        transition_status(recommendation=recommendation, to_status=to_status, user=coordinator)
    after, events_after = history_queries()
    assert events_after >= events_before + 3
    # the item, its status changes, due date revisions, audit entries (and their type)
    assert before == after <= 5


def test_choice_labels_follow_each_request_language(api, make_recommendation):
    item = make_recommendation(status=Status.ACCEPTED)
    url = f"{URL}{item.code}/"

    def label(language):
        return api.get(url, HTTP_ACCEPT_LANGUAGE=language).json()["status"]["label"]

    assert [label("nl-be"), label("en"), label("nl-be")] == ["Aanvaard", "Accepted", "Aanvaard"]


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_the_wsgi_application_freezes_what_loading_created():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", "import gc, viona.wsgi; print(gc.get_freeze_count())"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 10_000


@pytest.mark.django_db
def test_postgresql_connections_are_kept_and_checked():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    assert connection.settings_dict["CONN_MAX_AGE"] == 60
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize("code", ["R05.1-3.2", "R01-1 é%", "R01-1+;=&'@~:", "Ωμέγα-1"])
def test_links_reversed_once_are_what_drf_reverses_each_time(make_recommendation, code):
    from rest_framework.serializers import HyperlinkedIdentityField
    from rest_framework.test import APIRequestFactory

    from viona.api.fields import IdentityUrlField

    item = make_recommendation(code=code)
    for host in ("testserver", "localhost:8000"):
        request = APIRequestFactory().get("/api/v1/recommendations/", HTTP_HOST=host)
        fields = [
            kind(view_name="recommendation-detail", lookup_field="code")
            for kind in (HyperlinkedIdentityField, IdentityUrlField)
        ]
        for field in fields:
            field.bind("url", serializers.Serializer(context={"request": request}))
        drf, ours = (field.to_representation(item) for field in fields)
        assert ours == drf and host in ours

"""Changing a recommendation: PATCH, due dates and their revisions, ETag and If-Match."""

import datetime as dt

import pytest
from django.utils import timezone

from recommendations.models import DueDateRevision, Recommendation

URL = "/api/v1/recommendations/"


def patch(client, item, payload, **headers):
    return client.patch(f"{URL}{item.code}/", payload, format="json", **headers)


def test_first_due_date_is_free_and_a_change_needs_a_reason(api_as, editor, recommendation):
    client = api_as(editor)
    assert patch(client, recommendation, {"due_date": "2027-06-30"}).status_code == 200

    refused = patch(client, recommendation, {"due_date": "2027-12-31"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "due_date_reason" in refused.json()

    done = patch(client, recommendation, {"due_date": "2027-12-31", "due_date_reason": "budget"})
    body = done.json()
    assert (body["due_date"], body["original_due_date"]) == ("2027-12-31", "2027-06-30")
    revisions = list(DueDateRevision.objects.values_list("previous_date", "new_date", "reason"))
    assert revisions == [
        (None, dt.date(2027, 6, 30), ""),
        (dt.date(2027, 6, 30), dt.date(2027, 12, 31), "budget"),
    ]


def test_clearing_a_due_date_needs_a_reason(api_as, editor, recommendation):
    client = api_as(editor)
    patch(client, recommendation, {"due_date": "2027-06-30"})
    assert patch(client, recommendation, {"due_date": None}).status_code == 400
    assert (
        patch(client, recommendation, {"due_date": None, "due_date_reason": "x"}).json()["due_date"]
        is None
    )


def test_overdue_means_open_past_the_due_date(api_as, api, editor, recommendation):
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    patch(api_as(editor), recommendation, {"due_date": yesterday})
    assert api.get(f"{URL}{recommendation.code}/").json()["is_overdue"] is True
    api_as(editor).post(
        f"{URL}{recommendation.code}/transition/",
        {"to_status": "implemented", "note": "klaar"},
        format="json",
    )
    assert api.get(f"{URL}{recommendation.code}/").json()["is_overdue"] is False


def test_coordinator_changes_catalogue_fields(api_as, coordinator, recommendation, domains):
    response = patch(
        api_as(coordinator),
        recommendation,
        {
            "owner": "syntra-vlaanderen",
            "priority": "high",
            "priority_rationale": "vraag van de minister",
            "primary_domain": "onderwijs",
            "related_domains": ["activering"],
            "addressees": ["vdab", "syntra-vlaanderen"],
            "horizon": "short",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["owner"]["slug"] == "syntra-vlaanderen"
    assert body["priority"]["value"] == "high"
    assert [d["slug"] for d in body["related_domains"]] == ["activering"]
    assert body["version"] == 2


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"status": "implemented"}, "status"),
        ({"version": 9}, "version"),
        ({"code": "R99-1"}, "code"),
        ({"owner": "nobody"}, "owner"),
        ({"priority": "urgent"}, "priority"),
        ({"due_date": "31/12/2027"}, "due_date"),
        ({"follow_up_officer": "ghost"}, "follow_up_officer"),
        ({"title": "x" * 501}, "title"),
        ({}, "detail"),
    ],
)
def test_bad_patches_get_400_naming_the_field(api_as, coordinator, recommendation, payload, field):
    response = patch(api_as(coordinator), recommendation, payload)
    assert response.status_code == 400
    assert field in response.json()
    recommendation.refresh_from_db()
    assert recommendation.version == 1


def test_detail_has_an_etag_that_changes_with_each_write(api, api_as, editor, recommendation):
    first = api.get(f"{URL}{recommendation.code}/")
    assert first["ETag"] == '"1"'
    write = patch(api_as(editor), recommendation, {"due_date": "2027-01-31"})
    assert write["ETag"] == '"2"'
    assert api.get(f"{URL}{recommendation.code}/")["ETag"] == '"2"'


def test_if_match_guards_against_lost_updates(api_as, editor, coordinator, recommendation):
    # Both read version 1; the coordinator writes first.
    assert (
        patch(
            api_as(coordinator), recommendation, {"priority": "high"}, HTTP_IF_MATCH='"1"'
        ).status_code
        == 200
    )
    late = patch(api_as(editor), recommendation, {"due_date": "2027-01-31"}, HTTP_IF_MATCH='"1"')
    assert late.status_code == 412
    assert "gewijzigd sinds u ze las" in late.json()["detail"]  # Dutch by default
    recommendation.refresh_from_db()
    assert (recommendation.due_date, recommendation.version) == (None, 2)
    late_move = api_as(editor).post(
        f"{URL}{recommendation.code}/transition/",
        {"to_status": "accepted"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert late_move.status_code == 412
    fresh = patch(api_as(editor), recommendation, {"due_date": "2027-01-31"}, HTTP_IF_MATCH='"2"')
    assert fresh.status_code == 200
    assert (
        patch(
            api_as(editor),
            recommendation,
            {"due_date": None, "due_date_reason": "x"},
            HTTP_IF_MATCH="*",
        ).status_code
        == 200
    )


# Weak, unknown and listed tags: tests/test_conditional_requests.py.
@pytest.mark.parametrize("header", ["1", '"1" "2"', '"1'])
def test_malformed_if_match_is_400(api_as, editor, recommendation, header):
    response = patch(
        api_as(editor), recommendation, {"due_date": "2027-01-31"}, HTTP_IF_MATCH=header
    )
    assert response.status_code == 400
    assert "If-Match" in response.json()["detail"]


def test_unchanged_patch_does_not_bump_the_version(api_as, editor, recommendation):
    patch(api_as(editor), recommendation, {"due_date": "2027-01-31"})
    again = patch(api_as(editor), recommendation, {"due_date": "2027-01-31"})
    assert again.json()["version"] == 2
    assert Recommendation.objects.get(pk=recommendation.pk).version == 2

"""Changing status through the API: POST .../{code}/transition/."""

import pytest

from recommendations.models import Status, StatusChange


def transition_url(code):
    return f"/api/v1/recommendations/{code}/transition/"


def test_staff_moves_an_item_and_gets_it_back(api_as, editor, recommendation):
    response = api_as(editor).post(
        transition_url(recommendation.code), {"to_status": "accepted"}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"]["value"] == "accepted"
    assert body["version"] == 2
    change = StatusChange.objects.get()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "open",
        "accepted",
        editor,
    )


def test_closing_with_note_and_evidence(api_as, editor, recommendation):
    response = api_as(editor).post(
        transition_url(recommendation.code),
        {
            "to_status": "implemented",
            "note": "Opgenomen in het nieuwe decreet",
            "evidence_url": "https://www.werk.be/decreet",
        },
        format="json",
    )
    assert response.status_code == 200
    change = StatusChange.objects.get()
    assert change.note == "Opgenomen in het nieuwe decreet"
    assert change.evidence_url == "https://www.werk.be/decreet"


def test_refused_transition_names_the_allowed_targets(api_as, editor, recommendation):
    client = api_as(editor)
    client.post(transition_url(recommendation.code), {"to_status": "accepted"}, format="json")

    response = client.post(
        transition_url(recommendation.code),
        {"to_status": "not_accepted", "note": "toch niet"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    body = response.json()
    # the list is data (values); the message is read by a person (labels, no code)
    assert body["allowed"] == ["in_progress", "implemented", "partially_implemented", "superseded"]
    assert body["detail"] == (
        "Cannot move from “Accepted” to “Not accepted”. "
        "Allowed: In progress, Implemented, Partially implemented, Superseded."
    )
    assert StatusChange.objects.count() == 1


def test_missing_note_is_400(api_as, editor, recommendation):
    response = api_as(editor).post(
        transition_url(recommendation.code),
        {"to_status": "superseded"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "note" in response.json()["detail"]
    assert not StatusChange.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"to_status": "done"},
        {},
        {"to_status": "implemented", "note": "x", "evidence_url": "not a url"},
        {"to_status": "accepted", "note": "x" * 10001},
    ],
)
def test_invalid_payload_is_400_naming_the_field(api_as, editor, recommendation, payload):
    response = api_as(editor).post(transition_url(recommendation.code), payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) & {"to_status", "evidence_url", "note"}
    assert not StatusChange.objects.exists()


def test_malformed_json_is_400(api_as, editor, recommendation):
    response = api_as(editor).post(
        transition_url(recommendation.code),
        data='{"to_status": "accepted"',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_unknown_code_is_404(api_as, editor, recommendation):
    response = api_as(editor).post(
        transition_url("R99-1"), {"to_status": "accepted"}, format="json"
    )
    assert response.status_code == 404


def test_anonymous_gets_401(api, recommendation):
    response = api.post(transition_url(recommendation.code), {"to_status": "accepted"})
    assert response.status_code == 401
    assert not StatusChange.objects.exists()


def test_non_staff_user_gets_403(api_as, plain_user, recommendation):
    response = api_as(plain_user).post(
        transition_url(recommendation.code), {"to_status": "accepted"}, format="json"
    )
    assert response.status_code == 403


def test_reopening_needs_a_coordinator(api_as, editor, coordinator, recommendation):
    api_as(editor).post(
        transition_url(recommendation.code),
        {"to_status": "not_accepted", "note": "geen budget"},
        format="json",
    )
    reopen = {"to_status": "under_consideration", "note": "nieuw budget"}

    refused = api_as(editor).post(transition_url(recommendation.code), reopen, format="json")
    allowed = api_as(coordinator).post(transition_url(recommendation.code), reopen, format="json")

    assert refused.status_code == 403
    assert allowed.status_code == 200
    assert allowed.json()["status"]["value"] == Status.UNDER_CONSIDERATION


def test_token_authentication(api, editor, recommendation):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=editor)
    response = api.post(
        transition_url(recommendation.code),
        {"to_status": "accepted"},
        format="json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 200


def test_session_writes_need_csrf(editor, recommendation):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.login(username="editor", password="pw")
    response = client.post(transition_url(recommendation.code), {"to_status": "accepted"})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


@pytest.mark.parametrize("method", ["put", "delete"])
def test_no_other_writes_on_recommendations(api_as, superuser, recommendation, method):
    response = getattr(api_as(superuser), method)(
        f"/api/v1/recommendations/{recommendation.code}/", {}, format="json"
    )
    assert response.status_code == 405

"""Bad and hostile input gets a clear 4xx, never a 500, and is shown escaped."""

import json

import pytest

URL = "/api/v1/recommendations/"


@pytest.mark.parametrize(
    "params",
    [
        {"q": "'; DROP TABLE recommendations_recommendation; --"},
        {"q": "<script>alert(1)</script>"},
        {"q": "%_%"},
        {"q": "\u202egnp.exe \u0000"},
        {"q": "🇧🇪 Ë́ ẞ ﬁ \ufeff"},
        {"q": "x" * 5000},
        {"report_id": "99999999999999999999999"},
        {"report_id": "-1"},
        {"owner_id": "1e9"},
        {"owner": "vdab\u0000"},
        {"parent": "R01-1\u0000"},
        {"due_before": "9999-99-99"},
        {"due_after": "0000-01-01"},
        {"changed_since": "2026-02-30T25:61"},
        {"page": "-1"},
        {"page_size": "-5"},
        {"page_size": "1e100"},
        {"ordering": "-; DROP"},
    ],
)
def test_hostile_query_parameters_never_break_the_list(api, recommendation, params):
    response = api.get(URL, params)
    assert response.status_code in (200, 400, 404), response.content
    if response.status_code == 200:
        assert "results" in response.json()


@pytest.mark.parametrize(
    "path",
    ["R01-1%00/", "%00/history/", "..%2F..%2Fetc%2Fpasswd/", "R01-1'%20OR%201=1/", "Ωμέγα/"],
)
def test_hostile_paths(api, recommendation, path):
    assert api.get(f"{URL}{path}").status_code in (400, 404)


@pytest.mark.parametrize(
    "payload",
    [
        {"title": "<img src=x onerror=alert(1)>"},
        {"text": "Robert'); DROP TABLE students;--"},
        {"title": "Ë́ — “quote” 🇧🇪"},
    ],
)
def test_hostile_text_is_stored_verbatim_and_shown_escaped(
    api_as, coordinator, client, superuser, recommendation, payload
):
    response = api_as(coordinator).patch(f"{URL}{recommendation.code}/", payload, format="json")
    assert response.status_code == 200
    recommendation.refresh_from_db()
    field, value = next(iter(payload.items()))
    assert getattr(recommendation, field) == value
    client.force_login(superuser)
    html = client.get("/admin/recommendations/recommendation/").content.decode()
    assert "<img src=x onerror" not in html


@pytest.mark.parametrize(
    "payload",
    [
        {"title": "a\u0000b"},
        {"owner": "vdab\u0000"},
        {"related_domains": ["werk\u0000"]},
        {"due_date": "2027-02-30"},
        {"due_date": 20270101},
        {"priority": None},
        {"addressees": "vdab"},
        {"related_domains": [{"slug": "werk"}]},
    ],
)
def test_hostile_bodies_get_400(api_as, coordinator, recommendation, payload):
    response = api_as(coordinator).patch(f"{URL}{recommendation.code}/", payload, format="json")
    assert response.status_code == 400, response.content
    recommendation.refresh_from_db()
    assert recommendation.version == 1


def test_oversized_payload_is_refused(api_as, coordinator, recommendation):
    huge = {"to_status": "accepted", "note": "x" * 2_000_000}
    response = api_as(coordinator).post(
        f"{URL}{recommendation.code}/transition/", huge, format="json"
    )
    assert response.status_code == 413
    recommendation.refresh_from_db()
    assert recommendation.status == "open"


@pytest.mark.parametrize(
    "body", ["[]", '"accepted"', "null", '{"to_status": ["accepted"]}', "{" * 5000]
)
def test_malformed_transition_bodies(api_as, coordinator, recommendation, body):
    response = api_as(coordinator).post(
        f"{URL}{recommendation.code}/transition/", body, content_type="application/json"
    )
    assert response.status_code == 400


# Lone surrogates ("\ud800": valid JSON, but no character), anywhere in a body


@pytest.mark.parametrize(
    ("action", "payload", "where"),
    [
        ("transition/", {"to_status": "\ud800"}, "to_status"),
        ("transition/", {"to_status": "accepted", "note": "a\udfffb"}, "note"),
        ("transition/", {"to_status": "accepted", "a\ud800": 1}, "a name in the body"),
        ("", {"priority": "\ud800"}, "priority"),
        ("", {"horizon": "x\udbff"}, "horizon"),
        ("", {"addressees": ["vdab", "\ud800"]}, "addressees[1]"),
        ("", {"a\ud800": "x"}, "a name in the body"),
        ("", {"related_domains": [{"slug\udc00": 1}]}, "a name in related_domains[0]"),
    ],
)
def test_a_lone_surrogate_is_a_400_naming_where_it_is(
    api_as, coordinator, recommendation, action, payload, where
):
    method = api_as(coordinator).post if action else api_as(coordinator).patch
    response = method(
        f"{URL}{recommendation.code}/{action}",
        json.dumps(payload),  # escapes the surrogate as \ud800, as any JSON client does
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400, response.content
    detail = response.json()["detail"]
    assert detail.startswith(f"JSON parse error - {where} holds a lone surrogate (\\u")
    recommendation.refresh_from_db()
    assert (recommendation.version, recommendation.status) == (1, "open")


# Deep nesting


@pytest.mark.parametrize(
    "body",
    [
        "[" * 1000 + "]" * 1000,
        '{"a": ' * 1000 + "1" + "}" * 1000,
        '{"to_status": ' + "[" * 100 + "]" * 100 + "}",  # parses, but deeper than any field
        '{"addressees": ' + "[" * 33 + "]" * 33 + "}",
    ],
)
@pytest.mark.parametrize("action", ["", "transition/"])
def test_deep_nesting_is_a_400(api_as, coordinator, recommendation, body, action):
    method = api_as(coordinator).post if action else api_as(coordinator).patch
    response = method(
        f"{URL}{recommendation.code}/{action}",
        body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400, response.content
    assert response.json() == {"detail": "JSON parse error - nested more than 32 levels deep."}


# Integers past Python's integer-string limit (4,300 digits) and digits int() refuses


HUGE = "9" * 4301


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/recommendations/", "report_id"),
        ("/api/v1/recommendations/", "owner_id"),
        ("/api/v1/recommendations/export/", "owner_id"),
        ("/api/v1/overview/", "report_id"),
        ("/api/v1/overview/", "owner_id"),
        ("/api/v1/reports/", "institute_id"),
    ],
)
@pytest.mark.parametrize("value", [HUGE, "²"])
def test_an_id_no_column_holds_is_a_400_naming_the_parameter(
    api, recommendation, url, parameter, value
):
    response = api.get(url, {parameter: value})
    assert response.status_code == 400, response.content
    assert set(response.json()) == {parameter}


@pytest.mark.parametrize("parameter", ["report_id", "owner_id"])
@pytest.mark.parametrize("value", [HUGE, "²"])
def test_the_overview_page_names_an_id_no_column_holds(client, recommendation, parameter, value):
    response = client.get("/overview/", {parameter: value})
    assert response.status_code == 400
    assert parameter in response.content.decode()

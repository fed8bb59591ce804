"""If-Match as RFC 9110 (13.1.1) has it, on both writes: a list of entity tags compared
strongly, or ``*``; a tag that is not the current one is a 412, a header that is not an
entity tag list a 400."""

import pytest

from recommendations.models import Recommendation

URL = "/api/v1/recommendations/"


def patch(client, item, if_match):
    return client.patch(
        f"{URL}{item.code}/",
        {"due_date": "2027-01-31"},
        format="json",
        HTTP_IF_MATCH=if_match,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def transition(client, item, if_match):
    return client.post(
        f"{URL}{item.code}/transition/",
        {"to_status": "accepted"},
        format="json",
        HTTP_IF_MATCH=if_match,
        HTTP_ACCEPT_LANGUAGE="en",
    )


WRITES = [patch, transition]


@pytest.fixture
def at_version_3(recommendation):
    Recommendation.objects.filter(pk=recommendation.pk).update(version=3)
    recommendation.refresh_from_db()
    return recommendation


def unchanged(item) -> bool:
    item.refresh_from_db()
    return (item.version, item.status, item.due_date) == (3, "open", None)


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize(
    "if_match",
    [
        '"3"',
        "*",
        ' "3" ',
        '"1", "3"',
        '"3", "stale"',
        '"stale","3"',
        'W/"3", "3"',
        ', "1" ,, "3",',  # empty list elements are allowed
    ],
)
def test_a_list_holding_the_current_tag_matches(api_as, editor, at_version_3, write, if_match):
    response = write(api_as(editor), at_version_3, if_match)
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"4"'


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize(
    "if_match",
    [
        '"stale"',  # well-formed, never issued
        '""',
        'W/"3"',  # weak: never matches (strong comparison)
        '"1", "2"',
        '"03"',  # not the same opaque tag
        '"' + "9" * 4301 + '"',  # past Python's integer-string limit: still just a tag
        '"9223372036854775808"',
        '"a,b"',  # a comma inside a tag is part of it
    ],
)
def test_a_tag_that_is_not_the_current_one_is_a_412_and_writes_nothing(
    api_as, editor, at_version_3, write, if_match
):
    response = write(api_as(editor), at_version_3, if_match)
    assert response.status_code == 412, response.content
    assert response.json()["detail"] == (
        "The recommendation changed since you read it; fetch it again and retry."
    )
    assert unchanged(at_version_3)


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize(
    "if_match",
    [
        "3",  # not quoted
        '"3',
        '3"',
        '"3" "4"',  # no comma between
        '"3";"4"',
        "W/3",
        'w/"3"',  # W is case-sensitive
        '"3", *',  # "*" stands alone
        "**",
        '"a"b"',
        '"tab\there"',
        '"3 "',  # no spaces in a tag
        '"ü€"',  # not a header's bytes
        "",
        " , ",
    ],
)
def test_a_header_that_is_not_an_entity_tag_list_is_a_400(
    api_as, editor, at_version_3, write, if_match
):
    response = write(api_as(editor), at_version_3, if_match)
    assert response.status_code == 400, response.content
    assert "If-Match" in response.json()["detail"]
    assert unchanged(at_version_3)


def test_star_does_not_match_what_does_not_exist(api_as, coordinator):
    response = api_as(coordinator).patch(
        f"{URL}R99-1/", {"priority": "high"}, format="json", HTTP_IF_MATCH="*"
    )
    assert response.status_code == 404


def test_the_tag_is_compared_with_the_row_the_write_locks(api_as, editor, at_version_3):
    """The version is read again under the lock: a write in between makes the old tag stale."""
    client = api_as(editor)
    assert patch(client, at_version_3, '"3"').status_code == 200
    again = client.patch(
        f"{URL}{at_version_3.code}/",
        {"due_date": None, "due_date_reason": "x"},
        format="json",
        HTTP_IF_MATCH='"3"',
    )
    assert again.status_code == 412
    at_version_3.refresh_from_db()
    assert at_version_3.version == 4

"""Dates from outside are ISO 8601 (YYYY-MM-DD) in every language and lie from 1900-01-01 to
9999-12-31: anything else is a 400 (or a CommandError) naming the parameter, never a 500 and
never a date read differently per language."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from recommendations.services import update_recommendation

OVERVIEW = "/api/v1/overview/"
LIST = "/api/v1/recommendations/"
EXPORT = "/api/v1/recommendations/export/"
REPORTS = "/api/v1/reports/"
PAGE = "/overview/"

# Every query parameter that takes a date, where it is taken.
DATE_PARAMETERS = [
    (OVERVIEW, "as_of"),
    (OVERVIEW, "since"),
    (OVERVIEW, "due_after"),
    (OVERVIEW, "due_before"),
    (OVERVIEW, "changed_since"),
    (LIST, "due_after"),
    (LIST, "due_before"),
    (LIST, "changed_since"),
    (EXPORT, "due_before"),
    (EXPORT, "changed_since"),
    (REPORTS, "published_after"),
    (REPORTS, "published_before"),
]
LANGUAGES = ["nl-be", "en"]

NOT_ISO = ["03/04/2026", "30-06-2026", "30/06/2026", "20260630", "2026-W26-1", "2026-6-3"]
OUT_OF_RANGE = ["0001-01-01", "1899-12-31"]
FORMAT_MESSAGE = "Enter a date as YYYY-MM-DD."
DATE_TIME_FORMAT_MESSAGE = "Enter a date as YYYY-MM-DD, or a date and time as YYYY-MM-DDTHH:MM."
RANGE_MESSAGE = "Enter a date from 1900-01-01 to 9999-12-31."


def format_message(parameter):
    return DATE_TIME_FORMAT_MESSAGE if parameter == "changed_since" else FORMAT_MESSAGE


def refused(api, url, parameter, value, language="en"):
    response = api.get(url, {parameter: value}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400, (value, language, response.content)
    assert response["Content-Type"] == "application/json"
    errors = response.json()
    assert list(errors) == [parameter]
    return errors[parameter]


# One test per parameter, each trying every value in every language: the same cases as a
# test per value, for a twelfth of the database set-up.
@pytest.mark.parametrize(("url", "parameter"), DATE_PARAMETERS)
def test_year_one_and_zero_are_a_400_naming_the_parameter(api, recommendation, url, parameter):
    for language in LANGUAGES:
        for value in ["0001-01-01", "0000-01-01", "0000-00-00", "1899-12-31"]:
            refused(api, url, parameter, value, language)


@pytest.mark.parametrize(("url", "parameter"), DATE_PARAMETERS)
def test_only_iso_dates_whatever_the_language(api, recommendation, url, parameter):
    for language in LANGUAGES:
        for value in NOT_ISO:
            refused(api, url, parameter, value, language)


@pytest.mark.parametrize(("url", "parameter"), DATE_PARAMETERS)
def test_the_messages_say_what_to_enter(api, recommendation, url, parameter):
    assert refused(api, url, parameter, "03/04/2026") == [format_message(parameter)]
    assert refused(api, url, parameter, "0001-01-01") == [RANGE_MESSAGE]
    # 0000-01-01 is not a date at all (there is no year 0).
    assert refused(api, url, parameter, "0000-01-01") == [format_message(parameter)]


def test_the_messages_speak_dutch(api, recommendation):
    assert refused(api, OVERVIEW, "as_of", "03/04/2026", "nl-be") == [
        "Geef een datum als JJJJ-MM-DD."
    ]
    assert refused(api, LIST, "due_before", "1899-12-31", "nl-be") == [
        "Geef een datum van 1900-01-01 tot 9999-12-31."
    ]


@pytest.mark.parametrize(("url", "parameter"), DATE_PARAMETERS)
def test_iso_dates_from_1900_work(api, scenario, url, parameter):
    for language in LANGUAGES:
        for value in ["2026-04-03", "1900-01-01"]:
            response = api.get(url, {parameter: value}, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, (value, language, response.content)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_date_means_the_same_day_in_every_language(api, scenario, language):
    response = api.get(
        OVERVIEW, {"as_of": "2026-04-03", "since": "2026-03-01"}, HTTP_ACCEPT_LANGUAGE=language
    )
    data = response.json()
    assert (data["as_of"], data["since"]) == ("2026-04-03", "2026-03-01")
    assert {change["code"] for change in data["changes"]} == {"R01-1", "R05.1-1"}


@pytest.mark.parametrize(
    ("value", "codes"),
    [
        ("2026-09-01", {"R05.1-1"}),
        ("2026-09-01T09:00", {"R05.1-1"}),
        ("2026-09-01T10:00:00+02:00", {"R05.1-1"}),
        ("2026-09-01T07:59:59.5Z", {"R05.1-1"}),  # 09:59:59.5 in Brussels
        ("2026-09-01T08:00:00.5Z", set()),  # just after the change, at 10:00
        ("2026-07-15 09:59", {"R01-1", "R05.1-1"}),
    ],
)
def test_changed_since_takes_a_date_or_a_moment(api, scenario, value, codes):
    response = api.get(LIST, {"changed_since": value, "page_size": 100})
    assert response.status_code == 200, response.content
    assert {item["code"] for item in response.json()["results"]} == codes


@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01T00:00",
        "0001-01-01T00:30+00:00",
        "1899-12-31T23:59",
        "9999-12-31T23:00-05:00",  # 10000-01-01 in UTC
        "9999-12-31T23:30+00:00",  # 10000-01-01 in Brussels
    ],
)
def test_changed_since_moments_outside_the_range_are_a_400(api, recommendation, value):
    response = api.get(LIST, {"changed_since": value}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content
    assert response.json() == {"changed_since": [RANGE_MESSAGE]}


def test_changed_since_the_last_local_moment_is_in_range(api, scenario):
    # Brussels is ahead of UTC: its last moment of 9999 is still a moment in UTC.
    response = api.get(LIST, {"changed_since": "9999-12-31T23:59:59"})
    assert response.status_code == 200, response.content
    assert response.json()["results"] == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "params",
    [{"since": "0001-01-01"}, {"as_of": "03/04/2026"}, {"changed_since": "0001-01-01"}],
)
def test_the_overview_page_shows_the_error_with_a_400(client, scenario, language, params):
    response = client.get(PAGE, params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert 'id="overview-table"' not in response.content.decode()


def test_the_overview_page_names_the_rule(client, scenario):
    response = client.get(PAGE, {"since": "0001-01-01"}, HTTP_ACCEPT_LANGUAGE="en")
    assert RANGE_MESSAGE in response.content.decode()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--as-of", "30/06/2026"], f"--as-of: {FORMAT_MESSAGE}"),
        (["--since", "03/04/2026"], f"--since: {FORMAT_MESSAGE}"),
        (["--since", "0001-01-01"], f"--since: {RANGE_MESSAGE}"),
        (["--as-of", "0000-01-01"], f"--as-of: {FORMAT_MESSAGE}"),
        (["--changed-since", "0001-01-01"], f"--changed-since: {RANGE_MESSAGE}"),
        (["--changed-since", "30-06-2026"], f"--changed-since: {DATE_TIME_FORMAT_MESSAGE}"),
        (["--due-before", "03/04/2026"], f"--due-before: {FORMAT_MESSAGE}"),
        (["--due-after", "0001-01-01"], f"--due-after: {RANGE_MESSAGE}"),
    ],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_command_refuses_other_dates_in_every_language(
    scenario, tmp_path, arguments, message, language
):
    path = tmp_path / "out.md"
    with pytest.raises(CommandError) as error:
        call_command("followup_overview", *arguments, "--language", language, "--output", path)
    assert not path.exists()
    # Named in the chosen language (English until the Dutch is in the catalogue).
    assert str(error.value).startswith(f"{arguments[0]}: ")
    if language == "en":
        assert str(error.value) == message


def test_the_command_takes_iso_dates(scenario, tmp_path):
    path = tmp_path / "out.md"
    call_command(
        "followup_overview",
        *["--as-of", "2026-04-03", "--since", "1900-01-01", "--changed-since", "1900-01-01"],
        *["--language", "en", "--output", path],
    )
    assert "- **Status as of**: 2026-04-03" in path.read_text("utf-8")


@pytest.mark.parametrize("value", ["0001-01-01", "1899-12-31"])
def test_a_due_date_before_1900_is_a_400(api_as, coordinator, recommendation, value):
    response = api_as(coordinator).patch(
        f"{LIST}{recommendation.code}/",
        {"due_date": value},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400, response.content
    assert response.json() == {"due_date": [RANGE_MESSAGE]}
    recommendation.refresh_from_db()
    assert (recommendation.due_date, recommendation.version) == (None, 1)


def test_a_due_date_in_range_is_taken(api_as, coordinator, recommendation):
    response = api_as(coordinator).patch(
        f"{LIST}{recommendation.code}/", {"due_date": "1900-01-01"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["due_date"] == "1900-01-01"


def test_the_service_refuses_a_due_date_out_of_range(coordinator, recommendation, english):
    """The admin and the commands write through the service: the model's rule holds there."""
    with pytest.raises(ValidationError) as error:
        update_recommendation(
            recommendation=recommendation,
            user=coordinator,
            changes={"due_date": dt.date(1, 1, 1)},
        )
    assert error.value.message_dict == {"due_date": [RANGE_MESSAGE]}
    recommendation.refresh_from_db()
    assert recommendation.due_date is None
    assert not recommendation.due_date_revisions.exists()

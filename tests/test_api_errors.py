"""Error answers: always JSON, as documented, and bad paging parameters named in a 400."""

import pytest

LIST_URLS = [
    "/api/v1/reports/",
    "/api/v1/recommendations/",
    "/api/v1/policy-domains/",
    "/api/v1/organisations/",
    "/api/v1/institutes/",
]
EXPORT = "/api/v1/recommendations/export/"
OVERVIEW = "/api/v1/overview/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def schema(client):
    return client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


@pytest.fixture
def two_of_each(make_recommendation, other_report, organisations):
    """At least two reports, institutes, domains, organisations and recommendations."""
    make_recommendation(position="1")
    make_recommendation(position="2")


# Errors of the file downloads


@pytest.mark.parametrize(
    ("url", "params", "headers"),
    [
        (EXPORT, {"format": "csv", "status": "bogus"}, {}),
        (EXPORT, {"format": "xlsx", "status": "bogus"}, {}),
        (EXPORT, {"status": "bogus"}, {"HTTP_ACCEPT": "text/csv"}),
        (EXPORT, {"status": "bogus"}, {"HTTP_ACCEPT": XLSX}),
        (EXPORT, {"format": "csv", "ordering": "nope"}, {}),
        (EXPORT, {"format": "pdf"}, {}),
        (OVERVIEW, {"format": "csv", "group_by": "bogus"}, {}),
        (OVERVIEW, {"format": "xlsx", "as_of": "bogus"}, {}),
        (OVERVIEW, {"status": "bogus"}, {"HTTP_ACCEPT": "text/csv"}),
    ],
)
def test_a_refused_download_answers_in_json_as_documented(
    api, schema, recommendation, url, params, headers
):
    response = api.get(url, params, **headers)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body and all(isinstance(messages, list) for messages in body.values()), body
    documented = schema["paths"][url]["get"]["responses"]["400"]["content"]
    assert set(documented) == {"application/json"}


def test_a_download_without_a_login_answers_in_json(api, settings, recommendation):
    settings.VIONA_PUBLIC_READ = False
    response = api.get(EXPORT, {"format": "xlsx"})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


# Paging parameters


PAGE_SIZE_MESSAGE = "Enter a whole number of 1 or more; a page holds at most 200 items."
PAGE_MESSAGE = "Enter a page number: a whole number of 1 or more, or “last”."
BAD_PAGING = [
    *(("page_size", value, PAGE_SIZE_MESSAGE) for value in ["abc", "0", "-3", "2.5", "1e3", " "]),
    *(("page", value, PAGE_MESSAGE) for value in ["abc", "0", "-1", "2.5", "first", "１x"]),
]


@pytest.mark.parametrize("url", LIST_URLS)
def test_a_bad_paging_parameter_is_a_400_naming_it(api, two_of_each, url):
    for parameter, value, message in BAD_PAGING:
        response = api.get(url, {parameter: value}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400, (parameter, value, response.content)
        assert response["Content-Type"] == "application/json"
        assert response.json() == {parameter: [message]}


@pytest.mark.parametrize("url", LIST_URLS)
def test_both_bad_paging_parameters_are_named_at_once(api, two_of_each, url):
    response = api.get(url, {"page": "x", "page_size": "0"})
    assert response.status_code == 400
    assert set(response.json()) == {"page", "page_size"}


def test_paging_messages_are_in_dutch_by_default(api, two_of_each):
    body = api.get("/api/v1/recommendations/", {"page": "0", "page_size": "nul"}).json()
    assert body == {
        "page": ["Geef een paginanummer in: een geheel getal van 1 of meer, of “last”."],
        "page_size": [
            "Geef een geheel getal van 1 of meer in; een pagina bevat hoogstens 200 items."
        ],
    }


@pytest.mark.parametrize("url", LIST_URLS)
def test_good_paging_parameters_still_page(api, two_of_each, url):
    everything = api.get(url).json()
    assert everything["count"] >= 2
    first = api.get(url, {"page_size": "1"}).json()
    assert first["count"] == everything["count"]
    assert first["results"] == everything["results"][:1]
    assert first["previous"] is None and "page=2" in first["next"]
    second = api.get(url, {"page_size": "1", "page": "2"}).json()
    assert second["results"] == everything["results"][1:2]
    last = api.get(url, {"page_size": "1", "page": "last"}).json()
    assert last["results"] == everything["results"][-1:] and last["next"] is None
    # As before: empty means not given, a page size above the maximum is capped.
    assert api.get(url, {"page": "", "page_size": ""}).json() == everything
    assert api.get(url, {"page_size": "100000"}).json() == everything
    spaced = api.get(url, {"page": " 2 ", "page_size": "+1"}).json()  # as int() reads them
    assert spaced["results"] == second["results"]


@pytest.mark.parametrize("url", LIST_URLS)
def test_a_page_past_the_last_is_still_a_404(api, two_of_each, url):
    response = api.get(url, {"page": "999"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("url", LIST_URLS)
def test_the_schema_documents_the_paging_answers(schema, url):
    operation = schema["paths"][url]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    for name in ("page", "page_size"):
        assert parameters[name]["schema"] == {"type": "integer", "minimum": 1}
    assert {"200", "400", "404"} <= set(operation["responses"])


@pytest.mark.parametrize(
    ("language", "detail"), [("en", "Not found."), ("nl-be", "Niet gevonden.")]
)
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/recommendations/R99-9/",
        "/api/v1/recommendations/R99-9/history/",
        "/api/v1/reports/nothing-here/",
        "/api/v1/policy-domains/nothing-here/",
    ],
)
def test_unknown_identifiers_are_404_in_the_clients_language(api, db, url, language, detail):
    response = api.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert response.json() == {"detail": detail}

"""A query parameter an endpoint does not declare is a 400 naming it, not silently ignored;
every parameter the OpenAPI schema documents is taken (viona/api/views.py)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from viona.api.views import DeclaredQueryParametersOnly

UNKNOWN = "Unknown parameter."


def _refused(response, name) -> bool:
    if response.status_code != 400:
        return False
    messages = response.json().get(name, [])
    return any(str(message).startswith(UNKNOWN) for message in messages)


@pytest.mark.parametrize(
    "path, query",
    [
        ("/api/v1/recommendations/", "stauts=open"),
        ("/api/v1/recommendations/", "follow_up_officer=admin"),
        ("/api/v1/recommendations/export/", "stauts=open"),
        ("/api/v1/overview/", "groupby=owner"),
        ("/api/v1/reports/", "titel=Naar"),
        ("/api/v1/organisations/", "naam=vdab"),
        ("/api/v1/institutes/", "nam=idea"),
        ("/api/v1/policy-domains/", "parnt=werk"),
        ("/api/v1/", "stauts=open"),
    ],
)
def test_an_unknown_parameter_is_a_400_naming_it(api, recommendation, english, path, query):
    name = query.split("=")[0]
    response = api.get(f"{path}?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert _refused(response, name), response.json()


def test_the_message_lists_what_the_endpoint_takes(api, recommendation):
    response = api.get("/api/v1/recommendations/?stauts=open&page=1", HTTP_ACCEPT_LANGUAGE="en")
    assert list(response.json()) == ["stauts"]
    message = response.json()["stauts"][0]
    for name in ("status", "ordering", "page", "page_size", "format"):
        assert name in message


def test_a_known_parameter_still_filters(api, recommendation):
    response = api.get("/api/v1/recommendations/?status=open&ordering=code&page_size=10")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_an_item_takes_no_list_parameters(api, recommendation):
    path = f"/api/v1/recommendations/{recommendation.code}/"
    assert api.get(f"{path}?format=json").status_code == 200
    assert _refused(api.get(f"{path}?status=open", HTTP_ACCEPT_LANGUAGE="en"), "status")
    assert _refused(api.get(f"{path}history/?page=2", HTTP_ACCEPT_LANGUAGE="en"), "page")


def _sample(parameter) -> str:
    schema = parameter.get("schema", {})
    if schema.get("type") == "array":
        schema = schema.get("items", {})
    if "enum" in schema:
        return str(schema["enum"][0])
    if schema.get("format") in ("date", "date-time"):
        return "2026-01-01"
    return {"boolean": "true", "integer": "1"}.get(schema.get("type"), "x")


def test_every_parameter_the_schema_documents_is_taken(
    api_as, plain_user, recommendation, report, institute, domains, organisations, english
):
    api = api_as(plain_user)  # a logged-in reader's rate: some hundred requests follow
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    slugs = {
        "reports": report.slug,
        "institutes": institute.slug,
        "policy-domains": "werk",
        "organisations": "vdab",
    }
    checked = 0
    for path, item in schema["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        url = path.replace("{code}", recommendation.code)
        if "{slug}" in url:
            url = url.replace("{slug}", slugs[path.split("/")[3]])
        stray = api.get(url, {"not_a_parameter": "1"}, HTTP_ACCEPT_LANGUAGE="en")
        assert _refused(stray, "not_a_parameter"), path
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            name = parameter["name"]
            response = api.get(url, {name: _sample(parameter)}, HTTP_ACCEPT_LANGUAGE="en")
            assert not _refused(response, name), (path, name)
            checked += 1
    assert checked > 80  # the lists' filters, the export's, the overviews'


def _views(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_every_api_view_refuses_what_it_does_not_declare():
    api_views = [
        (route, callback)
        for route, callback in _views(get_resolver().url_patterns)
        if route.startswith("api/v1/")
    ]
    assert len(api_views) > 10
    for route, callback in api_views:
        view_class = getattr(callback, "cls", None) or callback.view_class
        assert issubclass(view_class, DeclaredQueryParametersOnly), route

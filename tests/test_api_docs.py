"""OpenAPI schema and the two documentation pages, served without the internet."""

import re

import pytest
from django.core.management import call_command

ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")
OUTSIDE = re.compile(r"""(?:https?:)?//[a-z0-9.-]+""", re.IGNORECASE)


def test_schema_describes_every_endpoint(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) >= {
        "/api/v1/reports/",
        "/api/v1/reports/{slug}/",
        "/api/v1/institutes/",
        "/api/v1/policy-domains/",
        "/api/v1/organisations/",
        "/api/v1/recommendations/",
        "/api/v1/recommendations/{code}/",
        "/api/v1/recommendations/{code}/history/",
        "/api/v1/recommendations/{code}/transition/",
    }
    listing = schema["paths"]["/api/v1/recommendations/"]["get"]
    parameters = {p["name"] for p in listing["parameters"]}
    assert parameters >= {
        "status",
        "report",
        "institute",
        "primary_domain",
        "domain",
        "owner",
        "addressee",
        "priority",
        "horizon",
        "due_before",
        "due_after",
        "overdue",
        "changed_since",
        "top_level",
        "q",
        "ordering",
        "page",
        "page_size",
    }
    assert {"200", "400", "401"} <= set(listing["responses"])
    transition = schema["paths"]["/api/v1/recommendations/{code}/transition/"]["post"]
    assert {"200", "400", "401", "403", "404"} <= set(transition["responses"])


def test_schema_documents_the_error_answers_of_every_operation(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operations = [(path, op) for path, item in schema["paths"].items() for op in item.values()]
    assert len(operations) == 15
    for path, operation in operations:
        responses = set(operation["responses"])
        assert {"401", "429"} <= responses, path
        if any(p["in"] == "query" for p in operation.get("parameters", [])):
            assert "400" in responses, path
    assert "404" in schema["paths"]["/api/v1/recommendations/"]["get"]["responses"]  # page
    for path in ("/api/v1/overview/", "/api/v1/recommendations/export/"):
        assert "400" in schema["paths"][path]["get"]["responses"]


def test_schema_documents_every_error_answer_as_json_only(client):
    # Errors are JSON even where the answer is a CSV or XLSX file (see test_api_errors.py).
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    errors = [
        (f"{method.upper()} {path} {code}", response)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        for code, response in operation["responses"].items()
        if code.startswith("4")
    ]
    assert len(errors) > 40
    for where, response in errors:
        assert set(response.get("content", {})) == {"application/json"}, where
    downloads = schema["paths"]["/api/v1/recommendations/export/"]["get"]["responses"]
    assert set(downloads["200"]["content"]) == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }


def test_schema_validates_without_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_doc_pages_load_nothing_from_outside(client, page):
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assets = ASSET.findall(html)
    assert assets, "the page names its scripts"
    assert not OUTSIDE.search(html), OUTSIDE.search(html).group(0)
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200, asset
        body = b"".join(served.streaming_content) if served.streaming else served.content
        assert body, asset


def test_swagger_ui_does_not_call_the_online_validator(client):
    # Swagger UI otherwise sends the schema to validator.swagger.io for a badge.
    assert '"validatorUrl": null' in client.get("/api/docs/").content.decode()

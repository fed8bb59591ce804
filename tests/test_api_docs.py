"""OpenAPI schema and the two documentation pages, served without the internet."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from viona.api.docs import REDOC_BUNDLE, REDOCLY_LOGO

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


def test_the_export_and_the_overview_document_the_filters_they_apply(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    def query_parameters(path):
        operation = schema["paths"][path]["get"]
        return {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}

    listing = query_parameters("/api/v1/recommendations/")
    export = query_parameters("/api/v1/recommendations/export/")
    overview = query_parameters("/api/v1/overview/")
    for name in ("status", "owner", "q"):
        assert name in export and name in overview, name
    filters = {name: p for name, p in listing.items() if name not in {"page", "page_size"}}
    assert "ordering" in filters
    # The export filters and orders as the list does (its filter_queryset), unpaginated.
    assert {name: p for name, p in export.items() if name != "format"} == filters
    # The overview applies the same filters itself; counts have no order, so no `ordering`.
    options = {"group_by", "as_of", "since", "format"}
    assert options <= set(overview)
    # (`as_of` is both: the list's filter, the overview's option.)
    assert {name: p for name, p in overview.items() if name not in options} == {
        name: p for name, p in filters.items() if name not in options | {"ordering"}
    }


def test_schema_documents_the_error_answers_of_every_operation(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operations = [(path, op) for path, item in schema["paths"].items() for op in item.values()]
    assert len(operations) == 17
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
    # Swagger UI otherwise sends the schema to validator.swagger.io for a badge. Its start-up
    # script is not inline (the page's Content-Security-Policy forbids that) but at ?script.
    page = client.get("/api/docs/").content.decode()
    assert '<script src="/api/docs/?script="></script>' in page
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert '"validatorUrl": null' in script.content.decode()


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_doc_pages_may_load_from_this_server_only(client, page):
    policy = client.get(page)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in directives.get("script-src", directives["default-src"])
    for directive, sources in directives.items():
        assert "http" not in sources and "*" not in sources, directive


def test_redoc_is_served_without_redoclys_logo(client):
    page = client.get("/api/redoc/").content.decode()
    assert '<script src="/api/redoc/redoc.standalone.js"></script>' in page
    sidecar = finders.find(REDOC_BUNDLE)
    with open(sidecar, encoding="utf-8") as original:
        assert REDOCLY_LOGO in original.read()  # still what there is to replace
    response = client.get("/api/redoc/redoc.standalone.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    bundle = response.content.decode()
    assert "cdn.redoc.ly" not in bundle
    assert "Redoc" in bundle and len(bundle) > 500_000
    again = client.get("/api/redoc/redoc.standalone.js", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


RESOURCES = {
    "institutes",
    "reports",
    "policy domains",
    "organisations",
    "recommendations",
    "overview",
}


def test_every_operation_has_a_summary_and_its_resource_as_its_one_tag(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    tags = set()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            where = f"{method.upper()} {path}"
            # Redoc and Swagger UI head each operation with its summary, else its operationId.
            assert operation.get("summary", "").strip(), where
            assert operation["summary"] != operation["operationId"], where
            assert len(operation["tags"]) == 1, where
            tags.update(operation["tags"])
    assert tags == RESOURCES
    assert {tag["name"] for tag in schema["tags"]} == RESOURCES
    assert schema["paths"]["/api/v1/recommendations/export/"]["get"]["tags"] == ["recommendations"]
    assert schema["paths"]["/api/v1/policy-domains/"]["get"]["tags"] == ["policy domains"]


def test_the_schema_names_the_serving_host_not_example_org(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    # Relative: Swagger UI and Redoc resolve it against the host that served the schema.
    assert response.json()["servers"] == [{"url": "/", "description": "This server"}]
    assert "example.org" not in response.content.decode()


@pytest.mark.parametrize(
    "path, dutch, english",
    [
        ("/api/v1/recommendations/", "Aanbevelingen", "Recommendations"),
        ("/api/v1/recommendations/{code}/", "Aanbeveling", "Recommendation"),
        ("/api/v1/reports/", "Rapporten", "Reports"),
        ("/api/v1/", "VIONA API", "VIONA API"),
    ],
)
def test_the_browsable_api_names_its_pages_in_the_readers_language(
    client, recommendation, path, dutch, english
):
    url = path.format(code=recommendation.code)
    for language, name in (("nl-be", dutch), ("en", english)):
        page = client.get(url, HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE=language)
        assert page.status_code == 200
        html = page.content.decode()
        assert f"<h1>{name}</h1>" in html, (language, url)
        for generated in ("Recommendation List", "Recommendation Instance", "Api Root"):
            assert generated not in html

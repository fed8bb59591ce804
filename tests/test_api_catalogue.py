"""Reports, institutes, policy domains and organisations through the API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_reports_show_institutes_authors_and_month(api, report, other_report, recommendation):
    body = api.get("/api/v1/reports/").json()
    assert body["count"] == 2
    first = body["results"][0]
    assert first["number"] == "1"
    assert first["institutes"] == ["IDEA Consult"]
    assert first["authors"] == "An De Coen"
    assert first["publication_month"] == "2015-04"
    assert first["keywords"] == ["sectorconvenants"]
    assert first["recommendation_count"] == 1
    assert body["results"][1]["source_ranges"] == [[1782, 2335], [2777, 2903]]


def test_report_detail_by_slug_and_filters(api, report, other_report):
    assert api.get("/api/v1/reports/arbeidsbemiddelaar/").json()["number"] == "5.1"
    assert api.get("/api/v1/reports/nope/").status_code == 404
    by_institute = api.get("/api/v1/reports/", {"institute": "hiva"}).json()
    assert [r["number"] for r in by_institute["results"]] == ["5.1"]
    by_search = api.get("/api/v1/reports/", {"q": "SECTORALE"}).json()
    assert [r["number"] for r in by_search["results"]] == ["1"]
    assert api.get("/api/v1/reports/", {"institute": "nobody"}).status_code == 400


def test_institutes(api, institute, other_institute):
    body = api.get("/api/v1/institutes/").json()
    assert [i["slug"] for i in body["results"]] == ["hiva", "idea-consult"]
    assert api.get("/api/v1/institutes/hiva/").json()["short_name"] == "HIVA"


def test_policy_domains_with_parent(api, domains):
    body = api.get("/api/v1/policy-domains/", {"parent": "werk"}).json()
    assert [(d["slug"], d["parent"]) for d in body["results"]] == [("activering", "werk")]
    top = api.get("/api/v1/policy-domains/", {"top_level": "true"}).json()
    assert {d["slug"] for d in top["results"]} == {"werk", "onderwijs"}


def test_organisations_with_kind_label(api, organisations):
    body = api.get("/api/v1/organisations/", {"kind": "agency"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["count"] == 2
    assert body["results"][0]["kind"] == {"value": "agency", "label": "Agency"}
    assert api.get("/api/v1/organisations/", {"kind": "alien"}).status_code == 400


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/api/v1/reports/", 3),  # count, page, the page's institutes
        ("/api/v1/institutes/", 2),  # count, page
        ("/api/v1/policy-domains/", 2),
        ("/api/v1/organisations/", 2),
    ],
)
def test_catalogue_lists_cost_a_fixed_number_of_queries(
    api, url, expected, report, other_report, domains, organisations, grow_catalogue
):
    def queries_for(page_size):
        with CaptureQueriesContext(connection) as queries:
            response = api.get(url, {"page_size": page_size})
        assert response.status_code == 200
        return len(queries), len(response.json()["results"])

    assert queries_for(1) == (expected, 1)
    grow_catalogue(12)  # a dozen more of each: reports, institutes, domains, organisations
    assert queries_for(1) == (expected, 1)
    counted, shown = queries_for(200)
    assert counted == expected and shown >= 13


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_catalogue_is_read_only(api_as, superuser, report, method):
    url = "/api/v1/reports/" if method == "post" else f"/api/v1/reports/{report.slug}/"
    assert getattr(api_as(superuser), method)(url, {}, format="json").status_code == 405


def test_reading_can_require_login(api, api_as, plain_user, report, settings):
    settings.VIONA_PUBLIC_READ = False
    assert api.get("/api/v1/reports/").status_code == 401
    assert api.get("/api/v1/recommendations/").status_code == 401
    assert api_as(plain_user).get("/api/v1/reports/").status_code == 200


def test_api_root_lists_every_endpoint(api):
    body = api.get("/api/v1/").json()
    assert set(body) == {
        "institutes",
        "reports",
        "policy-domains",
        "organisations",
        "recommendations",
    }

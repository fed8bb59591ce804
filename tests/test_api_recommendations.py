"""Reading recommendations through the API: fields, filters, search, ordering, pagination."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recommendations.models import Priority, Recommendation, Status

URL = "/api/v1/recommendations/"


def codes(response):
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["results"]]


@pytest.fixture
def catalogue(make_recommendation, other_report, domains, organisations):
    """A small catalogue with one item per facet that the filters tell apart."""
    today = timezone.localdate()
    piste = make_recommendation(
        position="1",
        title="Sectorconvenant continueren",
        text="Het instrument van de sectorconvenants continueren.",
        owner=organisations["vdab"],
        addressees=[organisations["vdab"], organisations["syntra"]],
        priority=Priority.HIGH,
        horizon="short",
        due_date=today - dt.timedelta(days=10),
    )
    make_recommendation(
        position="1.1",
        parent=piste,
        title="Flexibele menusetting",
        text="Werkzoekenden sneller begeleiden.",
        primary_domain=domains["activering"],
        due_date=today + dt.timedelta(days=30),
    )
    make_recommendation(
        report=other_report,
        position="2",
        title="Discretionaire ruimte",
        text="Bemiddelaars krijgen ruimte.",
        primary_domain=domains["onderwijs"],
        related_domains=[domains["activering"]],
        owner=organisations["syntra"],
        status=Status.IMPLEMENTED,
        due_date=today - dt.timedelta(days=5),
        horizon="long",
    )
    return Recommendation.objects.order_by("code")


def test_list_shows_provenance_follow_up_and_labelled_choices(api, catalogue):
    response = api.get(URL, {"code": "R01-1"}, HTTP_ACCEPT_LANGUAGE="en")

    [item] = response.json()["results"]
    assert item["code"] == "R01-1"
    assert item["report"]["number"] == "1"
    assert item["report"]["slug"] == "sectorale-insteek"
    assert item["position"] == "1"
    assert item["parent"] is None
    assert item["source_lines"] == [
        item_source(catalogue, "R01-1")[0],
        item_source(catalogue, "R01-1")[1],
    ]
    assert item["status"] == {"value": "open", "label": "Open"}
    assert item["priority"] == {"value": "high", "label": "High"}
    assert item["horizon"] == {"value": "short", "label": "Short term"}
    assert [a["slug"] for a in item["addressees"]] == ["syntra-vlaanderen", "vdab"]
    assert item["owner"]["slug"] == "vdab"
    assert item["primary_domain"]["slug"] == "werk"
    assert item["is_overdue"] is True
    assert item["version"] == 1


def item_source(catalogue, code):
    recommendation = catalogue.get(code=code)
    return recommendation.source_start, recommendation.source_end


def test_labels_are_dutch_by_default(api, catalogue):
    item = api.get(f"{URL}R05.1-2/").json()
    assert item["status"] == {"value": "implemented", "label": "Uitgevoerd"}
    assert item["horizon"]["label"] == "Lange termijn"


def test_detail_by_code_with_dots_and_parent_code(api, catalogue):
    response = api.get(f"{URL}R01-1.1/")
    assert response.status_code == 200
    assert response.json()["parent"] == "R01-1"


def test_unknown_code_is_404(api, catalogue):
    response = api.get(f"{URL}R99-1/")
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["R01-1", "R01-1.1", "R05.1-2"]),
        ({"status": "open"}, ["R01-1", "R01-1.1"]),
        ({"status": ["open", "implemented"]}, ["R01-1", "R01-1.1", "R05.1-2"]),
        ({"closed": "true"}, ["R05.1-2"]),
        ({"closed": "false"}, ["R01-1", "R01-1.1"]),
        ({"report": "arbeidsbemiddelaar"}, ["R05.1-2"]),
        ({"report_number": "1"}, ["R01-1", "R01-1.1"]),
        ({"institute": "hiva"}, ["R05.1-2"]),
        ({"primary_domain": "activering"}, ["R01-1.1"]),
        ({"primary_domain": "werk"}, ["R01-1", "R01-1.1"]),
        ({"domain": "activering"}, ["R01-1.1", "R05.1-2"]),
        ({"domain": "onderwijs"}, ["R05.1-2"]),
        ({"owner": "vdab"}, ["R01-1"]),
        ({"owner": ["vdab", "syntra-vlaanderen"]}, ["R01-1", "R05.1-2"]),
        ({"has_owner": "false"}, ["R01-1.1"]),
        ({"addressee": "syntra-vlaanderen"}, ["R01-1"]),
        ({"priority": "high"}, ["R01-1"]),
        ({"horizon": ["short", "long"]}, ["R01-1", "R05.1-2"]),
        ({"overdue": "true"}, ["R01-1"]),
        ({"overdue": "false"}, ["R01-1.1", "R05.1-2"]),
        ({"top_level": "true"}, ["R01-1", "R05.1-2"]),
        ({"parent": "R01-1"}, ["R01-1.1"]),
        ({"q": "menusetting"}, ["R01-1.1"]),
        ({"q": "WERKZOEKENDEN"}, ["R01-1.1"]),
        ({"q": "arbeidsbemiddelaar"}, ["R05.1-2"]),
        ({"q": "r05.1"}, ["R05.1-2"]),
        ({"q": "niets dergelijks"}, []),
    ],
)
def test_filters(api, catalogue, params, expected):
    assert sorted(codes(api.get(URL, params))) == expected


@pytest.mark.parametrize("name", ["domain", "primary_domain"])
def test_a_domain_filter_reaches_every_depth_of_its_subtree(
    api, make_recommendation, domains, name
):
    """werk > activering > jongeren > NEET: filtering on werk finds all four levels."""
    from recommendations.models import PolicyDomain

    young = PolicyDomain.objects.create(
        slug="jongeren", name_nl="Jongeren", name_en="Youth", parent=domains["activering"]
    )
    neet = PolicyDomain.objects.create(slug="neet", name_nl="NEET", name_en="NEET", parent=young)
    deepest = make_recommendation(position="7", primary_domain=neet)
    make_recommendation(position="8", primary_domain=domains["onderwijs"])
    assert codes(api.get(URL, {name: "werk"})) == [deepest.code]
    assert codes(api.get(URL, {name: "jongeren"})) == [deepest.code]
    assert codes(api.get(URL, {name: "onderwijs"})) != [deepest.code]


@pytest.mark.parametrize(
    "params",
    [
        {"addressee": ["vdab", "syntra-vlaanderen"]},
        {"institute": ["idea-consult", "hiva"]},
        {"status": ["open", "implemented"], "owner": ["vdab", "syntra-vlaanderen"]},
    ],
)
def test_several_values_list_each_item_once_without_distinct(
    api, catalogue, report, other_institute, params
):
    """R01-1 is addressed to both organisations; its report gets both institutes. Matching
    across many-to-many relations by subquery needs no SELECT DISTINCT, which would make the
    database sort every matching row before paging."""
    report.institutes.add(other_institute)
    with CaptureQueriesContext(connection) as queries:
        found = codes(api.get(URL, params))
    assert len(found) == len(set(found))
    assert "R01-1" in found
    assert not [q["sql"] for q in queries if "DISTINCT" in q["sql"].upper()]


def test_due_date_range_filters(api, catalogue):
    today = timezone.localdate()
    after = (today - dt.timedelta(days=6)).isoformat()
    before = (today + dt.timedelta(days=1)).isoformat()
    assert sorted(codes(api.get(URL, {"due_after": after, "due_before": before}))) == ["R05.1-2"]


def test_changed_since(api, catalogue):
    Recommendation.objects.filter(code="R01-1").update(
        updated_at=timezone.now() - dt.timedelta(days=400)
    )
    since = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    assert sorted(codes(api.get(URL, {"changed_since": since}))) == ["R01-1.1", "R05.1-2"]


def test_ordering(api, catalogue):
    assert codes(api.get(URL, {"ordering": "-code"})) == ["R05.1-2", "R01-1.1", "R01-1"]
    assert codes(api.get(URL, {"ordering": "due_date"})) == ["R01-1", "R05.1-2", "R01-1.1"]


def test_default_order_is_document_order(api, catalogue):
    assert codes(api.get(URL)) == ["R01-1", "R01-1.1", "R05.1-2"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"status": "done"}, "status"),
        ({"priority": "urgent"}, "priority"),
        ({"horizon": "soon"}, "horizon"),
        ({"report": "no-such-report"}, "report"),
        ({"owner": "nobody"}, "owner"),
        ({"domain": "space"}, "domain"),
        ({"due_before": "2024-13-45"}, "due_before"),
        ({"due_after": "yesterday"}, "due_after"),
        ({"changed_since": "1st of May"}, "changed_since"),
        ({"overdue": "maybe"}, "overdue"),
        ({"report_id": "abc"}, "report_id"),
    ],
)
def test_bad_filter_values_get_400_naming_the_parameter(api, catalogue, params, parameter):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert parameter in response.json()


@pytest.mark.parametrize("ordering", ["nonsense", "-code,password", "owner__password", "-"])
def test_an_unknown_ordering_field_gets_400_naming_the_choices(api, catalogue, english, ordering):
    response = api.get(URL, {"ordering": ordering}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    message = response.json()["ordering"][0]
    assert message.startswith("Cannot order by ") and "Choose from: code, " in message


def test_an_empty_ordering_keeps_the_default_order(api, catalogue):
    assert codes(api.get(URL, {"ordering": ""})) == codes(api.get(URL))
    assert codes(api.get(URL, {"ordering": "-code,"})) == ["R05.1-2", "R01-1.1", "R01-1"]


def test_page_size_parameter_is_capped(api, make_recommendation):
    for n in range(205):
        make_recommendation(position=f"9.{n}")
    body = api.get(URL, {"page_size": 1000}).json()
    assert body["count"] == 205
    assert len(body["results"]) == 200
    assert len(api.get(URL, {"page_size": 7, "page": 2}).json()["results"]) == 7


def test_bad_page_is_404(api, catalogue):
    assert api.get(URL, {"page": 99}).status_code == 404


def list_queries(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def test_list_costs_a_fixed_number_of_queries(api, make_recommendation, organisations, domains):
    for n in range(30):
        make_recommendation(
            position=f"3.{n}",
            owner=organisations["vdab"],
            addressees=list(organisations.values()),
            related_domains=[domains["onderwijs"], domains["activering"]],
        )
    small = list_queries(api, URL, {"page_size": 2})
    large = list_queries(api, URL, {"page_size": 30})
    filtered = list_queries(api, URL, {"page_size": 30, "domain": "werk", "status": "open"})
    # count, page, addressees, related domains, due date revisions
    assert small == large == 5
    assert filtered <= 6


def test_history_lists_status_changes(api, catalogue, superuser):
    from recommendations.services import transition_status

    item = catalogue.get(code="R01-1")
    transition_status(recommendation=item, to_status="accepted", user=superuser)
    transition_status(
        recommendation=item,
        to_status="implemented",
        user=superuser,
        note="Decreet 2016",
        evidence_url="https://example.org/decreet",
    )
    api.force_authenticate(superuser)  # notes and names are for logged-in readers
    events = api.get(f"{URL}R01-1/history/").json()
    history = [e for e in events if e["kind"] == "status_change"]
    assert [(h["from_status"]["value"], h["to_status"]["value"]) for h in history] == [
        ("open", "accepted"),
        ("accepted", "implemented"),
    ]
    assert history[1]["note"] == "Decreet 2016"
    assert history[1]["changed_by"] == "root"
    assert history[1]["evidence_url"] == "https://example.org/decreet"
    assert api.get(f"{URL}R99-9/history/").status_code == 404


def test_errors_speak_the_asked_language(api, catalogue):
    dutch = api.get(URL, {"ordering": "x"}).json()["ordering"][0]
    assert dutch.startswith("Sorteren op x kan niet. Kies uit: code, ")
    for language, expected in [("nl-be", "NUL-tekens zijn niet"), ("en", "NUL characters are")]:
        response = api.get(f"{URL}?q=%00", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 400
        assert response.json()["url"][0].startswith(expected)

"""The `q` search of the recommendation list: Dutch full-text search on PostgreSQL, substring
matching on SQLite."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from recommendations.models import Recommendation
from recommendations.search import CODE_PREFIX_INDEX, SEARCH_INDEX, search_recommendations

URL = "/api/v1/recommendations/"


def codes(response):
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["results"]]


def found(api, q, **params):
    return codes(api.get(URL, {"q": q, **params}))


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("full-text search runs on PostgreSQL only")


@pytest.fixture
def sqlite(db):
    if connection.vendor != "sqlite":
        pytest.skip("the substring fallback runs on SQLite")


@pytest.fixture
def items(make_recommendation, other_report):
    """Items in document order: the order the list shows when rank does not decide."""
    return {
        "jobseekers": make_recommendation(
            position="1",
            title="Sneller begeleiden",
            text="Werkzoekenden sneller naar een opleiding begeleiden.",
            source_start=101,
            source_end=101,
        ),
        "training": make_recommendation(
            position="2",
            title="Duaal leren",
            text="Meer opleidingen in duaal leren voor jongeren.",
            source_start=102,
            source_end=102,
        ),
        "mention": make_recommendation(
            position="3",
            title="Sectorconvenants",
            text="Sectoren organiseren leerwinkels voor hun werknemers.",
            source_start=103,
            source_end=103,
        ),
        "headline": make_recommendation(
            position="4",
            title="Leerwinkels uitbreiden",
            text="Het aanbod verbreden naar alle provincies.",
            source_start=104,
            source_end=104,
        ),
        "elsewhere": make_recommendation(
            report=other_report,
            position="2",
            title="Discretionaire ruimte",
            text="Bemiddelaars krijgen ruimte om te leren van elkaar.",
            source_start=2000,
            source_end=2000,
        ),
    }


# --- Both databases -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("werkzoekenden", ["R01-1"]),
        ("WERKZOEKENDEN", ["R01-1"]),
        ("R01-", ["R01-1", "R01-2", "R01-3", "R01-4"]),
        ("r05.1-2", ["R05.1-2"]),
        ("arbeidsbemiddelaar", ["R05.1-2"]),
        ("niets dergelijks", []),
    ],
)
def test_what_both_databases_find(api, items, q, expected):
    assert sorted(found(api, q)) == expected


@pytest.mark.parametrize(
    "q",
    [
        "de het",
        "!!!",
        "'; drop table recommendations_recommendation; --",
        "x" * 5000,
        "werk " * 500,
        '"open quote',
        "& | ! : * ( ) <-> a:* \\",
        "-",
        "or",
        "%_%",
        "Ë́ ẞ ﬁ 🇧🇪",
    ],
)
def test_odd_input_is_answered_not_an_error(api, items, q):
    response = api.get(URL, {"q": q})
    assert response.status_code == 200, response.content
    assert "results" in response.json()


def test_nul_characters_are_refused_before_searching(api, items):
    assert api.get(URL, {"q": "werk\u0000"}).status_code == 400


# --- PostgreSQL: Dutch full-text search -----------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("werkzoekende", ["R01-1"]),  # stemmed: the text says "werkzoekenden"
        ("werkzoekend", ["R01-1"]),
        ("opleiding", ["R01-1", "R01-2"]),  # "opleiding" and "opleidingen"
        ("leerwinkel", ["R01-3", "R01-4"]),
        ("opleidingen duaal", ["R01-2"]),  # every word must match
        ("arbeidsbemiddelaars", ["R05.1-2"]),  # the report's title, stemmed
    ],
)
def test_dutch_stemming(api, postgres, items, q, expected):
    assert sorted(found(api, q)) == expected


def test_a_title_match_ranks_before_a_text_only_match(api, postgres, items):
    # In document order "mention" (the word in its text) comes first.
    assert found(api, "leerwinkels") == ["R01-4", "R01-3"]


def test_rank_is_annotated_best_first(postgres, items):
    ranked = list(search_recommendations(Recommendation.objects.all(), "leerwinkels"))
    assert [r.code for r in ranked] == ["R01-4", "R01-3"]
    assert ranked[0].search_rank > ranked[1].search_rank > 0


def test_equal_ranks_keep_document_order(api, postgres, items):
    assert found(api, "R01-") == ["R01-1", "R01-2", "R01-3", "R01-4"]


def test_an_explicit_ordering_replaces_the_rank(api, postgres, items):
    assert found(api, "leerwinkels", ordering="code") == ["R01-3", "R01-4"]
    assert found(api, "leerwinkels", ordering="-code") == ["R01-4", "R01-3"]


def test_an_empty_ordering_keeps_the_rank(api, postgres, items):
    assert found(api, "leerwinkels", ordering="") == ["R01-4", "R01-3"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("opleiding -jongeren", ["R01-1"]),
        ('"duaal leren"', ["R01-2"]),
        ('"leren duaal"', []),
        ("leren", ["R01-2", "R05.1-2"]),
        ("leren -duaal", ["R05.1-2"]),
        ("werkzoekenden or bemiddelaars", ["R01-1", "R05.1-2"]),
    ],
)
def test_web_search_syntax(api, postgres, items, q, expected):
    assert sorted(found(api, q)) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("R05.1-2", ["R05.1-2"]),
        ("R01-4", ["R01-4"]),
        ("r01", ["R01-1", "R01-2", "R01-3", "R01-4"]),
        ("R05", ["R05.1-2"]),
    ],
)
def test_code_prefixes(api, postgres, items, q, expected):
    assert sorted(found(api, q)) == expected


def test_every_item_of_a_report_whose_title_matches(api, postgres, items, make_recommendation):
    items["elsewhere"].report.title = "Leerwinkels in de regio"
    items["elsewhere"].report.save()
    assert sorted(found(api, "leerwinkels")) == ["R01-3", "R01-4", "R05.1-2"]


def test_the_search_document_follows_changes(api_as, coordinator, postgres, items):
    assert found(api_as(coordinator), "hefboom") == []
    response = api_as(coordinator).patch(
        f"{URL}R01-1/", {"title": "De hefboomrol van sectoren"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert found(api_as(coordinator), "hefboomrol") == ["R01-1"]
    Recommendation.objects.filter(code="R01-2").update(text="Een hefboom.")
    assert sorted(found(api_as(coordinator), "hefboom")) == ["R01-2"]


def test_the_search_list_costs_a_fixed_number_of_queries(
    api, postgres, make_recommendation, organisations, domains, django_assert_max_num_queries
):
    for n in range(30):
        make_recommendation(
            position=f"3.{n}",
            text=f"Werkzoekenden begeleiden, deel {n}.",
            owner=organisations["vdab"],
            addressees=list(organisations.values()),
            related_domains=[domains["onderwijs"], domains["activering"]],
        )

    def queries(params):
        with CaptureQueriesContext(connection) as captured:
            assert len(codes(api.get(URL, params))) == params["page_size"]
        return len(captured)

    # matching reports, count, page, addressees, related domains, due date revisions
    small = queries({"q": "werkzoekende", "page_size": 2})
    large = queries({"q": "werkzoekende", "page_size": 30})
    by_report = queries({"q": "sectorale", "page_size": 30})
    assert small == large == by_report == 6
    # and the domain filter's lookup of its slug
    with django_assert_max_num_queries(7):
        api.get(URL, {"q": "R01-3", "page_size": 30, "status": "open", "domain": "werk"})


def test_the_overview_and_the_export_search_the_same_way(api, postgres, items):
    overview = api.get("/api/v1/overview/", {"q": "opleiding", "group_by": "report"}).json()
    assert overview["totals"]["total"] == 2
    # A date in the past and changes since: the search then runs inside subqueries.
    past = api.get(
        "/api/v1/overview/",
        {"q": "opleiding", "as_of": "2020-01-01", "since": "2019-01-01", "group_by": "owner"},
    )
    assert past.status_code == 200, past.content
    export = api.get("/api/v1/recommendations/export/", {"q": "leerwinkels", "format": "csv"})
    assert export.status_code == 200
    body = export.content.decode("utf-8-sig")
    assert body.index("R01-4") < body.index("R01-3")


def explain(queryset) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()


@pytest.mark.parametrize(
    ("q", "index"), [("werkzoekende", SEARCH_INDEX), ("R01-", CODE_PREFIX_INDEX)]
)
def test_the_search_uses_the_indexes(postgres, items, q, index):
    plan = explain(search_recommendations(Recommendation.objects.all(), q))
    assert index in plan, plan


# --- SQLite: substring matching -------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("1-3", ["R01-3"]),  # within the code
        ("CONVENANT", ["R01-3"]),  # within a title word
        ("zoekende", ["R01-1"]),  # within a text word
        ("bemiddel", ["R05.1-2"]),  # text and report title
        ("rol en impact", ["R05.1-2"]),  # within the report title
        ("werkzoekende", ["R01-1"]),
        ("opleidingen", ["R01-2"]),
        ("%_%", []),
    ],
)
def test_the_fallback_matches_substrings(api, sqlite, items, q, expected):
    assert sorted(found(api, q)) == expected


def test_the_fallback_keeps_document_order(api, sqlite, items):
    assert found(api, "leerwinkels") == ["R01-3", "R01-4"]

"""The curated fixtures: what `make run` loads, and how each item traces to the source."""

from auditlog.models import LogEntry
from django.core.management import call_command
from django.utils import timezone

from recommendations.models import Recommendation, Status, StatusChange
from reports.models import Report


def test_all_fourteen_reports_are_listed(loaded):
    numbers = list(Report.objects.values_list("number", flat=True))
    assert numbers == ["1", "2", "3", "4", "5.1", "5.2", *map(str, range(6, 14))]
    listed_only = Report.objects.get(number="5.2")
    assert not listed_only.has_summary
    assert listed_only.source_ranges == []
    assert Report.objects.filter(has_summary=True).count() == 13
    assert Report.objects.get(number="5.1").source_ranges == [[1782, 2335], [2777, 2903]]
    for report in Report.objects.filter(has_summary=True).prefetch_related("institutes"):
        assert report.institutes.exists(), report.number
        assert report.abstract, report.number


def test_report_one_is_complete(loaded):
    items = Recommendation.objects.filter(report__number="1")
    assert items.count() == 22
    assert items.filter(parent__isnull=True).count() == 5
    assert {i.position for i in items.filter(parent__isnull=True)} == {"1", "2", "3", "4", "5"}
    for child in items.filter(parent__isnull=False).select_related("parent"):
        assert child.position.startswith(child.parent.position + ".")
        assert child.code == f"R01-{child.position}"


def test_nothing_pretends_to_be_followed_up(loaded):
    assert set(Recommendation.objects.values_list("status", flat=True)) == {Status.OPEN}
    assert not StatusChange.objects.exists()
    assert not Recommendation.objects.filter(due_date__isnull=False).exists()
    assert not LogEntry.objects.exists()  # loading is not a change anyone made


def test_recommendations_sit_inside_their_report(loaded):
    for item in Recommendation.objects.select_related("report"):
        assert any(
            a <= item.source_start <= item.source_end <= b for a, b in item.report.source_ranges
        ), item.code


def test_loading_twice_changes_nothing(loaded, superuser, capsys, english):
    item = Recommendation.objects.get(code="R01-3.3")
    from recommendations.services import transition_status

    transition_status(recommendation=item, to_status=Status.ACCEPTED, user=superuser)
    total = Recommendation.objects.count()

    call_command("load_initial_data")

    assert "already holds data" in capsys.readouterr().out
    item.refresh_from_db()
    assert item.status == Status.ACCEPTED
    assert StatusChange.objects.count() == 1
    assert Recommendation.objects.count() == total


def test_api_serves_the_worked_example(loaded, api):
    item = api.get("/api/v1/recommendations/R01-3.3/").json()
    assert item["report"]["number"] == "1"
    assert item["parent"] == "R01-3"
    assert item["source_lines"] == [387, 387]
    assert {a["slug"] for a in item["addressees"]} >= {"vdab", "syntra-vlaanderen"}
    assert item["text"].startswith("De samenwerking met publieke partners als VDAB, Syntra, ESF")


def test_items_exist_since_their_reports_publication(loaded):
    for item in Recommendation.objects.select_related("report"):
        assert timezone.localdate(item.created_at) == item.report.published, item.code


def test_a_past_overview_of_the_fixtures_shows_what_was_published_by_then(loaded, api):
    response = api.get("/api/v1/overview/", {"group_by": "report", "as_of": "2016-12-31"})
    assert response.status_code == 200
    data = response.json()
    published = Recommendation.objects.filter(report__published__lte="2016-12-31")
    assert 0 < data["totals"]["total"] == published.count() < Recommendation.objects.count()
    assert data["totals"]["by_status"]["open"] == published.count()
    numbers = {group["label"] for group in data["groups"]}
    assert numbers == {str(r) for r in Report.objects.filter(recommendations__in=published)}

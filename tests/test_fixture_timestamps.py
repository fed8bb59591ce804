"""The curated items are unchanged since publication: `changed_since` lists only real changes."""

import datetime as dt

from django.utils import timezone

from recommendations.models import Recommendation, Status
from recommendations.services import transition_status


def test_every_curated_item_is_unchanged_since_its_creation(loaded):
    items = Recommendation.objects.all()
    assert items.exists()
    for item in items:
        assert item.updated_at == item.created_at, item.code


def test_changed_since_lists_nothing_until_an_item_changes(loaded, api, superuser):
    changed_since = {"changed_since": "2026-01-01"}
    response = api.get("/api/v1/recommendations/", changed_since)
    assert response.status_code == 200
    assert response.json()["count"] == 0

    item = Recommendation.objects.get(code="R01-3.3")
    at = timezone.make_aware(dt.datetime(2026, 3, 2, 10))
    transition_status(recommendation=item, to_status=Status.ACCEPTED, user=superuser, at=at)

    body = api.get("/api/v1/recommendations/", changed_since).json()
    assert body["count"] == 1
    assert [i["code"] for i in body["results"]] == ["R01-3.3"]
    # A moment after the change lists nothing again.
    later = api.get("/api/v1/recommendations/", {"changed_since": "2026-03-03"}).json()
    assert later["count"] == 0


def test_drafts_are_unchanged_since_their_reports_publication(source_path):
    from recommendations.drafts import draft_recommendations
    from reports.bundle import parse_bundle
    from reports.sourcetext import read_lines

    lines = read_lines(source_path)
    drafted = 0
    for record in parse_bundle(lines):
        for draft in draft_recommendations(lines, record, "x"):
            fields = draft["fields"]
            assert fields["created_at"] == f"{record.published.isoformat()}T00:00:00Z"
            assert fields["updated_at"] == fields["created_at"], fields["code"]
            drafted += 1
    assert drafted

"""The audit trail: every change of a tracked field, with who, when, before and after."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError

from recommendations.models import DueDateRevision
from recommendations.services import transition_status, update_recommendation

URL = "/api/v1/recommendations/"


@pytest.fixture
def changed(recommendation, coordinator, editor, domains, organisations):
    transition_status(recommendation=recommendation, to_status="accepted", user=editor)
    update_recommendation(
        recommendation=recommendation,
        user=coordinator,
        changes={
            "owner": organisations["syntra"],
            "priority": "high",
            "text": "Een nieuwe tekst.",
            "related_domains": [domains["onderwijs"]],
        },
    )
    update_recommendation(
        recommendation=recommendation,
        user=coordinator,
        changes={"due_date": dt.date(2027, 6, 30)},
    )
    return recommendation


def test_each_tracked_change_is_logged_with_actor_and_values(changed, coordinator, editor):
    entries = list(
        LogEntry.objects.get_for_object(changed)
        .filter(action=LogEntry.Action.UPDATE)
        .order_by("timestamp", "id")
    )
    by_field = {}
    for entry in entries:
        for field, change in entry.changes_dict.items():
            by_field.setdefault(field, []).append((entry.actor, change))

    assert by_field["status"] == [(editor, ["open", "accepted"])]
    assert by_field["priority"] == [(coordinator, ["unset", "high"])]
    assert by_field["text"][0][1][1] == "Een nieuwe tekst."
    assert by_field["owner"][0][0] == coordinator
    assert by_field["due_date"] == [(coordinator, [None, "2027-06-30"])]
    domains_change = by_field["related_domains"][0][1]
    assert domains_change["operation"] == "add"
    assert domains_change["objects"] == ["Onderwijs"]


def test_history_endpoint_shows_status_due_dates_and_field_changes(api, changed, plain_user):
    api.force_authenticate(plain_user)  # who changed what is for logged-in readers
    events = api.get(f"{URL}{changed.code}/history/").json()
    kinds = [event["kind"] for event in events]
    assert kinds.count("status_change") == 1
    assert kinds.count("due_date_revision") == 1
    fields_changed = [f for e in events if e["kind"] == "field_change" for f in e["changes"]]
    # Status and due date changes appear once, as their own kind of event, with note or reason.
    assert sorted(fields_changed) == ["owner", "priority", "related_domains", "text"]
    assert all(e["changed_by"] in {"editor", "coordinator"} for e in events)
    assert [e["changed_at"] for e in events] == sorted(e["changed_at"] for e in events)
    status_change = next(e for e in events if e["kind"] == "status_change")
    assert "new_date" not in status_change and "changes" not in status_change


def test_audit_is_visible_and_read_only_in_the_admin(client, superuser, changed):
    client.force_login(superuser)
    entry = LogEntry.objects.get_for_object(changed).first()
    assert client.get("/admin/auditlog/logentry/").status_code == 200
    assert client.get(f"/admin/auditlog/logentry/{entry.pk}/change/").status_code == 200
    assert client.get("/admin/auditlog/logentry/add/").status_code == 403
    client.post(f"/admin/auditlog/logentry/{entry.pk}/delete/", {"post": "yes"})
    assert LogEntry.objects.filter(pk=entry.pk).exists()
    client.post(f"/admin/auditlog/logentry/{entry.pk}/change/", {"changes": "{}"})
    assert LogEntry.objects.get(pk=entry.pk).changes == entry.changes


def test_due_date_revisions_are_append_only(changed):
    revision = DueDateRevision.objects.get()
    with pytest.raises(TypeError):
        revision.reason = "rewritten"
        revision.save()
    with pytest.raises(TypeError):
        revision.delete()
    with pytest.raises(TypeError):
        DueDateRevision.objects.all().delete()


def test_history_has_no_write_methods(api_as, superuser, changed):
    client = api_as(superuser)
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(f"{URL}{changed.code}/history/", {}, format="json")
        assert response.status_code == 405


def test_change_page_shows_field_changes_made_through_the_api(
    api_as, client, coordinator, recommendation, domains
):
    response = api_as(coordinator).patch(
        f"{URL}{recommendation.code}/",
        {"owner": "syntra-vlaanderen", "priority": "high", "related_domains": ["onderwijs"]},
        format="json",
    )
    assert response.status_code == 200, response.content

    client.force_login(coordinator)
    page = client.get(
        f"/admin/recommendations/recommendation/{recommendation.pk}/change/",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    rows = _table_rows(page.content.decode(), "field-changes")
    assert [row[1:] for row in rows] == [
        ["coordinator", "Owner", "VDAB", "Syntra"],
        ["coordinator", "Priority", "Not set", "High"],
        ["coordinator", "Related policy domains", "", "Onderwijs"],
    ]


def test_change_page_says_when_no_field_changed(client, coordinator, recommendation):
    client.force_login(coordinator)
    page = client.get(
        f"/admin/recommendations/recommendation/{recommendation.pk}/change/",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "No changes recorded." in page.content.decode()


def test_audit_trail_cannot_be_flushed_by_command(changed, english):
    entries = LogEntry.objects.count()
    with pytest.raises(CommandError, match="cannot be deleted"):
        call_command("auditlogflush", "--yes")
    with pytest.raises(CommandError, match="cannot be deleted"):
        call_command("auditlogflush", "--yes", "--truncate")
    assert entries > 0
    assert LogEntry.objects.count() == entries


def _table_rows(html: str, css_class: str) -> list[list[str]]:
    """The body rows of the table with the given class, as lists of cell texts."""
    table = html.split(f'class="{css_class}"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [
        [cell.split("</td>", 1)[0].strip() for cell in row.split("<td>")[1:]]
        for row in body.split("<tr>")[1:]
    ]


def test_the_audit_log_list_speaks_dutch(client, coordinator, changed):
    """django-auditlog ships no Dutch and writes some labels in English only."""
    client.force_login(coordinator)
    html = client.get("/admin/auditlog/logentry/").content.decode()
    for english in ("Resource", "Correlation ID", ">update<", " change: ", "Audit log"):
        assert english not in html, english
    assert "Wijzigingen" in html and "wijzig" in html.lower()
    assert "Vervaldatum" in html or "Eigenaar" in html  # fields named by their labels

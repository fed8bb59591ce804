"""Backup and restore: the round trip into a fresh database loses nothing."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from recommendations.services import transition_status, update_recommendation


def backup_text():
    out = io.StringIO()
    call_command("backup", stdout=out)
    return out.getvalue()


@pytest.fixture
def followed_up(loaded, make_user):
    from rest_framework.authtoken.models import Token

    from recommendations.models import Organisation, Recommendation

    editor = make_user("an", "editor", Organisation.objects.get(slug="vdab"))
    coordinator = make_user("co", "coordinator")
    Token.objects.create(user=editor)
    item = Recommendation.objects.get(code="R01-3.3")
    update_recommendation(
        recommendation=item, user=coordinator, changes={"owner": editor.officer.organisation}
    )
    transition_status(recommendation=item, to_status="accepted", user=editor)
    update_recommendation(
        recommendation=item, user=editor, changes={"due_date": dt.date(2027, 1, 31)}
    )
    update_recommendation(
        recommendation=item,
        user=editor,
        changes={"due_date": dt.date(2027, 6, 30)},
        due_date_reason="wacht op het decreet",
    )
    transition_status(
        recommendation=item, to_status="implemented", user=editor, note="decreet van 2027"
    )


@pytest.mark.django_db(transaction=True)
def test_round_trip_into_a_fresh_database_is_exact(followed_up, tmp_path):
    before = backup_text()
    path = tmp_path / "backup.json"
    path.write_text(before, encoding="utf-8")
    kinds = {o["model"] for o in json.loads(before)["objects"]}
    assert kinds >= {
        "auth.user",
        "auth.group",
        "authtoken.token",
        "recommendations.officer",
        "recommendations.recommendation",
        "recommendations.statuschange",
        "recommendations.duedaterevision",
        "auditlog.logentry",
        "reports.report",
    }

    call_command("flush", "--no-input")  # a fresh database (migrated, empty)
    call_command("restore", str(path), stdout=io.StringIO())

    assert backup_text() == before


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_holds_data(followed_up, tmp_path):
    path = tmp_path / "backup.json"
    path.write_text(backup_text(), encoding="utf-8")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not a JSON backup"),
        ('{"format": "something else"}', "not a VIONA follow-up backup"),
        ('{"format": "viona-followup-backup", "version": 99}', "not supported"),
    ],
)
def test_restore_refuses_other_files(db, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(path))


@pytest.mark.django_db(transaction=True)
def test_restore_adds_no_audit_entries_of_its_own(followed_up, tmp_path):
    from auditlog.models import LogEntry

    backup = json.loads(backup_text())
    backup["objects"] = [o for o in backup["objects"] if o["model"] != "auditlog.logentry"]
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(backup), encoding="utf-8")

    call_command("flush", "--no-input")
    call_command("restore", str(path), stdout=io.StringIO())

    assert not LogEntry.objects.exists()

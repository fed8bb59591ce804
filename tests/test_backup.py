"""Backup and restore: the round trip into a fresh database loses nothing, and a backup
holds every model that holds data."""

import datetime as dt
import io
import json

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from recommendations.services import transition_status, update_recommendation
from viona.backup import NOT_BACKED_UP, backed_up_models, export_followup

# A moment with microseconds that milliseconds would lose.
MOMENT = dt.datetime(2026, 11, 3, 9, 14, 47, 437143, tzinfo=dt.UTC)


def backup_text():
    out = io.StringIO()
    call_command("backup", stdout=out)
    return out.getvalue()


def every_timestamp():
    """Every date-time value of every backed-up row, by model, key and field."""
    return {
        (model._meta.label, row["pk"], name): value
        for model in backed_up_models()
        for name in [f.name for f in model._meta.concrete_fields if type(f) is models.DateTimeField]
        for row in model._base_manager.values("pk", name)
        if (value := row[name]) is not None
    }


@pytest.fixture
def followed_up(loaded, make_user):
    import time_machine
    from rest_framework.authtoken.models import Token

    from recommendations.models import Organisation, Recommendation

    with time_machine.travel(MOMENT, tick=False):
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
        # An admin log entry: refers to a content type by natural key, and holds an empty
        # text where a form would want one (the models hold what no form would take).
        AdminLogEntry.objects.create(
            user=coordinator,
            content_type=ContentType.objects.get_for_model(Recommendation),
            object_id=str(item.pk),
            object_repr="",
            action_flag=CHANGE,
        )


def test_every_table_is_in_the_backup_or_left_out_for_a_reason():
    """Derived from the app registry: a model added later is backed up unless it is added to
    the short list of what a fresh install recreates (and this test is changed with it)."""
    backed_up = set(backed_up_models())
    left_out = {apps.get_model(label) for label in NOT_BACKED_UP}
    assert set(NOT_BACKED_UP) == {
        "contenttypes.contenttype",
        "auth.permission",
        "sessions.session",
        "axes.accessattempt",
        "axes.accessattemptexpiration",
        "axes.accessfailurelog",
        "axes.accesslog",
    }
    assert all(len(reason) > 20 for reason in NOT_BACKED_UP.values())
    assert not backed_up & left_out
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:  # its rows are its concrete model's
            model = model._meta.concrete_model
        elif model._meta.auto_created:  # a many-to-many table: written with its model
            (model,) = {
                owner
                for owner in apps.get_models()
                for field in owner._meta.many_to_many
                if field.remote_field.through is model
            }
        assert model in backed_up | left_out, model._meta.label


def test_a_model_comes_after_the_models_it_names_by_natural_key():
    order = {model: n for n, model in enumerate(backed_up_models())}
    for model, n in order.items():
        for field in model._meta.fields:
            target = field.related_model
            if target in order and target is not model and hasattr(target, "natural_key"):
                assert order[target] < n, (model._meta.label, field.name)


@pytest.mark.django_db(transaction=True)
def test_round_trip_into_a_fresh_database_is_exact(followed_up, tmp_path):
    before = backup_text()
    timestamps = every_timestamp()
    path = tmp_path / "backup.json"
    path.write_text(before, encoding="utf-8")
    kinds = {o["model"] for o in json.loads(before)["objects"]}
    assert kinds == {
        model._meta.label_lower for model in backed_up_models() if model._base_manager.exists()
    }
    assert kinds >= {
        "auth.user",
        "authtoken.token",
        "recommendations.officer",
        "recommendations.statuschange",
        "recommendations.duedaterevision",
        "auditlog.logentry",
        "admin.logentry",
        "reports.report",
    }
    assert {model for model, _, _ in timestamps} >= {
        "recommendations.StatusChange",
        "recommendations.DueDateRevision",
        "auditlog.LogEntry",
    }
    assert set(timestamps.values()) >= {MOMENT}
    assert '"2026-11-03T09:14:47.437143Z"' in before

    call_command("flush", "--no-input")  # a fresh database (migrated, empty)
    call_command("restore", str(path), stdout=io.StringIO())

    assert every_timestamp() == timestamps
    assert backup_text() == before


@pytest.mark.django_db(transaction=True)
def test_a_backup_with_milliseconds_still_restores(followed_up, tmp_path):
    """Backups written before times kept their microseconds."""
    timestamps = every_timestamp()
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(export_followup(), cls=DjangoJSONEncoder), encoding="utf-8")
    assert '"2026-11-03T09:14:47.437Z"' in path.read_text(encoding="utf-8")

    call_command("flush", "--no-input")
    call_command("restore", str(path), stdout=io.StringIO())

    assert every_timestamp() == {
        key: value.replace(microsecond=value.microsecond // 1000 * 1000)
        for key, value in timestamps.items()
    }


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_holds_data(followed_up, tmp_path, english):
    path = tmp_path / "backup.json"
    path.write_text(backup_text(), encoding="utf-8")
    with pytest.raises(CommandError, match="not empty"):
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


@pytest.mark.django_db(transaction=True)
def test_new_rows_after_a_restore_get_free_keys(followed_up, tmp_path, make_user):
    from recommendations.models import Recommendation, StatusChange

    path = tmp_path / "backup.json"
    path.write_text(backup_text(), encoding="utf-8")
    call_command("flush", "--no-input")
    call_command("restore", str(path), stdout=io.StringIO())

    transition_status(
        recommendation=Recommendation.objects.get(code="R01-3.2"),
        to_status="accepted",
        user=make_user("co2", "coordinator"),
    )
    assert StatusChange.objects.count() == 3


def test_backup_to_a_file_is_written_whole_and_private(followed_up, tmp_path):
    path = tmp_path / "backup.json"
    call_command("backup", "--output", str(path), stderr=io.StringIO())
    assert json.loads(path.read_text(encoding="utf-8"))["objects"]
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["backup.json"]


def test_backup_to_a_folder_that_does_not_exist_is_one_line(db, tmp_path):
    with pytest.raises(CommandError, match=r"^\S+/missing/backup\.json: No such file"):
        call_command("backup", "--output", str(tmp_path / "missing" / "backup.json"))

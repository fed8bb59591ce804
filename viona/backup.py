"""Backup and restore of everything the tracker holds that a fresh install does not: the
catalogue with its follow-up (statuses, due dates, owners), the status history, due date
revisions, the audit trail, users with their roles and organisations, and API tokens."""

import json

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management import call_command
from django.db import transaction
from rest_framework.authtoken.models import Token

from recommendations.models import (
    DueDateRevision,
    Officer,
    Organisation,
    PolicyDomain,
    Recommendation,
    StatusChange,
)
from reports.models import Institute, Report

FORMAT_VERSION = 1


def _querysets():
    """In loading order. Groups by name (a fresh database has its own), the rest by key."""
    user_model = get_user_model()
    return [
        (Group.objects.order_by("name"), True),
        (user_model.objects.order_by("pk"), False),
        (Token.objects.order_by("pk"), False),
        (Institute.objects.order_by("pk"), False),
        (Report.objects.order_by("pk"), False),
        (PolicyDomain.objects.order_by("parent_id", "pk"), False),
        (Organisation.objects.order_by("pk"), False),
        (Officer.objects.order_by("pk"), False),
        (Recommendation.objects.order_by("parent_id", "pk"), False),
        (StatusChange.objects.order_by("pk"), False),
        (DueDateRevision.objects.order_by("pk"), False),
        (LogEntry.objects.order_by("pk"), False),
    ]


def export_followup() -> dict:
    objects = []
    for queryset, by_natural_key in _querysets():
        objects += json.loads(
            serializers.serialize(
                "json",
                queryset,
                use_natural_foreign_keys=True,
                use_natural_primary_keys=by_natural_key,
            )
        )
    return {"format": "viona-followup-backup", "version": FORMAT_VERSION, "objects": objects}


class RestoreRefused(Exception):
    pass


def holds_data() -> bool:
    return any(
        model.objects.exists() for model in (Report, Recommendation, Organisation, get_user_model())
    )


@transaction.atomic
def restore_followup(backup: dict, *, fixture_path) -> int:
    """Load a backup into an empty database (one transaction); the number of objects."""
    if backup.get("format") != "viona-followup-backup":
        raise RestoreRefused("This file is not a VIONA follow-up backup.")
    if backup.get("version") != FORMAT_VERSION:
        raise RestoreRefused(f"Backup format version {backup.get('version')} is not supported.")
    if holds_data():
        raise RestoreRefused("The database is not empty: restore only into a fresh database.")
    fixture_path.write_text(json.dumps(backup["objects"], ensure_ascii=False), "utf-8")
    # loaddata sets many-to-many fields through signals that auditlog would record as new
    # changes; the backup already holds the audit trail as it was.
    with disable_auditlog():
        call_command("loaddata", str(fixture_path), verbosity=0)
    return len(backup["objects"])

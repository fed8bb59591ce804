"""A restore of a file that is not a good backup: one line saying why, a non-zero exit, and
nothing written (the restore is one transaction)."""

import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from viona.backup import holds_data

ENVELOPE = {"format": "viona-followup-backup", "version": 1}
REPORT = {
    "model": "reports.report",
    "pk": 1,
    "fields": {
        "number": "1",
        "sequence": 1,
        "slug": "r1",
        "title": "Rapport",
        "published": "2015-04-01",
    },
}
DOMAIN = {
    "model": "recommendations.policydomain",
    "pk": 1,
    "fields": {"slug": "werk", "name_nl": "Werk", "name_en": "Work"},
}
RECOMMENDATION = {
    "model": "recommendations.recommendation",
    "pk": 1,
    "fields": {
        "report": ["r1"],
        "position": "1",
        "code": "R01-1",
        "title": "Aanbeveling",
        "text": "Tekst",
        "source_start": 1,
        "source_end": 1,
        "primary_domain": ["werk"],
        "status": "open",
    },
}
STATUS_CHANGE = {
    "model": "recommendations.statuschange",
    "pk": 1,
    "fields": {
        "recommendation": ["R01-1"],
        "from_status": "open",
        "to_status": "accepted",
        "changed_at": "2026-01-01T10:00:00.123456Z",
    },
}


def with_fields(item, pk=None, **fields):
    return {**item, "pk": pk or item["pk"], "fields": {**item["fields"], **fields}}


def backup(*objects):
    """A backup of the catalogue above, with ``objects`` after it."""
    return json.dumps({**ENVELOPE, "objects": [REPORT, DOMAIN, RECOMMENDATION, *objects]})


def nested(depth):
    return "[" * depth + "]" * depth


CASES = {
    "a list": ("[]", "This file is not a VIONA follow-up backup."),
    "null": ("null", "This file is not a VIONA follow-up backup."),
    "a string": ('"backup"', "This file is not a VIONA follow-up backup."),
    "another format": ('{"format": "x", "objects": []}', "not a VIONA follow-up backup"),
    "another version": (
        json.dumps({**ENVELOPE, "version": 99, "objects": []}),
        "Backup format version 99 is not supported.",
    ),
    "no objects": (json.dumps(ENVELOPE), "The backup holds no list of objects."),
    "objects not a list": (
        json.dumps({**ENVELOPE, "objects": {"a": 1}}),
        "The backup holds no list of objects.",
    ),
    "an object that is not one": (
        json.dumps({**ENVELOPE, "objects": [REPORT, 7]}),
        "objects[1]: not an object with a model and fields.",
    ),
    "an unknown model": (
        backup({"model": "reports.nosuchmodel", "pk": 1, "fields": {}}),
        "objects[3]: 'reports.nosuchmodel' is not a model that a backup holds.",
    ),
    "a model a backup leaves out": (
        backup({"model": "sessions.session", "pk": "x", "fields": {}}),
        "objects[3]: 'sessions.session' is not a model that a backup holds.",
    ),
    "an unknown field": (
        backup(with_fields(STATUS_CHANGE, colour="red")),
        "objects[3] (recommendations.statuschange 1): 'colour': no such field.",
    ),
    "a relation seen from the other side": (
        backup(with_fields(DOMAIN, pk=2, children=[])),
        "'children': no such field.",
    ),
    "an invalid status": (
        backup(with_fields(STATUS_CHANGE, to_status="bogus")),
        "objects[3] (recommendations.statuschange 1): to_status: "
        "Value 'bogus' is not a valid choice. Nothing",
    ),
    "an empty status": (
        backup(with_fields(STATUS_CHANGE, to_status="")),
        "objects[3] (recommendations.statuschange 1): to_status: Value '' is not a valid choice.",
    ),
    "an empty current status": (
        json.dumps(
            {**ENVELOPE, "objects": [REPORT, DOMAIN, with_fields(RECOMMENDATION, status="")]}
        ),
        "objects[2] (recommendations.recommendation 1): status: Value '' is not a valid choice.",
    ),
    "a value of the wrong type": (
        backup(with_fields(STATUS_CHANGE, changed_at="yesterday")),
        "changed_at: “yesterday” value has an invalid format.",
    ),
    "a number out of range": (
        backup({**STATUS_CHANGE, "pk": 10**30}),
        "objects[3] (recommendations.statuschange 1000000000000000000000000000000): id: "
        "Ensure this value is less than or equal to",
    ),
    "a missing key": (
        backup(with_fields(STATUS_CHANGE, recommendation=["R99-9"])),
        "objects[3] (recommendations.statuschange 1): recommendation ['R99-9']: "
        "not in the backup. Nothing",
    ),
    "a missing optional key": (
        backup(with_fields(RECOMMENDATION, pk=2, code="R01-2", position="2", parent=["R99"])),
        "objects[3] (recommendations.recommendation 2): parent ['R99']: not in the backup.",
    ),
    "a missing key by number": (
        backup(with_fields(STATUS_CHANGE, recommendation=99)),
        "recommendations_statuschange",
    ),
    "a missing addressee": (
        backup(with_fields(RECOMMENDATION, pk=2, code="R01-2", position="2", addressees=[["x"]])),
        "objects[3] (recommendations.recommendation 2): addressees [['x']]: not in the backup.",
    ),
    "a key twice": (
        backup(with_fields(RECOMMENDATION, pk=2, position="2")),
        "objects[3] (recommendations.recommendation 2): ",
    ),
    "NUL in text": (
        backup(with_fields(STATUS_CHANGE, note="ja\u0000nee")),
        r"objects[3]: a NUL character in 'ja\x00nee'.",
    ),
    "a lone surrogate": (
        backup(with_fields(STATUS_CHANGE, note="\ud800")),
        r"objects[3]: a lone surrogate in '\ud800'.",
    ),
    "a control character": (
        backup(with_fields(STATUS_CHANGE, note="bel\u0007")),
        "note: Remove the invisible or control character U+0007 from the text. Nothing",
    ),
    "nesting in the file": (nested(100_000), "backup.json: nested too deeply."),
    "nesting in a value": (
        json.dumps({**ENVELOPE, "objects": [with_fields(REPORT, keywords=json.loads(nested(60)))]}),
        "objects[0]: nested deeper than 50 levels.",
    ),
    "not JSON": ("not json", "backup.json: not a JSON backup (Expecting value"),
    "NaN": (
        backup(with_fields(REPORT, pk=2, keywords=float("nan"))),
        "backup.json: not a JSON backup (NaN is not a number a backup holds).",
    ),
    "an integer too long to read": ("1" * 5000, "backup.json: not a JSON backup (Exceeds the"),
    "binary": (bytes(range(256)), "backup.json: not a JSON backup ('utf-8' codec can't decode"),
    "an empty file": ("", "backup.json: not a JSON backup (Expecting value"),
    "no file": (None, "backup.json: No such file or directory. Nothing"),
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("content", "message"), CASES.values(), ids=CASES.keys())
def test_a_bad_backup_is_refused_in_one_line_and_nothing_is_written(
    tmp_path, english, content, message
):
    path = tmp_path / "backup.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8", errors="surrogatepass")

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path))

    assert message in str(refused.value)
    assert str(refused.value).endswith("Nothing was restored.")
    assert "\n" not in str(refused.value)
    assert refused.value.returncode != 0
    assert not holds_data()


def test_the_good_backup_above_restores(transactional_db, tmp_path):
    """The cases above differ from a good backup only in what they name."""
    path = tmp_path / "backup.json"
    path.write_text(backup(STATUS_CHANGE), encoding="utf-8")
    call_command("restore", str(path), stdout=io.StringIO())
    assert holds_data()


def test_the_command_exits_non_zero_without_a_traceback(tmp_path, settings):
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(tmp_path / "missing.json")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/unused.sqlite3"},
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "missing.json" in result.stderr
    assert "Traceback" not in result.stderr

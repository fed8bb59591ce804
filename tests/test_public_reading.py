"""What an anonymous reader sees: organisations but never people, and only the notes a
coordinator has published (``roles.Audience``), in every read endpoint and output format."""

import datetime as dt
import io
import json

import openpyxl
import pytest
from django.core.management import call_command

from recommendations.models import NotePublication, StatusChange
from recommendations.services import transition_status, update_recommendation

URL = "/api/v1/recommendations/"
SINCE = "2000-01-01"
PEOPLE = ("an.peeters", "co.janssens", "an@example.org", "co@example.org")
INTERNAL_NOTES = ("wacht op de minister", "https://intranet.example/nota", "budget nog niet rond")
PUBLISHED_NOTE = "Opgenomen in het VESOC-akkoord"


@pytest.fixture
def followed_up(make_user, organisations, recommendation):
    """A VDAB item with an officer, an internal note, a published note and an internal
    due date reason, written by named people."""
    officer = make_user("an.peeters", "editor", organisations["vdab"], email="an@example.org")
    coordinator = make_user("co.janssens", "coordinator", email="co@example.org")
    update_recommendation(
        recommendation=recommendation,
        user=coordinator,
        changes={"follow_up_officer": officer, "due_date": _date("2027-01-31")},
    )
    transition_status(
        recommendation=recommendation,
        to_status="under_consideration",
        user=officer,
        note="wacht op de minister",
        evidence_url="https://intranet.example/nota",
    )
    accepted = transition_status(
        recommendation=recommendation, to_status="accepted", user=officer, note=PUBLISHED_NOTE
    )
    update_recommendation(
        recommendation=recommendation,
        user=officer,
        changes={"due_date": _date("2027-06-30")},
        due_date_reason="budget nog niet rond",
    )
    NotePublication.objects.create(status_change=accepted, published_by=coordinator)
    return recommendation


def _date(text):
    return dt.date.fromisoformat(text)


def _text(response) -> str:
    content = b"".join(response) if response.streaming else response.content
    if content.startswith(b"PK"):
        return _xlsx_text(content)
    return content.decode("utf-8-sig")


def _xlsx_text(content: bytes) -> str:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return "\n".join(
        str(cell)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


READS = [
    "{list}",
    "{list}?format=api",
    "{item}",
    "{item}?format=api",
    "{item}history/",
    "{item}history/?format=api",
    "{list}export/?format=csv",
    "{list}export/?format=xlsx",
    "/api/v1/overview/?since={since}",
    "/api/v1/overview/?since={since}&format=api",
    "/api/v1/overview/?since={since}&format=csv",
    "/api/v1/overview/?since={since}&format=xlsx",
    "/overview/?since={since}",
]


def _url(template, item):
    return template.format(list=URL, item=f"{URL}{item.code}/", since=SINCE)


@pytest.mark.parametrize("template", READS)
def test_anonymous_readers_see_no_people_and_no_internal_notes(api, followed_up, template):
    response = api.get(_url(template, followed_up))
    assert response.status_code == 200
    text = _text(response)
    assert followed_up.code in text or "status_change" in text  # the item is there
    for secret in PEOPLE + INTERNAL_NOTES:
        assert secret not in text, (template, secret)


@pytest.mark.parametrize("template", READS)
def test_logged_in_readers_see_names_and_notes(api, plain_user, followed_up, template):
    api.force_login(plain_user)  # a session: the overview page is not an API view
    text = _text(api.get(_url(template, followed_up)))
    assert "an.peeters" in text
    if "history" in template or "since" in template:
        assert "wacht op de minister" in text


@pytest.mark.parametrize("template", [t for t in READS if "history" in t or "since" in t])
def test_published_notes_are_public(api, followed_up, template):
    assert PUBLISHED_NOTE in _text(api.get(_url(template, followed_up)))


@pytest.mark.parametrize("fmt", ["md", "csv", "html", "json", "xlsx"])
def test_the_public_overview_command_shows_what_anonymous_readers_see(followed_up, tmp_path, fmt):
    public, internal = tmp_path / f"public.{fmt}", tmp_path / f"internal.{fmt}"
    options = ["--since", SINCE, "--format", fmt, "--output"]
    call_command("followup_overview", *options, public, "--public")
    call_command("followup_overview", *options, internal)
    public_text, internal_text = (_text_of(path) for path in (public, internal))
    assert PUBLISHED_NOTE in public_text
    for secret in PEOPLE + INTERNAL_NOTES:
        assert secret not in public_text
    assert "an.peeters" in internal_text and "wacht op de minister" in internal_text


def _text_of(path) -> str:
    content = path.read_bytes()
    return _xlsx_text(content) if content.startswith(b"PK") else content.decode("utf-8-sig")


def test_history_marks_what_is_published_and_gives_ids(api, api_as, plain_user, followed_up):
    public = api.get(f"{URL}{followed_up.code}/history/").json()
    changes = [event for event in public if event["kind"] == "status_change"]
    assert [(c["published"], c["note"], c["changed_by"]) for c in changes] == [
        (False, "", None),
        (True, PUBLISHED_NOTE, None),
    ]
    assert all(isinstance(c["id"], int) for c in changes)
    officer_changes = [
        event
        for event in public
        if event["kind"] == "field_change" and "follow_up_officer" in event["changes"]
    ]
    assert officer_changes == []
    internal = api_as(plain_user).get(f"{URL}{followed_up.code}/history/").json()
    assert any(
        event["kind"] == "field_change" and "follow_up_officer" in event["changes"]
        for event in internal
    )


def test_an_item_shows_its_officer_to_logged_in_readers_only(api, api_as, plain_user, followed_up):
    assert api.get(f"{URL}{followed_up.code}/").json()["follow_up_officer"] is None
    logged_in = api_as(plain_user).get(f"{URL}{followed_up.code}/").json()
    assert logged_in["follow_up_officer"] == "an.peeters"


def _publish(client, item, kind, record_id):
    return client.post(
        f"{URL}{item.code}/publications/", {"kind": kind, "id": record_id}, format="json"
    )


def test_a_coordinator_publishes_a_note_once(api, api_as, coordinator, followed_up):
    internal = StatusChange.objects.get(note="wacht op de minister")
    first = _publish(api_as(coordinator), followed_up, "status_change", internal.pk)
    assert first.status_code == 201
    assert first.json()["published_by"] == "coordinator"
    again = _publish(api_as(coordinator), followed_up, "status_change", internal.pk)
    assert again.status_code == 200
    assert NotePublication.objects.filter(status_change=internal).count() == 1
    internal.refresh_from_db()
    assert internal.note == "wacht op de minister"  # the history itself is untouched
    history = api.get(f"{URL}{followed_up.code}/history/").json()
    assert "wacht op de minister" in json.dumps(history)
    assert "https://intranet.example/nota" in json.dumps(history)


def test_publishing_a_due_date_reason(api, api_as, coordinator, followed_up):
    revision = followed_up.due_date_revisions.get(reason="budget nog niet rond")
    response = _publish(api_as(coordinator), followed_up, "due_date_revision", revision.pk)
    assert response.status_code == 201
    assert "budget nog niet rond" in api.get(f"{URL}{followed_up.code}/history/").content.decode()


PUBLISH_MATRIX = {"anonymous": 401, "reader": 403, "editor": 403, "coordinator": 201}


@pytest.mark.parametrize(("role", "expected"), PUBLISH_MATRIX.items())
def test_who_may_publish(api, make_user, editor, coordinator, followed_up, role, expected):
    users = {"reader": make_user("reader"), "editor": editor, "coordinator": coordinator}
    if role in users:
        api.force_authenticate(users[role])
    internal = StatusChange.objects.get(note="wacht op de minister")
    before = NotePublication.objects.count()
    assert _publish(api, followed_up, "status_change", internal.pk).status_code == expected
    assert NotePublication.objects.count() == before + (expected == 201)


@pytest.mark.parametrize(
    ("kind", "record_id"),
    [("status_change", 999999), ("note", 1), ("status_change", "abc"), ("status_change", 2**70)],
)
def test_publishing_something_that_is_not_there_is_a_400(
    api_as, coordinator, followed_up, kind, record_id
):
    response = _publish(api_as(coordinator), followed_up, kind, record_id)
    assert response.status_code == 400
    assert NotePublication.objects.count() == 1


def test_an_entry_of_another_item_or_without_a_note_cannot_be_published(
    api_as, coordinator, followed_up, make_recommendation
):
    other = make_recommendation(position="9")
    silent = transition_status(recommendation=other, to_status="accepted", user=coordinator)
    response = _publish(api_as(coordinator), other, "status_change", silent.pk)
    assert response.status_code == 400
    foreign = StatusChange.objects.get(note="wacht op de minister")
    assert _publish(api_as(coordinator), other, "status_change", foreign.pk).status_code == 400
    assert NotePublication.objects.count() == 1


def test_publications_are_append_only(followed_up):
    publication = NotePublication.objects.get()
    with pytest.raises(TypeError):
        publication.delete()
    with pytest.raises(TypeError):
        NotePublication.objects.all().update(published_at=publication.published_at)


def test_a_coordinator_publishes_notes_from_the_admin(client, coordinator, followed_up):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    internal = StatusChange.objects.get(note="wacht op de minister")
    client.force_login(coordinator)
    client.post(
        "/admin/recommendations/statuschange/",
        {"action": "publish_notes", ACTION_CHECKBOX_NAME: [internal.pk]},
    )
    assert NotePublication.objects.filter(status_change=internal).exists()


def test_editors_cannot_publish_from_the_admin(client, editor, followed_up):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    internal = StatusChange.objects.get(note="wacht op de minister")
    client.force_login(editor)
    client.post(
        "/admin/recommendations/statuschange/",
        {"action": "publish_notes", ACTION_CHECKBOX_NAME: [internal.pk]},
    )
    assert not NotePublication.objects.filter(status_change=internal).exists()

"""One rule for free text (viona/validators.py): control characters, DEL, C1 controls, bidi
overrides and isolates, zero-width characters and the BOM are refused on every write path,
by the field validators and, for writes that skip them, by the database."""

import datetime as dt

import pytest
from admin_support import CHANGELIST, edit_form_data
from django.db import IntegrityError, transaction

from recommendations.models import (
    DueDateRevision,
    Organisation,
    PolicyDomain,
    Recommendation,
    StatusChange,
)
from recommendations.services import update_recommendation
from reports.models import Institute, Report

URL = "/api/v1/recommendations/"

REFUSED = {
    "ESC": "\x1b",
    "BEL": "\x07",
    "BS": "\x08",
    "DEL": "\x7f",
    "NEL (C1)": "\x85",
    "CSI (C1)": "\x9b",
    "right-to-left override": "\u202e",
    "first strong isolate": "\u2068",
    "zero-width space": "\u200b",
    "byte order mark": "\ufeff",
}


def _patch(api_as, user, recommendation, payload):
    return api_as(user).patch(f"{URL}{recommendation.code}/", payload, format="json")


@pytest.mark.parametrize("character", REFUSED.values(), ids=REFUSED.keys())
def test_every_api_text_field_refuses_the_character(api_as, coordinator, recommendation, character):
    recommendation.due_date = None
    recommendation.save()
    api_as(coordinator).patch(
        f"{URL}{recommendation.code}/", {"due_date": "2027-01-31"}, format="json"
    )
    recommendation.refresh_from_db()
    version = recommendation.version
    text = f"voor{character}na"
    writes = [
        ("patch", {"title": text}),
        ("patch", {"text": text}),
        ("patch", {"priority_rationale": text}),
        ("patch", {"due_date": "2027-06-30", "due_date_reason": text}),
        ("transition", {"to_status": "accepted", "note": text}),
        ("transition", {"to_status": "accepted", "evidence_url": f"https://e.be/a{character}b"}),
    ]
    for kind, payload in writes:
        if kind == "patch":
            response = _patch(api_as, coordinator, recommendation, payload)
        else:
            response = api_as(coordinator).post(
                f"{URL}{recommendation.code}/transition/", payload, format="json"
            )
        assert response.status_code == 400, (payload, response.content)
    recommendation.refresh_from_db()
    assert recommendation.version == version
    assert recommendation.status == "open"
    assert DueDateRevision.objects.filter(recommendation=recommendation).count() == 1
    assert not StatusChange.objects.filter(recommendation=recommendation).exists()


def test_the_service_refuses_a_due_date_reason_with_escape(recommendation, coordinator):
    """The revision used to be written with objects.create, which skips validators."""
    recommendation.due_date = None
    recommendation.save()
    update_recommendation(
        recommendation=recommendation, user=coordinator, changes={"due_date": _date("2027-01-31")}
    )
    with pytest.raises(Exception) as refused:
        update_recommendation(
            recommendation=recommendation,
            user=coordinator,
            changes={"due_date": _date("2027-06-30")},
            due_date_reason="later\x1b[31m",
        )
    assert "U+001B" in str(refused.value)
    assert DueDateRevision.objects.filter(recommendation=recommendation).count() == 1


def _date(text):
    return dt.date.fromisoformat(text)


def test_multi_line_text_keeps_tabs_and_line_breaks_but_a_title_does_not(
    api_as, coordinator, recommendation
):
    response = _patch(api_as, coordinator, recommendation, {"text": "een\n\ttwee\r\ndrie"})
    assert response.status_code == 200
    response = _patch(api_as, coordinator, recommendation, {"title": "een\ntwee"})
    assert response.status_code == 400
    assert "U+000A" in str(response.json())


def test_the_admin_refuses_a_due_date_reason_with_bell(client, coordinator, recommendation):
    recommendation.due_date = _date("2027-01-31")
    recommendation.save()
    client.force_login(coordinator)
    url = f"{CHANGELIST}{recommendation.pk}/change/"
    moved = edit_form_data(
        client, recommendation, due_date="2027-06-30", due_date_reason="uitgesteld\x07"
    )
    response = client.post(url, moved)
    assert response.status_code == 200
    assert "due_date_reason" in response.context["adminform"].form.errors
    recommendation.refresh_from_db()
    assert recommendation.due_date == _date("2027-01-31")
    assert not DueDateRevision.objects.exists()


CHECKED_FIELDS = [
    (Recommendation, "title"),
    (Recommendation, "text"),
    (Recommendation, "priority_rationale"),
    (Recommendation, "code"),
    (Organisation, "name"),
    (PolicyDomain, "name_nl"),
    (StatusChange, "note"),
    (StatusChange, "evidence_url"),
    (DueDateRevision, "reason"),
    (Report, "title"),
    (Report, "abstract"),
    (Institute, "name"),
]


@pytest.mark.parametrize(
    ("model", "field"), CHECKED_FIELDS, ids=[f"{m.__name__}.{f}" for m, f in CHECKED_FIELDS]
)
@pytest.mark.parametrize("character", ["\x1b", "\u202e", "\ufeff", "\x9b"])
def test_the_database_refuses_what_validation_would_have(
    recommendation, coordinator, model, field, character
):
    """update() and bulk_create() skip validators: the CHECK constraint still holds."""
    if model is StatusChange:
        row = StatusChange.objects.create(
            recommendation=recommendation, from_status="open", to_status="accepted"
        )
    elif model is DueDateRevision:
        row = DueDateRevision.objects.create(recommendation=recommendation)
    elif model is Organisation:
        row = recommendation.owner
    elif model is PolicyDomain:
        row = recommendation.primary_domain
    elif model is Report:
        row = recommendation.report
    elif model is Institute:
        row = recommendation.report.institutes.first()
    else:
        row = recommendation
    manager = model._base_manager
    with pytest.raises(IntegrityError), transaction.atomic():
        manager.filter(pk=row.pk).update(**{field: f"x{character}y"})
    assert character not in getattr(manager.get(pk=row.pk), field)


def test_bulk_create_cannot_skip_the_rule(organisations):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.bulk_create([Organisation(slug="x", name="Naam\u202egnp")])
    assert not Organisation.objects.filter(slug="x").exists()


@pytest.mark.parametrize(
    ("suffix", "payload"),
    [
        ("", {"title": 5}),
        ("", {"text": True}),
        ("", {"priority_rationale": ["a"]}),
        ("", {"due_date": "2027-06-30", "due_date_reason": 7}),
        ("transition/", {"to_status": "accepted", "note": 12}),
    ],
)
def test_text_fields_take_text_not_numbers(api_as, coordinator, recommendation, suffix, payload):
    """DRF's CharField would store 5 as "5"."""
    client = api_as(coordinator)
    url = f"{URL}{recommendation.code}/{suffix}"
    response = (
        client.post(url, payload, format="json")
        if suffix
        else client.patch(url, payload, format="json")
    )
    assert response.status_code == 400, response.content
    recommendation.refresh_from_db()
    assert (recommendation.version, recommendation.title) == (1, "Sectorconvenant continueren")


@pytest.mark.django_db(transaction=True)
def test_upgrading_cleans_text_written_before_the_rule():
    """The constraints would refuse existing rows: the migrations clean them first (line
    breaks in one-line text become spaces, other refused characters are dropped)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [
        ("recommendations", "0006_due_date_in_range"),
        ("reports", "0004_report_bundle_number"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    institute = old.get_model("reports", "Institute").objects.create(
        name="IDEA\u200b Consult", short_name="IDEA", slug="idea"
    )
    report = old.get_model("reports", "Report").objects.create(
        number="1",
        sequence=1,
        slug="r1",
        title="Titel\nover twee regels",
        published=dt.date(2015, 4, 1),
        abstract="Samen\u202evatting\n\nmet alinea's",
    )
    report.institutes.add(institute)
    domain = old.get_model("recommendations", "PolicyDomain").objects.create(
        slug="werk", name_nl="Werk\ufeff", name_en="Work"
    )
    old.get_model("recommendations", "Recommendation").objects.create(
        report=report,
        position="1",
        code="R01-1",
        title="Een\ttitel",
        text="Tekst\x85met\u200b stuurtekens\nen een regel",
        source_start=1,
        source_end=1,
        primary_domain=domain,
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    item = Recommendation.objects.get(code="R01-1")
    assert (item.title, item.text) == ("Een titel", "Tekstmet stuurtekens\nen een regel")
    report = Report.objects.get(number="1")
    assert (report.title, report.abstract) == (
        "Titel over twee regels",
        "Samenvatting\n\nmet alinea's",
    )
    assert Institute.objects.get().name == "IDEA Consult"
    assert PolicyDomain.objects.get().name_nl == "Werk"


def test_keywords_are_plain_text_too(report):
    from django.core.exceptions import ValidationError

    report.keywords = ["sectorconvenants", "sociaal\u202e overleg"]
    with pytest.raises(ValidationError) as refused:
        report.full_clean()
    assert "keywords" in refused.value.message_dict


def test_account_names_follow_the_rule_in_the_admin(client, superuser, make_user):
    account = make_user("an.peeters")
    client.force_login(superuser)
    url = f"/admin/auth/user/{account.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("groups", "user_permissions", "password")
    }
    data.update({"first_name": "An\u202e", "last_name": "Peeters", "date_joined_0": "2026-01-01"})
    data["date_joined_1"] = "10:00"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "first_name" in response.context["adminform"].form.errors
    account.refresh_from_db()
    assert account.first_name == ""

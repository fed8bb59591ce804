"""The admin as the officers' workspace."""

import pytest
from admin_support import CHANGELIST, edit_form_data
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from recommendations import roles
from recommendations.models import Recommendation, Status, StatusChange


@pytest.fixture
def admin_client_en(client, superuser):
    client.force_login(superuser)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def items(make_recommendation, organisations):
    return [
        make_recommendation(position="1", title="Sectorconvenant continueren"),
        make_recommendation(
            position="2", title="Hefboomrol versterken", owner=organisations["vdab"]
        ),
    ]


def test_changelist_shows_columns_and_filters(
    admin_client_en, items, make_recommendation, other_report
):
    make_recommendation(report=other_report, position="1")
    response = admin_client_en.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    for text in ["R01-1", "Sectorconvenant continueren", "VDAB", "Werk", "Open"]:
        assert text in html
    titles = {str(spec.title) for spec in response.context["cl"].filter_specs}
    assert titles >= {"status", "report", "primary policy domain", "owner", "priority"}
    assert "time horizon" in titles
    assert "VIONA" in html


def test_changelist_filters_and_search(admin_client_en, items):
    by_owner = admin_client_en.get(CHANGELIST, {"owner__id__exact": items[1].owner_id})
    assert list(by_owner.context["cl"].result_list) == [items[1]]
    search = admin_client_en.get(CHANGELIST, {"q": "hefboomrol"})
    assert list(search.context["cl"].result_list) == [items[1]]


def test_changelist_query_count_does_not_grow(
    admin_client_en, make_recommendation, django_assert_max_num_queries
):
    for n in range(40):
        make_recommendation(position=f"7.{n}")
    with django_assert_max_num_queries(20):
        assert admin_client_en.get(CHANGELIST).status_code == 200


def test_change_page_shows_history_read_only(admin_client_en, items, superuser):
    from recommendations.services import transition_status

    transition_status(recommendation=items[0], to_status="accepted", user=superuser)
    response = admin_client_en.get(f"{CHANGELIST}{items[0].pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "status history" in html.lower()
    assert "Accepted" in html
    # the status is shown, not editable: it changes only through the transition action
    assert 'name="status"' not in html


def test_editing_a_recommendation_bumps_its_version(admin_client_en, items):
    item = items[0]
    data = edit_form_data(admin_client_en, item, due_date="2027-06-30")
    response = admin_client_en.post(f"{CHANGELIST}{item.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    item.refresh_from_db()
    assert str(item.due_date) == "2027-06-30"
    assert item.version == 2


def test_a_refused_edit_says_so_and_not_that_it_succeeded(admin_client_en, items, monkeypatch):
    """A refusal of the service (here a rule only it knows) shows on the form, which runs the
    service's own check: no "changed successfully", nothing written, no admin log entry."""
    from django.contrib.admin.models import LogEntry as AdminLogEntry
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError({"due_date": ["The due date rule refused this."]})

    monkeypatch.setattr("recommendations.forms.check_update", refuse)
    item = items[0]
    url = f"{CHANGELIST}{item.pk}/change/"
    data = edit_form_data(admin_client_en, item, due_date="2027-06-30")
    response = admin_client_en.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["due_date"] == [
        "The due date rule refused this."
    ]
    item.refresh_from_db()
    assert (item.due_date, item.version) == (None, 1)
    assert not AdminLogEntry.objects.exists()


def change_status(client, items, **form):
    return client.post(
        CHANGELIST,
        {
            "action": "change_status",
            ACTION_CHECKBOX_NAME: [item.pk for item in items],
            **form,
        },
        follow=True,
    )


def test_change_status_action_shows_an_intermediate_form(admin_client_en, items):
    response = admin_client_en.post(
        CHANGELIST, {"action": "change_status", ACTION_CHECKBOX_NAME: [i.pk for i in items]}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="to_status"' in html
    assert "R01-1" in html and "R01-2" in html
    assert not StatusChange.objects.exists()


def test_change_status_action_reports_each_item(admin_client_en, items, superuser):
    from recommendations.services import transition_status

    transition_status(recommendation=items[1], to_status="in_progress", user=superuser)

    response = change_status(admin_client_en, items, apply="1", to_status="accepted", note="")

    messages = [str(m) for m in response.context["messages"]]
    assert any("Status changed for 1 recommendation: R01-1" in m for m in messages)
    assert "R01-2: Cannot move from “In progress” to “Accepted”. Allowed: " in "".join(messages)
    assert not any(m.count("R01-2") > 1 for m in messages)  # the code once
    items[0].refresh_from_db()
    items[1].refresh_from_db()
    assert (items[0].status, items[1].status) == (Status.ACCEPTED, Status.IN_PROGRESS)


def test_change_status_action_refuses_closing_without_note(admin_client_en, items):
    """The form stays, with the selection and one error on the note, not one per item."""
    response = change_status(admin_client_en, items, apply="1", to_status="superseded")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "note": ["Moving to “Superseded” needs a note: the reason or the evidence."]
    }
    html = response.content.decode()
    for item in items:
        assert f'name="{ACTION_CHECKBOX_NAME}" value="{item.pk}"' in html
    assert '<option value="superseded" selected>' in html
    assert not list(response.context["messages"])
    assert not StatusChange.objects.exists()


def test_status_changes_cannot_be_edited_or_deleted_in_admin(admin_client_en, items, superuser):
    from recommendations.services import transition_status

    change = transition_status(recommendation=items[0], to_status="accepted", user=superuser)
    base = "/admin/recommendations/statuschange/"
    assert admin_client_en.get(base).status_code == 200
    assert admin_client_en.get(f"{base}add/").status_code == 403
    assert admin_client_en.post(f"{base}{change.pk}/delete/", {"post": "yes"}).status_code == 403
    admin_client_en.post(f"{base}{change.pk}/change/", {"note": "rewritten"})
    assert StatusChange.objects.get().note == ""


def test_report_page_lists_recommendations_with_status_counts(admin_client_en, items, report):
    response = admin_client_en.get(f"/admin/reports/report/{report.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "R01-1" in html and "R01-2" in html
    assert "Open: 2" in html
    listing = admin_client_en.get("/admin/reports/report/").content.decode()
    assert "IDEA" in listing


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/reports/institute/",
        "/admin/reports/report/",
        "/admin/recommendations/policydomain/",
        "/admin/recommendations/organisation/",
        "/admin/recommendations/statuschange/",
        "/admin/recommendations/recommendation/add/",
    ],
)
def test_every_admin_page_loads(admin_client_en, items, url):
    assert admin_client_en.get(url).status_code == 200


def test_autocomplete_for_relations(admin_client_en, organisations, items):
    response = admin_client_en.get(
        "/admin/autocomplete/",
        {
            "app_label": "recommendations",
            "model_name": "recommendation",
            "field_name": "owner",
            "term": "syn",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Syntra"]


def test_change_page_shows_provenance_and_the_passage(admin_client_en, loaded, source_path):
    from recommendations.models import Recommendation

    item = Recommendation.objects.get(code="R01-3.3")
    html = admin_client_en.get(f"{CHANGELIST}{item.pk}/change/").content.decode()
    assert "387–387" in html
    assert "  387  • De samenwerking met publieke partners als VDAB, Syntra, ESF" in html
    assert "R01-3" in html  # the parent
    assert "VDAB" in html  # an addressee


def test_passage_without_the_source_document(admin_client_en, items, settings, tmp_path):
    settings.VIONA_SOURCE_FILE = tmp_path / "missing.txt"
    html = admin_client_en.get(f"{CHANGELIST}{items[0].pk}/change/").content.decode()
    assert "The source document is not available on this server." in html


def test_accounts_are_deactivated_never_deleted(admin_client_en, coordinator):
    url = f"/admin/auth/user/{coordinator.pk}/"
    assert admin_client_en.get(f"{url}delete/").status_code == 403
    assert admin_client_en.post(f"{url}delete/", {"post": "yes"}).status_code == 403
    changelist = admin_client_en.get("/admin/auth/user/")
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()
    assert type(coordinator).objects.filter(pk=coordinator.pk).exists()


def test_an_edit_of_a_stale_page_is_refused(admin_client_en, items):
    item = items[0]
    stale = edit_form_data(admin_client_en, item, title="Mijn versie")
    Recommendation.objects.filter(pk=item.pk).update(title="Hun versie", version=2)
    response = admin_client_en.post(f"{CHANGELIST}{item.pk}/change/", stale)
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors == ["Someone else changed this recommendation meanwhile; reload it and retry."]
    item.refresh_from_db()
    assert (item.title, item.version) == ("Hun versie", 2)


def test_moving_a_due_date_in_the_admin_needs_a_reason(admin_client_en, items):
    item = items[0]
    url = f"{CHANGELIST}{item.pk}/change/"
    first = edit_form_data(admin_client_en, item, due_date="2027-01-31")
    assert admin_client_en.post(url, first).status_code == 302  # a first date is free
    moved = edit_form_data(admin_client_en, item, due_date="2027-06-30")
    response = admin_client_en.post(url, moved)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["due_date_reason"] == [
        "Changing or clearing a due date needs a reason."
    ]
    moved["due_date_reason"] = "begroting pas in het voorjaar"
    assert admin_client_en.post(url, moved).status_code == 302
    item.refresh_from_db()
    assert str(item.due_date) == "2027-06-30"
    revisions = list(item.due_date_revisions.values_list("previous_date", "new_date", "reason"))
    assert [(str(old), str(new), reason) for old, new, reason in revisions][-1] == (
        "2027-01-31",
        "2027-06-30",
        "begroting pas in het voorjaar",
    )


def test_coordinator_makes_an_account_member_of_an_organisation(
    client, coordinator, organisations, django_user_model, recommendation
):
    newcomer = django_user_model.objects.create_user("newcomer")
    django_user_model.objects.create_user("gone", is_active=False)
    client.force_login(coordinator)
    url = "/admin/recommendations/officer/add/"
    page = client.get(url)
    assert page.status_code == 200
    accounts = page.context["adminform"].form.fields["user"].queryset
    assert "newcomer" in [user.username for user in accounts]
    assert "gone" not in [user.username for user in accounts]

    response = client.post(url, {"user": newcomer.pk, "organisation": organisations["vdab"].pk})
    assert response.status_code == 302, page.context["adminform"].form.errors
    newcomer = django_user_model.objects.get(pk=newcomer.pk)  # no cached permissions
    assert newcomer.officer.organisation == organisations["vdab"]
    # A member follows up what the organisation owns, as `set_role --role editor` makes them.
    assert newcomer.is_staff
    assert roles.is_editor(newcomer) and not roles.is_coordinator(newcomer)
    assert roles.can_follow_up(newcomer, recommendation)


def test_making_a_coordinator_a_member_keeps_them_coordinator(
    client, coordinator, superuser, organisations
):
    client.force_login(superuser)
    response = client.post(
        "/admin/recommendations/officer/add/",
        {"user": coordinator.pk, "organisation": organisations["syntra"].pk},
    )
    assert response.status_code == 302
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    assert roles.is_coordinator(coordinator)
    assert roles.organisation_of(coordinator) == organisations["syntra"]


def test_a_due_date_before_1900_is_refused_in_the_admin(admin_client_en, items):
    item = items[0]
    data = edit_form_data(admin_client_en, item, due_date="0001-01-01")
    response = admin_client_en.post(f"{CHANGELIST}{item.pk}/change/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["due_date"] == [
        "Enter a date from 1900-01-01 to 9999-12-31."
    ]
    item.refresh_from_db()
    assert (item.due_date, item.version) == (None, 1)


def test_a_membership_moves_to_another_organisation_not_to_another_person(
    client, coordinator, editor, organisations, django_user_model
):
    newcomer = django_user_model.objects.create_user("newcomer")
    client.force_login(coordinator)
    url = f"/admin/recommendations/officer/{editor.officer.pk}/change/"
    response = client.post(url, {"user": newcomer.pk, "organisation": organisations["syntra"].pk})
    assert response.status_code == 302
    editor = type(editor).objects.get(pk=editor.pk)
    assert roles.organisation_of(editor) == organisations["syntra"] and roles.is_editor(editor)
    assert roles.organisation_of(newcomer) is None

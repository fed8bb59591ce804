"""Changing a status in the admin: on the item's own page and from the list (issue 14)."""

import datetime as dt

import pytest
from admin_support import CHANGELIST
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry

from recommendations.models import StatusChange
from recommendations.services import transition_status, update_recommendation


def login(client, user, language="en"):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def status_url(item):
    return f"{CHANGELIST}{item.pk}/status/"


def offered(form):
    return [value for value, _label in form.fields["to_status"].choices]


def test_the_item_page_offers_the_moves_the_lifecycle_allows_from_here(
    client, recommendation, editor
):
    transition_status(recommendation=recommendation, to_status="accepted", user=editor)
    response = login(client, editor).get(f"{CHANGELIST}{recommendation.pk}/change/")

    form = response.context["status_form"]
    assert offered(form) == [
        "",
        "in_progress",
        "implemented",
        "partially_implemented",
        "superseded",
    ]
    html = response.content.decode()
    assert f'action="{status_url(recommendation)}"' in html
    assert '<option value="" selected>' in html  # no target chosen for the user


def test_an_editor_is_not_offered_a_reopening_a_coordinator_is(
    client, recommendation, editor, coordinator
):
    transition_status(recommendation=recommendation, to_status="superseded", user=editor, note="x")
    page = f"{CHANGELIST}{recommendation.pk}/change/"

    assert "status_form" not in login(client, editor).get(page).context
    assert offered(login(client, coordinator).get(page).context["status_form"]) == [
        "",
        "under_consideration",
        "accepted",
        "in_progress",
    ]


def test_the_item_page_form_moves_the_item_and_logs_it_for_its_history_page(
    client, recommendation, editor
):
    response = login(client, editor).post(
        status_url(recommendation),
        {"to_status": "implemented", "note": "Decreet", "evidence_url": "https://werk.be/d"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{CHANGELIST}{recommendation.pk}/change/"
    change = StatusChange.objects.get()
    assert (change.to_status, change.note, change.evidence_url, change.changed_by) == (
        "implemented",
        "Decreet",
        "https://werk.be/d",
        editor,
    )
    entry = LogEntry.objects.get()
    assert (entry.object_id, entry.user) == (str(recommendation.pk), editor)
    history = client.get(f"{CHANGELIST}{recommendation.pk}/history/").content.decode()
    assert "Status changed from “Open” to “Implemented”." in history


def test_a_refusal_on_the_item_page_keeps_the_form_and_writes_nothing(
    client, recommendation, editor
):
    response = login(client, editor).post(
        status_url(recommendation), {"to_status": "superseded", "evidence_url": "https://x.be"}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "note": ["Moving to “Superseded” needs a note: the reason or the evidence."]
    }
    html = response.content.decode()
    assert '<option value="superseded" selected>' in html
    assert 'value="https://x.be"' in html
    assert f'href="{CHANGELIST}{recommendation.pk}/change/" class="button cancel-link"' in html
    assert not StatusChange.objects.exists()
    assert not LogEntry.objects.exists()


def test_a_move_no_longer_allowed_says_why_in_labels_with_the_code_once(
    client, recommendation, editor
):
    """The page was read at "open"; someone moved the item on meanwhile."""
    login(client, editor)
    transition_status(recommendation=recommendation, to_status="in_progress", user=editor)
    response = client.post(status_url(recommendation), {"to_status": "accepted"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "R01-1: Cannot move from “In progress” to “Accepted”. "
        "Allowed: Implemented, Partially implemented, Superseded."
    ]
    assert StatusChange.objects.count() == 1


def test_someone_elses_item_has_no_status_page(client, recommendation, other_editor):
    response = login(client, other_editor).post(
        status_url(recommendation), {"to_status": "accepted"}
    )
    assert response.status_code in (403, 404)
    assert not StatusChange.objects.exists()


def test_the_list_action_starts_with_no_target_and_offers_a_way_back(
    client, recommendation, superuser
):
    response = login(client, superuser).post(
        f"{CHANGELIST}?status__exact=open",
        {"action": "change_status", ACTION_CHECKBOX_NAME: [recommendation.pk]},
    )
    html = response.content.decode()
    assert '<option value="" selected>' in html
    assert '<option value="open"' not in html  # not a move from "open"
    assert f'href="{CHANGELIST}?status__exact=open" class="button cancel-link"' in html


def test_the_list_action_logs_each_move(client, make_recommendation, superuser):
    items = [make_recommendation(position="1"), make_recommendation(position="2")]
    login(client, superuser).post(
        CHANGELIST,
        {
            "action": "change_status",
            ACTION_CHECKBOX_NAME: [item.pk for item in items],
            "apply": "1",
            "to_status": "accepted",
        },
    )
    assert sorted(LogEntry.objects.values_list("object_id", flat=True)) == sorted(
        str(item.pk) for item in items
    )


def test_when_no_item_of_the_selection_may_move_the_form_stays(
    client, make_recommendation, superuser
):
    item = make_recommendation(position="1")
    transition_status(recommendation=item, to_status="in_progress", user=superuser)
    response = login(client, superuser).post(
        CHANGELIST,
        {
            "action": "change_status",
            ACTION_CHECKBOX_NAME: [item.pk],
            "apply": "1",
            "to_status": "implemented",
            "note": "klaar",
        },
    )
    assert response.status_code == 302  # it moved: back to the list
    response = client.post(
        CHANGELIST,
        {
            "action": "change_status",
            ACTION_CHECKBOX_NAME: [item.pk],
            "apply": "1",
            "to_status": "superseded",
            "note": "toch niet",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "R01-1: Cannot move from “Implemented” to “Superseded”. "
        "Allowed: Under consideration, Accepted, In progress."
    ]
    assert f'name="{ACTION_CHECKBOX_NAME}" value="{item.pk}"' in response.content.decode()


def test_history_captions_read_as_a_person_reads_them(
    client, recommendation, superuser, coordinator
):
    transition_status(recommendation=recommendation, to_status="accepted", user=superuser)
    update_recommendation(
        recommendation=recommendation,
        user=coordinator,
        changes={"due_date": dt.date(2027, 6, 30)},
    )
    html = login(client, superuser).get(f"{CHANGELIST}{recommendation.pk}/change/")
    text = html.content.decode()
    assert "Open → Accepted, " in text
    assert "Due date no due date → June 30, 2027" in text
    assert f"{recommendation.pk}: open → accepted" not in text
    assert f"{recommendation.pk}: None → 2027-06-30" not in text


@pytest.mark.parametrize("language", ["en", "nl-be"])
def test_an_editor_sees_what_they_may_not_open_as_text(client, recommendation, editor, language):
    html = login(client, editor, language).get(f"{CHANGELIST}{recommendation.pk}/change/")
    text = html.content.decode()
    assert html.status_code == 200
    for forbidden in [
        "/admin/reports/report/",
        "/admin/recommendations/organisation/",
        "/admin/recommendations/policydomain/",
    ]:
        assert forbidden not in text
    assert "Naar een vernieuwde sectorale insteek" in text  # the report, as text
    assert "VDAB" in text and "Werk" in text


def test_who_may_open_the_report_gets_the_link(client, recommendation, superuser):
    text = login(client, superuser).get(f"{CHANGELIST}{recommendation.pk}/change/")
    assert (
        f'href="/admin/reports/report/{recommendation.report_id}/change/"' in text.content.decode()
    )


def test_the_title_is_a_wide_box_that_stays_one_line(client, recommendation, superuser):
    from admin_support import edit_form_data

    login(client, superuser)
    page = client.get(f"{CHANGELIST}{recommendation.pk}/change/").content.decode()
    assert '<textarea name="title"' in page
    data = edit_form_data(client, recommendation, title="Sectorconvenant\r\ncontinueren")
    response = client.post(f"{CHANGELIST}{recommendation.pk}/change/", data)
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.title == "Sectorconvenant continueren"


def test_the_list_brings_its_stylesheet(client, recommendation, superuser):
    html = login(client, superuser).get(CHANGELIST).content.decode()
    assert "recommendations/admin.css" in html
    assert 'style="' not in html.split("<body", 1)[1].replace('style="display:none"', "")


def test_admin_home_lists_the_recommendations_first_and_links_the_overview(client, superuser):
    response = login(client, superuser).get("/admin/")
    labels = [app["app_label"] for app in response.context["app_list"]]
    assert labels[:2] == ["recommendations", "reports"]
    html = response.content.decode()
    main = html.split('id="content-main"', 1)[1]
    assert 'id="followup-overview-link"' in main  # inside the main column, not beside it
    assert "<td>" not in main.split('id="followup-overview-link"', 1)[1].split("</table>", 1)[0]


@pytest.mark.parametrize("path", ["/admin/", "/admin/login/", "/overview/"])
def test_every_page_names_its_icon_and_the_icon_is_served(client, superuser, path):
    if path != "/admin/login/":
        login(client, superuser)
    html = client.get(path).content.decode()
    assert '<link rel="icon" href="/static/viona/favicon.svg" type="image/svg+xml">' in html
    icon = client.get("/static/viona/favicon.svg")
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)

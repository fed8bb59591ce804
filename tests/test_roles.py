"""Who may change what: one table, every role against every write endpoint.

Like pretix's permission tests: a row per (role, write, own or other organisation's item).
"""

import pytest

from recommendations.models import Status, StatusChange
from recommendations.services import transition_status

URL = "/api/v1/recommendations/"


@pytest.fixture
def users(make_user, organisations, superuser, editor, other_editor, coordinator):
    return {
        "anonymous": None,
        "reader": make_user("reader"),
        "staff_without_role": make_user("staff", is_staff=True),
        "editor": editor,
        "other_editor": other_editor,
        "coordinator": coordinator,
        "superuser": superuser,
    }


@pytest.fixture
def closed(make_recommendation, organisations, superuser):
    item = make_recommendation(position="8", owner=organisations["vdab"])
    transition_status(recommendation=item, to_status="not_accepted", user=superuser, note="nee")
    return item


WRITES = {
    "accept": ("post", "transition/", {"to_status": "accepted"}),
    "close": ("post", "transition/", {"to_status": "implemented", "note": "gedaan"}),
    "reopen": ("post", "transition/", {"to_status": "under_consideration", "note": "opnieuw"}),
    "set_due_date": ("patch", "", {"due_date": "2027-06-30"}),
    "set_officer": ("patch", "", {"follow_up_officer": "editor"}),
    "assign_owner": ("patch", "", {"owner": "syntra-vlaanderen"}),
    "set_priority": ("patch", "", {"priority": "high", "priority_rationale": "minister"}),
    "edit_text": ("patch", "", {"title": "Nieuwe titel"}),
    # A closed item's due date is history: only a coordinator, who may reopen, moves it.
    "closed_due_date": ("patch", "", {"due_date": "2027-06-30"}),
}
ON_CLOSED_ITEM = {"reopen", "closed_due_date"}

# expected status code per role, for an item owned by VDAB (the editor's organisation)
MATRIX = {
    #                    accept close reopen due  officer owner priority text closed due
    "anonymous": (401, 401, 401, 401, 401, 401, 401, 401, 401),
    "reader": (403, 403, 403, 403, 403, 403, 403, 403, 403),
    "staff_without_role": (403, 403, 403, 403, 403, 403, 403, 403, 403),
    "editor": (200, 200, 403, 200, 200, 403, 403, 403, 403),
    "other_editor": (403, 403, 403, 403, 403, 403, 403, 403, 403),
    "coordinator": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "superuser": (200, 200, 200, 200, 200, 200, 200, 200, 200),
}
CASES = [
    (role, write, expected)
    for role, codes in MATRIX.items()
    for write, expected in zip(WRITES, codes, strict=True)
]


@pytest.mark.parametrize(("role", "write", "expected"), CASES)
def test_permission_matrix(api, users, recommendation, closed, role, write, expected):
    method, suffix, payload = WRITES[write]
    item = closed if write in ON_CLOSED_ITEM else recommendation
    if users[role] is not None:
        api.force_authenticate(users[role])
    before = (StatusChange.objects.count(), item.version, item.due_date)

    response = getattr(api, method)(f"{URL}{item.code}/{suffix}", payload, format="json")

    assert response.status_code == expected, response.content
    item.refresh_from_db()
    if expected != 200:
        assert (StatusChange.objects.count(), item.version, item.due_date) == before  # nothing


def test_editors_see_only_their_organisations_items_in_the_admin(
    client, editor, make_recommendation, organisations
):
    own = make_recommendation(position="1", owner=organisations["vdab"])
    other = make_recommendation(position="2", owner=organisations["syntra"])
    client.force_login(editor)
    listing = client.get("/admin/recommendations/recommendation/")
    assert list(listing.context["cl"].result_list) == [own]
    assert client.get(f"/admin/recommendations/recommendation/{other.pk}/change/").status_code in (
        302,
        403,
        404,
    )
    page = client.get(f"/admin/recommendations/recommendation/{own.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert set(form.fields) >= {"due_date", "follow_up_officer"}
    assert "owner" not in form.fields and "priority" not in form.fields


def test_editor_cannot_add_or_delete_in_the_admin(client, editor, recommendation):
    client.force_login(editor)
    assert client.get("/admin/recommendations/recommendation/add/").status_code == 403
    delete = f"/admin/recommendations/recommendation/{recommendation.pk}/delete/"
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_editor_changes_status_in_the_admin_only_where_allowed(
    client, editor, make_recommendation, organisations
):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    own = make_recommendation(position="1", owner=organisations["vdab"])
    other = make_recommendation(position="2", owner=organisations["syntra"])
    client.force_login(editor)
    client.post(
        "/admin/recommendations/recommendation/",
        {
            "action": "change_status",
            ACTION_CHECKBOX_NAME: [own.pk, other.pk],
            "apply": "1",
            "to_status": "accepted",
        },
    )
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.status, other.status) == (Status.ACCEPTED, Status.OPEN)


@pytest.mark.parametrize(
    ("role", "url", "expected"),
    [
        ("editor", "/admin/recommendations/statuschange/", 200),
        ("editor", "/admin/recommendations/duedaterevision/", 200),
        ("editor", "/admin/auditlog/logentry/", 403),
        ("editor", "/admin/auth/user/", 403),
        ("coordinator", "/admin/recommendations/statuschange/", 200),
        ("coordinator", "/admin/recommendations/duedaterevision/", 200),
        ("coordinator", "/admin/auditlog/logentry/", 200),
        ("coordinator", "/admin/auth/user/", 403),
    ],
)
def test_what_each_role_reads_in_the_admin(client, editor, coordinator, role, url, expected):
    client.force_login({"editor": editor, "coordinator": coordinator}[role])
    assert client.get(url).status_code == expected


@pytest.mark.parametrize(
    "url", ["/admin/recommendations/statuschange/", "/admin/recommendations/duedaterevision/"]
)
def test_editors_see_only_their_organisations_history_in_the_admin(
    client, editor, coordinator, make_recommendation, organisations, url
):
    """One workspace rule (roles.in_workspace) for every admin list an editor can open."""
    import datetime as dt

    from recommendations.services import update_recommendation

    own = make_recommendation(position="1", owner=organisations["vdab"])
    other = make_recommendation(position="2", owner=organisations["syntra"])
    for item in (own, other):
        transition_status(recommendation=item, to_status="accepted", user=coordinator)
        update_recommendation(
            recommendation=item, user=coordinator, changes={"due_date": dt.date(2027, 1, 31)}
        )
    client.force_login(editor)
    shown = {entry.recommendation for entry in client.get(url).context["cl"].result_list}
    assert shown == {own}
    client.force_login(coordinator)
    shown = {entry.recommendation for entry in client.get(url).context["cl"].result_list}
    assert shown == {own, other}


def test_editor_names_a_follow_up_officer_in_the_admin(
    client, editor, make_user, recommendation, django_user_model
):
    colleague = make_user("colleague", "editor")
    django_user_model.objects.create_user("gone", is_active=False)
    client.force_login(editor)
    url = f"/admin/recommendations/recommendation/{recommendation.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    field = page.context["adminform"].form.fields["follow_up_officer"]
    assert [user.username for user in field.queryset] == ["colleague", "editor"]
    assert 'name="follow_up_officer"' in page.content.decode()
    response = client.post(
        url,
        {
            "follow_up_officer": colleague.pk,
            "due_date": "",
            "due_date_reason": "",
            "expected_version": recommendation.version,
            **_empty_inline_forms(page),
        },
    )
    assert response.status_code == 302, page.context["adminform"].form.errors
    recommendation.refresh_from_db()
    assert recommendation.follow_up_officer == colleague


def _empty_inline_forms(page) -> dict:
    """The management form data of the read-only history inlines on a change page."""
    data = {}
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name, field in management.fields.items():
            data[management.add_prefix(name)] = management.initial.get(name, field.initial)
    return data


@pytest.mark.parametrize("role", ["editor", "reader", "anonymous"])
def test_only_a_coordinator_adds_recommendations_whatever_the_interface(
    make_user, editor, report, domains, role
):
    """The rule is the service's (save_recommendation), not only the admin's add button."""
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    from recommendations.models import Recommendation
    from recommendations.services import save_recommendation

    user = {"editor": editor, "reader": make_user("reader"), "anonymous": AnonymousUser()}[role]
    item = Recommendation(
        report=report,
        position="9",
        code="R01-9",
        title="Nieuw",
        text="Nieuw.",
        source_start=1,
        source_end=1,
        primary_domain=domains["werk"],
    )
    with pytest.raises(PermissionDenied):
        save_recommendation(recommendation=item, user=user)
    assert not Recommendation.objects.filter(code="R01-9").exists()

"""`manage.py set_role`: users with a role and an organisation, from the command line."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from recommendations import roles


def test_create_an_editor_of_an_organisation(organisations, recommendation, capsys, monkeypatch):
    monkeypatch.setenv("NEW_PASSWORD", "s3cret-enough")
    call_command(
        "set_role",
        "an",
        "--role",
        "editor",
        "--organisation",
        "vdab",
        "--email",
        "an@vlaanderen.be",
        "--password-env",
        "NEW_PASSWORD",
    )
    assert "Created an: editor of VDAB." in capsys.readouterr().out
    user = get_user_model().objects.get(username="an")
    assert user.is_staff and user.check_password("s3cret-enough")
    assert roles.is_editor(user) and not roles.is_coordinator(user)
    assert roles.can_follow_up(user, recommendation)


def test_change_role_replaces_the_old_one(organisations, recommendation):
    call_command("set_role", "an", "--role", "editor", "--organisation", "syntra-vlaanderen")
    user = get_user_model().objects.get(username="an")
    assert not roles.can_follow_up(user, recommendation)

    call_command("set_role", "an", "--role", "coordinator")
    user = get_user_model().objects.get(username="an")
    assert roles.is_coordinator(user) and roles.can_follow_up(user, recommendation)
    assert list(user.groups.values_list("name", flat=True)) == ["coordinators"]

    call_command("set_role", "an", "--role", "reader")
    user = get_user_model().objects.get(username="an")
    assert not user.is_staff and not user.groups.exists()
    assert not roles.may_write_at_all(user)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--role", "editor"], "An editor belongs to an organisation"),
        (["--role", "editor", "--organisation", "nasa"], "No organisation with slug"),
        (["--role", "coordinator", "--password-env", "UNSET_VARIABLE"], "empty or unset"),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(organisations, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("set_role", "bob", *arguments)
    assert not get_user_model().objects.filter(username="bob").exists()


def test_unknown_role_is_refused(db):
    with pytest.raises(CommandError):
        call_command("set_role", "bob", "--role", "admin")

"""The commands behind `make run`."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command


def test_dev_superuser_is_created_once_in_debug_mode(db, settings, capsys, english):
    settings.DEBUG = True
    call_command("ensure_dev_superuser")
    assert "admin / admin" in capsys.readouterr().out
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password("admin")

    user.set_password("changed")
    user.save()
    call_command("ensure_dev_superuser")
    assert "exists already" in capsys.readouterr().out
    user.refresh_from_db()
    assert user.check_password("changed")


def test_dev_superuser_is_refused_outside_debug_mode(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("ensure_dev_superuser")
    assert not get_user_model().objects.exists()

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

USERNAME = "admin"
PASSWORD = "admin"


class Command(BaseCommand):
    help = "In debug mode, create the local superuser admin/admin when no superuser exists."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(_("Refusing to create a development superuser outside debug mode."))
        users = get_user_model().objects
        if users.filter(is_superuser=True).exists():
            self.stdout.write(_("A superuser exists already; log in with it at /admin/."))
            return
        users.create_superuser(USERNAME, email="", password=PASSWORD)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Created the development superuser: log in at "
                    "http://127.0.0.1:8000/admin/ as %(username)s / %(password)s (debug mode "
                    "only; change it for anything shared)."
                )
                % {"username": USERNAME, "password": PASSWORD}
            )
        )

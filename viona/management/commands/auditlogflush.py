from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    """Replaces django-auditlog's command of the same name, which deletes audit entries.

    The audit trail answers "who changed this, when, from what"; no interface may delete it.
    This app is listed before ``auditlog`` in INSTALLED_APPS so that this command wins."""

    help = "Refuses to delete the audit trail (django-auditlog's flush is disabled here)."

    def add_arguments(self, parser):
        # auditlog's options, so that a scripted call fails with the reason, not a usage error.
        parser.add_argument("-y", "--yes", action="store_true")
        parser.add_argument("-b", "--before-date")
        parser.add_argument("-t", "--truncate", action="store_true")

    def handle(self, *args, **options):
        raise CommandError(
            _("The audit trail cannot be deleted: it answers who changed what, and when.")
        )

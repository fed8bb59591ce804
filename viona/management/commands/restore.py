from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from viona.backup import RestoreRefused, read_backup, restore_followup


class Command(BaseCommand):
    help = "Load a file written by `manage.py backup` into a fresh (migrated, empty) database."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            count = restore_followup(read_backup(path))
        except RestoreRefused as refused:
            raise CommandError(
                _("%(problem)s. Nothing was restored.") % {"problem": refused}
            ) from refused
        self.stdout.write(
            self.style.SUCCESS(
                _("Restored %(count)s objects from %(path)s.") % {"count": count, "path": path}
            )
        )

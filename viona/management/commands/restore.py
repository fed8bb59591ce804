import json
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from viona.backup import RestoreRefused, restore_followup


class Command(BaseCommand):
    help = "Load a file written by `manage.py backup` into a fresh (migrated, empty) database."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            backup = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{path}: not a JSON backup ({error})") from error
        with tempfile.TemporaryDirectory() as folder:
            try:
                count = restore_followup(backup, fixture_path=Path(folder) / "backup.json")
            except RestoreRefused as refused:
                raise CommandError(str(refused)) from refused
        self.stdout.write(self.style.SUCCESS(f"Restored {count} objects from {path}."))

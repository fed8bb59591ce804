import contextlib
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from viona.backup import backup_json, export_followup


class Command(BaseCommand):
    help = (
        "Write everything the tracker holds (catalogue, follow-up, status history, due date "
        "revisions, audit trail, users with roles, tokens) to a JSON file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="the file to write (default: stdout)")

    def handle(self, *args, output: Path | None, **options):
        backup = export_followup()
        text = backup_json(backup) + "\n"
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            write_whole(output, text)
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror}") from error
        self.stderr.write(
            _("%(count)s objects written to %(path)s.")
            % {"count": len(backup["objects"]), "path": output}
        )


def write_whole(path: Path, text: str) -> None:
    """Write beside the file and then replace it: an interrupted backup never leaves a
    truncated file under the name of a good one. Readable by its owner only (it holds
    password hashes and API tokens)."""
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with open(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)
        raise

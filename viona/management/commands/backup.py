import json
from pathlib import Path

from django.core.management.base import BaseCommand

from viona.backup import export_followup


class Command(BaseCommand):
    help = (
        "Write everything the tracker holds (catalogue, follow-up, status history, due date "
        "revisions, audit trail, users with roles, tokens) to a JSON file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="the file to write (default: stdout)")

    def handle(self, *args, output: Path | None, **options):
        backup = export_followup()
        text = json.dumps(backup, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        if output is None:
            self.stdout.write(text, ending="")
            return
        output.write_text(text, encoding="utf-8")
        self.stderr.write(f"{len(backup['objects'])} objects written to {output}.")

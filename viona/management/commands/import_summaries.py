import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recommendations.drafts import draft_recommendations
from reports.bundle import BundleError, decode, parse_bundle
from reports.models import Report
from reports.services import import_reports


class Command(BaseCommand):
    help = (
        "Read a bundle of VIONA research summaries in the standard format and create or update "
        "its reports (metadata only: follow-up data is never touched)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the bundle's text (UTF-8)")
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would change and write nothing"
        )
        parser.add_argument(
            "--draft-recommendations",
            type=Path,
            metavar="FILE",
            help="also write candidate recommendations from section 5 to FILE, for curation",
        )

    def handle(self, *args, path: Path, dry_run: bool, draft_recommendations: Path | None, **o):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        try:
            lines = decode(data).splitlines()
            records = parse_bundle(lines)
        except BundleError as error:
            raise CommandError(f"{path}: {error}") from error

        result = import_reports(records=records, dry_run=dry_run)
        verb = "would be" if dry_run else "were"
        for change in result.changes:
            detail = f" ({', '.join(change.fields)})" if change.action == "update" else ""
            self.stdout.write(f"  {change.number:>5}  {change.action}{detail}")
        for name in result.new_institutes:
            self.stdout.write(f"  new institute: {name}")
        self.stdout.write(
            f"{len(records)} reports listed, {sum(r.has_summary for r in records)} summarised: "
            f"{result.count('create')} {verb} created, {result.count('update')} updated, "
            f"{result.count('unchanged')} unchanged."
        )
        if draft_recommendations:
            self._write_drafts(lines, records, draft_recommendations, dry_run)

    def _write_drafts(self, lines, records, target: Path, dry_run: bool):
        slugs = dict(Report.objects.values_list("number", "slug"))
        drafts = [
            item
            for record in records
            if record.has_summary
            for item in draft_recommendations(lines, record, slugs.get(record.number, ""))
        ]
        if dry_run:
            self.stdout.write(f"{len(drafts)} candidate recommendations (not written: dry run).")
            return
        target.write_text(json.dumps(drafts, ensure_ascii=False, indent=2) + "\n", "utf-8")
        self.stdout.write(f"{len(drafts)} candidate recommendations written to {target}.")

import json
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from recommendations.drafts import Drafts, drafts_for_import
from reports.bundle import BundleError, parse_bundle, read_bundle
from reports.services import FieldChange, ImportRefused, ImportResult, import_reports

ACTIONS = {
    False: {"create": "created", "update": "updated", "unchanged": "unchanged"},
    True: {"create": "would create", "update": "would update", "unchanged": "unchanged"},
}


class Command(BaseCommand):
    help = (
        "Read a bundle of VIONA research summaries in the standard format into the catalogue "
        "(report metadata only: follow-up data is never touched). Reports are matched on "
        "title, publication month and institute, never on their number in the bundle; a "
        "report the catalogue lacks gets the next free number. Nothing the catalogue holds is "
        "blanked or removed without --allow-removals."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the bundle's text (UTF-8, at most 10 MB)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="show what would change, field by field with old and new values; write nothing",
        )
        parser.add_argument(
            "--allow-removals",
            action="store_true",
            help="let the bundle blank filled fields, drop keywords and institutes and mark "
            "reports as not summarised (without it, such changes are listed and skipped)",
        )
        parser.add_argument(
            "--draft-recommendations",
            type=Path,
            metavar="FILE",
            help="also write candidate recommendations from section 5 to FILE, for curation "
            "(only for reports without recommendations yet); with --dry-run, FILE is not written",
        )

    def handle(self, *args, path: Path, dry_run: bool, allow_removals: bool, **options):
        try:
            lines = read_bundle(path)
            records = parse_bundle(lines)
        except BundleError as error:
            raise CommandError(f"{path}: {error}") from error
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        draft = _DraftFile(options["draft_recommendations"])
        try:
            with transaction.atomic():
                result = import_reports(
                    records=records, dry_run=dry_run, allow_removals=allow_removals
                )
                drafts = drafts_for_import(lines, result.changes) if draft.target else None
                if drafts and not dry_run:
                    draft.write(drafts.items)
        except ImportRefused as error:
            draft.discard()
            raise CommandError(f"{path}: {error}. Nothing was imported.") from error
        except OSError as error:
            draft.discard()
            raise CommandError(
                f"{draft.target}: cannot write the draft ({error.strerror}). Nothing was imported."
            ) from error
        except BaseException:
            draft.discard()
            raise
        self._show_result(result, records, dry_run)
        if drafts is not None:
            self._show_draft(draft, drafts, dry_run)

    def _show_draft(self, draft: "_DraftFile", drafts: Drafts, dry_run: bool) -> None:
        for number, held in drafts.spared.items():
            self.stdout.write(
                f"  catalogue report {number} has {held} recommendations already: none drafted"
            )
        what = (
            f"{len(drafts.items)} candidate recommendations for catalogue "
            f"report{'s' if len(drafts.reports) > 1 else ''} {', '.join(drafts.reports)}"
            if drafts.reports
            else "no candidate recommendations"
        )
        if dry_run:
            draft.discard()
            self.stdout.write(f"Dry run: {draft.target} not written; it would hold {what}.")
            return
        try:
            draft.commit()
        except OSError as error:
            raise CommandError(
                f"The import is done, but {draft.target} could not be put in place "
                f"({error.strerror}): the draft is in {draft.file.name}."
            ) from error
        self.stdout.write(f"{draft.target} written: {what}.")

    def _show_result(self, result: ImportResult, records, dry_run: bool) -> None:
        if dry_run:
            self.stdout.write("Dry run: nothing is written.")
        for change in result.changes:
            where = (
                f"new report {change.number}"
                if change.action == "create"
                else f"catalogue {change.number}"
            )
            self.stdout.write(
                f"  bundle {change.record.number:<5} → {where:<18} "
                f"{ACTIONS[dry_run][change.action]:<12}  {_shorten(change.record.title, 60)}"
            )
            for field_change in change.changes:
                self.stdout.write(f"      {_describe(field_change)}")
        for name in result.new_institutes:
            self.stdout.write(f"  new institute: {name}")
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{len(records)} reports listed, {sum(r.has_summary for r in records)} summarised: "
            f"{result.count('create')} {verb} created, {result.count('update')} updated, "
            f"{result.count('unchanged')} unchanged."
        )
        kept = [change for change in result.changes if change.kept]
        if kept:
            self.stdout.write(
                self.style.WARNING(
                    f"{sum(len(c.kept) for c in kept)} values of {len(kept)} reports kept that "
                    "the bundle lacks (“keeps” above); --allow-removals removes them."
                )
            )


def _describe(change: FieldChange) -> str:
    old, new = _show(change.old), _show(change.new)
    if isinstance(change.old, str) and isinstance(change.new, str) and change.old and change.new:
        # two long texts: show both from a little before where they part
        before, after = _flat(change.old), _flat(change.new)
        parting = next(
            (n for n, (a, b) in enumerate(zip(before, after, strict=False)) if a != b),
            min(len(before), len(after)),
        )
        old, new = (_quote(text, max(0, parting - 20)) for text in (before, after))
    if change.applied:
        return f"{change.name}: {old} → {new}"
    return f"keeps {change.name}: {old} (bundle: {new})"


def _show(value) -> str:
    if value in ("", [], {}, None):
        return "empty"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, list) and not any(isinstance(x, list) for x in value):
        return _shorten(", ".join(map(str, value)), 100)
    return _shorten(json.dumps(value), 100)


def _quote(text: str, start: int = 0, limit: int = 60) -> str:
    """A text in quotes, at most ``limit`` characters of it from ``start``."""
    text = _flat(text)
    if len(text) <= limit:
        return f"“{text}”"
    excerpt = ("…" if start else "") + text[start : start + limit]
    more = "…" if start + limit < len(text) else ""
    return f"“{excerpt}{more}” ({len(text)} characters)"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _shorten(text: str, limit: int) -> str:
    text = _flat(text)
    return text if len(text) <= limit else f"{text[:limit]}…"


class _DraftFile:
    """Where the draft goes, proven writable before anything is imported: it is written to a
    temporary file beside the target and put in place once the import is committed."""

    def __init__(self, target: Path | None):
        self.target, self.file = target, None
        if target is None:
            return
        problem = None
        if target.is_dir():
            problem = "it is a directory"
        elif target.exists() and not os.access(target, os.W_OK):
            problem = "not writable"
        else:
            try:
                # open across the import, closed by write() or discard()
                self.file = tempfile.NamedTemporaryFile(  # noqa: SIM115
                    "w",
                    encoding="utf-8",
                    dir=target.parent,
                    prefix=f".{target.name}.",
                    suffix=".tmp",
                    delete=False,
                )
            except OSError as error:
                problem = error.strerror
        if problem:
            raise CommandError(
                f"{target}: cannot write the draft ({problem}). Nothing was imported."
            )

    def write(self, drafts: list[dict]) -> None:
        if self.file is not None:
            self.file.write(json.dumps(drafts, ensure_ascii=False, indent=2) + "\n")
            self.file.close()

    def commit(self) -> None:
        os.replace(self.file.name, self.target)

    def discard(self) -> None:
        if self.file is not None:
            self.file.close()
            Path(self.file.name).unlink(missing_ok=True)

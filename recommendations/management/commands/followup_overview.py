import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from django.utils import translation

from recommendations.api.filters import RecommendationFilterSet
from recommendations.overview.computation import GroupBy
from recommendations.overview.formats import FORMATS, render
from recommendations.overview.query import OverviewRequestInvalid, overview_for
from recommendations.roles import INTERNAL, PUBLIC


def _language(code: str) -> str:
    """A language as given: ``nl`` (or ``NL``) means the only Dutch there is, ``nl-be``."""
    code = code.lower()
    return {full.split("-")[0]: full for full, _name in settings.LANGUAGES}.get(code, code)


def _list_filters():
    """The list's filters but ``as_of``: the overview's own option of that name applies it."""
    return [(n, f) for n, f in RecommendationFilterSet.base_filters.items() if n != "as_of"]


class Command(BaseCommand):
    help = (
        "The follow-up overview: counts per status by group, rates, status as of a date and "
        "what changed since; every filter of the recommendation list is an option "
        "(--status open --status accepted, --report-number 1, --owner vdab, ...)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--group-by", choices=GroupBy.values, default=GroupBy.REPORT)
        parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="default: today")
        parser.add_argument("--since", metavar="YYYY-MM-DD", help="list changes since then")
        parser.add_argument("--format", choices=FORMATS, default="md")
        parser.add_argument("--output", type=Path, help="the file to write (default: stdout)")
        parser.add_argument(
            "--public",
            action="store_true",
            help="as anonymous readers see it: organisations but no user names, and only "
            "published notes (for a report that leaves the administration)",
        )
        parser.add_argument(
            "--language",
            type=_language,
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="nl stands for nl-be",
        )
        filters = parser.add_argument_group("filters (as in the recommendation list API)")
        for name, filter_ in _list_filters():
            filters.add_argument(
                f"--{name.replace('_', '-')}",
                dest=f"filter_{name}",
                action="append",
                metavar="VALUE",
                help=str(filter_.label or ""),
            )

    def handle(self, *args, **options):
        query = QueryDict(mutable=True)
        for name in ("group_by", "as_of", "since"):
            if options[name]:
                query[name] = options[name]
        for name, _filter in _list_filters():
            query.setlist(name, options[f"filter_{name}"] or [])
        fmt, output = options["format"], options["output"]
        if fmt == "xlsx" and output is None and sys.stdout.isatty():
            raise CommandError("--format xlsx writes a binary file: give --output FILE.")
        with translation.override(options["language"]):
            try:
                audience = PUBLIC if options["public"] else INTERNAL
                overview = overview_for(query, audience=audience)
            except OverviewRequestInvalid as invalid:
                raise CommandError(
                    "; ".join(
                        f"--{name.replace('_', '-')}: {' '.join(messages)}"
                        for name, messages in invalid.errors.items()
                    )
                ) from invalid
            content = render(overview, fmt)
        if output is None:
            self.stdout.flush()
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
            return
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror}") from error
        with translation.override(options["language"]):
            self.stderr.write(
                translation.gettext("Overview written to %(file)s (status as of %(date)s).")
                % {"file": output, "date": overview.as_of}
            )

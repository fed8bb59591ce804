import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _

from recommendations.api.filters import RecommendationFilterSet
from recommendations.overview.query import OverviewRequestInvalid, trend_for
from recommendations.overview.trend import Period
from recommendations.overview.trend_formats import FORMATS, render
from recommendations.roles import INTERNAL


class Command(BaseCommand):
    help = (
        "The follow-up trend: the number of items per status at the end of each month or "
        "quarter, rebuilt from the history; every filter of the recommendation list is an "
        "option (--status and --closed judge each item on each date; --overdue is refused)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", choices=Period.values, default=Period.MONTH)
        parser.add_argument("--start", metavar="YYYY-MM-DD", help="default: 23 months before")
        parser.add_argument("--end", metavar="YYYY-MM-DD", help="the last point; default: today")
        parser.add_argument("--format", choices=FORMATS, default="md")
        parser.add_argument("--output", type=Path, help="the file to write (default: stdout)")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
        )
        filters = parser.add_argument_group("filters (as in the recommendation list API)")
        for name, filter_ in RecommendationFilterSet.base_filters.items():
            filters.add_argument(
                f"--{name.replace('_', '-')}",
                dest=f"filter_{name}",
                action="append",
                metavar="VALUE",
                help=str(filter_.label or ""),
            )

    def handle(self, *args, **options):
        query = QueryDict(mutable=True)
        for name in ("period", "start", "end"):
            if options[name]:
                query[name] = options[name]
        for name in RecommendationFilterSet.base_filters:
            query.setlist(name, options[f"filter_{name}"] or [])
        fmt, output = options["format"], options["output"]
        if fmt == "xlsx" and output is None and sys.stdout.isatty():
            raise CommandError("--format xlsx writes a binary file: give --output FILE.")
        with translation.override(options["language"]):
            try:
                # A trend names no one: the audience changes nothing.
                trend = trend_for(query, audience=INTERNAL)
            except OverviewRequestInvalid as invalid:
                raise CommandError(
                    "; ".join(
                        f"--{name.replace('_', '-')}: {' '.join(messages)}"
                        for name, messages in invalid.errors.items()
                    )
                ) from invalid
            content = render(trend, fmt)
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
                _("Trend written to %(file)s (%(start)s to %(end)s).")
                % {"file": output, "start": trend.start, "end": trend.end}
            )

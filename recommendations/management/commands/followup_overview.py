from django.utils.translation import gettext as _

from recommendations.management.query_command import QueryCommand
from recommendations.overview.computation import GroupBy
from recommendations.overview.formats import FORMATS, render
from recommendations.overview.query import overview_for
from recommendations.roles import INTERNAL, PUBLIC


class Command(QueryCommand):
    help = (
        "The follow-up overview: counts per status by group, rates, status as of a date and "
        "what changed since; every filter of the recommendation list is an option "
        "(--status open --status accepted, --report-number 1, --owner vdab, ...)."
    )
    query_options = ("group_by", "as_of", "since")
    formats = FORMATS

    def add_options(self, parser):
        parser.add_argument("--group-by", choices=GroupBy.values, default=GroupBy.REPORT)
        parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="default: today")
        parser.add_argument("--since", metavar="YYYY-MM-DD", help="list changes since then")
        parser.add_argument(
            "--public",
            action="store_true",
            help="as anonymous readers see it: organisations but no user names, and only "
            "published notes (for a report that leaves the administration)",
        )

    def compute(self, query, options):
        return overview_for(query, audience=PUBLIC if options["public"] else INTERNAL)

    def render(self, overview, fmt):
        return render(overview, fmt)

    def written(self, overview, output):
        return _("Overview written to %(file)s (status as of %(date)s).") % {
            "file": output,
            "date": overview.as_of,
        }

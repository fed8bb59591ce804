from django.utils.translation import gettext as _

from recommendations.management.query_command import QueryCommand
from recommendations.overview.query import trend_for
from recommendations.overview.trend import Period
from recommendations.overview.trend_formats import FORMATS, render
from recommendations.roles import INTERNAL


class Command(QueryCommand):
    help = (
        "The follow-up trend: the number of items per status at the end of each month or "
        "quarter, rebuilt from the history; every filter of the recommendation list is an "
        "option (--status and --closed judge each item on each date; --overdue is refused)."
    )
    query_options = ("period", "start", "end")
    formats = FORMATS

    def add_options(self, parser):
        parser.add_argument("--period", choices=Period.values, default=Period.MONTH)
        parser.add_argument("--start", metavar="YYYY-MM-DD", help="default: 23 months before")
        parser.add_argument("--end", metavar="YYYY-MM-DD", help="the last point; default: today")

    def compute(self, query, options):
        return trend_for(query, audience=INTERNAL)  # a trend names no one

    def render(self, trend, fmt):
        return render(trend, fmt)

    def written(self, trend, output):
        return _("Trend written to %(file)s (%(start)s to %(end)s).") % {
            "file": output,
            "start": trend.start,
            "end": trend.end,
        }

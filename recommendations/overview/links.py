"""From an overview's counts to the recommendation list of exactly the items counted."""

import datetime as dt
from urllib.parse import urlencode

from django.http import QueryDict

from recommendations.overview.computation import Counts, Overview
from recommendations.overview.query import OverviewOptionsForm

# Parameters of the overview's own that the list does not take (``as_of`` is added back).
_NOT_FOR_THE_LIST = {*OverviewOptionsForm.base_fields, "format", "page", "page_size"}


class DrillDown:
    """The list addresses of an overview's counts: the page's own filters, the group's filter,
    the status counted and the overview's date, on which the list judges the status (by the
    same rule). A count of nothing gets no link: the filters it would combine may contradict
    each other (a status cell outside the page's status filter)."""

    def __init__(self, query: QueryDict, as_of: dt.date, list_url: str):
        self.list_url = list_url
        self.as_of = as_of
        self.filters = [
            (name, value)
            for name, values in query.lists()
            if name not in _NOT_FOR_THE_LIST
            for value in values
            if value
        ]

    def url(self, count: int, group_filter=None, *, status=None, overdue=False) -> str | None:
        if not count:
            return None
        replaced = {"status"} if status else set()
        if overdue:
            replaced.add("overdue")
        params = [(name, value) for name, value in self.filters if name not in replaced]
        if group_filter:
            params.append(group_filter)
        if status:
            params.append(("status", status))
        if overdue:
            params.append(("overdue", "true"))
        params.append(("as_of", self.as_of.isoformat()))
        return f"{self.list_url}?{urlencode(params)}"

    def cells(self, counts: Counts, group_filter=None) -> dict:
        """The links of one row: per status (in the order of ``counts.by_status``), the total
        and the overdue items."""
        return {
            "statuses": [
                self.url(n, group_filter, status=status) for status, n in counts.by_status.items()
            ],
            "total": self.url(counts.total, group_filter),
            "overdue": self.url(counts.overdue, group_filter, overdue=True),
        }

    def of(self, overview: Overview) -> dict:
        """The links of every group (none for a group the list cannot select, such as "no
        domain") and of the totals."""
        return {
            "groups": [
                self.cells(group.counts if group.filter else Counts.empty(), group.filter)
                for group in overview.groups
            ],
            "totals": self.cells(overview.totals),
        }

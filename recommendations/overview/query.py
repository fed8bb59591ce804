"""From a query (URL parameters or command options) to an overview: the recommendation
list's filters plus the overview's options, validated once for the API, the page and the
command."""

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recommendations.api.filters import RecommendationFilterSet
from recommendations.models import Recommendation
from recommendations.overview.computation import (
    STATUS_FILTERS,
    GroupBy,
    Overview,
    build_overview,
)
from recommendations.overview.trend import (
    MAX_POINTS,
    Period,
    Trend,
    build_trend,
    counted_statuses,
    default_start,
    point_dates,
)
from recommendations.roles import Audience
from viona.dates import IsoDateField


class OverviewOptionsForm(forms.Form):
    """How an overview is cut: grouping, the date it shows, the date changes are listed from."""

    group_by = forms.ChoiceField(
        label=_("Group by"), choices=GroupBy.choices, required=False, initial=GroupBy.REPORT
    )
    as_of = IsoDateField(
        label=_("Status as of"),
        required=False,
        help_text=_("The picture on this date, rebuilt from the history (default: today)."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    since = IsoDateField(
        label=_("Changes since"),
        required=False,
        help_text=_("List the status changes and new items from this date on."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def _not_in_future(self, name):
        day = self.cleaned_data.get(name)
        if day and day > timezone.localdate():
            raise forms.ValidationError(
                _("%(date)s lies in the future."), params={"date": day.isoformat()}
            )
        return day

    def clean_as_of(self):
        return self._not_in_future("as_of")

    def clean_since(self):
        return self._not_in_future("since")

    def clean_group_by(self):
        return self.cleaned_data.get("group_by") or GroupBy.REPORT

    def clean(self):
        cleaned = super().clean()
        since, as_of = cleaned.get("since"), cleaned.get("as_of")
        if since and as_of and since > as_of:
            self.add_error("since", _("“Changes since” must not lie after “status as of”."))
        return cleaned


class OverviewRequestInvalid(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def _filtered(query: QueryDict, recommendations, options: forms.Form):
    """The recommendation list's filters in ``query``, validated with ``options``: the items
    selected by their current values, the filters as given, and the cleaned status filters
    (which judge status on a date: the caller's to apply). Raises ``OverviewRequestInvalid``
    with the errors per parameter."""
    filterset = RecommendationFilterSet(
        query, queryset=recommendations if recommendations is not None else Recommendation.objects
    )
    filters_valid, options_valid = filterset.is_valid(), options.is_valid()
    if not (filters_valid and options_valid):
        errors = {**filterset.errors, **options.errors}
        raise OverviewRequestInvalid({k: [str(m) for m in v] for k, v in errors.items()})
    used = {
        name: [value for value in query.getlist(name) if value]
        for name in filterset.filters
        if name != "as_of" and any(query.getlist(name))
    }
    status_filters = {name: filterset.form.cleaned_data.get(name) for name in STATUS_FILTERS}
    other_filters = query.copy()
    # ``as_of``: the list's filter of that name judges the status filters on that date; here
    # the caller does (the overview's ``as_of`` option is its twin).
    for name in (*STATUS_FILTERS, "as_of"):
        other_filters.pop(name, None)
    items = RecommendationFilterSet(other_filters, queryset=filterset.queryset).qs
    return items, used, status_filters


def overview_for(query: QueryDict, recommendations=None, *, audience: Audience) -> Overview:
    """The overview a query asks for: the recommendation list's filters plus the options,
    showing people and notes as ``audience`` may see them. Raises ``OverviewRequestInvalid``
    with the errors per parameter."""
    options = OverviewOptionsForm(query)
    items, used, status_filters = _filtered(query, recommendations, options)
    # The status filters apply to the status on the overview's date: the overview's to apply.
    return build_overview(
        recommendations=items,
        filters=used,
        status_filters=status_filters,
        audience=audience,
        **options.cleaned_data,
    )


class TrendOptionsForm(forms.Form):
    """Which points a trend shows: one per month or quarter from ``start`` to ``end``."""

    period = forms.ChoiceField(label=_("Per"), choices=Period.choices, required=False)
    start = IsoDateField(label=_("From"), required=False)
    end = IsoDateField(label=_("Up to"), required=False)

    def clean_period(self):
        return self.cleaned_data.get("period") or Period.MONTH

    def clean_end(self):
        end = self.cleaned_data.get("end") or timezone.localdate()
        if end > timezone.localdate():
            raise forms.ValidationError(
                _("%(date)s lies in the future."), params={"date": end.isoformat()}
            )
        return end

    def clean(self):
        cleaned = super().clean()
        end, period = cleaned.get("end"), cleaned.get("period")
        if end is None or period is None:
            return cleaned
        start = cleaned.get("start") or default_start(end)
        cleaned["start"] = start
        if start > end:
            self.add_error("start", _("“From” must not lie after “up to”."))
        elif len(point_dates(start, end, period)) > MAX_POINTS:
            self.add_error(
                "start",
                _("A trend shows at most %(n)d points: choose a later start or quarters.")
                % {"n": MAX_POINTS},
            )
        return cleaned


def trend_for(query: QueryDict, recommendations=None, *, audience: Audience) -> Trend:
    """The trend a query asks for: the overview's filters plus ``period``, ``start`` and
    ``end``. ``status`` and ``closed`` judge each item on each point (they keep or drop
    status series); ``overdue`` would need the due date on every point and is refused.
    A trend names no one, so ``audience`` changes nothing yet; it is taken for symmetry
    with ``overview_for``."""
    options = TrendOptionsForm(query)
    items, used, status_filters = _filtered(query, recommendations, options)
    if status_filters.get("overdue") is not None:
        raise OverviewRequestInvalid(
            {"overdue": [str(_("The trend cannot select by overdue; leave this filter out."))]}
        )
    return build_trend(
        recommendations=items,
        statuses=counted_statuses(**status_filters),
        filters=used,
        **options.cleaned_data,
    )

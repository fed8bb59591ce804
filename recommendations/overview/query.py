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


def overview_for(query: QueryDict, recommendations=None, *, audience: Audience) -> Overview:
    """The overview a query asks for: the recommendation list's filters plus the options,
    showing people and notes as ``audience`` may see them. Raises ``OverviewRequestInvalid``
    with the errors per parameter."""
    filterset = RecommendationFilterSet(
        query, queryset=recommendations if recommendations is not None else Recommendation.objects
    )
    options = OverviewOptionsForm(query)
    filters_valid, options_valid = filterset.is_valid(), options.is_valid()
    if not (filters_valid and options_valid):
        errors = {**filterset.errors, **options.errors}
        raise OverviewRequestInvalid({k: [str(m) for m in v] for k, v in errors.items()})
    used = {
        name: [value for value in query.getlist(name) if value]
        for name in filterset.filters
        if any(query.getlist(name))
    }
    # The status filters apply to the status on the overview's date: the overview's to apply.
    status_filters = {name: filterset.form.cleaned_data.get(name) for name in STATUS_FILTERS}
    other_filters = query.copy()
    for name in STATUS_FILTERS:
        other_filters.pop(name, None)
    return build_overview(
        recommendations=RecommendationFilterSet(other_filters, queryset=filterset.queryset).qs,
        filters=used,
        status_filters=status_filters,
        audience=audience,
        **options.cleaned_data,
    )

"""The printable overview page: server-rendered, no asset from outside the app."""

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from recommendations.api.filters import RecommendationFilterSet
from recommendations.models import Organisation
from recommendations.overview.filter_labels import FILTER_LABELS
from recommendations.overview.formats import overview_context
from recommendations.overview.links import DrillDown
from recommendations.overview.query import (
    OverviewOptionsForm,
    OverviewRequestInvalid,
    overview_for,
)
from recommendations.overview.trend_formats import page_context as trend_page_context
from recommendations.roles import audience_of, may_read
from viona.api.throttling import throttled_page
from viona.csp import source_hash, with_policy

# The filters the page's form offers, with their labels; any other list filter still applies
# from the URL.
PAGE_FILTERS = {
    name: FILTER_LABELS[name]
    for name in ("report", "status", "primary_domain", "owner", "priority", "horizon", "q")
}


# The page inlines its stylesheet (so that the command's HTML file stands alone): the policy
# allows exactly that stylesheet.
OVERVIEW_STYLE = source_hash(render_to_string("recommendations/overview.css"))


@throttled_page
@with_policy(style_src=OVERVIEW_STYLE)
def overview_page(request):
    if not may_read(request.user):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    query = request.GET
    options_form = OverviewOptionsForm(query or None, initial={"group_by": "report"})
    filter_form = RecommendationFilterSet(query).form
    for name, label in PAGE_FILTERS.items():
        filter_form.fields[name].label = label
    _as_checkboxes(filter_form)
    context = {
        "option_fields": list(options_form),
        "filter_fields": [filter_form[name] for name in PAGE_FILTERS],
        "hidden_filters": [
            (name, value)
            for name in RecommendationFilterSet.base_filters
            if name not in PAGE_FILTERS and name not in OverviewOptionsForm.base_fields
            for value in query.getlist(name)
        ],
        "export_urls": _export_urls(query),
        "standalone": False,
    }
    try:
        overview = overview_for(query, audience=audience_of(request.user))
    except OverviewRequestInvalid as invalid:
        # Bind the forms so that each field shows its own error; a filter the form does not
        # show is named with its error, and left out of the form so that "Show" drops it.
        options_form.is_valid()
        filter_form.is_valid()
        shown = {field.name for field in options_form} | set(PAGE_FILTERS)
        unshown_errors = [
            (name, messages) for name, messages in invalid.errors.items() if name not in shown
        ]
        context.update(
            errors=invalid.errors,
            marked_errors=len(unshown_errors) < len(invalid.errors),
            unshown_errors=unshown_errors,
            hidden_filters=[
                (name, value)
                for name, value in context["hidden_filters"]
                if name not in invalid.errors
            ],
            overview=None,
            stamp=[],
        )
        return render(request, "recommendations/overview.html", context, status=400)
    context.update(overview_context(overview))
    context.update(trend_page_context(query, overview.as_of, audience_of(request.user)))
    _add_drill_down(context, DrillDown(query, overview.as_of, reverse("recommendation-list")))
    return render(request, "recommendations/overview.html", context)


def _as_checkboxes(filter_form) -> None:
    """Multiple choices as checkboxes (no Ctrl-click, whole labels, the choice in sight);
    owners by name."""
    for field in (filter_form.fields[name] for name in PAGE_FILTERS):
        if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            if isinstance(field, forms.ModelMultipleChoiceField) and field.queryset.model is (
                Organisation
            ):
                field.queryset = field.queryset.order_by("name")
            field.widget = forms.CheckboxSelectMultiple(choices=field.choices)


def _add_drill_down(context, drill_down: DrillDown) -> None:
    """Each count of the page links to the API's list of the items counted (for every
    reader: the admin's list cannot judge a status on a past date)."""
    links = drill_down.of(context["overview"])
    for row, row_links in zip(context["rows"], links["groups"], strict=True):
        row["status_cells"] = list(zip(row["cells"], row_links["statuses"], strict=True))
        row["links"] = row_links
    context["totals_status_cells"] = list(
        zip(context["totals_cells"], links["totals"]["statuses"], strict=True)
    )
    context["totals_links"] = links["totals"]


def _export_urls(query) -> dict[str, str]:
    params = [(k, v) for k, values in query.lists() if k != "format" for v in values]
    # The list export shows today's data: grouping and dates are the overview's alone.
    filters = [(k, v) for k, v in params if k not in OverviewOptionsForm.base_fields]

    def url(name, fmt, params):
        return f"{reverse(name)}?{urlencode([*params, ('format', fmt)])}"

    return {
        "overview_csv": url("overview", "csv", params),
        "overview_xlsx": url("overview", "xlsx", params),
        "list_csv": url("recommendation-export", "csv", filters),
        "list_xlsx": url("recommendation-export", "xlsx", filters),
    }

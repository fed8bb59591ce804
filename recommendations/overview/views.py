"""The printable overview page: server-rendered, no asset from outside the app."""

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from recommendations.api.filters import RecommendationFilterSet
from recommendations.overview.formats import group_by_label, overview_context
from recommendations.overview.query import (
    OverviewOptionsForm,
    OverviewRequestInvalid,
    overview_for,
)
from recommendations.roles import audience_of, may_read
from viona.csp import source_hash, with_policy

# The filters the page's form offers, with their labels; any other list filter still applies
# from the URL.
PAGE_FILTERS = {
    "report": _("Report"),
    "status": _("Status"),
    "primary_domain": _("Primary policy domain"),
    "owner": _("Owner"),
    "priority": _("Priority"),
    "horizon": _("Horizon"),
    "q": _("Search"),
}


# The page inlines its stylesheet (so that the command's HTML file stands alone): the policy
# allows exactly that stylesheet.
OVERVIEW_STYLE = source_hash(render_to_string("recommendations/overview.css"))


@with_policy(style_src=OVERVIEW_STYLE)
def overview_page(request):
    if not may_read(request.user):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    query = request.GET
    options_form = OverviewOptionsForm(query or None, initial={"group_by": "report"})
    filter_form = RecommendationFilterSet(query).form
    for name, label in PAGE_FILTERS.items():
        filter_form.fields[name].label = label
    context = {
        "option_fields": list(options_form),
        "filter_fields": [filter_form[name] for name in PAGE_FILTERS],
        "hidden_filters": [
            (name, value)
            for name in RecommendationFilterSet.base_filters
            if name not in PAGE_FILTERS
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
    context.update(overview_context(overview), group_by_label=group_by_label(overview))
    return render(request, "recommendations/overview.html", context)


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

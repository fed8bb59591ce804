import django_filters
from django.db.models import Q
from django.utils import timezone

from recommendations.models import (
    Horizon,
    Organisation,
    PolicyDomain,
    Priority,
    Recommendation,
    Status,
    closed_q,
    overdue_q,
)
from recommendations.overview.computation import (
    STATUS_FILTERS,
    _on_status_then,
    _with_status_on,
)
from recommendations.search import search_recommendations
from reports.models import Institute, Report
from viona.api.filters import (
    BooleanFilter,
    DateFilter,
    IdFilter,
    IsoDateTimeFilter,
    MultipleChoiceFilter,
    SlugFilter,
)


class PolicyDomainFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search the Dutch or English name")
    parent = SlugFilter(
        field_name="parent__slug", queryset=PolicyDomain.objects.all(), label="Parent domain (slug)"
    )
    top_level = BooleanFilter(field_name="parent", lookup_expr="isnull")

    class Meta:
        model = PolicyDomain
        fields = ["slug"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name_nl__icontains=value) | Q(name_en__icontains=value))


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search name or short name")
    kind = MultipleChoiceFilter(choices=Organisation._meta.get_field("kind").choices)

    class Meta:
        model = Organisation
        fields = ["slug"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))


class RecommendationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="Search code, title, text and report title. On PostgreSQL: Dutch word forms, "
        '"a phrase", -excluded words, "or"; best matches first unless `ordering` is given',
    )
    status = MultipleChoiceFilter(choices=Status.choices, label="Status (repeatable)")
    closed = BooleanFilter(method="filter_closed", label="Closed or still open")
    report = SlugFilter(
        field_name="report__slug", queryset=Report.objects.all(), label="Report (slug)"
    )
    report_id = IdFilter(field_name="report", queryset=Report.objects.all(), label="Report (ID)")
    report_number = django_filters.CharFilter(field_name="report__number", label="Report number")
    institute = SlugFilter(
        field_name="report__institutes",
        across_many=True,
        queryset=Institute.objects.all(),
        label="Institute (slug)",
    )
    primary_domain = SlugFilter(
        queryset=PolicyDomain.objects.all(),
        method="filter_primary_domain",
        label="Primary policy domain (slug; includes its sub-domains)",
    )
    domain = SlugFilter(
        queryset=PolicyDomain.objects.all(),
        method="filter_any_domain",
        label="Primary or related policy domain (slug; includes its sub-domains)",
    )
    primary_domain_id = IdFilter(
        field_name="primary_domain",
        queryset=PolicyDomain.objects.all(),
        label="Primary policy domain (ID; this domain only, not its sub-domains)",
    )
    owner = SlugFilter(
        field_name="owner__slug", queryset=Organisation.objects.all(), label="Owner (slug)"
    )
    owner_id = IdFilter(field_name="owner", queryset=Organisation.objects.all(), label="Owner (ID)")
    has_owner = BooleanFilter(
        field_name="owner", lookup_expr="isnull", exclude=True, label="Has an owner"
    )
    addressee = SlugFilter(
        field_name="addressees",
        across_many=True,
        queryset=Organisation.objects.all(),
        label="Addressed organisation (slug)",
    )
    priority = MultipleChoiceFilter(choices=Priority.choices)
    horizon = MultipleChoiceFilter(choices=Horizon.choices)
    due_after = DateFilter(field_name="due_date", lookup_expr="gte")
    due_before = DateFilter(field_name="due_date", lookup_expr="lte")
    overdue = BooleanFilter(method="filter_overdue", label="Still open past its due date")
    as_of = DateFilter(
        method="judged_in_filter_queryset",
        label="Judge `status`, `closed` and `overdue` on this date, as the overview does "
        "(the status and due date then, rebuilt from the history); items created after it "
        "are left out",
    )
    changed_since = IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Changed at or after this moment (ISO 8601 date or date-time)",
    )
    top_level = BooleanFilter(
        field_name="parent", lookup_expr="isnull", label="Numbered pistes only (no sub-measures)"
    )
    parent = SlugFilter(
        field_name="parent__code",
        to_field_name="code",
        queryset=Recommendation.objects.all(),
        label="Parent recommendation (code)",
    )

    class Meta:
        model = Recommendation
        fields = ["code"]

    def filter_queryset(self, queryset):
        """With ``as_of``, the status filters judge the status and due date on that date,
        by the overview's rule (written once, in ``overview.computation``)."""
        as_of = self.form.cleaned_data.get("as_of")
        if as_of is None:
            return super().filter_queryset(queryset)
        for name, value in self.form.cleaned_data.items():
            if name not in (*STATUS_FILTERS, "as_of"):
                queryset = self.filters[name].filter(queryset, value)
        judged = {name: self.form.cleaned_data.get(name) for name in STATUS_FILTERS}
        annotated = _with_status_on(queryset, as_of, timezone.localdate())
        return _on_status_then(annotated, as_of, **judged)

    def judged_in_filter_queryset(self, queryset, name, value):
        return queryset

    def search(self, queryset, name, value):
        # Ranked best first; the list's `ordering` parameter, applied after the filters,
        # replaces that order when given.
        return search_recommendations(queryset, value)

    def filter_closed(self, queryset, name, value):
        lookup = closed_q()
        return queryset.filter(lookup) if value else queryset.exclude(lookup)

    def filter_overdue(self, queryset, name, value):
        overdue = overdue_q(timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_primary_domain(self, queryset, name, domains):
        if not domains:
            return queryset
        return queryset.filter(primary_domain__in=PolicyDomain.subtree(domains))

    def filter_any_domain(self, queryset, name, domains):
        if not domains:
            return queryset
        tree = PolicyDomain.subtree(domains)
        return queryset.filter(
            Q(primary_domain__in=tree)
            | Q(
                pk__in=Recommendation.related_domains.through.objects.filter(
                    policydomain__in=tree
                ).values("recommendation")
            )
        )

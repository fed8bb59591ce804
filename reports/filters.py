import django_filters
from django.db.models import Q

from viona.api.filters import BooleanFilter, DateFilter, IdFilter, SlugFilter

from .models import Institute, Report


class InstituteFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search name or short name")

    class Meta:
        model = Institute
        fields = ["slug"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))


class ReportFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search title, authors, keywords")
    institute = SlugFilter(
        field_name="institutes",
        across_many=True,
        queryset=Institute.objects.all(),
        label="Institute (slug)",
    )
    institute_id = IdFilter(
        field_name="institutes",
        across_many=True,
        queryset=Institute.objects.all(),
        label="Institute (ID)",
    )
    number = django_filters.CharFilter(label="Number in the collection")
    has_summary = BooleanFilter()
    published_after = DateFilter(field_name="published", lookup_expr="gte")
    published_before = DateFilter(field_name="published", lookup_expr="lte")

    class Meta:
        model = Report
        fields = ["slug"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(authors__icontains=value)
            | Q(abstract__icontains=value)
            | Q(keywords__icontains=value)
        )

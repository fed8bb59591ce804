from django.db.models import Count
from rest_framework import viewsets

from .filters import InstituteFilterSet, ReportFilterSet
from .models import Institute, Report
from .serializers import InstituteSerializer, ReportSerializer


class InstituteViewSet(viewsets.ReadOnlyModelViewSet):
    """The research institutes that write the reports."""

    queryset = Institute.objects.all()
    serializer_class = InstituteSerializer
    filterset_class = InstituteFilterSet
    lookup_field = "slug"
    ordering_fields = ["short_name", "name"]


class ReportViewSet(viewsets.ReadOnlyModelViewSet):
    """The research reports of the collection, in collection order."""

    queryset = (
        Report.objects.prefetch_related("institutes")
        .annotate(recommendation_count=Count("recommendations", distinct=True))
        .order_by("sequence")
    )
    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet
    lookup_field = "slug"
    ordering_fields = ["sequence", "published", "title"]

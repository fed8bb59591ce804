from django.db.models import Count
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from viona.api.views import DeclaredQueryParametersOnly

from .filters import InstituteFilterSet, ReportFilterSet
from .models import Institute, Report
from .serializers import InstituteSerializer, ReportSerializer


@extend_schema_view(
    list=extend_schema(summary="List the research institutes"),
    retrieve=extend_schema(summary="One research institute, by its slug"),
)
class InstituteViewSet(DeclaredQueryParametersOnly, viewsets.ReadOnlyModelViewSet):
    """The research institutes that write the reports."""

    queryset = Institute.objects.all()
    serializer_class = InstituteSerializer
    filterset_class = InstituteFilterSet
    lookup_field = "slug"
    ordering_fields = ["short_name", "name"]


@extend_schema_view(
    list=extend_schema(summary="List the research reports"),
    retrieve=extend_schema(summary="One research report, by its slug"),
)
class ReportViewSet(DeclaredQueryParametersOnly, viewsets.ReadOnlyModelViewSet):
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

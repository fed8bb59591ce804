from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .filters import OrganisationFilterSet, PolicyDomainFilterSet, RecommendationFilterSet
from .models import Organisation, PolicyDomain
from .selectors import recommendation_list, status_history
from .serializers import (
    OrganisationSerializer,
    PolicyDomainSerializer,
    RecommendationSerializer,
    StatusChangeSerializer,
    TransitionRefusedSerializer,
    TransitionSerializer,
)
from .services import TransitionRefused, transition_status


class PolicyDomainViewSet(viewsets.ReadOnlyModelViewSet):
    """Flemish policy domains; each recommendation has one primary domain."""

    queryset = PolicyDomain.objects.select_related("parent")
    serializer_class = PolicyDomainSerializer
    filterset_class = PolicyDomainFilterSet
    lookup_field = "slug"
    ordering_fields = ["slug", "name_nl", "name_en"]


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """The actors that recommendations address and that own their follow-up."""

    queryset = Organisation.objects.all()
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    lookup_field = "slug"
    ordering_fields = ["name", "short_name", "kind"]


class RecommendationViewSet(viewsets.ReadOnlyModelViewSet):
    """Recommendations and sub-measures with their follow-up status."""

    queryset = recommendation_list()
    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilterSet
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    ordering_fields = [
        "code",
        "report__sequence",
        "source_start",
        "due_date",
        "updated_at",
        "created_at",
        "priority",
        "status",
    ]

    @extend_schema(
        responses=StatusChangeSerializer(many=True),
        summary="Status history of a recommendation, oldest first",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request, code=None):
        recommendation = self.get_object()
        changes = status_history(recommendation)
        return Response(StatusChangeSerializer(changes, many=True).data)

    @extend_schema(
        request=TransitionSerializer,
        responses={
            200: RecommendationSerializer,
            400: OpenApiResponse(
                TransitionRefusedSerializer,
                description="Move not allowed from the current status, or a required note "
                "is missing; `allowed` lists the statuses reachable from here.",
            ),
            401: OpenApiResponse(description="Not logged in."),
            403: OpenApiResponse(description="Logged in, but not allowed to make this move."),
            404: OpenApiResponse(description="No recommendation with this code."),
        },
        summary="Move a recommendation to another status",
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def transition(self, request, code=None):
        recommendation = self.get_object()
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            transition_status(recommendation=recommendation, user=request.user, **payload.data)
        except TransitionRefused as refused:
            return Response(
                {"detail": refused.messages[0], "allowed": refused.allowed},
                status=status.HTTP_400_BAD_REQUEST,
            )
        fresh = self.get_queryset().get(pk=recommendation.pk)
        return Response(self.get_serializer(fresh).data)

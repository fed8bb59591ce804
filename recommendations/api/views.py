from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from recommendations.api.exports import export_file
from recommendations.api.filters import (
    OrganisationFilterSet,
    PolicyDomainFilterSet,
    RecommendationFilterSet,
)
from recommendations.api.serializers import (
    HistoryEventSerializer,
    OrganisationSerializer,
    OverviewSerializer,
    PolicyDomainSerializer,
    PublicationRequestSerializer,
    PublicationSerializer,
    RecommendationSerializer,
    RecommendationUpdateSerializer,
    TransitionRefusedSerializer,
    TransitionSerializer,
    TrendSerializer,
)
from recommendations.models import Organisation, PolicyDomain, Recommendation
from recommendations.overview import formats as overview_formats
from recommendations.overview import trend_formats
from recommendations.overview.computation import GroupBy
from recommendations.overview.query import OverviewRequestInvalid, overview_for, trend_for
from recommendations.overview.trend import Period
from recommendations.roles import audience_of
from recommendations.selectors import recommendation_history, recommendation_list
from recommendations.services import (
    TransitionRefused,
    VersionConflict,
    check_may_change,
    check_may_follow_up,
    publish_note,
    transition_status,
    update_recommendation,
)
from viona.api.conditional import (
    PreconditionFailed,
    VersionedObjectMixin,
    expected_versions,
)
from viona.api.renderers import BrowsableAPIRenderer, CSVRenderer, XLSXRenderer
from viona.api.schema import PARAMETER_ERRORS
from viona.api.views import DeclaredQueryParametersOnly

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The ETag you read (e.g. `"3"`), or several separated by commas, or `*`; the '
    "write is refused with 412 unless the recommendation is still at one of them (strong "
    'comparison: a weak tag such as `W/"3"` never matches). Not an entity tag list: 400.',
)
WRITE_ERRORS = {
    401: OpenApiResponse(description="Not logged in."),
    403: OpenApiResponse(description="Your role does not allow this on this recommendation."),
    404: OpenApiResponse(description="No recommendation with this code."),
    412: OpenApiResponse(
        description="The recommendation is not at a version `If-Match` names: it changed "
        "since you read it."
    ),
}


@extend_schema_view(
    list=extend_schema(summary="List the policy domains"),
    retrieve=extend_schema(summary="One policy domain, by its slug"),
)
class PolicyDomainViewSet(DeclaredQueryParametersOnly, viewsets.ReadOnlyModelViewSet):
    """Flemish policy domains; each recommendation has one primary domain."""

    queryset = PolicyDomain.objects.select_related("parent")
    serializer_class = PolicyDomainSerializer
    filterset_class = PolicyDomainFilterSet
    lookup_field = "slug"
    ordering_fields = ["slug", "name_nl", "name_en"]


@extend_schema_view(
    list=extend_schema(summary="List the organisations"),
    retrieve=extend_schema(summary="One organisation, by its slug"),
)
class OrganisationViewSet(DeclaredQueryParametersOnly, viewsets.ReadOnlyModelViewSet):
    """The actors that recommendations address and that own their follow-up."""

    queryset = Organisation.objects.all()
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    lookup_field = "slug"
    ordering_fields = ["name", "short_name", "kind"]


@extend_schema_view(
    list=extend_schema(summary="List the recommendations, filtered and ordered"),
    retrieve=extend_schema(summary="One recommendation, by its code"),
)
class RecommendationViewSet(
    DeclaredQueryParametersOnly, VersionedObjectMixin, viewsets.ReadOnlyModelViewSet
):
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

    def get_queryset(self):
        if self.action in ("history", "publications"):
            # Just the item: its history is read separately, not its list representation.
            return Recommendation.objects.all()
        return super().get_queryset()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "audience": audience_of(self.request.user)}

    def retrieve(self, request, *args, **kwargs):
        return self.versioned_response(self.get_object())

    def _answer_with(self, recommendation):
        return self.versioned_response(self.get_queryset().get(pk=recommendation.pk))

    @extend_schema(
        request=RecommendationUpdateSerializer,
        parameters=[IF_MATCH],
        responses={200: RecommendationSerializer, **WRITE_ERRORS},
        summary="Change follow-up fields (editors) or any field (coordinators)",
        description="Editors may change `due_date` (with `due_date_reason` when an existing "
        "date changes) and `follow_up_officer` of what their organisation owns; "
        "coordinators any field. The status changes only through `transition/`.",
    )
    def partial_update(self, request, code=None):
        recommendation = self.get_object()
        # Who may not change the item at all is refused before the payload costs lookups.
        check_may_change(request.user, recommendation)
        versions = expected_versions(request)
        payload = RecommendationUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        changes = dict(payload.validated_data)
        reason = changes.pop("due_date_reason", "")
        try:
            update_recommendation(
                recommendation=recommendation,
                user=request.user,
                changes=changes,
                due_date_reason=reason,
                expected_version=versions,
            )
        except VersionConflict as conflict:
            raise PreconditionFailed() from conflict
        return self._answer_with(recommendation)

    @extend_schema(
        responses=HistoryEventSerializer(many=True),
        summary="Everything that happened to a recommendation, oldest first",
        description="Status changes, due date revisions and every change of a tracked field "
        "(status, owner, officer, priority, due date, domains, addressees, horizon, title, "
        "text), each with who and when.",
    )
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        pagination_class=None,
        name=_("History"),
    )
    def history(self, request, code=None):
        recommendation = self.get_object()
        events = recommendation_history(recommendation, audience_of(request.user))
        return Response(HistoryEventSerializer(events, many=True).data)

    @extend_schema(
        request=PublicationRequestSerializer,
        responses={
            201: PublicationSerializer,
            200: OpenApiResponse(PublicationSerializer, description="Already published."),
            400: OpenApiResponse(
                PARAMETER_ERRORS,
                description="No such entry of this recommendation, or nothing to publish.",
            ),
            403: OpenApiResponse(description="Only coordinators publish notes."),
        },
        summary="Publish the note of a history entry",
        description="Notes, reasons and evidence links are internal working notes: anonymous "
        "readers see them only once a coordinator publishes them. Give the entry's `kind` and "
        "`id` as `history/` lists them. Publishing is recorded (who, when) and cannot be "
        "undone; the entry itself is not changed.",
    )
    @action(
        detail=True,
        methods=["post"],
        filter_backends=[],
        pagination_class=None,
        name=_("Publications"),
    )
    def publications(self, request, code=None):
        recommendation = self.get_object()
        payload = PublicationRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        publication, created = publish_note(
            recommendation=recommendation,
            kind=payload.validated_data["kind"],
            record_id=payload.validated_data["id"],
            user=request.user,
        )
        return Response(
            PublicationSerializer(publication).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        request=TransitionSerializer,
        parameters=[IF_MATCH],
        responses={
            200: RecommendationSerializer,
            400: OpenApiResponse(
                TransitionRefusedSerializer,
                description="Move not allowed from the current status, or a required note "
                "is missing: `detail` says why and `allowed` lists the statuses reachable from "
                "here. Invalid fields: each field with its messages.",
            ),
            **WRITE_ERRORS,
        },
        summary="Move a recommendation to another status",
    )
    @action(
        detail=True,
        methods=["post"],
        filter_backends=[],
        pagination_class=None,
        name=_("Status change"),
    )
    def transition(self, request, code=None):
        recommendation = self.get_object()
        check_may_follow_up(request.user, recommendation)
        versions = expected_versions(request)
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            transition_status(
                recommendation=recommendation,
                user=request.user,
                expected_version=versions,
                **payload.data,
            )
        except TransitionRefused as refused:
            return Response(
                {"detail": refused.messages[0], "allowed": refused.allowed},
                status=status.HTTP_400_BAD_REQUEST,
            )
        except VersionConflict as conflict:
            raise PreconditionFailed() from conflict
        return self._answer_with(recommendation)


# Download names in the reader's language ("aanbevelingen-2026-12-01.xlsx").
_FILE_NAMES = {
    "recommendations": pgettext_lazy("file name", "recommendations"),
    "overview": pgettext_lazy("file name", "overview"),
    "trend": pgettext_lazy("file name", "trend"),
}


def _download(content: bytes, renderer, stem: str) -> Response:
    response = Response(content, content_type=renderer.media_type)
    stamp = timezone.localdate().isoformat()
    name = slugify(_FILE_NAMES.get(stem, stem)) or stem
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{renderer.format}"'
    return response


def _format_parameter(formats, default):
    return OpenApiParameter(
        "format",
        OpenApiTypes.STR,
        enum=formats,
        description=f"The file format (default {default}); or ask by `Accept` header.",
    )


EXPORT_PARAMETERS = [_format_parameter(["csv", "xlsx"], "csv")]


@extend_schema(
    parameters=EXPORT_PARAMETERS,
    # Not a list view to drf-spectacular (its answer is a file), so its filters and `ordering`,
    # applied through filter_queryset() as in the list, are documented only when asked.
    filters=True,
    responses={
        (200, CSVRenderer.media_type): OpenApiTypes.BINARY,
        (200, XLSXRenderer.media_type): OpenApiTypes.BINARY,
    },
    summary="The filtered recommendation list as a CSV or XLSX file (not paginated)",
)
class RecommendationExportView(DeclaredQueryParametersOnly, generics.GenericAPIView):
    name = _("Recommendations export")
    extra_query_parameters = EXPORT_PARAMETERS
    queryset = recommendation_list()
    filterset_class = RecommendationFilterSet
    ordering_fields = RecommendationViewSet.ordering_fields
    renderer_classes = [CSVRenderer, XLSXRenderer]
    pagination_class = None

    def get(self, request):
        recommendations = self.filter_queryset(self.get_queryset())
        content = export_file(
            recommendations, request.accepted_renderer.format, audience_of(request.user)
        )
        return _download(content, request.accepted_renderer, "recommendations")


OVERVIEW_PARAMETERS = [
    OpenApiParameter(
        "group_by", OpenApiTypes.STR, enum=GroupBy.values, description="Default: report."
    ),
    OpenApiParameter(
        "as_of",
        OpenApiTypes.DATE,
        description="The picture on this date (not in the future), rebuilt from the "
        "status history; items created later are left out. Default: today.",
    ),
    OpenApiParameter(
        "since",
        OpenApiTypes.DATE,
        description="List the status changes and new items from this date up to "
        "`as_of` (not after it).",
    ),
    _format_parameter(["json", "csv", "xlsx"], "json"),
]


class ComputedFromTheListFilters(DeclaredQueryParametersOnly, generics.GenericAPIView):
    """An answer computed from the recommendation list's filters and the view's options (the
    overview, the trend): JSON, or a CSV or XLSX file. The filter set is declared for the
    schema only: ``compute`` applies the filters itself (``status``, ``closed`` and
    ``overdue`` on its own dates), so get() never calls filter_queryset()."""

    queryset = Recommendation.objects.all()
    filterset_class = RecommendationFilterSet
    filter_backends = [DjangoFilterBackend]  # no `ordering`: counts have no order
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer, XLSXRenderer]
    pagination_class = None
    file_stem = ""

    def compute(self, query, audience):
        raise NotImplementedError

    def render_file(self, result, fmt: str) -> bytes:
        raise NotImplementedError

    def data(self, result) -> dict:
        raise NotImplementedError

    def get(self, request):
        try:
            result = self.compute(request.query_params, audience_of(request.user))
        except OverviewRequestInvalid as invalid:
            raise ValidationError(invalid.errors) from invalid
        renderer = request.accepted_renderer
        if renderer.format in ("csv", "xlsx"):
            return _download(self.render_file(result, renderer.format), renderer, self.file_stem)
        return Response(self.data(result))


class OverviewView(ComputedFromTheListFilters):
    """Counts per status, grouped, with rates; as of a date and what changed since."""

    name = _("Follow-up overview")
    extra_query_parameters = OVERVIEW_PARAMETERS
    file_stem = "overview"

    def compute(self, query, audience):
        return overview_for(query, audience=audience)

    def render_file(self, overview, fmt):
        return overview_formats.render(overview, fmt)

    def data(self, overview):
        return OverviewSerializer(overview).data

    @extend_schema(
        parameters=OVERVIEW_PARAMETERS,
        filters=True,
        responses={
            200: OverviewSerializer,
            (200, CSVRenderer.media_type): OpenApiTypes.BINARY,
            (200, XLSXRenderer.media_type): OpenApiTypes.BINARY,
        },
        summary="Follow-up overview: counts per status by group, rates, changes since",
        description="Accepts every filter of the recommendation list: `status`, `closed` and "
        "`overdue` judge each item by its status and due date on `as_of`; the others select "
        "items by their current values. Acceptance rate = accepted or further along / assessed; "
        "implementation rate = implemented / closed; share overdue = overdue / not closed; "
        "each rate comes with its numerator and denominator.",
    )
    def get(self, request):
        return super().get(request)


TREND_PARAMETERS = [
    OpenApiParameter("period", OpenApiTypes.STR, enum=Period.values, description="Default: month."),
    OpenApiParameter(
        "start",
        OpenApiTypes.DATE,
        description="The first point is the end of the period holding this date. "
        "Default: the first day of the month 23 months before `end` (24 monthly points).",
    ),
    OpenApiParameter(
        "end",
        OpenApiTypes.DATE,
        description="The last point (not in the future). Default: today.",
    ),
    _format_parameter(["json", "csv", "xlsx"], "json"),
]


class OverviewTrendView(ComputedFromTheListFilters):
    """The status distribution per month or quarter, rebuilt from the history."""

    name = _("Follow-up trend")
    extra_query_parameters = TREND_PARAMETERS
    file_stem = "trend"

    def compute(self, query, audience):
        return trend_for(query, audience=audience)

    def render_file(self, trend, fmt):
        return trend_formats.render(trend, fmt)

    def data(self, trend):
        return trend_formats.trend_data(trend)

    @extend_schema(
        parameters=TREND_PARAMETERS,
        filters=True,
        responses={
            200: TrendSerializer,
            (200, CSVRenderer.media_type): OpenApiTypes.BINARY,
            (200, XLSXRenderer.media_type): OpenApiTypes.BINARY,
        },
        summary="Follow-up trend: the number of items per status at the end of each period",
        description="Each point counts the items created by then, in the status they had then, "
        "as the overview with `as_of` on that date does. Accepts the recommendation list's "
        "filters: `status` and `closed` judge each item on each point (they keep or leave out "
        "status series); `overdue` is refused (400); the others select items by their "
        "current values. At most 240 points.",
    )
    def get(self, request):
        return super().get(request)

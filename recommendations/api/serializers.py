import datetime as dt

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from rest_framework import serializers

from recommendations import roles
from recommendations.models import (
    Horizon,
    Organisation,
    OrganisationKind,
    PolicyDomain,
    Prefetched,
    Priority,
    Recommendation,
    Status,
)
from recommendations.overview.computation import RATES
from reports.serializers import ReportSummarySerializer
from viona.api.fields import IdentityUrlField, LabelledChoiceField, SlugListField, TextField
from viona.api.fields import SlugRelatedField as SafeSlugRelatedField
from viona.dates import validate_date_range


class PolicyDomainSerializer(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="policydomain-detail", lookup_field="slug")
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = PolicyDomain
        fields = ["url", "slug", "name_nl", "name_en", "parent"]


class OrganisationSerializer(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="organisation-detail", lookup_field="slug")
    kind = LabelledChoiceField(OrganisationKind, read_only=True)

    class Meta:
        model = Organisation
        fields = ["url", "slug", "name", "short_name", "kind"]


class NamedOrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "name", "short_name"]


class NamedPolicyDomainSerializer(serializers.ModelSerializer):
    class Meta:
        model = PolicyDomain
        fields = ["slug", "name_nl", "name_en"]


class PersonNameField(serializers.SlugRelatedField):
    """A user name for readers who may see people (``roles.Audience``); null for others."""

    def __init__(self, **kwargs):
        super().__init__(slug_field=get_user_model().USERNAME_FIELD, read_only=True, **kwargs)

    def to_representation(self, user):
        return self.context["audience"].person(super().to_representation(user))


class RecommendationSerializer(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="recommendation-detail", lookup_field="code")
    report = ReportSummarySerializer(read_only=True)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    source_lines = serializers.ListField(
        child=serializers.IntegerField(),
        min_length=2,
        max_length=2,
        read_only=True,
        help_text="First and last line of the passage in the source document.",
    )
    horizon = LabelledChoiceField(Horizon, read_only=True)
    addressees = NamedOrganisationSerializer(
        many=True, read_only=True, source=Prefetched.ADDRESSEES
    )
    owner = NamedOrganisationSerializer(read_only=True, allow_null=True)
    follow_up_officer = PersonNameField(
        allow_null=True, help_text="The officer's user name; null for anonymous readers."
    )
    primary_domain = NamedPolicyDomainSerializer(read_only=True)
    related_domains = NamedPolicyDomainSerializer(
        many=True, read_only=True, source=Prefetched.RELATED_DOMAINS
    )
    priority = LabelledChoiceField(Priority, read_only=True)
    status = LabelledChoiceField(Status, read_only=True)
    is_closed = serializers.BooleanField(read_only=True)
    is_overdue = serializers.SerializerMethodField()
    original_due_date = serializers.SerializerMethodField(
        help_text="The first due date set, when it has been revised since."
    )

    class Meta:
        model = Recommendation
        fields = [
            "url",
            "code",
            "report",
            "position",
            "parent",
            "title",
            "text",
            "source_lines",
            "horizon",
            "addressees",
            "owner",
            "follow_up_officer",
            "primary_domain",
            "related_domains",
            "priority",
            "priority_rationale",
            "due_date",
            "original_due_date",
            "status",
            "is_closed",
            "is_overdue",
            "version",
            "created_at",
            "updated_at",
        ]

    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue()

    def get_original_due_date(self, obj) -> dt.date | None:
        return obj.original_due_date


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=Status.choices)
    note = TextField(required=False, allow_blank=True, default="", max_length=10000)
    evidence_url = serializers.URLField(
        required=False, allow_blank=True, default="", max_length=500
    )


class TransitionRefusedSerializer(serializers.Serializer):
    """A refused move (``detail`` and ``allowed``), or invalid fields (each with messages)."""

    detail = serializers.CharField(required=False)
    allowed = serializers.ListField(
        child=serializers.ChoiceField(choices=Status.choices), required=False
    )


class RecommendationUpdateSerializer(serializers.Serializer):
    """The fields a PATCH may change; which of them a user may change is up to their role."""

    due_date = serializers.DateField(
        required=False, allow_null=True, validators=[validate_date_range]
    )
    due_date_reason = TextField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Why an existing due date changes (required then).",
    )
    follow_up_officer = SafeSlugRelatedField(
        slug_field="username",
        queryset=roles.active_accounts(),
        required=False,
        allow_null=True,
    )
    owner = SafeSlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    addressees = SlugListField(
        queryset=Organisation.objects.all(),
        required=False,
        help_text="Organisations by slug, each once.",
    )
    primary_domain = SafeSlugRelatedField(
        slug_field="slug", queryset=PolicyDomain.objects.all(), required=False
    )
    related_domains = SlugListField(
        queryset=PolicyDomain.objects.all(),
        required=False,
        help_text="Policy domains by slug, each once.",
    )
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    priority_rationale = TextField(required=False, allow_blank=True, max_length=5000)
    horizon = serializers.ChoiceField(choices=Horizon.choices, required=False)
    title = TextField(required=False, max_length=500)
    text = TextField(required=False, max_length=20000)

    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {
                    name: [
                        _(
                            "Not a field that can be changed here (status changes go through "
                            ".../transition/)."
                        )
                        if name == "status"
                        else _("Not a field that can be changed here.")
                    ]
                    for name in unknown
                }
            )
        if not attrs:
            raise serializers.ValidationError({"detail": [_("Nothing to change.")]})
        return attrs


class PublicationRequestSerializer(serializers.Serializer):
    """Which history entry's note to publish: its ``kind`` and ``id`` as ``history/`` lists them."""

    kind = serializers.ChoiceField(choices=["status_change", "due_date_revision"])
    id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class PublicationSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    published_by = serializers.CharField()
    published_at = serializers.DateTimeField()

    def to_representation(self, publication):
        return super().to_representation(
            {
                "kind": "status_change" if publication.status_change_id else "due_date_revision",
                "id": publication.record.pk,
                "published_by": publication.published_by.get_username(),
                "published_at": publication.published_at,
            }
        )


class HistoryEventSerializer(serializers.Serializer):
    """One entry of a recommendation's history; the fields that apply depend on ``kind``."""

    kind = serializers.ChoiceField(choices=["status_change", "due_date_revision", "field_change"])
    id = serializers.IntegerField(
        required=False, help_text="The status change's or revision's id (to publish its note)."
    )
    changed_at = serializers.DateTimeField()
    changed_by = serializers.CharField(
        allow_null=True, help_text="The user name; null for anonymous readers."
    )
    from_status = LabelledChoiceField(Status, required=False)
    to_status = LabelledChoiceField(Status, required=False)
    note = serializers.CharField(required=False)
    evidence_url = serializers.CharField(required=False)
    previous_date = serializers.DateField(required=False, allow_null=True)
    new_date = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(required=False)
    published = serializers.BooleanField(
        required=False,
        help_text="Whether a coordinator published the note (or reason) and evidence link. "
        "Anonymous readers get them only when published (empty otherwise).",
    )
    changes = serializers.DictField(
        required=False,
        help_text="Each changed field with [before, after] (relations: the objects added or "
        "removed). Status and due date changes are their own kinds of event.",
    )

    def to_representation(self, instance):
        # Only the fields of the event's kind: a status change has no `new_date: null`.
        data = super().to_representation(instance)
        return {name: value for name, value in data.items() if name in instance}


class RateSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="numerator / denominator (0..1)")
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()


class RatesSerializer(serializers.Serializer):
    """Each rate of the overview, with its numerator and denominator."""

    def get_fields(self):
        return {name: RateSerializer(help_text=rate.definition) for name, rate in RATES.items()}


class CountsSerializer(serializers.Serializer):
    by_status = serializers.DictField(
        child=serializers.IntegerField(), help_text="Every status with its count."
    )
    total = serializers.IntegerField()
    overdue = serializers.IntegerField()
    rates = RatesSerializer()

    def to_representation(self, counts):
        # What the fields above declare, built directly: an overview by report has thousands
        # of groups, and field by field they took 40% of its time at 100,000 items.
        # tests/test_api_overview.py checks that both ways give the same.
        return {
            "by_status": dict(counts.by_status),
            "total": counts.total,
            "overdue": counts.overdue,
            "rates": {
                name: {
                    "value": rate.value,
                    "numerator": rate.numerator,
                    "denominator": rate.denominator,
                }
                for name, rate in counts.rates.items()
            },
        }


class OverviewGroupSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, help_text="Report number, slug or choice value.")
    label = serializers.CharField()
    counts = CountsSerializer()

    def to_representation(self, group):
        # Directly, as CountsSerializer.
        return {
            "key": None if group.key is None else str(group.key),
            "label": group.label,
            "counts": self.fields["counts"].to_representation(group.counts),
        }


class ChangeEventSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    from_status = LabelledChoiceField(Status)
    to_status = LabelledChoiceField(Status)
    changed_by = serializers.CharField(allow_null=True)
    changed_at = serializers.DateTimeField()
    note = serializers.CharField(allow_blank=True)
    evidence_url = serializers.CharField(allow_blank=True)


class NewItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    status = LabelledChoiceField(Status, help_text="The status now.")
    created_at = serializers.DateTimeField()


class DueDateChangeSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    previous_date = serializers.DateField(allow_null=True)
    new_date = serializers.DateField(allow_null=True)
    changed_by = serializers.CharField(
        allow_null=True, help_text="The user name; null for anonymous readers."
    )
    changed_at = serializers.DateTimeField()
    reason = serializers.CharField(
        allow_blank=True, help_text="Empty for anonymous readers unless published."
    )


class OverviewSerializer(serializers.Serializer):
    as_of = serializers.DateField(help_text="The date whose picture this is.")
    since = serializers.DateField(allow_null=True)
    group_by = serializers.CharField()
    filters = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="The filters applied, as given.",
    )
    statuses = serializers.SerializerMethodField()
    rate_definitions = serializers.SerializerMethodField()
    totals = CountsSerializer()
    groups = OverviewGroupSerializer(many=True)
    changes = ChangeEventSerializer(many=True, help_text="Status changes since `since`.")
    new_items = NewItemSerializer(many=True, help_text="Items created since `since`.")
    due_date_changes = DueDateChangeSerializer(
        many=True, help_text="Due dates set, moved or cleared since `since`."
    )

    def get_statuses(self, overview) -> list[dict[str, str]]:
        return [{"value": s.value, "label": str(s.label)} for s in Status]

    def get_rate_definitions(self, overview) -> dict[str, str]:
        return {name: str(rate.definition) for name, rate in RATES.items()}


class TrendPointSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="The period's last day (the last point: `end`).")
    by_status = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Every status with the number of items in it on that date (0 for a status "
        "that `status` or `closed` leaves out).",
    )
    total = serializers.IntegerField()


class TrendSerializer(serializers.Serializer):
    """Documents ``overview.trend_formats.trend_data``, which builds the answer directly."""

    period = serializers.ChoiceField(choices=["month", "quarter"])
    start = serializers.DateField()
    end = serializers.DateField()
    filters = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="The filters applied, as given.",
    )
    statuses = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="Every status (`value`, `label`) in lifecycle order.",
    )
    points = TrendPointSerializer(many=True)

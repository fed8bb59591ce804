from django.contrib.auth import get_user_model
from rest_framework import serializers

from reports.serializers import ReportSummarySerializer
from viona.api.fields import LabelledChoiceField

from .models import (
    Horizon,
    Organisation,
    OrganisationKind,
    PolicyDomain,
    Priority,
    Recommendation,
    Status,
    StatusChange,
)


class PolicyDomainSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="policydomain-detail", lookup_field="slug")
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = PolicyDomain
        fields = ["url", "slug", "name_nl", "name_en", "parent"]


class OrganisationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="organisation-detail", lookup_field="slug")
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


class UserNameField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field=get_user_model().USERNAME_FIELD, read_only=True, **kwargs)


class RecommendationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="recommendation-detail", lookup_field="code"
    )
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
    addressees = NamedOrganisationSerializer(many=True, read_only=True)
    owner = NamedOrganisationSerializer(read_only=True, allow_null=True)
    follow_up_officer = UserNameField(allow_null=True)
    primary_domain = NamedPolicyDomainSerializer(read_only=True)
    related_domains = NamedPolicyDomainSerializer(many=True, read_only=True)
    priority = LabelledChoiceField(Priority, read_only=True)
    status = LabelledChoiceField(Status, read_only=True)
    is_closed = serializers.BooleanField(read_only=True)
    is_overdue = serializers.SerializerMethodField()

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
            "status",
            "is_closed",
            "is_overdue",
            "version",
            "created_at",
            "updated_at",
        ]

    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue()


class StatusChangeSerializer(serializers.ModelSerializer):
    from_status = LabelledChoiceField(Status, read_only=True)
    to_status = LabelledChoiceField(Status, read_only=True)
    changed_by = UserNameField(allow_null=True)

    class Meta:
        model = StatusChange
        fields = ["from_status", "to_status", "note", "evidence_url", "changed_by", "changed_at"]


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    evidence_url = serializers.URLField(
        required=False, allow_blank=True, default="", max_length=500
    )


class TransitionRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    allowed = serializers.ListField(child=serializers.ChoiceField(choices=Status.choices))

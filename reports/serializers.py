from rest_framework import serializers

from viona.api.fields import IdentityUrlField

from .models import Institute, Report


class InstituteSerializer(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="institute-detail", lookup_field="slug")

    class Meta:
        model = Institute
        fields = ["url", "slug", "name", "short_name"]


class ReportSummarySerializer(serializers.ModelSerializer):
    """A report as named inside another object."""

    url = IdentityUrlField(view_name="report-detail", lookup_field="slug")

    class Meta:
        model = Report
        fields = ["url", "number", "slug", "title"]


class ReportSerializer(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="report-detail", lookup_field="slug")
    institutes = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    publication_month = serializers.CharField(read_only=True, help_text="YYYY-MM")
    recommendation_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Report
        fields = [
            "url",
            "number",
            "slug",
            "title",
            "institutes",
            "authors",
            "publication_month",
            "keywords",
            "abstract",
            "reference",
            "has_summary",
            "source_ranges",
            "recommendation_count",
        ]

from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from recommendations.admin import RecommendationInline
from recommendations.selectors import status_counts

from .models import Institute, Report


@admin.register(Institute)
class InstituteAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "slug"]
    search_fields = ["name", "short_name", "slug"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "title",
        "institute_names",
        "published",
        "has_summary",
        "recommendation_total",
    ]
    list_filter = ["has_summary", "institutes"]
    search_fields = ["number", "title", "authors", "abstract"]
    autocomplete_fields = ["institutes"]
    readonly_fields = ["status_overview"]
    inlines = [RecommendationInline]
    ordering = ["sequence"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("institutes")
            .annotate(recommendation_total=Count("recommendations"))
        )

    @admin.display(description=_("institutes"))
    def institute_names(self, obj):
        return ", ".join(institute.short_name for institute in obj.institutes.all())

    @admin.display(description=_("recommendations"), ordering="recommendation_total")
    def recommendation_total(self, obj):
        return obj.recommendation_total

    @admin.display(description=_("status counts"))
    def status_overview(self, obj):
        if obj.pk is None:
            return "—"
        counts = status_counts(obj.recommendations.all())
        return (
            format_html_join(
                ", ", "{}: {}", ((status.label, n) for status, n in counts.items() if n)
            )
            or "—"
        )

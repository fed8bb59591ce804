from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import Institute, Report


@admin.register(Institute)
class InstituteAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "slug"]
    search_fields = ["name", "short_name", "slug"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Reports; the recommendations app adds their recommendations (recommendations/admin.py),
    so that this app depends on none other."""

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

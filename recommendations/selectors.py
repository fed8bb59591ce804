"""Reads of recommendations, with the joins each view needs declared once."""

from django.db.models import Count, QuerySet

from .models import Recommendation, Status, StatusChange


def recommendation_list() -> QuerySet[Recommendation]:
    """Recommendations with everything their API representation shows: a fixed query count."""
    return Recommendation.objects.select_related(
        "report", "parent", "owner", "follow_up_officer", "primary_domain"
    ).prefetch_related("addressees", "related_domains")


def status_history(recommendation: Recommendation) -> QuerySet[StatusChange]:
    return recommendation.status_changes.select_related("changed_by").order_by("changed_at", "id")


def status_counts(recommendations: QuerySet[Recommendation]) -> dict[Status, int]:
    """How many of the given recommendations are in each status (every status listed)."""
    counted = dict(
        recommendations.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counted.get(status.value, 0) for status in Status}

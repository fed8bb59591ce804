from django.urls import path
from rest_framework.routers import DefaultRouter

from recommendations.api.views import (
    OrganisationViewSet,
    OverviewView,
    PolicyDomainViewSet,
    RecommendationExportView,
    RecommendationViewSet,
)
from reports.api import InstituteViewSet, ReportViewSet

router = DefaultRouter()
# Recommendation codes contain dots ("R05.1-3.2"), which format suffixes would swallow.
router.include_format_suffixes = False
router.register("institutes", InstituteViewSet)
router.register("reports", ReportViewSet)
router.register("policy-domains", PolicyDomainViewSet)
router.register("organisations", OrganisationViewSet)
router.register("recommendations", RecommendationViewSet)

urlpatterns = [
    # Before the router, whose recommendation detail route would take "export" for a code.
    path(
        "recommendations/export/", RecommendationExportView.as_view(), name="recommendation-export"
    ),
    path("overview/", OverviewView.as_view(), name="overview"),
    *router.urls,
]

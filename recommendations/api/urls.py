"""The recommendations API's routes, included by the project's ``viona/api/urls_v1.py``."""

from django.urls import path

from recommendations.api.views import (
    OrganisationViewSet,
    OverviewTrendView,
    OverviewView,
    PolicyDomainViewSet,
    RecommendationExportView,
    RecommendationViewSet,
)

# (prefix, viewset) for the project's router.
ROUTES = [
    ("policy-domains", PolicyDomainViewSet),
    ("organisations", OrganisationViewSet),
    ("recommendations", RecommendationViewSet),
]

# Before the router's, whose recommendation detail route would take "export" for a code.
urlpatterns = [
    path(
        "recommendations/export/", RecommendationExportView.as_view(), name="recommendation-export"
    ),
    path("overview/", OverviewView.as_view(), name="overview"),
    path("overview/trend/", OverviewTrendView.as_view(), name="overview-trend"),
]

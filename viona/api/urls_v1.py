from rest_framework.routers import DefaultRouter

from recommendations.api import urls as recommendation_urls
from reports.api import InstituteViewSet, ReportViewSet
from viona.api.views import APIRootView

router = DefaultRouter()
router.APIRootView = APIRootView
# Recommendation codes contain dots ("R05.1-3.2"), which format suffixes would swallow.
router.include_format_suffixes = False
router.register("institutes", InstituteViewSet)
router.register("reports", ReportViewSet)
for prefix, viewset in recommendation_urls.ROUTES:
    router.register(prefix, viewset)

urlpatterns = [*recommendation_urls.urlpatterns, *router.urls]

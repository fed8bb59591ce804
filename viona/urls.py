from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView

from recommendations.overview.views import overview_page
from recommendations.portal.views import favicon, home
from viona.api.docs import RedocView, SwaggerView, redoc_bundle

admin.site.site_header = _("VIONA recommendation tracker")
admin.site.site_title = _("VIONA recommendations")
admin.site.index_title = _("Follow-up of policy recommendations")

urlpatterns = [
    path("", home, name="home"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("viona.api.urls_v1")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
    path("api/redoc/redoc.standalone.js", redoc_bundle, name="redoc-bundle"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("overview/", overview_page, name="overview-page"),
    # Browsers ask for it whatever the page links to (the API's and the docs' pages do not).
    path("favicon.ico", favicon, name="favicon"),
]

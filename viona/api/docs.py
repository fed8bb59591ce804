"""The two API documentation pages, Swagger UI and Redoc, with everything from this server.

Both pages are served with a Content-Security-Policy that lets them load scripts, styles,
images and data from here only: should a new version of either library reach out to another
host, the browser refuses and says so in the console (tests/test_docs_browser.py watches it).
The policy allows no inline script, so Swagger UI is the split variant (its start-up script
comes from the page's own URL with ``?script``), and Redoc starts from its ``<redoc>`` element.
"""

import functools
import hashlib
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import condition, require_safe
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        # Swagger UI's icons are data: images; so is the logo Redoc gets instead of Redocly's.
        "img-src 'self' data:",
        # Both libraries style elements from script (Redoc injects <style> elements).
        "style-src 'self' 'unsafe-inline'",
        # Redoc builds its search index in a worker made from a blob.
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class OnlyFromHere:
    """Adds the documentation pages' Content-Security-Policy to a view's responses."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response


class SwaggerView(OnlyFromHere, SpectacularSwaggerSplitView):
    pass


class RedocView(OnlyFromHere, SpectacularRedocView):
    template_name = "viona/redoc.html"

    @staticmethod
    def _redoc_standalone():
        return reverse("redoc-bundle")


REDOC_BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
# The "API docs by Redocly" footer of Redoc's menu shows this image, from Redocly's server,
# whatever the options; the page hides that footer and the bundle gets an empty image instead.
REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
NO_LOGO = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"
SOURCE_MAP = "//# sourceMappingURL=redoc.standalone.js.map"


@functools.cache
def _redoc_bundle() -> tuple[bytes, str]:
    """The sidecar's Redoc bundle without Redocly's logo URL, and its ETag."""
    source = Path(finders.find(REDOC_BUNDLE)).read_text(encoding="utf-8")
    source = source.replace(REDOCLY_LOGO, NO_LOGO).replace(
        SOURCE_MAP, f"//# sourceMappingURL={static(REDOC_BUNDLE + '.map')}"
    )
    content = source.encode()
    return content, hashlib.sha256(content).hexdigest()[:32]


@gzip_page
@require_safe
@condition(etag_func=lambda request: _redoc_bundle()[1])
def redoc_bundle(request):
    """Redoc's standalone bundle as the sidecar has it, but for the footer logo's URL."""
    content, _etag = _redoc_bundle()
    response = HttpResponse(content, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # the ETag makes asking again cheap
    return response

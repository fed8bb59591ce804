"""A Content-Security-Policy on every HTML page: everything from this server, nothing inline
but what a page declares by hash, no framing. A view that needs more sets its own header (the
API documentation pages do, in ``viona/api/docs.py``), which this middleware leaves alone."""

import base64
import hashlib
from functools import wraps

from django.conf import settings

DEFAULT_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy(**extra: str) -> str:
    """The default policy with sources added per directive (``style_src="'sha256-…'"``)."""
    directives = dict(DEFAULT_DIRECTIVES)
    for name, sources in extra.items():
        directive = name.replace("_", "-")
        directives[directive] = f"{directives.get(directive, '')} {sources}".strip()
    return "; ".join(f"{name} {sources}" for name, sources in directives.items())


def source_hash(inline: str) -> str:
    """The CSP source that allows exactly this inline <style> or <script> content."""
    digest = hashlib.sha256(inline.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def with_policy(**extra: str):
    """A view decorator: this view's pages get the default policy plus ``extra``."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response["Content-Security-Policy"] = policy(**extra)
            return response

        return wrapped

    return decorate


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.default = policy()

    def __call__(self, request):
        response = self.get_response(request)
        is_html = response.get("Content-Type", "").startswith("text/html")
        # Django's debug error pages are inline styles and scripts, shown in debug mode only.
        debug_page = settings.DEBUG and response.status_code >= 400
        if is_html and not debug_page and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.default
        return response

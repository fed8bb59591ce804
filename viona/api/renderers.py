"""File downloads through DRF's content negotiation (``?format=csv`` or ``Accept``).

The view hands over the finished file as bytes; errors are answered in JSON (see
``exceptions.exception_handler``)."""

from rest_framework import renderers
from rest_framework.renderers import BaseRenderer

from viona.csp import policy
from viona.tables import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE

# DRF's page and its Bootstrap styles elements inline; no inline script.
BROWSABLE_API_POLICY = policy(style_src="'unsafe-inline'")


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's browsable API under a policy that allows what it needs: inline styles."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        page = super().render(data, accepted_media_type, renderer_context)
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Security-Policy"] = BROWSABLE_API_POLICY
        return page


class FileRenderer(BaseRenderer):
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class CSVRenderer(FileRenderer):
    media_type = CSV_MEDIA_TYPE
    format = "csv"


class XLSXRenderer(FileRenderer):
    media_type = XLSX_MEDIA_TYPE
    format = "xlsx"

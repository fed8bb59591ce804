"""File downloads through DRF's content negotiation (``?format=csv`` or ``Accept``).

The view hands over the finished file as bytes; errors are answered in JSON (see
``exceptions.exception_handler``)."""

from rest_framework.renderers import BaseRenderer

from viona.tables import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE


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

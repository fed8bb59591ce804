from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.views import exception_handler as drf_exception_handler

from .renderers import FileRenderer


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "request_too_large"


def exception_handler(exc, context):
    """DRF's handler, plus Django's own ValidationError (from model and service code) as 400,
    a 404 in the client's language, and the limits Django's form and multipart parsing
    enforce (``DATA_UPLOAD_MAX_*``) as 413 and 400 in JSON rather than Django's HTML page."""
    if isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = exceptions.ParseError(_("The request has too many fields or files."))
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        # Django's "No Recommendation matches the given query." is English only.
        exc = exceptions.NotFound()
    request = context.get("request")
    if request is not None and isinstance(
        getattr(request, "accepted_renderer", None) or FileRenderer(), FileRenderer
    ):
        # A download that failed (or a format that could not be chosen): answer in JSON.
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    return drf_exception_handler(exc, context)

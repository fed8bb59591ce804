from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from rest_framework.permissions import SAFE_METHODS


class RejectNullCharactersMiddleware:
    """A NUL character in the path or query string is never meaningful here, and PostgreSQL
    cannot store or compare one: answer 400 before anything tries."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            # Before LocaleMiddleware: the language is picked here.
            with translation.override(translation.get_language_from_request(request)):
                message = _("NUL characters are not allowed in URLs.")
            return JsonResponse({"url": [message]}, status=400)
        return self.get_response(request)


def body_limit(view) -> int:
    """The largest request body ``view`` takes, in bytes: its ``max_body_size`` (a view that
    takes files declares ``settings.VIONA_UPLOAD_MAX_BYTES``; a viewset action passes it to
    ``@action``, the viewset declaring ``max_body_size = None``), else
    ``settings.VIONA_BODY_MAX_BYTES``. ``view`` is what a URL routes to, or a view instance."""
    initkwargs = getattr(view, "initkwargs", None) or getattr(view, "view_initkwargs", None) or {}
    view_class = getattr(view, "cls", None) or getattr(view, "view_class", None)
    declared = (
        initkwargs.get("max_body_size")
        or getattr(view_class, "max_body_size", None)
        or getattr(view, "max_body_size", None)
    )
    return declared or settings.VIONA_BODY_MAX_BYTES


# More digits than any limit has: the length is not converted (Python refuses to convert
# integers of more than 4,300 digits).
_LENGTH_DIGITS = 15


class RequestBodyLimitMiddleware:
    """Refuses a body larger than its endpoint takes with 413, before anything reads or
    parses it, and a body without Content-Length (chunked) with 411.

    Django reads no more of a body than its Content-Length says (and nothing without one),
    whichever parser reads it; so checking the declared length bounds what is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        length = request.META.get("CONTENT_LENGTH") or ""
        if not length:
            if request.META.get("HTTP_TRANSFER_ENCODING") and request.method not in SAFE_METHODS:
                return _refusal(
                    411,
                    _("Send the body with a Content-Length header; chunked bodies are refused."),
                )
            return None
        if not (length.isascii() and length.isdigit()):
            return _refusal(400, _("Content-Length must be a number of bytes."))
        limit = body_limit(view_func)
        if len(length) > _LENGTH_DIGITS or int(length) > limit:
            return _refusal(
                413,
                _("The request body is too large: this endpoint takes at most %(limit)s bytes.")
                % {"limit": number_format(limit, force_grouping=True)},
            )
        return None


def _refusal(status: int, message: str) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)

from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _


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

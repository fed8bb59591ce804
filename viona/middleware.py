from django.http import JsonResponse


class RejectNullCharactersMiddleware:
    """A NUL character in the path or query string is never meaningful here, and PostgreSQL
    cannot store or compare one: answer 400 before anything tries."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return JsonResponse({"url": ["NUL characters are not allowed in URLs."]}, status=400)
        return self.get_response(request)

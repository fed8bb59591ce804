"""The project's URLs plus ``bench/ping/``: the smallest Django view, served through the same
middleware, as the load test's baseline."""

from django.http import JsonResponse
from django.urls import include, path


def ping(request):
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/ping/", ping),
    path("", include("viona.urls")),
]

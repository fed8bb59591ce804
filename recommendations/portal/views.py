from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@require_safe
def home(request):
    """What the tracker is, and the way to its overview, admin, API and API documentation."""
    return render(request, "portal/home.html")


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever a page links to (DRF's and the docs' pages link
    none): the one icon, where the static files are."""
    return HttpResponsePermanentRedirect(static("viona/favicon.svg"))

from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def home(request):
    """What the tracker is, and the way to its overview, admin, API and API documentation."""
    return render(request, "portal/home.html")

"""DRF's rate throttles, counting per client address as viona.clientip decides it.

DRF's own identity is the raw ``X-Forwarded-For`` header unless NUM_PROXIES is set, so a
client that sends a new header with every request is never throttled. The counts live in the
default cache, the database one, which every worker process shares.
"""

import math
from functools import wraps

from django.http import HttpResponse
from django.utils.translation import gettext as _
from rest_framework import throttling
from rest_framework.settings import api_settings

from viona.clientip import client_ip


class AnonRateThrottle(throttling.AnonRateThrottle):
    def get_ident(self, request):
        return client_ip(request)


class UserRateThrottle(throttling.UserRateThrottle):
    def get_ident(self, request):
        return client_ip(request)


def throttled_page(view):
    """A page (a plain Django view) counted against the API's rates, with the same throttles
    and client address: a page that runs the API's computations is no way around them."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        for throttle_class in api_settings.DEFAULT_THROTTLE_CLASSES:
            throttle = throttle_class()
            if not throttle.allow_request(request, None):
                wait = max(1, math.ceil(throttle.wait() or 1))
                message = _("Too many requests: try again in %(seconds)d seconds.")
                response = HttpResponse(
                    message % {"seconds": wait}, status=429, content_type="text/plain"
                )
                response["Retry-After"] = str(wait)
                return response
        return view(request, *args, **kwargs)

    return wrapped

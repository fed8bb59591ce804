"""DRF's rate throttles, counting per client address as viona.clientip decides it.

DRF's own identity is the raw ``X-Forwarded-For`` header unless NUM_PROXIES is set, so a
client that sends a new header with every request is never throttled. The counts live in the
default cache, the database one, which every worker process shares.
"""

from rest_framework import throttling

from viona.clientip import client_ip


class AnonRateThrottle(throttling.AnonRateThrottle):
    def get_ident(self, request):
        return client_ip(request)


class UserRateThrottle(throttling.UserRateThrottle):
    def get_ident(self, request):
        return client_ip(request)

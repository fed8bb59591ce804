"""The login lockout (django-axes) as an authentication backend."""

from axes.backends import AxesStandaloneBackend


class LoginLockoutBackend(AxesStandaloneBackend):
    """Refuses a login over HTTP while its account and address are locked out.

    A login form (the admin's) passes the request. A call without one (the test client's
    ``login()``, a shell) has no address to count and goes on to the next backend, where Axes
    itself would raise.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission

from recommendations.roles import may_write_at_all


class ReadOrFollowUpWrite(BasePermission):
    """Reading is public unless ``VIONA_PUBLIC_READ`` is off; writing needs a role.

    Which item a writer may change is the object-level rule in ``recommendations.roles``,
    enforced by the services that do the writing.
    """

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return settings.VIONA_PUBLIC_READ or bool(
                request.user and request.user.is_authenticated
            )
        return may_write_at_all(request.user)

from rest_framework.permissions import SAFE_METHODS, BasePermission

from recommendations.roles import may_read, may_write_at_all


class ReadOrFollowUpWrite(BasePermission):
    """Reading is public unless ``VIONA_PUBLIC_READ`` is off; writing needs a role.

    Which item a writer may change is the object-level rule in ``recommendations.roles``,
    enforced by the services that do the writing.
    """

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return may_read(request.user)
        return may_write_at_all(request.user)

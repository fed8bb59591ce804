from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission

from recommendations.services import can_edit_follow_up


class ReadOrStaffWrite(BasePermission):
    """Reading is public unless ``VIONA_PUBLIC_READ`` is off; writing needs follow-up rights."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return settings.VIONA_PUBLIC_READ or bool(
                request.user and request.user.is_authenticated
            )
        return can_edit_follow_up(request.user)

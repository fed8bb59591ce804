"""Optimistic locking over HTTP: a recommendation's ETag is its version; writes may send
``If-Match`` and get 412 when the item changed since."""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError

_ENTITY_TAG = re.compile(r'^\s*"(\d+)"\s*$')


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The recommendation changed since you read it; fetch it again and retry.")
    default_code = "precondition_failed"


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(request) -> int | None:
    """The version the client read, from ``If-Match`` (None when absent or ``*``)."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    match = _ENTITY_TAG.match(header)
    if match is None:
        raise ParseError(_('If-Match must be one entity tag as sent in ETag, such as "3".'))
    return int(match[1])

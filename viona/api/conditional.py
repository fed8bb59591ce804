"""Optimistic locking over HTTP: a recommendation's ETag is its version; writes may send
``If-Match`` and get 412 when the item changed since.

``If-Match`` is read as RFC 9110 (section 13.1.1) has it: ``*``, or a list of entity tags
compared strongly (a weak tag ``W/"3"`` never matches); the condition holds when any tag is
the current one. A header that is not of that form is a 400."""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.response import Response

# entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE; etagc = %x21 / %x23-7E / obs-text
_ENTITY_TAG = re.compile(r'(W/)?"([\x21\x23-\x7e\x80-\xff]*)"')
# After a tag: the end of the field, or a comma (list elements may be empty).
_AFTER_TAG = re.compile(r"[ \t]*(?:,[ \t]*)+|[ \t]*\Z")
_BEFORE_FIRST = re.compile(r"[ \t]*(?:,[ \t]*)*")
# The tags this server issues: a version, in decimal (and no more digits than a version has).
_VERSION = re.compile(r"0|[1-9][0-9]{0,18}")

ANY_VERSION = None


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The recommendation changed since you read it; fetch it again and retry.")
    default_code = "precondition_failed"


def etag(version: int) -> str:
    return f'"{version}"'


def expected_versions(request) -> frozenset[int] | None:
    """The versions ``If-Match`` accepts: None when any will do (no header, or ``*``), else
    the versions its strong entity tags name; empty when none could be current (a weak tag,
    a tag this server never issued), so that the write answers 412."""
    header = request.headers.get("If-Match")
    if header is None or header.strip(" \t") == "*":
        return ANY_VERSION
    return frozenset(
        int(tag) for weak, tag in _entity_tags(header) if not weak and _VERSION.fullmatch(tag)
    )


def _entity_tags(header: str) -> list[tuple[bool, str]]:
    """``header`` as a list of (weak?, opaque tag); ParseError when it is not such a list."""
    tags = []
    position = _BEFORE_FIRST.match(header).end()
    while position < len(header):
        tag = _ENTITY_TAG.match(header, position)
        after = tag and _AFTER_TAG.match(header, tag.end())
        if not after:
            raise ParseError(
                _(
                    'If-Match must be "*" or entity tags as sent in ETag, separated by commas, '
                    'such as "3".'
                )
            )
        tags.append((bool(tag[1]), tag[2]))
        position = after.end()
    if not tags:
        raise ParseError(_("If-Match is empty: send the ETag you read, or leave it out."))
    return tags


class VersionedObjectMixin:
    """For a view of objects with a ``version``: answers with one, its version as the ETag
    that ``If-Match`` sends back."""

    def versioned_response(self, obj) -> Response:
        response = Response(self.get_serializer(obj).data)
        response["ETag"] = etag(obj.version)
        return response

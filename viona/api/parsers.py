"""DRF's JSON parser, refusing with 400 what no field of this API can take and what would
otherwise break further on: nesting deeper than ``MAX_DEPTH`` (at about a thousand levels
Python's parser raises ``RecursionError``) and lone surrogates (``"\\ud800"``: valid JSON, but
no character, so no database stores it and no error message that names it can be encoded).

The body's size is bounded before this runs (``viona.middleware.RequestBodyLimitMiddleware``).
"""

import re

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# The API's bodies are flat objects with lists of strings: two levels. Room to spare.
MAX_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(self._too_deep()) from None
        _check(data)
        return data

    @staticmethod
    def _too_deep() -> str:
        return _("JSON parse error - nested more than %(depth)d levels deep.") % {
            "depth": MAX_DEPTH
        }


def _check(data) -> None:
    """Walks the parsed body without recursion; refuses deep nesting and lone surrogates.
    Where a value lies is kept as (parent, key) pairs, spelled out only for an error."""
    if isinstance(data, str):
        _refuse_surrogates(data, None)
    pending = [(data, 1, None)] if isinstance(data, dict | list) else []
    while pending:
        value, depth, path = pending.pop()
        if depth > MAX_DEPTH:
            raise ParseError(JSONParser._too_deep())
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(key, str) and _SURROGATE.search(key):
                _refuse_surrogates(key, path, in_key=True)
            if isinstance(item, str):
                if _SURROGATE.search(item):
                    _refuse_surrogates(item, (path, key))
            elif isinstance(item, dict | list):
                pending.append((item, depth + 1, (path, key)))


def _refuse_surrogates(text: str, path, *, in_key: bool = False) -> None:
    surrogate = _SURROGATE.search(text)
    if surrogate is None:
        return
    message = (
        _(
            "JSON parse error - a name in %(where)s holds a lone surrogate (\\u%(code)04x), "
            "which is not a character."
        )
        if in_key
        else _(
            "JSON parse error - %(where)s holds a lone surrogate (\\u%(code)04x), "
            "which is not a character."
        )
    )
    raise ParseError(message % {"where": _describe(path), "code": ord(surrogate.group())})


def _describe(path) -> str:
    """``addressees[3]`` for ("addressees", 3); "the body" for the body itself."""
    keys = []
    while path is not None:
        path, key = path
        keys.append(_shorten(str(key)))
    if not keys:
        return _("the body")
    first, *rest = reversed(keys)
    return first + "".join(f"[{key}]" for key in rest)


def _shorten(text: str, length: int = 40) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"

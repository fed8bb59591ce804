from urllib.parse import quote

from django.conf import settings
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class LabelledChoiceField(serializers.ChoiceField):
    """A choice answered as ``{"value": ..., "label": ...}`` (label in the request's language)."""

    def __init__(self, choices_class, **kwargs):
        self.choices_class = choices_class
        super().__init__(choices=choices_class.choices, **kwargs)

    def to_representation(self, value):
        if value in ("", None):
            return None
        return {"value": value, "label": self._labels()[value]}

    def _labels(self) -> dict[str, str]:
        # Translated once per language for the life of the field (one response): a list
        # shows the same few labels hundreds of times.
        language = get_language()
        if getattr(self, "_labels_language", None) != language:
            self._labels_cache = {choice.value: str(choice.label) for choice in self.choices_class}
            self._labels_language = language
        return self._labels_cache


class SlugRelatedField(serializers.SlugRelatedField):
    """DRF's, refusing NUL characters before they reach the database (PostgreSQL rejects
    them with an error instead of "not found")."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


class SlugListField(serializers.ListField):
    """A list of objects named by their slugs (or another unique text field), resolved in one
    query. At most ``VIONA_LIST_MAX_LENGTH`` entries, each named once: both are checked
    before any lookup, so that a long list costs no more than a short one. Errors are a list
    of messages, as for any other field (not one per entry)."""

    default_error_messages = {
        "max_length": _("At most {max_length} entries are allowed."),
        "invalid": _("Invalid value."),
        "null_characters": _("Null characters are not allowed."),
        "duplicate": _("“{value}” is listed more than once."),
        "does_not_exist": _("Object with {slug_name}={value} does not exist."),
    }

    def __init__(self, *, queryset, slug_field="slug", **kwargs):
        self.queryset = queryset
        self.slug_field = slug_field
        kwargs.setdefault("max_length", settings.VIONA_LIST_MAX_LENGTH)
        super().__init__(child=serializers.CharField(), **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        if len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        seen = set()
        for value in data:
            if not isinstance(value, str) or not value:
                self.fail("invalid")
            if "\x00" in value:
                self.fail("null_characters")
            if value in seen:
                self.fail("duplicate", value=value)
            seen.add(value)
        found = {
            getattr(obj, self.slug_field): obj
            for obj in self.queryset.filter(**{f"{self.slug_field}__in": data})
        }
        missing = next((slug for slug in data if slug not in found), None)
        if missing is not None:
            self.fail("does_not_exist", slug_name=self.slug_field, value=missing)
        return [found[slug] for slug in data]


class IdentityUrlField(serializers.HyperlinkedIdentityField):
    """DRF's link to an object's detail page, reversed once per response instead of once per
    object: a page of 50 recommendations carries some 200 links (~4 ms of reversing)."""

    PLACEHOLDER = "__lookup__"

    def get_url(self, obj, view_name, request, format):
        if format or getattr(obj, "pk", None) in (None, ""):
            return super().get_url(obj, view_name, request, format)
        if getattr(self, "_template_request", None) is not request:
            self._template = self.reverse(
                view_name, kwargs={self.lookup_url_kwarg: self.PLACEHOLDER}, request=request
            )
            self._template_request = request
        value = quote(str(getattr(obj, self.lookup_field)), safe=RFC3986_SUBDELIMS + "/~:@")
        return self._template.replace(self.PLACEHOLDER, value, 1)


class TextField(serializers.CharField):
    """A text field that takes text only: DRF's CharField turns ``5`` or ``true`` into "5" or
    "True", which for a title or a note is never what the client meant."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)

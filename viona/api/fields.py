from urllib.parse import quote

from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import get_language
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

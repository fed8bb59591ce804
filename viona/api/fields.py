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

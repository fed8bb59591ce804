from rest_framework import serializers


class LabelledChoiceField(serializers.ChoiceField):
    """A choice answered as ``{"value": ..., "label": ...}`` (label in the request's language)."""

    def __init__(self, choices_class, **kwargs):
        self.choices_class = choices_class
        super().__init__(choices=choices_class.choices, **kwargs)

    def to_representation(self, value):
        if value in ("", None):
            return None
        return {"value": value, "label": str(self.choices_class(value).label)}

"""drf-spectacular extensions for the project's own API building blocks."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension


class LabelledChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "viona.api.fields.LabelledChoiceField"

    def map_serializer_field(self, auto_schema, direction):
        values = list(self.target.choices_class.values)
        if direction == "request":
            return {"type": "string", "enum": values}
        return {
            "type": "object",
            "properties": {
                "value": {"type": "string", "enum": values},
                "label": {"type": "string"},
            },
            "required": ["value", "label"],
        }

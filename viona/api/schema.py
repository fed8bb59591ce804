"""drf-spectacular extensions for the project's own API building blocks."""

from django.urls import reverse
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from viona.middleware import body_limit


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


class SlugListFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "viona.api.fields.SlugListField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        return {**schema, "uniqueItems": True}


class IdentityUrlFieldExtension(OpenApiSerializerFieldExtension):
    """An item's link, with its path as the example rather than the documentation tools'
    placeholder ("http://example.com"): the answer names the server that gives it."""

    target_class = "viona.api.fields.IdentityUrlField"

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        schema = auto_schema._map_serializer_field(field, direction, bypass_extensions=True)
        placeholder = field.PLACEHOLDER
        path = reverse(field.view_name, kwargs={field.lookup_url_kwarg: placeholder})
        return {
            **schema,
            "description": "This item in the API, on the server that answers.",
            "example": path.replace(placeholder, f"{{{field.lookup_field}}}"),
        }


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


PARAMETER_ERRORS = {
    "type": "object",
    "description": "Each offending parameter or field with its messages, or `detail` with one "
    "message when the request as a whole is malformed.",
    "additionalProperties": {
        "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]
    },
}


ERROR_MEDIA_TYPE = "application/json"


class AutoSchema(openapi.AutoSchema):
    """Documents the error answers every endpoint can give, next to its own responses.

    Errors are always JSON (``exceptions.exception_handler`` answers a failed download in
    JSON too), so every 4xx answer is documented as ``application/json`` only, whatever the
    view's renderers (CSV, XLSX) offer for its successful answers; a 4xx a view documents
    without a body gets the ``{"detail": ...}`` body every DRF error has."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)

        def add(code, schema, description):
            if code not in responses:
                response = self._get_error_response(schema, code, direction)
                response["description"] = description
                responses[code] = response

        takes_query = any(p.get("in") == "query" for p in self._get_parameters())
        if self.method == "GET" and takes_query:
            add("400", PARAMETER_ERRORS, "A query parameter has a value that is not allowed.")
        if self.method != "GET":
            add("400", PARAMETER_ERRORS, "The request body is malformed or invalid.")
        if "{" in self.path:
            add("404", ErrorSerializer, "Nothing with this identifier.")
        elif self.method == "GET" and self._is_list_view() and self._get_paginator():
            add("404", ErrorSerializer, "No such page: `page` is past the last page.")
        add(
            "401",
            ErrorSerializer,
            "Not logged in: writing always needs a login, reading when the deployment requires it.",
        )
        if self.method != "GET":
            add("403", ErrorSerializer, "Logged in, but not allowed to do this.")
        if self.method in ("POST", "PUT", "PATCH"):
            limit = body_limit(self.view)
            add("411", ErrorSerializer, "A body without `Content-Length` (chunked): refused.")
            add("413", ErrorSerializer, f"The body is larger than {limit:,} bytes.")
        if self.view.get_throttles():
            add("429", ErrorSerializer, "Too many requests: retry after `Retry-After` seconds.")
        for code, response in responses.items():
            if code.startswith("4"):
                self._as_json_error(response, code, direction)
        return responses

    def get_tags(self):
        """One tag per resource: the path's first part after ``SCHEMA_PATH_PREFIX``, in words
        (``policy-domains`` is "policy domains")."""
        return [tag.replace("-", " ") for tag in super().get_tags()]

    def _get_error_response(self, schema, code, direction):
        return self._get_response_for_code(
            schema, code, media_types=[ERROR_MEDIA_TYPE], direction=direction
        )

    def _as_json_error(self, response, code, direction):
        """One body, in JSON, for an error answer the view documented itself."""
        content = response.get("content")
        if not content:
            content = self._get_error_response(ErrorSerializer, code, direction)["content"]
        body = content.get(ERROR_MEDIA_TYPE) or next(iter(content.values()))
        response["content"] = {ERROR_MEDIA_TYPE: body}

"""Filter building blocks shared by the apps' FilterSets."""

import django_filters
import django_filters.fields
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

TRUE_VALUES = {"true", "1", "yes"}
FALSE_VALUES = {"false", "0", "no"}


class StrictBooleanField(forms.Field):
    """``true``/``false`` (or 1/0, yes/no); anything else is an error, not "no filter"."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in TRUE_VALUES:
            return True
        if text in FALSE_VALUES:
            return False
        raise forms.ValidationError(_("Enter true or false."), code="invalid")


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


BIGGEST_ID = 2**63 - 1


class SafeModelMultipleChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """Refuses, as a validation error, values no database column can hold: IDs that are not
    positive 64-bit integers, and text with NUL characters (PostgreSQL rejects those)."""

    def _check_values(self, value):
        for item in value:
            text = str(item)
            invalid = "\x00" in text or (
                self.to_field_name is None and not (text.isdigit() and 0 < int(text) <= BIGGEST_ID)
            )
            if invalid:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text.replace("\x00", "")},
                )
        return super()._check_values(value)


class IdFilter(django_filters.ModelMultipleChoiceFilter):
    """One or more related objects by ID; repeatable."""

    field_class = SafeModelMultipleChoiceField


@extend_schema_field(OpenApiTypes.STR)
class SlugFilter(django_filters.ModelMultipleChoiceFilter):
    """One or more related objects named by slug (or another unique text field); repeatable."""

    field_class = SafeModelMultipleChoiceField

    def __init__(self, *args, to_field_name="slug", **kwargs):
        super().__init__(*args, to_field_name=to_field_name, **kwargs)

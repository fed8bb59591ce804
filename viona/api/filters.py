"""Filter building blocks shared by the apps' FilterSets."""

import re

import django_filters
import django_filters.fields
import rest_framework.filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from viona.dates import IsoDateField, IsoDateTimeField

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


class DateFilter(django_filters.DateFilter):
    """A date as ``YYYY-MM-DD`` in every language (not the language's own format), within the
    range ``viona.dates`` allows."""

    field_class = IsoDateField


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """A date or a date and time, ISO 8601 only, within the range ``viona.dates`` allows."""

    field_class = IsoDateTimeField


BIGGEST_ID = 2**63 - 1
# Digits 0-9 only (``str.isdigit`` also takes "²", which ``int`` refuses), and no more of them
# than an ID has: Python refuses to convert integers of more than 4,300 digits.
_ID = re.compile(r"[1-9][0-9]{0,18}")


def is_id(text: str) -> bool:
    """Whether ``text`` names a positive 64-bit integer, as database IDs are."""
    return _ID.fullmatch(text) is not None and int(text) <= BIGGEST_ID


class SafeModelMultipleChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """Refuses, as a validation error, values no database column can hold: IDs that are not
    positive 64-bit integers, and text with NUL characters (PostgreSQL rejects those)."""

    def _check_values(self, value):
        for item in value:
            text = str(item)
            invalid = "\x00" in text or (self.to_field_name is None and not is_id(text))
            if invalid:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text.replace("\x00", "")},
                )
        return super()._check_values(value)


class RelatedFilter(django_filters.ModelMultipleChoiceFilter):
    """One or more related objects; repeatable, any of them matches.

    No ``SELECT DISTINCT`` (django-filter's default for these filters): across a foreign key
    no row can repeat, and DISTINCT makes the database sort every matching row before it can
    page. Across a many-to-many relation (``across_many=True``, ``field_name`` naming the
    relation) the match is a subquery instead, so an item related to several of the values
    still appears once."""

    field_class = SafeModelMultipleChoiceField

    def __init__(self, *args, across_many=False, distinct=False, **kwargs):
        self.across_many = across_many
        super().__init__(*args, distinct=distinct, **kwargs)

    def filter(self, qs, value):
        if isinstance(value, QuerySet) and value.query.is_empty():
            # Not given (the form field's ``queryset.none()``): known without compiling SQL,
            # which ``not value`` would do for each of these filters on every request.
            return qs
        if not self.across_many:
            return super().filter(qs, value)
        related = qs.model._base_manager.filter(**{f"{self.field_name}__in": value})
        return qs.filter(pk__in=related.values("pk"))


class IdFilter(RelatedFilter):
    """Related objects by ID."""


@extend_schema_field(OpenApiTypes.STR)
class SlugFilter(RelatedFilter):
    """Related objects named by slug (or another unique text field)."""

    def __init__(self, *args, to_field_name="slug", **kwargs):
        super().__init__(*args, to_field_name=to_field_name, **kwargs)


class MultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    """One or more values of a field with choices; repeatable, any of them matches.

    As ``field IN (...)``, without ``SELECT DISTINCT`` (a field of the row itself cannot repeat
    it): django-filter's ``field = a OR field = b`` with DISTINCT makes PostgreSQL count and
    sort the long way."""

    def filter(self, qs, value):
        if not value or self.is_noop(qs, value):
            return qs
        return self.get_method(qs)(**{f"{self.field_name}__in": value})


class OrderingFilter(rest_framework.filters.OrderingFilter):
    """DRF's ``ordering``, but a field it cannot order by is an error, not silently dropped."""

    def remove_invalid_fields(self, queryset, fields, view, request):
        fields = [term for term in fields if term]
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        unknown = [term for term in fields if term not in valid]
        if unknown:
            raise ValidationError(
                {
                    self.ordering_param: [
                        _("Cannot order by %(fields)s. Choose from: %(choices)s.")
                        % {
                            "fields": ", ".join(unknown),
                            "choices": ", ".join(self._field_names(queryset, view, request)),
                        }
                    ]
                }
            )
        return valid

    def _field_names(self, queryset, view, request=None) -> list[str]:
        fields = self.get_valid_fields(queryset, view, {"request": request})
        return [name for name, _label in fields]

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        names = self._field_names(None, view)
        parameters[0]["description"] = (
            f"Order by one or more of {', '.join(names)}, separated by commas; "
            "a leading `-` reverses the order."
        )
        return parameters

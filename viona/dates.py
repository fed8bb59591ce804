"""Dates from outside: in query parameters and command options ISO 8601 whatever the language;
there and in what is stored (due dates, from the API, the admin, the commands) within one range.

``YYYY-MM-DD`` only: Django's localized input formats read ``03/04/2026`` as 3 April in Dutch
and as 4 March in English, and Python's ``fromisoformat`` also takes ``20260304`` and week
dates (``2026-W10-3``).

The range, 1900-01-01 to 9999-12-31, is what a spreadsheet can hold: the XLSX exports' dates
are Excel serial numbers, which start at 1900-01-01 (earlier ones show as #####) and end at
9999-12-31. Within it, a date at local midnight converts to UTC for the database (0001-01-01
did not: an OverflowError on SQLite, a 500); a moment with its own offset is checked for that.
"""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(9999, 12, 31)

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A date, or a date and time: minutes, optionally seconds and their fraction, optionally the
# offset from UTC (``Z`` or ``+01:00``; without it, the moment is in the tracker's time zone).
ISO_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?(?:Z|[+-][0-9]{2}:[0-9]{2})?)?"
)


def validate_date_range(value: dt.date | dt.datetime) -> None:
    """A date, or a moment (its date in the tracker's time zone), from EARLIEST to LATEST."""
    try:
        day = value
        if isinstance(value, dt.datetime):
            day = value.date()
            if timezone.is_aware(value):
                value.astimezone(dt.UTC)  # what the database stores
                day = timezone.localtime(value).date()
        in_range = EARLIEST <= day <= LATEST
    except OverflowError:  # beyond 9999 or before year 1 in UTC or the tracker's time zone
        in_range = False
    if not in_range:
        raise ValidationError(
            _("Enter a date from %(earliest)s to %(latest)s."),
            code="date_out_of_range",
            params={"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
        )


class _IsoInput:
    """Reads text that matches ``pattern`` with ``parse``, not the language's input formats."""

    pattern: re.Pattern
    parse = None

    def to_python(self, value):
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            try:
                if not self.pattern.fullmatch(text):
                    raise ValueError(text)
                value = type(self).parse(text)
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        # Django's from here: a moment without an offset is in the tracker's time zone.
        return super().to_python(value)


class IsoDateField(_IsoInput, forms.DateField):
    """A date as ``YYYY-MM-DD`` (whatever the language), from EARLIEST to LATEST."""

    default_error_messages = {"invalid": _("Enter a date as YYYY-MM-DD.")}
    default_validators = [validate_date_range]
    pattern = ISO_DATE
    parse = dt.date.fromisoformat


class IsoDateTimeField(_IsoInput, forms.DateTimeField):
    """A date (its start) or a date and time, ISO 8601 (``YYYY-MM-DD``, ``YYYY-MM-DDTHH:MM``,
    with seconds and offset optional); its date from EARLIEST to LATEST."""

    default_error_messages = {
        "invalid": _("Enter a date as YYYY-MM-DD, or a date and time as YYYY-MM-DDTHH:MM.")
    }
    default_validators = [validate_date_range]
    pattern = ISO_DATE_TIME
    parse = dt.datetime.fromisoformat

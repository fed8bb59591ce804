"""Validators shared by the apps' models."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 control characters other than tab, line feed and carriage return: invisible, never
# meant, and illegal in the XML inside an XLSX file.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def validate_no_control_characters(value: str) -> None:
    match = CONTROL_CHARACTERS.search(value or "")
    if match:
        raise ValidationError(
            _("Remove the invisible control character U+%(code)04X from the text."),
            code="control_character",
            params={"code": ord(match.group())},
        )

"""The one rule for free text: which characters no text field of any model may hold.

Refused everywhere: C0 control characters (tab, line feed and carriage return are allowed
in multi-line text), DEL and the C1 controls, the bidirectional embeddings, overrides and
isolates (they make text read differently from how it is stored), and the zero-width
characters and byte order mark (invisible; pasted along from other documents, they break
search and comparison). They are refused rather than stripped, so that nothing is changed
silently: the error names the character.

The same patterns serve the field validators (every service calls ``full_clean``) and the
database CHECK constraints (``text_check``), which also hold for writes that skip
validation: ``bulk_create``, ``update()``, ``loaddata`` and restores.
"""

import re

from django.core.exceptions import ValidationError
from django.db import migrations
from django.db.models import CheckConstraint, Q
from django.utils.translation import gettext_lazy as _

# DEL, C1 controls, zero-width space/joiners, LRM/RLM, bidi embeddings and overrides, word
# joiner and invisible operators, bidi isolates, byte order mark.
# Written as escapes, not as the characters: the database gets the pattern as text, and
# PostgreSQL cannot hold a NUL character.
_INVISIBLE = r"\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
MULTI_LINE_FORBIDDEN = rf"[\x00-\x08\x0b\x0c\x0e-\x1f{_INVISIBLE}]"
SINGLE_LINE_FORBIDDEN = rf"[\x00-\x1f{_INVISIBLE}]"

_MULTI_LINE = re.compile(MULTI_LINE_FORBIDDEN)
_SINGLE_LINE = re.compile(SINGLE_LINE_FORBIDDEN)


def _refuse_match(pattern: re.Pattern, value) -> None:
    match = pattern.search(value or "") if isinstance(value, str) else None
    if match:
        raise ValidationError(
            _("Remove the invisible or control character U+%(code)04X from the text."),
            code="control_character",
            params={"code": ord(match.group())},
        )


def validate_no_control_characters(value: str) -> None:
    """Multi-line text: tab, line feed and carriage return allowed."""
    _refuse_match(_MULTI_LINE, value)


def validate_single_line(value: str) -> None:
    """One-line text (names, titles, links): no line break or tab either."""
    _refuse_match(_SINGLE_LINE, value)


def text_check(field: str, *, multi_line: bool, model: str) -> CheckConstraint:
    """The database's copy of the rule for ``field`` (SQLite runs it through Django's REGEXP
    function, PostgreSQL as a regular expression)."""
    pattern = MULTI_LINE_FORBIDDEN if multi_line else SINGLE_LINE_FORBIDDEN
    return CheckConstraint(
        condition=~Q(**{f"{field}__regex": pattern}), name=f"{model}_{field}_plain_text"
    )


_LINE_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]+")


def plain_text(value: str, *, multi_line: bool) -> str:
    """``value`` made to obey the rule, for text written before it held: in one-line text,
    line breaks and tabs become a space; every other refused character is dropped."""
    if not multi_line:
        value = _LINE_BREAKS.sub(" ", value)
    return (_MULTI_LINE if multi_line else _SINGLE_LINE).sub("", value)


def make_text_plain(fields: dict[str, dict[str, bool]]):
    """A data migration step (``RunPython``) that cleans existing rows with ``plain_text``
    before the CHECK constraints are added: ``{"app.model": {"field": multi_line}}``."""

    def clean(apps, schema_editor):
        for label, columns in fields.items():
            model = apps.get_model(label)
            for row in model.objects.only("pk", *columns).iterator():
                changed = {
                    name: plain_text(getattr(row, name), multi_line=multi_line)
                    for name, multi_line in columns.items()
                    if getattr(row, name)
                }
                changed = {k: v for k, v in changed.items() if v != getattr(row, k)}
                if changed:
                    model.objects.filter(pk=row.pk).update(**changed)

    return migrations.RunPython(clean, migrations.RunPython.noop)

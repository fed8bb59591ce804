"""Backup and restore of everything the tracker holds that a fresh install does not.

Which models a backup holds comes from the app registry: every model with rows of its own,
except the few in ``NOT_BACKED_UP``, which a fresh install recreates or which hold nothing
worth keeping. A model added later is therefore backed up without anyone remembering to.

A restore accepts nothing it could not have written: the file's shape, every value against
its field's choices and validators, and the database's own constraints (keys, uniqueness,
checks), all in one transaction, so that a refused file leaves the database as it was.
"""

import datetime as dt
import json
from pathlib import Path

from auditlog.context import disable_auditlog
from django.apps import apps
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError, M2MDeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

FORMAT = "viona-followup-backup"
FORMAT_VERSION = 1

NOT_BACKED_UP = {
    "contenttypes.contenttype": "recreated by migrate; the backup names content types by "
    "their natural key (app and model), which a fresh install resolves to its own rows",
    "auth.permission": "recreated by migrate; named by natural key, like content types",
    "sessions.session": "logins in progress: a restored site starts with everyone logged out",
    **dict.fromkeys(
        [
            "axes.accessattempt",
            "axes.accessattemptexpiration",
            "axes.accessfailurelog",
            "axes.accesslog",
        ],
        "the login lockout's failed attempts (addresses, for 15 minutes): short-lived "
        "security state and personal data, not follow-up",
    ),
}

# Rows a fresh install creates itself (the role groups): written without their key and
# matched by name on restore, so that the fresh rows are updated rather than duplicated.
BY_NATURAL_KEY = {"auth.group": ("name",)}

# Deeper than anything the tracker writes (an audit entry's changes: about 6 levels).
MAX_DEPTH = 50


class RestoreRefused(Exception):
    """Why a file cannot be restored, as one line without a closing full stop."""


def backed_up_models() -> list:
    """Every model with rows of its own but those in NOT_BACKED_UP, in loading order: a model
    after the models whose natural keys it refers to."""
    by_app = {}
    for model in apps.get_models():
        options = model._meta
        if options.managed and not options.proxy and options.label_lower not in NOT_BACKED_UP:
            by_app.setdefault(options.app_config, []).append(model)
    return serializers.sort_dependencies(by_app.items())


# Backup


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but times keep their microseconds (it cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            text = o.isoformat()
            return text[: -len("+00:00")] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def export_followup() -> dict:
    objects = []
    for model in backed_up_models():
        natural_key = BY_NATURAL_KEY.get(model._meta.label_lower)
        objects += serializers.serialize(
            "python",
            model._base_manager.order_by(*(natural_key or ("pk",))),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=natural_key is not None,
        )
    return {"format": FORMAT, "version": FORMAT_VERSION, "objects": objects}


def backup_json(backup: dict) -> str:
    return json.dumps(backup, cls=ExactJSONEncoder, ensure_ascii=False, indent=1, sort_keys=True)


# Restore


def _refuse_constant(name):
    raise ValueError(_("%(name)s is not a number a backup holds") % {"name": name})


def read_backup(path: Path):
    """The parsed file, or RestoreRefused saying in one line why it cannot be read."""
    try:
        return json.loads(path.read_bytes().decode("utf-8"), parse_constant=_refuse_constant)
    except OSError as error:
        raise RestoreRefused(f"{path}: {error.strerror}") from error
    except RecursionError as error:
        raise RestoreRefused(_("%(path)s: nested too deeply") % {"path": path}) from error
    except ValueError as error:  # not UTF-8, not JSON, or a number Python will not convert
        raise RestoreRefused(
            _("%(path)s: not a JSON backup (%(error)s)") % {"path": path, "error": error}
        ) from error


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _first_text_problem(value) -> str | None:
    """A NUL, a lone surrogate (neither can be stored) or nesting beyond MAX_DEPTH, anywhere
    in ``value``, keys included."""
    pending = [(value, 0)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_DEPTH:
            return _("nested deeper than %(depth)s levels") % {"depth": MAX_DEPTH}
        if isinstance(value, dict):
            pending += [(key, depth) for key in value]
            pending += [(item, depth + 1) for item in value.values()]
        elif isinstance(value, list):
            pending += [(item, depth + 1) for item in value]
        elif isinstance(value, str):
            if "\x00" in value:
                return _("a NUL character in %(text)s") % {"text": _short(value)}
            if not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    return _("a lone surrogate in %(text)s") % {"text": _short(value)}
    return None


def _check_envelope(backup) -> list:
    if not isinstance(backup, dict) or backup.get("format") != FORMAT:
        raise RestoreRefused(_("This file is not a VIONA follow-up backup"))
    if backup.get("version") != FORMAT_VERSION:
        raise RestoreRefused(
            _("Backup format version %(version)s is not supported")
            % {"version": _short(backup.get("version"))}
        )
    objects = backup.get("objects")
    if not isinstance(objects, list):
        raise RestoreRefused(_("The backup holds no list of objects"))
    return objects


def _where(index: int, item: dict) -> str:
    pk = f" {_short(item['pk'])}" if item.get("pk") is not None else ""
    return f"objects[{index}] ({item['model']}{pk})"


def _check_item(index: int, item, models_by_label: dict) -> None:
    """The item's shape, its text, and each value that is not a reference by natural key
    against its field."""
    if not (
        isinstance(item, dict)
        and isinstance(item.get("model"), str)
        and isinstance(item.get("fields"), dict)
    ):
        raise RestoreRefused(
            _("objects[%(index)s]: not an object with a model and fields") % {"index": index}
        )
    problem = _first_text_problem(item)
    if problem:
        raise RestoreRefused(f"objects[{index}]: {problem}")
    model = models_by_label.get(item["model"])
    if model is None:
        raise RestoreRefused(
            _("objects[%(index)s]: %(model)s is not a model that a backup holds")
            % {"index": index, "model": _short(item["model"])}
        )
    problems = _field_problems(model, item)
    if problems:
        raise RestoreRefused(f"{_where(index, item)}: {'; '.join(problems)}")


def _field_problems(model, item: dict) -> list[str]:
    problems = _value_problems(model._meta.pk, item["pk"]) if "pk" in item else []
    for name, raw in item["fields"].items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        if field is None or not _is_stored(field, model) or field.primary_key:
            problems.append(_("%(field)s: no such field") % {"field": _short(name)})
        elif not field.is_relation:
            problems += _value_problems(field, raw)
        elif field.many_to_many:
            if not isinstance(raw, list):
                problems.append(_("%(field)s: not a list") % {"field": name})
        elif not isinstance(raw, list | type(None)):  # a key by number, not by natural key
            problems += _value_problems(field.target_field, raw, name=name)
    return problems


def _is_stored(field, model) -> bool:
    """A column or a many-to-many relation of the model (not a relation seen from the other
    side)."""
    return field in model._meta.concrete_fields or field in model._meta.many_to_many


def _value_problems(field, raw, name=None) -> list[str]:
    """The field's choices and validators. Whether a value may be empty is left to the
    database: forms ask more than the models keep to (an audit entry or a login attempt may
    hold an empty text that no form would take), and whatever was stored must restore."""
    try:
        value = field.to_python(raw)
        if value in field.empty_values:
            if value == "" and field.choices and "" not in dict(field.flatchoices):
                raise ValidationError(
                    field.error_messages["invalid_choice"], params={"value": value}
                )
            return []
        field.clean(value, None)
    except ValidationError as error:
        return [f"{name or field.name}: {message.rstrip('.')}" for message in error.messages]
    except Exception:  # what a field makes of a value of another type (as loaddata does)
        return [
            _("%(field)s: %(value)s is not a value of this field")
            % {"field": name or field.name, "value": _short(raw)}
        ]
    return []


def _deserialization_problem(error: DeserializationError, item: dict, loaded=None) -> str:
    cause = error.__context__
    if isinstance(cause, M2MDeserializationError):
        cause = cause.original_exc
    if isinstance(cause, ValidationError):
        return "; ".join(message.rstrip(".") for message in cause.messages)
    if isinstance(cause, ObjectDoesNotExist) and loaded is not None:
        fields = [
            field
            for field in loaded.deferred_fields
            if isinstance(cause, field.related_model.DoesNotExist)
        ]
        return _missing(item, fields or list(loaded.deferred_fields))
    return str(cause or error).rstrip(".")


def _missing(item: dict, fields: list) -> str:
    references = ", ".join(f"{field.name} {_short(item['fields'][field.name])}" for field in fields)
    return _("%(references)s: not in the backup") % {"references": references}


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split()).rstrip(".")


def _load(objects: list) -> None:
    models_by_label = {model._meta.label_lower: model for model in backed_up_models()}
    with_forward_references = []
    for index, item in enumerate(objects):
        _check_item(index, item, models_by_label)
        try:
            (loaded,) = serializers.deserialize("python", [item], handle_forward_references=True)
        except DeserializationError as error:
            raise RestoreRefused(
                f"{_where(index, item)}: {_deserialization_problem(error, item)}"
            ) from error
        # A key that is not loaded yet: fine where the field may wait empty until the end.
        missing = [
            field for field in loaded.deferred_fields if not field.many_to_many and not field.null
        ]
        if missing:
            raise RestoreRefused(f"{_where(index, item)}: {_missing(item, missing)}")
        try:
            loaded.save()
        except (DatabaseError, OverflowError) as error:
            raise RestoreRefused(f"{_where(index, item)}: {_one_line(error)}") from error
        if loaded.deferred_fields:
            with_forward_references.append((index, item, loaded))
    for index, item, loaded in with_forward_references:
        try:
            loaded.save_deferred_fields()
        except DeserializationError as error:
            raise RestoreRefused(
                f"{_where(index, item)}: {_deserialization_problem(error, item, loaded)}"
            ) from error


def holds_data() -> bool:
    return any(
        model._base_manager.exists()
        for model in backed_up_models()
        if model._meta.label_lower not in BY_NATURAL_KEY
    )


def restore_followup(backup) -> int:
    """Load a backup into an empty database, in one transaction; the number of objects."""
    objects = _check_envelope(backup)
    try:
        # The backup holds the audit trail as it was: loading it records no changes.
        with transaction.atomic(), disable_auditlog():
            if holds_data():
                raise RestoreRefused(
                    _("The database is not empty: restore only into a fresh database")
                )
            _load(objects)
            connection.check_constraints()  # the keys that refer by number
            with connection.cursor() as cursor:  # the next new row gets a free key
                for statement in connection.ops.sequence_reset_sql(no_style(), backed_up_models()):
                    cursor.execute(statement)
    except (DatabaseError, OverflowError) as error:
        raise RestoreRefused(_one_line(error)) from error
    return len(objects)

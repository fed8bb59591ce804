"""django-auditlog's admin in the reader's language: the library writes some of its labels
in English only (the change summary, the correlation id column) and ships no Dutch, so the
project registers its admin again with those translated; its other strings are translated in
the project's catalogue (``DEPENDENCY_MESSAGES``)."""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext

# What django-auditlog translates with gettext but ships no Dutch for: named here so that
# `make messages` keeps them in the catalogue.
DEPENDENCY_MESSAGES = [
    gettext_noop("Audit log"),
    gettext_noop("Resource Type"),
    gettext_noop("Correlation ID"),
    gettext_noop("Click to filter by records with this correlation id"),
    gettext_noop("Created"),
    gettext_noop("User"),
    gettext_noop("Resource"),
    gettext_noop("Changes"),
    gettext_noop("Audit log: %s"),
    gettext_noop("View"),
    gettext_noop("create"),
    gettext_noop("update"),
    gettext_noop("delete"),
    gettext_noop("access"),
    gettext_noop("content type"),
    gettext_noop("object pk"),
    gettext_noop("object id"),
    gettext_noop("object representation"),
    gettext_noop("action"),
    gettext_noop("change message"),
    gettext_noop("actor"),
    gettext_noop("remote address"),
    gettext_noop("remote port"),
    gettext_noop("timestamp"),
    gettext_noop("additional data"),
    gettext_noop("actor email"),
    gettext_noop("log entry"),
    gettext_noop("log entries"),
    gettext_noop("Created {repr:s}"),
    gettext_noop("Updated {repr:s}"),
    gettext_noop("Deleted {repr:s}"),
    gettext_noop("Logged {repr:s}"),
    gettext_noop("Field"),
    gettext_noop("From"),
    gettext_noop("To"),
    gettext_noop("Relationship"),
    gettext_noop("Action"),
    gettext_noop("Objects"),
    gettext_noop("system"),
    gettext_noop("No field changes"),
    gettext_noop("No log entries found."),
]


def _plural_dependency_messages():  # never called: names the library's plurals for `make messages`
    ngettext("entry", "entries", 1)


class TranslatedLogEntryAdmin(LogEntryAdmin):
    @admin.display(description=_("Changes"))
    def msg_short(self, obj):
        if obj.action in (LogEntry.Action.DELETE, LogEntry.Action.ACCESS):
            return ""
        changes = obj.changes_dict
        fields = ", ".join(self._field_label(obj, name) for name in changes)
        return ngettext(
            "%(count)d change: %(fields)s", "%(count)d changes: %(fields)s", len(changes)
        ) % {"count": len(changes), "fields": fields}

    @admin.display(description=_("Correlation ID"))
    def cid_url(self, obj):
        return super().cid_url(obj)

    @staticmethod
    def _field_label(obj, name: str) -> str:
        model = obj.content_type.model_class()
        try:
            return str(capfirst(model._meta.get_field(name).verbose_name)) if model else name
        except FieldDoesNotExist:
            return name


admin.site.unregister(LogEntry)
admin.site.register(LogEntry, TranslatedLogEntryAdmin)

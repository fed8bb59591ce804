from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reports.admin import ReportAdmin
from reports.models import Report
from reports.sourcetext import source_lines_or_none
from viona.validators import validate_single_line

from . import roles
from .forms import RecommendationAdminForm, StatusTransitionForm
from .models import (
    DueDateRevision,
    Officer,
    Organisation,
    PolicyDomain,
    Recommendation,
    StatusChange,
)
from .selectors import field_changes, status_counts
from .services import (
    assign_role,
    publish_note,
    save_recommendation,
    transition_status,
    update_recommendation,
)

User = get_user_model()


class SingleLineTextarea(forms.Textarea):
    """A wide box for a one-line value that wraps as it is typed: a line break typed or
    pasted in is a space."""

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        return " ".join(value.splitlines()) if isinstance(value, str) else value


@admin.register(PolicyDomain)
class PolicyDomainAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_nl", "name_en", "parent"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["slug", "name_nl", "name_en"]
    autocomplete_fields = ["parent"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "slug"]


class ReadOnlyInlineMixin:
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.display(description=_("published"), boolean=True)
def is_published(record) -> bool:
    return record.is_published


class StatusChangeInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = StatusChange
    fields = [
        "changed_at",
        "from_status",
        "to_status",
        "note",
        "evidence_url",
        is_published,
        "changed_by",
    ]
    readonly_fields = fields
    ordering = ["changed_at", "id"]
    verbose_name_plural = _("status history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by", "publication")


class DueDateRevisionInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = DueDateRevision
    fields = ["changed_at", "previous_date", "new_date", "reason", is_published, "changed_by"]
    readonly_fields = fields
    ordering = ["changed_at", "id"]
    verbose_name_plural = _("due date revisions")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by", "publication")


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "title",
        "report_number",
        "status",
        "owner",
        "primary_domain",
        "due_date",
        "updated_at",
    ]
    list_select_related = ["report", "owner", "primary_domain"]
    list_filter = [
        "status",
        "report",
        ("report__institutes", admin.RelatedOnlyFieldListFilter),
        "primary_domain",
        ("owner", admin.RelatedOnlyFieldListFilter),
        "priority",
        "horizon",
    ]
    search_fields = ["code", "title", "text"]
    autocomplete_fields = [
        "report",
        "parent",
        "addressees",
        "owner",
        "primary_domain",
        "related_domains",
    ]
    form = RecommendationAdminForm
    always_read_only = [
        "status",
        "source_lines",
        "source_passage",
        "field_changes",
        "version",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["code", "report", "parent", "position", "title", "text"]}),
        (
            _("Source"),
            {"fields": ["source_start", "source_end", "source_lines", "source_passage"]},
        ),
        (
            _("Follow-up"),
            {
                "fields": [
                    "status",
                    "owner",
                    "follow_up_officer",
                    "addressees",
                    "priority",
                    "priority_rationale",
                    "due_date",
                    "due_date_reason",
                    "horizon",
                ]
            },
        ),
        (_("Policy domains"), {"fields": ["primary_domain", "related_domains"]}),
        (_("Record"), {"fields": ["version", "expected_version", "created_at", "updated_at"]}),
        (_("Audit trail"), {"fields": ["field_changes"]}),
    ]
    inlines = [StatusChangeInline, DueDateRevisionInline]
    actions = ["change_status"]
    ordering = ["report__sequence", "source_start", "code"]

    # Editors see and change only what their organisation owns, and only its follow-up.
    def get_queryset(self, request):
        return roles.in_workspace(request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return roles.is_coordinator(request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or roles.can_follow_up(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return False  # the history of a recommendation must stay

    class Media:
        css = {"all": ["recommendations/admin.css"]}

    # Related objects a read-only field would link to; shown as text to whom may not open them.
    LINKED_FIELDS = ["report", "parent", "owner", "primary_domain"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.always_read_only
        editable = roles.editable_fields(request.user, obj) | {
            "due_date_reason",
            "expected_version",
        }
        names = [name for _, options in self.fieldsets for name in options["fields"]]
        readonly = [name for name in names if name not in editable]
        return [*readonly, *self._as_text(request, readonly).values()]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        as_text = self._as_text(request, self.get_readonly_fields(request, obj))
        return [
            (name, {**options, "fields": [as_text.get(f, f) for f in options["fields"]]})
            for name, options in fieldsets
        ]

    def _as_text(self, request, readonly) -> dict[str, str]:
        """{field: its text display} for the read-only related fields whose admin page this
        user may not view (a link there would end in a 403)."""
        as_text = {}
        for name in self.LINKED_FIELDS:
            model = Recommendation._meta.get_field(name).related_model
            may_open = self.admin_site.is_registered(model) and (
                self.admin_site.get_model_admin(model).has_view_permission(request)
            )
            if name in readonly and not may_open:
                as_text[name] = f"{name}_text"
        return as_text

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "title":  # a title runs to a few lines: give it room
            kwargs["widget"] = SingleLineTextarea(attrs={"rows": 2, "class": "vLargeTextField"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A plain list, not autocomplete: that would need the user admin, which editors lack.
        if db_field.name == "follow_up_officer":
            kwargs["queryset"] = roles.active_accounts()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_model(self, request, obj, form, change):
        # The form's clean ran the service's check on the row it locked (this view runs in
        # one transaction): what it checked is what is saved here.
        if change:
            update_recommendation(
                recommendation=Recommendation.objects.get(pk=obj.pk),
                user=request.user,
                changes=form.changes,
                due_date_reason=form.cleaned_data.get("due_date_reason", ""),
                expected_version=form.cleaned_data.get("expected_version"),
            )
        else:
            save_recommendation(recommendation=obj, user=request.user)

    def save_related(self, request, form, formsets, change):
        if not change:
            form.save_m2m()  # a change's relations were saved by update_recommendation
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.display(description=_("report"), ordering="report__sequence")
    def report_number(self, obj):
        return obj.report.number

    @admin.display(description=_("source lines"))
    def source_lines(self, obj):
        return f"{obj.source_start}–{obj.source_end}"

    @admin.display(description=_("passage in the source document"))
    def source_passage(self, obj):
        lines = source_lines_or_none(settings.VIONA_SOURCE_FILE)
        if obj.pk is None or lines is None:
            return _("The source document is not available on this server.")
        numbered = (
            (n, lines[n - 1]) for n in range(obj.source_start, min(obj.source_end, len(lines)) + 1)
        )
        return format_html(
            '<pre class="source-passage">{}</pre>',
            format_html_join("\n", "{:>5}  {}", numbered),
        )

    @admin.display(description=_("changes of tracked fields"))
    def field_changes(self, obj):
        rows = [
            (entry.timestamp, entry.actor or "", *change)
            for entry, changes in ([] if obj.pk is None else field_changes(obj))
            for change in _readable_changes(entry, changes)
        ]
        if not rows:
            return _("No changes recorded.")
        columns = [_("when"), _("by"), _("field"), _("before"), _("after")]
        header = format_html_join("", "<th>{}</th>", ((column,) for column in columns))
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((date_format(localtime(when), "DATETIME_FORMAT"), *rest) for when, *rest in rows),
        )
        return format_html(
            '<table class="field-changes"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
            header,
            body,
        )

    def get_urls(self):
        status = path(
            "<path:object_id>/status/",
            self.admin_site.admin_view(self.status_view),
            name="recommendations_recommendation_status",
        )
        return [status, *super().get_urls()]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.has_change_permission(request, obj):
            form = StatusTransitionForm(recommendations=[obj], user=request.user)
            if len(form.fields["to_status"].choices) > 1:
                context["status_form"] = form
        return super().render_change_form(request, context, add, change, form_url, obj)

    def status_view(self, request, object_id):
        """The item page's status form posts here; a refusal shows the form again."""
        recommendation = self.get_object(request, unquote(object_id))
        if recommendation is None:
            raise Http404
        if not self.has_change_permission(request, recommendation):
            raise PermissionDenied
        item_url = reverse(
            "admin:recommendations_recommendation_change",
            args=[quote(recommendation.pk)],
            current_app=self.admin_site.name,
        )
        data = request.POST if request.method == "POST" else None
        form = StatusTransitionForm(data, recommendations=[recommendation], user=request.user)
        if form.is_valid() and self._apply_transition(request, form, [recommendation]):
            return HttpResponseRedirect(item_url)
        return self._status_form_page(request, form, [recommendation], cancel_url=item_url)

    @admin.action(description=_("Change status of the selected recommendations"))
    def change_status(self, request, queryset):
        items = list(queryset)
        data = request.POST if "apply" in request.POST else None
        form = StatusTransitionForm(data, recommendations=items, user=request.user)
        if form.is_valid() and self._apply_transition(request, form, items):
            return None  # back to the list, with what was done and refused
        changelist = reverse(
            "admin:recommendations_recommendation_changelist", current_app=self.admin_site.name
        )
        preserved = request.GET.urlencode()
        return self._status_form_page(
            request,
            form,
            items,
            cancel_url=f"{changelist}?{preserved}" if preserved else changelist,
            action="change_status",
        )

    def _status_form_page(self, request, form, items, *, cancel_url, action=None):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change status"),
            "opts": self.model._meta,
            "form": form,
            "recommendations": items,
            "single": action is None,
            "action": action,
            "cancel_url": cancel_url,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(
            request, "admin/recommendations/recommendation/change_status.html", context
        )

    def _apply_transition(self, request, form, items) -> bool:
        """Move each item that may move; True when at least one did (its messages are then
        queued), False with the refusals on the form when none did."""
        done, refused = [], []
        for recommendation in items:
            source = recommendation.get_status_display()
            try:
                transition_status(
                    recommendation=recommendation, user=request.user, **form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as error:
                reason = error.messages[0] if isinstance(error, ValidationError) else str(error)
                refused.append(f"{recommendation.code}: {reason}")
                continue
            done.append(recommendation.code)
            self.log_change(
                request,
                recommendation,
                _("Status changed from “%(source)s” to “%(target)s”.")
                % {"source": source, "target": recommendation.get_status_display()},
            )
        if not done:
            for reason in refused:
                form.add_error(None, reason)
            return False
        self.message_user(
            request,
            ngettext(
                "Status changed for %(count)d recommendation: %(codes)s.",
                "Status changed for %(count)d recommendations: %(codes)s.",
                len(done),
            )
            % {"count": len(done), "codes": ", ".join(done)},
            messages.SUCCESS,
        )
        for reason in refused:
            self.message_user(request, reason, messages.ERROR)
        return True


def _as_text_display(name):
    @admin.display(description=Recommendation._meta.get_field(name).verbose_name)
    def display(self, obj):
        return getattr(obj, name)

    display.__name__ = f"{name}_text"
    return display


for _name in RecommendationAdmin.LINKED_FIELDS:
    setattr(RecommendationAdmin, f"{_name}_text", _as_text_display(_name))


def _readable_changes(entry, changes):
    """(field, before, after) per change of an audit entry, as a person reads them: labels
    for choices, names for related objects; for related lists, what was added or removed."""
    display = entry.changes_display_dict
    model = entry.content_type.model_class()
    for name, change in sorted(changes.items()):
        field = model._meta.get_field(name)
        label = capfirst(field.verbose_name)
        if isinstance(change, dict):  # a many-to-many change
            objects = ", ".join(change.get("objects", []))
            removed = change.get("operation") == "delete"
            yield (label, objects if removed else "", "" if removed else objects)
        else:
            before, after = display.get(field.verbose_name, change)
            yield (label, before, after)


class RecommendationInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Recommendation
    fields = ["code", "title", "status", "owner", "due_date"]
    readonly_fields = fields
    ordering = ["source_start", "code"]
    show_change_link = True
    fk_name = "report"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner")


admin.site.unregister(Report)


@admin.register(Report)
class ReportWithRecommendationsAdmin(ReportAdmin):
    """The reports app's admin, with each report's recommendations and their status counts."""

    readonly_fields = ["status_overview"]
    inlines = [RecommendationInline]

    @admin.display(description=_("status counts"))
    def status_overview(self, obj):
        if obj.pk is None:
            return "—"
        counts = status_counts(obj.recommendations.all())
        return (
            format_html_join(
                ", ", "{}: {}", ((status.label, n) for status, n in counts.items() if n)
            )
            or "—"
        )


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation"]
    list_select_related = ["user", "organisation"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["organisation"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A plain list: autocomplete would need the user admin, which coordinators lack.
        if db_field.name == "user":
            kwargs["queryset"] = roles.active_accounts()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return ["user"] if obj else []  # a membership moves between organisations, not people

    def save_model(self, request, obj, form, change):
        # A member of an organisation follows up what it owns: as `set_role --role editor`
        # (a coordinator stays coordinator, now of this organisation).
        user = obj.user
        assign_role(
            username=user.get_username(),
            role="coordinator" if roles.is_coordinator(user) else "editor",
            organisation=obj.organisation,
            by=request.user,
        )
        obj.pk = Officer.objects.get(user=user).pk


admin.site.unregister(User)


class AccountChangeForm(UserChangeForm):
    """Names follow the project's plain-text rule (the user model is Django's own)."""

    def clean(self):
        cleaned = super().clean()
        for name in ("first_name", "last_name"):
            try:
                validate_single_line(cleaned.get(name) or "")
            except ValidationError as refused:
                self.add_error(name, refused)
        return cleaned


@admin.register(User)
class AccountAdmin(UserAdmin):
    """Accounts are deactivated, never deleted: the history and the audit trail name them."""

    form = AccountChangeForm

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryAdmin(admin.ModelAdmin):
    """History is shown, never added, changed or deleted; an editor sees their organisation's.
    A coordinator publishes the notes of selected entries."""

    actions = ["publish_notes"]
    publication_kind = ""

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("publication")
        return roles.in_workspace(request.user, queryset, owner="recommendation__owner")

    def has_publish_permission(self, request):
        return roles.may_publish_notes(request.user)

    @admin.action(
        description=_("Publish the notes of the selected entries"), permissions=["publish"]
    )
    def publish_notes(self, request, queryset):
        published = 0
        for record in queryset.select_related("recommendation"):
            try:
                _publication, created = publish_note(
                    recommendation=record.recommendation,
                    kind=self.publication_kind,
                    record_id=record.pk,
                    user=request.user,
                )
            except ValidationError as error:
                self.message_user(
                    request,
                    f"{record.recommendation.code}: {' '.join(error.messages)}",
                    messages.WARNING,
                )
                continue
            published += created
        self.message_user(
            request,
            ngettext("%(count)d note published.", "%(count)d notes published.", published)
            % {"count": published},
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DueDateRevision)
class DueDateRevisionAdmin(HistoryAdmin):
    publication_kind = "due_date_revision"
    list_display = [
        "changed_at",
        "recommendation",
        "previous_date",
        "new_date",
        is_published,
        "changed_by",
    ]
    list_select_related = ["recommendation", "changed_by"]
    search_fields = ["recommendation__code", "reason"]


@admin.register(StatusChange)
class StatusChangeAdmin(HistoryAdmin):
    publication_kind = "status_change"
    list_display = [
        "changed_at",
        "recommendation",
        "from_status",
        "to_status",
        is_published,
        "changed_by",
    ]
    list_select_related = ["recommendation", "changed_by"]
    list_filter = ["to_status", "from_status"]
    search_fields = ["recommendation__code", "note"]
    date_hierarchy = "changed_at"

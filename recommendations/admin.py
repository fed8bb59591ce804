from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reports.admin import ReportAdmin
from reports.models import Report
from reports.sourcetext import source_lines_or_none

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
    return hasattr(record, "publication")


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

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.always_read_only
        editable = roles.editable_fields(request.user, obj) | {
            "due_date_reason",
            "expected_version",
        }
        names = [name for _, options in self.fieldsets for name in options["fields"]]
        return [name for name in names if name not in editable]

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

    @admin.action(description=_("Change status of the selected recommendations"))
    def change_status(self, request, queryset):
        form = StatusTransitionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._apply_transition(request, queryset, form.cleaned_data)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change status"),
            "opts": self.model._meta,
            "form": form,
            "recommendations": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/recommendations/recommendation/change_status.html", context
        )

    def _apply_transition(self, request, queryset, data):
        done, refused = [], []
        for recommendation in queryset:
            try:
                transition_status(recommendation=recommendation, user=request.user, **data)
                done.append(recommendation.code)
            except (ValidationError, PermissionDenied) as error:
                reason = error.messages[0] if isinstance(error, ValidationError) else str(error)
                refused.append((recommendation.code, reason))
        if done:
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
        for code, reason in refused:
            self.message_user(
                request,
                format_html("{}: {}", code, reason),
                messages.ERROR,
            )


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


@admin.register(User)
class AccountAdmin(UserAdmin):
    """Accounts are deactivated, never deleted: the history and the audit trail name them."""

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

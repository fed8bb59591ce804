from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from viona.validators import validate_no_control_characters

from . import lifecycle, roles
from .models import Recommendation, Status
from .services import VersionConflict, check_update


def reachable_statuses(user, statuses) -> list[Status]:
    """The statuses ``user`` may move at least one item of ``statuses`` to, in lifecycle order
    (a reopening only for a coordinator)."""
    may_reopen = roles.is_coordinator(user)
    return [
        target
        for target in Status
        if any(
            (transition := lifecycle.get_transition(source, target)) is not None
            and (may_reopen or not transition.needs_coordinator)
            for source in statuses
        )
    ]


class StatusChoiceField(forms.ChoiceField):
    """Offers the statuses reachable from where the items are, and takes any status: a move
    the lifecycle refuses (the item moved on meanwhile) gets the service's explanation."""

    def valid_value(self, value):
        return value in Status.values


class StatusTransitionForm(forms.Form):
    """The admin's status change of the given recommendations (one on the item page, the
    selection in the list): the targets the lifecycle allows from where they are, none
    chosen; a move that needs a note is refused here, so the form and selection stay."""

    required_css_class = "required"

    to_status = StatusChoiceField(label=_("New status"))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField"}),
        help_text=_("Required when closing or reopening: the reason or the evidence."),
        validators=[validate_no_control_characters],
    )
    evidence_url = forms.URLField(
        label=_("Evidence link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "vURLField"}),
    )

    def __init__(self, *args, recommendations=(), user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.recommendations = list(recommendations)
        targets = reachable_statuses(user, {item.status for item in self.recommendations})
        self.fields["to_status"].choices = [("", "---------")] + [
            (target.value, target.label) for target in targets
        ]

    def clean(self):
        cleaned = super().clean()
        target = cleaned.get("to_status")
        if target and not cleaned.get("note", "").strip():
            transitions = (lifecycle.get_transition(r.status, target) for r in self.recommendations)
            if any(t is not None and t.needs_note for t in transitions):
                self.add_error(
                    "note",
                    _("Moving to “%(target)s” needs a note: the reason or the evidence.")
                    % {"target": Status(target).label},
                )
        return cleaned


class RecommendationAdminForm(forms.ModelForm):
    """The admin's edit form: a due date change carries its reason; the version it was read
    at guards against overwriting someone else's change."""

    due_date_reason = forms.CharField(
        label=_("Reason for the due date change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when an existing due date is changed or cleared."),
        validators=[validate_no_control_characters],
    )
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    user = None  # who edits: set by the admin (RecommendationAdmin.get_form)

    class Meta:
        model = Recommendation
        fields = [
            "code",
            "report",
            "parent",
            "position",
            "title",
            "text",
            "source_start",
            "source_end",
            "owner",
            "follow_up_officer",
            "addressees",
            "priority",
            "priority_rationale",
            "due_date",
            "horizon",
            "primary_domain",
            "related_domains",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        """The service's own check (``services.check_update``), on the row it locks for the
        save that follows in the admin's transaction: a refusal shows on the form."""
        cleaned = super().clean()
        if self.instance.pk is None or self.errors:
            return cleaned
        self.changes = {
            name: cleaned[name] for name in self.changed_data if name in roles.COORDINATOR_FIELDS
        }
        try:
            check_update(
                recommendation=self.instance,
                user=self.user,
                changes=self.changes,
                due_date_reason=cleaned.get("due_date_reason", ""),
                expected_version=cleaned.get("expected_version"),
            )
        except VersionConflict as conflict:
            raise forms.ValidationError(
                _("Someone else changed this recommendation meanwhile; reload it and retry.")
            ) from conflict
        except PermissionDenied as refused:
            raise forms.ValidationError(str(refused)) from refused
        except ValidationError as invalid:
            self.add_error(None, invalid)
        return cleaned

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from viona.validators import validate_no_control_characters

from . import roles
from .models import Recommendation, Status
from .services import VersionConflict, check_update


class StatusTransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when closing or reopening: the reason or the evidence."),
    )
    evidence_url = forms.URLField(
        label=_("Evidence link"), required=False, max_length=500, assume_scheme="https"
    )


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

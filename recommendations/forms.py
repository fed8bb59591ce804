from django import forms
from django.utils.translation import gettext_lazy as _

from viona.validators import validate_no_control_characters

from .models import Recommendation, Status
from .services import due_date_needs_reason


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
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        needs_reason = "due_date" in self.changed_data and due_date_needs_reason(
            self.instance.due_date, cleaned.get("due_date")
        )
        if needs_reason and not cleaned.get("due_date_reason", "").strip():
            self.add_error("due_date_reason", _("Changing or clearing a due date needs a reason."))
        current = (
            Recommendation.objects.filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        expected = cleaned.get("expected_version")
        if expected is not None and current != expected:
            raise forms.ValidationError(
                _("Someone else changed this recommendation meanwhile; reload it and retry.")
            )
        return cleaned

"""The recommendation list's filters in words: "Status: Accepted, In progress" rather than
``status=accepted,in_progress``, for the stamp of every overview output."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from recommendations.choices import Horizon, Priority, Status
from recommendations.models import Organisation, PolicyDomain
from reports.models import Institute, Report

FILTER_LABELS = {
    "report": gettext_lazy("Report"),
    "status": gettext_lazy("Status"),
    "primary_domain": gettext_lazy("Primary policy domain"),
    "owner": gettext_lazy("Owner"),
    "priority": gettext_lazy("Priority"),
    "horizon": gettext_lazy("Horizon"),
    "q": gettext_lazy("Search"),
    "closed": gettext_lazy("Closed"),
    "overdue": gettext_lazy("Overdue"),
    "institute": gettext_lazy("Institute"),
    "domain": gettext_lazy("Policy domain"),
    "addressee": gettext_lazy("Addressee"),
    "has_owner": gettext_lazy("Has an owner"),
    "top_level": gettext_lazy("Numbered pistes only"),
}

_CHOICES = {"status": Status, "priority": Priority, "horizon": Horizon}
# Filters naming objects by slug: the model and the field that names them.
_NAMED_BY_SLUG = {
    "report": (Report, "title"),
    "institute": (Institute, "name"),
    "owner": (Organisation, "name"),
    "addressee": (Organisation, "name"),
    "primary_domain": (PolicyDomain, None),
    "domain": (PolicyDomain, None),
}
_FLAGS = {"true": gettext_lazy("yes"), "false": gettext_lazy("no")}


def _value_labels(name: str, values: list[str]) -> list[str]:
    if name in _CHOICES:
        labels = dict(_CHOICES[name].choices)
        return [str(labels.get(value, value)) for value in values]
    if name in _NAMED_BY_SLUG:
        model, field = _NAMED_BY_SLUG[name]
        field = field or model.name_field()
        names = dict(model.objects.filter(slug__in=values).values_list("slug", field))
        return [names.get(value, value) for value in values]
    if name in {"closed", "overdue", "has_owner", "top_level"}:
        return [str(_FLAGS.get(value.lower(), value)) for value in values]
    return values


def filters_text(filters: dict[str, list[str]]) -> str:
    """``{"status": ["accepted", "in_progress"]}`` as "Status: Accepted, In progress"."""
    return "; ".join(
        f"{FILTER_LABELS.get(name, name)}: {', '.join(_value_labels(name, values))}"
        for name, values in filters.items()
    ) or _("none")

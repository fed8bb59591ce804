"""Filling in the admin's forms as a browser would."""

CHANGELIST = "/admin/recommendations/recommendation/"


def edit_form_data(client, item, **changes) -> dict:
    """The change form as the page sends it, with ``changes`` typed in."""
    form = client.get(f"{CHANGELIST}{item.pk}/change/").context["adminform"].form
    values = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    data = {name: value for name, value in values.items() if value is not None}
    data.update(
        {
            "report": item.report_id,
            "primary_domain": item.primary_domain_id,
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
            "due_date_revisions-TOTAL_FORMS": "0",
            "due_date_revisions-INITIAL_FORMS": "0",
            **changes,
        }
    )
    return data

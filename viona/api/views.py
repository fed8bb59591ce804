"""What every API view shares: it refuses query parameters it does not declare, and names
itself (the browsable API's page title) in the reader's language.

The parameters a view takes are the ones the OpenAPI schema documents for it, derived from
the same declarations: its filters (the FilterSet), ``ordering``, pagination (``page``,
``page_size``) where it lists, ``format``, and the view's ``extra_query_parameters``: the
``OpenApiParameter`` list its ``extend_schema(parameters=...)`` uses too, so that a
parameter is written once and is both documented and allowed.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter
from rest_framework import routers, views
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings


def query_parameter_names(view) -> set[str]:
    """The query parameters ``view`` (an instance, its action set) takes."""
    names = {api_settings.URL_FORMAT_OVERRIDE}
    names.update(
        parameter.name
        for parameter in getattr(view, "extra_query_parameters", ())
        if parameter.location == OpenApiParameter.QUERY
    )
    if not _lists(view):
        return names
    for backend_class in getattr(view, "filter_backends", ()):
        backend = backend_class()
        if isinstance(backend, DjangoFilterBackend):
            filterset = backend.get_filterset_class(view, view.get_queryset())
            names.update(filterset.base_filters if filterset else ())
        else:
            names.update(p["name"] for p in backend.get_schema_operation_parameters(view))
    paginator = getattr(view, "paginator", None)
    if paginator is not None:
        names.update(p["name"] for p in paginator.get_schema_operation_parameters(view))
    return names


def _lists(view) -> bool:
    """Whether the view filters (and pages) a list: a viewset's ``list``, or a generic view
    that is no viewset (the export, the overview)."""
    action = getattr(view, "action", None)
    if action is not None or hasattr(view, "get_extra_actions"):
        return action == "list"
    return hasattr(view, "get_queryset")


class DeclaredQueryParametersOnly:
    """A view mixin: a query parameter the view does not declare is a 400 naming it (a typo
    such as ``stauts`` would otherwise return every item, unfiltered)."""

    extra_query_parameters: list[OpenApiParameter] = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        allowed = query_parameter_names(self)
        unknown = [name for name in request.query_params if name not in allowed]
        if unknown:
            message = _("Unknown parameter. This endpoint takes: %(allowed)s.") % {
                "allowed": ", ".join(sorted(allowed))
            }
            raise ValidationError({name: [message] for name in unknown})


def view_name(view) -> str:
    """DRF's view name (``VIEW_NAME_FUNCTION``), but a viewset's list or item page is named
    by its model's verbose names, in the reader's language ("Aanbevelingen", not
    "Recommendation List")."""
    suffix = getattr(view, "suffix", None)
    queryset = getattr(view, "queryset", None)
    if getattr(view, "name", None) is None and queryset is not None and suffix:
        meta = queryset.model._meta
        return capfirst(meta.verbose_name_plural if suffix == "List" else meta.verbose_name)
    return views.get_view_name(view)


class APIRootView(DeclaredQueryParametersOnly, routers.APIRootView):
    """The API's entry point: a link to each of its resources."""

    name = gettext_lazy("VIONA API")
    description = gettext_lazy("The API's resources; each link opens one.")

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's, but an unknown ``?format=`` is a 400 naming the formats on offer (not a 404)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Http404:
            asked = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
            offered = ", ".join(renderer.format for renderer in renderers)
            raise ValidationError(
                {
                    self.settings.URL_FORMAT_OVERRIDE: [
                        _("Unknown format “%(format)s”; choose one of: %(offered)s.")
                        % {"format": asked, "offered": offered}
                    ]
                }
            ) from None

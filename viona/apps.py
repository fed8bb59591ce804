from django.apps import AppConfig


class VionaConfig(AppConfig):
    name = "viona"
    verbose_name = "VIONA"

    def ready(self):
        from viona import audit_admin  # noqa: F401  (after the admin's autodiscovery)
        from viona.api import schema  # noqa: F401  (registers the OpenAPI extensions)

"""Django's admin with the site of viona/admin_site.py (in INSTALLED_APPS instead of
"django.contrib.admin"; a module of its own: it loads before the apps are ready)."""

from django.contrib.admin.apps import AdminConfig


class VionaAdminConfig(AdminConfig):
    default_site = "viona.admin_site.VionaAdminSite"

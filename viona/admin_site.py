"""The admin site: the officers' own apps first on the home page."""

from django.contrib import admin

FIRST_APPS = ["recommendations", "reports"]


class VionaAdminSite(admin.AdminSite):
    # The home page and the breadcrumbs lead everywhere; without the side bar the
    # recommendation list fits 1400 px with its deadline column (issue 14).
    enable_nav_sidebar = False

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        rank = {label: n for n, label in enumerate(FIRST_APPS)}
        return sorted(apps, key=lambda app: rank.get(app["app_label"], len(FIRST_APPS)))

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# The fields whose every change the audit trail records, with who, when, before and after.
AUDITED_FIELDS = [
    "status",
    "owner",
    "follow_up_officer",
    "priority",
    "priority_rationale",
    "due_date",
    "horizon",
    "primary_domain",
    "title",
    "text",
]


def _create_role_groups(sender, **kwargs):
    from .roles import ensure_role_groups

    ensure_role_groups()


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = _("Recommendations")

    def ready(self):
        from auditlog.registry import auditlog

        auditlog.register(
            self.get_model("Recommendation"),
            include_fields=AUDITED_FIELDS,
            m2m_fields={"related_domains", "addressees"},
        )
        auditlog.register(self.get_model("Officer"))
        post_migrate.connect(_create_role_groups, sender=self)

from auditlog.context import disable_auditlog
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from recommendations.models import Organisation, PolicyDomain, Recommendation
from reports.models import Institute, Report

FIXTURE_DIR = settings.BASE_DIR / "fixtures"
REFERENCE_FIXTURES = ["institutes", "policy_domains", "organisations", "reports"]


def fixture_paths():
    paths = [FIXTURE_DIR / f"{name}.json" for name in REFERENCE_FIXTURES]
    return paths + sorted((FIXTURE_DIR / "recommendations").glob("*.json"))


class Command(BaseCommand):
    help = (
        "Load the curated fixtures (institutes, domains, organisations, reports, "
        "recommendations) into an empty database. A database holding any of these is left "
        "as it is, so follow-up work is never overwritten."
    )

    def handle(self, *args, **options):
        models = [Institute, Report, PolicyDomain, Organisation, Recommendation]
        held = {m._meta.verbose_name_plural: m.objects.count() for m in models}
        if any(held.values()):
            summary = ", ".join(f"{n} {name}" for name, n in held.items() if n)
            self.stdout.write(
                _("The database already holds data (%(summary)s); nothing loaded.")
                % {"summary": summary}
            )
            return
        # Loading the catalogue is not a change anyone made: no audit entries.
        with transaction.atomic(), disable_auditlog():
            call_command("loaddata", *fixture_paths(), verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(
                _("Loaded %(reports)d reports and %(recommendations)d recommendations.")
                % {
                    "reports": Report.objects.count(),
                    "recommendations": Recommendation.objects.count(),
                }
            )
        )

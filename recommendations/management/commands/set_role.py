import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, no_translations

from recommendations.models import Organisation
from recommendations.roles import ROLES
from recommendations.services import assign_role


class Command(BaseCommand):
    help = (
        "Create or update a user with a role: reader, editor (of an organisation) or "
        "coordinator. Editors follow up what their organisation owns; coordinators everything."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--organisation", metavar="SLUG", help="the user's organisation")
        parser.add_argument("--email")
        parser.add_argument(
            "--password-env",
            metavar="VARIABLE",
            help="set the password from this environment variable (never on the command line)",
        )

    @no_translations  # the command speaks English throughout, like its own messages
    def handle(self, *args, username, role, organisation, email, password_env, **options):
        org = None
        if organisation:
            org = Organisation.objects.filter(slug=organisation).first()
            if org is None:
                raise CommandError(f"No organisation with slug “{organisation}”.")
        password = None
        if password_env:
            password = os.environ.get(password_env)
            if not password:
                raise CommandError(f"The environment variable {password_env} is empty or unset.")
        try:
            user, created = assign_role(
                username=username, role=role, organisation=org, email=email, password=password
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        where = f" of {org}" if org else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{'Created' if created else 'Updated'} {user.get_username()}: {role}{where}."
            )
        )

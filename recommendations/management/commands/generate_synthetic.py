import time

from django.core.management.base import BaseCommand, CommandError

from recommendations.synthetic import SyntheticRefused, generate


class Command(BaseCommand):
    help = (
        "Add a synthetic catalogue for load tests: reports, recommendations with sub-measures, "
        "domains, owners, due dates and 0-6 status changes each. Refuses a database that "
        "holds real recommendations unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--recommendations", type=int, required=True, metavar="N")
        parser.add_argument("--seed", type=int, default=1, metavar="S")
        parser.add_argument(
            "--force", action="store_true", help="add to a database with real data anyway"
        )

    def handle(self, *args, recommendations, seed, force, **options):
        started = time.perf_counter()
        try:
            made = generate(recommendations=recommendations, seed=seed, force=force)
        except SyntheticRefused as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {made.reports} reports, {made.recommendations} recommendations, "
                f"{made.status_changes} status changes and {made.due_date_revisions} due date "
                f"revisions in {time.perf_counter() - started:.1f} s."
            )
        )

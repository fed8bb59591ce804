from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recommendations.provenance import check_catalogue
from reports.sourcetext import FIXTURE_SOURCE_SHA256, read_lines, sha256_of


class Command(BaseCommand):
    help = (
        "Check the catalogue against the source document: its checksum, and that every "
        "abstract, reference, recommendation title and text occurs at its recorded lines."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the source document (UTF-8 text)")

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        problems = []
        digest = sha256_of(path)
        if digest != FIXTURE_SOURCE_SHA256:
            problems.append(
                f"sha256 {digest} is not that of the fixtures' source ({FIXTURE_SOURCE_SHA256})"
            )
        try:
            lines = read_lines(path)
        except UnicodeDecodeError as error:
            raise CommandError(f"{path}: not UTF-8 text") from error
        checks = check_catalogue(lines)

        self.stdout.write("| report | items | section 5 lines covered | problems |")
        self.stdout.write("| --- | ---: | ---: | ---: |")
        for check in checks:
            self.stdout.write(
                f"| {check.number} | {check.items} | {check.coverage} | {len(check.problems)} |"
            )
            problems += [f"report {check.number}: {p}" for p in check.problems]
        total = sum(check.items for check in checks)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} mismatches with {path}")
        self.stdout.write(self.style.SUCCESS(f"All {total} recommendations match {path}."))

"""What the overview and trend commands share: the recommendation list's filters as options,
a query built from them, the language, and writing the file (or standard output)."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from django.utils import translation

from recommendations.api.filters import RecommendationFilterSet
from recommendations.overview.query import OverviewRequestInvalid


def language(code: str) -> str:
    """A language as given: ``nl`` (or ``NL``) means the only Dutch there is, ``nl-be``."""
    code = code.lower()
    return {full.split("-")[0]: full for full, _name in settings.LANGUAGES}.get(code, code)


class QueryCommand(BaseCommand):
    """Subclasses name their own options (``query_options``, added in ``add_options``), their
    formats, and how to compute, render and report the result."""

    query_options: tuple[str, ...] = ()
    formats: list[str] = []

    def add_options(self, parser) -> None:
        raise NotImplementedError

    def compute(self, query: QueryDict, options: dict):
        raise NotImplementedError

    def render(self, result, fmt: str) -> bytes:
        raise NotImplementedError

    def written(self, result, output: Path) -> str:
        raise NotImplementedError

    def add_arguments(self, parser):
        self.add_options(parser)
        parser.add_argument("--format", choices=self.formats, default="md")
        parser.add_argument("--output", type=Path, help="the file to write (default: stdout)")
        parser.add_argument(
            "--language",
            type=language,
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="nl stands for nl-be",
        )
        filters = parser.add_argument_group("filters (as in the recommendation list API)")
        for name, filter_ in self._list_filters():
            filters.add_argument(
                f"--{name.replace('_', '-')}",
                dest=f"filter_{name}",
                action="append",
                metavar="VALUE",
                help=str(filter_.label or ""),
            )

    def _list_filters(self):
        """The list's filters but those the command's own options replace (``as_of``)."""
        return [
            (name, filter_)
            for name, filter_ in RecommendationFilterSet.base_filters.items()
            if name not in self.query_options and name != "as_of"
        ]

    def handle(self, *args, **options):
        query = QueryDict(mutable=True)
        for name in self.query_options:
            if options[name]:
                query[name] = options[name]
        for name, _filter in self._list_filters():
            query.setlist(name, options[f"filter_{name}"] or [])
        fmt, output = options["format"], options["output"]
        if fmt == "xlsx" and output is None and sys.stdout.isatty():
            raise CommandError("--format xlsx writes a binary file: give --output FILE.")
        with translation.override(options["language"]):
            try:
                result = self.compute(query, options)
            except OverviewRequestInvalid as invalid:
                raise CommandError(
                    "; ".join(
                        f"--{name.replace('_', '-')}: {' '.join(messages)}"
                        for name, messages in invalid.errors.items()
                    )
                ) from invalid
            content = self.render(result, fmt)
        if output is None:
            self.stdout.flush()
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
            return
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror}") from error
        with translation.override(options["language"]):
            self.stderr.write(self.written(result, output))

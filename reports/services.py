"""Writes to reports: importing a bundle's metadata. Follow-up data is never touched."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from .bundle import ReportRecord, title_key
from .models import Institute, Report

METADATA_FIELDS = [
    "sequence",
    "title",
    "authors",
    "published",
    "keywords",
    "abstract",
    "reference",
    "has_summary",
    "source_ranges",
    "sections",
]


@dataclass
class ReportChange:
    number: str
    action: str  # "create", "update" or "unchanged"
    fields: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    changes: list[ReportChange]
    new_institutes: list[str]

    def count(self, action: str) -> int:
        return sum(1 for change in self.changes if change.action == action)


class _DryRun(Exception):
    pass


def import_reports(*, records: list[ReportRecord], dry_run: bool = False) -> ImportResult:
    """Create or update one ``Report`` per record, in one transaction.

    A title that differs from the stored one only in case and hyphenation is kept as stored:
    it is a curator's repair of the PDF text. A dry run computes the same result and writes
    nothing.
    """
    result = ImportResult(changes=[], new_institutes=[])
    try:
        with transaction.atomic():
            for record in records:
                result.changes.append(_import_one(record, result))
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


def _import_one(record: ReportRecord, result: ImportResult) -> ReportChange:
    report = Report.objects.filter(number=record.number).first()
    values = {name: getattr(record, name) for name in METADATA_FIELDS}
    if report is not None and title_key(report.title) == title_key(record.title):
        values["title"] = report.title
    institutes = [_institute(name, result) for name in record.institutes]

    if report is None:
        report = Report(number=record.number, slug=_free_slug(record.title), **values)
        report.full_clean(exclude=["sequence"])
        _shift_sequence_out_of_the_way(report)
        report.save()
        report.institutes.set(institutes)
        return ReportChange(record.number, "create", [*METADATA_FIELDS, "institutes"])

    changed = [name for name, value in values.items() if getattr(report, name) != value]
    if {i.pk for i in report.institutes.all()} != {i.pk for i in institutes}:
        changed.append("institutes")
    if not changed:
        return ReportChange(record.number, "unchanged")
    for name, value in values.items():
        setattr(report, name, value)
    report.full_clean(exclude=["sequence"])
    _shift_sequence_out_of_the_way(report)
    report.save()
    report.institutes.set(institutes)
    return ReportChange(record.number, "update", changed)


def _shift_sequence_out_of_the_way(report: Report) -> None:
    """Sequences are unique: a report that held this place moves to the end for now
    (the import gives every listed report its place in turn)."""
    clash = Report.objects.filter(sequence=report.sequence).exclude(pk=report.pk).first()
    if clash is not None:
        highest = Report.objects.order_by("-sequence").values_list("sequence", flat=True)[0]
        Report.objects.filter(pk=clash.pk).update(sequence=highest + 1)


def _institute(name: str, result: ImportResult) -> Institute:
    found = Institute.objects.filter(Q(name__iexact=name) | Q(short_name__iexact=name)).first()
    if found:
        return found
    result.new_institutes.append(name)
    return Institute.objects.create(
        name=name, short_name=name[:50], slug=_free_slug(name, Institute)
    )


def _free_slug(text: str, model=Report) -> str:
    base = slugify(text)[:70] or "item"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug

"""Writes to reports: importing a bundle's metadata. Follow-up data is never touched.

A bundle numbers its reports its own way, so a bundle report is matched with the catalogue on
what identifies it: its title (case, hyphens and punctuation aside), publication month and
institute, never on its number. A title, or a full reference, that agrees with a catalogue
report while the rest does not is refused: a person must say which is right.

A matched report keeps its number, place, title and line ranges (its recommendations quote
those lines); the bundle fills what it lacks and updates what the bundle's text changes. A
filled field is never blanked, a keyword or institute never dropped and a summary never
removed unless removals are allowed: without that they are listed as kept. A report the
catalogue lacks gets the next free catalogue number, its number in the bundle kept beside it.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils.text import slugify

from .bundle import ReportRecord, title_key
from .models import Institute, Report

TEXT_FIELDS = ["authors", "abstract", "reference"]
LIST_FIELDS = ["keywords", "institutes"]
LINE_FIELDS = ["source_ranges", "sections"]


class ImportRefused(ValueError):
    """The bundle cannot be imported as it stands; nothing was written."""


@dataclass
class FieldChange:
    name: str
    old: object
    new: object
    applied: bool = True  # False: a removal kept back


@dataclass
class ReportChange:
    record: ReportRecord
    number: str  # in the catalogue: the matched report's, or the new one's
    slug: str
    action: str  # "create", "update" or "unchanged"
    changes: list[FieldChange] = field(default_factory=list)
    report_id: int | None = None

    @property
    def kept(self) -> list[FieldChange]:
        return [change for change in self.changes if not change.applied]


@dataclass
class ImportResult:
    changes: list[ReportChange]
    new_institutes: list[str]

    def count(self, action: str) -> int:
        return sum(1 for change in self.changes if change.action == action)


class _DryRun(Exception):
    pass


def import_reports(
    *, records: list[ReportRecord], dry_run: bool = False, allow_removals: bool = False
) -> ImportResult:
    """Match, create or update one ``Report`` per record, in one transaction.

    A dry run computes the same result (numbers and slugs included) and writes nothing.
    Raises ``ImportRefused`` when a record cannot be matched unambiguously or its text is
    refused by the catalogue's rules.
    """
    result = ImportResult(changes=[], new_institutes=[])
    try:
        with transaction.atomic():
            _lock_reports()
            matches = _match_catalogue(records)
            numbers = _numbers_for_new_reports(records, matches)
            for record, report in zip(records, matches, strict=True):
                if report is None:
                    change = _create(record, numbers[record.number], result)
                else:
                    change = _update(record, report, result, allow_removals=allow_removals)
                result.changes.append(change)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


def _lock_reports() -> None:
    """A second import at the same time waits: both would give a new report a number."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Report._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")


# Matching


def _match_catalogue(records: list[ReportRecord]) -> list[Report | None]:
    catalogue = [
        (report, title_key(report.title))
        for report in Report.objects.prefetch_related("institutes").order_by("sequence")
    ]
    matches: list[Report | None] = []
    claimed: dict[int, ReportRecord] = {}
    seen: dict[tuple, ReportRecord] = {}
    for record in records:
        identity = (title_key(record.title), record.published, record.institutes[0].lower())
        if identity in seen:
            raise ImportRefused(
                f"bundle reports {seen[identity].number} and {record.number} are the same "
                f"report “{record.title}”"
            )
        seen[identity] = record
        report = _identify(record, catalogue)
        if report is not None and report.pk in claimed:
            raise ImportRefused(
                f"bundle reports {claimed[report.pk].number} and {record.number} are both "
                f"catalogue report {report.number}"
            )
        if report is not None:
            claimed[report.pk] = record
        matches.append(report)
    return matches


def _identify(record: ReportRecord, catalogue: list[tuple[Report, str]]) -> Report | None:
    """The catalogue report that is this record; None for a report the catalogue lacks."""
    listed_institute = _existing_institute(record.institutes[0])
    key = title_key(record.title)
    same = [
        report
        for report, report_key in catalogue
        if report_key == key
        and report.published == record.published
        and _institute_agrees(report, listed_institute)
    ]
    if len(same) > 1:
        numbers = " and ".join(report.number for report in same)
        raise ImportRefused(
            f"bundle report {record.number} “{record.title}” fits catalogue reports {numbers}"
        )
    if same:
        return same[0]
    lookalike = next(
        (
            report
            for report, report_key in catalogue
            if report_key == key or (record.reference and record.reference == report.reference)
        ),
        None,
    )
    if lookalike is not None:
        raise ImportRefused(
            f"bundle report {record.number} “{record.title}” resembles catalogue report "
            f"{lookalike.number} “{lookalike.title}” but differs in "
            f"{_differences(record, lookalike, listed_institute)}: correct the bundle or the "
            "catalogue, then import again"
        )
    return None


def _institute_agrees(report: Report, institute: Institute | None) -> bool:
    held = report.institutes.all()
    return not held or institute in held


def _differences(record: ReportRecord, report: Report, institute: Institute | None) -> str:
    found = []
    if title_key(record.title) != title_key(report.title):
        found.append("title")
    if record.published != report.published:
        found.append(
            f"publication month ({record.published:%Y-%m} in the bundle, "
            f"{report.publication_month} in the catalogue)"
        )
    if not _institute_agrees(report, institute):
        held = ", ".join(i.short_name for i in report.institutes.all())
        found.append(f"institute ({record.institutes[0]} in the bundle, {held} in the catalogue)")
    return " and ".join(found) or "reference"


# New reports


def _numbers_for_new_reports(
    records: list[ReportRecord], matches: list[Report | None]
) -> dict[str, str]:
    """Catalogue numbers for the records without a match: the next free whole numbers, in
    bundle order. Parts of one bundle report ("5.1", "5.2") stay parts of one number, the
    matched part's if one of them is in the catalogue already."""
    taken = set(Report.objects.values_list("number", flat=True))
    next_whole = max((_whole(number) for number in taken), default=0) + 1
    wholes: dict[str, int] = {}  # the bundle's whole number -> the catalogue's
    for record, report in zip(records, matches, strict=True):
        if report is not None and "." in record.number and "." in report.number:
            wholes.setdefault(record.number.partition(".")[0], _whole(report.number))
    numbers = {}
    for record, report in zip(records, matches, strict=True):
        if report is not None:
            continue
        whole, _, part = record.number.partition(".")
        if whole not in wholes:
            wholes[whole] = next_whole
            next_whole += 1
        number = f"{wholes[whole]}.{part}" if part else str(wholes[whole])
        if number in taken:
            parts = [int(n.partition(".")[2] or 0) for n in taken if _whole(n) == wholes[whole]]
            number = f"{wholes[whole]}.{max(parts) + 1}"
        taken.add(number)
        numbers[record.number] = number
    return numbers


def _whole(number: str) -> int:
    digits = number.partition(".")[0]
    return int(digits) if digits.isdigit() else 0


def _create(record: ReportRecord, number: str, result: ImportResult) -> ReportChange:
    sequence = (Report.objects.aggregate(highest=Max("sequence"))["highest"] or 0) + 1
    report = Report(
        number=number,
        bundle_number=record.number,
        sequence=sequence,
        slug=_free_slug(record.title),
        title=record.title,
        published=record.published,
        **{name: getattr(record, name) for name in [*TEXT_FIELDS, "keywords", *LINE_FIELDS]},
        has_summary=record.has_summary,
    )
    _clean(report, record)
    report.save()
    report.institutes.set([_institute(name, result) for name in record.institutes])
    return ReportChange(record, number, report.slug, "create", report_id=report.pk)


# Matched reports


def _update(
    record: ReportRecord, report: Report, result: ImportResult, *, allow_removals: bool
) -> ReportChange:
    change = ReportChange(record, report.number, report.slug, "unchanged", report_id=report.pk)
    for name in TEXT_FIELDS:
        old, new = getattr(report, name), getattr(record, name)
        if old != new:
            change.changes.append(FieldChange(name, old, new, applied=bool(new) or allow_removals))
    old_keywords = list(report.keywords)
    change.changes += _list_change("keywords", old_keywords, record.keywords, allow_removals)
    old_institutes = list(report.institutes.all())
    new_institutes = [_existing_institute(name) or name for name in record.institutes]
    change.changes += _list_change(
        "institutes", old_institutes, new_institutes, allow_removals, show=_institute_name
    )
    summary_removed = report.has_summary and not record.has_summary
    if report.has_summary != record.has_summary:
        change.changes.append(
            FieldChange(
                "has_summary",
                report.has_summary,
                record.has_summary,
                applied=not summary_removed or allow_removals,
            )
        )
    change.changes += _line_changes(report, record, clear=summary_removed and allow_removals)

    applied = [c for c in change.changes if c.applied]
    if not applied:
        return change
    for item in applied:
        if item.name == "institutes":
            report.institutes.set(
                [i if isinstance(i, Institute) else _institute(i, result) for i in item.new]
            )
        else:
            setattr(report, item.name, item.new)
    if fields := [c.name for c in applied if c.name != "institutes"]:
        _clean(report, record)
        report.save(update_fields=fields)
    change.action = "update"
    return change


def _list_change(name, old: list, new: list, allow_removals: bool, show=str) -> list:
    """A list gains what the bundle adds; what it lacks goes only with removals allowed."""
    old_shown, new_shown = [show(x) for x in old], [show(x) for x in new]
    if old_shown == new_shown:
        return []
    if allow_removals:
        return [FieldChange(name, old, new)]
    changes = []
    added = [x for x in new if show(x) not in old_shown]
    if added:
        changes.append(FieldChange(name, old, old + added))
    if any(x not in new_shown for x in old_shown):
        changes.append(FieldChange(name, old, new, applied=False))
    return changes


def _line_changes(report: Report, record: ReportRecord, *, clear: bool) -> list:
    """Line ranges are filled where the catalogue has none and go with a removed summary;
    otherwise they stay: the report's recommendations quote the document they point into."""
    changes = []
    for name in LINE_FIELDS:
        old = getattr(report, name)
        new = type(old)() if clear else getattr(record, name)
        if old != new and (clear or not old):
            changes.append(FieldChange(name, old, new))
    return changes


def _clean(report: Report, record: ReportRecord) -> None:
    try:
        report.full_clean(exclude=["sequence", "number", "slug"])
    except ValidationError as error:
        problems = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
        raise ImportRefused(f"bundle report {record.number}: {problems}") from error


# Institutes and slugs


def _existing_institute(name: str) -> Institute | None:
    return Institute.objects.filter(Q(name__iexact=name) | Q(short_name__iexact=name)).first()


def _institute_name(institute: Institute | str) -> str:
    return institute.short_name if isinstance(institute, Institute) else institute


def _institute(name: str, result: ImportResult) -> Institute:
    found = _existing_institute(name)
    if found:
        return found
    result.new_institutes.append(name)
    institute = Institute(name=name, short_name=name[:50], slug=_free_slug(name, Institute))
    try:
        institute.full_clean()
    except ValidationError as error:
        raise ImportRefused(f"institute “{name}”: {' '.join(error.messages)}") from error
    institute.save()
    return institute


def _free_slug(text: str, model=Report) -> str:
    base = slugify(text)[:70] or "item"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug

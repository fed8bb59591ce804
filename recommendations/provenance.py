"""Checking the catalogue against its source document: every quoted text at its lines."""

from dataclasses import dataclass, field

from reports.models import Report
from reports.sourcetext import is_artefact, occurs_in

from .models import Recommendation


@dataclass
class ReportCheck:
    number: str
    items: int = 0
    policy_lines: int = 0
    covered_lines: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def coverage(self) -> str:
        if not self.policy_lines:
            return "—"
        share = 100 * self.covered_lines / self.policy_lines
        return f"{self.covered_lines}/{self.policy_lines} ({share:.0f}%)"


def check_catalogue(lines: list[str]) -> list[ReportCheck]:
    """One check per report: abstracts, references, recommendation titles and texts."""
    items_by_report: dict[int, list[Recommendation]] = {}
    for item in Recommendation.objects.order_by("report__sequence", "source_start", "code"):
        items_by_report.setdefault(item.report_id, []).append(item)
    checks = []
    for report in Report.objects.order_by("sequence"):
        check = ReportCheck(report.number)
        items = items_by_report.get(report.pk, [])
        check.items = len(items)
        _check_report_texts(lines, report, check)
        for item in items:
            _check_item(lines, report, item, check)
        _measure_coverage(lines, report, items, check)
        checks.append(check)
    return checks


def _within(ranges, start, end) -> bool:
    return any(first <= start <= end <= last for first, last in ranges)


def _check_report_texts(lines, report: Report, check: ReportCheck) -> None:
    for name in ("abstract", "reference"):
        text = getattr(report, name)
        if text and not any(occurs_in(text, lines, a, b) for a, b in report.source_ranges):
            check.problems.append(f"{name} not found in lines {report.source_ranges}")


def _check_item(lines, report: Report, item: Recommendation, check: ReportCheck) -> None:
    start, end = item.source_start, item.source_end
    if not _within(report.source_ranges, start, end):
        check.problems.append(f"{item.code}: lines {start}-{end} outside the report")
    for name in ("title", "text"):
        if not occurs_in(getattr(item, name), lines, start, end):
            check.problems.append(f"{item.code}: {name} not found in lines {start}-{end}")


def _measure_coverage(lines, report: Report, items, check: ReportCheck) -> None:
    policy = [
        n
        for first, last in report.sections.get("policy", [])
        for n in range(first + 1, last + 1)  # the section heading itself is not content
        if n <= len(lines) and lines[n - 1].strip() and not is_artefact(lines[n - 1])
    ]
    covered = {n for item in items for n in range(item.source_start, item.source_end + 1)}
    check.policy_lines = len(policy)
    check.covered_lines = sum(1 for n in policy if n in covered)

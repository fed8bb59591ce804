"""Candidate recommendations read from a bundle's policy sections, for a person to curate.

The draft is a fixture in the format of ``fixtures/recommendations/*.json`` with what the text
shows (position, parent, title, text, lines, horizon of the group) and empty fields for what
needs judgement (domains, addressees, owner): it does not load until someone fills them in.

Items start at numbered pistes, headed paragraphs and bullets; bullets under a piste or a
heading are its sub-measures. Plain prose (framing, or a report without structure) gives none.
"""

import dataclasses
import re
from typing import NamedTuple

from django.db.models import Count

from reports.bundle import ReportRecord
from reports.models import code_prefix
from reports.services import ReportChange
from reports.sourcetext import BULLET_GLYPHS, is_artefact, passage

from .choices import Horizon
from .models import Recommendation

_NUMBERED = re.compile(r"^\s*(?P<n>\d+)\.\s+\S")
_FIRST_LEVEL = re.compile(rf"^\s*[{re.escape(BULLET_GLYPHS)}]\s+\S")
_SECOND_LEVEL = re.compile(r"^\s*o\s+\S")
_HORIZONS = [
    (re.compile(r"middellange termijn", re.IGNORECASE), Horizon.MEDIUM),
    (re.compile(r"korte termijn", re.IGNORECASE), Horizon.SHORT),
    (re.compile(r"lange termijn", re.IGNORECASE), Horizon.LONG),
    (
        re.compile(r"uitgeklaard|uit te klaren", re.IGNORECASE),
        Horizon.TO_BE_EXPLORED,
    ),
]
# A heading ends without punctuation and holds no sentence end ("m.b.t. de" is none).
_NOT_HEADING = re.compile(r"\w\w[.?!]\s|[.:;,]$")
_ENDS_SENTENCE = re.compile(r"[.?!]$")
_FULL_LINE = 70  # characters: a line of prose, unlike a table's cells


class _Start(NamedTuple):
    line: int
    kind: str  # "group", "heading", "piste", "bullet" or "sub-bullet"
    number: int = 0  # of a piste
    heading_end: int = 0  # last line of a heading


def _horizon_group(line: str) -> Horizon | None:
    """A line that announces a group of measures by time horizon ("Op korte termijn ...:")."""
    if not line.rstrip().endswith(":"):
        return None
    return next((horizon for pattern, horizon in _HORIZONS if pattern.search(line)), None)


def _is_break(line: str) -> bool:
    return not line.strip() or is_artefact(line)


def _is_list_item(line: str) -> bool:
    return any(p.match(line) for p in (_SECOND_LEVEL, _FIRST_LEVEL, _NUMBERED))


def _heading_end(lines: list[str], n: int, section_start: int) -> int | None:
    """The last line of a heading that starts at line ``n``, or None if none does.

    A heading is one or two lines that start after a paragraph, end without punctuation and
    stand above a blank line and then a list or a paragraph. The PDF sometimes drops the blank
    line before a heading, so a finished sentence ends a paragraph too. In double-spaced text
    a lone line looks like a heading: the next line then goes on with a lower-case word or a
    name in capitals ("... en het" / "RIZIV. We ..."), not with a sentence.
    """
    before = lines[n - 2].strip()
    if n - 1 != section_start and not (_is_break(before) or _ENDS_SENTENCE.search(before)):
        return None
    opening = lines[n - 1].strip()
    if not (opening[:1].isupper() or opening.startswith("…")):
        return None
    for end in (n, n + 1):
        block = [line.strip() for line in lines[n - 1 : end]]
        if end >= len(lines) or any(
            _is_break(line) or _is_list_item(line) or _NOT_HEADING.search(line) for line in block
        ):
            return None
        if _is_break(lines[end]):
            following = next((line.strip() for line in lines[end:] if not _is_break(line)), "")
            word = following.split(" ", 1)[0]
            sentence = word[:1].isupper() and not word.isupper() and len(following) >= _FULL_LINE
            return end if sentence or _is_list_item(following) else None
    return None


@dataclasses.dataclass
class Drafts:
    items: list[dict]
    reports: list[str]  # the catalogue numbers of the reports with candidates
    spared: dict[str, int]  # catalogue number: recommendations it holds already


def drafts_for_import(lines: list[str], changes: list[ReportChange]) -> Drafts:
    """Candidates for the imported reports that have a summary and no recommendations yet
    (a draft of a curated report would overwrite its items when loaded), coded with their
    catalogue numbers: the bundle's numbers would collide with the catalogue's codes."""
    held = dict(
        Recommendation.objects.filter(report_id__in=[c.report_id for c in changes])
        .values_list("report_id")
        .annotate(n=Count("id"))
    )
    drafts = Drafts(items=[], reports=[], spared={})
    for change in changes:
        if not change.record.has_summary:
            continue
        if held.get(change.report_id):
            drafts.spared[change.number] = held[change.report_id]
            continue
        record = dataclasses.replace(change.record, number=change.number)
        if candidates := draft_recommendations(lines, record, change.slug):
            drafts.items += candidates
            drafts.reports.append(change.number)
    return drafts


def draft_recommendations(lines: list[str], record: ReportRecord, report_slug: str) -> list[dict]:
    """Candidate items of one report, in document order, as fixture objects."""
    starts: list[_Start] = []
    horizons = {}
    horizon = Horizon.UNSPECIFIED
    for first, last in record.sections.get("policy", []):
        for n in range(first + 1, last + 1):
            line = lines[n - 1]
            if _is_break(line):
                continue
            if group := _horizon_group(line):
                horizon = group
                starts.append(_Start(n, "group"))
            elif _SECOND_LEVEL.match(line):
                starts.append(_Start(n, "sub-bullet"))
            elif _FIRST_LEVEL.match(line):
                starts.append(_Start(n, "bullet"))
            elif numbered := _NUMBERED.match(line):
                starts.append(_Start(n, "piste", number=int(numbered["n"])))
            elif heading_end := _heading_end(lines, n, first):
                starts.append(_Start(n, "heading", heading_end=heading_end))
            else:
                continue
            horizons[n] = horizon
    return _build(lines, record, report_slug, starts, horizons)


def _build(lines, record, report_slug, starts: list[_Start], horizons) -> list[dict]:
    ranges = record.sections.get("policy", [])
    ends = [s.line for s in starts[1:]] + [None] if starts else []
    items, top, head, bullet = [], 0, None, None  # head: the piste or heading bullets go under
    prefix = code_prefix(record.number)
    # An item exists, unchanged, since its report's publication.
    published = f"{record.published.isoformat()}T00:00:00Z"
    for (start, kind, number, heading_end), following in zip(starts, ends, strict=True):
        if kind == "group":
            head = bullet = None
            continue
        section_end = next(last for first, last in ranges if first <= start <= last)
        end = min(following - 1, section_end) if following else section_end
        while end > start and _is_break(lines[end - 1]):
            end -= 1
        if kind in ("piste", "heading"):
            top = max(top + 1, number)
            position, parent, bullet = str(top), None, None
            head = [position, 0]
        elif kind == "bullet" and head:
            head[1] += 1
            position, parent = f"{head[0]}.{head[1]}", head[0]
            bullet = [position, 0]
        elif kind == "sub-bullet" and bullet:
            bullet[1] += 1
            position, parent = f"{bullet[0]}.{bullet[1]}", bullet[0]
        else:
            top += 1
            position, parent = str(top), None
            bullet = [position, 0] if kind == "bullet" else None
        if kind == "heading":
            title = passage(lines, start, heading_end)
            # A heading straight above a list has no passage of its own.
            text = passage(lines, heading_end + 1, end) if end > heading_end else title
        else:
            text = passage(lines, start, end, bullet=kind != "piste")
            if kind == "piste":
                text = re.sub(r"^\d+\.\s+", "", text)
            title = _lead_phrase(text)
        items.append(
            {
                "model": "recommendations.recommendation",
                "fields": {
                    "report": [report_slug],
                    "parent": [f"{prefix}-{parent}"] if parent else None,
                    "position": position,
                    "code": f"{prefix}-{position}",
                    "title": title,
                    "text": text,
                    "source_start": start,
                    "source_end": end,
                    "horizon": horizons[start],
                    "addressees": [],
                    "owner": None,
                    "follow_up_officer": None,
                    "primary_domain": None,
                    "related_domains": [],
                    "priority": "unset",
                    "priority_rationale": "",
                    "due_date": None,
                    "status": "open",
                    "created_at": published,
                    "updated_at": published,
                    "version": 1,
                },
            }
        )
    return items


def _lead_phrase(text: str, limit: int = 120) -> str:
    """The first sentence or clause, verbatim, at most ``limit`` characters."""
    sentence = re.split(r"(?<=[.;:?!])\s", text, maxsplit=1)[0].rstrip(".;:")
    if len(sentence) <= limit:
        return sentence
    clause = sentence[:limit].rsplit(",", 1)[0]
    return clause if len(clause) > 20 else sentence[:limit].rsplit(" ", 1)[0]

"""Candidate recommendations read from a bundle's policy sections, for a person to curate.

The draft is a fixture in the format of ``fixtures/recommendations/*.json`` with what the text
shows (position, parent, title, text, lines, horizon of the group) and empty fields for what
needs judgement (domains, addressees, owner): it does not load until someone fills them in.
"""

import re

from reports.bundle import ReportRecord
from reports.models import code_prefix
from reports.sourcetext import BULLET_GLYPHS, is_artefact, passage

from .choices import Horizon

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
# When the tracker took the items in; they exist since their report's publication.
TIMESTAMP = "2026-11-28T00:00:00Z"


def _horizon_group(line: str) -> Horizon | None:
    """A line that announces a group of measures by time horizon ("Op korte termijn ...:")."""
    if not line.rstrip().endswith(":"):
        return None
    return next((horizon for pattern, horizon in _HORIZONS if pattern.search(line)), None)


def draft_recommendations(lines: list[str], record: ReportRecord, report_slug: str) -> list[dict]:
    """Candidate items of one report, in document order, as fixture objects."""
    starts = []  # (line, level, number)
    horizons = {}
    horizon = Horizon.UNSPECIFIED
    for first, last in record.sections.get("policy", []):
        for n in range(first + 1, last + 1):
            line = lines[n - 1]
            if not line.strip() or is_artefact(line):
                continue
            if group := _horizon_group(line):
                horizon = group
                starts.append((n, "group", None))
            elif _SECOND_LEVEL.match(line):
                starts.append((n, "sub-bullet", None))
            elif _FIRST_LEVEL.match(line):
                starts.append((n, "bullet", None))
            elif numbered := _NUMBERED.match(line):
                starts.append((n, "piste", numbered["n"]))
            else:
                continue
            horizons[n] = horizon
    return _build(lines, record, report_slug, starts, horizons)


def _build(lines, record, report_slug, starts, horizons) -> list[dict]:
    ranges = record.sections.get("policy", [])
    ends = [s[0] for s in starts[1:]] + [None] if starts else []
    items, top, piste, bullet = [], 0, None, None
    prefix = code_prefix(record.number)
    for (start, kind, number), following in zip(starts, ends, strict=True):
        if kind == "group":
            piste = bullet = None
            continue
        section_end = next(last for first, last in ranges if first <= start <= last)
        end = min(following - 1, section_end) if following else section_end
        while end > start and (not lines[end - 1].strip() or is_artefact(lines[end - 1])):
            end -= 1
        if kind == "piste":
            top = max(top + 1, int(number))
            position, parent, piste, bullet = str(top), None, None, None
            piste = [position, 0]
        elif kind == "bullet" and piste:
            piste[1] += 1
            position, parent = f"{piste[0]}.{piste[1]}", piste[0]
            bullet = [position, 0]
        elif kind == "sub-bullet" and bullet:
            bullet[1] += 1
            position, parent = f"{bullet[0]}.{bullet[1]}", bullet[0]
        else:
            top += 1
            position, parent = str(top), None
            bullet = [position, 0] if kind == "bullet" else None
        text = passage(lines, start, end, bullet=kind != "piste")
        if kind == "piste":
            text = re.sub(r"^\d+\.\s+", "", text)
        items.append(
            {
                "model": "recommendations.recommendation",
                "fields": {
                    "report": [report_slug],
                    "parent": [f"{prefix}-{parent}"] if parent else None,
                    "position": position,
                    "code": f"{prefix}-{position}",
                    "title": _lead_phrase(text),
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
                    "created_at": f"{record.published.isoformat()}T00:00:00Z",
                    "updated_at": TIMESTAMP,
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

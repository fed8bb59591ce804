"""Parsing a bundle of VIONA research summaries in the standard format.

A bundle is the text of a PDF: an introduction listing the reports, then one summary per
report: TITEL, Auteur(s), 1. abstract + key words, 2. goals, 3. methods, 4. findings,
5. conclusions and policy implications, full reference. The parser copes with the known
irregularities (see ``../shared/source/README.md``): summaries without a ``TITEL:`` line,
a section 5 displaced behind another report's reference block, a report whose conclusions
close section 4, page-break headings "(vervolg)", reports listed but not summarised.

Everything here but ``read_bundle`` is pure: lines in, dataclasses out. ``reports.services``
writes to the database.
"""

import bisect
import codecs
import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .sourcetext import is_artefact, normalize, passage

SECTION_KEYS = {1: "abstract", 2: "goals", 3: "methods", 4: "findings", 5: "policy"}
_SECTION_HEADING = re.compile(
    r"^\s*(?P<n>[1-5])\.\s*(?P<name>Korte samenvatting|Doelen van het onderzoek|Methoden en data"
    r"|Bevindingen|Conclusies en beleidsimplicaties|Beleidsimplicaties)\b(?P<rest>.*)$"
)
_TITLE_LINE = re.compile(r"^\s*TITEL:\s*(?P<text>.*)$")
_AUTHORS_LINE = re.compile(r"^\s*Auteur\(s\):\s*(?P<text>.*)$")
_KEYWORDS_LINE = re.compile(r"^\s*Key ?words:?\s*(?P<text>.*)$", re.IGNORECASE)
_REFERENCE_LINE = re.compile(r"^\s*Volledige referentie van onderzoeksrapport")
_REFERENCE_AUTHORS = re.compile(r"^(?P<authors>.+?)\s*\(\d{4}\)")
_LISTED = re.compile(
    r"(?:(?P<num>\d+)\.\s*)?(?:Deelrapport\s+(?P<part>\d+)\s*-\s*)?"
    r"“(?P<title>[^”]+)”\s*\((?P<institute>[^)]+)\),\s*(?P<month>[a-z]+)\s+(?P<year>\d+)",
    re.IGNORECASE,
)
_AFFILIATION = re.compile(r"\(([^()]+)\)")
MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ],
        start=1,
    )
}

# The real bundle of 13 summaries is 0.4 MB: a file 25 times that size is no bundle.
MAX_BUNDLE_BYTES = 10 * 2**20
# Publication years: from the first a date in the tracker may hold to next year.
FIRST_PUBLICATION_YEAR = 1900

Range = tuple[int, int]


class BundleError(ValueError):
    """The file is not a bundle in the standard format; says on which line, where there is one."""

    def __init__(self, line: int | None, message: str):
        super().__init__(message if line is None else f"line {line}: {message}")
        self.line = line


@dataclass
class ListedReport:
    number: str
    title: str
    institute: str
    published: dt.date
    line: int


@dataclass
class Summary:
    start: int
    end: int
    title_line: int | None = None
    heading_title: str = ""
    authors: str = ""
    affiliations: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    abstract: str = ""
    reference: str = ""
    sections: dict[str, list[Range]] = field(default_factory=dict)
    ranges: list[Range] = field(default_factory=list)


@dataclass
class ReportRecord:
    """One report of the bundle as it goes into the database."""

    number: str
    sequence: int
    title: str
    institutes: list[str]
    authors: str
    published: dt.date
    keywords: list[str]
    abstract: str
    reference: str
    has_summary: bool
    source_ranges: list[list[int]]
    sections: dict[str, list[list[int]]]


def read_bundle(path: Path) -> list[str]:
    """The lines of the bundle at ``path``, read no further than a bundle can be long.

    Raises ``BundleError`` for what is not a bundle's text, ``OSError`` when it cannot be read.
    """
    if path.exists() and not path.is_file():
        raise BundleError(None, "not a regular file")
    size = path.stat().st_size
    if size > MAX_BUNDLE_BYTES:
        raise _too_large(size)
    with open(path, "rb") as file:
        data = file.read(MAX_BUNDLE_BYTES + 1)  # no further, should it have grown meanwhile
    if len(data) > MAX_BUNDLE_BYTES:
        raise _too_large(len(data))
    return decode(data).splitlines()


def _too_large(size: int) -> BundleError:
    return BundleError(
        None,
        f"{size / 2**20:.1f} MB, more than a bundle of summaries can be "
        f"({MAX_BUNDLE_BYTES / 2**20:.0f} MB)",
    )


def decode(data: bytes) -> str:
    """The bundle's text; a clear error for an empty file, binary data or another encoding."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise BundleError(1, "UTF-16 text, not UTF-8 (save it as UTF-8)")
    data = data.removeprefix(codecs.BOM_UTF8)
    if not data.strip():
        raise BundleError(1, "the file is empty")
    if b"\0" in data:
        line = data.count(b"\n", 0, data.index(b"\0")) + 1
        raise BundleError(line, "a NUL byte: binary data or UTF-16, not UTF-8 text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise BundleError(line, "not UTF-8 text (wrong encoding?)") from error


def parse_bundle(lines: list[str]) -> list[ReportRecord]:
    """Every report the bundle lists, with the metadata of its summary where it has one."""
    if not any(line.strip() for line in lines):
        raise BundleError(1, "the file is empty")
    starts = _summary_starts(lines)
    if not starts:
        raise BundleError(
            len(lines), "no summary found (expected a 'TITEL:' or '1. Korte samenvatting' line)"
        )
    listed = _listed_reports(lines[: starts[0] - 1])
    summaries = [
        _read_summary(lines, start, end)
        for start, end in zip(starts, [*(s - 1 for s in starts[1:]), len(lines)], strict=True)
    ]
    _reattach_displaced_sections(lines, summaries)
    for summary in summaries:
        _find_conclusions_in_findings(lines, summary)
    matched = _match(listed, summaries)
    return [
        _record(sequence, entry, matched.get(id(entry)))
        for sequence, entry in enumerate(listed, start=1)
    ]


def _summary_starts(lines: list[str]) -> list[int]:
    """A summary starts at its TITEL line, or at its abstract heading when it has none."""
    starts, last_title = [], None
    for number, line in enumerate(lines, start=1):
        if _TITLE_LINE.match(line):
            last_title = number
            continue
        heading = _SECTION_HEADING.match(line)
        if heading and heading["n"] == "1" and "(vervolg)" not in heading["rest"]:
            starts.append(last_title if last_title and last_title > (starts or [0])[-1] else number)
    return starts


def _listed_reports(intro: list[str]) -> list[ListedReport]:
    # Join the introduction into one string and remember where each line begins.
    text, offsets = "", []
    for line in intro:
        offsets.append(len(text))
        text += line.strip() + " "
    entries, current_number = [], None
    last_year = dt.date.today().year + 1
    for match in _LISTED.finditer(text):
        line = bisect.bisect_right(offsets, match.start())
        if match["num"]:
            current_number = match["num"]
        if current_number is None:
            raise BundleError(line, "a listed report without a number")
        number = f"{current_number}.{match['part']}" if match["part"] else current_number
        month = MONTHS.get(match["month"].lower())
        if month is None:
            raise BundleError(line, f"unknown month “{match['month']}”")
        year = int(match["year"])
        if not FIRST_PUBLICATION_YEAR <= year <= last_year:
            raise BundleError(
                line,
                f"publication year {year} is outside {FIRST_PUBLICATION_YEAR}-{last_year}",
            )
        entries.append(
            ListedReport(
                number=number,
                title=normalize(match["title"]),
                institute=normalize(match["institute"]),
                published=dt.date(year, month, 1),
                line=line,
            )
        )
    if not entries:
        raise BundleError(1, "the introduction lists no reports (“Title” (Institute), month year)")
    return entries


def _read_summary(lines: list[str], start: int, end: int) -> Summary:
    summary = Summary(start=start, end=end)
    headings: list[tuple[int, str]] = []
    for number in range(start, end + 1):
        line = lines[number - 1]
        heading = _SECTION_HEADING.match(line)
        if heading and "(vervolg)" not in heading["rest"]:
            headings.append((number, SECTION_KEYS[int(heading["n"])]))
        elif _REFERENCE_LINE.match(line):
            headings.append((number, "reference"))
        elif _TITLE_LINE.match(line) and summary.title_line is None and not headings:
            # (a TITEL line further down opens a summary that the file then lacks)
            summary.title_line = number
        elif _AUTHORS_LINE.match(line) and not summary.authors:
            summary.authors = _authors_block(lines, number, end)
    keys = [key for _, key in headings]
    if "abstract" not in keys:
        raise BundleError(start, "summary without section 1 (abstract)")
    if "findings" not in keys:
        raise BundleError(end, "summary ends before section 4 (findings): truncated?")
    bounds = [*(n for n, _ in headings[1:]), end + 1]
    for (first, key), following in zip(headings, bounds, strict=True):
        summary.sections.setdefault(key, []).append((first, following - 1))
    summary.ranges = [(start, end)]
    if summary.title_line:
        title_end = next(
            (
                n
                for n in range(summary.title_line + 1, end + 1)
                if _AUTHORS_LINE.match(lines[n - 1]) or _SECTION_HEADING.match(lines[n - 1])
            ),
            end + 1,
        )
        raw = [_TITLE_LINE.sub(r"\g<text>", lines[summary.title_line - 1])]
        raw += lines[summary.title_line : title_end - 1]
        summary.heading_title = normalize("\n".join(raw))
    summary.affiliations = _AFFILIATION.findall(summary.authors)
    _read_abstract_and_keywords(lines, summary)
    _read_reference(lines, summary)
    return summary


def _authors_block(lines: list[str], first: int, end: int) -> str:
    block = [_AUTHORS_LINE.sub(r"\g<text>", lines[first - 1])]
    for number in range(first + 1, end + 1):
        line = lines[number - 1]
        if _SECTION_HEADING.match(line):
            break
        if not is_artefact(line):
            block.append(line)
    return re.sub(r"\s+,", ",", normalize("\n".join(block)))


def _read_abstract_and_keywords(lines: list[str], summary: Summary) -> None:
    first, last = summary.sections["abstract"][0]
    keywords_line = next(
        (n for n in range(first + 1, last + 1) if _KEYWORDS_LINE.match(lines[n - 1])), None
    )
    summary.abstract = passage(lines, first + 1, (keywords_line or last + 1) - 1)
    if keywords_line is None:
        return
    paragraphs, current = [], [_KEYWORDS_LINE.sub(r"\g<text>", lines[keywords_line - 1])]
    for number in range(keywords_line + 1, last + 1):
        line = lines[number - 1]
        if not line.strip():
            paragraphs.append(current)
            current = []
        elif not is_artefact(line):
            current.append(line)
    paragraphs.append(current)
    for paragraph in paragraphs:
        text = normalize("\n".join(paragraph))
        summary.keywords += [word.strip() for word in re.split(r"[,;]", text) if word.strip()]


def _read_reference(lines: list[str], summary: Summary) -> None:
    block = summary.sections.get("reference")
    if not block:
        return
    first, last = block[0]
    body_start = first + 1
    while body_start <= last and (
        not lines[body_start - 1].strip() or "samengevatte onderzoek" in lines[body_start - 1]
    ):
        body_start += 1
    summary.reference = passage(lines, body_start, last) if body_start <= last else ""
    if not summary.authors and summary.reference:
        found = _REFERENCE_AUTHORS.match(summary.reference)
        summary.authors = found["authors"] if found else ""


def _reattach_displaced_sections(lines: list[str], summaries: list[Summary]) -> None:
    """A section 5 behind a report's reference block belongs to an earlier report without one.

    The displaced block runs from its heading to the end of the host summary and may carry a
    reference heading of its own, which then belongs to the owner too.
    """
    for index, host in enumerate(summaries):
        references = host.sections.get("reference", [])
        if not references:
            continue
        block_start = next(
            (first for first, _ in host.sections.get("policy", []) if first > references[0][0]),
            None,
        )
        if block_start is None:
            continue
        owner = next((s for s in reversed(summaries[:index]) if "policy" not in s.sections), None)
        if owner is None:
            raise BundleError(
                block_start, "a section 5 after the reference block, and no report lacks one"
            )
        for key in ("policy", "reference"):
            moved = [r for r in host.sections.get(key, []) if r[0] >= block_start]
            kept = [r for r in host.sections.get(key, []) if r[0] < block_start]
            if moved:
                owner.sections[key] = moved
            host.sections[key] = kept
        host.sections = {key: ranges for key, ranges in host.sections.items() if ranges}
        first, last = host.sections["reference"][0]
        host.sections["reference"][0] = (first, min(last, block_start - 1))
        owner.ranges.append((block_start, host.end))
        host.end = block_start - 1
        host.ranges = [(host.start, host.end)]
        _read_reference(lines, host)
        _read_reference(lines, owner)


def _find_conclusions_in_findings(lines: list[str], summary: Summary) -> None:
    """Without a section 5, the conclusions close section 4: from the paragraph that draws them."""
    if "policy" in summary.sections:
        return
    first, last = summary.sections["findings"][-1]
    last_page = max([first, *(n for n in range(first, last + 1) if "(vervolg)" in lines[n - 1])])
    found = next(
        (n for n in range(last_page + 1, last + 1) if "conclu" in lines[n - 1].lower()), None
    )
    if found is None:
        return
    while found > last_page + 1 and lines[found - 2].strip():
        found -= 1
    summary.sections["policy"] = [(found, last)]


def title_key(title: str) -> str:
    """A title with case, hyphens and punctuation left out: what a curator's repair keeps."""
    return re.sub(r"[^\w ]", "", title.lower().replace("-", ""))


def _title_words(text: str) -> set[str]:
    return {word for word in title_key(text).split() if len(word) > 3}


def _likeness(summary: Summary, entry: ListedReport) -> float:
    """How well a summary fits a listed report: by its TITEL line, or (without one) by how
    many of the listed title's words its abstract uses."""
    if summary.heading_title:
        return difflib.SequenceMatcher(
            None, title_key(summary.heading_title), title_key(entry.title)
        ).ratio()
    words = _title_words(entry.title)
    return len(words & _title_words(summary.abstract)) / len(words) if words else 0.0


def _match(listed: list[ListedReport], summaries: list[Summary]) -> dict[int, Summary]:
    """Pair summaries with listed reports in order. A summary takes the better fitting of the
    next two listed reports, since one of them may have no summary."""
    matched, position = {}, 0
    for summary in summaries:
        candidates = listed[position : position + 2]
        if not candidates:
            raise BundleError(summary.start, "more summaries than reports in the introduction")
        best = candidates[0]
        if len(candidates) == 2:
            first, second = (_likeness(summary, c) for c in candidates)
            best = candidates[1] if second > first + 0.05 else candidates[0]
        matched[id(best)] = summary
        position = listed.index(best) + 1
    return matched


def _record(sequence: int, entry: ListedReport, summary: Summary | None) -> ReportRecord:
    institutes = [entry.institute]
    if summary:
        institutes += [a for a in summary.affiliations if a not in institutes]
    return ReportRecord(
        number=entry.number,
        sequence=sequence,
        title=entry.title,
        institutes=institutes,
        authors=summary.authors if summary else "",
        published=entry.published,
        keywords=summary.keywords if summary else [],
        abstract=summary.abstract if summary else "",
        reference=summary.reference if summary else "",
        has_summary=summary is not None,
        source_ranges=[list(r) for r in summary.ranges] if summary else [],
        sections={k: [list(r) for r in v] for k, v in summary.sections.items()} if summary else {},
    )

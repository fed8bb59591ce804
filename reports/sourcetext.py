"""Reading passages out of the source document (a PDF's text) and normalising them.

The fixtures quote the source verbatim after the repairs done here, and the source checks
compare with the same function, so there is exactly one definition of "the same text".
"""

import functools
import hashlib
import re
from pathlib import Path

# The source document the fixtures were made from (see ../shared/source/README.md).
FIXTURE_SOURCE_SHA256 = "7af0811d5190a857703220d4046675d9bb7aebbccc0058e0b462dc33958110d7"

BULLET_GLYPHS = "•\u2212\uf084-"
# A second-level bullet is often a letter "o" followed by a space.
_BULLET_PREFIX = re.compile(rf"^\s*(?:[{re.escape(BULLET_GLYPHS)}]|o)\s+")
_HYPHEN_AT_END = re.compile(r"(\w)-$")
_NO_JOIN_WORDS = {"en", "of", "tot", "and", "or"}
_WHITESPACE = re.compile(r"\s+")
# PDF artefacts that interrupt a passage: a section heading repeated after a page break
# ("5. Beleidsimplicaties (vervolg)") and a stray page number on its own line.
_ARTEFACT_LINE = re.compile(r"^\s*(\d+\.\s.*\(vervolg\)|\d{1,3})\s*$")


def read_lines(path: Path | str) -> list[str]:
    """The file's lines without line endings; line n of the file is ``lines[n - 1]``."""
    return Path(path).read_text(encoding="utf-8").splitlines()


@functools.lru_cache(maxsize=4)
def _cached_lines(path: str, modified: float) -> tuple[str, ...]:
    return tuple(read_lines(path))


def source_lines_or_none(path: Path) -> tuple[str, ...] | None:
    """The lines of the source document, read once per version of the file; None if absent."""
    try:
        return _cached_lines(str(path), path.stat().st_mtime)
    except (OSError, UnicodeDecodeError):
        return None


def sha256_of(path: Path | str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def occurs_in(fragment: str, lines: list[str], start: int, end: int) -> bool:
    """Whether ``fragment`` is (after normalisation) part of the passage at these lines."""
    if not 1 <= start <= end <= len(lines):
        return False
    wanted = normalize(fragment)
    return any(wanted in passage(lines, start, end, bullet=bullet) for bullet in (False, True))


def strip_bullet(line: str) -> str:
    return _BULLET_PREFIX.sub("", line, count=1)


def normalize(text: str) -> str:
    """Repair line-break hyphenation and PDF spacing; change nothing else.

    A hyphen at the end of a line, before a word that goes on in lower case:
    - after a lower-case letter it is a word break and goes ("onderzoeksrappor-" + "ten");
    - after a capital or a digit it is part of the word and stays ("PWA-beambten");
    - before a conjunction it is an elided compound and keeps its space ("studie- en beroeps").
    A hyphen between digits stays, without a space ("2014-2019").
    Then every run of white space becomes one space.
    """
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    joined: list[str] = []
    for line in lines:
        previous = joined[-1] if joined else ""
        if _HYPHEN_AT_END.search(previous):
            before = previous[-2]
            next_word = line.split(" ", 1)[0]
            first = next_word[:1]
            if first.isdigit() and before.isdigit():
                joined[-1] = previous + line
                continue
            if first.islower() and next_word.rstrip(",.;:") not in _NO_JOIN_WORDS:
                joined[-1] = (previous[:-1] if before.islower() else previous) + line
                continue
        joined.append(line)
    return _WHITESPACE.sub(" ", " ".join(joined)).strip()


def is_artefact(line: str) -> bool:
    return bool(_ARTEFACT_LINE.match(line))


def passage(lines: list[str], start: int, end: int, *, bullet: bool = False) -> str:
    """The normalised text of lines ``start`` to ``end`` (1-based, inclusive).

    Page-break artefacts inside the range are left out.
    """
    chunk = [line for line in lines[start - 1 : end] if not is_artefact(line)]
    if bullet and chunk:
        chunk = [strip_bullet(chunk[0]), *chunk[1:]]
    return normalize("\n".join(chunk))

"""The importer never damages the catalogue: reports are matched on what identifies them, a
bundle that lacks text never blanks what the catalogue holds, and bad input is one clear line.

The bundles are built from the real source document: sliced, renumbered or truncated.
"""

import io
import json
import re

import pytest
from auditlog.context import disable_auditlog
from django.core.management import CommandError, call_command

from recommendations.models import Recommendation
from reports import bundle
from reports.bundle import parse_bundle
from reports.models import Report
from viona.management.commands.load_initial_data import fixture_paths

INTRO_END = 75  # the real introduction ends here; the first summary follows


@pytest.fixture
def source_lines(source_path):
    return source_path.read_text(encoding="utf-8").splitlines()


@pytest.fixture
def ranges(source_lines):
    """Where each report's summary sits in the real document, by the parser."""
    return {r.number: r.source_ranges for r in parse_bundle(source_lines)}


def intro_entry(lines: list[str], number: str, new_number: str) -> list[str]:
    """Report ``number``'s entry in the real introduction, renumbered ``new_number``."""
    heads = [
        n for n, line in enumerate(lines[:INTRO_END]) if re.match(r"^\d+\.\s*(“|Deelrapport)", line)
    ]
    start = next(n for n in heads if lines[n].startswith(f"{number}."))
    end = next((n for n in heads if n > start), INTRO_END)
    entry = lines[start:end]
    return [entry[0].replace(f"{number}.", f"{new_number}.", 1), *entry[1:]]


def slice_bundle(lines, ranges, numbers: list[str]) -> str:
    """A bundle of the real summaries of ``numbers``, numbered 1, 2, ... in that order."""
    intro = [" Inleiding", "Een nieuwe reeks samenvattingen.", ""]
    body = []
    for new_number, number in enumerate(numbers, start=1):
        intro += intro_entry(lines, number, str(new_number))
        first, last = (ranges.get(number) or ranges[f"{number}.1"])[0]  # 5: its first part
        body += lines[first - 1 : last]
    return "\n".join(intro + body) + "\n"


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_summaries", *map(str, args), stdout=out, stderr=out)
    return out.getvalue()


def catalogue():
    """Everything the import must leave alone, as plain values."""
    return (
        list(Report.objects.order_by("pk").values()),
        list(Report.institutes.through.objects.order_by("pk").values()),
        list(Recommendation.objects.order_by("pk").values()),
    )


@pytest.fixture
def without_report_12(db):
    """The curated catalogue as if report 12 had not been curated yet."""
    paths = [p for p in fixture_paths() if p.name != "r12.json"]
    with disable_auditlog():
        call_command("loaddata", *paths, verbosity=0)
    Report.objects.filter(number="12").delete()


@pytest.fixture
def renumbered(tmp_path, source_lines, ranges):
    """Three summaries the catalogue holds (4, 7, 11) and one it lacks (12), numbered 1-4."""
    path = tmp_path / "renumbered.txt"
    path.write_text(slice_bundle(source_lines, ranges, ["4", "7", "11", "12"]), "utf-8")
    return path


def test_reports_are_matched_on_identity_not_on_their_number_in_the_bundle(
    without_report_12, renumbered
):
    before = catalogue()

    output = run(renumbered)

    reports, links, items = catalogue()
    new = Report.objects.exclude(pk__in=[r["id"] for r in before[0]]).get()
    assert new.title == "Activering van leefloongerechtigden via tijdelijke werkervaring"
    assert (new.number, new.bundle_number) == ("14", "4")
    assert new.sequence == max(r["sequence"] for r in before[0]) + 1
    assert new.has_summary and new.abstract.startswith("De OCMW’s beschikken")
    assert [i.slug for i in new.institutes.all()] == ["idea-consult"]
    # Every report the catalogue held, its institutes and its recommendations: untouched.
    assert [r for r in reports if r["id"] != new.pk] == before[0]
    assert [link for link in links if link["report_id"] != new.pk] == before[1]
    assert items == before[2]
    # The output says which matched which.
    for bundle_number, number in [("1", "4"), ("2", "7"), ("3", "11")]:
        assert re.search(rf"bundle {bundle_number} +→ catalogue {number} +unchanged", output)
    assert re.search(r"bundle 4 +→ new report 14 +created", output)
    assert "4 reports listed, 4 summarised: 1 were created, 0 updated, 3 unchanged." in output


def test_a_second_import_of_the_renumbered_bundle_creates_nothing(without_report_12, renumbered):
    run(renumbered)
    before = catalogue()

    output = run(renumbered)

    assert catalogue() == before
    assert re.search(r"bundle 4 +→ catalogue 14 +unchanged", output)
    assert "0 were created, 0 updated, 4 unchanged." in output


def test_draft_of_a_renumbered_bundle_uses_catalogue_codes_and_spares_curated_reports(
    without_report_12, renumbered, tmp_path
):
    draft = tmp_path / "draft.json"

    output = run(renumbered, "--draft-recommendations", draft)

    items = [item["fields"] for item in json.loads(draft.read_text("utf-8"))]
    new = Report.objects.get(number="14")
    assert items and {item["report"][0] for item in items} == {new.slug}
    assert all(item["code"].startswith("R14-") for item in items)
    assert not Recommendation.objects.filter(code__in=[i["code"] for i in items]).exists()
    assert "catalogue report 4 has 28 recommendations already: none drafted" in output


@pytest.mark.parametrize(
    ("listed", "difference"),
    [
        ("(HIVA), juni 2016", r"publication month \(2016-06 in the bundle, 2015-06 in the"),
        ("(IDEA Consult), juni 2015", r"institute \(IDEA Consult in the bundle, HIVA in the"),
    ],
)
def test_a_title_that_agrees_while_the_rest_does_not_is_refused(
    loaded, tmp_path, source_lines, ranges, listed, difference
):
    before = catalogue()
    text = slice_bundle(source_lines, ranges, ["4"])
    path = tmp_path / "lookalike.txt"
    path.write_text(text.replace("(HIVA), juni 2015", listed), "utf-8")

    with pytest.raises(CommandError, match=rf"bundle report 1 .*catalogue report 4 .*{difference}"):
        run(path)
    assert catalogue() == before


def test_the_parts_of_a_new_report_share_its_new_number(db, tmp_path, source_lines, ranges):
    paths = [p for p in fixture_paths() if p.name != "r05-1.json"]
    with disable_auditlog():
        call_command("loaddata", *paths, verbosity=0)
    Report.objects.filter(number__startswith="5.").delete()
    path = tmp_path / "parts.txt"
    path.write_text(slice_bundle(source_lines, ranges, ["5"]), "utf-8")

    run(path)

    new = Report.objects.filter(bundle_number__startswith="1.").order_by("number")
    assert [(r.number, r.bundle_number, r.has_summary) for r in new] == [
        ("14.1", "1.1", True),
        ("14.2", "1.2", False),
    ]


def test_a_report_listed_twice_is_refused(db, tmp_path, source_lines, ranges):
    path = tmp_path / "twice.txt"
    path.write_text(slice_bundle(source_lines, ranges, ["4", "4"]), "utf-8")

    with pytest.raises(CommandError, match="bundle reports 1 and 2 are the same report"):
        run(path)
    assert not Report.objects.exists()


@pytest.fixture
def first_half(tmp_path, source_lines):
    path = tmp_path / "first-half.txt"
    path.write_text("\n".join(source_lines[: len(source_lines) // 2]) + "\n", "utf-8")
    return path


def test_a_truncated_bundle_blanks_nothing(loaded, first_half):
    before = catalogue()

    output = run(first_half)

    assert catalogue() == before
    assert "0 were created, 0 updated, 14 unchanged." in output
    assert "--allow-removals" in output
    assert Report.objects.filter(has_summary=True).count() == 13


def test_the_dry_run_lists_every_removal_with_old_and_new(loaded, first_half):
    output = run(first_half, "--dry-run")

    report_7 = Report.objects.get(number="7")
    block = output.split("→ catalogue 7 ")[1].split("→ catalogue 8 ")[0]
    assert "keeps has_summary: True (bundle: False)" in block
    assert f"keeps abstract: “{report_7.abstract[:40]}" in block
    assert "keeps keywords: " in block


def test_removals_only_when_allowed(loaded, first_half):
    report_6 = Report.objects.get(number="6")

    output = run(first_half, "--allow-removals")

    assert "8 updated" in output
    summarised = set(Report.objects.filter(has_summary=True).values_list("number", flat=True))
    assert summarised == {"1", "2", "3", "4", "5.1", "6"}
    report_7 = Report.objects.get(number="7")
    assert (report_7.abstract, report_7.keywords, report_7.source_ranges) == ("", [], [])
    # the first half ends inside report 6: what it still holds is kept as it was
    assert Report.objects.get(number="6").source_ranges == report_6.source_ranges


def test_the_import_fills_what_the_catalogue_lacks_and_says_old_and_new(loaded, source_path):
    abstract = Report.objects.get(number="7").abstract
    Report.objects.filter(number="7").update(abstract="", keywords=[])

    output = run(source_path)

    report_7 = Report.objects.get(number="7")
    assert report_7.abstract == abstract
    assert report_7.keywords
    assert re.search(r"bundle 7 +→ catalogue 7 +updated", output)
    assert f"abstract: empty → “{abstract[:40]}" in output
    assert "1 updated, 13 unchanged" in output


@pytest.mark.parametrize("year", ["0001", "99999", "1899"])
def test_publication_years_outside_a_sane_range_are_refused(db, tmp_path, source_path, year):
    path = tmp_path / "year.txt"
    text = source_path.read_text(encoding="utf-8")
    path.write_text(text.replace("Consult), april 2015", f"Consult), april {year}", 1), "utf-8")

    with pytest.raises(CommandError, match=rf"line 14: publication year {int(year)} is outside"):
        run(path)
    assert not Report.objects.exists()


@pytest.mark.parametrize("where", ["missing-directory/draft.json", "a-file/draft.json", "."])
def test_an_unwritable_draft_fails_before_anything_is_imported(db, tmp_path, source_path, where):
    (tmp_path / "a-file").write_text("", "utf-8")
    with pytest.raises(CommandError, match="cannot write the draft"):
        run(source_path, "--draft-recommendations", tmp_path / where)
    assert not Report.objects.exists()


def test_dry_run_says_what_happens_to_the_draft(db, tmp_path, source_path):
    draft = tmp_path / "draft.json"

    output = run(source_path, "--dry-run", "--draft-recommendations", draft)

    assert not draft.exists()
    assert re.search(
        rf"Dry run: {re.escape(str(draft))} not written; it would hold "
        r"\d+ candidate recommendations for catalogue reports 1, 2, 3, 4, 5.1, 7, 8",
        output,
    )
    with pytest.raises(CommandError, match="cannot write the draft"):
        run(source_path, "--dry-run", "--draft-recommendations", tmp_path / "no" / "draft.json")


def garbage(tmp_path, name: str) -> str:
    path = tmp_path / name
    if name == "empty":
        path.write_bytes(b"")
    elif name == "png":
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    elif name == "high-bytes":
        path.write_bytes(bytes(range(128, 256)) * 8)
    elif name == "nul":
        path.write_bytes(b" Inleiding\n\x00\x00\x00\n")
    elif name == "utf-16":
        path.write_text(" Inleiding\n1. “Een rapport” (HIVA), juni 2015\n", "utf-16")
    elif name == "latin-1":
        path.write_bytes(" Inleiding\nÜber\n".encode("latin-1"))
    elif name == "directory":
        path.mkdir()
    return str(path)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty", "line 1: the file is empty"),
        ("png", "line 3: a NUL byte"),
        ("high-bytes", "line 1: not UTF-8 text"),
        ("nul", "line 2: a NUL byte"),
        ("utf-16", "line 1: UTF-16 text, not UTF-8"),
        ("latin-1", "line 2: not UTF-8 text"),
        ("directory", "not a regular file"),
    ],
)
def test_garbage_is_one_clear_line(db, tmp_path, name, message):
    with pytest.raises(CommandError, match=message) as error:
        run(garbage(tmp_path, name))
    assert "\n" not in str(error.value)
    assert not Report.objects.exists()


def test_a_huge_file_is_refused_before_it_is_read(db, tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as file:
        file.write(b" Inleiding\n" * 1000)
        file.truncate(50 * 1024 * 1024)
    opened = []
    monkeypatch.setattr(bundle, "open", lambda *a, **k: opened.append(a), raising=False)

    with pytest.raises(CommandError, match=r"huge.txt: 50.0 MB, more than a bundle"):
        run(path)
    assert opened == []
    assert not Report.objects.exists()


def test_text_the_catalogue_refuses_is_a_clear_error(db, tmp_path, source_path):
    path = tmp_path / "control.txt"
    text = source_path.read_text(encoding="utf-8")
    path.write_text(text.replace("Het PWA-stelsel in", "Het PWA-\x07stelsel in"), "utf-8")

    with pytest.raises(CommandError, match=r"bundle report 3: title: .*U\+0007"):
        run(path)
    assert not Report.objects.exists()


def test_a_title_line_at_the_very_end_is_a_clear_error(db, tmp_path, source_lines):
    # The first 3682 lines end with report 9's TITEL line (a crash once).
    path = tmp_path / "cut.txt"
    path.write_text("\n".join(source_lines[:3682]) + "\n", "utf-8")

    output = run(path, "--dry-run")

    assert "14 reports listed, 8 summarised" in output

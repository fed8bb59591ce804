"""The catalogue against the source document it was curated from."""

import io

import pytest
from django.core.management import CommandError, call_command

from recommendations.models import Recommendation
from reports.models import Institute, Report


def run(command, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *map(str, args), stdout=out, stderr=err)
    return out.getvalue()


def test_verify_source_passes_on_the_fixtures(loaded, source_path):
    output = run("verify_source", source_path)
    assert "| 1 | 22 | 93/95 (98%) | 0 |" in output
    assert "| 5.2 | 0 | — | 0 |" in output
    assert f"All {Recommendation.objects.count()} recommendations match" in output


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"text": "Een tekst die nergens staat."}, "R01-3.3: text not found in lines 387-387"),
        ({"title": "Verzonnen titel"}, "R01-3.3: title not found"),
        ({"source_start": 385, "source_end": 385}, "R01-3.3: text not found in lines 385-385"),
        ({"source_start": 2000, "source_end": 2001}, "R01-3.3: lines 2000-2001 outside the report"),
    ],
)
def test_verify_source_names_every_mismatch(loaded, source_path, change, problem):
    Recommendation.objects.filter(code="R01-3.3").update(**change)
    err = io.StringIO()
    with pytest.raises(CommandError, match="mismatches"):
        call_command("verify_source", str(source_path), stdout=io.StringIO(), stderr=err)
    assert problem in err.getvalue()


def test_verify_source_checks_abstracts(loaded, source_path):
    Report.objects.filter(number="7").update(abstract="Een andere samenvatting.")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_source", str(source_path), stdout=io.StringIO(), stderr=err)
    assert "report 7: abstract not found" in err.getvalue()


def test_verify_source_refuses_another_document(loaded, source_path, tmp_path):
    copy = tmp_path / "changed.txt"
    copy.write_text(source_path.read_text(encoding="utf-8") + "\nextra\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_source", str(copy), stdout=io.StringIO(), stderr=err)
    assert "is not that of the fixtures' source" in err.getvalue()


def test_verify_source_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("verify_source", str(tmp_path / "nothing.txt"))


def test_importer_reproduces_the_report_fixtures(loaded, source_path):
    output = run("import_summaries", source_path, "--dry-run")
    assert (
        "14 reports listed, 13 summarised: 0 would be created, 0 updated, 14 unchanged." in output
    )


def test_importer_on_an_empty_database_gives_the_fixture_metadata(db, source_path):
    run("import_summaries", source_path)
    imported = {r.number: r for r in Report.objects.prefetch_related("institutes")}
    Report.objects.all().delete()
    Institute.objects.all().delete()
    run("load_initial_data")
    for curated in Report.objects.prefetch_related("institutes"):
        mine = imported[curated.number]
        for name in [
            "authors",
            "published",
            "keywords",
            "abstract",
            "reference",
            "has_summary",
            "source_ranges",
            "sections",
            "sequence",
        ]:
            assert getattr(mine, name) == getattr(curated, name), (curated.number, name)
        curated_names = [{i.name, i.short_name} for i in curated.institutes.all()]
        imported_names = [i.name for i in mine.institutes.all()]
        assert len(imported_names) == len(curated_names), curated.number
        assert all(any(n in names for names in curated_names) for n in imported_names)


def test_draft_finds_every_curated_piste_and_bullet_of_report_one(loaded, source_path):
    from recommendations.drafts import draft_recommendations
    from reports.bundle import parse_bundle
    from reports.sourcetext import read_lines

    lines = read_lines(source_path)
    record = next(r for r in parse_bundle(lines) if r.number == "1")
    drafts = {
        d["fields"]["source_start"]: d["fields"] for d in draft_recommendations(lines, record, "x")
    }
    for item in Recommendation.objects.filter(report__number="1"):
        assert item.source_start in drafts, item.code
        if item.parent_id is None:
            assert drafts[item.source_start]["position"] == item.position


@pytest.mark.parametrize("number", ["8", "5.1"])
def test_draft_finds_the_headed_paragraphs_of_reports_eight_and_five_one(
    loaded, source_path, number
):
    from recommendations.drafts import draft_recommendations
    from reports.bundle import parse_bundle
    from reports.sourcetext import read_lines

    lines = read_lines(source_path)
    record = next(r for r in parse_bundle(lines) if r.number == number)
    drafts = [d["fields"] for d in draft_recommendations(lines, record, "x")]
    curated = Recommendation.objects.filter(report__number=number)
    # Every heading is a candidate at the curated item's lines and position, titled with the
    # heading; the framing prose around them gives no candidate of its own.
    heads = {d["source_start"]: d for d in drafts if d["parent"] is None}
    assert set(heads) == {i.source_start for i in curated.filter(parent__isnull=True)}
    for item in curated.filter(parent__isnull=True):
        assert heads[item.source_start]["position"] == item.position, item.code
        assert item.text.startswith(heads[item.source_start]["text"][:80]), item.code
    # A curated sub-measure (a proposing paragraph under a heading) starts inside a
    # candidate: in 5.1 the list of findings before it runs on over it.
    for item in curated.filter(parent__isnull=False):
        assert any(d["source_start"] < item.source_start <= d["source_end"] for d in drafts)

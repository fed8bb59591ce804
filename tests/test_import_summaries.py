"""Importing a bundle in the standard format: parser irregularities, bad input, the database."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from recommendations.drafts import draft_recommendations
from recommendations.models import Status
from reports.bundle import BundleError, decode, parse_bundle
from reports.models import Institute, Report

INTRO = """\
 Inleiding
Hier volgt een reeks samenvattingen.

1. “Een eerste rapport over sectoren” (IDEA Consult), april 2015

2. “Het tweede rapport” (HIVA), juni 2015
3.Deelrapport 1 - “De rol van de bemiddelaar. Deel een” (HIVA), februari 2017
Deelrapport 2 - “De rol van de bemiddelaar. Deel twee” (HIVA),
juni 2017
4. “Een rapport zonder titelregel over de jongerengarantie” (HIVA), februari 2017
5. “Vaardigheden in vacatures” (Antwerp Management School), december 2017
"""

REPORT_1 = """\
 TITEL:  EEN EERSTE RAPPORT OVER

SECTOREN

Auteur(s): An De Coen (IDEA Consult) , Luc Sels (KU Leuven)

1. Korte samenvatting van het onderzoek (abstract)

Sectoren zijn belangrijk voor het VIONA-onderzoeksrappor-
ten beleid2.
7
Key words:

Sectorconvenants, sociaal overleg

Employment, social dialogue
2. Doelen van het onderzoek
1. Nagaan hoe het instrument geoptimaliseerd kan worden.
3. Methoden en data
Methodische toelichting (bijvoorbeeld type van survey: statistische technieken)
Interviews.
 4. Bevindingen
3. Er is meer animo voor consulentenwerking dan voor projectfinanciering;
 4. Bevindingen (vervolg)
Meer bevindingen.
 5. Conclusies en beleidsimplicaties

Aan de hand van de bevindingen worden pistes geformuleerd.

1. Sectorconvenant continueren;
Het is aangewezen het instrument te continueren:

• Flexibele menusetting. Elke sector kiest.

- Verlenging van de looptijd tot vijf jaar.
5. Conclusies en beleidsimplicaties (vervolg)

2. De hefboomrol versterken;
Langs verschillende lijnen:

\u2212 Integratie van nieuwe bevoegdheden.

\uf084 Synchronisatie met het STEM-actieplan.

Volledige referentie van onderzoeksrapport(en) of paper(s) en andere sleutelpublicaties van het hier
samengevatte onderzoek

De Coen, A. (2015). Een eerste rapport. Brussel: IDEA Consult.
"""

REPORT_2 = """\
TITEL:  HET TWEEDE RAPPORT
Auteur(s): Maarten Gerard (HIVA)
1. Korte samenvatting van het onderzoek (abstract)
Over dienstencheques.
Key words: dienstencheques
2. Doelen van het onderzoek
Doelen.
4. Bevindingen
Bevindingen.
5. Beleidsimplicaties
Op korte termijn kunnen volgende maatregelen worden genomen:
• De indexatie van de inruilwaarde invoeren.
Op de middellange termijn zijn er volgende pistes:
• Een digitaal systeem ontwikkelen.
Volgende pistes moeten verder worden uitgeklaard:
• Een derde betaler-systeem onderzoeken.
"""

REPORT_3_1 = """\
TITEL:  DE ROL VAN DE BEMIDDELAAR. DEEL EEN
Auteur(s): Liesbeth Van Parys
30
1. Korte samenvatting van het onderzoek (abstract)
Over bemiddelaars.
2. Doelen van het onderzoek
Doelen.
3. Methoden en data
Survey.
4. Bevindingen
Bemiddelaars hebben ruimte.
"""

# Report 4 has no TITEL and no Auteur(s) line, and report 3.1's section 5 stands after
# report 4's reference block.
REPORT_4 = """\
 1. Korte samenvatting van het onderzoek (abstract)
Over de jongerengarantie.
2. Doelen van het onderzoek
Doelen.
4. Bevindingen
Bevindingen.
 5. Conclusies en beleidsimplicaties
• Meer jongeren bereiken.
Volledige referentie van onderzoeksrapport(en) of paper(s) en andere sleutelpublicaties van het hier
samengevatte onderzoek
Vandermeerschen, H. & Groenez, S. (2017). Jongerengarantie. Leuven: HIVA.
 5. Conclusies en beleidsimplicaties
Conclusies en aanbevelingen m.b.t. de discretionaire ruimte
• Tools met richtlijnen ontwikkelen.
Volledige referentie van onderzoeksrapport(en) of paper(s) en andere sleutelpublicaties van het hier
samengevatte onderzoek
"""

# Report 5 has no section 5: its conclusions close section 4.
REPORT_5 = """\
 TITEL:  VAARDIGHEDEN IN VACATURES
Auteur(s): Ans De Vos (Antwerp Management School), m.m.v. Filip De
Geijter (Actonomy)
1. Korte samenvatting van het onderzoek (abstract)
Over vacatures.
Key words: soft skills, hard skills
2. Doelen van het onderzoek
Doelen.
 4. Bevindingen
Eerste bevindingen.
 4. Bevindingen (vervolg)
Nog een bevinding.

Op basis van de analyses kunnen we concluderen dat competenties wijzigen.
We trekken de volgende conclusies.

Het is belangrijk om in te zoomen op specifieke jobs.
"""

BUNDLE = INTRO + REPORT_1 + REPORT_2 + REPORT_3_1 + REPORT_4 + REPORT_5


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    lines = text.splitlines()
    hits = [n for n, line in enumerate(lines, start=1) if fragment in line]
    return hits[occurrence - 1]


@pytest.fixture
def records():
    return {r.number: r for r in parse_bundle(BUNDLE.splitlines())}


def test_listed_reports_including_parts_and_unsummarised(records):
    assert list(records) == ["1", "2", "3.1", "3.2", "4", "5"]
    assert records["3.2"].has_summary is False
    assert records["3.2"].source_ranges == []
    assert records["3.2"].published == dt.date(2017, 6, 1)
    assert records["1"].title == "Een eerste rapport over sectoren"
    assert records["1"].published == dt.date(2015, 4, 1)
    assert [r.sequence for r in records.values()] == [1, 2, 3, 4, 5, 6]


def test_summary_boundaries_with_and_without_title_line(records):
    report_2_start = line_of(BUNDLE, "TITEL:  HET TWEEDE")
    assert records["1"].source_ranges[0][0] == line_of(BUNDLE, "TITEL:  EEN EERSTE")
    assert records["1"].source_ranges[0][1] == report_2_start - 1
    # No TITEL line: the summary starts at its abstract heading.
    assert records["4"].source_ranges[0][0] == line_of(BUNDLE, "Over de jongerengarantie") - 1


def test_authors_affiliations_and_institutes(records):
    assert records["1"].authors == "An De Coen (IDEA Consult), Luc Sels (KU Leuven)"
    assert records["1"].institutes == ["IDEA Consult", "KU Leuven"]
    # A continuation line and a stray page number after the authors line.
    assert records["5"].authors == (
        "Ans De Vos (Antwerp Management School), m.m.v. Filip De Geijter (Actonomy)"
    )
    assert records["5"].institutes == ["Antwerp Management School", "Actonomy"]
    assert records["3.1"].authors == "Liesbeth Van Parys"
    # No Auteur(s) line: the authors of the reference.
    assert records["4"].authors == "Vandermeerschen, H. & Groenez, S."


def test_abstract_keywords_and_reference(records):
    # hyphenation across lines repaired, the stray page number left out, the footnote
    # marker glued to "beleid" kept as it stands
    assert (
        records["1"].abstract
        == "Sectoren zijn belangrijk voor het VIONA-onderzoeksrapporten beleid2."
    )
    assert records["1"].keywords == [
        "Sectorconvenants",
        "sociaal overleg",
        "Employment",
        "social dialogue",
    ]
    assert records["2"].keywords == ["dienstencheques"]
    assert records["3.1"].keywords == []
    assert (
        records["1"].reference == "De Coen, A. (2015). Een eerste rapport. Brussel: IDEA Consult."
    )


def test_sections_ignore_numbered_items_that_look_like_headings(records):
    sections = records["1"].sections
    assert set(sections) == {"abstract", "goals", "methods", "findings", "policy", "reference"}
    # "(vervolg)" headings continue a section; "3. Er is meer animo" is not section 3.
    assert len(sections["findings"]) == 1
    # a leftover template prompt is just text of its section
    methods = sections["methods"][0]
    assert methods[0] == line_of(BUNDLE, "3. Methoden en data")
    assert methods[1] == line_of(BUNDLE, "4. Bevindingen") - 1
    assert sections["policy"] == [
        [line_of(BUNDLE, "5. Conclusies en beleidsimplicaties"), line_of(BUNDLE, "Volledige") - 1]
    ]
    # "Beleidsimplicaties" alone is a section 5 heading too; a report may skip section 3.
    assert set(records["2"].sections) == {"abstract", "goals", "findings", "policy"}


def test_displaced_section_five_goes_to_the_report_that_lacks_one(records):
    displaced = line_of(BUNDLE, "5. Conclusies en beleidsimplicaties", 4)
    own_reference = line_of(BUNDLE, "Volledige referentie", 3)
    report_5 = line_of(BUNDLE, "TITEL:  VAARDIGHEDEN")
    assert records["3.1"].sections["policy"] == [[displaced, own_reference - 1]]
    assert records["3.1"].sections["reference"] == [[own_reference, report_5 - 1]]
    assert records["3.1"].source_ranges[1] == [displaced, report_5 - 1]
    assert records["4"].source_ranges == [[records["4"].source_ranges[0][0], displaced - 1]]
    assert records["4"].reference.startswith("Vandermeerschen")
    assert records["3.1"].reference == ""


def test_conclusions_that_close_section_four(records):
    start = line_of(BUNDLE, "Op basis van de analyses kunnen we concluderen")
    assert records["5"].sections["policy"] == [[start, len(BUNDLE.splitlines())]]


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"", 1, "empty"),
        (b"  \n\n", 1, "empty"),
        (b"Inleiding\n\nniets\n", 3, "no summary"),
        (INTRO.encode() + "Über\n".encode("latin-1"), 12, "UTF-8"),
        ((INTRO + REPORT_1.split("2. Doelen")[0]).encode(), 27, "truncated"),
        (("Geen lijst\n" + REPORT_2).encode(), 1, "lists no reports"),
    ],
)
def test_bad_input_names_the_line(data, line, message):
    with pytest.raises(BundleError) as error:
        parse_bundle(decode(data).splitlines())
    assert error.value.line == line
    assert message in str(error.value)
    assert str(error.value).startswith(f"line {line}:")


def test_draft_recommendations_follow_pistes_bullets_and_horizons(records):
    lines = BUNDLE.splitlines()
    drafts = [d["fields"] for d in draft_recommendations(lines, records["1"], "r1")]
    assert [(d["code"], d["parent"]) for d in drafts] == [
        ("R01-1", None),
        ("R01-1.1", ["R01-1"]),
        ("R01-1.2", ["R01-1"]),
        ("R01-2", None),
        ("R01-2.1", ["R01-2"]),
        ("R01-2.2", ["R01-2"]),
    ]
    assert drafts[0]["title"] == "Sectorconvenant continueren"
    assert drafts[0]["text"].startswith("Sectorconvenant continueren; Het is aangewezen")
    assert drafts[1]["text"] == "Flexibele menusetting. Elke sector kiest."
    assert drafts[4]["text"] == "Integratie van nieuwe bevoegdheden."
    assert drafts[5]["text"] == "Synchronisatie met het STEM-actieplan."
    assert drafts[2]["source_end"] == line_of(BUNDLE, "Verlenging van de looptijd")
    horizons = [d["fields"]["horizon"] for d in draft_recommendations(lines, records["2"], "r2")]
    assert horizons == ["short", "medium", "to_be_explored"]


def test_draft_of_a_displaced_section_five_belongs_to_its_owner(records):
    lines = BUNDLE.splitlines()
    owner = [d["fields"] for d in draft_recommendations(lines, records["3.1"], "r31")]
    host = [d["fields"] for d in draft_recommendations(lines, records["4"], "r4")]
    assert [(d["code"], d["text"]) for d in owner] == [
        ("R03.1-1", "Tools met richtlijnen ontwikkelen.")
    ]
    assert [d["text"] for d in host] == ["Meer jongeren bereiken."]


# Like reports 7 and 8 of the bundle: two summaries in a row without TITEL or Auteur(s) line,
# the first without a reference block and with plain (double-spaced) prose in section 5, the
# second with headed paragraphs: a framing line, a heading over two lines, a heading whose
# blank line before it got lost, a sentence cut at a page break, a heading over a list.
UNTITLED = """\
 Inleiding
7. “Externe evaluatie van de Vlaamse Jongerengarantie” (HIVA), februari 2017
8. “Kritische succesfactoren in het activeringsbeleid naar mensen met een buitenlandse herkomst”
(HIVA), augustus 2017
1. Korte samenvatting van het onderzoek (abstract)
Een evaluatie van de Vlaamse jongerengarantie.
2. Doelen van het onderzoek
Doelen.
4. Bevindingen
Bevindingen.
 5. Conclusies en beleidsimplicaties

Na de interne evaluaties is dit de eerste externe beschrijving van de samenwerking met de

partners. Wij realiseren ons vooral dat de doelgroep een dubbele achterstand heeft.

Het blijven immers samenwerkingsakkoorden tussen de bemiddelaars, de ziekenfondsen en het

RIZIV. We onderlijnen dat het vrijwillige karakter van de trajecten gegarandeerd moet blijven.
1. Korte samenvatting van het onderzoek (abstract)
Over activering van mensen met een buitenlandse herkomst.
2. Doelen van het onderzoek
Doelen.
4. Bevindingen
Bevindingen.
 5. Conclusies en beleidsimplicaties

We denken daarbij concreet aan de volgende acties:

Nood aan systematische monitoring

In dit onderzoek stelden we grote verschillen vast naar uitstroom en participatie aan maatregelen.
In dit opzicht bevelen we een systematische monitoring aan, minimum volgens onze categorieën.

Nieuwkomers: positieve resultaten op basis van bestudeerde trajecten - bijkomend inzetten op
beroepsopleidingen?

Beroepsopleidingen halen een hoog rendement voor nieuwkomers, meer nog dan stages. Een opleidings-
vergoeding voor wie geen uitkering heeft, kan een optie zijn. Het algemeen pleidooi voor de
 5. Conclusies en beleidsimplicaties (vervolg)
14

Instapvoorwaarden mogen niet automatisch verlaagd worden voor wie voldoende leervermogen heeft.
 Personen van buitenlandse herkomst als prioritaire doelgroep binnen het sluitend
maatpak?

Het sluitend maken van dit maatpak lijkt noodzakelijk, met knipperlichten voor instromers.

Aanbevelingen voor dataverzameling

• Zet administratieve gegevensverzameling zo op dat ze bruikbaar is voor effectmetingen.
• Zorg voor nulmetingen.

Volledige referentie van onderzoeksrapport(en) of paper(s) en andere sleutelpublicaties van het hier
samengevatte onderzoek

Vandermeerschen, H. & De Cuyper, P. (2017). Kritische succesfactoren. Leuven: HIVA.
"""


@pytest.fixture
def untitled():
    return {r.number: r for r in parse_bundle(UNTITLED.splitlines())}


def test_consecutive_summaries_without_title_or_authors_line(untitled):
    second = line_of(UNTITLED, "1. Korte samenvatting", 2)
    assert untitled["7"].source_ranges == [[line_of(UNTITLED, "1. Korte samenvatting"), second - 1]]
    assert untitled["8"].source_ranges == [[second, len(UNTITLED.splitlines())]]
    assert untitled["7"].abstract == "Een evaluatie van de Vlaamse jongerengarantie."
    # No Auteur(s) line: the authors of the reference block, or none without one.
    assert untitled["7"].authors == ""
    assert untitled["7"].reference == ""
    assert untitled["8"].authors == "Vandermeerschen, H. & De Cuyper, P."


def test_draft_of_plain_prose_has_no_candidates(untitled):
    # Lone lines of double-spaced prose are no headings: the next line goes on in lower
    # case ("partners. Wij ...") or with a name in capitals ("RIZIV. We ...").
    assert draft_recommendations(UNTITLED.splitlines(), untitled["7"], "r7") == []


def test_draft_recommendations_from_headed_paragraphs(untitled):
    lines = UNTITLED.splitlines()
    drafts = [d["fields"] for d in draft_recommendations(lines, untitled["8"], "r8")]
    # the framing line ending in ":" gives no candidate; bullets under a heading are its parts
    assert [(d["code"], d["parent"]) for d in drafts] == [
        ("R08-1", None),
        ("R08-2", None),
        ("R08-3", None),
        ("R08-4", None),
        ("R08-4.1", ["R08-4"]),
        ("R08-4.2", ["R08-4"]),
    ]
    first, second, third, fourth = drafts[:4]
    assert first["title"] == "Nood aan systematische monitoring"
    assert first["text"] == (
        "In dit onderzoek stelden we grote verschillen vast naar uitstroom en participatie aan "
        "maatregelen. In dit opzicht bevelen we een systematische monitoring aan, minimum "
        "volgens onze categorieën."
    )
    assert (first["source_start"], first["source_end"]) == (
        line_of(UNTITLED, "Nood aan systematische"),
        line_of(UNTITLED, "minimum volgens onze"),
    )
    # a heading over two lines, joined verbatim
    assert second["title"] == (
        "Nieuwkomers: positieve resultaten op basis van bestudeerde trajecten - bijkomend "
        "inzetten op beroepsopleidingen?"
    )
    # A sentence cut at a page break stays cut; the repeated heading and the page number go,
    # the hyphenation is repaired, and the line after the break starts no candidate.
    assert second["text"] == (
        "Beroepsopleidingen halen een hoog rendement voor nieuwkomers, meer nog dan stages. "
        "Een opleidingsvergoeding voor wie geen uitkering heeft, kan een optie zijn. Het "
        "algemeen pleidooi voor de Instapvoorwaarden mogen niet automatisch verlaagd worden "
        "voor wie voldoende leervermogen heeft."
    )
    assert second["source_end"] == line_of(UNTITLED, "Instapvoorwaarden mogen")
    # no blank line before this heading: a finished sentence ends the paragraph above it
    assert third["title"] == (
        "Personen van buitenlandse herkomst als prioritaire doelgroep binnen het sluitend maatpak?"
    )
    assert third["source_start"] == line_of(UNTITLED, " Personen van buitenlandse herkomst")
    # a heading straight above a list is an item of its own, its text the heading
    assert fourth["title"] == fourth["text"] == "Aanbevelingen voor dataverzameling"
    assert fourth["source_start"] == fourth["source_end"]
    assert drafts[5]["text"] == "Zorg voor nulmetingen."
    assert drafts[5]["source_end"] == line_of(UNTITLED, "Zorg voor nulmetingen")


@pytest.fixture
def bundle_file(tmp_path):
    path = tmp_path / "bundle.txt"
    path.write_text(BUNDLE, encoding="utf-8")
    return path


def test_import_creates_reports_and_institutes(db, bundle_file, capsys):
    Institute.objects.create(name="HIVA - KU Leuven", short_name="HIVA", slug="hiva")

    call_command("import_summaries", str(bundle_file))

    assert Report.objects.count() == 6
    report = Report.objects.get(number="1")
    assert sorted(i.short_name for i in report.institutes.all()) == ["IDEA Consult", "KU Leuven"]
    assert Report.objects.get(number="3.2").institutes.get().slug == "hiva"
    assert "6 were created" in capsys.readouterr().out


def test_second_import_changes_nothing_and_keeps_curated_titles(db, bundle_file, capsys):
    call_command("import_summaries", str(bundle_file))
    Report.objects.filter(number="1").update(title="Een eerste rapport over Sectoren")
    call_command("import_summaries", str(bundle_file))
    assert "6 unchanged" in capsys.readouterr().out
    assert Report.objects.get(number="1").title == "Een eerste rapport over Sectoren"


def test_import_updates_metadata_and_never_touches_follow_up(
    db, bundle_file, make_recommendation, report, superuser
):
    from recommendations.services import transition_status

    item = make_recommendation(report=report, position="1")
    transition_status(recommendation=item, to_status=Status.ACCEPTED, user=superuser)
    # the bundle's report 1: same title (but for case), month and institute
    Report.objects.filter(pk=report.pk).update(
        title="Een eerste rapport over Sectoren", abstract="oud"
    )

    call_command("import_summaries", str(bundle_file))

    report.refresh_from_db()
    item.refresh_from_db()
    assert report.abstract.startswith("Sectoren zijn belangrijk")
    assert report.slug == "sectorale-insteek"
    assert (item.status, item.version, item.report_id) == (Status.ACCEPTED, 2, report.pk)


def test_dry_run_writes_nothing(db, bundle_file, tmp_path, capsys):
    draft = tmp_path / "draft.json"
    call_command(
        "import_summaries", str(bundle_file), "--dry-run", "--draft-recommendations", str(draft)
    )
    assert not Report.objects.exists()
    assert not Institute.objects.exists()
    assert not draft.exists()
    assert "6 would be created" in capsys.readouterr().out


def test_draft_file_is_written(db, bundle_file, tmp_path):
    draft = tmp_path / "draft.json"
    call_command("import_summaries", str(bundle_file), "--draft-recommendations", str(draft))
    items = json.loads(draft.read_text(encoding="utf-8"))
    assert {i["fields"]["report"][0] for i in items} >= {
        Report.objects.get(number="1").slug,
        Report.objects.get(number="2").slug,
    }
    assert all(i["fields"]["primary_domain"] is None for i in items)


def test_a_failed_import_leaves_the_database_as_it_was(db, bundle_file, monkeypatch):
    from reports import services

    call_command("import_summaries", str(bundle_file))
    before = list(Report.objects.order_by("number").values())
    changed = bundle_file.read_text(encoding="utf-8").replace("Over vacatures.", "Nieuw.")
    bundle_file.write_text(changed.replace("Over dienstencheques.", "Ook nieuw."), "utf-8")
    original = services._update
    calls = []

    def fail_on_the_fifth(record, report, result, **options):
        calls.append(record.number)
        if len(calls) == 5:
            raise RuntimeError("database went away")
        return original(record, report, result, **options)

    monkeypatch.setattr(services, "_update", fail_on_the_fifth)
    with pytest.raises(RuntimeError):
        call_command("import_summaries", str(bundle_file))
    assert list(Report.objects.order_by("number").values()) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "line 1: the file is empty"),
        ("\ufeffGeen bundel\n".encode() + b"\xff\xfe", "not UTF-8"),
        (REPORT_2.encode(), "line 1: the introduction lists no reports"),
    ],
)
def test_command_errors_are_clear_and_write_nothing(db, tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_summaries", str(path))
    assert not Report.objects.exists()


def test_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_summaries", str(tmp_path / "nothing.txt"))

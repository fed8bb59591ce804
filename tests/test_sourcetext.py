"""Normalising passages of the source PDF text: the one definition of "the same text"."""

import pytest

from reports.sourcetext import is_artefact, normalize, passage, strip_bullet


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("VIONA-onderzoeksrappor- \n\nten gebundeld", "VIONA-onderzoeksrapporten gebundeld"),
        ("input van PWA-\nbeambten", "input van PWA-beambten"),
        ("Regeerakkoord 2014-\n2019 werd", "Regeerakkoord 2014-2019 werd"),
        ("studie-\nen beroepskeuze", "studie- en beroepskeuze"),
        ("de  bredere   werking \n", "de bredere werking"),
        ("Deelrapport 1 -\nDe rol", "Deelrapport 1 - De rol"),
        ("eind van de zin-\nNieuwe zin", "eind van de zin- Nieuwe zin"),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("glyph", ["•", "-", "\u2212", "\uf084", "o"])
def test_strip_bullet(glyph):
    assert strip_bullet(f"  {glyph} Flexibele menusetting") == "Flexibele menusetting"
    assert strip_bullet("Geen opsomming") == "Geen opsomming"


@pytest.mark.parametrize(
    ("line", "artefact"),
    [
        (" 5. Conclusies en beleidsimplicaties (vervolg) ", True),
        ("4. Bevindingen (vervolg)", True),
        ("  12 ", True),
        ("5. Beleidsimplicaties", False),
        ("3. Er is meer animo voor consulentenwerking", False),
        ("2014", False),
    ],
)
def test_page_break_artefacts(line, artefact):
    assert is_artefact(line) is artefact


def test_passage_skips_artefacts_and_strips_the_bullet():
    lines = [
        "• De inzet van de sectorconsu-",
        " 5. Conclusies en beleidsimplicaties (vervolg) ",
        "",
        "lenten, zowel voor de sector;",
        "7",
    ]
    assert (
        passage(lines, 1, 5, bullet=True)
        == "De inzet van de sectorconsulenten, zowel voor de sector;"
    )

"""Cards and forms for the field, from the operation's own record."""

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from corridor.domain.errors import BadInput, CorridorError, NotFound
from corridor.domain.tokens import make_token
from corridor.service import printing
from tests.conftest import register
from corridor.domain.permissions import Principal

CONSOLE = Principal.console("tests")  # the operator's console: sees every field


def test_cards_are_printed_for_the_chosen_households(op, tmp_path):
    family = register(op)
    register(op, gathering_point="GP-B")
    r = printing.cards(op, tmp_path / "c.pdf", viewer=CONSOLE, households=[family["token"]])
    assert r["households"] == 1 and r["persons"] == 2 and r["pages"] >= 2
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "c.pdf").pages)
    assert family["token"] in text and family["persons"][1]["token"] in text
    assert printing.cards(op, tmp_path / "gp.pdf", viewer=CONSOLE, gathering_point="GP-B")["households"] == 1


def test_cards_for_an_unknown_household_are_refused(op, tmp_path):
    register(op)
    with pytest.raises(NotFound):
        printing.cards(op, tmp_path / "c.pdf", viewer=CONSOLE, households=["H00000000"])
    with pytest.raises(BadInput):
        printing.cards(op, tmp_path / "c.pdf", viewer=CONSOLE, households=[register(op)["persons"][0]["token"]])


def test_forms_offer_the_operations_gathering_points(op, tmp_path):
    paths = printing.forms(op, tmp_path / "forms")
    assert sorted(p.name for p in paths) == ["corridor_boarding.xlsx", "corridor_registration.xlsx"]
    choices = load_workbook(tmp_path / "forms" / "corridor_registration.xlsx")["choices"]
    names = {row[1] for row in choices.iter_rows(values_only=True)}
    assert {"GP-A", "GP-B", "RC-1", "RC-2"} <= names and "CP-1" not in names


def test_cards_without_an_arabic_font_are_refused_with_the_package_to_install(op, tmp_path, monkeypatch):
    from corridor.formats import fonts

    register(op)
    monkeypatch.delenv("CORRIDOR_ARABIC_FONT", raising=False)
    monkeypatch.setattr(fonts, "FONT_DIRS", (str(tmp_path / "no-fonts"),))
    monkeypatch.setattr(fonts, "_fc_arabic_files", lambda: [])
    fonts.find_fonts.cache_clear()
    try:
        with pytest.raises(CorridorError, match="fonts-noto-core") as refused:
            printing.cards(op, tmp_path / "c.pdf", viewer=CONSOLE)
    finally:
        fonts.find_fonts.cache_clear()
    assert refused.value.field == "fonts" and not (tmp_path / "c.pdf").exists()


@pytest.mark.parametrize("name", ["x.jpg", "x.SVG.gif", "x"])
def test_a_qr_code_to_a_file_of_another_kind_is_refused(tmp_path, name):
    with pytest.raises(BadInput, match=r"\.svg, \.png") as refused:
        printing.qr_file(make_token("H"), tmp_path / name)
    assert refused.value.field == "out" and not (tmp_path / name).exists()


def test_a_qr_code_is_written_as_its_suffix_says(tmp_path):
    token = make_token("H")
    svg = printing.qr_file(token.lower(), tmp_path / "card.svg")
    png = printing.qr_file(token, tmp_path / "card.PNG")
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<svg") and token in svg.read_text()
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

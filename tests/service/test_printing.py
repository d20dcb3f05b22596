"""Cards and forms for the field, from the operation's own record."""

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from corridor.domain.errors import BadInput, NotFound
from corridor.service import printing
from tests.conftest import register


def test_cards_are_printed_for_the_chosen_households(op, tmp_path):
    family = register(op)
    register(op, gathering_point="GP-B")
    r = printing.cards(op, tmp_path / "c.pdf", households=[family["token"]])
    assert r["households"] == 1 and r["persons"] == 2 and r["pages"] >= 2
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "c.pdf").pages)
    assert family["token"] in text and family["persons"][1]["token"] in text
    assert printing.cards(op, tmp_path / "gp.pdf", gathering_point="GP-B")["households"] == 1


def test_cards_for_an_unknown_household_are_refused(op, tmp_path):
    register(op)
    with pytest.raises(NotFound):
        printing.cards(op, tmp_path / "c.pdf", households=["H00000000"])
    with pytest.raises(BadInput):
        printing.cards(op, tmp_path / "c.pdf", households=[register(op)["persons"][0]["token"]])


def test_forms_offer_the_operations_gathering_points(op, tmp_path):
    paths = printing.forms(op, tmp_path / "forms")
    assert sorted(p.name for p in paths) == ["corridor_boarding.xlsx", "corridor_registration.xlsx"]
    choices = load_workbook(tmp_path / "forms" / "corridor_registration.xlsx")["choices"]
    names = {row[1] for row in choices.iter_rows(values_only=True)}
    assert {"GP-A", "GP-B", "RC-1", "RC-2"} <= names and "CP-1" not in names

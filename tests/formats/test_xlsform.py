"""The XLSForms convert cleanly with pyxform and use corridor's field names and HXL tags."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pyxform.validators import odk_validate
from pyxform.xls2xform import convert

from corridor.domain.text import ARABIC_SCRIPT, LATIN_LETTERS
from corridor.domain.values import Mobility, Precedence, Relationship, Sex, Vulnerability
from corridor.domain.vocabulary import label
from corridor.formats.xlsform import (
    AR,
    BOARDING_HXL_TAGS,
    EN,
    HXL_TAGS,
    write_boarding_form,
    write_forms,
    write_registration_form,
)

SITES = [
    {"code": "GP-A", "kind": "gathering_point", "name_en": "Gathering A", "name_ar": "نقطة التجمع أ"},
    {"code": "GP-B", "kind": "gathering_point", "name_en": "Gathering B", "name_ar": "نقطة التجمع ب"},
    {"code": "CP-1", "kind": "checkpoint", "name_en": "Checkpoint 1", "name_ar": "حاجز ١"},
    {"code": "TP-1", "kind": "transit_point", "name_en": "Transit 1", "name_ar": "نقطة عبور ١"},
    {"code": "RC-1", "kind": "reception_centre", "name_en": "Reception 1", "name_ar": "مركز استقبال ١"},
    {"code": "RC-2", "kind": "reception_centre", "name_en": "Reception 2", "name_ar": "مركز استقبال ٢"},
]

REGISTRATION_FIELDS = {
    "gathering_point", "destination", "token", "persons", "name_ar", "name_latin", "sex", "birth_year",
    "birth_date", "relationship", "mobility", "precedence", "vulnerabilities", "person_token",
}
XF = "{http://www.w3.org/2002/xforms}"


def _sheet(path: Path, name: str) -> list[dict]:
    rows = list(load_workbook(path, read_only=True)[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def _convert(path: Path, validate: bool = False):
    warnings: list[str] = []
    result = convert(xlsform=str(path), warnings=warnings, validate=validate)
    return result, warnings


@pytest.fixture
def forms(tmp_path: Path) -> list[Path]:
    return write_forms(tmp_path / "forms", SITES, version="2016121501")


def test_both_forms_convert_without_errors_or_warnings(forms):
    assert [p.name for p in forms] == ["corridor_registration.xlsx", "corridor_boarding.xlsx"]
    for path in forms:
        result, warnings = _convert(path)
        assert warnings == [], f"{path.name}: {warnings}"
        ET.fromstring(result.xform)  # well-formed


@pytest.mark.skipif(shutil.which("java") is None or not odk_validate.install_exists(), reason="needs Java")
def test_odk_validate_accepts_both_forms(forms):
    for path in forms:
        _, warnings = _convert(path, validate=True)  # raises ODKValidateError if invalid
        assert warnings == [], f"{path.name}: {warnings}"


def test_registration_fields_use_corridor_names_and_carry_hxl(forms):
    survey = _sheet(forms[0], "survey")
    names = {r["name"] for r in survey if r["name"]}
    assert REGISTRATION_FIELDS <= names
    assert names - REGISTRATION_FIELDS == {"start", "end"}
    by_name = {r["name"]: r for r in survey if r["name"]}
    assert by_name["persons"]["type"] == "begin_repeat"
    assert by_name["token"]["type"] == by_name["person_token"]["type"] == "barcode"
    assert by_name["vulnerabilities"]["type"] == "select_multiple vulnerabilities"
    assert by_name["birth_year"]["type"] == "integer"
    assert "1900" in by_name["birth_year"]["constraint"] and "today()" in by_name["birth_year"]["constraint"]
    for name, tag in HXL_TAGS.items():
        assert by_name[name]["hxl"] == tag
        assert tag.startswith("#") and " " not in tag
    for row in survey:  # every question speaks both languages
        if row["type"] not in ("start", "end", "end_repeat"):
            assert row[f"label::{EN}"] and row[f"label::{AR}"], row["name"]
    # persons are inside the repeat, household fields outside
    order = [r["name"] or r["type"] for r in survey]
    begin, end = order.index("persons"), order.index("end_repeat")
    for field in ("name_ar", "name_latin", "sex", "precedence", "person_token"):
        assert begin < order.index(field) < end
    for field in ("gathering_point", "destination", "token"):
        assert order.index(field) < begin


def test_registration_choices_come_from_the_sites(forms):
    choices = _sheet(forms[0], "choices")
    lists: dict[str, list[str]] = {}
    for c in choices:
        lists.setdefault(c["list_name"], []).append(c["name"])
        assert c[f"label::{EN}"] and c[f"label::{AR}"]
    assert lists["gathering_point"] == ["GP-A", "GP-B"]
    assert lists["destination"] == ["RC-1", "RC-2", "any"]
    assert lists["relationship"] == [
        "head", "spouse", "child", "parent", "sibling", "grandchild", "grandparent", "other_relative", "not_related",
        "unknown",
    ]
    assert lists["mobility"] == ["walks", "needs_help", "stretcher"]
    assert lists["precedence"] == ["urgent", "priority", "routine", "none"]
    assert lists["vulnerabilities"] == [
        "unaccompanied_child", "separated_child", "older_person", "disability", "pregnancy",
    ]
    arabic = {c["name"]: c[f"label::{AR}"] for c in choices if c["list_name"] == "gathering_point"}
    assert arabic["GP-A"].startswith("نقطة التجمع أ")


def test_choice_labels_are_the_vocabularys(forms):
    choices = {(c["list_name"], c["name"]): c for c in _sheet(forms[0], "choices")}
    for list_name, kind in (("sex", Sex), ("relationship", Relationship), ("mobility", Mobility),
                            ("precedence", Precedence), ("vulnerabilities", Vulnerability)):
        for member in kind:
            row = choices[(list_name, member.value)]
            assert (row[f"label::{EN}"], row[f"label::{AR}"]) == (label(member, "en"), label(member, "ar"))
    assert choices[("mobility", "stretcher")][f"label::{AR}"] == label(Mobility.STRETCHER, "ar")


def test_name_constraints_use_the_one_definition_of_each_script(forms):
    by_name = {r["name"]: r for r in _sheet(forms[0], "survey")}
    assert ARABIC_SCRIPT in by_name["name_ar"]["constraint"]
    assert LATIN_LETTERS in by_name["name_latin"]["constraint"]


def test_settings_and_translations_reach_the_xform(forms):
    settings = _sheet(forms[0], "settings")[0]
    assert settings["form_id"] == "corridor_registration"
    assert settings["version"] == "2016121501"
    assert settings["default_language"] == EN
    assert settings["form_title"]
    result, _ = _convert(forms[0])
    root = ET.fromstring(result.xform)
    langs = {t.get("lang") for t in root.iter(f"{XF}translation")}
    assert langs == {EN, AR}
    data = next(root.iter(f"{XF}instance"))[0]
    assert data.get("id") == "corridor_registration" and data.get("version") == "2016121501"
    assert data.find(f"{XF}persons/{XF}name_ar") is not None


def test_boarding_form(forms):
    survey = _sheet(forms[1], "survey")
    by_name = {r["name"]: r for r in survey}
    assert set(by_name) == {"start", "end", "trip", "token", "note"}
    assert by_name["trip"]["type"] == "text"
    assert by_name["token"]["type"] == "barcode"
    for name, tag in BOARDING_HXL_TAGS.items():
        assert by_name[name]["hxl"] == tag
    for name in ("trip", "token", "note"):
        assert by_name[name][f"label::{EN}"] and by_name[name][f"label::{AR}"]
    settings = _sheet(forms[1], "settings")[0]
    assert settings["form_id"] == "corridor_boarding" and settings["default_language"] == EN


def test_single_writers_and_default_version(tmp_path: Path):
    reg = write_registration_form(tmp_path / "r.xlsx", SITES)
    board = write_boarding_form(tmp_path / "b.xlsx")
    for path in (reg, board):
        version = _sheet(path, "settings")[0]["version"]
        assert len(str(version)) == 12 and str(version).isdigit()
        assert _convert(path)[1] == []


@pytest.mark.parametrize(
    "sites, message",
    [
        ([{"code": "RC-1", "kind": "reception_centre"}], "no gathering point"),
        ([{"code": "GP-A", "kind": "gathering_point"}], "no reception centre"),
        ([{"code": "GP A", "kind": "gathering_point"}], "cannot be a choice name"),
        ([{"code": "GP-A", "kind": "camp"}], "kind"),
        ([{"code": "GP-A", "kind": "gathering_point"}, {"code": "GP-A", "kind": "reception_centre"}], "twice"),
        ([{"code": "any", "kind": "reception_centre"}], "reserved"),
    ],
)
def test_unusable_sites_are_refused(tmp_path: Path, sites, message):
    with pytest.raises(ValueError, match=message):
        write_registration_form(tmp_path / "r.xlsx", sites)

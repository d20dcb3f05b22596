"""Registration: one definition of a person's fields, households without relationships, names that print,
and what `show` says of a merged record."""

import dataclasses
from types import SimpleNamespace

import pytest

from corridor.domain.errors import BadInput
from corridor.domain.registry import PERSON_INPUT_FIELDS, PersonInput, person_field_specs
from corridor.domain.text import check_name, check_text
from corridor.formats import kobo, tabular
from corridor.service import duplicates, registration
from corridor.service.recording import Meta
from tests.conftest import person, register
from corridor.domain.permissions import Principal

CONSOLE = Principal.console("tests")  # the operator's console: sees every field


# --- one definition of a person's fields (defect 7) -------------------------------------------


def test_every_layer_takes_the_person_fields_of_the_domain():
    from corridor.api.schemas import PersonIn

    domain = {f.name for f in dataclasses.fields(PersonInput)}
    assert set(PERSON_INPUT_FIELDS) == domain == {s.name for s in person_field_specs()}
    assert set(PersonIn.model_fields) == domain
    assert set(tabular.PERSON_FIELDS) - {"name", "age", "person_token"} == domain
    assert set(tabular.PERSON_DEFAULTS) == domain
    assert set(kobo.PERSON_FIELDS) - {"age", "person_token"} == domain
    for spec in person_field_specs():  # the API's defaults are the domain's
        assert PersonIn.model_fields[spec.name].get_default(call_default_factory=True) == spec.default
        assert spec.description
    assert registration.person_fields({}, "p") == {s.name: s.default for s in person_field_specs()}


def test_the_enum_fields_name_their_allowed_values():
    specs = {s.name: s for s in person_field_specs()}
    assert "unknown" in specs["relationship"].allowed and specs["relationship"].default == "unknown"
    assert "stretcher" in specs["mobility"].allowed and specs["name_ar"].allowed == ()


def test_an_importer_reads_family_links():
    batch = tabular.read_rows([["household", "gathering_point", "name_latin", "links"],
                               ["1", "GP-A", "Ali", "pn31jd7w4, PNQKEY060"]])
    assert batch.ok, batch.problems
    assert batch.households[0].household["persons"][0]["links"] == ["PN31JD7W4", "PNQKEY060"]


# --- a household without relationships (defect 10) --------------------------------------------


def test_a_household_without_relationships_registers(op):
    data = register(op, persons=[{"name_latin": "Ali Hassan"}, {"name_latin": "Huda Hassan"}])
    assert [p["relationship"] for p in data["persons"]] == ["unknown", "unknown"]


def test_a_household_still_has_at_most_one_head(op):
    with pytest.raises(BadInput, match="at most one head"):
        register(op, persons=[person(relationship="head"), person(relationship="head")])


# --- names that print (defect 10) --------------------------------------------------------------


@pytest.mark.parametrize("name, code", [
    ("Ali\x00Hassan", "U+0000"),
    ("Ali \u202eHassan", "U+202E"),
    ("Ali \u2067Hassan\u2069", "U+2067"),
    ("Ali 😀", "U+1F600"),
    ("Ali ☺", "U+263A"),
    ("Ali\u00adHassan", "U+00AD"),  # soft hyphen: invisible
])
def test_names_with_controls_overrides_or_symbols_are_refused_naming_the_code_point(op, name, code):
    with pytest.raises(BadInput) as e:
        register(op, persons=[person(name_latin=name, relationship="head")])
    assert code in e.value.detail and e.value.field == "items[0]" or "name_latin" in e.value.field
    assert "name_latin" in e.value.detail


def test_invisible_direction_marks_are_dropped_from_names_and_joiners_kept():
    assert check_name("\u200fمحمد\u200e الحلبي\ufeff", "name_ar") == "محمد الحلبي"
    assert check_name("می\u200cخواهم", "name_ar") == "می\u200cخواهم"


def test_notes_refuse_controls_and_overrides_but_keep_symbols():
    with pytest.raises(BadInput, match="U\\+0000"):
        check_text("shelling\x00", "note")
    with pytest.raises(BadInput, match="U\\+202E"):
        check_text("held \u202eat CP-1", "note")
    assert check_text("ok ✓ \u200f", "note") == "ok ✓"


# --- show of a merged record (defect 10) -------------------------------------------------------


def test_show_of_a_merged_record_says_into_whom(op):
    first = register(op, persons=[person("عمر الشامي", "Omar al-Shami", relationship="head", birth_year=1990)])
    second = register(op, gathering_point="GP-B",
                      persons=[person("عمر الشامي", "Omar al-Shami", relationship="head", birth_year=1990)])
    kept, dup = first["persons"][0]["token"], second["persons"][0]["token"]
    lo, hi = sorted((kept, dup))
    duplicates.check(op, Meta(), matcher=lambda records: [SimpleNamespace(
        token_a=lo, token_b=hi, score=0.99, high=True, evidence={"name_latin": "equal"})])
    duplicates.merge(op, Meta(), kept=kept, duplicate=dup)
    shown = registration.describe(op, dup, viewer=CONSOLE)
    assert shown["merged_into"] == kept and kept in shown["note"] and "merged" in shown["note"]
    assert registration.describe(op, kept, viewer=CONSOLE)["merged_into"] is None and "note" not in registration.describe(op, kept, viewer=CONSOLE)

"""Reading registration submissions exported from KoboToolbox and ODK Central."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from corridor.domain.errors import BadInput
from corridor.formats.kobo import KoboBatch, field_name, read_kobo

DATA = Path(__file__).parent / "data"
CENTRAL = DATA / "odk_central"


def problems_of(batch: KoboBatch) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.value) for p in batch.problems]


def names(submission) -> list[str]:
    return [p["name_latin"] or p["name_ar"] for p in submission.household["persons"]]


@pytest.mark.parametrize("path, expected", [
    ("persons/name_ar", "name_ar"),
    ("group_xyz/persons/name_ar", "name_ar"),
    ("persons[2]/persons/birth_year", "birth_year"),
    ("meta/instanceID", "instanceID"),
    ("meta-instanceID", "instanceID"),
    ("group_household-gathering_point", "gathering_point"),
    ("_submission__uuid", "_submission__uuid"),
    ("SubmitterName", "SubmitterName"),
])
def test_fields_are_matched_on_the_last_path_component(path, expected):
    assert field_name(path) == expected


def test_a_kobo_json_export_with_groups_and_an_identical_resubmission():
    batch = read_kobo(DATA / "kobo_submissions.json")
    assert batch.problems == [] and batch.ok
    assert batch.layout == "json"
    assert batch.duplicates == 1  # submission 3 repeats submission 1: kept once
    first, second = batch.submissions
    assert first.instance_id == "uuid:5b0c8a3e-0001-4d6e-9a53-6d2f6f0c0001"
    assert second.instance_id == "uuid:5b0c8a3e-0002-4d6e-9a53-6d2f6f0c0002"  # from _uuid
    assert first.command_id == first.instance_id
    h = first.household
    assert (h["gathering_point"], h["destination"], h["token"], h["person_tokens"]) == (
        "GP-A", "RC-1", "HQ93W9KC9", ["PSYXHKBGG"])
    mahmoud, salma = h["persons"]
    assert mahmoud == {"name_ar": "محمود سليمان", "name_latin": "Mahmoud Suleiman", "sex": "male",
                       "birth_year": 1950, "birth_date": None, "relationship": "head", "mobility": "needs_help",
                       "precedence": "none", "vulnerabilities": ["older_person", "disability"], "links": [], "medical_notes": ""}
    assert (salma["name_ar"], salma["birth_date"], salma["relationship"]) == ("سلمى", "2010-05-04", "grandchild")
    assert second.household["destination"] is None  # "any"
    assert second.household["persons"][0]["precedence"] == "urgent"
    iid, household = second  # unpacks as (instance_id, household)
    assert iid == second.instance_id and household is second.household


def test_a_resubmission_with_other_content_is_a_conflict():
    batch = read_kobo(DATA / "bad_kobo_conflicting_resubmission.json")
    (problem,) = batch.problems
    assert (problem.row, problem.column, problem.value, problem.kind) == (
        2, "meta/instanceID", "uuid:7c1d0000-0000-4000-8000-000000000001", "conflict")
    assert "given again with different content (first on row 1)" in problem.reason
    (kept,) = batch.submissions
    assert names(kept) == ["Adel"] and not kept.ok


def test_every_problem_of_a_bad_kobo_export_is_listed():
    batch = read_kobo(DATA / "bad_kobo_invalid_values.json")
    assert problems_of(batch) == [
        (1, "token", "HXXXXXXX1"),
        (1, "persons[1]/persons/sex", "robot"),
        (1, "persons[1]/persons/birth_year", "19x0"),
        (1, "persons[2]/persons/vulnerabilities", "pregnancy flying"),
        (1, "persons[2]/persons/name_latin", ""),
        (2, "persons", ""),
        (2, "gathering_point", ""),
        (3, "meta/instanceID", ""),
    ]
    reasons = [p.reason for p in batch.problems]
    assert "fails its check symbol" in reasons[0]
    assert "use one of female, male, unknown" in reasons[1]
    assert "'flying': not a known vulnerability" in reasons[3]
    assert reasons[4] == "neither name_ar nor name_latin is given"
    assert "has no persons" in reasons[5] and "has no gathering_point" in reasons[6]
    assert "no instanceID" in reasons[7]
    assert [s.ok for s in batch.submissions] == [False, False]


def test_odk_central_odata_json():
    batch = read_kobo(DATA / "odk_central_odata.json")
    assert batch.problems == []
    (sub,) = batch.submissions
    assert sub.instance_id == "uuid:9e3f0000-0000-4000-8000-000000000001"
    assert names(sub) == ["Wael", "هدى"]
    assert [p["birth_year"] for p in sub.household["persons"]] == [1982, 1984]
    assert "token" not in sub.household


def test_a_kobo_csv_with_numbered_repeat_columns():
    batch = read_kobo(DATA / "kobo_flattened_wide.csv")  # semicolons, as KoboToolbox exports
    assert batch.problems == [] and batch.layout == "csv-wide"
    first, second = batch.submissions
    assert (first.row, first.rows) == (2, [2, 2])
    assert names(first) == ["Jamil", "Siham"]
    assert first.household["token"] == "HG297AK2S"
    assert first.household["person_tokens"] == ["P6HJTAP1R", "PF55ST9KN"]
    assert first.household["persons"][0]["vulnerabilities"] == ["disability"]
    assert names(second) == ["Tamer"]  # the empty persons[2] columns are no person


def test_select_multiple_as_separate_columns_only(tmp_path):
    path = tmp_path / "split.csv"
    path.write_text("gathering_point,persons[1]/persons/name_latin,persons[1]/persons/vulnerabilities/disability,"
                    "persons[1]/persons/vulnerabilities/pregnancy,meta/instanceID\n"
                    "GP-A,Mona,1,1,uuid:1\n", encoding="utf-8")
    (sub,) = read_kobo(path).submissions
    assert sub.household["persons"][0]["vulnerabilities"] == ["disability", "pregnancy"]


def test_a_kobo_csv_with_one_row_per_person():
    batch = read_kobo(DATA / "kobo_flattened_long.csv")
    assert batch.problems == [] and batch.layout == "csv-long"
    first, second = batch.submissions
    assert first.rows == [2, 3] and names(first) == ["Basel", "Dana"]
    assert first.household["persons"][1]["vulnerabilities"] == ["unaccompanied_child"]
    assert names(second) == ["Ward"] and second.household["persons"][0]["mobility"] == "stretcher"


def test_a_long_csv_repeating_a_submission_later_is_absorbed_or_reported(tmp_path):
    lines = (DATA / "kobo_flattened_long.csv").read_text(encoding="utf-8").splitlines()
    same = tmp_path / "same.csv"
    same.write_text("\n".join([*lines, lines[1], lines[2]]) + "\n", encoding="utf-8")
    batch = read_kobo(same)
    assert batch.problems == [] and batch.duplicates == 1 and len(batch.submissions) == 2
    other = tmp_path / "other.csv"
    other.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")  # without Dana
    batch = read_kobo(other)
    assert [(p.row, p.kind) for p in batch.problems] == [(5, "conflict")]


def test_odk_central_main_and_repeat_csv():
    batch = read_kobo(CENTRAL / "corridor_registration.csv", CENTRAL / "corridor_registration-persons.csv")
    assert batch.problems == [] and batch.layout == "csv+repeat"
    first, second = batch.submissions
    assert first.instance_id == "uuid:33330000-0000-4000-8000-000000000001"
    assert first.row == 2 and first.rows == [2, 3]  # lines of the repeat CSV
    assert names(first) == ["Riad", "Rana"]
    assert first.household["token"] == "HB14ZJ42N"
    rana = first.household["persons"][1]
    assert (rana["birth_date"], rana["mobility"], rana["precedence"]) == ("1972-11-30", "needs_help", "priority")
    assert names(second) == ["Nabil"] and second.household["destination"] is None


def test_a_repeat_row_without_its_submission_is_reported():
    batch = read_kobo(CENTRAL / "corridor_registration.csv", CENTRAL / "bad_orphan_parent_key-persons.csv")
    (problem,) = batch.problems
    assert (problem.row, problem.column, problem.value, problem.source) == (
        5, "PARENT_KEY", "uuid:33330000-0000-4000-8000-00000000dead", "bad_orphan_parent_key-persons.csv")
    assert "matches no submission" in problem.reason
    assert len(batch.submissions) == 2


def test_odk_central_export_zip(tmp_path):
    path = tmp_path / "corridor_registration.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.write(CENTRAL / "corridor_registration.csv", "corridor_registration.csv")
        z.write(CENTRAL / "corridor_registration-persons.csv", "corridor_registration-persons.csv")
    batch = read_kobo(path)
    assert batch.problems == [] and [names(s) for s in batch.submissions] == [["Riad", "Rana"], ["Nabil"]]


def test_a_kobo_xlsx_export_with_the_repeat_on_its_own_sheet(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    main = wb.active
    main.title = "Corridor registration"
    main.append(["gathering_point", "destination", "token", "meta/instanceID", "_id", "_uuid", "_index"])
    main.append(["GP-A", "RC-1", None, "uuid:4444-1", 1, "4444-1", 1])
    main.append(["GP-B", "any", None, "uuid:4444-2", 2, "4444-2", 2])
    persons = wb.create_sheet("persons")
    persons.append(["persons/name_latin", "persons/sex", "persons/birth_year", "persons/relationship", "_index",
                    "_parent_table_name", "_parent_index", "_submission__uuid"])
    persons.append(["Amal", "female", 1977, "head", 1, "Corridor registration", 1, "4444-1"])
    persons.append(["Fadi", "male", 2009, "son", 2, "Corridor registration", 1, "4444-1"])
    persons.append(["Sana", "female", 1990, "head", 3, "Corridor registration", 2, "4444-2"])
    path = tmp_path / "export.xlsx"
    wb.save(path)
    batch = read_kobo(path)
    assert batch.problems == []
    assert [(s.instance_id, names(s)) for s in batch.submissions] == [("uuid:4444-1", ["Amal", "Fadi"]),
                                                                      ("uuid:4444-2", ["Sana"])]
    assert batch.submissions[0].household["persons"][1]["birth_year"] == 2009


def test_an_edited_submission_replaces_the_one_it_deprecates(tmp_path):
    path = tmp_path / "edited.json"
    path.write_text(json.dumps([
        {"gathering_point": "GP-A", "persons": [{"persons/name_latin": "Adel"}], "meta/instanceID": "uuid:old"},
        {"gathering_point": "GP-A", "persons": [{"persons/name_latin": "Adil"}], "meta/instanceID": "uuid:new",
         "meta/deprecatedID": "uuid:old"},
    ]), encoding="utf-8")
    batch = read_kobo(path)
    (sub,) = batch.submissions
    assert (sub.instance_id, sub.deprecated_id, names(sub)) == ("uuid:new", "uuid:old", ["Adil"])
    assert batch.superseded == ["uuid:old"]


def test_a_person_token_on_two_submissions(tmp_path):
    path = tmp_path / "tokens.json"
    path.write_text(json.dumps([
        {"gathering_point": "GP-A", "persons": [{"persons/name_latin": "A", "persons/person_token": "PSYXHKBGG"}],
         "meta/instanceID": "uuid:a"},
        {"gathering_point": "GP-A", "persons": [{"persons/name_latin": "B", "persons/person_token": "psyxhkbgg"}],
         "meta/instanceID": "uuid:b"},
    ]), encoding="utf-8")
    batch = read_kobo(path)
    assert problems_of(batch) == [(2, "persons[1]/persons/person_token", "PSYXHKBGG")]
    assert batch.problems[0].kind == "duplicate"


def test_unreadable_exports_are_refused_whole(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"results": [', encoding="utf-8")
    with pytest.raises(BadInput, match="not a JSON export"):
        read_kobo(path)
    main = tmp_path / "main.csv"
    main.write_text("gathering_point,meta-instanceID\nGP-A,uuid:1\n", encoding="utf-8")
    repeat = tmp_path / "repeat.csv"
    repeat.write_text("name_latin\nAli\n", encoding="utf-8")
    with pytest.raises(BadInput, match="cannot join the repeat"):
        read_kobo(main, repeat)


def test_a_csv_without_person_columns_points_to_the_repeat_file():
    batch = read_kobo(CENTRAL / "corridor_registration.csv")
    assert batch.problems[0].column == "persons" and "repeat_path" in batch.problems[0].reason


def test_the_registration_service_takes_the_submissions(rt, op):
    from corridor.service.registration import register_households
    from corridor.service.recording import Meta

    batch = read_kobo(CENTRAL / "corridor_registration.csv", CENTRAL / "corridor_registration-persons.csv")
    items = [(Meta(command_id=s.command_id, actor="kobo"), s.household) for s in batch.submissions]
    assert [r.replayed for r in register_households(rt, items)] == [False, False]
    assert [r.replayed for r in register_households(rt, items)] == [True, True]

"""Reading CSV and spreadsheet registration lists: columns, HXL, mappings, every problem listed."""

from __future__ import annotations

import random
from datetime import date, datetime
from pathlib import Path

import pytest

from corridor.domain.errors import BadInput
from corridor.formats.tabular import (
    HXL_FIELDS,
    ImportBatch,
    household_fingerprint,
    hxl_field,
    load_mapping,
    read_rows,
    read_table,
)

DATA = Path(__file__).parent / "data"
HEADER = ["household", "gathering_point", "destination", "name_ar", "name_latin", "sex", "birth_year", "birth_date",
          "relationship", "mobility", "precedence", "vulnerabilities"]


def problems_of(batch: ImportBatch) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.value) for p in batch.problems]


def by_key(batch: ImportBatch) -> dict:
    return {h.key: h for h in batch.households}


# --- good files -------------------------------------------------------------------------------


def test_a_good_csv_gives_households_in_file_order_with_their_rows():
    batch = read_table(DATA / "households.csv")
    assert batch.problems == []
    assert batch.ok
    assert [h.key for h in batch.households] == ["F-001", "F-002", "F-003"]
    assert batch.rows == 6 and batch.persons == 6  # the blank row 7 is skipped
    f1, f2, f3 = batch.households
    assert f1.rows == [2, 3, 4]
    assert f1.household["gathering_point"] == "GP-A" and f1.household["destination"] == "RC-1"
    assert f1.household["token"] == "HR1DDE9X7"
    assert f1.household["person_tokens"] == ["PN31JD7W4", "PNQKEY060"]
    ahmad, fatima, omar = f1.household["persons"]
    assert ahmad == {"name_ar": "أحمد الحلبي", "name_latin": "Ahmad al-Halabi", "sex": "male", "birth_year": 1975,
                     "birth_date": None, "relationship": "head", "mobility": "walks", "precedence": "none",
                     "vulnerabilities": [], "links": [], "medical_notes": ""}
    assert (fatima["sex"], fatima["birth_date"], fatima["relationship"], fatima["vulnerabilities"]) == (
        "female", "1980-03-01", "spouse", ["pregnancy"])
    assert (omar["sex"], omar["mobility"], omar["vulnerabilities"]) == ("male", "needs_help",
                                                                       ["disability", "separated_child"])
    # persons with a pre-printed token first (the service pairs person_tokens with the first persons)
    assert f2.rows == [8, 5]
    assert f2.household["person_tokens"] == ["PR6MJS40Q"]
    maryam, khadija = f2.household["persons"]
    assert maryam["name_latin"] == "Maryam"
    assert (khadija["sex"], khadija["relationship"], khadija["mobility"], khadija["precedence"]) == (
        "female", "head", "stretcher", "urgent")
    assert khadija["vulnerabilities"] == ["older_person", "disability"]
    assert f2.household["destination"] is None  # "any"
    assert "token" not in f3.household and "person_tokens" not in f3.household
    assert f3.household["persons"][0]["name_latin"] == "Yusuf Haddad"  # spaces collapsed
    assert f1.command_id == "import:F-001"
    key, household = f1  # unpacks as (key, household)
    assert key == "F-001" and household is f1.household


def test_semicolons_a_bom_and_spelled_out_headers():
    batch = read_table(DATA / "households_semicolon_bom.csv")
    assert batch.problems == []
    assert batch.columns["Household ID"] == "household" and batch.columns["Year of birth"] == "birth_year"
    seven = by_key(batch)["7"].household
    assert [p["name_latin"] for p in seven["persons"]] == ["Samer", "Layla"]
    assert [p["sex"] for p in seven["persons"]] == ["male", "female"]


def test_tab_separated(tmp_path):
    path = tmp_path / "list.tsv"
    path.write_text("household\tgathering_point\tname_latin\trelationship\n1\tGP-A\tAli\thead\n"
                    "1\tGP-A\tHuda, Ali's wife\tspouse\n", encoding="utf-8")
    batch = read_table(path)
    assert batch.problems == []
    assert [p["name_latin"] for p in batch.households[0].household["persons"]] == ["Ali", "Huda, Ali's wife"]


def write_xlsx(path: Path, rows: list[list], sheet: str = "Registration", extra_sheet_first: bool = False):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    if extra_sheet_first:
        wb.active.title = "Notes"
        wb.active.append(["read me"])
        ws = wb.create_sheet(sheet)
    else:
        ws = wb.active
        ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)


def test_an_xlsx_list_with_numbers_and_date_cells(tmp_path):
    path = tmp_path / "list.xlsx"
    write_xlsx(path, [
        HEADER + ["person_token"],
        [101, "GP-A", "RC-1", "حسن", "Hassan", "Male", 1970, None, "head", "walks", "none", None, "PN31JD7W4"],
        [101, "GP-A", "RC-1", "سارة", "Sara", "Female", None, date(2005, 6, 1), "daughter", "walks", "none",
         "separated_child", None],
        [102.0, "GP-B", None, None, "Walid", "m", 1950.0, datetime(1950, 2, 3), "head", "stretcher", "priority",
         "older_person", None],
    ], extra_sheet_first=True)
    batch = read_table(path, sheet="Registration")
    assert batch.problems == []
    first, second = batch.households
    assert (first.key, second.key) == ("101", "102")
    assert first.rows == [2, 3]
    sara = first.household["persons"][1]
    assert (sara["birth_date"], sara["relationship"], sara["vulnerabilities"]) == ("2005-06-01", "child",
                                                                                   ["separated_child"])
    walid = second.household["persons"][0]
    assert (walid["birth_year"], walid["birth_date"], walid["mobility"]) == (1950, "1950-02-03", "stretcher")
    with pytest.raises(BadInput, match="no sheet 'Sheet9'"):
        read_table(path, sheet="Sheet9")


def test_an_xlsx_problem_names_the_spreadsheet_row(tmp_path):
    path = tmp_path / "list.xlsx"
    write_xlsx(path, [[], ["household", "gathering_point", "name_latin", "birth_year"], [1, "GP-A", "Ali", 1980.5]])
    batch = read_table(path)  # the header is on row 2 of the sheet
    assert problems_of(batch) == [(3, "birth_year", "1980.5")]


# --- HXL -------------------------------------------------------------------------------------


def test_an_hxl_tagged_list_is_read_by_its_hashtags():
    batch = read_table(DATA / "hxl_tagged.csv", reference_year=2016)
    assert batch.problems == []
    assert batch.hxl
    assert batch.columns == {"Family": "household", "Site": "gathering_point", "Reception": "destination",
                             "Full name (Arabic)": "name_ar", "Full name": "name", "Gender": "sex",
                             "DOB": "birth_date", "Age": "age", "Relation": "relationship", "Mobility": "mobility",
                             "MEDEVAC": "precedence", "Needs": "vulnerabilities", "Card": "person_token"}
    a1, b2 = batch.households
    assert a1.rows == [3, 4]  # the hashtag row is row 2, not data
    nour, zein = a1.household["persons"]
    assert (nour["name_ar"], nour["name_latin"], nour["birth_date"]) == ("نور", "Nour", "1985-07-15")
    assert zein["birth_year"] == 2010  # age 6 in 2016
    assert a1.household["person_tokens"] == ["PTTS6GQD6"]
    karim = b2.household["persons"][0]
    assert (karim["birth_year"], karim["precedence"], karim["vulnerabilities"]) == (1946, "priority",
                                                                                     ["older_person"])


def test_hashtags_without_a_human_header_row():
    batch = read_rows([["#household+code", "#loc+origin", "#respondee+name+i_en"], ["X", "GP-A", "Ali"]])
    assert batch.problems == [] and batch.households[0].rows == [2]
    assert batch.columns == {"#household+code": "household", "#loc+origin": "gathering_point",
                             "#respondee+name+i_en": "name_latin"}


@pytest.mark.parametrize("hashtag, expected", [
    ("#household+id", "household"),
    ("#HOUSEHOLD +Code", "household"),
    ("#respondee+name+i_ar", "name_ar"),
    ("#respondee +i_ar +name", "name_ar"),
    ("#respondee+name+ar", "name_ar"),
    ("#respondee+name+i_en", "name_latin"),
    ("#respondee+name", "name"),  # either script
    ("#respondee+sex", "sex"),
    ("#sex", "sex"),
    ("#date+birth", "birth_date"),
    ("#date+year+birth", "birth_year"),
    ("#respondee+age", "age"),
    ("#adm4+name", "gathering_point"),
    ("#adm4+code", "gathering_point"),
    ("#adm4+code+dest", "destination"),
    ("#loc+origin+code", "gathering_point"),
    ("#loc+dest+code", "destination"),
    ("#respondee+relationship", "relationship"),
    ("#indicator+mobility", "mobility"),
    ("#indicator+precedence", "precedence"),
    ("#severity+medevac", "precedence"),
    ("#respondee+vulnerability", "vulnerabilities"),
    ("#respondee+id", "person_token"),
    ("#meta+household+id", "household_token"),
    ("#household+id+token", "household_token"),
    ("#respondee", None),
    ("#org+name", None),
    ("not a hashtag", None),
])
def test_hxl_hashtags_match_ignoring_attribute_order_and_case(hashtag, expected):
    assert hxl_field(hashtag) == expected


def test_every_hashtag_of_the_registration_form_reads_as_its_field():
    xlsform = pytest.importorskip("corridor.formats.xlsform")
    tags = getattr(xlsform, "HXL_TAGS", {})
    for name, tag in tags.items():
        if name in ("start", "end"):
            continue
        expected = {"token": "household_token"}.get(name, name)
        assert hxl_field(tag) == expected, (name, tag)
    assert all(hxl_field(spec) == fld for spec, fld in HXL_FIELDS)


# --- mappings ---------------------------------------------------------------------------------

MAPPED = {"household": "K-1", "persons": ["Souad", "Rami"], "years": [1965, 1999]}


def check_mapped(batch: ImportBatch) -> None:
    assert batch.problems == []
    (k1,) = batch.households
    assert k1.key == "K-1" and k1.household["gathering_point"] == "GP-A"
    assert [p["name_latin"] for p in k1.household["persons"]] == ["Souad", "Rami"]
    assert [p["birth_year"] for p in k1.household["persons"]] == [1965, 1999]
    assert [p["relationship"] for p in k1.household["persons"]] == ["head", "child"]
    assert "Notes" in batch.ignored


def test_a_mapping_renames_the_file_headers():
    check_mapped(read_table(DATA / "mapped_headers.csv", {"Family ID": "household", "Site code": "gathering_point",
                                                          "born": "birth_year", "Relation to head": "relationship"}))


@pytest.mark.parametrize("name", ["mapping.json", "mapping.csv"])
def test_a_mapping_file(name):
    mapping = load_mapping(DATA / name)
    assert mapping == {"Family ID": "household", "Site code": "gathering_point", "Born": "birth_year",
                       "Relation to head": "relationship", "Notes": ""}
    check_mapped(read_table(DATA / "mapped_headers.csv", mapping))


def test_a_mapping_to_an_unknown_field_is_refused(tmp_path):
    with pytest.raises(BadInput, match="'Born' → 'year': not a corridor field"):
        read_table(DATA / "mapped_headers.csv", {"Born": "year"})
    bad = tmp_path / "bad.json"
    bad.write_text('{"Born": "year"}', encoding="utf-8")
    with pytest.raises(BadInput, match="not a corridor field"):
        load_mapping(bad)


def test_a_mapping_naming_a_column_the_file_lacks_says_so():
    batch = read_table(DATA / "mapped_headers.csv",
                       {"Family ID": "household", "Site": "gathering_point", "Site code": "ignore"})
    (problem,) = batch.problems
    assert (problem.row, problem.column, problem.kind) == (1, "gathering_point", "missing")
    assert "the mapping names 'Site', which the file does not have" in problem.reason


def test_a_mapping_can_name_a_hashtag():
    rows = [["a", "b", "c"], ["#x+id", "#loc+origin", "#respondee+name"], ["1", "GP-A", "Ali"]]
    batch = read_rows(rows, {"#x+id": "household"})
    assert batch.problems == [] and batch.households[0].key == "1"


def test_two_columns_read_as_one_field_is_a_problem():
    batch = read_rows([["household", "household_id", "gathering_point", "name"], ["1", "1", "GP-A", "Ali"]])
    assert problems_of(batch) == [(1, "household_id", "household_id")]
    assert "'household' and 'household_id' are both read as household" in batch.problems[0].reason


# --- bad files: every problem, with row, column, value and reason ------------------------------

BAD = {
    "bad_missing_columns.csv": [
        (1, "gathering_point", "", "no column for gathering_point"),
        (1, "name_latin", "", "no column for a name"),
        (2, "name_latin", "", "neither name_ar nor name_latin is given"),
    ],
    "bad_birth_year_not_whole.csv": [
        (3, "birth_year", "19.5", "must be a whole number"),
        (4, "birth_year", "about 1960", "must be a whole number"),
    ],
    "bad_malformed_date.csv": [
        (2, "birth_date", "1980-02-30", "not a real date"),
        (3, "birth_date", "15/03/1985", "not a date such as 1980-03-01 (for day/month/year give date_order='dmy')"),
        (4, "birth_date", "yesterday", "not a date such as 1980-03-01"),
    ],
    "bad_unknown_enum_values.csv": [
        (2, "sex", "x", "use one of female, male, unknown"),
        (3, "relationship", "boss", "use one of head, spouse, child, parent, sibling, grandchild, grandparent, "
                                    "other_relative, not_related"),
        (4, "mobility", "flies", "use one of walks, needs_help, stretcher"),
        (5, "precedence", "asap", "use one of urgent, priority, routine, none"),
        (6, "vulnerabilities", "disability hungry;tired", "'hungry', 'tired': not a known vulnerability; use "
                                                           "unaccompanied_child, separated_child, older_person, "
                                                           "disability, pregnancy"),
    ],
    "bad_household_rows_disagree.csv": [
        (3, "gathering_point", "GP-B", "household '1': gathering_point 'GP-B' disagrees with 'GP-A' on row 2"),
        (4, "destination", "RC-2", "household '1': destination 'RC-2' disagrees with 'RC-1' on row 2"),
    ],
    "bad_duplicate_person_token.csv": [
        (3, "person_token", "PFW24Y84H", "person token PFW24Y84H is also given on row 2"),
        (4, "person_token", "PFW24Y84X", "fails its check symbol"),
    ],
    "bad_row_without_name.csv": [
        (3, "name_latin", "", "neither name_ar nor name_latin is given"),
    ],
    "bad_empty_household_key.csv": [
        (3, "household", "", "the household key is empty"),
    ],
    "bad_two_heads.csv": [
        (3, "relationship", "head", "household '1' already has a head on row 2"),
    ],
    "bad_many_problems.csv": [
        (2, "sex", "robot", "not a known sex value"),
        (2, "birth_year", "nineteen", "must be a whole number"),
        (2, "birth_date", "1980-13-01", "not a real date"),
        (2, "vulnerabilities", "none-of-these", "not a known vulnerability"),
        (3, "household", "", "the household key is empty"),
        (3, "name_latin", "", "neither name_ar nor name_latin"),
        (4, "gathering_point", "", "household '2' has no gathering_point"),
    ],
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_every_problem_of_a_bad_file_is_listed(name):
    batch = read_table(DATA / name)
    expected = BAD[name]
    assert problems_of(batch) == [(r, c, v) for r, c, v, _ in expected]
    for problem, (_, _, _, reason) in zip(batch.problems, expected):
        assert reason in problem.reason, (problem, reason)
    assert not batch.ok
    assert all(str(p).startswith(f"row {p.row}, {p.column}") for p in batch.problems)


def test_problem_kinds():
    kinds = {(p.column, p.kind) for name in BAD for p in read_table(DATA / name).problems}
    assert ("gathering_point", "conflict") in kinds
    assert ("person_token", "duplicate") in kinds
    assert ("household", "missing") in kinds
    assert ("sex", "invalid") in kinds


def test_households_with_a_problem_are_marked():
    batch = read_table(DATA / "bad_household_rows_disagree.csv")
    assert [h.ok for h in batch.households] == [False]
    batch = read_table(DATA / "bad_duplicate_person_token.csv")
    assert [h.ok for h in batch.households] == [True, False, False]


def test_a_file_that_is_not_utf8_is_refused_whole():
    with pytest.raises(BadInput, match="line 2 is not UTF-8"):
        read_table(DATA / "bad_not_utf8.csv")
    batch = read_table(DATA / "bad_not_utf8.csv", encoding="latin-1")
    assert batch.households[0].household["persons"][0]["name_latin"] == "François"
    with pytest.raises(BadInput, match="cannot be read as ascii") as refused:  # an encoding that does not fit
        read_table(DATA / "bad_not_utf8.csv", encoding="ascii")
    assert refused.value.field == "file"


@pytest.mark.parametrize("encoding", ["no-such-encoding", "utf-8\x00", "rot13"])
def test_an_encoding_that_is_not_a_text_encoding_is_refused_naming_it(encoding):
    with pytest.raises(BadInput) as refused:
        read_table(DATA / "bad_not_utf8.csv", encoding=encoding)
    assert refused.value.field == "encoding" and str(refused.value).startswith("encoding: no text encoding is named")


def test_a_name_column_of_either_script_goes_to_the_right_field():
    batch = read_rows([["household", "gathering_point", "name", "name_latin"],
                       ["1", "GP-A", "علي الأحمد", ""], ["2", "GP-A", "Ali al-Ahmad", ""], ["3", "GP-A", "علي", "Ali"],
                       ["4", "GP-A", "Ali", "Aly"]])
    persons = [h.household["persons"][0] for h in batch.households]
    assert [(p["name_ar"], p["name_latin"]) for p in persons] == [
        ("علي الأحمد", ""), ("", "Ali al-Ahmad"), ("علي", "Ali"), ("", "Aly")]
    assert all("name" not in p for p in persons)


def test_an_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("\n\n", encoding="utf-8")
    batch = read_table(path)
    assert batch.households == [] and batch.problems[0].reason.startswith("the file is empty")


def test_day_first_dates_when_asked():
    rows = [["household", "gathering_point", "name_latin", "birth_date"], ["1", "GP-A", "Ali", "15/03/1985"]]
    assert read_rows(rows, date_order="dmy").households[0].household["persons"][0]["birth_date"] == "1985-03-15"
    assert read_rows(rows, date_order="mdy").problems[0].reason == "not a real date"


# --- identity and progress --------------------------------------------------------------------


def test_fingerprints_are_stable_and_follow_content(tmp_path):
    first = read_table(DATA / "households.csv")
    again = read_table(DATA / "households.csv")
    assert [h.fingerprint for h in first.households] == [h.fingerprint for h in again.households]
    assert first.households[0].fingerprint == household_fingerprint(first.households[0].household)
    text = (DATA / "households.csv").read_text(encoding="utf-8").splitlines()
    reordered = tmp_path / "reordered.csv"
    reordered.write_text("\n".join([text[0], text[3], text[2], text[1], *text[4:]]) + "\n", encoding="utf-8")
    assert by_key(read_table(reordered))["F-001"].fingerprint == first.households[0].fingerprint
    changed = tmp_path / "changed.csv"
    changed.write_text("\n".join(text).replace("Omar", "Umar") + "\n", encoding="utf-8")
    fps = {h.key: h.fingerprint for h in read_table(changed).households}
    assert fps["F-001"] != first.households[0].fingerprint
    assert fps["F-003"] == first.households[2].fingerprint


def test_progress_is_reported():
    rows = [["household", "gathering_point", "name_latin"]] + [[str(i // 3), "GP-A", f"P{i}"] for i in range(5000)]
    calls = []
    read_rows(rows, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (2000, 5001) and calls[-1] == (5001, 5001)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


# --- the service takes what the reader gives ---------------------------------------------------


def test_the_registration_service_takes_the_households_and_a_reimport_adds_nothing(rt, op):
    from corridor.service.registration import register_households
    from corridor.service.recording import Meta

    batch = read_table(DATA / "households.csv")
    assert batch.ok
    items = [(Meta(command_id=h.command_id, actor="import"), h.household) for h in batch.households]
    receipts = register_households(rt, items)
    assert [r.replayed for r in receipts] == [False, False, False]
    again = read_table(DATA / "households.csv")
    receipts = register_households(rt, [(Meta(command_id=h.command_id, actor="import"), h.household)
                                        for h in again.households])
    assert [r.replayed for r in receipts] == [True, True, True]


# --- speed ------------------------------------------------------------------------------------


def big_rows(n: int) -> list[list]:
    rng = random.Random(5)
    names = [("محمد", "Mohammed"), ("فاطمة", "Fatima"), ("أحمد", "Ahmad"), ("زينب", "Zainab"), ("عمر", "Omar")]
    rows, h = [], 0
    while len(rows) < n:
        h += 1
        gp = rng.choice(["GP-A", "GP-B"])
        for i in range(rng.randint(1, 9)):
            ar, la = rng.choice(names)
            rows.append([f"HH-{h:05d}", gp, "RC-1", f"{ar} {h}", f"{la} {h}",
                         rng.choice(["male", "female"]), rng.randint(1940, 2015), "",
                         "head" if i == 0 else "child", rng.choice(["walks", "walks", "needs_help"]), "none",
                         rng.choice(["", "", "disability", "older_person pregnancy"])])
    return rows[:n]


@pytest.mark.slow
def test_many_rows_read_alike_from_csv_and_xlsx(tmp_path):
    """20,000 rows (about 4,000 households) read alike from both formats; benchmarks/registry.py imports the
    demo's 100,000 persons from each and measures the seconds."""
    import csv

    import openpyxl  # a dependency of corridor: its absence is a broken install, not a skip

    rows = big_rows(20_000)
    csv_path = tmp_path / "big.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([HEADER, *rows])
    batch = read_table(csv_path)
    assert batch.ok and batch.rows == batch.persons == 20_000
    xlsx_path = tmp_path / "big.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("list")
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    wb.save(xlsx_path)
    xbatch = read_table(xlsx_path)
    assert xbatch.ok and [h.fingerprint for h in xbatch.households] == [h.fingerprint for h in batch.households]


def test_reading_a_list_does_the_same_work_per_row_at_any_size(tmp_path):
    """Linear, counted in calls (the same on every machine); benchmarks/registry.py measures the seconds."""
    import csv

    from tests.helpers import calls_made, grows_linearly

    calls = {}
    for n in (2_000, 8_000):
        path = tmp_path / f"{n}.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([HEADER, *big_rows(n)])
        batch, calls[n] = calls_made(read_table, path)
        assert batch.ok and batch.rows == n
    assert grows_linearly(calls[2_000], 2_000, calls[8_000], 8_000), calls

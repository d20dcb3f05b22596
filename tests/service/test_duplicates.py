"""Duplicates found before planning, resolved by a registrar through reversible ledger events."""

from types import SimpleNamespace

import pytest

from corridor.domain.errors import RuleRefused
from corridor.service import duplicates, movement, reports
from corridor.service.recording import Meta
from tests.conftest import person, register
from tests.helpers import nothing_changes, plan, planned_trip
from corridor.domain.permissions import Principal, Role

CONSOLE = Principal.console("tests")  # the operator's console: sees every field


def same_latin_name(records):
    """A stand-in matcher: records with the same Latin name and birth year are one person."""
    out = []
    for i, a in enumerate(records):
        for b in records[i + 1:]:
            if a["name_latin"] == b["name_latin"] and a["birth_year"] == b["birth_year"]:
                lo, hi = sorted((a["token"], b["token"]))
                out.append(SimpleNamespace(token_a=lo, token_b=hi, score=0.97, high=True,
                                           evidence={"name_latin": "equal", "birth_year": "equal"}))
    return out


@pytest.fixture
def twice(op):
    """Omar registered at two gathering points, and an unrelated household."""
    first = register(op, persons=[person("عمر الشامي", "Omar al-Shami", relationship="head", birth_year=1990)])
    second = register(op, gathering_point="GP-B",
                      persons=[person("عمر الشامى", "Omar al-Shami", relationship="head", birth_year=1990)])
    register(op)
    return op, first["persons"][0]["token"], second["persons"][0]["token"]


def test_a_check_records_the_candidates_and_planning_warns_until_resolved(twice):
    rt, a, b = twice
    r = duplicates.check(rt, Meta(), matcher=same_latin_name)
    assert r.type == "DuplicatesChecked" and r.data["persons_checked"] == 4
    listed = duplicates.candidates(rt, viewer=CONSOLE)
    assert [(p["a"]["token"], p["b"]["token"]) for p in listed["pairs"]] == [tuple(sorted((a, b)))]
    assert listed["pairs"][0]["evidence"] == {"name_latin": "equal", "birth_year": "equal"}
    warnings = plan(rt)["warnings"]
    assert any("1 likely duplicate pair(s) are unresolved" in w for w in warnings)


def test_planning_warns_when_nobody_checked(op):
    register(op)
    assert plan(op)["warnings"] == ["no duplicate check has been run on the 2 registered person(s)"]


def test_merging_folds_the_duplicate_into_the_person_and_undo_restores_it(twice):
    rt, a, b = twice
    duplicates.check(rt, Meta(), matcher=same_latin_name)
    assert reports.status(rt)["persons_registered"] == 4
    duplicates.merge(rt, Meta(), kept=a, duplicate=b, note="same person, two gathering points")
    assert reports.status(rt)["persons_registered"] == 3
    assert duplicates.candidates(rt, viewer=CONSOLE)["pairs"] == []
    data = plan(rt)
    planned = {p for t in data["trips"] for p in t["persons"]}
    assert a in planned and b not in planned
    assert not any("unresolved" in w for w in data["warnings"])
    duplicates.undo(rt, Meta(), a=a, b=b, note="two brothers after all")
    assert reports.status(rt)["persons_registered"] == 4
    assert [p["status"] for p in duplicates.candidates(rt, viewer=CONSOLE)["pairs"]] == ["open"]


def test_a_dismissed_pair_stays_dismissed_on_the_next_check(twice):
    rt, a, b = twice
    duplicates.check(rt, Meta(), matcher=same_latin_name)
    duplicates.dismiss(rt, Meta(), a=b, b=a, note="different mothers")
    duplicates.check(rt, Meta(), matcher=same_latin_name)
    assert duplicates.candidates(rt, viewer=CONSOLE)["pairs"] == []
    assert [p["status"] for p in duplicates.candidates(rt, viewer=CONSOLE, statuses=("dismissed",))["pairs"]] == ["dismissed"]


def test_refusals_change_nothing(twice):
    rt, a, b = twice
    duplicates.check(rt, Meta(), matcher=same_latin_name)
    with nothing_changes(rt), pytest.raises(RuleRefused, match="themselves"):
        duplicates.merge(rt, Meta(), kept=a, duplicate=a)
    with nothing_changes(rt), pytest.raises(RuleRefused, match="nothing was decided"):
        duplicates.undo(rt, Meta(), a=a, b=b)
    duplicates.dismiss(rt, Meta(), a=a, b=b)
    with nothing_changes(rt), pytest.raises(RuleRefused, match="already dismissed"):
        duplicates.merge(rt, Meta(), kept=a, duplicate=b)


def test_a_record_already_aboard_cannot_be_merged_away(twice):
    rt, a, b = twice
    plan(rt)
    trip = planned_trip(rt, b)
    movement.board(rt, Meta(), trip=trip, tokens=b)
    with nothing_changes(rt), pytest.raises(RuleRefused, match="boarded"):
        duplicates.merge(rt, Meta(), kept=a, duplicate=b)


def test_decisions_survive_a_rebuild(twice):
    rt, a, b = twice
    duplicates.check(rt, Meta(), matcher=same_latin_name)
    duplicates.merge(rt, Meta(), kept=a, duplicate=b)
    before = reports.views_snapshot(rt)
    reports.rebuild(rt)
    assert reports.views_snapshot(rt) == before


def test_the_api_lists_and_resolves_pairs(client, op):
    first = register(op, persons=[person("عمر", "Omar", relationship="head", birth_year=1990)])
    second = register(op, persons=[person("عمر", "Omar", relationship="head", birth_year=1990)])
    a, b = first["persons"][0]["token"], second["persons"][0]["token"]
    duplicates.check(op, Meta(), matcher=same_latin_name)
    (pair,) = client.get("/api/duplicates").json()["pairs"]
    assert pair["high"] and {pair["a"]["token"], pair["b"]["token"]} == {a, b}
    assert client.get("/api/duplicates", params={"limit": 1}).json()["total"] == 1
    too_few = client.get("/api/duplicates", params={"limit": 0})
    assert too_few.status_code == 422 and too_few.json()["field"] == "limit"
    r = client.post("/api/duplicates/merge", json={"kept": a, "duplicate": b})
    assert r.status_code == 201 and r.json()["type"] == "DuplicatesMerged"
    assert client.get("/api/duplicates").json()["pairs"] == []
    bad = client.post("/api/duplicates/dismiss", json={"a": a, "b": "P00000000"})
    assert bad.status_code == 404 and bad.json()["field"] == "b"


def test_the_real_matcher_finds_a_cross_script_duplicate_and_spares_siblings(op):
    family = register(op, persons=[
        person("أحمد محمد الحلبي", "Ahmad Mohammed al-Halabi", relationship="head", birth_year=1970),
        person("عمر أحمد الحلبي", "Omar Ahmad al-Halabi", relationship="child", birth_year=1998),
        person("خالد أحمد الحلبي", "Khaled Ahmad al-Halabi", relationship="child", birth_year=1999),
    ])
    again = register(op, gathering_point="GP-B", persons=[
        person("عمر احمد الحلبى", "Umar Ahmed el-Halabi", relationship="head", birth_year=1998)])
    r = duplicates.check(op, Meta())
    pairs = {(p["a"], p["b"]) for p in r.data["pairs"] if p["high"]}
    omar, khaled = family["persons"][1]["token"], family["persons"][2]["token"]
    assert tuple(sorted((omar, again["persons"][0]["token"]))) in pairs
    assert tuple(sorted((omar, khaled))) not in {(p["a"], p["b"]) for p in r.data["pairs"]}


def test_merging_two_unrelated_people_is_refused_saying_what_differs(op):
    omar = register(op, persons=[person("عمر الشامي", "Omar al-Shami", relationship="head", birth_year=1990)])
    lina = register(op, gathering_point="GP-B", persons=[
        person("لينا حداد", "Lina Haddad", sex="female", relationship="head", birth_year=1965)])
    a, b = omar["persons"][0]["token"], lina["persons"][0]["token"]
    duplicates.check(op, Meta(), matcher=same_latin_name)  # finds nothing: never a candidate
    with nothing_changes(op), pytest.raises(RuleRefused) as refused:
        duplicates.merge(op, Meta(), kept=a, duplicate=b)
    said = refused.value.detail
    assert refused.value.field == "duplicate" and "never found as a likely duplicate pair" in said
    for difference in ("Arabic name عمر الشامي / لينا حداد", "Latin name Omar al-Shami / Lina Haddad",
                       "birth year 1990 / 1965", "sex male / female", f"household {omar['token']} / {lina['token']}",
                       "gathering point GP-A / GP-B"):
        assert difference in said
    assert "--force" in said
    r = duplicates.merge(op, Meta(), kept=a, duplicate=b, note="one person, two names", force=True)
    assert r.type == "DuplicatesMerged" and reports.status(op)["persons_registered"] == 1


def test_a_candidate_pair_merges_without_force_and_an_unchecked_one_says_so(twice):
    rt, a, b = twice
    with nothing_changes(rt), pytest.raises(RuleRefused, match="never found") as refused:
        duplicates.merge(rt, Meta(), kept=a, duplicate=b)
    assert "Arabic name عمر الشامي / عمر الشامى" in refused.value.detail and "birth year" not in refused.value.detail
    duplicates.check(rt, Meta(), matcher=same_latin_name)
    assert duplicates.merge(rt, Meta(), kept=a, duplicate=b).type == "DuplicatesMerged"


def test_a_screenful_reads_only_the_pairs_it_shows_and_counts_the_rest(op, clock):
    """Five pairs (three registered at GP-A, two at GP-B): the highest scores first, or the latest decided first,
    `limit` at most with `total` counting every pair the viewer may see; a registrar limited to GP-B sees GP-B's."""
    names = [f"Person number {n}" for n in range(5)]
    for n, name in enumerate(names):
        site = "GP-A" if n < 3 else "GP-B"
        for _ in range(2):
            register(op, gathering_point=site, persons=[person("اسم", name, relationship="head", birth_year=1980)])

    def scored(records):  # the same Latin name: one pair, scored by the number in it (0.5 to 0.9)
        found = same_latin_name(records)
        for pair in found:
            latin = next(r["name_latin"] for r in records if r["token"] == pair.token_a)
            pair.score = 0.5 + int(latin.split()[-1]) / 10
        return found

    duplicates.check(op, Meta(), matcher=scored)
    top = duplicates.candidates(op, viewer=CONSOLE, limit=2)
    assert [p["score"] for p in top["pairs"]] == [0.9, 0.8] and top["total"] == 5
    gp_b = Principal("registrar-b", Role.REGISTRAR, sites=("GP-B",))
    mine = duplicates.candidates(op, viewer=gp_b, limit=1)
    assert [p["score"] for p in mine["pairs"]] == [0.9] and mine["total"] == 2
    assert duplicates.candidates(op, viewer=CONSOLE)["total"] == 5  # no limit: every pair, counted

    everyone = duplicates.candidates(op, viewer=CONSOLE)["pairs"]
    for p in sorted(everyone, key=lambda p: p["score"]):  # decided from the lowest score up, a minute apart
        clock.advance(1)
        duplicates.dismiss(op, Meta(), a=p["a"]["token"], b=p["b"]["token"])
    latest = duplicates.candidates(op, viewer=CONSOLE, statuses=("merged", "dismissed"), limit=3, latest_first=True)
    assert [p["score"] for p in latest["pairs"]] == [0.9, 0.8, 0.7] and latest["total"] == 5
    assert duplicates.candidates(op, viewer=gp_b, statuses=("dismissed",), latest_first=True)["total"] == 2

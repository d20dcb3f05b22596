"""Encryption at rest: personal data sealed in the ledger and the views, opened only with the key."""

import base64
import json

import pytest
from sqlalchemy import select, text

from corridor.bootstrap import bootstrap
from corridor.service import registration, reports, setup
from corridor.store import queries as q
from corridor.store.crypto import KeyUnavailable, SealBroken
from corridor.store.tables import household_keys, ledger, name_index, persons
from tests.helpers import CONSOLE
from tests.conftest import SMALL_SPEC, person, register
from tests.rawdb import is_postgresql, raw_bytes, tamperer

NAMES = ["Zuhair Qabbani", "Ghufran Tellawi", "زهير قباني", "غفران تلاوي"]


def _distinctive(rt) -> dict:
    return register(rt, persons=[
        person(NAMES[2], NAMES[0], relationship="head", birth_year=1979, birth_date="1979-04-11", medical_notes="insulin twice a day",
               vulnerabilities=["disability"]),
        person(NAMES[3], NAMES[1], sex="female", relationship="spouse")])


def _raw_bytes(rt) -> bytes:
    return raw_bytes(rt)


def _key_taken_away(rt, tmp_path, templates) -> tuple[str, str]:
    """The database of `rt` with its master key moved to elsewhere.key: (the database, where the key was looked
    for as a message names it). A database by URL never had a key file: its key is only written out."""
    if is_postgresql(rt):
        (tmp_path / "elsewhere.key").write_text(base64.b64encode(templates.key).decode() + "\n", encoding="ascii")
        return rt.db.url, "CORRIDOR_KEY"
    (tmp_path / "corridor.key").rename(tmp_path / "elsewhere.key")
    return str(tmp_path / "test.db"), "corridor.key"


def test_personal_fields_round_trip_through_the_ledger_and_the_views(op):
    family = _distinctive(op)
    head = registration.describe(op, family["persons"][0]["token"], viewer=CONSOLE)
    assert (head["name_ar"], head["name_latin"], head["birth_date"]) == (NAMES[2], NAMES[0], "1979-04-11")
    assert head["vulnerabilities"] == ["disability"]
    with op.reading() as uow:
        (row,) = [m for m in q.household_members(uow.conn, family["token"]) if m.token == head["token"]]
        assert row.medical_notes == "insulin twice a day" and not row.erased
        (entry,) = [e for e in uow.conn.execute(select(ledger)).all() if e.type == "HouseholdRegistered"]
    from corridor.store.ledger import _entry

    event, seals = _entry(entry).opened(op.db.reader.connect(), op.vault)
    assert event.persons[0].name_latin == NAMES[0] and event.persons[0].medical_notes == "insulin twice a day"


def test_no_name_is_in_the_payloads_the_views_or_the_raw_file_and_its_log(op):
    family = _distinctive(op)
    with op.reading() as uow:
        payloads = " ".join(uow.conn.execute(select(ledger.c.payload)).scalars())
        views = json.dumps(reports.views_snapshot(op), default=str, ensure_ascii=False)
    raw = _raw_bytes(op)
    for name in [*NAMES, "insulin", "1979-04-11", "disability"]:
        assert name not in payloads and name not in views
        assert name.encode("utf-8") not in raw
    assert '"sealed":"enc:v1:' + family["token"] in payloads


def test_verify_and_counts_need_no_key_but_names_are_refused_naming_the_key(op, tmp_path, monkeypatch,
                                                                            database_templates):
    _distinctive(op)
    op.db.dispose()
    db, where = _key_taken_away(op, tmp_path, database_templates)
    locked = bootstrap(db)
    try:
        assert reports.verify(locked).ok
        assert reports.status(locked)["persons"]["waiting"] == 2
        with pytest.raises(KeyUnavailable, match=where):
            registration.find_by_name(locked, "Zuhair", viewer=CONSOLE)
        with locked.reading() as uow:
            household = uow.conn.execute(select(persons.c.household)).scalar()
            with pytest.raises(KeyUnavailable, match="Restore the key file"):
                q.household_members(uow.conn, household)
        with pytest.raises(KeyUnavailable):  # nothing is ever recorded unencrypted
            register(locked)
    finally:
        locked.db.dispose()
    monkeypatch.setenv("CORRIDOR_KEY_FILE", str(tmp_path / "elsewhere.key"))
    again = bootstrap(db)
    assert registration.find_by_name(again, "Zuhair", viewer=CONSOLE)
    again.db.dispose()


def test_a_wrong_key_is_refused_before_anything_is_read(op, tmp_path, monkeypatch):
    _distinctive(op)
    op.db.dispose()
    monkeypatch.setenv("CORRIDOR_KEY", base64.b64encode(b"k" * 32).decode())
    wrong = bootstrap(op.db.url)
    try:
        assert reports.verify(wrong).ok
        with pytest.raises(KeyUnavailable, match="not the key this database was sealed with"):
            registration.find_by_name(wrong, "Zuhair", viewer=CONSOLE)
    finally:
        wrong.db.dispose()


def test_a_tampered_ciphertext_is_refused(op):
    family = _distinctive(op)
    token = family["persons"][0]["token"]
    with tamperer(op) as raw:
        sealed = raw.execute(text("SELECT sealed FROM persons WHERE token = :t"), {"t": token}).scalar()
        body = bytearray(base64.b64decode(sealed.rsplit(":", 1)[1]))
        body[20] ^= 1
        raw.execute(text("UPDATE persons SET sealed = :s WHERE token = :t"),
                    {"s": sealed.rsplit(":", 1)[0] + ":" + base64.b64encode(bytes(body)).decode(), "t": token})
    op.vault.forget()
    with pytest.raises(SealBroken, match=family["token"]):
        registration.describe(op, token, viewer=CONSOLE)


def test_a_sealed_value_moved_to_another_person_is_refused(op):
    family = _distinctive(op)
    a, b = (p["token"] for p in family["persons"])
    with tamperer(op) as raw:
        raw.execute(text("UPDATE persons SET sealed = (SELECT sealed FROM persons WHERE token = :a) WHERE token = :b"),
                    {"a": a, "b": b})
    with pytest.raises(SealBroken):
        registration.describe(op, b, viewer=CONSOLE)


def test_a_household_is_found_by_name_in_either_script_through_the_blind_index(op):
    family = _distinctive(op)
    register(op)  # the al-Halabi family
    for typed in ("Zuhair", "zuhayr qabani", "زهير", "Qabbani Zuhair"):
        (found,) = registration.find_by_name(op, typed, viewer=CONSOLE)
        assert found["token"] == family["token"] and found["matched"] == [family["persons"][0]["token"]]
        assert found["persons"][0]["name_latin"] == NAMES[0]
    assert registration.find_by_name(op, "Ghufran Qabbani", viewer=CONSOLE) == []  # every part in one person
    with op.reading() as uow:
        terms = list(uow.conn.execute(select(name_index.c.term)).scalars())
    assert terms and all(len(t) == 32 and "QBN" not in t for t in terms)


def test_a_name_typed_partly_in_each_script_is_read_as_a_name_in_each(op):
    family = _distinctive(op)
    head = family["persons"][0]["token"]
    for typed in ("Zuhair قباني", "زهير Qabbani", "Zuhairقباني"):
        (found,) = registration.find_by_name(op, typed, viewer=CONSOLE)
        assert found["token"] == family["token"] and found["matched"] == [head]
    # every part in one person: the Latin part is looked for too (it was dropped once a text held Arabic)
    assert registration.find_by_name(op, "Ghufran قباني", viewer=CONSOLE) == []


def test_a_name_with_no_consonant_that_sounds_finds_nobody(op):
    family = register(op, persons=[person("آية قباني", "Aya Qabbani", relationship="head")])
    for typed in ("Aya", "آية", "ع", "1979", "-"):  # names are indexed by their consonants' sound only
        assert registration.find_by_name(op, typed, viewer=CONSOLE) == []
    (found,) = registration.find_by_name(op, "Aya Qabbani", viewer=CONSOLE)
    assert found["token"] == family["token"]


def test_each_household_has_its_own_wrapped_data_key(op):
    a, b = _distinctive(op), register(op)
    with op.reading() as uow:
        rows = {r.household: r.wrapped for r in uow.conn.execute(select(household_keys)).all()}
    assert set(rows) == {a["token"], b["token"]} and rows[a["token"]] != rows[b["token"]]


def test_a_fresh_database_file_gets_its_key_file_once(tmp_path, capsys):
    rt = bootstrap(tmp_path / "fresh.db")
    rt.db.dispose()
    key = tmp_path / "corridor.key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert "NEW MASTER KEY" in capsys.readouterr().err
    rt = bootstrap(tmp_path / "fresh.db")
    setup.load_setup(rt, SMALL_SPEC)
    rt.db.dispose()
    assert "NEW MASTER KEY" not in capsys.readouterr().err


def test_a_database_by_url_without_the_key_variables_records_nothing_personal(tmp_path, monkeypatch):
    monkeypatch.delenv("CORRIDOR_KEY", raising=False)
    monkeypatch.delenv("CORRIDOR_KEY_FILE", raising=False)
    rt = bootstrap(tmp_path / "u.db")
    rt.db.dispose()
    (tmp_path / "corridor.key").unlink()
    from corridor.store.crypto import find_key

    assert find_key("postgresql://x@y/z") == (None, "$CORRIDOR_KEY or $CORRIDOR_KEY_FILE (required for a database "
                                                    "given by URL)")

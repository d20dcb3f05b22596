"""The printed papers in Arabic and English as a reader sees them: every line of an Arabic paper right to left,
times and codes kept whole and in order inside it, counts with thousands separators, times said in UTC."""

from __future__ import annotations

import pytest

from corridor.formats.papers.manifest import paper as manifest_paper
from corridor.formats.papers.manifest import render_manifest
from corridor.formats.papers.notification import paper as notification_paper
from corridor.formats.papers.notification import render_notification
from corridor.formats.shaping import left_to_right, number, utc_time, visual_text
from corridor.formats.sitrep import render_pdf
from tests.formats.printed import printed_texts

SITES = [{"code": "GP-A", "name_en": "Gathering A", "name_ar": "نقطة التجمع أ"},
         {"code": "CP-1", "name_en": "Checkpoint 1", "name_ar": "حاجز ١"},
         {"code": "RC-1", "name_en": "Reception 1", "name_ar": "مركز استقبال ١"}]
OPERATION = {"name_en": "Test evacuation", "name_ar": "إجلاء تجريبي"}


def manifest(**times) -> dict:
    return {
        "trip": "T00006", "convoy": "C1-1", "state": "departed", "operation": OPERATION, "route": SITES,
        "vehicle": {"code": "BUS-18", "kind": "bus", "plate": "SARC-B118", "driver": "Rami Saleh", "operator": "SARC"},
        "times": {"depart_at": "2016-12-15T03:20:00+00:00", "arrive_at": "2016-12-15T04:55:00+00:00",
                  "departed_at": "2016-12-15T03:20:00+00:00", "arrived_at": None, **times},
        "persons": [{"token": "P7K3M9QX4", "name_ar": "محمد الحلبي", "name_latin": "Mohammed al-Halabi", "sex": "male",
                     "age": 36, "precedence": "none", "stretcher": False, "state": "boarded"}],
        "sign_offs": {"departure": None, "arrival": None, "scanned_in": 0},
    }


def notification(**over) -> dict:
    return {
        "scope": "convoy C1-1", "issued_at": "2016-12-15T06:00:00+02:00", "organisation": "SARC", "contact": "ops room",
        "operation": OPERATION, "date": "2016-12-15",
        "window": {"from": "2016-12-15T08:00:00+00:00", "to": "2016-12-15T09:35:00+00:00", "corridor_open": []},
        "notice": {"lead_hours": 4.0, "required_hours": 48, "emergency": False, "short": True},
        "warnings": [], "convoys": ["C1-1"],
        "routes": [{"trips": ["T00001"], "waypoints": [dict(s, kind="checkpoint", lat=36.1, lon=37.1) for s in SITES]}],
        "vehicles": [{"convoy": "C1-1", "trip": "T00001", "vehicle": "BUS-01", "plate": "SARC-B101", "type": "bus",
                      "marking": "SARC", "private": False, "persons": 1234, "staff": 1, "origin": "GP-A",
                      "destination": "RC-1", "depart_at": "2016-12-15T08:00:00+00:00", "arrive_at": None}],
        "totals": {"vehicles": 1, "persons": 1234, "staff": 1, "private_vehicles": 0},
        **over,
    }


def _cell(texts, *within: str) -> str:
    """The one text drawn that holds every piece of `within`."""
    found = [t for _, t in texts if all(w in t for w in within)]
    assert len(found) == 1, (within, found)
    return found[0]


def test_arabic_times_read_left_to_right_and_departure_stands_first_on_the_right(monkeypatch):
    with printed_texts(monkeypatch) as texts:
        render_manifest(manifest(), langs=("ar",), printed="2016-12-15T05:00:00+00:00")
    # the label says departure / arrival, right to left: the departure on the right, each time in its own order
    # (before: '٠٣:٢٠ ١٥-١٢-٢٠١٦ UTC / ٠٤:٥٥ ١٥-١٢-٢٠١٦ UTC', the arrival read first)
    assert _cell(texts, "٠٤:٥٥") == "٢٠١٦-١٢-١٥ ٠٤:٥٥ UTC / ٢٠١٦-١٢-١٥ ٠٣:٢٠ UTC"
    # departed, not arrived: the dash on the left, where the arrival stands (before: 'departed –, arrived 03:20')
    assert "– / ٢٠١٦-١٢-١٥ ٠٣:٢٠ UTC" in [t for _, t in texts]


def test_english_times_are_unchanged(monkeypatch):
    with printed_texts(monkeypatch) as texts:
        render_manifest(manifest(), langs=("en",), printed="2016-12-15T05:00:00+00:00")
    assert _cell(texts, "04:55") == "2016-12-15 03:20 UTC / 2016-12-15 04:55 UTC"
    assert "2016-12-15 03:20 UTC / –" in [t for _, t in texts]


def test_codes_keep_their_latin_digits_in_the_arabic_footer(monkeypatch):
    with printed_texts(monkeypatch) as texts:
        render_manifest(manifest(), langs=("ar",), printed="2016-12-15T05:00:00+00:00")
    footer = _cell(texts, "corridor")
    # before: the whole footer's digits were made Arabic, the code torn in two ('T٢ … ٠٠٠٠٦') by the page number
    assert "T00006" in footer and "T٠" not in footer
    assert footer.startswith("١ · ") and footer.endswith(" · corridor")  # read right to left: corridor first


def test_a_time_given_in_another_zone_is_printed_in_utc(monkeypatch):
    d = notification()  # issued at 06:00 +02:00, 04:00 UTC
    assert "04:00 UTC" in notification_paper(d, "en").subtitle  # before: '06:00 UTC', two hours off
    assert utc_time("2016-12-15T06:00:00+02:00", "ar").count("٠٤:٠٠") == 1


def test_counts_have_thousands_separators_in_both_languages(monkeypatch):
    d = notification()
    facts = notification_paper(d, "en").blocks[0].tables[0].rows
    assert dict(map(tuple, facts))["Vehicles / persons / staff"] == "1 / 1,234 / 1"  # before: '1234'
    assert number(1234, "ar") == "١٬٢٣٤"
    with printed_texts(monkeypatch) as texts:
        render_notification(d, langs=("ar",))
    assert "١٬٢٣٤" in [t for _, t in texts]  # the vehicle's persons, in the Arabic table


def test_an_arabic_window_reads_from_the_first_departure_on_the_right(monkeypatch):
    with printed_texts(monkeypatch) as texts:
        render_notification(notification(), langs=("ar",))
    # from – to, right to left: 08:00 on the right (before: the line ran left to right, 09:35 read first)
    assert _cell(texts, "٠٩:٣٥") == "٢٠١٦-١٢-١٥ ٠٩:٣٥ UTC – ٢٠١٦-١٢-١٥ ٠٨:٠٠ UTC"
    date = [t for _, t in texts if t == "٢٠١٦-١٢-١٥"]
    assert date  # the date in its order (before: '١٥-١٢-٢٠١٦')


def test_a_line_of_an_arabic_paper_runs_right_to_left_whatever_it_starts_with():
    # the end of a wrapped Arabic sentence '(… والمصداقية 1-6).': the full stop ends it, on the left
    assert visual_text("1-6).", rtl=True) == ".(1-6"
    assert visual_text("1-6).") == "1-6)."  # an English line, as before
    assert visual_text("C1-1, C1-2", rtl=True) == "C1-1, C1-2"


def _sitrep(plan_made_at: str) -> dict:
    counts = dict.fromkeys(("registered", "departed", "arrived", "held", "trips", "convoys"), 12345)
    return {"operation": OPERATION, "date": "2016-12-16", "today": counts, "since_start": counts, "halts": [],
            "plan": {"made_at": plan_made_at, "finish_at": plan_made_at, "lower_bound_at": plan_made_at},
            "picture": {"as_of": "2016-12-16T23:59:00+00:00", "metrics": [],
                        "operation_state": {"claims": [], "contradiction": False, "ledger": None}}}


def test_the_arabic_sitrep_prints_times_in_order_and_every_line_right_to_left(monkeypatch):
    with printed_texts(monkeypatch) as texts:
        render_pdf(_sitrep("2016-12-19T07:00:00+00:00"), "ar")
    drawn = [t for _, t in texts]
    assert "٢٠١٦-١٢-١٩ ٠٧:٠٠ UTC" in drawn  # before: '٠٧:٠٠ ١٩-١٢-٢٠١٦ UTC'
    assert "١٢٬٣٤٥" in drawn
    footer = _cell(texts, "ﺀﺎﻤﺳﺃ")  # 'أسماء' shaped: the footer, ending with its full stop on the left
    assert footer.startswith("١ · .")  # its page number, then its full stop, on the left


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_bidi_mark_is_drawn_as_a_character(monkeypatch, lang):
    with printed_texts(monkeypatch) as texts:
        render_manifest(manifest(), langs=(lang,), printed="2016-12-15T05:00:00+00:00")
        render_notification(notification(), langs=(lang,))
        render_pdf(_sitrep("2016-12-19T07:00:00+00:00"), lang)
    marks = set("\u200e\u200f\u2066\u2067\u2068\u2069\ufffd?")
    assert not [t for _, t in texts if marks & set(t)]


def test_the_sitrep_writer_sets_every_arabic_line_right_to_left(monkeypatch):
    from corridor.formats.sitrep.document import Document, Section
    from corridor.formats.sitrep.pdf import render_document

    doc = Document("ar", "تقرير الوضع", "", [Section("ما يذكره الآخرون", ["1-6)."])], "أرقام إجمالية فقط.")
    with printed_texts(monkeypatch) as texts:
        render_document(doc)
    assert ".(1-6" in [t for _, t in texts]  # the wrapped end of a sentence; before: '1-6).', the stop first


def test_a_long_sitrep_cell_is_broken_onto_lines_never_cut(monkeypatch):
    from corridor.formats.sitrep.document import Document, Section
    from corridor.formats.sitrep.pdf import render_document

    far = "٢٠١٦-١٢-١٦ ١٦:٠٠ UTC · بعيد عن السجل"  # a claim's time, and that it is far from the record
    doc = Document("ar", "تقرير الوضع", "", [Section("ما يذكره الآخرون", [], [(
        ["المصدر", "النوع", "الرقم", "التصنيف", "تاريخ الذكر"],
        [["State news agency", "إعلام", "أكثر من ٨٬٠٠٠", "C3", far]])])], "أرقام إجمالية فقط.")
    with printed_texts(monkeypatch) as texts:
        render_document(doc)
    drawn = [t for _, t in texts]
    assert not [t for t in drawn if "…" in t]  # before: 'UTC ١٧:٣٠ … · بعيد عن ال…'
    assert any(visual_text("السجل") in t for t in drawn)
@pytest.mark.parametrize("lang, now", [("en", "Arrived"), ("ar", visual_text("تمّ الوصول"))])
def test_a_long_cell_is_broken_onto_lines_never_cut(monkeypatch, lang, now):
    m = manifest()
    m["persons"][0].update(state="arrived", on_this_trip={"kind": "held", "at": "CP-RAM"})
    with printed_texts(monkeypatch) as texts:
        render_manifest(m, langs=(lang,), printed="2016-12-15T05:00:00+00:00")
    drawn = [t for _, t in texts]
    # the person's fate: held on this trip, and where they are now (before: 'Held at the checkpoint (CP-RAM) · n…')
    assert not [t for t in drawn if "…" in t]
    assert all(any(word in t for t in drawn) for word in now.split()) and any("CP-RAM" in t for t in drawn)


@pytest.mark.parametrize("n", [1, 3, 12, 150])
def test_the_arabic_sign_off_counts_as_label_and_number(n):
    # 'شخصًا' agrees only with 11 to 99: '٣ شخصًا' is wrong Arabic; 'label: number' needs no agreement (as the sitrep)
    m = manifest()
    m["sign_offs"]["departure"] = {"by": "marshal", "at": "2016-12-15T03:20:00+00:00", "persons": n}
    rows = manifest_paper(m, "ar", "2016-12-15T05:00:00+00:00").blocks[2].tables[0].rows
    said = rows[0][1]
    assert "شخصًا" not in said and said.endswith(f"عدد الأشخاص: {number(n, 'ar')}")
    english = manifest_paper(m, "en", "2016-12-15T05:00:00+00:00").blocks[2].tables[0].rows[0][1]
    assert english.endswith(f"persons: {number(n, 'en')}")  # before: '1 persons'


def test_sitrep_columns_are_as_wide_as_what_they_hold():
    from corridor.formats.sitrep.pdf import _widths

    header = ["Source", "Kind", "Figure", "Grading", "Reported"]
    rows = [["ICRC", "humanitarian", "10,000", "B2", "2016-12-16 18:30 UTC · far from the record"]]
    widths = _widths(header, rows)
    # before: equal shares, and a claim's time and note broken onto three lines beside an empty grading column
    assert widths[4] > 3 * widths[3] and widths[1] > widths[3]


def test_arabic_decimals_have_the_arabic_decimal_separator():
    route = notification_paper(notification(), "ar").blocks[1].tables[0].rows[0]
    # coordinates are typed into a GPS as printed: Latin digits, kept whole, on the Arabic paper too
    # (before: '٣٦٫١٠٠٠٠', '٣٧٫١٠٠٠٠')
    assert route[-2:] == [left_to_right("36.10000"), left_to_right("37.10000")]
    facts = dict(map(tuple, notification_paper(notification(), "ar").blocks[0].tables[0].rows))
    assert facts["مدة الإشعار"].startswith("٤٫٠ ساعة")


def test_a_private_vehicles_operator_is_said_in_the_papers_language():
    m = {**manifest(), "private": True}
    m["vehicle"] = {**m["vehicle"], "kind": "car", "operator": "private"}  # as the record keeps it
    facts = dict(map(tuple, manifest_paper(m, "ar", "2016-12-15T05:00:00+00:00").blocks[0].tables[0].rows))
    assert facts["الجهة المشغّلة"] == "خاصة (بلا جهة مشغّلة)"  # before: 'private', in English on the Arabic paper


@pytest.mark.parametrize("lang, said", [("en", "Burned: on the Idlib road"), ("ar", "أُحرقت: on the Idlib road")])
def test_a_road_incident_is_said_in_the_papers_language(lang, said):
    m = {**manifest(), "road": {"turned_back_at_checkpoint": None, "incident": "burned", "note": "on the Idlib road"}}
    rows = manifest_paper(m, lang, "2016-12-15T05:00:00+00:00").blocks[0].tables[0].rows
    assert rows[-1][1] == said  # before: 'burned: …', the record's code, in English on the Arabic paper too


def test_the_checkpoint_that_turned_a_trip_back_is_named_in_the_papers_language():
    m = {**manifest(), "road": {"turned_back_at_checkpoint": "CP-1", "incident": None, "note": "not allowed through"}}
    ar = manifest_paper(m, "ar", "2016-12-15T05:00:00+00:00").blocks[0].tables[0].rows[-1][1]
    assert ar.startswith("أُعيدت عند حاجز ١ (") and "CP-1" in ar.replace("\u200e", "")  # before: the code alone, 'أُعيدت عند CP-1'
    en = manifest_paper(m, "en", "2016-12-15T05:00:00+00:00").blocks[0].tables[0].rows[-1][1]
    assert en == "turned back at Checkpoint 1 (CP-1): not allowed through"


def test_the_notification_the_parties_receive_names_no_command_line_option(monkeypatch):
    from corridor.service.notifications import NO_CONTACT

    d = notification(contact=None, warnings=[NO_CONTACT])
    with printed_texts(monkeypatch) as texts:
        render_notification(d, langs=("en",))
    drawn = " ".join(t for _, t in texts)
    assert "no contact given" in drawn and "--contact" not in drawn  # before: '… about this movement (--contact)'

"""The boarding desk in a real browser (Debian's chromium through Playwright) against corridor under uvicorn:
typed scans in English and Arabic, the camera reading a QR code corridor printed (Chromium's fake camera), scans
made offline and sent when the connection returns (each recorded once), departing; axe-core on the page.

One operation and one server for the module; each test boards households of its own."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from corridor.domain.permissions import Principal, Role
from corridor.service import desk as desk_service
from corridor.service import planning, reports
from corridor.service.recording import Meta
from corridor.store.tables import ledger
from tests.conftest import register
from tests.web.desk_support import (ARGS, CHROMIUM, WAIT_MS, need_chromium, no_serious_violations, qr_video,
                                    screenshots, served, sign_in)

pytestmark = pytest.mark.browser
MARSHAL = "boarding_marshal"


@pytest.fixture(scope="module")
def desk(tmp_path_factory, database_templates):
    """The small operation with households at GP-A and GP-B, planned; the runtime on the real clock (a browser
    stamps its scans with the real time) and a server for it."""
    need_chromium()
    folder = tmp_path_factory.mktemp("desk-boarding")
    runtime = database_templates.open("operation", folder, seed=7)
    for _ in range(7):  # four trips leave GP-A (two buses, the ambulance twice), one GP-B
        register(runtime, gathering_point="GP-A")
    for _ in range(3):
        register(runtime, gathering_point="GP-B")
    planning.plan(runtime, Meta())
    with served(runtime) as base:
        yield {"rt": runtime, "base": base}





def waiting_households(rt, origin: str) -> dict[str, list[dict]]:
    """{trip: [the manifest lines of persons assigned, not yet aboard]} of the trips loading at `origin`."""
    out = {}
    for trip in reports.trips(rt):
        if trip["origin"] == origin and trip["state"] in ("planned", "boarding"):
            lines = [p for p in reports.manifest(rt, trip["id"]) if p["state"] == "assigned"]
            if lines:
                out[trip["id"]] = lines
    return out


def a_household(rt, origin: str, taken: set[str]) -> tuple[str, str]:
    """(trip, household token) of a household assigned and waiting at `origin` that no test has used."""
    for trip, lines in waiting_households(rt, origin).items():
        for line in lines:
            if line["household"] not in taken:
                taken.add(line["household"])
                return trip, line["household"]
    raise AssertionError(f"no household left waiting at {origin}")


TAKEN: set[str] = set()


def answer_of(page) -> tuple[str, str]:
    page.wait_for_selector("#answer:not([hidden])", timeout=WAIT_MS)
    return page.get_attribute("#answer", "data-outcome"), page.text_content("#answer")


def scan_typed(page, token: str) -> tuple[str, str]:
    page.evaluate("() => { const a = document.getElementById('answer'); a.hidden = true; a.dataset.outcome = ''; }")
    page.fill("#token", token)
    page.click("#scan-form button[type=submit]")
    return answer_of(page)


def boarded_events(rt) -> Counter:
    """How many times each person appears in a PersonsBoarded event of the ledger."""
    with rt.reading() as uow:
        rows = uow.conn.execute(select(ledger.c.payload).where(ledger.c.type == "PersonsBoarded")).all()
    return Counter(token for (payload,) in rows for token in json.loads(payload)["persons"])


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_boarding_a_household_by_typed_token(desk_browser, desk, shots, lang):
    rt, base = desk["rt"], desk["base"]
    trip, household = a_household(rt, "GP-A", TAKEN)
    context = desk_browser.new_context(viewport={"width": 390, "height": 844})
    page = sign_in(context, base, MARSHAL, "/desk/boarding", lang=lang)
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    # from the gathering point to the destination, the arrow pointing the way the line reads
    assert ("←" if lang == "ar" else "→") in page.text_content(f"li[data-trip='{trip}'] a")
    page.click(f"li[data-trip='{trip}'] a")
    page.wait_for_selector(f"#scan[data-trip='{trip}']")

    outcome, text = scan_typed(page, household)
    assert outcome == "accepted", text
    assert ("مقبول" if lang == "ar" else "Accepted") in text
    page.wait_for_function("(n) => document.querySelectorAll('#manifest tbody tr.state-boarded').length >= n",
                           arg=2, timeout=WAIT_MS)
    assert "الحلبي" in page.text_content("#manifest") if lang == "ar" else "al-Halabi" in page.text_content("#manifest")

    outcome, _ = scan_typed(page, household)
    assert outcome == "already_aboard"
    outcome, _ = scan_typed(page, "P0000000" + "0")
    assert outcome == "not_registered"
    assert boarded_events(rt)[reports.manifest(rt, trip)[0]["token"]] <= 1

    others = {t: lines for t, lines in waiting_households(rt, "GP-A").items() if t != trip}
    if others:  # a household assigned to another trip leaving from here: the answer names the right trip
        other_trip, lines = next(iter(others.items()))
        outcome, text = scan_typed(page, lines[0]["token"])
        assert outcome == "wrong_trip" and other_trip in text

    no_serious_violations(page)
    screenshots(page, shots, f"boarding-{lang}")
    # remembered: the language chosen comes back without ?lang=
    page.goto(f"{base}/desk/boarding")
    assert page.get_attribute("html", "lang") == lang
    context.close()


def test_the_camera_reads_a_printed_card_and_boards_the_person(desk_playwright, desk, tmp_path, shots):
    """Chromium's fake camera plays a video of the QR code corridor prints for a person's token."""
    rt, base = desk["rt"], desk["base"]
    trip, household = a_household(rt, "GP-A", TAKEN)
    person = next(p["token"] for p in reports.manifest(rt, trip) if p["household"] == household)
    video = qr_video(person, tmp_path / "card.y4m")
    args = [*ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"]
    chromium = desk_playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
    try:
        context = chromium.new_context(viewport={"width": 390, "height": 844}, permissions=["camera"])
        page = sign_in(context, base, MARSHAL, "/desk/boarding", lang="en")
        page.click(f"li[data-trip='{trip}'] a")
        page.wait_for_selector(f"#scan[data-trip='{trip}']")
        page.click("#camera-toggle")
        outcome, text = answer_of(page)
        assert outcome == "accepted", text
        assert person in text
        page.wait_for_timeout(2500)  # the card stays in front of the camera: still boarded once
        timings = page.evaluate("() => window.deskTimings")
        assert timings and timings[0]["outcome"] == "accepted"
        page.locator("#answer").scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "boarding-camera-phone.png"))
    finally:
        chromium.close()
    assert boarded_events(rt)[person] == 1
    state = {p["token"]: p["state"] for p in reports.manifest(rt, trip)}
    assert state[person] == "boarded"


def test_scans_made_offline_are_kept_and_sent_once(desk_browser, desk):
    rt, base = desk["rt"], desk["base"]
    trip, first = a_household(rt, "GP-B", TAKEN)
    tokens = [first]
    for _ in range(2):
        other_trip, household = a_household(rt, "GP-B", TAKEN)
        if other_trip == trip:
            tokens.append(household)
    context = desk_browser.new_context(viewport={"width": 390, "height": 844})
    page = sign_in(context, base, MARSHAL, "/desk/boarding", lang="ar")
    page.goto(f"{base}/desk/boarding?trip={trip}&lang=ar")
    page.wait_for_function("() => document.documentElement.dataset.shell === 'kept' && "
                           "!!navigator.serviceWorker.controller", timeout=WAIT_MS)

    context.set_offline(True)
    for token in tokens:
        outcome, _ = scan_typed(page, token)
        assert outcome == "queued"
    page.reload()
    page.wait_for_selector("#outbox-count[data-waiting]", timeout=WAIT_MS)
    page.wait_for_function("(n) => document.getElementById('outbox-count').dataset.waiting === String(n)",
                           arg=len(tokens), timeout=WAIT_MS)
    assert str(len(tokens)) in page.text_content("#outbox-count")
    assert not boarded_events(rt).keys() & {p["token"] for p in reports.manifest(rt, trip)
                                           if p["household"] in tokens}

    context.set_offline(False)
    page.wait_for_function("() => document.getElementById('outbox-count').dataset.waiting === '0'",
                           timeout=WAIT_MS * 2)
    members = [p["token"] for p in reports.manifest(rt, trip) if p["household"] in tokens]
    events = boarded_events(rt)
    assert members and all(events[m] == 1 for m in members), events
    # sending again (a phone that never heard the answer) changes nothing
    page.evaluate("() => window.deskOutbox.flush()")
    assert all(boarded_events(rt)[m] == 1 for m in members)
    context.close()


def test_a_scan_sent_late_meets_a_conflict_and_shows_it(desk_browser, desk):
    """Scanned offline onto one trip, boarded meanwhile onto another: the conflict is shown, not dropped."""
    from corridor.service import movement

    rt, base = desk["rt"], desk["base"]
    trip, household = a_household(rt, "GP-A", TAKEN)
    context = desk_browser.new_context(viewport={"width": 390, "height": 844})
    page = sign_in(context, base, MARSHAL, "/desk/boarding", lang="en")
    page.goto(f"{base}/desk/boarding?trip={trip}&lang=en")
    page.wait_for_selector("#scan")
    context.set_offline(True)
    assert scan_typed(page, household)[0] == "queued"
    marshal = Principal(account=MARSHAL, role=Role.BOARDING_MARSHAL)
    elsewhere = next(t["id"] for t in desk_service.loading_trips(rt, marshal, limit=None) if t["origin"] == "GP-A"
                     and t["id"] != trip and t["seats_left"] >= 2)
    movement.board(rt, Meta(at=datetime.now(timezone.utc).isoformat()), trip=elsewhere, tokens=household)
    context.set_offline(False)
    page.wait_for_selector("#conflicts:not([hidden])", timeout=WAIT_MS * 2)
    assert elsewhere in page.text_content("#conflict-list")
    assert page.get_attribute("#outbox-count", "data-waiting") == "0"
    context.close()


def test_departing_from_the_desk(desk_browser, desk):
    rt, base = desk["rt"], desk["base"]
    trip = next(t["id"] for t in reports.trips(rt) if t["origin"] == "GP-A" and t["state"] == "boarding")
    context = desk_browser.new_context(viewport={"width": 1280, "height": 800})
    page = sign_in(context, base, MARSHAL, "/desk/boarding", lang="ar")
    page.goto(f"{base}/desk/boarding?trip={trip}&lang=ar")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#depart")
    page.wait_for_selector("#answer[data-outcome=accepted]", timeout=WAIT_MS)
    assert next(t for t in reports.trips(rt) if t["id"] == trip)["state"] == "departed"
    context.close()


def test_a_marshal_signing_in_lands_on_the_boarding_desk_and_its_first_load_is_small(desk_browser, desk):
    """From the login page itself the role's desk opens; everything the first load fetches is under 300 KB."""
    from tests.conftest import password_of

    context = desk_browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{desk['base']}/login?lang=ar")
    page.fill("#username", MARSHAL)
    page.fill("#password", password_of(MARSHAL))
    with page.expect_navigation(url="**/desk/boarding**"):
        page.click("button[type=submit]")
    sizes: list[int] = []
    page.on("response", lambda r: sizes.append(len(r.body())) if r.request.method == "GET" else None)
    page.reload()
    page.wait_for_selector("#scan")
    page.wait_for_load_state("networkidle")
    assert 0 < sum(sizes) < 300_000, sizes
    assert page.evaluate("() => document.documentElement.scrollWidth <= 360")  # usable at 360 px, no side scroll
    context.close()

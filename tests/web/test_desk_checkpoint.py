"""The checkpoint desk in a real browser: the convoy monitor's trips on the road, the time each person has been
aboard, a person held at the checkpoint (picked by scanning their card) with the reason as stated, passing logged;
in English and Arabic, with axe-core on the page."""

from __future__ import annotations

import pytest

from corridor.service import movement, planning, reports
from corridor.service.recording import Meta
from tests.conftest import register
from tests.web.desk_support import (WAIT_MS, need_chromium, no_serious_violations, screenshots,
                                    served, sign_in)

pytestmark = pytest.mark.browser
MONITOR = "convoy_monitor"


@pytest.fixture(scope="module")
def desk(tmp_path_factory, database_templates):
    """Two trips on the road (one from each gathering point), two households aboard each."""
    need_chromium()
    folder = tmp_path_factory.mktemp("desk-checkpoint")
    runtime = database_templates.open("operation", folder, seed=7)
    aboard = {}
    for point in ("GP-A", "GP-B"):
        households = [register(runtime, gathering_point=point) for _ in range(2)]
        aboard[point] = households
    planning.plan(runtime, Meta())
    trips = {}
    for point, households in aboard.items():
        trip = next(t["id"] for t in reports.trips(runtime) if t["origin"] == point and t["assigned"] >= 4)
        movement.board(runtime, Meta(), trip=trip, tokens=[h["token"] for h in households])
        movement.depart(runtime, Meta(), trip=trip)
        trips[point] = (trip, households[0]["persons"][0]["token"])
    with served(runtime) as base:
        yield {"rt": runtime, "base": base, "trips": trips}




@pytest.mark.parametrize("lang, point", [("en", "GP-A"), ("ar", "GP-B")])
def test_passing_a_checkpoint_with_a_person_held(desk_browser, desk, shots, lang, point):
    rt, base = desk["rt"], desk["base"]
    trip, held = desk["trips"][point]
    context = desk_browser.new_context(viewport={"width": 390, "height": 844})
    page = sign_in(context, base, MONITOR, "/desk/checkpoint", lang=lang)
    page.click(f"li[data-trip='{trip}'] a")
    page.wait_for_selector(f"#scan[data-trip='{trip}'][data-checkpoint='CP-1']")
    page.wait_for_function("() => document.querySelectorAll('#aboard li').length === 4", timeout=WAIT_MS)
    assert ("دقيقة" if lang == "ar" else "min") in page.text_content("#aboard")  # time aboard, per person

    page.fill("#token", held)
    page.click("#find-form button[type=submit]")
    assert page.locator(f"#aboard li[data-token='{held}']").get_attribute("class") == "ticked"
    page.click("#pass-form button[type=submit]")  # no reason given: refused on the page, nothing sent
    assert page.locator("#form-error").is_visible()
    assert not next(t for t in reports.trips(rt) if t["id"] == trip)["taken_off"]
    reason = "طُلب للاستجواب" if lang == "ar" else "asked to step down for questioning"
    page.fill(f"#aboard li[data-token='{held}'] input[name=reason]", reason)
    screenshots(page, shots, f"checkpoint-{lang}")
    page.click("#pass-form button[type=submit]")
    page.wait_for_selector("#answer:not([hidden])", timeout=WAIT_MS)
    assert page.get_attribute("#answer", "data-outcome") == "accepted", page.text_content("#answer")

    detail = reports.trip_detail(rt, trip)
    assert [p["checkpoint"] for p in detail["passages"]] == ["CP-1"]
    states = {p["token"]: p["state"] for p in reports.manifest(rt, trip)}
    assert states[held] == "held" and list(states.values()).count("in_transit") == 3
    page.wait_for_selector("#scan[data-checkpoint='CP-2']", timeout=WAIT_MS)  # the page moves on to the next one
    page.wait_for_function("() => document.querySelectorAll('#aboard li').length === 3", timeout=WAIT_MS)
    no_serious_violations(page)
    context.close()

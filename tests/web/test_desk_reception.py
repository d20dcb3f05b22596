"""The reception desk in a real browser: log a trip's arrival, scan people in, the trip's differences (boarded,
not scanned in) and a child arriving without the people linked to them shown loudly; in English and Arabic,
with axe-core on the page."""

from __future__ import annotations

import pytest

from corridor.service import movement, planning, reports
from corridor.service.recording import Meta
from tests.conftest import person, register
from tests.web.desk_support import (WAIT_MS, need_chromium, no_serious_violations, screenshots,
                                    served, sign_in)

pytestmark = pytest.mark.browser
RECEPTION = "reception"


@pytest.fixture(scope="module")
def desk(tmp_path_factory, database_templates):
    """Two trips on the road to RC-1 (one from each gathering point), each with a family and a child alone."""
    need_chromium()
    folder = tmp_path_factory.mktemp("desk-reception")
    runtime = database_templates.open("operation", folder, seed=7)
    families = {}
    for point in ("GP-A", "GP-B"):
        family = register(runtime, gathering_point=point)
        child = register(runtime, gathering_point=point, persons=[
            person("ليلى حسن", "Layla Hassan", sex="female", birth_year=2010, relationship="child",
                   vulnerabilities=["unaccompanied_child"])])
        families[point] = (family["token"], child["token"])
    planning.plan(runtime, Meta())
    trips = {}
    for point, tokens in families.items():
        trip = next(t["id"] for t in reports.trips(runtime) if t["origin"] == point and t["assigned"] >= 3)
        movement.board(runtime, Meta(), trip=trip, tokens=list(tokens))
        movement.depart(runtime, Meta(), trip=trip)
        for checkpoint in ("CP-1", "CP-2"):
            movement.pass_checkpoint(runtime, Meta(), trip=trip, checkpoint=checkpoint, taken_off=[])
        trips[point] = (trip, *tokens)
    with served(runtime) as base:
        yield {"rt": runtime, "base": base, "trips": trips}




def scan(page, token: str) -> str:
    page.evaluate("() => { const a = document.getElementById('answer'); a.hidden = true; a.dataset.outcome = ''; }")
    page.fill("#token", token)
    page.click("#scan-form button[type=submit]")
    page.wait_for_selector("#answer:not([hidden])", timeout=WAIT_MS)
    return page.get_attribute("#answer", "data-outcome")


@pytest.mark.parametrize("lang, point", [("en", "GP-A"), ("ar", "GP-B")])
def test_receiving_a_trip_with_a_child_alone(desk_browser, desk, shots, lang, point):
    rt, base = desk["rt"], desk["base"]
    trip, family, child = desk["trips"][point]
    context = desk_browser.new_context(viewport={"width": 390, "height": 844})
    page = sign_in(context, base, RECEPTION, "/desk/reception", lang=lang)
    page.click(f"li[data-trip='{trip}'] a")
    page.wait_for_selector(f"#scan[data-trip='{trip}']")
    assert page.locator("#occupancy tbody tr").count() == 2  # both reception centres, against capacity

    page.click("#arrive")
    page.wait_for_selector("#answer:not([hidden])", timeout=WAIT_MS)
    assert page.get_attribute("#answer", "data-outcome") == "accepted", page.text_content("#answer")
    assert next(t for t in reports.trips(rt) if t["id"] == trip)["state"] == "arrived"

    assert scan(page, family) == "accepted"
    page.wait_for_function("() => document.querySelectorAll('#differences li[data-token]').length === 1",
                           timeout=WAIT_MS)  # the child boarded and is not yet scanned in
    assert page.locator("#child-alerts").is_hidden()
    assert scan(page, child) == "accepted"
    page.wait_for_selector("#child-alerts:not([hidden])", timeout=WAIT_MS)
    alert = page.text_content("#child-alerts")
    assert ("وصل طفل" if lang == "ar" else "CHILD ARRIVED WITHOUT") in alert
    page.wait_for_function("() => document.querySelectorAll('#differences li[data-token]').length === 0",
                           timeout=WAIT_MS)
    assert scan(page, family) == "error"  # scanned in already: refused with the rule's words, nothing doubled
    arrived = [p for p in reports.manifest(rt, trip) if p["state"] == "arrived"]
    assert len(arrived) == 3
    no_serious_violations(page)
    screenshots(page, shots, f"reception-{lang}")
    context.close()

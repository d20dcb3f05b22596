"""The coordinator's picture in a real browser (Debian's chromium through Playwright) on a running demo simulation:
the map shows every site and every trip on the road, the curves are drawn, the alarms say who is held and which
medical cases will be late — in English and in Arabic (right to left), accessible (axe-core), at desk and phone size.

The demo (2,000 persons) runs on its simulated clock as fast as it can to 7 h after the start — trips on the road, a
person held at a checkpoint, the operation halted under shelling — and waits there while the pages are looked at."""

from __future__ import annotations

import threading
from datetime import timedelta

import httpx
import pytest

from corridor.bootstrap import bootstrap
from corridor.scenarios.demo import create_demo
from corridor.scenarios.east_aleppo import START, TIME_ZONE
from corridor.scenarios.simulate import Incidents, Simulation
from tests.conftest import make_role_accounts, password_of
from tests.web.desk_support import CHROMIUM, SIZES, WAIT_MS, need_chromium, no_serious_violations, serve

pytestmark = pytest.mark.browser

# paused an hour in: trips on the road, a person held, urgent cases past their deadline not yet arrived, and the
# operation halted under shelling since half an hour (the demo's halt brought forward)
PAUSE_AT = START + timedelta(hours=1)
INCIDENTS = Incidents(halt_after=timedelta(minutes=30))
PEOPLE = 2000


class Paused(Exception):
    pass


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A demo operation whose simulation is running, paused at `PAUSE_AT`; the dashboard served on it."""
    need_chromium()
    rt = bootstrap(tmp_path_factory.mktemp("picture") / "demo.db", seed=2016, time_zone=TIME_ZONE)
    # without the agreement's link: at its pause the link would hold every departure (the first third of the
    # people have left by then), and this picture is to show trips on the road (the link's alarm: test_agreement)
    create_demo(rt, people=PEOPLE, seed=2016, with_agreement=False)
    make_role_accounts(rt)
    reached, stop = threading.Event(), threading.Event()

    def pace(now):
        if now >= PAUSE_AT:
            reached.set()
            stop.wait()
            raise Paused

    def run():
        try:
            Simulation(rt, start=START, seed=2016, incidents=INCIDENTS).run(pace)
        except Paused:
            pass

    worker = threading.Thread(target=run, name="simulation", daemon=True)
    worker.start()
    assert reached.wait(300), "the simulation did not reach its pause"
    base, srv, thread = serve(rt)
    yield rt, base
    stop.set()
    srv.should_exit = True
    thread.join(timeout=10)
    worker.join(timeout=30)


@pytest.fixture(scope="module")
def chromium(demo):
    from playwright.sync_api import sync_playwright

    from tests.web.desk_support import ARGS

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def signed_in_page(browser, base: str, lang: str):
    page = browser.new_page(viewport=SIZES["desk"])
    errors: list[str] = []  # from the login page on: every request answered, its icon too
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.goto(f"{base}/?lang={lang}")
    page.fill("#username", "coordinator")
    page.fill("#password", password_of("coordinator"))
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "/login" not in page.url
    try:
        page.wait_for_selector("#picture[data-map][data-drawn]", state="attached", timeout=WAIT_MS * 3)
    finally:
        assert not errors, errors
    return page


def geojson(base: str) -> dict:
    token = httpx.post(f"{base}/api/login", json={"username": "analyst", "password": password_of("analyst")}).json()
    answer = httpx.get(f"{base}/api/map.geojson", headers={"Authorization": f"Bearer {token['token']}"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/geo+json")
    return answer.json()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_picture_of_a_running_simulation(demo, chromium, shots, lang):
    rt, base = demo
    page = signed_in_page(chromium, base, lang)
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")

    geo = geojson(base)
    sites = [f for f in geo["features"] if f["properties"]["feature"] == "site"]
    moving = [f for f in geo["features"] if f["properties"]["feature"] == "trip"]
    assert len(sites) == 8 and moving, "the demo at its pause has trips on the road"
    assert page.locator("path.site-marker").count() == len(sites)
    assert page.locator("path.trip-marker").count() == len(moving)
    assert page.locator("path.leg-line").count() == sum(f["properties"]["feature"] == "leg" for f in geo["features"])
    assert page.locator("path.leaflet-interactive").count() > len(sites)  # the Natural Earth base drawn too
    page.evaluate("() => new Promise(done => document.addEventListener('htmx:afterSwap', done, {once: true}))")
    assert page.locator("path.site-marker").count() == len(sites)  # the map is kept across the live refresh
    listed = page.locator("#map-list .map-site").evaluate_all("els => els.map(e => e.dataset.code)")
    assert sorted(s["properties"]["code"] for s in sites) == sorted(listed)  # and said in words beside the map

    for chart in ("progress", "gantt", "throughput"):
        assert page.locator(f"#chart-{chart} .uplot canvas").count() == 1, chart
    assert page.locator("#halt-causes li").count() >= 1  # the halt under shelling, shaded and said
    assert page.text_content("#progress-summary").strip()
    legends = page.locator(".u-legend").all_text_contents()  # the time series named in the page's language
    assert all(("الوقت" if lang == "ar" else "time") in legend and "Value" not in legend for legend in legends)
    assert "undefined" not in page.text_content("body")

    held = page.locator('#alarms li[data-kind="held"]')
    late = page.locator('#alarms li[data-kind="missed_deadline"]')
    assert held.count() >= 1 and late.count() >= 1
    words = held.first.text_content()
    assert ("محتجزون" in words) if lang == "ar" else ("held at" in words and " h" in words)
    clock = page.text_content("#op-clock")
    assert TIME_ZONE in clock and "2016-12-15" in clock

    no_serious_violations(page)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.wait_for_timeout(400)  # the charts take the new width
        if size == "phone":
            assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.screenshot(path=str(shots / f"dashboard-{lang}-{viewport['width']}x{viewport['height']}.png"),
                        full_page=True)
    page.close()


def test_the_picture_is_served_from_one_computation_for_many_viewers(demo):
    rt, base = demo
    token = httpx.post(f"{base}/api/login", json={"username": "coordinator",
                                                  "password": password_of("coordinator")}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    heads = {httpx.get(f"{base}/fragments/curves.json", headers=headers).headers["x-ledger-head"] for _ in range(5)}
    assert len(heads) == 1  # paused: the same picture for every refresh
    status = httpx.get(f"{base}/api/status", headers=headers).json()
    assert status["clock"]["time_zone"] == TIME_ZONE and status["clock"]["simulated"]
    kinds = {a["kind"] for a in status["alarms"]}
    assert {"held", "missed_deadline"} <= kinds

"""The dashboard in a real browser: Debian's chromium, driven by Playwright, against the app under uvicorn.

The figures must follow the operation without a page reload (htmx polling), in both directions of writing.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

from corridor.api.app import create_app
from corridor.service import agreement, movement, planning, reports
from corridor.service.recording import Meta
from corridor.web.routes import find_htmx
from tests.conftest import password_of, person, register

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WAIT_MS = 10_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    assert find_htmx() is not None, "htmx is not in node_modules (scripts/setup installs it); live refresh needs it"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def server(op):
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(op), host="127.0.0.1", port=port, log_level="warning",
                                        lifespan="off"))
    thread = threading.Thread(target=srv.run, name="dashboard-server", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).json() == {"ok": True}:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            srv.should_exit = True
            pytest.fail("the dashboard server did not start")
        time.sleep(0.1)
    yield base
    srv.should_exit = True
    thread.join(timeout=10)


def open_page(browser, url: str):
    """Open the dashboard: an anonymous visitor is sent to the login page, signs in there as the coordinator."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    assert "/login" in page.url
    page.fill("#username", "coordinator")
    page.fill("#password", password_of("coordinator"))
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "/login" not in page.url
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["corridor_session"]["httpOnly"] and cookies["corridor_session"]["sameSite"] == "Strict"
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("() => { window.__marker = 1; }")
    return page


def wait_for_text(page, selector: str, text: str) -> None:
    page.wait_for_function(
        "([sel, text]) => { const el = document.querySelector(sel); return !!el && el.textContent.trim() === text; }",
        arg=[selector, text], timeout=WAIT_MS)


def still_same_document(page) -> bool:
    return page.evaluate("() => window.__marker") == 1


def run_a_little(op) -> None:
    """Some movement to look at: a plan, one trip boarding, an urgent case."""
    household = register(op)
    register(op, gathering_point="GP-B", persons=[person(precedence="urgent", mobility="stretcher")])
    planning.plan(op, Meta())
    trip = next(t for t in reports.trips(op) if t["origin"] == "GP-A" and t["assigned"])
    movement.board(op, Meta(), trip=trip["id"], tokens=household["token"])


def test_a_wrong_password_stays_on_the_login_page(browser, server):
    page = browser.new_page()
    page.goto(f"{server}/login")
    page.fill("#username", "coordinator")
    page.fill("#password", "not the right password")
    page.click("button[type=submit]")
    page.wait_for_selector("#login-error", state="visible", timeout=WAIT_MS)
    assert "/login" in page.url


def test_figures_follow_the_operation_without_reload(browser, server, op, shots):
    page = open_page(browser, f"{server}/")
    assert page.get_attribute("html", "dir") == "ltr"
    assert page.text_content("#fig-registered").strip() == "0"

    register(op)
    wait_for_text(page, "#fig-registered", "2")
    assert still_same_document(page)

    run_a_little(op)
    movement.halt(op, Meta(), cause="shelling", note="")
    page.wait_for_selector("#halted-banner", timeout=WAIT_MS)
    wait_for_text(page, "#fig-registered", "5")
    assert "Shelling" in page.text_content("#halted-banner")
    assert page.locator("#trips-table tbody tr").count() >= 1
    assert still_same_document(page)
    page.screenshot(path=str(shots / "dashboard-en.png"), full_page=True)


def test_arabic_page_is_rtl_and_stays_arabic_when_refreshed(browser, server, op, shots):
    run_a_little(op)
    page = open_page(browser, f"{server}/?lang=ar")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    assert page.evaluate("() => getComputedStyle(document.body).direction") == "rtl"

    register(op, gathering_point="GP-B")
    movement.halt(op, Meta(), cause="route_blocked", note="")
    wait_for_text(page, "#fig-registered", "5")
    page.wait_for_selector("#halted-banner", timeout=WAIT_MS)
    assert still_same_document(page)
    assert "العملية متوقفة" in page.text_content("#halted-banner")
    assert "الأشخاص المسجَّلون" in page.text_content("#live")
    # Mirrored: the language switch sits at the left edge, the title at the right.
    title = page.locator(".topbar-title").bounding_box()
    switch = page.locator(".lang-switch").bounding_box()
    assert switch["x"] < title["x"]
    page.screenshot(path=str(shots / "dashboard-ar.png"), full_page=True)


def test_the_linked_operation_is_named_in_arabic_on_the_arabic_page(browser, server, op):
    agreement.set_agreement(op, Meta(), terms={"link": {"name": "Foua and Kefraya", "name_ar": "الفوعة وكفريا",
                                                        "ratio": 1.0}})
    register(op)  # nobody has moved there yet: departures here are held by the link
    page = open_page(browser, f"{server}/?lang=ar")
    held = page.locator('li.alarm[data-kind="linked_operation"]')
    held.wait_for(timeout=WAIT_MS)
    assert "الفوعة وكفريا" in held.text_content() and "Foua" not in held.text_content()

"""The duplicates screen in a real browser (Debian's chromium through Playwright) against corridor under uvicorn:
a registry holding three persons registered twice; in Arabic the registrar runs the check on the screen, sees the
pairs with their evidence in Arabic and merges one (keeping the second record, with a note); in English dismisses
another, and a third, decided meanwhile by another registrar, is said to be so and leaves the list; the merge is
then undone from the list of decided pairs. axe-core in both languages; no console error."""

from __future__ import annotations

import pytest

from corridor.service import duplicates
from corridor.service.recording import Meta
from tests.web.desk_support import WAIT_MS, need_chromium, no_serious_violations, screenshots, served, sign_in
from tests.web.test_desk_duplicates import PATH, twice

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def desk(tmp_path_factory, database_templates):
    need_chromium()
    folder = tmp_path_factory.mktemp("desk-duplicates")
    runtime = database_templates.open("operation", folder, seed=7)
    pairs = [twice(runtime, "محمد أحمد الحلبي", "Mohammed Ahmad al-Halabi", 1980),
             twice(runtime, "فاطمة خالد الشامي", "Fatima Khaled al-Shami", 1992, sex="female"),
             twice(runtime, "عمر حسن الخطيب", "Omar Hassan al-Khatib", 1975)]
    with served(runtime) as base:
        yield {"rt": runtime, "base": base, "pairs": pairs}


def decided(rt) -> dict:
    found = duplicates.candidates(rt, viewer=_console(), statuses=("open", "merged", "dismissed"))["pairs"]
    return {frozenset((p["a"]["token"], p["b"]["token"])): (p["status"], p["kept"]) for p in found}


def _console():
    from corridor.domain.permissions import Principal

    return Principal.console("tests")


def pair(page, tokens):
    a, b = sorted(tokens)
    return page.locator(f"#pairs .dup-pair[data-a='{a}'][data-b='{b}']")


def test_the_registrar_checks_and_decides_pairs_in_arabic_and_english(desk_browser, desk, shots):
    rt, base, (first, second, third) = desk["rt"], desk["base"], desk["pairs"]
    context = desk_browser.new_context(viewport={"width": 390, "height": 844})
    page = sign_in(context, base, "registrar", PATH, lang="ar")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    assert page.get_attribute("html", "dir") == "rtl"
    assert "لم يُجرَ أي فحص للتكرار بعد" in page.text_content("#check-state")

    page.click("#run-check")
    page.wait_for_selector("#dup-answer[data-outcome=accepted]", timeout=WAIT_MS)
    page.wait_for_function("() => document.querySelectorAll('#pairs .dup-pair').length === 3", timeout=WAIT_MS)
    assert "آخر فحص" in page.text_content("#check-state")
    evidence = pair(page, first).locator(".dup-evidence").text_content()
    assert "سنة الميلاد 198" in evidence and "بفارق سنة واحدة" in evidence and "birth year" not in evidence
    no_serious_violations(page)
    screenshots(page, shots, "duplicates-ar")

    kept = first[1]
    pair(page, first).locator(".dup-note").fill("البطاقة نفسها")
    pair(page, first).locator(f".dup-merge[data-kept='{kept}']").click()
    page.wait_for_function("() => document.querySelectorAll('#pairs .dup-pair').length === 2", timeout=WAIT_MS)
    assert page.get_attribute("#dup-answer", "data-outcome") == "accepted"
    assert decided(rt)[frozenset(first)] == ("merged", kept)

    page.goto(f"{base}{PATH}?lang=en")
    assert page.get_attribute("html", "dir") == "ltr"
    assert "one year apart" in pair(page, second).locator(".dup-evidence").text_content()
    pair(page, second).locator(".dup-dismiss").click()
    page.wait_for_function("() => document.querySelectorAll('#pairs .dup-pair').length === 1", timeout=WAIT_MS)
    assert decided(rt)[frozenset(second)] == ("dismissed", None)

    duplicates.merge(rt, Meta(), kept=third[0], duplicate=third[1])  # another registrar, meanwhile
    pair(page, third).locator(".dup-dismiss").click()
    page.wait_for_selector("#dup-answer[data-outcome=error]", timeout=WAIT_MS)
    assert "Another registrar has decided this pair meanwhile" in page.text_content("#dup-answer")
    page.wait_for_function("() => document.querySelectorAll('#pairs .dup-pair').length === 0", timeout=WAIT_MS)
    assert decided(rt)[frozenset(third)] == ("merged", third[0])

    a, b = sorted(first)  # the merge taken back: the pair open again, listed among the open ones
    page.locator(f"#decided .dup-decided[data-a='{a}'][data-b='{b}'] .dup-undo").click()
    page.wait_for_function("() => document.querySelectorAll('#pairs .dup-pair').length === 1", timeout=WAIT_MS)
    assert page.get_attribute("#dup-answer", "data-outcome") == "accepted"
    assert decided(rt)[frozenset(first)] == ("open", None) and pair(page, first).count() == 1
    no_serious_violations(page)
    # Chromium logs every 4xx answer to a fetch as "Failed to load resource": the one 409 expected here is the
    # only one, and nothing else (no script error, no other failed request)
    conflict = "Failed to load resource: the server responded with a status of 409 (Conflict)"
    assert errors == [conflict], errors
    context.close()

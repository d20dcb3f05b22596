"""The registration desk in a real browser: finding a household by name and token, registering one with the checks
shown beside the fields while typing and the likely duplicates while a name is typed, the QR card; a household
registered without a connection is kept and sent once; in English and Arabic, with axe-core on the page."""

from __future__ import annotations

import pytest

from corridor.service import reports
from tests.conftest import register
from tests.web.desk_support import (WAIT_MS, need_chromium, no_serious_violations, screenshots,
                                    served, sign_in)

pytestmark = pytest.mark.browser
REGISTRAR = "registrar"


@pytest.fixture(scope="module")
def desk(tmp_path_factory, database_templates):
    need_chromium()
    folder = tmp_path_factory.mktemp("desk-registration")
    runtime = database_templates.open("operation", folder, seed=7)
    known = register(runtime, gathering_point="GP-A")  # Mohammed and Fatima al-Halabi
    with served(runtime) as base:
        yield {"rt": runtime, "base": base, "known": known}




def households(rt) -> int:
    return reports.status(rt)["households_registered"]


def fill_person(page, i: int, **values) -> None:
    fs = page.locator(f"#persons .person[data-position='{i}']")
    for name, value in values.items():
        if name == "vulnerabilities":
            for v in value:
                fs.locator(f"[name=vulnerabilities][value={v}]").check()
        elif name in ("sex", "relationship", "mobility", "precedence"):
            fs.locator(f"[name={name}]").select_option(value)
        else:
            fs.locator(f"[name={name}]").fill(value)


def error_of(page, i: int, field: str) -> str:
    return page.locator(f"#persons .person[data-position='{i}'] .error[data-field={field}]").text_content()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_registering_a_household_with_checks_duplicates_and_card(desk_browser, desk, shots, lang):
    rt, base, known = desk["rt"], desk["base"], desk["known"]
    before = households(rt)
    context = desk_browser.new_context(viewport={"width": 390, "height": 844})
    page = sign_in(context, base, REGISTRAR, "/desk/registration", lang=lang)
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.get_attribute("#name_ar-0", "dir") == "rtl" and page.get_attribute("#name_latin-0", "dir") == "ltr"

    # the API's own rule, beside the field, before anything is sent
    fill_person(page, 0, name_ar="Mohammed")
    page.wait_for_function("() => document.querySelector('#persons .error[data-field=name_ar]').textContent "
                           ".includes('no Arabic letters')", timeout=WAIT_MS)
    assert page.get_attribute("#name_ar-0", "aria-invalid") == "true"
    # a name already registered shows its household while it is typed
    fill_person(page, 0, name_ar="محمد الحلبي", name_latin="Mohamad al Halaby", sex="male", birth_year="1981",
                relationship="head")
    page.wait_for_selector("#duplicates:not([hidden])", timeout=WAIT_MS)
    assert known["token"] in page.text_content("#duplicate-list")
    page.wait_for_function("() => !document.querySelector('#name_ar-0').hasAttribute('aria-invalid')",
                           timeout=WAIT_MS)
    page.click("#add-person")
    fill_person(page, 1, name_ar="سارة الحلبي", name_latin="Sara al-Halabi", sex="female", birth_year="2012",
                relationship="child", vulnerabilities=["separated_child"])
    fill_person(page, 1, birth_year="2090")
    page.wait_for_function("() => document.querySelector('#persons .person[data-position=\"1\"] "
                           ".error[data-field=birth_year]').textContent !== ''", timeout=WAIT_MS)
    fill_person(page, 1, birth_year="2012")
    screenshots(page, shots, f"registration-form-{lang}")

    page.click("#household-form button[type=submit]")
    page.wait_for_selector("#answer[data-outcome=accepted]", timeout=WAIT_MS)
    page.wait_for_selector("#card:not([hidden])")
    page.wait_for_function("() => [...document.querySelectorAll('#card-codes img')].every(i => i.naturalWidth > 0)",
                           timeout=WAIT_MS)
    assert page.locator("#card-codes img").count() == 3  # the household and each person
    assert households(rt) == before + 1
    token = page.text_content("#card-head").split()[-1]
    found = reports.status(rt)
    assert found["persons_registered"] >= 4

    # find it again: by token and by a name spelt differently
    page.fill("#find-text", token)
    page.click("#find-form button[type=submit]")
    page.wait_for_function("(t) => document.getElementById('found').textContent.includes(t)", arg=token,
                           timeout=WAIT_MS)
    page.fill("#find-text", "Sarah Halabi")
    page.click("#find-form button[type=submit]")
    page.wait_for_function("(t) => document.getElementById('found').textContent.includes(t)", arg=token,
                           timeout=WAIT_MS)
    no_serious_violations(page)
    screenshots(page, shots, f"registration-{lang}")
    context.close()


def test_a_household_registered_offline_is_kept_and_sent_once(desk_browser, desk):
    rt, base = desk["rt"], desk["base"]
    context = desk_browser.new_context(viewport={"width": 390, "height": 844})
    page = sign_in(context, base, REGISTRAR, "/desk/registration", lang="en")
    page.wait_for_function("() => document.documentElement.dataset.shell === 'kept'", timeout=WAIT_MS)
    before = households(rt)
    context.set_offline(True)
    fill_person(page, 0, name_ar="خالد الشامي", name_latin="Khaled al-Shami", sex="male", birth_year="1975",
                relationship="head")
    page.click("#household-form button[type=submit]")
    page.wait_for_selector("#answer[data-outcome=queued]", timeout=WAIT_MS)
    page.reload()
    page.wait_for_function("() => document.getElementById('outbox-count').dataset.waiting === '1'", timeout=WAIT_MS)
    assert households(rt) == before
    context.set_offline(False)
    page.wait_for_function("() => document.getElementById('outbox-count').dataset.waiting === '0'",
                           timeout=WAIT_MS * 2)
    assert households(rt) == before + 1
    page.wait_for_selector("#card:not([hidden])", timeout=WAIT_MS)  # its card, once sent
    assert page.locator("#card-codes img").count() == 2
    page.evaluate("() => window.deskOutbox.flush()")
    assert households(rt) == before + 1
    context.close()

"""The medic's desk (/desk/medical) in a real browser (Debian's chromium through Playwright) against corridor under
uvicorn, on a small operation made with the services: the urgent and priority cases with their deadlines and
whether the plan meets them (agreeing with the plan's own record of missed deadlines), the stretcher cases and
where they are now, refreshed in place when they move; in English and Arabic; axe-core; screenshots. Over HTTP:
the other roles are refused, an account limited to sites sees only its sites, the read is in the access log."""

from __future__ import annotations

import httpx
import pytest

from corridor.domain.permissions import ROLE_PERMISSIONS, Permission, Role
from corridor.service import accounts, movement
from corridor.service.plan_report import latest_missed
from tests.web.care_support import HELD_REASON, LIMITED_PASSWORD, now, page_weight, read_kinds, trip_of
from tests.web.desk_support import WAIT_MS, no_serious_violations, screenshots, sign_in

MEDIC = "medic"
PATH = "/desk/medical"


def planned_to_miss(rt) -> set[str]:
    """The persons of the households whose deadline the latest plan says it misses."""
    with rt.reading() as uow:
        return {p for m in latest_missed(uow.conn) for p in m["persons"]}


def card(page, listing: str, token: str):
    return page.locator(f"#{listing} li[data-token='{token}']")


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_medic_sees_the_cases_their_deadlines_and_the_stretchers(desk_browser, care_demo, shots, lang):
    rt, base = care_demo["rt"], care_demo["base"]
    context = desk_browser.new_context(viewport={"width": 390, "height": 844})
    page = sign_in(context, base, MEDIC, PATH, lang=lang)
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")

    urgent, priority = card(page, "cases", care_demo["urgent"]), card(page, "cases", care_demo["priority"])
    assert urgent.get_attribute("data-precedence") == "urgent"
    assert priority.get_attribute("data-precedence") == "priority"
    missed = planned_to_miss(rt)
    for token, found in ((care_demo["urgent"], urgent), (care_demo["priority"], priority)):
        if found.get_attribute("data-verdict") in ("meets", "misses"):  # still to travel: the plan's own verdict
            assert (found.get_attribute("data-verdict") == "misses") == (token in missed)
    assert care_demo["urgent"] in missed, "the urgent case cannot reach RC-1 within the hour on this network"
    text = urgent.text_content()
    if lang == "en":
        assert "Khaled al-Omar" in text and "urgent" in text.lower() and "Must reach a reception centre by" in text
        assert "Shrapnel wound" in text
    else:
        assert "خالد العمر" in text and "يجب الوصول إلى مركز استقبال قبل" in text
    # urgent first; the stretcher case is listed with where it is now
    tokens = page.eval_on_selector_all("#cases > li", "els => els.map(e => e.dataset.token)")
    assert tokens.index(care_demo["urgent"]) < tokens.index(care_demo["priority"])
    stretcher = card(page, "stretchers", care_demo["urgent"])
    assert stretcher.count() == 1 and stretcher.get_attribute("data-state") in ("assigned", "boarded")
    # least data by role: a medic sees no held reason, no child's vulnerabilities
    body = page.text_content("body")
    assert HELD_REASON not in body and care_demo["separated"] not in body
    assert "medical_list" in read_kinds(rt, MEDIC)

    if lang == "en":  # the urgent case boards: the list says so without reloading the page
        page.evaluate("() => { window.notReloaded = true; }")
        trip = trip_of(rt, care_demo["urgent"])
        assert trip in stretcher.text_content()
        movement.board(rt, now(), trip=trip, tokens=care_demo["urgent"])
        page.click("#refresh")
        page.wait_for_selector(f"#stretchers li[data-token='{care_demo['urgent']}'][data-state='boarded']", timeout=WAIT_MS)
        assert page.evaluate("() => window.notReloaded === true")
        assert "Boarded" in card(page, "stretchers", care_demo["urgent"]).text_content()
        page.select_option("#site", "GP-B")  # only the persons registered at, going to or now at one site
        with page.expect_navigation():
            page.click("form.filter button[type=submit]")
        assert card(page, "cases", care_demo["priority"]).count() == 1 and card(page, "cases", care_demo["urgent"]).count() == 0
        page.goto(f"{base}{PATH}")

    no_serious_violations(page)
    screenshots(page, shots, f"medical-{lang}")
    context.close()


def test_only_the_medic_may_open_it_and_a_medic_limited_to_sites_sees_only_theirs(care_demo):
    rt, base, tokens = care_demo["rt"], care_demo["base"], care_demo["tokens"]
    for role in Role:
        answer = httpx.get(f"{base}{PATH}", headers={"Authorization": f"Bearer {tokens[role]}"})
        expected = 200 if Permission.MEDICAL in ROLE_PERMISSIONS[role] else 403
        assert answer.status_code == expected, (role, answer.status_code)
    assert httpx.get(f"{base}{PATH}").status_code in (303, 307, 401)

    limited = accounts.create_token(rt, "medic_gpb", device="tests", by="tests")["token"]
    assert LIMITED_PASSWORD
    html = httpx.get(f"{base}{PATH}?lang=en", headers={"Authorization": f"Bearer {limited}"}).text
    assert care_demo["priority"] in html and "Amina al-Sayed" in html  # registered at GP-B
    assert care_demo["urgent"] not in html and "Khaled" not in html  # GP-A, going to RC-1: not this account's
    assert "medical_list" in read_kinds(rt, "medic_gpb")


def test_the_first_load_is_small(care_demo):
    weight = page_weight(care_demo["base"], PATH, {"Authorization": f"Bearer {care_demo['tokens'][Role.MEDIC]}"})
    assert weight < 300_000, weight


def test_the_language_chosen_on_one_device_is_the_accounts_on_every_device(care_demo):
    rt, base = care_demo["rt"], care_demo["base"]
    accounts.add_user(rt, "medic_two_phones", role=Role.MEDIC, password=LIMITED_PASSWORD, by="tests")
    phone, tablet = (accounts.create_token(rt, "medic_two_phones", device=d, by="tests")["token"]
                     for d in ("phone", "tablet"))

    def lang_on(token: str, query: str = "") -> str:
        html = httpx.get(f"{base}{PATH}{query}", headers={"Authorization": f"Bearer {token}"}).text
        return html.split('<html lang="', 1)[1][:2]

    assert lang_on(tablet) == "ar"  # Arabic first, before any choice
    assert lang_on(phone, "?lang=en") == "en"
    assert accounts.language(rt, "medic_two_phones") == "en"
    assert lang_on(tablet) == "en"  # no cookie on the tablet: the account's choice
    assert lang_on(tablet, "?lang=ar") == "ar" and lang_on(phone) == "ar"

"""The protection officer's desk (/desk/protection) in a real browser (Debian's chromium through Playwright) against
corridor under uvicorn, on a small operation made with the services: a child travelling alone, a child separated
from a mother registered in another household (shown not with the child), a person held at a checkpoint with the
reason as stated and for how long, the family links and whether the linked people are together; recording a
release from the screen; in English and Arabic; axe-core; screenshots. Over HTTP: the other roles are refused, an
account limited to sites sees only its sites, each list read is in the access log."""

from __future__ import annotations

import httpx
import pytest

from corridor.domain.permissions import ROLE_PERMISSIONS, Permission, Role
from corridor.service import accounts, care, reports
from tests.web.care_support import HELD_REASON, page_weight, read_kinds, trip_of
from tests.web.desk_support import WAIT_MS, no_serious_violations, screenshots, sign_in

OFFICER = "protection_officer"
PATH = "/desk/protection"


def held_now(rt) -> set[str]:
    from corridor.domain.permissions import Principal

    return {p["token"] for p in care.held(rt, viewer=Principal.console("tests"))["items"]}


def card(page, listing: str, token: str):
    return page.locator(f"#{listing} > li[data-token='{token}']")


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_officer_sees_children_held_persons_and_family_links(desk_browser, care_demo, shots, lang):
    rt, base = care_demo["rt"], care_demo["base"]
    context = desk_browser.new_context(viewport={"width": 390, "height": 844})
    page = sign_in(context, base, OFFICER, PATH, lang=lang)
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")

    # the separated child, and the mother registered elsewhere: not with the child
    separated = card(page, "children", care_demo["separated"])
    mother = separated.locator(f"li[data-token='{care_demo['mother']}']")
    assert mother.get_attribute("data-with") == "no"
    alone = card(page, "children", care_demo["alone"])
    if lang == "en":
        assert "Separated" in separated.text_content() and "Mariam Haddad" in mother.text_content()
        assert "Not with the child" in mother.text_content()
        assert "Unaccompanied" in alone.text_content() and "Nobody is linked to this child." in alone.text_content()
    else:
        assert "مريم حداد" in mother.text_content() and "ليس مع الطفل" in mother.text_content()
        assert "لا يرتبط أحد بهذا الطفل." in alone.text_content()

    # the person held at CP-1: where, for how long, the reason as stated
    held = card(page, "held", care_demo["held"])
    text = held.text_content()
    assert HELD_REASON in text
    assert ("Checkpoint 1" in text and "Held for" in text) if lang == "en" else ("حاجز ١" in text and "مدة الاحتجاز" in text)
    assert care_demo["held_trip"] in text

    # the family link registered by the child, the linked person apart
    link = card(page, "links", care_demo["separated"]).locator(f"li[data-token='{care_demo['mother']}']")
    assert link.get_attribute("data-together") == "no"
    assert ("Apart" if lang == "en" else "منفصلون") in link.text_content()

    assert {"children_list", "held_list", "family_links"} <= read_kinds(rt, OFFICER)
    no_serious_violations(page)
    screenshots(page, shots, f"protection-{lang}")
    context.close()


def test_only_protection_roles_may_open_it_and_an_officer_limited_to_sites_sees_only_theirs(care_demo):
    rt, base, tokens = care_demo["rt"], care_demo["base"], care_demo["tokens"]
    for role in Role:
        answer = httpx.get(f"{base}{PATH}", headers={"Authorization": f"Bearer {tokens[role]}"})
        expected = 200 if Permission.PROTECTION in ROLE_PERMISSIONS[role] else 403
        assert answer.status_code == expected, (role, answer.status_code)
    # reception may see the children (child alerts) but not why a person was held
    html = httpx.get(f"{base}{PATH}?lang=en", headers={"Authorization": f"Bearer {tokens[Role.RECEPTION]}"}).text
    assert care_demo["separated"] in html and HELD_REASON not in html and "Record release" not in html

    limited = accounts.create_token(rt, "protection_officer_gpb", device="tests", by="tests")["token"]
    html = httpx.get(f"{base}{PATH}?lang=en", headers={"Authorization": f"Bearer {limited}"}).text
    assert care_demo["alone"] in html  # registered at GP-B
    assert care_demo["separated"] not in html and "Sami Haddad" not in html  # GP-A, going to RC-1
    assert care_demo["held"] in held_now(rt)  # still held: the release is the last test
    assert HELD_REASON not in html and care_demo["held"] not in html  # held on a trip from GP-A
    assert {"children_list", "held_list", "family_links"} <= read_kinds(rt, "protection_officer_gpb")


def test_long_lists_show_the_most_pressing_first_and_say_how_many_are_left_out(care_demo, monkeypatch):
    from corridor.web.desk import care as screens

    monkeypatch.setattr(screens, "LIMIT", 1)
    auth = {"Authorization": f"Bearer {care_demo['tokens'][Role.PROTECTION_OFFICER]}"}
    html = httpx.get(f"{care_demo['base']}{PATH}?lang=en", headers=auth).text
    assert "Shown: 1 of 2, the most pressing first." in html
    assert care_demo["separated"] in html and care_demo["alone"] not in html  # nobody linked with either: registration order
    assert care_demo["alone"] in httpx.get(f"{care_demo['base']}{PATH}?lang=en&more=true", headers=auth).text


def test_the_first_load_is_small(care_demo):
    weight = page_weight(care_demo["base"], PATH, {"Authorization": f"Bearer {care_demo['tokens'][Role.PROTECTION_OFFICER]}"})
    assert weight < 300_000, weight


@pytest.mark.browser
def test_the_officer_records_a_release_from_the_screen(desk_browser, care_demo):
    rt, base, token = care_demo["rt"], care_demo["base"], care_demo["held"]
    context = desk_browser.new_context(viewport={"width": 390, "height": 844})
    page = sign_in(context, base, OFFICER, PATH, lang="ar")
    page.evaluate("() => { window.notReloaded = true; }")
    page.on("dialog", lambda dialog: dialog.accept())
    card(page, "held", token).locator("button.release").click()
    page.wait_for_selector("#care-answer[data-outcome=released]", timeout=WAIT_MS)
    assert "سُجّل الإفراج" in page.text_content("#care-answer")
    page.wait_for_selector(f"#held > li[data-token='{token}']", state="detached", timeout=WAIT_MS)
    assert page.evaluate("() => window.notReloaded === true")  # refreshed in place
    state = {p["token"]: p["state"] for p in reports.manifest(rt, trip_of(rt, token))}
    assert state[token] != "held"
    context.close()

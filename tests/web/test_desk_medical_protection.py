"""The medic's and the protection officer's desks in a real browser: urgent and priority cases with their deadlines
and whether the plan meets them, stretcher cases and where they are; unaccompanied and separated children with who
they travel with, persons held and for how long with the reason as stated. Both languages, axe-core on the page;
neither page is kept on the device (it lists names)."""

from __future__ import annotations

import pytest

from corridor.bootstrap import bootstrap
from corridor.service import movement, planning, reports
from corridor.service.recording import Meta
from tests.conftest import person, register
from tests.web.desk_support import (need_chromium, no_serious_violations, screenshots, serve,
                                    sign_in)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def desk(tmp_path_factory, database_templates):
    need_chromium()
    folder = tmp_path_factory.mktemp("desk-medical")
    runtime = bootstrap(database_templates.copy("operation", folder / "desk.db"), seed=7, migrate=False)
    urgent = register(runtime, gathering_point="GP-A", persons=[
        person("أحمد خليل", "Ahmad Khalil", precedence="urgent", mobility="stretcher", relationship="head",
               medical_notes="shrapnel wound, left leg")])
    priority = register(runtime, gathering_point="GP-B", persons=[
        person("منى سعيد", "Mona Said", sex="female", precedence="priority", relationship="head")])
    child = register(runtime, gathering_point="GP-A", persons=[
        person("ليلى حسن", "Layla Hassan", sex="female", birth_year=2010, relationship="child",
               vulnerabilities=["unaccompanied_child"])])
    family = register(runtime, gathering_point="GP-B")
    planning.plan(runtime, Meta())
    trip = next(t["id"] for t in reports.trips(runtime) if t["origin"] == "GP-B" and t["assigned"] >= 2)
    movement.board(runtime, Meta(), trip=trip, tokens=[family["token"]])
    movement.depart(runtime, Meta(), trip=trip)
    held = family["persons"][0]["token"]
    movement.pass_checkpoint(runtime, Meta(), trip=trip, checkpoint="CP-1",
                             taken_off=[{"token": held, "outcome": "held", "reason": "papers checked"}])
    base, srv, thread = serve(runtime)
    yield {"rt": runtime, "base": base, "urgent": urgent["persons"][0]["token"],
           "priority": priority["persons"][0]["token"], "child": child["persons"][0]["token"], "held": held}
    srv.should_exit = True
    thread.join(timeout=10)
    runtime.db.dispose()




@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_medic_sees_deadlines_and_stretcher_cases(desk_browser, desk, shots, lang):
    context = desk_browser.new_context(viewport={"width": 390, "height": 844})
    page = sign_in(context, desk["base"], "medic", "/desk/medical", lang=lang)
    cases = page.locator("#cases > li")
    assert cases.count() == 2
    assert cases.nth(0).get_attribute("data-token") == desk["urgent"]  # urgent before priority
    assert cases.nth(1).get_attribute("data-token") == desk["priority"]
    first = cases.nth(0).text_content()
    assert "shrapnel wound" in first
    assert ("إخلاء طبي عاجل" if lang == "ar" else "MEDEVAC urgent") in first
    assert ("يجب أن يصل قبل" if lang == "ar" else "Must arrive by") in first
    verdicts = page.locator("#cases .verdict").all_text_contents()
    assert len(verdicts) == 2 and all(v.strip() for v in verdicts)  # each says whether the plan meets it
    assert page.locator(f"#stretchers tr[data-token='{desk['urgent']}']").count() == 1
    assert page.evaluate("() => document.body.dataset.personal") == "yes"
    no_serious_violations(page)
    screenshots(page, shots, f"medical-{lang}")
    context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_protection_officer_sees_children_and_persons_held(desk_browser, desk, shots, lang):
    context = desk_browser.new_context(viewport={"width": 390, "height": 844})
    page = sign_in(context, desk["base"], "protection_officer", "/desk/protection", lang=lang)
    child = page.locator(f"#children > li[data-token='{desk['child']}']")
    assert child.count() == 1
    assert ("طفل غير مصحوب" if lang == "ar" else "Unaccompanied child") in child.text_content()
    assert ("لا أحد مرتبط" if lang == "ar" else "Nobody linked") in child.text_content()
    held = page.locator(f"#held > li[data-token='{desk['held']}']")
    assert "papers checked" in held.text_content()
    assert ("حاجز ١" if lang == "ar" else "Checkpoint 1") in held.text_content()
    no_serious_violations(page)
    screenshots(page, shots, f"protection-{lang}")
    context.close()


def test_each_desk_refuses_a_role_without_its_permission(desk_browser, desk):
    context = desk_browser.new_context()
    page = sign_in(context, desk["base"], "medic", "/desk/medical", lang="en")
    answer = page.goto(f"{desk['base']}/desk/protection")
    assert answer.status == 403
    context.close()

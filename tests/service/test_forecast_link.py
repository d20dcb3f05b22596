"""The forecast with the agreement in force: the linked operation's expected progress (from its recorded figures)
gates departures here, by ratio or by steps. When the linked operation lags, the end moves later and the forecast
says the link bounds it; when the link never binds, the forecast is the unlinked one."""

from datetime import datetime, timedelta

import pytest

from corridor.bootstrap import bootstrap
from corridor.scenarios import agreement_2016
from corridor.scenarios.demo import create_demo
from corridor.scenarios.east_aleppo import START
from corridor.service import agreement
from corridor.service import forecast as f
from corridor.service.recording import Meta
from tests.conftest import Clock

PEOPLE = 600


@pytest.fixture
def demo(own_db):
    rt = bootstrap(own_db("linked.db"), clock=Clock(START), seed=5)
    create_demo(rt, people=PEOPLE, seed=5)  # with the demo's agreement: linked by steps to Foua and Kefraya
    yield rt
    rt.db.dispose()


def figures(rt, *moved_at: tuple[int, int]) -> None:
    """The linked operation's figures: (persons moved, minutes before the start)."""
    for n, (moved, before) in enumerate(moved_at):
        agreement.record_linked_figures(rt, Meta(command_id=f"linked-{n}-{moved}", at=START), moved=moved,
                                        as_of=START - timedelta(minutes=before))


def amend_link(rt, link: dict) -> None:
    terms = agreement.current_terms(rt)
    terms = {"categories": [{k: v for k, v in c.items()} for c in terms["categories"]], "link": link}
    agreement.amend_agreement(rt, Meta(at=START), terms=terms, reason="the link renegotiated (test)")


def base(rt, disruption=True) -> dict:
    return f.forecast(rt, runs=400, seed=7, disruption=disruption)["cases"][0]


@pytest.mark.parametrize("disruption", [False, True])
def test_steps_a_lagging_linked_operation_moves_the_end_later(demo, disruption):
    rt = demo
    total = agreement_2016.linked_total(PEOPLE)
    figures(rt, (0, 600), (2, 0))  # 2 moved in 10 hours: slow
    case = base(rt, disruption)
    link = case["link"]
    assert link["name"] == agreement_2016.LINKED_NAME and link["moved_there"] == 2 and link["per_day"] == 4.8
    assert link["name_ar"] == agreement_2016.LINKED_NAME_AR  # the Arabic screens' name for it
    assert case["p50_at"] > link["unlinked_p50_at"] and case["p90_at"] >= link["unlinked_p90_at"]
    assert link["bounds_the_end"] and "bounded by Foua and Kefraya" in link["words"]
    # everyone may have left only once the whole linked operation has moved: (total - 2) / 4.8 a day from now
    assert case["p50_at"] >= (START + timedelta(days=(total - 2) / 4.8)).isoformat()
    figures(rt, (total, 0))  # it has moved everyone: the link never binds
    case = base(rt, disruption)
    assert case["link"]["bound_share"] == 0 and not case["link"]["bounds_the_end"]
    assert [case[k] for k in ("p10_at", "p50_at", "p90_at")] == \
        [case["link"][k] for k in ("unlinked_p10_at", "unlinked_p50_at", "unlinked_p90_at")]


def test_ratio_lagging_then_never_binding(demo):
    rt = demo
    amend_link(rt, {"name": "linked town", "ratio": 1.0})
    figures(rt, (0, 240), (40, 0))  # 40 moved there in 4 hours; here 600 need 600 there: about 2.5 days
    lagging = base(rt)
    assert lagging["p50_at"] > lagging["link"]["unlinked_p50_at"] and lagging["link"]["bounds_the_end"]
    at_pace = START + timedelta(minutes=(PEOPLE - 40) / (40 / 240))  # everyone gone at the pace seen so far
    p10, p90 = (datetime.fromisoformat(lagging[k]) for k in ("p10_at", "p90_at"))
    assert p10 < at_pace < p90  # each run draws its own pace around it: some faster, some slower
    unlinked = {k: lagging["link"][f"unlinked_{k}"] for k in ("p10_at", "p50_at", "p90_at")}
    figures(rt, (10 * PEOPLE, 0))  # far ahead: the link never binds
    ahead = base(rt)
    assert ahead["link"]["bound_share"] == 0
    assert {k: ahead[k] for k in unlinked} == unlinked  # the forecast without the link, run for run


def test_what_ifs_are_planned_under_the_agreement_and_gated_by_the_link(demo):
    rt = demo
    figures(rt, (0, 600), (2, 0))
    out = f.forecast(rt, runs=200, seed=7, whatifs=f.changes(add_vehicles=10))
    base_case, more = out["cases"]
    assert more["link"]["bounds_the_end"] and more["p50_at"] > more["link"]["unlinked_p50_at"]
    assert more["trips"] <= base_case["trips"] + 10  # the link's allowance holds the same persons back


def test_the_dashboards_curve_says_when_the_link_bounds_the_end(demo):
    from corridor.service import curves

    rt = demo
    figures(rt, (0, 600), (2, 0))  # the linked operation lags: it bounds the end
    link = curves.curves(rt, forecast_runs=200)["progress"]["forecast"]["link"]
    assert link["name"] == agreement_2016.LINKED_NAME and link["bound_share"] > 0.5
    assert link["name_ar"] == agreement_2016.LINKED_NAME_AR  # the Arabic page names it in Arabic
    assert isinstance(link["unlinked_p50_at"], int)  # seconds, as every time on the curves
    figures(rt, (agreement_2016.linked_total(PEOPLE), 0))  # it has moved everyone: nothing to say
    assert curves.curves(rt, forecast_runs=200)["progress"]["forecast"]["link"] is None

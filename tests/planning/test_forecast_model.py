"""The forecast's model alone (no database): honest without disruption, seeded, and monotonic where it must be."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.planning.forecast import Clock, Observed, Schedule, learn, simulate


def schedule(vehicles=6, per_vehicle=5, travel=60.0, slack=0.0, windows=None, fleet=None) -> Schedule:
    """Each vehicle: trips back to back (gap 40 min + `slack`), convoys 3 minutes apart; in open minutes."""
    n = vehicles * per_vehicle
    vehicle = np.arange(n) % vehicles
    k = np.arange(n) // vehicles
    depart = k * (travel + 40.0 + slack) + vehicle * 3.0
    if windows is not None:  # keep every departure in an open minute: squeeze into the first window's length
        depart = windows[0][0] + (depart % (windows[0][1] - windows[0][0] - 1)) + (k // 4) * 1440.0
        order = np.lexsort((depart, vehicle))
        depart = np.maximum.accumulate(depart[order].reshape(vehicles, per_vehicle), axis=1).ravel()[
            np.argsort(order)]
    return Schedule(vehicle=vehicle, depart=depart.astype(float), travel=np.full(n, travel),
                    gap=np.where(k > 0, 40.0, 0.0), cycle=np.full(n, travel * 2 + 40), under_way=np.zeros(n, bool),
                    checkpoints_left=np.ones(n, bool), boarded=np.zeros(n, bool), fleet=fleet or vehicles,
                    due_trip=np.minimum([0, 1, 2], n - 1), due_at=np.array([30.0, 500.0, 90.0]), due_rank=np.array([0, 0, 1]),
                    persons=np.full(n, 40.0), windows=None if windows is None else np.array(windows, float))


DISRUPTED = learn(Observed())


def test_without_disruption_every_run_is_the_plan():
    s = schedule()
    outcome = simulate(s, None, 50, seed=3)
    assert outcome.quantiles() == [s.plan_finish] * 3
    assert outcome.missed.mean(axis=0).tolist() == [1.0, 0.0]  # the first trip arrives at 60, due at 30


def test_without_disruption_under_windows_too():
    windows = [(60.0 + d * 1440, 780.0 + d * 1440) for d in range(30)]
    s = schedule(windows=windows)
    assert simulate(s, None, 5, seed=0).quantiles() == [s.plan_finish] * 3


def test_disruption_makes_it_later_never_earlier_than_the_plan_without_losses():
    s = schedule()
    d = replace(DISRUPTED, loss_a=1e-9)
    outcome = simulate(s, d, 2000, seed=1)
    p10, p50, p90 = outcome.quantiles()
    assert s.plan_finish <= p10 <= p50 <= p90 and p90 > s.plan_finish
    assert 0 < outcome.share_by(p50) < 1


def test_seeded_and_reproducible_and_independent_of_chunking():
    s = schedule()
    a, b = simulate(s, DISRUPTED, 1500, seed=7), simulate(s, DISRUPTED, 1500, seed=7)
    assert np.array_equal(a.finish, b.finish) and np.array_equal(a.missed, b.missed)
    assert np.array_equal(simulate(s, DISRUPTED, 1000, seed=7).finish, a.finish[:1000])
    assert not np.array_equal(simulate(s, DISRUPTED, 1500, seed=8).finish, a.finish)


def test_a_halt_going_on_holds_every_departure_back():
    s = replace(schedule(), halted_for=30.0)
    d = replace(DISRUPTED, halt_scale=1e-12, hold_a=1e-9, loss_a=1e-9, noshow_a=1e-9)
    finish = simulate(s, d, 500, seed=2).finish
    assert (finish > s.plan_finish).all()


def test_learning_moves_from_the_prior_towards_what_was_seen():
    prior = learn(Observed())
    calm = learn(Observed(open_minutes=30 * 1440, trips_done=500, vehicle_trips=500, noshow_shares=(0.0,) * 500))
    stormy = learn(Observed(open_minutes=2 * 1440, halts=4, halt_minutes=(600, 900, 1200, 2000), trips_done=50,
                            holds=25, hold_minutes=25 * 300, vehicle_trips=50, vehicles_lost=5))
    rate = lambda d: d.halt_shape * d.halt_scale  # noqa: E731
    share = lambda a, b: a / (a + b)  # noqa: E731
    assert rate(calm) < rate(prior) < rate(stormy)
    assert share(calm.hold_a, calm.hold_b) < share(prior.hold_a, prior.hold_b) < share(stormy.hold_a, stormy.hold_b)
    assert stormy.hold_minutes > prior.hold_minutes and stormy.halt_log_mean > prior.halt_log_mean
    assert share(stormy.loss_a, stormy.loss_b) > share(prior.loss_a, prior.loss_b)
    assert share(calm.noshow_a, calm.noshow_b) < share(prior.noshow_a, prior.noshow_b)


def test_bad_runs_and_bad_schedules_are_refused():
    with pytest.raises(ValueError, match="runs"):
        simulate(schedule(), None, 0, seed=0)
    with pytest.raises(ValueError, match="fleet"):
        replace(schedule(), fleet=2)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2000), st.integers(1, 900)), min_size=1, max_size=6),
       st.floats(0, 20000))
def test_the_open_clock_counts_and_inverts(spans, t):
    windows, at = [], 0.0
    for gap, length in spans:
        windows.append((at + gap, at + gap + length))
        at += gap + length
    clock = Clock(np.array(windows, float))
    x = float(clock.open_before(t))
    assert 0 <= x <= t
    back = float(clock.wall_at(x))  # the first open minute with x open minutes before it
    assert float(clock.open_before(back)) == pytest.approx(x)
    if any(a <= t < b for a, b in windows) or t > windows[-1][1]:
        assert back == pytest.approx(t)
    else:
        assert back >= t and any(back == a for a, _ in windows) or back >= windows[-1][1]


knobs = st.fixed_dictionaries({
    "seed": st.integers(0, 2**16), "vehicles": st.integers(1, 6), "per_vehicle": st.integers(1, 6),
    "slack": st.floats(0, 120), "factor": st.floats(1.0, 5.0)})


@settings(max_examples=25, deadline=None)
@given(knobs)
def test_more_halts_never_earlier_in_any_run(k):
    s = schedule(k["vehicles"], k["per_vehicle"], slack=k["slack"])
    d = replace(DISRUPTED, loss_a=1e-9, noshow_a=1e-9)
    more = replace(d, halt_scale=d.halt_scale * k["factor"])
    a, b = simulate(s, d, 300, k["seed"]), simulate(s, more, 300, k["seed"])
    assert (b.finish >= a.finish - 1e-6).all()


@settings(max_examples=25, deadline=None)
@given(knobs)
def test_longer_halts_and_holds_never_earlier_in_any_run(k):
    s = schedule(k["vehicles"], k["per_vehicle"], slack=k["slack"])
    d = replace(DISRUPTED, loss_a=1e-9, noshow_a=1e-9)
    worse = replace(d, halt_log_mean=d.halt_log_mean + np.log(k["factor"]), hold_minutes=d.hold_minutes * k["factor"])
    a, b = simulate(s, d, 300, k["seed"]), simulate(s, worse, 300, k["seed"])
    assert (b.finish >= a.finish - 1e-6).all()
    assert (b.missed.sum(axis=1) >= a.missed.sum(axis=1)).all()


@settings(max_examples=25, deadline=None)
@given(knobs, st.integers(1, 10))
def test_more_vehicles_never_later_in_any_run(k, added):
    s = schedule(k["vehicles"], k["per_vehicle"], slack=k["slack"])
    bigger = replace(s, fleet=s.fleet + added)
    a, b = simulate(s, DISRUPTED, 300, k["seed"]), simulate(bigger, DISRUPTED, 300, k["seed"])
    assert (b.finish <= a.finish + 1e-6).all()


# -- the linked operation (forecast_link.py) ------------------------------------------------------------------------

from corridor.planning.forecast_link import LinkModel  # noqa: E402


def test_the_link_says_when_so_many_may_have_left():
    ratio = LinkModel("linked", moved_here=100, moved_there=100, as_of=-60, pace=2.0, ratio=1.0)
    assert ratio.time_for([50, 100, 101, 300]).tolist() == pytest.approx([0.0, 0.0, 0.0, 40.0])  # 101: by now
    steps = LinkModel("linked", moved_here=0, moved_there=10, as_of=0, pace=1.0, steps=((0, 50), (30, 80), (60, 100)))
    assert steps.time_for([50, 51, 80, 100, 101]).tolist() == pytest.approx([0.0, 20.0, 20.0, 50.0, np.inf])
    stuck = replace(steps, pace=0.0)
    assert stuck.time_for([50, 51]).tolist() == [0.0, np.inf]
    assert steps.there_by(1000) == 60  # no more is unlocked past the last step


@pytest.mark.parametrize("disruption", [None, DISRUPTED])
def test_a_link_that_never_binds_leaves_the_forecast_as_it_was(disruption):
    s = schedule()
    free = simulate(s, disruption, 400, seed=5)
    ahead = replace(s, link=LinkModel("linked", moved_here=0, moved_there=10_000, as_of=0, pace=1.0, ratio=1.0))
    linked = simulate(ahead, disruption, 400, seed=5)
    assert np.array_equal(linked.finish, free.finish) and np.array_equal(linked.unlinked, free.finish)
    assert linked.summary()["link"]["bound_share"] == 0.0


@pytest.mark.parametrize("link", [dict(ratio=1.0), dict(steps=((0, 400), (600, 800), (1200, 1200)))])
def test_a_lagging_linked_operation_moves_the_end_later_and_says_so(link):
    s = schedule()  # 30 trips of 40: 1,200 persons
    free = simulate(s, DISRUPTED, 400, seed=5)
    lagging = replace(s, link=LinkModel("linked", moved_here=0, moved_there=0, as_of=0, pace=1.0, **link))
    linked = simulate(lagging, DISRUPTED, 400, seed=5)
    assert np.all(linked.finish >= free.finish) and np.median(linked.finish) > np.median(free.finish) + 300
    assert linked.finish.min() >= 1200  # the last trip waits for 1,200 moved there, 1 a minute
    assert np.array_equal(linked.unlinked, free.finish)
    assert linked.summary()["link"]["bound_share"] > 0.9
    faster = simulate(replace(lagging, link=replace(lagging.link, pace=4.0)), DISRUPTED, 400, seed=5)
    assert np.all(faster.finish <= linked.finish)  # a faster linked operation never ends it later


def test_a_linked_operation_with_no_progress_never_lets_the_rest_go():
    s = schedule()
    held = replace(s, link=LinkModel("linked", moved_here=0, moved_there=0, as_of=0, pace=0.0, ratio=1.0))
    out = simulate(held, None, 10, seed=1).summary()
    assert out["never"] == 1.0 and out["p50"] is None and out["link"]["unlinked"][1] == s.plan_finish


def test_the_linked_operation_s_pace_varies_between_runs_with_disruption():
    s = schedule()  # 30 trips of 40: the last waits for 1,200 moved there, 1 a minute at the expected pace
    expected = LinkModel("linked", moved_here=0, moved_there=0, as_of=0, pace=1.0, ratio=1.0)
    fixed = simulate(replace(s, link=expected), DISRUPTED, 400, seed=5)
    varied = simulate(replace(s, link=replace(expected, pace_sigma=0.3)), DISRUPTED, 400, seed=5)
    assert np.array_equal(varied.unlinked, fixed.unlinked)  # the other draws stay the same
    assert varied.finish.min() < 1200 <= fixed.finish.min()  # some runs faster than expected, others slower
    width = [np.quantile(o.finish, 0.9) - np.quantile(o.finish, 0.1) for o in (fixed, varied)]
    assert width[1] > width[0] + 200
    plan = simulate(replace(s, link=replace(expected, pace_sigma=0.3)), None, 20, seed=5)
    assert np.all(plan.finish == plan.finish[0])  # no disruption: the plan at the expected pace, every run alike


def test_the_pace_s_spread_comes_from_the_figures():
    from corridor.planning.forecast_link import PACE_SPREAD_FLOOR, PACE_SPREAD_PRIOR, pace_spread

    assert pace_spread([]) == pace_spread([2.0]) == PACE_SPREAD_PRIOR  # too few figures to tell
    assert pace_spread([2.0, 2.0, 2.0]) == PACE_SPREAD_FLOOR  # steady so far: no promise for the days ahead
    assert pace_spread([1.0, 3.0]) == pytest.approx(np.sqrt(np.log(1 + 0.5 ** 2)))  # coefficient of variation 0.5

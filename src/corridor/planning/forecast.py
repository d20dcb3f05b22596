"""When will it end? The rest of the operation run many times under disruption: a pure model, vectorised over runs.

No storage, no web, no clock: a service turns the ledger's state into a `Schedule` (minutes from "now", minute 0)
and learns the `Disruption` from what the operation has seen so far (`learn`, with the priors stated below); this
module draws the runs and answers the finish time of each, and which medical deadlines each run misses.

The model (docs/forecast.md says the same for a coordinator)
-----------------------------------------------------------

* Plan positions. Each trip keeps its place in the plan: its planned departure, counted in minutes of open corridor
  from now (`Clock`: the agreed windows; always open without them).
* Halts arrive as a Poisson process in open-corridor time, at a rate drawn per run from its Gamma posterior; each
  lasts a log-normal time. A halt shifts every trip planned after it by its length (resuming re-plans the rest, so
  the whole queue moves back): a trip's earliest departure is its plan position plus the halts before it. Trips
  already on the road are not stopped. A halt going on now lasts on, conditioned on how long it has lasted.
* Checkpoint holds: each trip that still has checkpoints to pass is held with a probability drawn per run (Beta
  posterior), for an exponential time. A held vehicle is late for its next trips: a vehicle departs no earlier than
  its previous arrival plus unloading, the empty drive back and boarding (`Schedule.gap`), and no earlier than its
  shifted plan position. Departures happen in open minutes only.
* Vehicles lost: before each trip a vehicle is lost with a probability drawn per run (Beta posterior); it makes no
  more trips. Its trips' work (`Schedule.cycle`, vehicle-minutes) is done by the vehicles left, after their own.
* Lower turnout: each person called for a trip not yet boarded is not there when it leaves with a probability drawn
  per run (Beta posterior); those are carried after the plan ends, again as work for the vehicles left (trips of
  the plan's average load). Persons waiting in no trip (or held) are carried the same way, with or without
  disruption.
* Persons left over first take the free places on the trips still to leave; only those beyond need more trips.
* The linked operation (`forecast_link.py`), when the agreement ties this evacuation to one: a trip departs no
  earlier than the minute the linked operation's expected progress lets the persons here up to and including it
  leave (trips counted in planned order); persons carried after the plan wait for it too. Each run is also worked
  out without the link: where the link makes it later, the link is what bounds the end (`Outcome.unlinked`).
* The finish is the last arrival, plus that extra work spread over the vehicles left, but never less than one more
  trip when there is any: boarding and the road when a vehicle has no trip left (it waits where it is), else a
  whole cycle (and plus the halts falling in it).
  A person with a medical deadline misses it when their trip arrives after it (a lost trip: at the finish).

With `disruption=None` nothing is drawn: every run is the plan itself, so P10 = P50 = P90 = the plan's finish.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np

from corridor.planning.forecast_link import LinkModel

CHUNK = 1000  # runs drawn together (each chunk has its own seed, so a run's draws do not depend on `runs`)
HELD_AFTER = 15  # minutes late on the road counted as a checkpoint hold when learning


@dataclass(frozen=True)
class Schedule:
    """The rest of the operation as planned, one entry per trip not yet arrived; minutes from now (minute 0)."""

    vehicle: np.ndarray  # int: index of the trip's vehicle (0 .. fleet-1)
    depart: np.ndarray  # planned departure (a trip on the road: its actual departure, may be < 0)
    travel: np.ndarray  # planned minutes on the road
    gap: np.ndarray  # least minutes from the vehicle's previous trip's arrival to this departure (0: first)
    cycle: np.ndarray  # vehicle-minutes the trip takes (on the road, unloading, back, boarding)
    under_way: np.ndarray  # bool: left already (a halt does not stop it)
    checkpoints_left: np.ndarray  # bool: checkpoints still ahead (it may be held)
    boarded: np.ndarray  # bool: its people are aboard (turnout no longer matters)
    fleet: int  # vehicles in service (some may have no trip left)
    due_trip: np.ndarray = field(default_factory=lambda: np.zeros(0, int))  # per person with a deadline: trip (-1: none)
    due_at: np.ndarray = field(default_factory=lambda: np.zeros(0))  # … the deadline, minutes from now
    due_rank: np.ndarray = field(default_factory=lambda: np.zeros(0, int))  # … precedence rank (0 urgent)
    persons: np.ndarray | None = None  # persons per trip (None: none known)
    unplanned: int = 0  # persons waiting in no trip (carried after the plan, at its average load)
    windows: np.ndarray | None = None  # (n, 2) open minutes [open, close) from now, sorted; None: always open
    halted_for: float | None = None  # halted now, for this many minutes so far (None: running)
    boarding: float = 0.0  # minutes to board a trip (a sweep trip from a vehicle idle at a gathering point)
    spare: float = 0.0  # free places on the trips not yet boarded (persons left over take them first)
    link: LinkModel | None = None  # the linked operation gating departures here (None: no link)

    def __post_init__(self) -> None:  # plain sequences are taken as arrays (the service passes lists)
        for name, kind in _KINDS.items():
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, np.asarray(value, kind).reshape(-1, 2) if name == "windows"
                                   else np.asarray(value, kind))
        n = len(self.vehicle)
        for name in ("depart", "travel", "gap", "cycle", "under_way", "checkpoints_left", "boarded"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"schedule: {name} has {len(getattr(self, name))} entries for {n} trips")
        if n and (self.vehicle.min() < 0 or self.vehicle.max() >= self.fleet):
            raise ValueError("schedule: a trip's vehicle is outside the fleet")
        if len(self.due_trip) and self.due_trip.max() >= n:
            raise ValueError("schedule: a person with a deadline is on a trip the schedule does not have")

    @property
    def plan_finish(self) -> float:
        """The last planned arrival (0 when nothing is left on the road or planned)."""
        return float((self.depart + self.travel).max()) if len(self.depart) else 0.0


_KINDS = {"vehicle": int, "depart": float, "travel": float, "gap": float, "cycle": float, "under_way": bool,
          "checkpoints_left": bool, "boarded": bool, "due_trip": int, "due_at": float, "due_rank": int,
          "persons": float, "windows": float}


@dataclass(frozen=True)
class Disruption:
    """The disruption each run draws from: posterior parameters (see `learn`)."""

    halt_shape: float  # halt rate per open minute ~ Gamma(shape, scale)
    halt_scale: float
    halt_log_mean: float  # halt length (minutes) ~ LogNormal(mu, sigma), mu ~ Normal(mean, sd) per run
    halt_log_mean_sd: float
    halt_log_sigma: float
    hold_a: float  # P(a trip is held at a checkpoint) ~ Beta(a, b)
    hold_b: float
    hold_minutes: float  # a hold lasts Exponential(mean) minutes
    loss_a: float  # P(a vehicle is lost before a trip) ~ Beta(a, b)
    loss_b: float
    noshow_a: float  # share of a trip's persons not there when it leaves ~ Beta(a, b)
    noshow_b: float


@dataclass(frozen=True)
class Priors:
    """What the model believes before the operation has shown anything, and how much (in pseudo-observations)."""

    halts_per_day: float = 0.375  # east Aleppo, Dec 2016: halted 3 times in 8 days
    halt_rate_weight_days: float = 8.0  # … worth 8 days of operation
    halt_median_minutes: float = 360.0  # a halt's median length: 6 hours (one lasted 2 days in 2016)
    halt_log_sigma: float = 1.0  # log-normal spread (a 6 h median gives ~75 min to ~28 h as the 5-95 % range)
    halt_weight: float = 2.0  # … the median is worth two halts
    hold_share: float = 0.10  # a tenth of trips held at a checkpoint
    hold_weight: float = 10.0  # … worth 10 trips
    hold_minutes: float = 90.0  # a hold's mean length
    hold_minutes_weight: float = 2.0  # … worth 2 holds
    loss_share: float = 0.002  # one trip in 500 loses its vehicle (breakdown, seized, damaged)
    loss_weight: float = 500.0  # … worth 500 trips
    noshow_share: float = 0.05  # a twentieth of the persons called are not at the gathering point
    noshow_weight: float = 20.0  # … worth 20 trips


@dataclass(frozen=True)
class Observed:
    """What the operation has shown so far (counted by the service from the ledger)."""

    open_minutes: float = 0.0  # corridor-open minutes of operation so far (halted minutes excluded)
    halts: int = 0  # halts begun
    halt_minutes: tuple[float, ...] = ()  # lengths of the halts that ended
    trips_done: int = 0  # trips arrived (time on the road known)
    holds: int = 0  # … of them late on the road by more than HELD_AFTER minutes
    hold_minutes: float = 0.0  # … their minutes late, summed
    vehicle_trips: int = 0  # trips that left
    vehicles_lost: int = 0  # vehicles withdrawn
    noshow_shares: tuple[float, ...] = ()  # per trip that left: share of its assigned persons not boarded


def learn(seen: Observed, prior: Priors = Priors()) -> Disruption:
    """The posterior of each disruption parameter: conjugate updates of the stated priors with what was seen."""
    day = 1440.0
    shape = prior.halts_per_day * prior.halt_rate_weight_days + seen.halts
    exposure = prior.halt_rate_weight_days * day + seen.open_minutes
    logs = np.log(np.maximum(np.asarray(seen.halt_minutes, float), 1.0))
    n_halts = prior.halt_weight + len(logs)
    log_mean = (prior.halt_weight * np.log(prior.halt_median_minutes) + logs.sum()) / n_halts
    hold_mean = ((prior.hold_minutes * prior.hold_minutes_weight + seen.hold_minutes)
                 / (prior.hold_minutes_weight + seen.holds))
    trips = max(seen.trips_done, seen.holds)
    shares = np.asarray(seen.noshow_shares, float)
    noshow_n = prior.noshow_weight + len(shares)
    noshow = (prior.noshow_share * prior.noshow_weight + shares.sum()) / noshow_n
    return Disruption(
        halt_shape=shape, halt_scale=1.0 / exposure,
        halt_log_mean=float(log_mean), halt_log_mean_sd=prior.halt_log_sigma / np.sqrt(n_halts),
        halt_log_sigma=prior.halt_log_sigma,
        hold_a=prior.hold_share * prior.hold_weight + seen.holds,
        hold_b=(1 - prior.hold_share) * prior.hold_weight + trips - seen.holds, hold_minutes=float(hold_mean),
        loss_a=prior.loss_share * prior.loss_weight + seen.vehicles_lost,
        loss_b=(1 - prior.loss_share) * prior.loss_weight + max(0, seen.vehicle_trips - seen.vehicles_lost),
        noshow_a=float(noshow * noshow_n), noshow_b=float((1 - noshow) * noshow_n))


class Clock:
    """Minutes of open corridor: `open_before(t)` counts the open minutes in [0, t); `wall_at(x)` is the first
    minute with x open minutes before it (after the last window the corridor is taken as open)."""

    def __init__(self, windows: np.ndarray | None):
        self.windows = None if windows is None or len(windows) == 0 else np.asarray(windows, float)
        if self.windows is not None:
            self.starts, self.ends = self.windows[:, 0], self.windows[:, 1]
            self.lengths = self.ends - self.starts
            self.before = np.concatenate([[0.0], np.cumsum(self.lengths)[:-1]])

    def open_before(self, t):
        if self.windows is None:
            return np.asarray(t, float)
        t = np.asarray(t, float)
        i = np.searchsorted(self.starts, t, side="right") - 1
        j = np.maximum(i, 0)
        inside = np.clip(t - self.starts[j], 0.0, None)
        after_last = (i == len(self.starts) - 1) & (t > self.ends[-1])
        counted = self.before[j] + np.where(after_last, inside, np.minimum(inside, self.lengths[j]))
        return np.where(i < 0, 0.0, counted)

    def wall_at(self, x):
        if self.windows is None:
            return np.asarray(x, float)
        x = np.asarray(x, float)
        i = np.searchsorted(self.before, x, side="right") - 1
        j = np.maximum(i, 0)
        return self.starts[j] + (x - self.before[j])  # beyond the last window: open after it


@dataclass(frozen=True)
class Outcome:
    """Each run's finish (minutes from now; inf: no vehicle left) and medical deadlines missed by rank."""

    finish: np.ndarray
    missed: np.ndarray  # (runs, ranks): persons whose deadline passed before they arrived
    unlinked: np.ndarray | None = None  # each run's finish without the linked operation's gating (None: no link)

    def quantiles(self, qs=(0.1, 0.5, 0.9)) -> list[float]:
        return [float(np.quantile(self.finish, q, method="inverted_cdf")) for q in qs]

    def share_by(self, minute: float) -> float:
        return float(np.mean(self.finish <= minute))

    def summary(self, by: float | None = None) -> dict:
        """Plain numbers: P10/P50/P90 (None: never, no vehicle left), the share done by `by`, the persons
        expected to miss their deadline by rank, the share of runs that never finish."""
        quantiles = [q if np.isfinite(q) else None for q in self.quantiles()]
        out = {"p10": quantiles[0], "p50": quantiles[1], "p90": quantiles[2],
               "by": None if by is None else self.share_by(by),
               "missed": [float(m) for m in self.missed.mean(axis=0)],
               "never": float(np.mean(np.isinf(self.finish)))}
        if self.unlinked is not None:
            free = [float(np.quantile(self.unlinked, q, method="inverted_cdf")) for q in (0.1, 0.5, 0.9)]
            out["link"] = {"bound_share": float(np.mean(self.finish > self.unlinked + 0.5)),
                           "unlinked": [q if np.isfinite(q) else None for q in free]}
        return out


def simulate(s: Schedule, d: Disruption | None, runs: int, seed: int, ranks: int = 2) -> Outcome:
    """`runs` runs of the rest of the operation (disruption None: the plan itself, every run alike)."""
    if runs < 1:
        raise ValueError("runs: must be at least 1")
    prep = _Prepared(s)
    finishes, missed, unlinked = [], [], []
    for n, start in enumerate(range(0, runs, CHUNK)):
        size = min(CHUNK, runs - start)
        halts, trips, paces = (np.random.default_rng(c) for c in np.random.SeedSequence([seed, n]).spawn(3))
        f, m = _chunk(s, prep, d, size, halts, trips, ranks, linked=True, pace_rng=paces)
        finishes.append(f)
        missed.append(m)
        if s.link is not None:  # the same draws without the link: where it is later, the link bounds the end
            halts, trips = (np.random.default_rng(child) for child in np.random.SeedSequence([seed, n]).spawn(2))
            unlinked.append(_chunk(s, prep, d, size, halts, trips, ranks, linked=False)[0])
    return Outcome(np.concatenate(finishes), np.concatenate(missed),
                   np.concatenate(unlinked) if s.link is not None else None)


class _Prepared:
    """What every chunk shares: plan positions, each vehicle's trips in order, the watched trips."""

    def __init__(self, s: Schedule):
        self.clock = Clock(s.windows)
        n = len(s.vehicle)
        self.start = np.where(s.under_way, s.depart, np.maximum(s.depart, 0.0))
        self.position = np.where(s.under_way, 0.0, self.clock.open_before(self.start))
        self.levels, self.level_of = np.unique(self.position, return_inverse=True)
        order = np.lexsort((s.depart, ~s.under_way, s.vehicle))
        counts = np.bincount(s.vehicle, minlength=s.fleet) if n else np.zeros(s.fleet, int)
        self.steps = int(counts.max()) if n else 0
        self.table = np.full((s.fleet, self.steps), -1, int)  # vehicle x k-th trip -> trip
        first = np.concatenate([[0], np.cumsum(counts)[:-1]])
        if n:
            sv = s.vehicle[order]
            self.table[sv, np.arange(n) - first[sv]] = order
        self.last_position = float(self.position.max()) if n else 0.0
        persons = np.zeros(n) if s.persons is None else np.asarray(s.persons, float)
        self.load = float(persons[persons > 0].mean()) if (persons > 0).any() else 1.0
        self.cycle = float(s.cycle.mean()) if n else 0.0
        idle = len(np.unique(s.vehicle)) < s.fleet  # a vehicle with no trip left: it can sweep from where it is
        self.sweep = float(s.travel.mean()) + s.boarding if n and idle else self.cycle
        self.called = int(persons[~s.boarded].sum())  # persons still to turn up for their trip
        self.carried = np.where(persons > 0, persons, self.load)  # persons a trip carries (unknown: the average)
        link = s.link
        self.gate = None if link is None else link.gates(np.asarray(s.depart, float), self.carried, s.under_way)
        # the link's minute for everyone left to leave (the persons carried after the plan included)
        self.leaving_all = 0.0 if link is None else link.moved_here + self.carried[~s.under_way].sum() + s.unplanned
        self.gate_all = None if link is None else float(link.time_for(self.leaving_all))


def _halts(d: Disruption, size: int, horizon: float, halted_for: float | None, rng) -> tuple[np.ndarray, np.ndarray]:
    """Per run: halt positions (open minutes from now, sorted) and lengths; padded with +inf positions."""
    rate = rng.gamma(d.halt_shape, d.halt_scale, size)
    mu = rng.normal(d.halt_log_mean, d.halt_log_mean_sd, size)
    cols_pos, cols_len = [], []
    last = np.zeros(size)
    if halted_for is not None:  # the halt going on: its length given that it has lasted `halted_for`
        lo = NormalDist().cdf((np.log(max(halted_for, 1.0)) - d.halt_log_mean) / d.halt_log_sigma)
        u = rng.uniform(lo, 1.0, size)
        z = np.array([NormalDist().inv_cdf(min(max(v, 1e-12), 1 - 1e-12)) for v in u])
        total = np.exp(d.halt_log_mean + d.halt_log_sigma * z)
        cols_pos.append(np.zeros((size, 1)))
        cols_len.append(np.maximum(total - halted_for, 0.0)[:, None])
    while True:
        step = 8
        gaps = rng.exponential(1.0, (size, step)) / rate[:, None]
        pos = last[:, None] + np.cumsum(gaps, axis=1)
        length = np.exp(mu[:, None] + d.halt_log_sigma * rng.standard_normal((size, step)))
        cols_pos.append(pos)
        cols_len.append(length)
        last = pos[:, -1]
        if last.min() > horizon:
            break
    return np.concatenate(cols_pos, axis=1), np.concatenate(cols_len, axis=1)


def _shift_by_level(levels: np.ndarray, pos: np.ndarray, length: np.ndarray) -> np.ndarray:
    """(runs, levels): the halt minutes at or before each plan position."""
    size = pos.shape[0]
    idx = np.searchsorted(levels, pos, side="left")  # first level at or after the halt
    grid = np.zeros((size, len(levels) + 1))
    rows = np.repeat(np.arange(size), pos.shape[1])
    np.add.at(grid, (rows, idx.ravel()), length.ravel())
    return np.cumsum(grid, axis=1)[:, :-1]


def _chunk(s: Schedule, p: _Prepared, d: Disruption | None, size: int, halt_rng, rng, ranks: int,
           linked: bool = True, pace_rng=None):
    """One chunk of runs: halts drawn from `halt_rng`, everything per trip from `rng` (two streams, so that a
    different number of halts never changes the other draws); `linked`: the linked operation gates departures,
    at a pace of each run's own (drawn from `pace_rng`) with disruption."""
    n = len(s.vehicle)
    clock = p.clock
    on = d is not None
    gate, gate_all = (p.gate, p.gate_all) if linked else (None, None)
    scale = s.link.paces(pace_rng, size) if linked and on and s.link is not None else None
    if scale is not None:
        gate = s.link.gates(np.asarray(s.depart, float), p.carried, s.under_way, scale)
        gate_all = s.link.time_for(p.leaving_all, scale[:, 0])
    if on:
        horizon = p.last_position + 4 * 1440.0
        pos, length = _halts(d, size, horizon, s.halted_for, halt_rng)
        shift = _shift_by_level(p.levels, pos, length)
        held = rng.random((size, n)) < rng.beta(d.hold_a, d.hold_b, size)[:, None]
        hold = np.where(held & s.checkpoints_left[None, :], rng.exponential(d.hold_minutes, (size, n)), 0.0)
        lost = rng.random((size, n)) < rng.beta(d.loss_a, d.loss_b, size)[:, None]
        noshow = rng.beta(d.noshow_a, d.noshow_b, size)
    arrive = np.full((size, n), np.nan)
    previous = np.full((size, s.fleet), -np.inf)
    alive = np.ones((size, s.fleet), bool)
    extra = np.full(size, float(s.unplanned))  # persons left over: carried after the plan
    last = np.full(size, -np.inf)
    for k in range(p.steps):
        vs = np.nonzero(p.table[:, k] >= 0)[0]
        ts = p.table[vs, k]
        way = s.under_way[ts]
        earliest = p.position[ts] + (shift[:, p.level_of[ts]] if on else 0.0)
        ready = clock.open_before(previous[:, vs] + s.gap[ts]) if k else np.full((size, len(ts)), -np.inf)
        leave = clock.wall_at(np.maximum(earliest, ready))
        if gate is not None:  # held until the link lets it go, then in an open minute (a row per run, or one for all)
            g = gate[..., ts]
            leave = np.where(g > leave, clock.wall_at(clock.open_before(np.maximum(leave, g))), leave)
        leave = np.where(way, s.depart[ts], leave)
        reach = leave + s.travel[ts]
        reach = np.where(way, np.maximum(reach, 0.0), reach) + (hold[:, ts] if on else 0.0)
        runs = alive[:, vs] & ~(lost[:, ts] & ~way if on else False)
        alive[:, vs] = runs
        extra += np.where(runs, 0.0, p.carried[ts]).sum(axis=1)
        arrive[:, ts] = np.where(runs, reach, np.nan)
        previous[:, vs] = np.where(runs, reach, previous[:, vs])
        last = np.maximum(last, np.where(runs, reach, -np.inf).max(axis=1, initial=-np.inf))
    if on:
        extra += rng.binomial(p.called, noshow)
    over = np.maximum(extra - s.spare, 0.0)  # beyond the free places on the trips still to leave
    left = alive.sum(axis=1)
    spread = np.maximum(over / p.load * p.cycle / np.maximum(left, 1), p.sweep)  # shared; one trip at least
    catch_up = np.where(over > 0, np.where(left > 0, spread, np.inf), 0.0)
    never = np.isposinf(last)  # a trip the link never lets go
    last = np.where(np.isfinite(last), last, 0.0)
    end_position = clock.open_before(last)
    if on:  # halts falling while the extra work is done
        inside = (pos > p.last_position) & (pos <= p.last_position + catch_up[:, None])
        catch_up = catch_up + np.where(inside, length, 0.0).sum(axis=1)
    finish = np.where(catch_up > 0, clock.wall_at(end_position + np.where(np.isfinite(catch_up), catch_up, 0.0)),
                      last)
    finish = np.where(np.isinf(catch_up), np.inf, np.maximum(finish, last))
    if gate is not None and gate_all is not None:  # those carried after the plan wait for the link too
        finish = np.where(over > 0, np.maximum(finish, gate_all + p.sweep), finish)
    finish = np.where(never, np.inf, finish)
    return finish, _missed(s, arrive, finish, ranks)


def _missed(s: Schedule, arrive: np.ndarray, finish: np.ndarray, ranks: int) -> np.ndarray:
    """(runs, ranks): persons arriving after their deadline (a trip not made: arriving at the finish)."""
    out = np.zeros((len(finish), ranks))
    if not len(s.due_trip):
        return out
    on_trip = s.due_trip >= 0
    when = np.broadcast_to(finish[:, None], (len(finish), len(s.due_trip))).copy()
    if on_trip.any():
        got = arrive[:, s.due_trip[on_trip]]
        when[:, on_trip] = np.where(np.isnan(got), finish[:, None], got)
    late = when > s.due_at[None, :]
    for r in range(ranks):
        out[:, r] = late[:, s.due_rank == r].sum(axis=1)
    return out

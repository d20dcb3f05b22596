"""The situation picture: for each metric (and `about`), what each source last claimed about the time T, how
far apart the claims are, a graded central estimate — and, kept apart, the operation's own record.

Pure: it takes the claims (each claim's versions as recorded, and when it was withdrawn) and the record's
facts (`Record`, loaded by the service from the views) and returns plain dictionaries. How the estimate
weighs the claims is explained in docs/picture.md.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import combinations

from .claims import METRICS, ClaimContent, Figure, OperationState, weight

WINDOW = timedelta(hours=24)
TOLERANCE = 0.10  # two ranges disagree when they are further apart than 10 % of the larger


@dataclass(frozen=True)
class ClaimVersion:
    """One recorded version of a claim (its first recording, or a correction), in ledger order."""

    claim: str
    seq: int
    content: ClaimContent


def visible(versions: list[ClaimVersion], withdrawn: dict[str, datetime],
            known_at: datetime | None = None) -> list[ClaimVersion]:
    """Each claim as it stands: its latest version (reported by `known_at`, when given), unless withdrawn
    (by `known_at`). A correction replaces the claim; the ledger keeps both."""
    latest: dict[str, ClaimVersion] = {}
    for v in versions:
        if known_at is not None and v.content.reported_at > known_at:
            continue
        latest[v.claim] = v
    return [v for c, v in latest.items()
            if c not in withdrawn or (known_at is not None and withdrawn[c] > known_at)]


# --- the record -----------------------------------------------------------------------------------------------


def _sum_until(series: tuple[tuple[datetime, int], ...], t: datetime) -> int:
    times = [at for at, _ in series]
    return sum(n for _, n in series[:bisect_right(times, t)])


@dataclass(frozen=True)
class Departure:
    at: datetime
    convoy: str
    vehicle: str
    kind: str  # bus, minibus, ambulance


@dataclass(frozen=True)
class Record:
    """The operation's own facts, as the ledger's views hold them (never a claim)."""

    starts_at: datetime
    registered: tuple[tuple[datetime, int], ...] = ()  # (when, persons) registered, not merged away
    left: tuple[tuple[datetime, int], ...] = ()  # (when, persons) leaving the area for the first time
    medical_left: tuple[tuple[datetime, int], ...] = ()  # the same, of persons with a MEDEVAC precedence
    departures: tuple[Departure, ...] = ()
    halts: tuple[tuple[datetime, datetime | None], ...] = ()  # (halted, resumed or None)

    def waiting_at(self, t: datetime) -> int:
        return _sum_until(self.registered, t) - _sum_until(self.left, t)

    def figure(self, metric: str, t: datetime) -> int | None:
        """The record's own figure of a metric at t (None: the record does not know this metric)."""
        gone = [d for d in self.departures if d.at <= t]
        if metric == "persons_evacuated":
            return _sum_until(self.left, t)
        if metric == "persons_remaining":
            return self.waiting_at(t)
        if metric == "wounded_evacuated":
            return _sum_until(self.medical_left, t)
        if metric == "convoys":
            return len({d.convoy for d in gone})
        if metric == "buses":
            return len({d.vehicle for d in gone if d.kind in ("bus", "minibus")})
        if metric == "ambulances":
            return len({d.vehicle for d in gone if d.kind == "ambulance"})
        return None

    def halted_at(self, t: datetime) -> bool:
        return any(start <= t and (end is None or t < end) for start, end in self.halts)

    def state_at(self, t: datetime) -> OperationState:
        if self.halted_at(t):
            return OperationState.HALTED
        if _sum_until(self.left, t) > 0 and self.waiting_at(t) == 0:
            return OperationState.COMPLETE
        return OperationState.RUNNING

    def departures_between(self, start: datetime, end: datetime) -> int:
        return sum(1 for d in self.departures if start < d.at <= end)


# --- comparing ------------------------------------------------------------------------------------------------


def apart(low_a: float, high_a: float, low_b: float, high_b: float, tolerance: float) -> bool:
    """Do two ranges fail to overlap, even widened by `tolerance` of the larger figure? (open-ended: high inf)"""
    gap = max(low_a, low_b) - min(high_a, high_b)
    if gap <= 0:
        return False
    larger = max(low_a, low_b)  # the lower end of the higher range: the larger of the two figures compared
    return gap > tolerance * larger


def weighted_median(points: list[tuple[float, float]]) -> float | None:
    """The value where half the weight lies on either side (the mean of the two middle ones on a tie)."""
    if not points:
        return None
    points = sorted(points)
    half = sum(w for _, w in points) / 2
    running = 0.0
    for i, (value, w) in enumerate(points):
        running += w
        if abs(running - half) < 1e-9 and i + 1 < len(points):
            return (value + points[i + 1][0]) / 2
        if running > half:
            return value
    return points[-1][0]


@dataclass
class _Entry:
    version: ClaimVersion
    figure: Figure
    contradicts: list[str] = field(default_factory=list)


def _latest_per_source(items: list[tuple[ClaimVersion, Figure]]) -> list[tuple[ClaimVersion, Figure]]:
    """One claim per source (however many outlets carried it): the one about the latest time, then the latest
    reported, then the latest recorded."""
    best: dict[str, tuple[ClaimVersion, Figure]] = {}
    for v, f in items:
        key = v.content.source_key
        rank = (f.as_of, v.content.reported_at, v.seq)
        if key not in best or rank > (best[key][1].as_of, best[key][0].content.reported_at, best[key][0].seq):
            best[key] = (v, f)
    return sorted(best.values(), key=lambda vf: (vf[1].central, vf[0].claim))


def _claim_line(e: _Entry) -> dict:
    c, f = e.version.content, e.figure
    return {"claim": e.version.claim, "source": c.source, "source_kind": c.source_kind.value, "outlet": c.outlet,
            "value": f.value, "low": f.low, "high": f.high, "as_of": f.as_of.isoformat(),
            "reported_at": c.reported_at.isoformat(), "reliability": c.reliability, "credibility": c.credibility,
            "weight": round(weight(c.reliability, c.credibility), 4), "statement": c.statement,
            "contradicts": sorted(e.contradicts)}


def _metric_entry(metric: str, about: str | None, items, as_of: datetime, record: Record | None,
                  tolerance: float) -> dict:
    entries = [_Entry(v, f) for v, f in _latest_per_source(items)]
    for a, b in combinations(entries, 2):
        if apart(a.figure.low, a.figure.top, b.figure.low, b.figure.top, tolerance):
            a.contradicts.append(b.version.claim)
            b.contradicts.append(a.version.claim)
    estimate = weighted_median([(e.figure.central, weight(e.version.content.reliability,
                                                          e.version.content.credibility)) for e in entries])
    ledger = record.figure(metric, as_of) if record is not None and about is None else None
    lines = [_claim_line(e) for e in entries]
    high = max(e.figure.high or e.figure.low for e in entries)
    for line, e in zip(lines, entries):
        line["far_from_ledger"] = ledger is not None and apart(e.figure.low, e.figure.top, ledger, ledger, tolerance)
    return {
        "metric": metric, "about": about, "claims": lines,
        "low": min(e.figure.low for e in entries), "high": high,
        "open_ended": any(e.figure.high is None and e.figure.low >= high for e in entries),  # "more than high"
        "estimate": None if estimate is None else round(estimate),
        "sources": len(entries), "contradiction": any(e.contradicts for e in entries),
        "ledger": None if ledger is None else {"value": ledger, "as_of": as_of.isoformat()},
    }


def _state_entry(claims: list[ClaimVersion], as_of: datetime, window: timedelta, record: Record | None) -> dict:
    latest: dict[str, ClaimVersion] = {}
    for v in claims:
        c = v.content
        if c.operation_state is None or not as_of - window < c.reported_at <= as_of:
            continue
        known = latest.get(c.source_key)
        if known is None or (c.reported_at, v.seq) > (known.content.reported_at, known.seq):
            latest[c.source_key] = v
    lines = []
    for v in sorted(latest.values(), key=lambda v: (v.content.reported_at, v.claim)):
        c = v.content
        against = _against_record(c.operation_state, c.reported_at, as_of, window, record)
        lines.append({"claim": v.claim, "source": c.source, "source_kind": c.source_kind.value,
                      "state": c.operation_state.value, "as_of": c.reported_at.isoformat(),
                      "reliability": c.reliability, "credibility": c.credibility, "statement": c.statement,
                      "contradicts_record": against is not None, "record": against})
    states = {line["state"] for line in lines}
    return {"claims": lines, "states": sorted(states),
            "contradiction": len(states) > 1 or any(line["contradicts_record"] for line in lines),
            "ledger": None if record is None else record.state_at(as_of).value}


def _against_record(state: OperationState, t: datetime, as_of: datetime, window: timedelta,
                    record: Record | None) -> str | None:
    """Why a claimed state contradicts the record (None: it does not, or there is no record)."""
    if record is None or t < record.starts_at:
        return None
    if state is OperationState.COMPLETE and record.waiting_at(t) > 0:
        return f"{record.waiting_at(t)} persons still waiting in the record"
    if state is OperationState.HALTED and not record.halted_at(t):
        moved = record.departures_between(t - window, as_of)
        if moved:
            return f"the record is not halted and has {moved} departures in the {window} up to {as_of.isoformat()}"
    if state is OperationState.RUNNING and record.halted_at(t):
        return "the record is halted at that time"
    return None


def picture(claims: list[ClaimVersion], as_of: datetime, *, record: Record | None = None,
            window: timedelta = WINDOW, tolerance: float = TOLERANCE) -> dict:
    """The picture at `as_of` from the claims as they stand (see `visible`) and, apart, the record."""
    groups: dict[tuple[str, str | None], list[tuple[ClaimVersion, Figure]]] = {}
    for v in claims:
        for f in v.content.figures:
            if as_of - window < f.as_of <= as_of:
                groups.setdefault((f.metric, f.about), []).append((v, f))
    order = list(METRICS)
    keys = sorted(groups, key=lambda k: (order.index(k[0]), k[1] is not None, k[1] or ""))
    return {"as_of": as_of.isoformat(), "window_hours": window.total_seconds() / 3600, "tolerance": tolerance,
            "metrics": [_metric_entry(m, about, groups[(m, about)], as_of, record, tolerance) for m, about in keys],
            "operation_state": _state_entry(claims, as_of, window, record)}

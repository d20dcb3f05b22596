"""Accounting for every person: reconciliation of who boarded against who arrived.

Pure functions over manifest lines (one per person per trip); the store reads
the lines, these rules say what each difference is.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime

from .values import TripState


@dataclass(frozen=True)
class ManifestLine:
    trip: str
    person: str
    assigned: bool
    boarded_at: datetime | None
    left_behind: bool
    off_checkpoint: str | None
    off_outcome: str | None
    off_reason: str | None
    scanned_at: datetime | None
    unaccounted: bool
    arrived_with: str | None  # the trip the person was finally scanned in with, if any
    turned_back: bool = False  # the convoy was sent back with them aboard: back to waiting, planned again
    follow_up: str | None = None  # the vehicle was lost on the road: injured | transferred | unaccounted
    follow_up_to: str | None = None  # transferred: the trip that took them on


@dataclass(frozen=True)
class Difference:
    person: str
    kind: str  # left_behind | held | removed | not_scanned_in | unaccounted | arrived_with_other_trip | arrived_without_boarding | found_later
    detail: str


# What became of one manifest line. Every line of a person who boarded has exactly one of the first five;
# a line without boarding is either nothing (assigned, not aboard) or an arrival without boarding.
TAKEN_OFF = "taken_off"  # held or removed at a checkpoint (whatever happened to them afterwards)
ARRIVED = "arrived"  # scanned in with this trip
ARRIVED_OTHER_TRIP = "arrived_other_trip"  # scanned in with another trip
UNACCOUNTED = "unaccounted"  # the trip was closed without them
TURNED_BACK = "turned_back"  # the trip was turned back with them aboard (not a difference: they wait again)
FOLLOW_UP = "follow_up"  # the vehicle was lost on the road with them aboard (each a difference, followed up)
NOT_SCANNED = "not_scanned"  # still aboard, or arrived and not yet scanned in
ARRIVED_WITHOUT_BOARDING = "arrived_without_boarding"
BOARDED_OUTCOMES = (TAKEN_OFF, ARRIVED, ARRIVED_OTHER_TRIP, UNACCOUNTED, NOT_SCANNED, TURNED_BACK, FOLLOW_UP)


def outcome(ln: ManifestLine) -> str | None:
    """The one outcome of a manifest line (see above); None for a person assigned who never boarded."""
    if ln.boarded_at is None:
        return ARRIVED_WITHOUT_BOARDING if ln.scanned_at is not None else None
    if ln.off_checkpoint:
        return TAKEN_OFF
    if ln.turned_back:
        return TURNED_BACK
    if ln.follow_up:
        return FOLLOW_UP
    if ln.scanned_at is not None:
        return ARRIVED
    if ln.arrived_with and ln.arrived_with != ln.trip:
        return ARRIVED_OTHER_TRIP
    if ln.unaccounted:
        return UNACCOUNTED
    return NOT_SCANNED


@dataclass
class Counts:
    """What became of those who boarded, counted by `outcome` (a trip's, or summed over trips)."""

    boarded: int = 0
    taken_off: int = 0
    arrived: int = 0
    not_scanned: int = 0
    unaccounted: int = 0
    arrived_other_trip: int = 0
    arrived_without_boarding: int = 0
    turned_back: int = 0
    follow_up: int = 0


@dataclass(kw_only=True)
class TripReconciliation(Counts):
    """Who boarded a trip and what became of each of them.

    The balance, per trip and summed over trips: boarded = taken_off + arrived + not_scanned +
    unaccounted + arrived_other_trip + turned_back + follow_up (each boarded person counted once, by `outcome`).
    `arrived_without_boarding` (scanned in with this trip, no boarding record on it) is outside it."""

    trip: str
    state: TripState
    vehicle: str
    destination: str
    assigned: int = 0
    differences: list[Difference] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        return not self.differences

    @property
    def sums_balance(self) -> bool:
        return balance_holds(self)


def balance_holds(r: Counts) -> bool:
    """boarded = taken_off + arrived + not_scanned + unaccounted + arrived_other_trip + turned_back + follow_up
    (a trip or a total)."""
    return r.boarded == (r.taken_off + r.arrived + r.not_scanned + r.unaccounted + r.arrived_other_trip
                         + r.turned_back + r.follow_up)


def totals(trips: list[TripReconciliation]) -> Counts:
    """The counts summed over trips; the balance holds for the sums too."""
    out = Counts()
    for r in trips:
        for f in fields(Counts):
            setattr(out, f.name, getattr(out, f.name) + getattr(r, f.name))
    return out


def reconcile_trip(trip: str, state: TripState, vehicle: str, destination: str,
                   lines: list[ManifestLine]) -> TripReconciliation:
    r = TripReconciliation(trip=trip, state=state, vehicle=vehicle, destination=destination)
    for ln in sorted(lines, key=lambda x: x.person):
        r.assigned += ln.assigned
        r.boarded += ln.boarded_at is not None
        kind = outcome(ln)
        if kind is not None:
            setattr(r, kind, getattr(r, kind) + 1)
        diff = _difference(ln, state)
        if diff:
            r.differences.append(diff)
    assert balance_holds(r), f"reconciliation of {trip} does not balance"
    return r


def _difference(ln: ManifestLine, state: TripState) -> Difference | None:
    later = f"; later arrived with trip {ln.arrived_with}" if ln.arrived_with and ln.arrived_with != ln.trip else ""
    if ln.left_behind:
        return Difference(ln.person, "left_behind", "assigned, not aboard when the trip departed" + later)
    if ln.boarded_at is None and ln.scanned_at is not None:
        return Difference(ln.person, "arrived_without_boarding", "scanned in at arrival without a boarding record on this trip")
    if ln.boarded_at is None:
        return None
    if ln.off_checkpoint:
        return Difference(ln.person, ln.off_outcome or "held", f"at {ln.off_checkpoint}: {ln.off_reason}{later}")
    if ln.turned_back:
        return None  # the trip was turned back: shown as such on the trip, the person waits to be planned again
    if ln.follow_up:
        to = f" to trip {ln.follow_up_to}" if ln.follow_up_to else ""
        return Difference(ln.person, ln.follow_up, f"aboard when the vehicle was lost on the road: "
                                                   f"{ln.follow_up}{to}{later}")
    if ln.scanned_at is not None:
        return None
    if ln.arrived_with and ln.arrived_with != ln.trip:
        kind = "found_later" if ln.unaccounted else "arrived_with_other_trip"
        return Difference(ln.person, kind, f"boarded this trip, scanned in with trip {ln.arrived_with}")
    if ln.unaccounted:
        return Difference(ln.person, "unaccounted", "boarded, never scanned in at the reception centre")
    if state is TripState.ARRIVED:
        return Difference(ln.person, "not_scanned_in", "boarded, not yet scanned in")
    return None

"""Accounting for every person: reconciliation of who boarded against who arrived.

Pure functions over manifest lines (one per person per trip); the store reads
the lines, these rules say what each difference is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class Difference:
    person: str
    kind: str  # left_behind | held | removed | not_scanned_in | unaccounted | arrived_with_other_trip | arrived_without_boarding | found_later
    detail: str


@dataclass
class TripReconciliation:
    trip: str
    state: TripState
    vehicle: str
    destination: str
    assigned: int = 0
    boarded: int = 0
    taken_off: int = 0
    arrived: int = 0
    differences: list[Difference] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        return not self.differences


def reconcile_trip(trip: str, state: TripState, vehicle: str, destination: str,
                   lines: list[ManifestLine]) -> TripReconciliation:
    r = TripReconciliation(trip=trip, state=state, vehicle=vehicle, destination=destination)
    for ln in sorted(lines, key=lambda x: x.person):
        r.assigned += ln.assigned
        r.boarded += ln.boarded_at is not None
        r.arrived += ln.scanned_at is not None
        diff = _difference(ln, state)
        if ln.off_checkpoint:
            r.taken_off += 1
        if diff:
            r.differences.append(diff)
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

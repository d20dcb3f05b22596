"""Running an operation to its end on a simulated clock, through the same
services a field team uses: boarding, departures, checkpoints (with people
held and taken off), arrivals and scans, a halt under shelling and the
resumption with a new plan, and the last people planned and moved. On the
road: private vehicles joining convoys, a convoy turned back at a checkpoint on
the first day (see `road`); under the demo's agreement, the linked operation's buses attacked and burned on its
road and departures here halted for a while after it (`agreement_2016.LINKED_INCIDENT`)."""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from ..domain.errors import RuleRefused
from ..service import agreement, linked, movement, planning, reports
from . import road
from ..service.recording import Meta
from ..service.runtime import Runtime
from . import agreement_2016


@dataclass
class Incidents:
    """What goes wrong on purpose, so the record has something to account for."""

    halt_after: timedelta = timedelta(hours=6)
    halt_for: timedelta = timedelta(hours=3)
    held_on_trip: int = 3  # the n-th departure has one person held at its first checkpoint
    removed_on_trip: int = 5  # … one person taken off and not kept
    left_behind_on_trip: int = 2  # the n-th boarding leaves one assigned person behind
    unaccounted_on_trip: int = 8  # … one person never scanned in at the reception centre
    release_after: timedelta = timedelta(hours=2)  # the held person is released this long after
    private_vehicles: int = 3  # the first n boardings each see a private car join their convoy
    turned_back_on_trip: int = 6  # the n-th departure's convoy is sent back at its first checkpoint
    attacked_on_trip: int | None = None  # the n-th departure's vehicle is attacked before its first checkpoint (the
    # demo's attacked vehicles are the linked operation's: `linked_incident`)
    linked_incident: bool = True  # under the demo's agreement: the linked operation's incident, and the halt after it
    discharge_after: timedelta = timedelta(hours=4)  # the injured leave care this long after, and wait again


@dataclass
class SimulationResult:
    commands: int = 0
    plans: int = 0
    halts: int = 0
    finished_at: datetime | None = None
    deferred_departures: int = 0
    notes: list[str] = field(default_factory=list)


class Simulation:
    def __init__(self, rt: Runtime, *, start: datetime, seed: int = 0, incidents: Incidents | None = None,
                 actor: str = "simulator", device: str = "sim", linked: list[tuple[timedelta, int]] | None = None):
        self.rt = rt
        self.linked = linked  # when the linked operation's figures come in (None: the demo agreement's, if any)
        self.held_by_link: list[str] = []  # departures the agreement's link holds, tried again with new figures
        self.stalled = 0
        self.start = start
        self.seed = seed
        self.inc = incidents or Incidents()
        self.actor, self.device = actor, device
        self.heap: list = []
        self.order = itertools.count()
        self.cmd = itertools.count(1)
        self.now = start
        self.scheduled: set[str] = set()
        self.departures = 0
        self.boardings = 0
        self.deferred: list[str] = []
        self.skip_scan: set[str] = set()
        self.private_trips: dict[str, str] = {}  # private vehicles' trips and the convoy each joined
        self.private_left: set[str] = set()  # … those that have left
        self.result = SimulationResult()
        layout = reports.setup(rt)
        self.minutes = {(x["origin"], x["destination"]): x["minutes"] for x in layout["legs"]}
        self.minutes.update({(b, a): m for (a, b), m in list(self.minutes.items())})
        self.checkpoints = {s["code"] for s in layout["sites"] if s["kind"] == "checkpoint"}

    # --- plumbing ------------------------------------------------------------------
    def meta(self, at: datetime) -> Meta:
        self.result.commands += 1
        return Meta(command_id=f"sim:{self.seed}:{next(self.cmd)}", actor=self.actor, device=self.device, at=at)

    def at(self, when: datetime, kind: str, arg=None) -> None:
        heapq.heappush(self.heap, (when, next(self.order), kind, arg))

    def schedule_planned(self) -> None:
        boarding = timedelta(minutes=10)
        for t in reports.trips(self.rt, None):
            if t["state"] == "planned" and t["id"] not in self.scheduled:
                self.scheduled.add(t["id"])
                depart = datetime.fromisoformat(t["depart_at"])
                self.at(max(self.now, depart - boarding), "board", t["id"])
                self.at(max(self.now, depart), "depart", t["id"])

    # --- the run -------------------------------------------------------------------
    def run(self, pace: Callable[[datetime], None] | None = None) -> SimulationResult:
        self.schedule_planned()
        self.at(self.start + self.inc.halt_after, "halt")
        for after, moved in self._linked_timeline():
            self.at(self.start + after, "linked", moved)
        if self.inc.linked_incident and self._linked_timeline() and self.linked is None:
            self.at(self.start + timedelta(hours=agreement_2016.LINKED_INCIDENT[0]), "linked_incident")
        while True:
            while self.heap:
                when, _, kind, arg = heapq.heappop(self.heap)
                self.now = max(self.now, when)
                if pace:
                    pace(self.now)
                getattr(self, f"_{kind}")(arg)
            if not self._plan_the_rest():
                break
        self.result.finished_at = self.now
        return self.result

    def _linked_timeline(self) -> list[tuple[timedelta, int]]:
        if self.linked is not None:
            return self.linked
        terms = agreement.current_terms(self.rt)
        if terms is None or terms["link"] is None or terms["link"]["name"] != agreement_2016.LINKED_NAME:
            return []
        return agreement_2016.linked_figures(reports.status(self.rt)["persons_registered"])

    def _plan_the_rest(self) -> bool:
        persons = reports.status(self.rt)["persons"]
        if not persons["waiting"] and not (persons["assigned"] and not self.heap):
            return False
        standing = (persons["waiting"], persons["assigned"], persons["arrived"])
        self.stalled = self.stalled + 1 if standing == getattr(self, "last_standing", None) else 0
        self.last_standing = standing
        if self.stalled >= 3:  # planned again and again and nobody moved: say so and stop
            self.result.notes.append(f"stopped at {self.now:%d %b %H:%M}: {persons['waiting']} waiting and "
                                     f"{persons['assigned']} assigned cannot be moved")
            return False
        try:
            made = planning.plan(self.rt, self.meta(self.now))
            self.result.notes += [f"plan at {self.now:%d %b %H:%M}: {w}" for w in made.data["warnings"]
                                  if "by the agreement" in w]
        except RuleRefused as err:  # everyone left is held (by the agreement's link): nothing more to do now
            self.result.notes.append(f"plan at {self.now:%d %b %H:%M}: {err.detail}")
            return False
        self.result.plans += 1
        self.schedule_planned()
        return True

    def _linked(self, moved: int) -> None:
        """A coordinator enters the linked operation's figures: departures it held go, the rest is planned."""
        agreement.record_linked_figures(self.rt, self.meta(self.now), moved=moved, as_of=self.now,
                                        note="as reported by the liaison")
        held, self.held_by_link = self.held_by_link, []
        for trip in held:
            self.at(self.now + timedelta(minutes=1), "depart", trip)
        persons = reports.status(self.rt)["persons"]
        if persons["waiting"] and not reports.status(self.rt)["operation"]["halted"]:
            self._plan_the_rest()

    def _linked_incident(self, _arg) -> None:
        """The linked operation's buses attacked and burned on its road: the coordinator records it as reported and
        halts departures here; they resume after `agreement_2016.SUSPENDED_FOR`."""
        _, incident, vehicles, persons = agreement_2016.LINKED_INCIDENT
        linked.record_incident(self.rt, self.meta(self.now), incident=incident, occurred_at=self.now,
                               vehicles=vehicles, persons_affected=persons, source="liaison",
                               note=agreement_2016.LINKED_INCIDENT_NOTE)
        if reports.status(self.rt)["operation"]["halted"]:
            return
        movement.halt(self.rt, self.meta(self.now), cause="agreement_suspended",
                      note="departures suspended after the incident on the linked operation's road")
        self.result.halts += 1
        self.at(self.now + agreement_2016.SUSPENDED_FOR, "resume")

    # --- actions -------------------------------------------------------------------
    def _board(self, trip: str) -> None:
        people = [p for p in reports.manifest(self.rt, trip) or [] if p["state"] == "assigned" and p["trip"] == trip]
        if not people:
            return
        self.boardings += 1
        if self.boardings == self.inc.left_behind_on_trip and len(people) > 1:
            people = people[1:]
        try:
            movement.board(self.rt, self.meta(self.now), trip=trip, tokens=[p["token"] for p in people])
        except RuleRefused as err:  # cancelled by a new plan meanwhile
            self.result.notes.append(f"board {trip}: {err.detail}")
            return
        if self.boardings <= self.inc.private_vehicles:
            road.private_vehicle_joins(self, trip)

    def _depart(self, trip: str) -> None:
        detail = reports.trip_detail(self.rt, trip)
        if detail is None or detail["state"] not in ("planned", "boarding") or \
                detail["boarded"] + detail["unregistered"] == 0:
            return
        for private in road.private_in_convoy(self, detail):
            self.at(self.now, "depart", private)
        if reports.status(self.rt)["operation"]["halted"]:
            self.deferred.append(trip)
            self.result.deferred_departures += 1
            return
        try:
            movement.depart(self.rt, self.meta(self.now), trip=trip,
                            driver="" if detail["private"] else road.driver_of(detail["vehicle"]))
        except RuleRefused as err:
            if not (err.field or "").startswith("agreement."):
                raise
            self.held_by_link.append(trip)  # its people wait aboard until the linked operation moves
            self.result.deferred_departures += 1
            self.result.notes.append(f"depart {trip} at {self.now:%d %b %H:%M}: {err.detail}")
            return
        self.departures += not detail["private"]
        n = 0 if detail["private"] else self.departures  # the incidents befall the fleet's n-th departure
        clock = self.now
        route = detail["route"]
        first_checkpoint = True
        for a, b in zip(route, route[1:]):
            clock += timedelta(minutes=self.minutes[(a, b)])
            if b in self.checkpoints:
                if first_checkpoint and n == self.inc.attacked_on_trip:
                    self.at(clock - timedelta(minutes=1), "attack", trip)
                if first_checkpoint and n == self.inc.turned_back_on_trip:
                    self.at(clock, "turn_back", (trip, b))
                incident = None
                if first_checkpoint and n == self.inc.held_on_trip:
                    incident = ("held", "held for questioning, as stated by the checkpoint")
                elif first_checkpoint and n == self.inc.removed_on_trip:
                    incident = ("removed", "taken off the vehicle for a document check, as stated")
                self.at(clock, "checkpoint", (trip, b, incident))
                first_checkpoint = False
        self.at(clock, "arrive", trip)
        self.at(clock + timedelta(minutes=5), "scan", trip)
        self.at(clock + timedelta(minutes=20), "close", trip)
        if n >= self.inc.unaccounted_on_trip and not self.skip_scan and detail["boarded"] > 1:
            self.skip_scan.add(trip)  # the first such departure with more than one aboard

    def on_road(self, trip: str) -> bool:
        """Still on its way (not turned back, not lost): its next checkpoint, arrival, scans and closing happen."""
        detail = reports.trip_detail(self.rt, trip)
        return detail is not None and detail["state"] not in ("turned_back", "lost")

    def replan(self) -> None:
        try:
            planning.plan(self.rt, self.meta(self.now))
        except RuleRefused as err:
            self.result.notes.append(f"replan: {err.detail}")
            return
        self.result.plans += 1
        self.schedule_planned()

    def _turn_back(self, arg) -> None:
        road.turn_back(self, *arg)

    def _attack(self, trip: str) -> None:
        road.attack(self, trip)

    def _discharge(self, token: str) -> None:
        movement.release(self.rt, self.meta(self.now), token=token, note="discharged from care after the attack")

    def _checkpoint(self, arg) -> None:
        trip, checkpoint, incident = arg
        if not self.on_road(trip):
            return
        taken_off = []
        if incident:
            aboard = [p for p in reports.manifest(self.rt, trip) or []
                      if p["state"] == "in_transit" and p["trip"] == trip]
            if aboard:
                person = aboard[len(aboard) // 2]["token"]
                taken_off = [{"token": person, "outcome": incident[0], "reason": incident[1]}]
                if incident[0] == "held":
                    self.at(self.now + self.inc.release_after, "release", person)
        movement.pass_checkpoint(self.rt, self.meta(self.now), trip=trip, checkpoint=checkpoint, taken_off=taken_off)

    def _arrive(self, trip: str) -> None:
        if self.on_road(trip):
            movement.arrive(self.rt, self.meta(self.now), trip=trip)

    def _scan(self, trip: str) -> None:
        if not self.on_road(trip):
            return
        aboard = [p["token"] for p in reports.manifest(self.rt, trip) or []
                  if p["state"] == "in_transit" and p["trip"] == trip]
        if trip in self.skip_scan and len(aboard) > 1:
            aboard = aboard[:-1]
        for i in range(0, len(aboard), 100):
            movement.scan_in(self.rt, self.meta(self.now), trip=trip, tokens=aboard[i:i + 100])

    def _close(self, trip: str) -> None:
        if self.on_road(trip):
            movement.close(self.rt, self.meta(self.now), trip=trip)

    def _release(self, token: str) -> None:
        movement.release(self.rt, self.meta(self.now), token=token, note="released at the checkpoint")

    def _halt(self, _arg) -> None:
        movement.halt(self.rt, self.meta(self.now), cause="shelling", note="shelling near the crossing")
        self.result.halts += 1
        self.at(self.now + self.inc.halt_for, "resume")

    def _resume(self, _arg) -> None:
        # resuming plans the rest from where everything stands now
        outcome = planning.resume(self.rt, self.meta(self.now), note="renewed security guarantees from all parties")
        self.result.plans += outcome["plan"] is not None
        if outcome["plan_refused"]:
            self.result.notes.append(f"replan on resume: {outcome['plan_refused']}")
        for trip in self.deferred:
            self.at(self.now + timedelta(minutes=1), "depart", trip)
        self.deferred.clear()
        self.schedule_planned()

"""What happens on the road in the simulated operation (`simulate`): private cars joining convoys with a household
and people not registered, a convoy sent back at a checkpoint, a vehicle attacked with people aboard (some taken on
by another vehicle of the road, the others injured, in care, then planned again)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from ..domain.errors import CorridorError
from ..service import reports
from ..service import road as service


# the fleet's drivers (staff of the operators), as the marshal signs them off at departure
DRIVERS = ("Abu Fadi / أبو فادي", "Abu Samir / أبو سمير", "Mahmoud Haddad / محمود حداد", "Ziad Kassem / زياد قاسم",
           "Omar Darwish / عمر درويش", "Bassel Nasr / باسل نصر", "Rami Saleh / رامي صالح")


def driver_of(vehicle: str) -> str:
    return DRIVERS[sum(map(ord, vehicle)) % len(DRIVERS)]


def _household_to_take(sim, detail: dict, most: int) -> list[dict]:
    """A household assigned to a later trip from the same gathering point to the same centre, of at most `most`."""
    later = [t for t in reports.trips(sim.rt, None) if t["state"] == "planned" and t["id"] != detail["id"]
             and t["origin"] == detail["origin"] and t["destination"] == detail["destination"]]
    for t in reversed(later):
        members = defaultdict(list)
        for p in reports.manifest(sim.rt, t["id"]) or []:
            members[p["household"]].append(p)
        for people in members.values():
            if len(people) <= most and all(p["state"] == "assigned" and p["trip"] == t["id"] for p in people):
                return people
    return []


def private_vehicle_joins(sim, trip: str) -> None:
    """A private car joins the convoy of `trip` with a household that was to leave later, and people not registered;
    the household's head drives (named by token: nothing personal about the driver is written in the clear)."""
    detail = reports.trip_detail(sim.rt, trip)
    people = _household_to_take(sim, detail, most=4)
    n = len(sim.private_trips) + 1
    # its convoy, or (when that one is full) the next convoy from the same gathering point to the same centre
    later = [t for t in reports.trips(sim.rt, None) if t["state"] in ("planned", "boarding")
             and t["origin"] == detail["origin"] and t["destination"] == detail["destination"]]
    convoys = list(dict.fromkeys([detail["convoy"], *(t["convoy"] for t in later)]))[:20]
    refusal = None
    for convoy in convoys:
        try:
            r = service.join_private_vehicle(
                sim.rt, sim.meta(sim.now), convoy=convoy, plate=f"ALEPPO-{41000 + n}", kind="car", seats=5,
                driver=f"registered occupant {people[0]['token']}" if people else "not registered",
                occupants=[p["token"] for p in people], unregistered=min(2, 5 - len(people)),
                destination=detail["destination"])
        except CorridorError as err:
            refusal = err
            continue
        sim.private_trips[r.data["trip"]] = convoy
        # it leaves with the first vehicle of its convoy, or at the convoy's planned time if that one is planned again
        sim.at(max(sim.now, datetime.fromisoformat(r.data["depart_at"])), "depart", r.data["trip"])
        return
    sim.result.notes.append(f"private vehicle with {trip}: {refusal.detail if refusal else 'no convoy to join'}")


def private_in_convoy(sim, detail: dict) -> list[str]:
    """The private vehicles waiting to leave with this trip's convoy (they leave when it leaves)."""
    going = [t for t, convoy in sim.private_trips.items()
             if convoy == detail["convoy"] and t != detail["id"] and t not in sim.private_left]
    sim.private_left.update(going)
    return going


def turn_back(sim, trip: str, checkpoint: str) -> None:
    """The convoy of `trip` is stopped at `checkpoint` and sent back; everyone aboard is planned again."""
    if not sim.on_road(trip):
        return
    convoy = reports.trip_detail(sim.rt, trip)["convoy"]
    try:
        service.turn_back(sim.rt, sim.meta(sim.now), convoy=convoy, checkpoint=checkpoint,
                          reason="not allowed through; sent back to the gathering point, as stated at the checkpoint")
    except CorridorError as err:
        sim.result.notes.append(f"turn back {convoy}: {err.detail}")
        return
    sim.replan()


def _free_seats(sim, vehicles: dict) -> dict[str, int]:
    free = {}
    for t in reports.trips(sim.rt, None):
        if t["state"] == "departed":
            aboard = sum(1 for p in reports.manifest(sim.rt, t["id"]) or []
                         if p["state"] == "in_transit" and p["trip"] == t["id"])
            free[t["id"]] = vehicles.get(t["vehicle"], 0) - aboard - t["unregistered"]
    return free


def attack(sim, trip: str) -> None:
    """The vehicle of `trip` is attacked on the road: some of those aboard are taken on by other vehicles on the
    road where there are seats, the others are injured (in care, discharged later and planned again)."""
    if not sim.on_road(trip):
        return
    aboard = [p["token"] for p in reports.manifest(sim.rt, trip) or [] if p["state"] == "in_transit"
              and p["trip"] == trip]
    seats = {v["code"]: v["seats"] for v in reports.setup(sim.rt)["vehicles"]}
    free = {t: n for t, n in _free_seats(sim, seats).items() if t != trip and n > 0}
    persons, moved = [], 0
    for token in aboard[: len(aboard) // 2]:
        other = next((t for t, n in free.items() if n > 0), None)
        if other is None:
            break
        persons.append({"token": token, "outcome": "transferred", "to_trip": other})
        free[other] -= 1
        moved += 1
    try:
        r = service.vehicle_lost(sim.rt, sim.meta(sim.now), trip=trip, incident="attacked",
                                 note="attacked and set on fire on the road, as reported by the convoy monitor",
                                 persons=persons, others="injured")
    except CorridorError as err:
        sim.result.notes.append(f"attack on {trip}: {err.detail}")
        return
    for f in r.data["persons"]:
        if f["outcome"] == "injured":
            sim.at(sim.now + sim.inc.discharge_after, "discharge", f["person"])
    sim.replan()

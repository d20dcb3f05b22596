"""The demo's agreement, modelled on the east Aleppo agreement of December 2016 (public facts in
../shared/scenarios/east-aleppo-2016.md): civilians may leave for Idlib or rural Aleppo; members of armed groups
may leave too, to Idlib, carrying light weapons only, in vehicles of their own, after civilians and the wounded;
departures are linked to the evacuation of Foua and Kefraya (people there moved the other way).

The figures of the linked operation and the steps of the link are the demo's own, in proportion to the
population (the real sequence was negotiated day by day): a first phase leaves before the linked operation
moves; the link then holds departures until its first buses have moved (day 2 to 3), and the rest follows in
steps as its figures come in. A coordinator enters those figures as they are reported (`LINKED_TIMELINE`). On the
fourth day the linked operation's buses are attacked and burned on its road (`LINKED_INCIDENT`), as on 18 December
2016: the coordinator records the incident and departures here are halted for a while (`SUSPENDED_FOR`)."""

from __future__ import annotations

import random
from datetime import timedelta

from ..service import agreement
from ..service.recording import Meta
from ..service.runtime import Runtime
from .east_aleppo import START

LINKED_NAME = "Foua and Kefraya"
LINKED_NAME_AR = "الفوعة وكفريا"
LINKED_TOTAL_PER_100K = 4_500  # persons the linked operation moves in the demo, per 100,000 here
ARMED_SHARE = 0.06  # households whose head is declared a member of an armed group
# (hours after the start, share of the linked operation moved): as a coordinator would enter them
LINKED_TIMELINE = ((30, 0.0), (56, 0.30), (78, 0.65), (100, 1.0))
# 18 December 2016: buses on their way to evacuate Foua and Kefraya were attacked and burned, and departures here
# were suspended until the next day. In the demo (hours after the start, what, vehicles, persons affected):
LINKED_INCIDENT = (76, "burned", 5, 0)
LINKED_INCIDENT_NOTE = ("buses on their way to evacuate the linked towns attacked and set on fire on the road, as "
                        "reported; their drivers left them unhurt")
SUSPENDED_FOR = timedelta(hours=12)  # departures here held after it (the halt's cause: agreement suspended)
# (share of the linked operation moved, share of the persons here who may then have left)
STEPS = ((0.0, 0.35), (0.30, 0.65), (0.65, 0.90), (1.0, 2.0))


def linked_total(people: int) -> int:
    return max(10, round(people * LINKED_TOTAL_PER_100K / 100_000))


def terms(people: int) -> dict:
    total = linked_total(people)
    return {
        "categories": [
            {"code": "civilian", "order": 0},
            {"code": "wounded_sick", "order": 0},
            {"code": "armed_group", "destinations": ["RC-IDL"], "items_allowed": ["light_weapon"],
             "with_civilians": False, "order": 1},
        ],
        "link": {"name": LINKED_NAME, "name_ar": LINKED_NAME_AR,
                 "steps": [{"there": round(a * total), "here": round(b * people)} for a, b in STEPS]},
        "note": "the demo's terms, modelled on the agreement of December 2016",
    }


def set_up(rt: Runtime, people: int, seed: int) -> None:
    """Record the agreement at the start (after the set-up, before registration)."""
    agreement.set_agreement(rt, Meta(command_id=f"demo:{seed}:agreement", actor="demo", device="demo", at=START),
                            terms=terms(people))


def declare_categories(rt: Runtime, households: list[dict], seed: int) -> int:
    """Declare the heads of about `ARMED_SHARE` of the households bound for Idlib (or anywhere) members of an armed
    group carrying a light weapon; the urgent medical cases wounded or sick. Returns persons declared."""
    rng = random.Random(seed * 7 + 11)
    items = []
    for h in households:
        head = h["persons"][0]
        if h.get("destination") in ("RC-IDL", None) and rng.random() < ARMED_SHARE:
            items.append({"token": head["token"], "category": "armed_group", "items": ["light_weapon"]})
        for p in h["persons"]:
            if p.get("precedence") == "urgent" and p is not head:
                items.append({"token": p["token"], "category": "wounded_sick"})
    at = START
    for i in range(0, len(items), 1000):
        agreement.set_categories(rt, [(Meta(command_id=f"demo:{seed}:category:{i + j}", actor="demo", device="demo",
                                             at=at), item) for j, item in enumerate(items[i:i + 1000])])
    return len(items)


def linked_figures(people: int) -> list[tuple[timedelta, int]]:
    """When the linked operation's figures come in, and how many it has moved by then."""
    total = linked_total(people)
    return [(timedelta(hours=h), round(share * total)) for h, share in LINKED_TIMELINE]

"""The demo under its agreement (scenarios/agreement_2016.py) simulated to its end: categories declared (members
of armed groups with light weapons), departures gated by the linked Foua/Kefraya operation, its buses attacked and
burned (its incident, then a halt here), everyone arrived or explained, no vehicle mixing kept-apart households with civilians, the ledger verified and the views rebuilt
identical."""

from datetime import datetime, timedelta, timezone

from corridor.scenarios import agreement_2016
from corridor.scenarios.demo import create_demo
from corridor.scenarios.east_aleppo import START
from corridor.scenarios.simulate import Simulation
from corridor.service import agreement, alarms, reports
from corridor.store import queries as q


def test_the_demo_runs_to_its_end_under_the_agreement(rt, clock):
    clock.now = datetime(2030, 1, 1, tzinfo=timezone.utc)  # the simulated days lie in the clock's past
    create_demo(rt, people=400, seed=11)
    shown = agreement.show(rt)
    assert shown["terms"]["link"]["name"] == agreement_2016.LINKED_NAME
    result = Simulation(rt, start=START, seed=11).run()

    status = reports.status(rt)
    persons = status["persons"]
    assert persons["waiting"] == persons["assigned"] == persons["boarded"] == persons["in_transit"] == 0
    assert persons["arrived"] + persons["held"] + persons["unaccounted"] == 400
    link = status["agreement_link"]
    assert link["name"] == agreement_2016.LINKED_NAME and not link["held"]
    assert [f["moved"] for f in agreement.show(rt)["linked_figures"]] == \
        [m for _, m in agreement_2016.linked_figures(400)]
    # the link held people back: a plan found everyone left held, or a departure waited for the linked operation
    assert any("held back by the agreement" in n or "agreement.link" in n for n in result.notes), result.notes
    # the attacked vehicles were the linked operation's (as on 18 December 2016): recorded as its incident, shown
    # with the link's state, and departures here halted for a while after it; none of our own vehicles was lost
    (incident,) = link["incidents"]
    hours, what, vehicles, persons_affected = agreement_2016.LINKED_INCIDENT
    assert (incident["incident"], incident["vehicles"], incident["persons_affected"]) == (what, vehicles,
                                                                                         persons_affected)
    occurred = datetime.fromisoformat(incident["occurred_at"])
    assert occurred == START + timedelta(hours=hours)
    with rt.reading() as uow:
        halts = q.halt_timeline(uow.conn)
    suspended = [h for h in halts if h.cause == "agreement_suspended"]
    assert len(suspended) == 1 and suspended[0].halted_at == occurred
    assert suspended[0].resumed_at - suspended[0].halted_at == agreement_2016.SUSPENDED_FOR
    assert not any(occurred < datetime.fromisoformat(t["departed_at"]) < suspended[0].resumed_at
                   for t in reports.trips(rt) if t["departed_at"])  # nothing left while halted
    assert status["trips"].get("lost", 0) == 0
    said = [a for a in alarms.alarms(rt, at=occurred + timedelta(hours=1)) if a.kind == "linked_incident"]
    assert said and "5 vehicle(s) burned" in said[0].say("en")

    trips = [t for t in reports.trips(rt) if t["state"] == "closed"]
    with rt.reading() as uow:
        manifests = {t["id"]: [p["token"] for p in reports.manifest(rt, t["id"])] for t in trips}
        cats = q.categories_of(uow.conn, [p for ps in manifests.values() for p in ps])
        households = {p["token"]: p["household"] for t in trips for p in reports.manifest(rt, t["id"])}
    members = {p for p, c in cats.items() if c["category"] == "armed_group"}
    assert members and all(cats[p]["items"] == ["light_weapon"] for p in members)
    for t in trips:
        aboard = manifests[t["id"]]
        kept = {households[p] for p in aboard if p in members}
        if kept:
            assert t["destination"] == "RC-IDL"
            assert all(households[p] in kept for p in aboard), f"{t['id']} mixes kept-apart households"

    assert reports.verify(rt).ok
    before = reports.views_snapshot(rt)
    reports.rebuild(rt)
    assert reports.views_snapshot(rt) == before

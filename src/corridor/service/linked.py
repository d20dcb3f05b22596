"""The linked operation's incidents: vehicles of the operation this one is tied to (Foua and Kefraya, for east
Aleppo) attacked, burned or lost on its road — as reported, entered by a coordinator. They are shown with the link's
state (`corridor status`, GET /api/status, the dashboard's alarms) in neutral words: what happened, when, to how many,
as reported; no party named. What follows is the coordinator's to decide (halting departures: `corridor halt`)."""

from __future__ import annotations

from ..domain.commands import RecordLinkedIncident
from ..domain.errors import BadInput, RuleRefused
from ..domain.timing import check_not_after_recording
from ..domain.events import LinkedIncidentRecorded
from ..domain.values import RoadIncident, parse_time
from ..store import queries as q
from .recording import Meta, Receipt, execute
from .runtime import Runtime

MOST = 1_000_000  # vehicles or persons one report may give


def _count(value, field: str, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= MOST:
        raise BadInput(f"{field}: expected a whole number from {least} to {MOST:,}, got {value!r}", field=field)
    return value


def record_incident(rt: Runtime, meta: Meta, *, incident: str, occurred_at=None, vehicles: int = 1,
                    persons_affected: int = 0, source: str = "entered", note: str = "") -> Receipt:
    """An incident of the linked operation as reported: what (attacked, burned, lost), when, how many vehicles and
    persons affected, from which source."""
    return execute(rt, meta, RecordLinkedIncident(incident=incident, occurred_at=occurred_at, vehicles=vehicles,
                                                  persons_affected=persons_affected, source=source, note=note),
                   lambda uow, at, c: decide_incident(uow, at, c, at_sent=meta.at is not None))


def decide_incident(uow, at, c: RecordLinkedIncident, *, at_sent: bool) -> LinkedIncidentRecorded:
    """The incident as the linked operation's record keeps it; its time no later than the recording."""
    kinds = [k.value for k in RoadIncident]
    if c.incident not in kinds:
        raise BadInput(f"incident: expected one of {', '.join(kinds)}, got {c.incident!r}", field="incident")
    when = parse_time(c.occurred_at, "occurred_at") if c.occurred_at is not None else at
    check_not_after_recording(when, at, at_sent=at_sent, field="occurred_at",
                              message="an incident cannot be reported before it happened (after the time it is recorded)")
    vehicles = _count(c.vehicles, "vehicles", 1)
    persons = _count(c.persons_affected, "persons_affected", 0)
    if not isinstance(c.source, str) or not c.source.strip() or len(c.source) > 200:
        raise BadInput("source: say where the report comes from (1–200 characters)", field="source")
    if not isinstance(c.note, str) or len(c.note) > 500:
        raise BadInput("note: at most 500 characters", field="note")
    from .agreement import terms_in_force

    terms = terms_in_force(uow.conn)
    if terms is None or terms.link is None:
        raise RuleRefused("link: the agreement ties this evacuation to no other operation", field="link")
    return LinkedIncidentRecorded(occurred_at=when, incident=RoadIncident(c.incident), vehicles=vehicles,
                                  persons_affected=persons, source=c.source.strip(), note=c.note.strip())


# --- exported by one instance, imported by the other (with the linked figures: agreement.export_figures) --------

def own_incidents(conn) -> list[dict]:
    """This operation's own vehicles attacked, burned or lost on the road, for the linked instance to import as
    its linked operation's incidents (counts only: who was aboard stays here)."""
    return [{"ref": trip, "occurred_at": at.isoformat(), "incident": incident, "vehicles": 1,
             "persons_affected": hurt} for trip, incident, at, hurt in q.vehicles_lost(conn)]


def incident_commands(conn, meta: Meta, operation: str, incidents) -> list[tuple[Meta, RecordLinkedIncident]]:
    """The commands recording another instance's exported incidents not imported before (each named by its source:
    the other operation and its trip); a malformed one refused naming its field."""
    if not isinstance(incidents, list):
        raise BadInput("export.incidents: expected a list", field="export.incidents")
    known = {r.source for r in q.linked_incidents_in(conn)}
    out = []
    for i, raw in enumerate(incidents):
        where = f"export.incidents[{i}]"
        if not isinstance(raw, dict):
            raise BadInput(f"{where}: expected an object", field=where)
        for key in ("ref", "occurred_at", "incident", "vehicles", "persons_affected"):
            if key not in raw:
                raise BadInput(f"{where}.{key}: missing", field=f"{where}.{key}")
        kinds = [k.value for k in RoadIncident]
        if raw["incident"] not in kinds:
            raise BadInput(f"{where}.incident: expected one of {', '.join(kinds)}, got {raw['incident']!r}",
                           field=f"{where}.incident")
        parse_time(raw["occurred_at"], f"{where}.occurred_at")
        _count(raw["vehicles"], f"{where}.vehicles", 1)
        _count(raw["persons_affected"], f"{where}.persons_affected", 0)
        source = f"import: {operation} (trip {str(raw['ref'])[:40]})"
        if source in known:
            continue
        known.add(source)
        one = Meta(f"{meta.command_id}:incident:{str(raw['ref'])[:40]}", meta.actor, meta.device, meta.at) \
            if meta.command_id else meta
        out.append((one, RecordLinkedIncident(incident=raw["incident"], occurred_at=raw["occurred_at"],
                                              vehicles=raw["vehicles"], persons_affected=raw["persons_affected"],
                                              source=source, note="imported from the linked operation's instance")))
    return out


def incidents_of(conn) -> list[dict]:
    """The linked operation's incidents as reported, in the order they were recorded."""
    return [{"seq": r.seq, "occurred_at": r.occurred_at.isoformat(), "incident": r.incident, "vehicles": r.vehicles,
             "persons_affected": r.persons_affected, "source": r.source, "note": r.note,
             "recorded_at": r.at.isoformat()} for r in q.linked_incidents_in(conn)]


def words(incident: dict) -> str:
    """One incident in neutral words: "5 vehicle(s) burned on the road at 2016-12-18 07:30 UTC; 0 person(s)
    affected (as reported: entered)"."""
    return (f"{incident['vehicles']:,} vehicle(s) {incident['incident']} on the road at "
            f"{incident['occurred_at'][:16].replace('T', ' ')} UTC; {incident['persons_affected']:,} person(s) "
            f"affected (as reported: {incident['source']})")

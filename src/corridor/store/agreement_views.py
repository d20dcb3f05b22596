"""The agreement's views (a part of the projection, `projection.py`): its versions, persons' categories as
sealed, the linked operation's figures and incidents, the overrides of its rules, and the movement notifications
issued to the parties."""

from __future__ import annotations

import json

from sqlalchemy import delete, insert, select

from ..domain import events as ev
from ..domain.codec import canonical_json, to_plain
from .sealing import Seals
from .tables import (
    agreement_overrides, agreement_versions, linked_figures, linked_incidents, notifications_issued, person_categories,
    persons,
)


def _version(conn, seq, at, kind: str, terms, reason: str) -> None:
    conn.execute(insert(agreement_versions).values(seq=seq, kind=kind, at=at, reason=reason[:500],
                                                   terms=canonical_json(to_plain(terms))))


def _agreement_set(conn, seq, at, e: ev.AgreementSet):
    _version(conn, seq, at, "set", e.terms, "")


def _agreement_amended(conn, seq, at, e: ev.AgreementAmended):
    _version(conn, seq, at, "amended", e.terms, e.reason)


def _linked_figures(conn, seq, at, e: ev.LinkedFiguresRecorded):
    conn.execute(insert(linked_figures).values(seq=seq, moved=e.moved, as_of=e.as_of, source=e.source[:200],
                                               note=e.note[:500], at=at))


def _linked_incident(conn, seq, at, e: ev.LinkedIncidentRecorded):
    conn.execute(insert(linked_incidents).values(seq=seq, occurred_at=e.occurred_at, incident=e.incident.value,
                                                 vehicles=e.vehicles, persons_affected=e.persons_affected,
                                                 source=e.source[:200], note=e.note[:500], at=at))


def _notification_issued(conn, seq, at, e: ev.NotificationIssued):
    conn.execute(insert(notifications_issued).values(
        seq=seq, at=at, scope=e.scope[:60], convoy=e.convoy, day=e.date, emergency=e.emergency,
        lead_hours=e.lead_hours, required_hours=e.required_hours, vehicles=e.vehicles, persons=e.persons,
        content_hash=e.content_hash))


def _category_set(conn, seq, at, e: ev.PersonCategorySet, seals: Seals):
    household = conn.execute(select(persons.c.household).where(persons.c.token == e.person)).scalar_one()
    conn.execute(delete(person_categories).where(person_categories.c.person == e.person))
    conn.execute(insert(person_categories).values(person=e.person, household=household, set_at=at, seq=seq,
                                                  sealed=seals.values[f"{e.person}|category"]))


def overridden(conn, seq, at, kind: str, trip: str, override: ev.Override | None) -> None:
    """A boarding or departure let through against the agreement's rules is listed as such."""
    if override is not None:
        conn.execute(insert(agreement_overrides).values(seq=seq, kind=kind, trip=trip, at=at,
                                                        rules=json.dumps(list(override.rules)),
                                                        reason=override.reason[:500]))


HANDLERS = {
    ev.AgreementSet: _agreement_set,
    ev.AgreementAmended: _agreement_amended,
    ev.LinkedFiguresRecorded: _linked_figures,
    ev.LinkedIncidentRecorded: _linked_incident,
    ev.NotificationIssued: _notification_issued,
}
SEALED = {ev.PersonCategorySet: _category_set}

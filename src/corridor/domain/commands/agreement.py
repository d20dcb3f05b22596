"""The negotiated agreement, the linked operation and the notifications to the parties."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from .base import _code, _time_text, Command
from ..tokens import normalise_token


@dataclass(frozen=True)
class SetAgreement(Command):
    name: ClassVar[str] = "set_agreement"
    terms: Any


@dataclass(frozen=True)
class AmendAgreement(Command):
    name: ClassVar[str] = "amend_agreement"
    terms: Any
    reason: Any


@dataclass(frozen=True)
class SetPersonCategory(Command):
    name: ClassVar[str] = "set_person_category"
    token: Any
    category: Any
    items: Any = ()
    note: Any = ""

    def normalised(self) -> SetPersonCategory:
        items = tuple(self.items) if isinstance(self.items, (list, tuple)) else self.items
        return replace(self, token=normalise_token(self.token, "token"), category=_code(self.category), items=items)


@dataclass(frozen=True)
class RecordLinkedFigures(Command):
    name: ClassVar[str] = "record_linked_figures"
    moved: Any
    as_of: Any = None
    source: Any = "entered"
    note: Any = ""

    def normalised(self) -> RecordLinkedFigures:
        return replace(self, as_of=_time_text(self.as_of))


@dataclass(frozen=True)
class RecordLinkedIncident(Command):
    name: ClassVar[str] = "record_linked_incident"
    incident: Any
    occurred_at: Any = None
    vehicles: Any = 1
    persons_affected: Any = 0
    source: Any = "entered"
    note: Any = ""

    def normalised(self) -> RecordLinkedIncident:
        return replace(self, occurred_at=_time_text(self.occurred_at),
                       incident=self.incident.strip().lower() if isinstance(self.incident, str) else self.incident)


@dataclass(frozen=True)
class IssueNotification(Command):
    """Issue a movement notification (one convoy or one day's movements) to the parties: recorded as issued."""

    name: ClassVar[str] = "issue_notification"
    convoy: Any = None
    date: Any = None
    emergency: Any = False
    organisation: Any = None
    contact: Any = None
    staff: Any = 1

    def normalised(self) -> IssueNotification:
        return replace(self, convoy=_code(self.convoy) or None, date=_time_text(_code(self.date)) or None,
                       organisation=_code(self.organisation) or None, contact=_code(self.contact) or None)

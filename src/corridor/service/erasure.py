"""Erasure without breaking the record (crypto-shredding), and the retention rule.

Erasing a household records `HouseholdErased` and, in the same transaction, deletes the household's
data key (store/sealing.py): its names, birth dates, medical notes, vulnerabilities, family links and
held reasons can never be opened again — in the views, which are cleared, nor in the ledger, which
keeps their ciphertext and so still verifies. Tokens, states and movements stay: every count and the
reconciliation are unchanged. The retention rule erases households settled longer than a period.
"""

from __future__ import annotations

import re
from datetime import timedelta

from ..domain import lifecycle
from ..domain import registry as rules
from ..domain.commands import EraseHousehold
from ..domain.errors import BadInput, NotFound, RuleRefused
from ..domain.values import PersonState
from ..store import queries as q
from .recording import Meta, Receipt, execute
from .runtime import Runtime

RETAINED_STATES = lifecycle.SETTLED | {PersonState.UNACCOUNTED}
"""A household whose persons are all here (arrived, or left unaccounted when their trip was closed) is done."""


def erase(rt: Runtime, meta: Meta, *, household: str, reason: str, note: str = "") -> Receipt:
    """Destroy a household's personal data for good; refused for an unknown or an already erased household."""

    def decide(uow, at, c: EraseHousehold):
        head = q.household_row(uow.conn, c.household)
        if head is None:
            raise NotFound(f"household: no household {c.household} in this operation", field="household")
        if head.erased_at is not None:
            raise RuleRefused(f"household: {c.household} was already erased on {head.erased_at:%Y-%m-%d %H:%M} UTC",
                              field="household")
        rt.vault.require()
        return rules.erase_household(c.household, c.reason, c.note)

    receipt = execute(rt, meta, EraseHousehold(household=household, reason=reason, note=note), decide)
    rt.db.scrub()
    return receipt


_PERIOD = re.compile(r"^\s*(\d+)\s*([dhw])\s*$")


def parse_period(text: str) -> timedelta:
    """'90d', '12w', '36h' as a period."""
    m = _PERIOD.match(str(text))
    if not m or int(m.group(1)) <= 0:
        raise BadInput(f"after: expected a period such as 90d (days), 12w (weeks) or 36h (hours), got {text!r}",
                       field="after")
    n, unit = int(m.group(1)), m.group(2)
    return {"d": timedelta(days=n), "h": timedelta(hours=n), "w": timedelta(weeks=n)}[unit]


def due(rt: Runtime, after: timedelta) -> list[str]:
    """Households whose persons were all settled more than `after` ago (by the runtime's clock)."""
    with rt.reading() as uow:
        return q.settled_households(uow.conn, RETAINED_STATES, rt.clock() - after)


def apply_retention(rt: Runtime, meta: Meta, *, after: str | timedelta, dry_run: bool = False) -> dict:
    """Erase every household due under the retention rule, one erasure event each (reason "retention")."""
    period = after if isinstance(after, timedelta) else parse_period(after)
    label = after.strip() if isinstance(after, str) else f"{period.total_seconds() / 86400:g}d"
    households = due(rt, period)
    erased = []
    if not dry_run:
        for h in households:
            sub = Meta(command_id=f"{meta.command_id}:{h}" if meta.command_id else None, actor=meta.actor,
                       device=meta.device)
            erase(rt, sub, household=h, reason="retention", note=f"settled more than {label} ago")
            erased.append(h)
    return {"after_days": period.total_seconds() / 86400, "due": households, "erased": erased,
            "dry_run": dry_run}

"""Figures others report (claims), recorded, corrected and withdrawn."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from .base import Command
from ..claims import parse_claim
from ..errors import BadInput
from ..codec import to_plain


def _claim_id(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadInput(f"claim: expected a claim id such as C0012, got {value!r}", field="claim")
    return value.strip().upper()


@dataclass(frozen=True)
class RecordClaim(Command):
    """Record what a source claims (a JSON object, checked by `domain.claims.parse_claim`)."""

    name: ClassVar[str] = "record_claim"
    claim: Any

    def normalised(self) -> RecordClaim:
        return replace(self, claim=to_plain(parse_claim(self.claim)))


@dataclass(frozen=True)
class CorrectClaim(Command):
    """Replace a recorded claim's content (a new event; the first version stays in the ledger)."""

    name: ClassVar[str] = "correct_claim"
    id: Any
    claim: Any
    note: Any = ""

    def normalised(self) -> CorrectClaim:
        return replace(self, id=_claim_id(self.id), claim=to_plain(parse_claim(self.claim)))


@dataclass(frozen=True)
class WithdrawClaim(Command):
    name: ClassVar[str] = "withdraw_claim"
    id: Any
    reason: Any = ""

    def normalised(self) -> WithdrawClaim:
        return replace(self, id=_claim_id(self.id))

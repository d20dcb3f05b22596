"""The commands: what a coordinator, registrar or field team asks for, as plain orders.

One frozen dataclass per command. `normalised()` returns the canonical copy — tokens
checked and upper-cased, trip ids upper-cased, codes stripped, lists made tuples — and the
recording pipeline fingerprints that copy, so a resend typed differently (a lower-case token)
is recognised as the same command. `name` is the command's name in fingerprints; it never
changes, so ledgers recorded earlier fingerprint the same. `params()` is what is fingerprinted.
Deeper checks (is it a real site, a sane coordinate) stay with the rules that decide.

The commands are grouped by what they are about, one module each; import them from here.
"""

from .base import Command  # noqa: F401
from .setup import CreateOperation, AddSite, AddLeg, AddVehicle, SetCorridorRules, WithdrawVehicle  # noqa: F401
from .registry import (  # noqa: F401
    RegisterHousehold, CorrectHousehold, EraseHousehold,
    CheckDuplicates, MergeDuplicates, DismissDuplicates, UndoDuplicateDecision,
)
from .running import (  # noqa: F401
    MakePlan, Board, Depart, PassCheckpoint, Arrive, ScanIn, CloseTrip, ReleasePerson, Halt, Resume,
)
from .agreement import (  # noqa: F401
    SetAgreement, AmendAgreement, SetPersonCategory, RecordLinkedFigures, RecordLinkedIncident, IssueNotification,
)
from .claims import RecordClaim, CorrectClaim, WithdrawClaim  # noqa: F401
from .road import JoinPrivateVehicle, TurnBackConvoy, ReportVehicleLost  # noqa: F401

"""Claims: recording what a source says (a ledger event), correcting or withdrawing it (new events, never an
edit), and listing them. What a claim may hold is `domain.claims`; the picture is `service.picture`."""

from __future__ import annotations

from datetime import datetime

from ..domain.claims import METRICS, ClaimContent
from ..domain.commands import CorrectClaim, RecordClaim, WithdrawClaim
from ..domain.errors import BadInput, Conflict, NotFound, OutOfTime
from ..domain.codec import from_plain, to_plain
from ..domain.events import ClaimCorrected, ClaimRecorded, ClaimWithdrawn
from ..domain.picture import ClaimVersion, visible
from ..domain.values import parse_time
from ..store.queries import claims as qc
from .recording import Meta, Receipt, execute
from .runtime import Runtime


def _checked(rt: Runtime, plain: dict) -> ClaimContent:
    content = from_plain(ClaimContent, plain)
    now = rt.clock()
    if content.reported_at > now + rt.future_margin:
        raise OutOfTime(f"reported_at: {content.reported_at.isoformat()} is ahead of the clock ({now.isoformat()})",
                       field="reported_at")
    return content


def _existing(uow, claim: str) -> None:
    recorded, withdrawn = qc.claim_exists(uow.conn, claim)
    if not recorded:
        raise NotFound(f"claim: no claim {claim!r}", field="claim")
    if withdrawn:
        raise Conflict(f"claim: {claim} was withdrawn; record a new claim instead", field="claim")


def record(rt: Runtime, meta: Meta, claim: dict) -> Receipt:
    """Record a claim as sent (a JSON object: source, reported_at, grading, figures, operation_state)."""

    def decide(uow, at, c: RecordClaim):
        content = _checked(rt, c.claim)
        return ClaimRecorded(claim=f"C{qc.claim_count(uow.conn) + 1:04d}", content=content)

    return execute(rt, meta, RecordClaim(claim), decide)


def correct(rt: Runtime, meta: Meta, claim_id: str, claim: dict, note: str = "") -> Receipt:
    """Replace a claim's content as a whole (what the source said, corrected); the first version stays recorded."""

    def decide(uow, at, c: CorrectClaim):
        _existing(uow, c.id)
        return ClaimCorrected(claim=c.id, content=_checked(rt, c.claim), note=str(c.note or "")[:500])

    return execute(rt, meta, CorrectClaim(claim_id, claim, note), decide)


def withdraw(rt: Runtime, meta: Meta, claim_id: str, reason: str = "") -> Receipt:
    """Take a claim out of the picture (recorded in error, retracted by its source); the ledger keeps it."""

    def decide(uow, at, c: WithdrawClaim):
        _existing(uow, c.id)
        return ClaimWithdrawn(claim=c.id, reason=str(c.reason or "")[:500])

    return execute(rt, meta, WithdrawClaim(claim_id, reason), decide)


def history(rt: Runtime) -> tuple[list[ClaimVersion], dict[str, datetime], dict[str, dict]]:
    with rt.reading() as uow:
        return qc.claim_history(uow.conn)


def claim_dict(v: ClaimVersion, info: dict, withdrawn_at: datetime | None) -> dict:
    return {"claim": v.claim, "seq": v.seq, **to_plain(v.content),
            "recorded_at": info["recorded_at"].isoformat(), "corrections": info["corrections"],
            "withdrawn": withdrawn_at is not None,
            "withdrawn_at": withdrawn_at.isoformat() if withdrawn_at else None,
            "withdrawn_reason": info["withdrawn_reason"]}


def listing(rt: Runtime, *, metric: str | None = None, source: str | None = None, start: str | None = None,
            end: str | None = None, withdrawn: bool = False) -> list[dict]:
    """The claims as they stand (latest version), by when they were reported; filters: a metric among their
    figures, the source (any spelling of its name), reported from `start` up to `end`; `withdrawn` too."""
    if metric is not None and metric not in METRICS:
        raise BadInput(f"metric: expected one of {', '.join(METRICS)}, got {metric!r}", field="metric")
    low = parse_time(start, "from") if start else None
    high = parse_time(end, "to") if end else None
    versions, gone, about = history(rt)
    current = visible(versions, {} if withdrawn else gone)
    key = " ".join(source.split()).casefold() if source else None
    out = []
    for v in sorted(current, key=lambda v: (v.content.reported_at, v.claim)):
        c = v.content
        if metric is not None and not any(f.metric == metric for f in c.figures):
            continue
        if (key is not None and c.source_key != key) or (low and c.reported_at < low) or (high and c.reported_at > high):
            continue
        out.append(claim_dict(v, about[v.claim], gone.get(v.claim)))
    return out


def content_id(claim: object) -> str:
    """A command id made from a claim's content: adding the same file twice records each claim once."""
    import hashlib

    from ..domain.codec import canonical_json

    return "claim-" + hashlib.sha256(canonical_json(claim).encode("utf-8")).hexdigest()[:40]


def record_many(rt: Runtime, meta: Meta, items: list[dict]) -> list[Receipt]:
    """Record several claims in one transaction: all of them, or (any refused) none, every refusal listed.
    Each claim's command id is made from its content, so adding the same list again changes nothing."""
    from dataclasses import replace

    from .recording import execute_many

    def decide(uow, at, c: RecordClaim):
        return ClaimRecorded(claim=f"C{qc.claim_count(uow.conn) + 1:04d}", content=_checked(rt, c.claim))

    return execute_many(rt, [(replace(meta, command_id=content_id(raw)), RecordClaim(raw)) for raw in items], decide)

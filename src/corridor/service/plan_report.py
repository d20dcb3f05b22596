"""What a plan does not meet: the medical deadlines it misses, read from the plan's own record.

The `PlanMade` event carries them (`missed`); this module reads the latest one from the ledger
and adds what a coordinator needs to act: the precedence, urgent first, the latest first within."""

from __future__ import annotations

from ..domain.values import Precedence
from ..store import queries as q
from .runtime import Runtime


def describe_missed(conn, missed: list[dict]) -> list[dict]:
    """Each missed deadline with the household's most pressing precedence; urgent first, then most late."""
    tokens = sorted({p for m in missed for p in m["persons"]})
    precedence_of = {t: Precedence(p) for t, p in q.precedences(conn, tokens).items()}
    out = []
    for m in missed:
        ranks = [precedence_of[p] for p in m["persons"] if p in precedence_of]
        most = min(ranks, key=lambda p: p.rank).value if ranks else Precedence.NONE.value
        out.append({"household": m["household"], "persons": list(m["persons"]), "precedence": most,
                    "deadline_at": m["deadline_at"], "arrive_at": m["arrive_at"],
                    "late_minutes": m["late_minutes"], "unavoidable": m["unavoidable"]})
    out.sort(key=lambda m: (Precedence(m["precedence"]).rank, -m["late_minutes"], m["household"]))
    return out


def latest_missed(conn) -> list[dict]:
    """The medical deadlines the latest plan misses (empty before any plan or when it meets them all)."""
    payload = q.latest_plan_payload(conn)
    return describe_missed(conn, payload.get("missed", [])) if payload else []


def missed_in(rt: Runtime, plan_data: dict) -> list[dict]:
    """The medical deadlines a plan's receipt data says it misses, described and ordered."""
    if not plan_data.get("missed"):
        return []
    with rt.reading() as uow:
        return describe_missed(uow.conn, plan_data["missed"])

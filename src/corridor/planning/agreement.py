"""The agreement's rules as the planner takes them: a problem restricted before it is planned.

`restrict` turns a `Problem` and the agreement's terms per group (`GroupTerms`) into the problem to plan and the
groups held back, each with the rule that holds it:

- **destinations**: a group goes only to a centre every member's category allows: a group whose own choice is not
  allowed is held (``agreement.destinations``: correct the registration); one without a choice gets the first
  allowed centre it has a route to;
- **mixing**: a group with a member who may not travel with civilians is put in its own compartment
  (`Group.compartment`), which the planner never mixes with others in one vehicle;
- **the agreed start**: no group is ready before it (`not_before`);
- **order and how many may leave now**: the order applies per gathering point. At each point groups are taken
  in the agreement's order (then the planner's own priority); across points, the next group of each point in
  turn, by the planner's priority. A group is admitted while the persons admitted stay within the allowance of
  each category and overall (total quotas left and the linked operation's allowance); the rest wait, held by
  ``agreement.quota`` or ``agreement.link``, and at a point where a group is held every group of a later order
  waits too (``agreement.order``). A point with no civilians waiting sends its later categories as soon as the
  allowance lets it; points do not wait for each other;
- and for the planner itself: each group's ``turn`` (its order: at its point it leaves only after the earlier
  turns, `problem.py`) and its persons by category (``kinds``, for the quotas per day or window the planner keeps).

Only groups are removed or narrowed, so any plan of the restricted problem obeys the unrestricted one's rules
and its lower bound stays a lower bound of the restricted problem (fewer choices never finish earlier).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from heapq import heapify, heappop, heappush
from typing import Mapping, Sequence

from corridor.domain.agreement import AgreementTerms, Moved
from corridor.planning.admission import priority
from corridor.planning.problem import Group, PeriodQuota, Problem

APART = 1  # the compartment of groups that may not travel with civilians


@dataclass(frozen=True)
class GroupTerms:
    """What the agreement says of one group (a household): from its members' categories."""

    categories: tuple[str, ...]  # its members' categories (one per member)
    destinations: tuple[str, ...] | None = None  # centres every member may go to, in preference; None: any
    apart: bool = False  # a member may not travel in one vehicle with civilians (of other households)
    order: int = 0  # the agreement's order of its members' latest-leaving category


@dataclass(frozen=True)
class Restricted:
    problem: Problem
    held: Mapping[str, str]  # group id -> the rule and why


def restrict(problem: Problem, terms: Mapping[str, GroupTerms], allowance: Mapping[str | None, int],
             rules: Mapping[str | None, str] | None = None, not_before: int = 0) -> Restricted:
    """`allowance`: persons who may still leave now, by category and (None) overall; absent: no limit.
    `rules`: the rule each allowance comes from (``agreement.quota`` unless said, e.g. ``agreement.link``).
    `not_before`: the minute the agreement's departures start (no group is ready before it)."""
    if not_before > 0:
        problem = problem.replace(groups=tuple(g if g.ready_at >= not_before else replace(g, ready_at=not_before)
                                               for g in problem.groups))
    held: dict[str, str] = {}
    placed: list[Group] = []
    for index, group in enumerate(problem.groups):
        t = terms.get(group.id)
        if t is None:
            placed.append((index, group))
            continue
        destination = group.destination
        if t.destinations is not None:
            allowed = [c for c in t.destinations if c in problem.centres and problem.minutes(group.origin, c) is not None]
            if destination is not None and destination not in t.destinations:
                held[group.id] = f"agreement.destinations: its members may not go to {destination}"
                continue
            if destination is None:
                if not allowed:
                    held[group.id] = "agreement.destinations: no centre its members may go to can be reached"
                    continue
                destination = allowed[0]
        kinds: dict[str, int] = {}
        for c in t.categories:
            kinds[c] = kinds.get(c, 0) + 1
        placed.append((index, replace(group, destination=destination, compartment=APART if t.apart else 0,
                                      turn=t.order, kinds=tuple(sorted(kinds.items())))))
    admitted = _admit(placed, allowance, rules or {}, held)
    return Restricted(problem.replace(groups=tuple(g for _, g in admitted)), held)


def _admit(placed: list[tuple[int, Group]], allowance: Mapping[str | None, int], rules: Mapping[str | None, str],
           held: dict[str, str]) -> list[tuple[int, Group]]:
    """The groups admitted within the allowance, in the agreement's order per gathering point (see the module)."""
    left = dict(allowance)
    points: dict[str, list[tuple[int, Group]]] = {}
    for index, group in sorted(placed, key=lambda ig: (ig[1].turn, priority(ig[1])), reverse=True):
        points.setdefault(group.origin, []).append((index, group))  # each point's queue, its next group last
    heads = [(priority(queue[-1][1]), origin) for origin, queue in points.items()]
    heapify(heads)
    blocked: dict[str, tuple[int, str]] = {}  # point -> (the earliest turn held there, its rule)
    admitted: list[tuple[int, Group]] = []
    while heads:
        _, origin = heappop(heads)
        queue = points[origin]
        index, group = queue.pop()
        if queue:
            heappush(heads, (priority(queue[-1][1]), origin))
        if origin in blocked and blocked[origin][0] < group.turn:
            held[group.id] = (f"agreement.order: a household of an earlier category at {origin} is held "
                              f"({blocked[origin][1]})")
            continue
        counts: dict[str | None, int] = {None: group.size, **dict(group.kinds)}
        short = next((c for c, n in counts.items() if c in left and left[c] < n), "none")
        if short != "none":
            who = "everyone" if short is None else f"category {short}"
            rule = rules.get(short, "agreement.quota")
            held[group.id] = f"{rule}: no more may leave now ({who})"
            if origin not in blocked:
                blocked[origin] = (group.turn, rule)
            continue
        for c, n in counts.items():
            if c in left:
                left[c] -= n
        admitted.append((index, group))
    admitted.sort(key=lambda ig: ig[0])
    return admitted


def _minute(t: datetime, epoch: datetime) -> int:
    """The first whole minute from `epoch` at or after `t` (a departure at minute m leaves at epoch + m)."""
    return math.ceil((t - epoch) / timedelta(minutes=1))


def period_quotas(terms: AgreementTerms, epoch: datetime, day_start: datetime,
                  windows: Sequence[tuple[datetime, datetime]], used: Moved,
                  boarded: Mapping[str | None, int] | None = None, days: int = 366) -> tuple[PeriodQuota, ...]:
    """The agreement's quotas per day and per window as the planner keeps them (`PeriodQuota`, minutes from
    `epoch`): days of 24 hours from `day_start` (the agreement's start), windows of the corridor (none: days, as
    the departure check counts them); the period now holding `epoch` keeps what is left of it after `used` and the
    `boarded` persons aboard trips not yet left (by category, None: everyone), later periods their whole limit;
    up to the agreed end, or `days` days ahead. Total quotas are the planner's allowance instead (`restrict`)."""
    last = terms.ends_at or epoch + timedelta(days=days)
    first_day = max(0, (epoch - day_start) // timedelta(days=1))
    day_spans = []
    n = first_day
    while day_start + timedelta(days=n) < last:
        day_spans.append((day_start + timedelta(days=n), day_start + timedelta(days=n + 1)))
        n += 1
    window_spans = [(a, b) for a, b in sorted(windows) if b > epoch and a < last] or day_spans
    out = []
    for quota in terms.quotas:
        if quota.period == "total":
            continue
        spans = day_spans if quota.period == "day" else window_spans
        periods = []
        for a, b in spans:
            if b <= epoch:
                continue
            limit = quota.limit
            if a <= epoch:  # the period under way: what is left of it
                limit -= getattr(used, quota.period).get(quota.category, 0) + (boarded or {}).get(quota.category, 0)
            start, end = _minute(a, epoch), _minute(b, epoch)
            if start < end:
                periods.append((start, end, max(0, limit)))
        out.append(PeriodQuota(quota.category, tuple(periods)))
    return tuple(out)

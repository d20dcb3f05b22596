"""The agreement's rules as the planner takes them: a problem restricted before it is planned.

`restrict` turns a `Problem` and the agreement's terms per group (`GroupTerms`) into the problem to plan and the
groups held back, each with the rule that holds it:

- **destinations**: a group goes only to a centre every member's category allows: a group whose own choice is not
  allowed is held (``agreement.destinations``: correct the registration); one without a choice gets the first
  allowed centre it has a route to;
- **mixing**: a group with a member who may not travel with civilians is put in its own compartment
  (`Group.compartment`), which the planner never mixes with others in one vehicle;
- **the agreed start**: no group is ready before it (`not_before`);
- **order and how many may leave now**: groups are admitted in the agreement's order (then the planner's own
  priority) while the persons admitted stay within the allowance of each category and overall (quotas left and
  the linked operation's allowance); the rest wait, held by ``agreement.quota`` or ``agreement.link``.

Only groups are removed or narrowed, so any plan of the restricted problem obeys the unrestricted one's rules
and its lower bound stays a lower bound of the restricted problem (fewer choices never finish earlier).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping

from corridor.planning.admission import priority
from corridor.planning.problem import Group, Problem

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
        placed.append((index, replace(group, destination=destination, compartment=APART if t.apart else 0)))
    left = dict(allowance)
    admitted: list[tuple[int, Group]] = []
    default = GroupTerms(categories=())
    for index, group in sorted(placed, key=lambda ig: (terms.get(ig[1].id, default).order, priority(ig[1]))):
        t = terms.get(group.id, default)
        counts: dict[str | None, int] = {None: group.size}
        for c in t.categories:
            counts[c] = counts.get(c, 0) + 1
        short = next((c for c, n in counts.items() if c in left and left[c] < n), "none")
        if short != "none":
            who = "everyone" if short is None else f"category {short}"
            held[group.id] = f"{(rules or {}).get(short, 'agreement.quota')}: no more may leave now ({who})"
            continue
        for c, n in counts.items():
            if c in left:
                left[c] -= n
        admitted.append((index, group))
    admitted.sort(key=lambda ig: ig[0])
    return Restricted(problem.replace(groups=tuple(g for _, g in admitted)), held)

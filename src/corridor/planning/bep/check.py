"""An independent check of a BEP plan: valid or `BepPlanError`, and its makespan.

It shares no code with the solver (`solve.py`): the benchmark and the tests
check every plan the solver gives with it.
"""

from __future__ import annotations

from collections.abc import Sequence

from corridor.planning.bep.instance import BepInstance

__all__ = ["BepPlanError", "check_plan"]


class BepPlanError(ValueError):
    """A plan that breaks the rules of the BEP."""


def check_plan(instance: BepInstance, routes: Sequence[Sequence]) -> int:
    """The makespan of `routes` for `instance`; `BepPlanError` if the plan is not valid.

    `routes[b]` is bus b's list of trips, buses numbered depot by depot (the
    first b1 buses at depot 1, and so on); a trip is anything with
    `point`, `shelter`, `people` attributes or a (point, shelter, people)
    triple, 0-based. Valid: one route per bus; each trip carries 1..Q
    people from an existing point to an existing shelter; every point's
    demand is carried exactly; no shelter receives more than its capacity.
    Time: depot → first point, then point → shelter and shelter → next
    point, all from the instance's tables; the makespan is the latest
    arrival at a last shelter (0 for a plan with no trips).
    """
    if len(routes) != instance.buses:
        raise BepPlanError(f"{instance.name}: {len(routes)} routes for {instance.buses} buses")
    depots = [y for y, count in enumerate(instance.depot_buses) for _ in range(count)]
    carried = [0] * instance.n_points
    received = [0] * instance.n_shelters
    makespan = 0
    for bus, route in enumerate(routes):
        clock = 0
        here = None  # None: at the depot; otherwise the shelter the bus is at
        for number, raw in enumerate(route, start=1):
            point, shelter, people = _trip_fields(raw)
            where = f"{instance.name}: bus {bus + 1}, trip {number}"
            if not 0 <= point < instance.n_points:
                raise BepPlanError(f"{where}: no collection point {point}")
            if not 0 <= shelter < instance.n_shelters:
                raise BepPlanError(f"{where}: no shelter {shelter}")
            if not 1 <= people <= instance.capacity:
                raise BepPlanError(f"{where}: {people} people on a bus for 1 to {instance.capacity}")
            if here is None:
                clock += instance.depot_times[depots[bus]][point]
            else:
                clock += instance.shelter_times[point][here]
            clock += instance.shelter_times[point][shelter]
            carried[point] += people
            received[shelter] += people
            here = shelter
        makespan = max(makespan, clock)
    for point, (done, wanted) in enumerate(zip(carried, instance.demands)):
        if done != wanted:
            raise BepPlanError(f"{instance.name}: collection point {point} has {wanted} people, "
                               f"the plan carries {done}")
    for shelter, (got, room) in enumerate(zip(received, instance.shelter_capacities)):
        if got > room:
            raise BepPlanError(f"{instance.name}: shelter {shelter} has room for {room}, the plan brings {got}")
    return makespan


def _trip_fields(raw) -> tuple[int, int, int]:
    if hasattr(raw, "point"):
        values = (raw.point, raw.shelter, raw.people)
    else:
        values = tuple(raw)
        if len(values) != 3:
            raise BepPlanError(f"a trip must be (point, shelter, people), got {raw!r}")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise BepPlanError(f"a trip's point, shelter and people must be whole numbers, got {raw!r}")
    return values  # type: ignore[return-value]

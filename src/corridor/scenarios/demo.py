"""Creating the demo operation: set-up, registration, first plan.

Preparing the database it goes into is the CLI's part (`corridor.cli.demo`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from ..service import planning, registration, setup
from ..service.recording import Meta
from ..service.runtime import Runtime
from . import agreement_2016, east_aleppo

BATCH = 1000


@dataclass
class DemoResult:
    households: int
    persons: int
    urgent: int
    stretcher: int


def create_demo(rt: Runtime, *, people: int = 100_000, seed: int = 2016,
                progress: Callable[[int, int], None] | None = None, with_agreement: bool = True) -> DemoResult:
    """Set up the east Aleppo demo, register its population and make the first plan; `with_agreement`: under
    the demo's agreement (categories, the linked operation; scenarios/agreement_2016.py)."""
    registered_at = east_aleppo.START - timedelta(hours=12)
    # set up before the registrations, in the demo's own time: the whole record is of December 2016, so the
    # operation's clock is its latest event's (service/opclock.py), however few persons it has
    setup.load_setup(rt, east_aleppo.setup_spec(), actor="demo", device="demo", at=registered_at - timedelta(hours=6))
    if with_agreement:
        agreement_2016.set_up(rt, people, seed)
    registered = []
    pop = east_aleppo.population(people, seed)
    done = 0
    for i in range(0, len(pop.households), BATCH):
        batch = pop.households[i:i + BATCH]
        items = [(Meta(command_id=f"demo:{seed}:household:{i + j}", actor="demo", device="demo", at=registered_at), h)
                 for j, h in enumerate(batch)]
        receipts = registration.register_households(rt, items)
        registered += [r.data for r in receipts if r is not None]
        done += sum(len(h["persons"]) for h in batch)
        if progress:
            progress(done, pop.persons)
    if with_agreement:
        agreement_2016.declare_categories(rt, registered, seed)
    planning.plan(rt, Meta(command_id=f"demo:{seed}:plan", actor="demo", device="demo", at=east_aleppo.START))
    return DemoResult(len(pop.households), pop.persons, pop.urgent, pop.stretcher)


def create_demo_accounts(rt: Runtime, *, by: str = "demo") -> list[tuple[str, str, str]]:
    """One account per role, each with a fresh random password: (name, role, password), to print once."""
    import secrets

    from ..domain.permissions import Role
    from ..service import accounts

    made = []
    for role in Role:
        name = f"demo-{role.value.replace('_', '-')}"
        password = secrets.token_urlsafe(12)
        accounts.add_user(rt, name, role=role, password=password, by=by)
        made.append((name, role.value, password))
    return made

"""Who may see and do what: roles, permissions and the personal fields each permission reveals.

This module is the one permission table. The API checks a route's permission against it, the
services filter what they answer by it, the docs page of permissions is generated from it, and the
authorization tests read it. A role is a set of permissions; an account has one role and may be
limited to sites (gathering points, checkpoints, reception centres). Least data by role (ICRC
Handbook on Data Protection in Humanitarian Action): a field of a person is shown only to a role
with a permission that needs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Role(str, Enum):
    COORDINATOR = "coordinator"
    REGISTRAR = "registrar"
    BOARDING_MARSHAL = "boarding_marshal"
    CONVOY_MONITOR = "convoy_monitor"
    RECEPTION = "reception"
    MEDIC = "medic"
    PROTECTION_OFFICER = "protection_officer"
    ANALYST = "analyst"
    PARTNER = "partner"
    ADMIN = "admin"


class Permission(str, Enum):
    """What an account may do or see. Each route and each personal field names one of these."""

    SETUP = "setup"  # the operation, sites, legs, fleet, corridor rules, withdrawing a vehicle
    PLAN = "plan"  # plan everyone waiting
    HALT = "halt"  # halt and resume the operation
    FIGURES = "figures"  # aggregate figures: status, trips without names, reconciliation counts, timeline
    MANIFESTS = "manifests"  # who is on a trip (names): all trips, or those at the account's sites
    REGISTER = "register"  # register and import households (at the account's gathering points)
    LOOKUP = "lookup"  # find a person or household by token, QR or name
    DUPLICATES = "duplicates"  # review, merge and dismiss likely duplicates
    BOARD = "board"  # board persons and let a trip depart (at the account's gathering points)
    CHECKPOINT = "checkpoint"  # log a checkpoint passage and persons held or taken off
    RECEIVE = "receive"  # log arrival, scan in and close a trip (at the account's reception centres)
    RELEASE = "release"  # log that a held person was released
    MEDICAL = "medical"  # precedence, mobility and medical notes; the medical list
    PROTECTION = "protection"  # children, vulnerabilities, family links
    HELD_REASONS = "held_reasons"  # why a person was held or taken off, as stated
    ACCESS_LOG = "access_log"  # who read which personal data, when
    ACCOUNTS = "accounts"  # accounts, roles, device tokens
    ERASE = "erase"  # erase a household's personal data (crypto-shredding)
    SITREP = "sitrep"  # the published situation report
    CLAIMS = "claims"  # record, correct and withdraw claims made by others; the situation picture and its exports
    AGREEMENT = "agreement"  # set and amend the agreement, enter the linked operation's figures, override its rules
    CATEGORY = "category"  # set a person's category under the agreement and declared items (protection-sensitive)
    NOTIFY = "notify"  # issue movement notifications to the parties (recorded)


P = Permission

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.COORDINATOR: frozenset({P.SETUP, P.PLAN, P.HALT, P.FIGURES, P.MANIFESTS, P.HELD_REASONS, P.RELEASE,
                                 P.SITREP, P.CLAIMS, P.AGREEMENT, P.CATEGORY, P.NOTIFY}),
    Role.REGISTRAR: frozenset({P.REGISTER, P.LOOKUP, P.DUPLICATES}),
    Role.BOARDING_MARSHAL: frozenset({P.BOARD, P.MANIFESTS, P.LOOKUP}),
    Role.CONVOY_MONITOR: frozenset({P.CHECKPOINT, P.MANIFESTS, P.LOOKUP}),
    Role.RECEPTION: frozenset({P.RECEIVE, P.MANIFESTS, P.LOOKUP, P.PROTECTION}),
    Role.MEDIC: frozenset({P.MEDICAL, P.LOOKUP}),
    Role.PROTECTION_OFFICER: frozenset({P.PROTECTION, P.HELD_REASONS, P.LOOKUP, P.RELEASE, P.ACCESS_LOG,
                                        P.ERASE, P.CATEGORY}),
    Role.ANALYST: frozenset({P.FIGURES, P.SITREP, P.CLAIMS}),
    Role.PARTNER: frozenset({P.SITREP}),
    Role.ADMIN: frozenset({P.ACCOUNTS, P.ACCESS_LOG}),
}

ROLE_DUTIES: dict[Role, str] = {
    Role.COORDINATOR: "set-up, corridor rules, the agreement and its overrides, planning, halt and resume, "
                      "withdrawing vehicles, all aggregate figures, trip manifests, issuing movement notifications",
    Role.REGISTRAR: "registers and imports households at their gathering point(s), looks households up there, "
                    "reviews duplicates",
    Role.BOARDING_MARSHAL: "boards at their gathering point(s); sees the manifests of trips leaving there",
    Role.CONVOY_MONITOR: "passes checkpoints and logs persons held or taken off, for the trips they accompany",
    Role.RECEPTION: "logs arrivals and scans people in at their reception centre(s); sees manifests of trips "
                    "coming there and child alerts",
    Role.MEDIC: "precedence, mobility and medical notes; the medical list",
    Role.PROTECTION_OFFICER: "children, vulnerabilities, family links, held persons and their reasons, persons' "
                             "categories under the agreement",
    Role.ANALYST: "aggregates, claims and situation reports; no names",
    Role.PARTNER: "the published situation report and aggregates only (for other agencies)",
    Role.ADMIN: "accounts and devices; nothing operational",
}

# The personal fields of a person record and the permission that reveals each. A field not listed
# here is not personal (a token, a household token, a state, a trip).
IDENTIFY = frozenset({P.REGISTER, P.LOOKUP, P.BOARD, P.CHECKPOINT, P.RECEIVE, P.PROTECTION, P.MEDICAL})
PERSON_FIELDS: dict[str, frozenset[Permission]] = {
    "name_ar": IDENTIFY,
    "name_latin": IDENTIFY,
    "sex": IDENTIFY,
    "birth_year": IDENTIFY,
    "birth_date": IDENTIFY,
    "relationship": IDENTIFY,
    "mobility": IDENTIFY,  # a marshal must know who needs a stretcher place
    "precedence": frozenset({P.MEDICAL, P.REGISTER, P.BOARD, P.RECEIVE}),
    "medical_notes": frozenset({P.MEDICAL}),
    "vulnerabilities": frozenset({P.PROTECTION}),
    "links": frozenset({P.PROTECTION}),
    "held_reason": frozenset({P.HELD_REASONS}),
    "category": frozenset({P.CATEGORY}),  # a person's category under the agreement and declared items
}

SITE_LIMITED = frozenset({P.REGISTER, P.BOARD, P.CHECKPOINT, P.RECEIVE, P.MANIFESTS, P.LOOKUP})

# Which end of a trip ties it to an account limited to sites (for boarding, departing, arriving, checkpoints
# and manifests): a marshal the trips leaving their gathering points, reception the trips coming to their
# centres, a monitor the trips whose route passes one of their sites; any other role limited to sites: a trip
# touching one of them anywhere.
TRIP_TIE: dict[Role, str] = {Role.BOARDING_MARSHAL: "origin", Role.RECEPTION: "destination",
                             Role.CONVOY_MONITOR: "route"}
SITE_RULES: dict[Permission, str] = {
    P.REGISTER: "the household's gathering point is one of the account's sites",
    P.LOOKUP: "the household's gathering point or destination, or the route of a member's trip, is one of them",
    P.BOARD: "the trip leaves from one of the account's sites (boarding, departing)",
    P.CHECKPOINT: "the trip's route passes one of the account's sites",
    P.RECEIVE: "the trip goes to one of the account's sites (arriving, scanning in, closing)",
    P.MANIFESTS: "marshal: the trip leaves from one of the sites; reception: it goes to one; convoy monitor: "
                 "its route passes one",
}


@dataclass(frozen=True)
class Principal:
    """Who is asking: an account with its role, the sites it is limited to (none: every site), its device.

    The operator's console (the CLI on the server machine, which holds the database and its key) is a
    principal with every permission, recorded under the operating-system user: `Principal.console(user)`."""

    account: str
    role: Role | None
    sites: tuple[str, ...] = ()
    device: str = "unknown"

    @classmethod
    def console(cls, os_user: str) -> Principal:
        return cls(account=f"console:{os_user}", role=None, device="console")

    @property
    def permissions(self) -> frozenset[Permission]:
        return frozenset(Permission) if self.role is None else ROLE_PERMISSIONS[self.role]

    def may(self, permission: Permission) -> bool:
        return permission in self.permissions

    def at(self, site: str | None) -> bool:
        """May act at this site (an account limited to sites acts only there)."""
        return not self.sites or (site is not None and site in self.sites)

    def at_any(self, sites) -> bool:
        """May act where any of these sites is (an account not limited to sites: anywhere)."""
        return not self.sites or bool(set(self.sites) & {s for s in sites if s})

    def at_trip(self, origin: str, destination: str, route: list[str] | tuple[str, ...]) -> bool:
        """Is this trip one of the account's (see TRIP_TIE): always, for an account not limited to sites."""
        tie = TRIP_TIE.get(self.role) if self.role is not None else None
        if tie == "origin":
            return self.at(origin)
        if tie == "destination":
            return self.at(destination)
        return self.at_any([origin, destination, *route])

    @property
    def label(self) -> str:
        """Who, for the ledger and the access log: the account, and the device within it."""
        return f"{self.account} ({self.device})"

    def sees(self, field: str) -> bool:
        """May see this field of a person."""
        needs = PERSON_FIELDS.get(field)
        return needs is None or bool(needs & self.permissions)


def parse_role(raw: str) -> Role:
    """A role by its name ("boarding_marshal"; "boarding-marshal" and "boarding marshal" too)."""
    value = str(raw).strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return Role(value)
    except ValueError:
        raise ValueError(f"role: expected one of {', '.join(r.value for r in Role)}") from None


def permissions_table() -> list[tuple[str, str, list[str]]]:
    """(role, duties, permissions) rows for the docs page, in the order roles are declared."""
    return [(r.value, ROLE_DUTIES[r], sorted(p.value for p in ROLE_PERMISSIONS[r])) for r in Role]

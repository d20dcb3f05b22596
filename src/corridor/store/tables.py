"""The tables: the append-only ledger (the record) and the views built from it.

Only `projection.py` writes the views and only `queries.py` reads them; the
ledger alone can rebuild every view (`rebuild.py`).
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    false,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

class UtcTime(TypeDecorator):
    """An instant, stored as naive UTC, always read back as an aware UTC datetime."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; give it a UTC offset")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


Time = UtcTime()

# --- the record ----------------------------------------------------------------

ledger = Table(
    "ledger",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("command_id", String(100), nullable=False, unique=True),
    Column("fingerprint", String(64), nullable=False),
    Column("type", String(40), nullable=False),
    Column("payload", Text, nullable=False),
    Column("at", String(40), nullable=False),  # when it happened (ISO 8601, UTC)
    Column("recorded_at", String(40), nullable=False),  # when the server wrote it
    Column("actor", String(100), nullable=False),
    Column("device", String(100), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

ledger_head = Table(
    "ledger_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

# --- the views ------------------------------------------------------------------

operation = Table(
    "operation",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("name_en", String(200), nullable=False),
    Column("name_ar", String(200), nullable=False),
    Column("starts_at", Time, nullable=False),
    Column("boarding_minutes", Integer, nullable=False),
    Column("unloading_minutes", Integer, nullable=False),
    Column("halted", Boolean, nullable=False),
    Column("halted_since", Time),
    Column("time_zone", String(64), nullable=False, server_default="UTC"),  # the zone its times are shown in
)

sites = Table(
    "sites",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("name_en", String(200), nullable=False),
    Column("name_ar", String(200), nullable=False),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("capacity", Integer),
    Column("seq", Integer, nullable=False),
)

legs = Table(
    "legs",
    metadata,
    Column("origin", String(32), ForeignKey("sites.code"), primary_key=True),
    Column("destination", String(32), ForeignKey("sites.code"), primary_key=True),
    Column("minutes", Integer, nullable=False),
)

vehicles = Table(
    "vehicles",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("plate", String(32), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("seats", Integer, nullable=False),
    Column("stretchers", Integer, nullable=False),
    Column("operator", String(100), nullable=False),
    Column("site", String(32), ForeignKey("sites.code"), nullable=False),
    Column("available_from", Time, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("withdrawn_at", Time),
    Column("withdrawn_reason", String(500)),
    Column("driver", Text),  # a private vehicle's driver, as stated: sealed under the drivers' key (store/sealing.py)
)

corridor_rules = Table(
    "corridor_rules",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("convoy_size", Integer),
    Column("convoy_gap_minutes", Integer, nullable=False),
    Column("checkpoint_rates", Text, nullable=False),  # JSON {checkpoint: vehicles an hour}
    Column("windows", Text, nullable=False),  # JSON [[opens, closes], ...] ISO 8601
    Column("note", String(500), nullable=False),
    Column("set_at", Time, nullable=False),
)

households = Table(
    "households",
    metadata,
    Column("token", String(9), primary_key=True),
    Column("gathering_point", String(32), ForeignKey("sites.code"), nullable=False),
    Column("destination", String(32), ForeignKey("sites.code")),
    Column("size", Integer, nullable=False),
    Column("registered_at", Time, nullable=False),
    Column("seq", Integer, nullable=False, index=True),
    Column("erased_at", Time),  # its personal data destroyed (crypto-shredding)
    Column("erased_reason", String(20)),  # the category of the erasure
)

persons = Table(
    "persons",
    metadata,
    Column("token", String(9), primary_key=True),
    Column("household", String(9), ForeignKey("households.token"), nullable=False, index=True),
    # names, birth date, vulnerabilities and medical notes, sealed under the household's data key
    # (store/crypto.py); NULL once the household is erased. Queries return them opened.
    Column("sealed", Text),
    Column("sealed_links", Text),  # the person's family links, sealed; NULL without links or once erased
    Column("sex", String(10), nullable=False),
    Column("birth_year", Integer),  # kept plain: ages for the planner, the children list and counts
    Column("relationship", String(20), nullable=False),
    Column("mobility", String(20), nullable=False),
    Column("precedence", String(10), nullable=False),
    Column("vulnerable", Boolean, nullable=False),  # has any vulnerability (the planner's one plain flag)
    Column("state", String(20), nullable=False, index=True),
    Column("trip", String(16), index=True),  # the trip the person is assigned to / aboard / arrived with
    Column("state_since", Time, nullable=False),
    Column("held_site", String(32)),
    Column("held_reason", Text),  # sealed
    Column("registered_at", Time, nullable=False),
    Column("ordinal", Integer, nullable=False),  # registration order
    Column("merged_into", String(9)),  # a duplicate record folded into this person's
    # a trip's aboard and lying counts (every boarding scan reads them) from the index alone
    Index("ix_persons_trip_state", "trip", "state", "mobility"),
)

person_links = Table(
    "person_links",
    metadata,
    Column("person", String(9), ForeignKey("persons.token"), primary_key=True),
    Column("linked_to", String(32), primary_key=True),  # the blind index of the linked token (may be registered later)
    Index("ix_person_links_linked_to", "linked_to"),
)

duplicate_pairs = Table(
    "duplicate_pairs",
    metadata,
    Column("a", String(9), primary_key=True),
    Column("b", String(9), primary_key=True),
    Column("score", Float, nullable=False),
    Column("high", Boolean, nullable=False),
    Column("evidence", Text, nullable=False),  # JSON
    Column("status", String(10), nullable=False),  # open | merged | dismissed
    Column("kept", String(9)),
    Column("found_seq", Integer, nullable=False),
    Column("decided_at", Time),
    Index("ix_duplicate_pairs_status", "status"),
)

duplicate_checks = Table(
    "duplicate_checks",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", Time, nullable=False),
    Column("persons_checked", Integer, nullable=False),
    Column("pairs", Integer, nullable=False),
)

plans = Table(
    "plans",
    metadata,
    Column("plan_id", String(16), primary_key=True),
    Column("made_at", Time, nullable=False),
    Column("planner", String(40), nullable=False),
    Column("finish_at", Time),
    Column("lower_bound_at", Time),
    Column("trips", Integer, nullable=False),
    Column("persons", Integer, nullable=False),
    Column("seq", Integer, nullable=False),
)

trips = Table(
    "trips",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("plan_id", String(16), ForeignKey("plans.plan_id"), nullable=False),
    Column("vehicle", String(32), ForeignKey("vehicles.code"), nullable=False, index=True),
    Column("origin", String(32), nullable=False),
    Column("destination", String(32), nullable=False),
    Column("route", Text, nullable=False),  # JSON list of site codes
    Column("convoy", String(16), nullable=False),
    Column("depart_at", Time, nullable=False),  # planned
    Column("arrive_at", Time, nullable=False),  # planned
    Column("state", String(12), nullable=False, index=True),
    Column("departed_at", Time),
    Column("arrived_at", Time),
    Column("closed_at", Time),
    Column("ordinal", Integer, nullable=False),
    # the road (issue 11): a private vehicle's trip and its occupants not registered; a trip turned back at a
    # checkpoint (when, where, when its vehicle is back at its origin); a vehicle lost on the road
    Column("private", Boolean, nullable=False, default=False, server_default=false()),
    Column("unregistered", Integer, nullable=False, default=0, server_default="0"),
    Column("turned_back_at", Time),
    Column("back_at", Time),
    Column("road_site", String(32)),  # the checkpoint it was turned back at
    Column("incident", String(20)),  # attacked | burned | lost
    Column("road_note", String(500)),  # the reason or the incident, as stated
    Column("driver", Text),  # who drove it, as signed off at departure: sealed under the drivers' key
)

manifest = Table(
    "manifest",
    metadata,
    Column("trip", String(16), ForeignKey("trips.id"), primary_key=True),
    Column("person", String(9), ForeignKey("persons.token"), primary_key=True),
    Column("assigned", Boolean, nullable=False),
    Column("boarded_at", Time),
    Column("left_behind", Boolean, nullable=False),
    Column("off_checkpoint", String(32)),
    Column("off_outcome", String(10)),
    Column("off_reason", Text),  # sealed
    Column("off_at", Time),
    Column("scanned_at", Time),
    Column("unaccounted", Boolean, nullable=False),
    Column("turned_back", Boolean, nullable=False, default=False, server_default=false()),  # back to waiting
    Column("follow_up", String(12)),  # the vehicle lost on the road: injured | transferred | unaccounted
    Column("follow_up_to", String(16)),  # transferred: the trip that took them on
    Index("ix_manifest_person", "person"),
)

passages = Table(
    "passages",
    metadata,
    Column("trip", String(16), ForeignKey("trips.id"), primary_key=True),
    Column("checkpoint", String(32), primary_key=True),
    Column("at", Time, nullable=False),
    Column("taken_off", Integer, nullable=False),
)

halts = Table(
    "halts",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("cause", String(30), nullable=False),
    Column("note", String(500), nullable=False),
    Column("halted_at", Time, nullable=False),
    Column("resumed_at", Time),
    Column("resume_note", String(500)),
)

name_index = Table(
    "name_index",
    metadata,
    Column("term", String(32), primary_key=True),  # HMAC of one name key (store/crypto.py `blind`)
    Column("person", String(9), ForeignKey("persons.token"), primary_key=True),
    Column("household", String(9), nullable=False, index=True),
)

# --- keys: outside the ledger, never rebuilt (destroying a row erases a household for good) -------

household_keys = Table(
    "household_keys",
    metadata,
    Column("household", String(9), primary_key=True),
    Column("wrapped", Text, nullable=False),  # the data key, AES-GCM under the master key
)

keyring = Table(
    "keyring",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("key_id", String(16), nullable=False),  # which master key seals this database
)

claims = Table(  # every version of every claim (recorded, corrected) and its withdrawal, in ledger order
    "claims",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("claim", String(16), nullable=False, index=True),
    Column("kind", String(10), nullable=False),  # recorded | corrected | withdrawn
    Column("at", Time, nullable=False),  # when it was recorded (the event's time)
    Column("content", Text),  # JSON of the claim as recorded (domain.claims.ClaimContent); NULL for a withdrawal
    Column("note", String(500), nullable=False),  # the correction's note or the withdrawal's reason
)

# --- the agreement (domain/agreement.py): its versions, persons' categories, the linked operation's figures -----

agreement_versions = Table(  # every version of the agreement's terms, in ledger order; the last one is in force
    "agreement_versions",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(10), nullable=False),  # set | amended
    Column("at", Time, nullable=False),
    Column("terms", Text, nullable=False),  # JSON of domain.agreement.AgreementTerms
    Column("reason", String(500), nullable=False),
)

person_categories = Table(
    "person_categories",
    metadata,
    Column("person", String(9), ForeignKey("persons.token"), primary_key=True),
    Column("household", String(9), nullable=False, index=True),
    Column("sealed", Text, nullable=False),  # {category, items, note}, sealed under the household's data key
    Column("set_at", Time, nullable=False),
    Column("seq", Integer, nullable=False),
)

linked_figures = Table(  # the linked operation's persons moved, as entered or imported, in ledger order
    "linked_figures",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("moved", Integer, nullable=False),
    Column("as_of", Time, nullable=False),
    Column("source", String(200), nullable=False),
    Column("note", String(500), nullable=False),
    Column("at", Time, nullable=False),
)

agreement_overrides = Table(  # boardings and departures a coordinator let happen against the agreement's rules
    "agreement_overrides",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(10), nullable=False),  # board | depart
    Column("trip", String(16), nullable=False),
    Column("rules", Text, nullable=False),  # JSON list of the rules overridden
    Column("reason", String(500), nullable=False),
    Column("at", Time, nullable=False),
)

linked_incidents = Table(  # incidents of the linked operation, as reported (entered or imported), in ledger order
    "linked_incidents",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("occurred_at", Time, nullable=False),
    Column("incident", String(20), nullable=False),  # attacked | burned | lost
    Column("vehicles", Integer, nullable=False),
    Column("persons_affected", Integer, nullable=False),
    Column("source", String(200), nullable=False),
    Column("note", String(500), nullable=False),
    Column("at", Time, nullable=False),
)

notifications_issued = Table(  # movement notifications issued to the parties, in ledger order (who: the ledger)
    "notifications_issued",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", Time, nullable=False),
    Column("scope", String(60), nullable=False),
    Column("convoy", String(32)),
    Column("day", String(10), nullable=False),
    Column("emergency", Boolean, nullable=False),
    Column("lead_hours", Float, nullable=False),
    Column("required_hours", Integer, nullable=False),
    Column("vehicles", Integer, nullable=False),
    Column("persons", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
)

VIEW_TABLES = (operation, sites, legs, vehicles, corridor_rules, households, persons, person_links, duplicate_pairs,
               duplicate_checks, plans, trips, manifest, passages, halts, name_index, claims,
               agreement_versions, person_categories, linked_figures, agreement_overrides, linked_incidents,
               notifications_issued)

# --- who may see and do what: accounts, their device tokens, login attempts, the access log -----------------
# Not views of the ledger: `rebuild` leaves them alone. Written and read by `store/accounts.py` only.

accounts = Table(
    "accounts",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(32), nullable=False),
    Column("sites", Text, nullable=False),  # JSON list of site codes; empty: every site
    Column("password_hash", String(200), nullable=False),  # Argon2id, with its salt and parameters
    Column("disabled", Boolean, nullable=False),
    Column("created_at", Time, nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("changed_at", Time, nullable=False),
    Column("changed_by", String(100), nullable=False),
    Column("language", String(2), nullable=True),  # the screens' language the account chose last: ar | en
)

device_tokens = Table(
    "device_tokens",
    metadata,
    Column("id", String(16), primary_key=True),  # a public name for the token, to revoke it by
    Column("token_hash", String(64), nullable=False, unique=True),  # SHA-256 of the token; the token is not kept
    Column("account", String(64), ForeignKey("accounts.name"), nullable=False, index=True),
    Column("device", String(100), nullable=False),
    Column("kind", String(10), nullable=False),  # device (corridor tokens create) or session (a login)
    Column("created_at", Time, nullable=False),
    Column("expires_at", Time, nullable=False),
    Column("revoked_at", Time),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account", String(64), nullable=False, index=True),
    Column("address", String(64), nullable=False, index=True),
    Column("at", Time, nullable=False),
    Column("ok", Boolean, nullable=False),
)

access_log = Table(
    "access_log",
    metadata,
    Column("seq", Integer, primary_key=True),
    Column("at", Time, nullable=False),
    Column("account", String(100), nullable=False),
    Column("device", String(100), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("subject", String(200), nullable=False),  # a household or person token, a trip, a site, or ""
    Column("count", Integer, nullable=False),  # how many records were shown
)

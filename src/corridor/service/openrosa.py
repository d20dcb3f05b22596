"""Field devices as OpenRosa clients: the forms a device may fill, and a submission received.

A submission is one command, recorded through `recording.execute` like every other: its ``meta/instanceID``
is the command id, so a resend is absorbed and the same instanceID with other content is a conflict. A
registration registers the household (the same reader and checks as an import of Kobo/ODK exports, the same
service as the desk); a boarding scan boards the scanned card or wristband onto the trip the form names.

An edit (``meta/deprecatedID`` naming a submission already recorded) is handled as the import handles edits:
it is reported with what it changes and not applied, unless the server was started with the explicit choice to
apply edits (then its persons' fields are corrected, one HouseholdCorrected; a changed gathering point,
destination or number of persons still goes to the desk)."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import dataclass, field

from ..domain import registry as rules
from ..domain.commands import CorrectHousehold
from ..domain.errors import BadInput, Conflict, CorridorError, Forbidden, NotFound
from ..domain.permissions import Permission, Principal
from ..formats import openrosa as documents
from ..formats.xform import XForm, xforms_of
from ..formats.xlsform import BOARDING_FORM_ID, REGISTRATION_FORM_ID
from ..store import queries as q
from . import movement
from .access import require_site, require_trip
from .importing import _registered, _wanted
from .recording import Meta, execute
from .registration import register_household
from .runtime import Runtime

log = logging.getLogger("corridor.openrosa")

FORM_PERMISSION = {REGISTRATION_FORM_ID: Permission.REGISTER, BOARDING_FORM_ID: Permission.BOARD}
_forms_lock = threading.Lock()
_built: dict[tuple, list[XForm]] = {}  # (sites, gathering points) -> the forms (pyxform takes a moment)
_known: dict[tuple[str, str], XForm] = {}  # (form id, version) -> every form served since this process started


@dataclass
class Outcome:
    """What a received submission came to: `kind` registered, boarded, corrected or unchanged; `replayed` when it
    was recorded before (a resend absorbed)."""

    kind: str
    form_id: str
    instance_id: str
    replayed: bool = False
    household: str | None = None
    persons: int = 0
    trip: str | None = None
    edit: dict = field(default_factory=dict)


def forms_for(rt: Runtime, principal: Principal) -> list[XForm]:
    """The forms this device's account may fill: registration (register), boarding scan (board); an account
    limited to sites gets a registration form listing only its gathering points."""
    with rt.reading() as uow:
        sites = [{k: v for k, v in s._mapping.items() if k != "seq"} for s in q.all_sites(uow.conn)]
    if not sites:
        return []
    wanted = [f for f, p in FORM_PERMISSION.items() if principal.may(p)]
    if not wanted:
        return []
    key = (tuple((s["code"], s["kind"], s.get("name_en"), s.get("name_ar")) for s in sites), principal.sites)
    with _forms_lock:
        forms = _built.get(key)
        if forms is None:
            try:
                forms = xforms_of(sites, gathering_points=principal.sites)
            except ValueError as err:
                raise BadInput(f"sites: {err}", field="sites") from None
            _built[key] = forms
            _known.update({(f.form_id, f.version): f for f in forms})
    return [f for f in forms if f.form_id in wanted]


def form(rt: Runtime, principal: Principal, form_id: str, version: str | None = None) -> XForm:
    """One form this device may fill (the current version, or `version` if it was served); NotFound otherwise."""
    permission = FORM_PERMISSION.get(form_id)
    if permission is None:
        raise NotFound(f"form: no form {form_id[:60]!r} on this server", field="form")
    if not principal.may(permission):
        raise Forbidden(f"form: {form_id} needs the {permission.value} permission", permission=permission.value)
    current = next((f for f in forms_for(rt, principal) if f.form_id == form_id), None)
    if current is None:
        raise NotFound("form: the operation has no sites yet", field="form")
    if version is None or version == current.version:
        return current
    with _forms_lock:
        older = _known.get((form_id, version))
    if older is None:
        raise NotFound(f"form: no version {version[:40]!r} of {form_id} (this server's is {current.version}); "
                       "get the blank form again", field="version")
    return older


def receive(rt: Runtime, principal: Principal, xml: bytes, *, apply_edits: bool = False) -> Outcome:
    """Record one submitted instance; a CorridorError when it is refused (nothing recorded then)."""
    instance = documents.parse_instance(xml)
    form(rt, principal, instance.form_id, instance.version)
    meta = Meta(command_id=instance.instance_id, actor=principal.account, device=principal.device)
    try:
        if instance.form_id == BOARDING_FORM_ID:
            return _board(rt, principal, instance, meta)
        return _register(rt, principal, instance, meta, apply_edits)
    except Conflict as err:
        if err.field != "command_id":
            raise
        raise Conflict(f"meta/instanceID: submission {instance.instance_id} was received before with different "
                       "content; this one is not applied", field="meta/instanceID") from None


def _board(rt: Runtime, principal: Principal, instance, meta: Meta) -> Outcome:
    trip = documents.field_of(instance, "trip").strip().upper()
    token = documents.field_of(instance, "token").strip()
    if not trip:
        raise BadInput("trip: the boarding scan names no trip", field="trip")
    if not token:
        raise BadInput("token: the boarding scan has no card or wristband", field="token")
    require_trip(rt, principal, Permission.BOARD, trip)
    receipt = movement.board(rt, meta, trip=trip, tokens=[token])
    return Outcome("boarded", instance.form_id, instance.instance_id, receipt.replayed, trip=trip,
                   persons=len(receipt.data.get("persons") or []))


def _household(instance) -> dict:
    batch = documents.registration_of(instance)
    if batch.problems:
        first = batch.problems[0]
        raise BadInput(f"{first.column}: {first.reason}", field=first.column,
                       errors=[{"field": p.column, "detail": p.reason} for p in batch.problems])
    return batch.submissions[0].household


def _register(rt: Runtime, principal: Principal, instance, meta: Meta, apply_edits: bool) -> Outcome:
    household = _household(instance)
    require_site(principal, Permission.REGISTER, household.get("gathering_point"), "gathering_point")
    if instance.deprecated_id:
        with rt.reading() as uow:
            edited = uow.ledger.find_many([instance.deprecated_id, instance.instance_id])
        if instance.deprecated_id in edited:
            return _edit(rt, instance, meta, household, edited[instance.deprecated_id].event.token, apply_edits,
                         again=instance.instance_id in edited)
    receipt = register_household(rt, meta, household)
    return Outcome("registered", instance.form_id, instance.instance_id, receipt.replayed,
                   household=receipt.data["token"], persons=len(receipt.data["persons"]))


def _edit(rt: Runtime, instance, meta: Meta, household: dict, token: str, apply_edits: bool,
          again: bool) -> Outcome:
    """An edit of a registration recorded before: reported (Conflict naming what it changes), or applied when the
    server was told to apply edits. `again`: the edit itself was applied before (a resend: absorbed)."""
    content = hashlib.sha256(json.dumps(household, sort_keys=True, default=str).encode("utf-8")).hexdigest()
    command = CorrectHousehold(token=token, household=instance.deprecated_id, fingerprint=content)
    if again:
        receipt = execute(rt, meta, command, lambda uow, at, c: None)  # absorbed, or a conflict: never decided
        return Outcome("corrected", instance.form_id, instance.instance_id, receipt.replayed, household=token)
    with rt.reading() as uow:
        site, current = _registered(uow, token)
        wanted = _wanted(household, rt.clock().date())
    differences = rules.household_differences(site, current, (household["gathering_point"],
                                                              household.get("destination")), wanted)
    fields = sorted({d["field"] for d in differences})
    report = {"household": token, "edits": instance.deprecated_id, "fields": fields}
    if not differences:
        return Outcome("unchanged", instance.form_id, instance.instance_id, household=token, edit=report)
    log.warning("openrosa: an edit of submission %s (household %s) changes %s; %s", instance.deprecated_id[:60],
                token, ", ".join(fields), "applying it" if apply_edits else "not applied")
    if not apply_edits:
        raise Conflict(f"edit: this edits submission {instance.deprecated_id} (household {token}), already "
                       f"received; it changes {', '.join(fields)}. Edits are not applied from a device: correct "
                       "the household at the registration desk", field="meta/deprecatedID")

    def decide(uow, at, command: CorrectHousehold):
        place, now = _registered(uow, command.token)
        return rules.correct_household(command.token, now, rules.household_differences(place, now, place, wanted),
                                       wanted)

    try:
        receipt = execute(rt, meta, command, decide)
    except BadInput as err:  # a changed gathering point, destination or number of persons
        raise Conflict(f"edit: {err.detail}", field=err.field) from None
    return Outcome("corrected", instance.form_id, instance.instance_id, receipt.replayed, household=token,
                   persons=len(current), edit=report)


def refusal_kind(err: CorridorError) -> str:
    """A refusal's kind for the device's message: edit, conflict, not-found, forbidden or invalid."""
    if isinstance(err, Conflict) and err.field == "meta/deprecatedID":
        return "edit"
    if isinstance(err, Conflict) and err.field == "meta/instanceID":
        return "conflict"
    return {409: "rule", 404: "not-found", 403: "forbidden", 401: "forbidden"}.get(err.status, "invalid")

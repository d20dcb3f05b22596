"""What is printed or handed to field teams: household cards with wristbands, and the XLSForms."""

from __future__ import annotations

from pathlib import Path

from ..domain.errors import BadInput, Forbidden, NotFound
from ..domain.permissions import Permission, Principal
from ..domain.tokens import normalise_token
from ..store import queries as q
from . import access
from .reports import setup as operation_setup
from .runtime import Runtime


def cards(rt: Runtime, path: Path, *, viewer: Principal, households: list[str] | None = None,
          gathering_point: str | None = None, limit: int | None = None, wristbands: bool = True) -> dict:
    """Write A4 sheets of household cards (and wristband strips) for the chosen households.

    Cards carry names: the viewer must see them, and one limited to sites prints only for its gathering points.
    The export is written to the access log (kind cards_export, one row per household).
    Refused with FontNotFound (a CorridorError naming the package to install) where no Arabic font is."""
    from ..formats.cards import write_cards

    if not (viewer.sees("name_ar") and viewer.may(Permission.REGISTER)):
        raise Forbidden("cards: printing cards needs the register permission", permission=Permission.REGISTER.value)
    if viewer.sites:
        access.require_site(viewer, Permission.REGISTER, gathering_point, "gathering_point")

    tokens = [normalise_token(t, "households") for t in households or []]
    if any(t[0] != "H" for t in tokens):
        raise BadInput("households: give household tokens (H…)", field="households")
    with rt.reading() as uow:
        op = q.operation_row(uow.conn)
        if op is None:
            raise NotFound("operation: no operation in this database", field="operation")
        rows = q.households_for_cards(uow.conn, tokens or None, gathering_point, limit)
        missing = set(tokens) - {h["token"] for h in rows}
        if missing:
            raise NotFound(f"households: no household {sorted(missing)[0]} in this operation", field="households")
    if not rows:
        raise NotFound("households: nobody to print for", field="households")
    sites = {s["code"]: s for s in operation_setup(rt)["sites"]}
    access.record(rt, viewer, access.CARDS, [h["token"] for h in rows])
    pages = write_cards(path, rows, sites, {"name_en": op.name_en, "name_ar": op.name_ar}, wristbands=wristbands)
    return {"path": str(path), "households": len(rows), "persons": sum(len(h["persons"]) for h in rows),
            "pages": pages}


def qr_file(token: str, out: Path) -> Path:
    """Write a token's QR code to `out`, SVG or PNG by its suffix; another suffix is refused (field `out`)."""
    from ..formats.qr import write_token_file

    return write_token_file(normalise_token(token), out, "out")


def forms(rt: Runtime, folder: Path) -> list[Path]:
    """Write the registration and boarding-scan XLSForms for ODK Collect / KoboCollect."""
    from ..formats.xlsform import write_forms

    sites = operation_setup(rt)["sites"]
    folder.mkdir(parents=True, exist_ok=True)
    try:
        return write_forms(folder, sites)
    except ValueError as err:
        raise BadInput(f"sites: {err}", field="sites") from None

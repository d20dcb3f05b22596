"""ODK Collect's configuration QR code (KoboCollect reads the same): the app's settings as JSON, compressed
with zlib and encoded in base64 (https://docs.getodk.org/collect-import-export/), drawn with segno.

Scanning it adds a project whose server is corridor's OpenRosa address with the device's key in it
(`…/key/<token>/openrosa`), so the phone needs no username or password: Collect asks `<server>/formList` for
the forms and sends to `<server>/submission`."""

from __future__ import annotations

import base64
import io
import json
import zlib

import segno

from ..domain.errors import BadInput


def settings(server_url: str, project: str) -> dict:
    """The settings a corridor device gets: the server with its key, blank forms kept exactly as the server
    lists them, finalized forms sent as soon as there is a network, and the server not changeable on the phone."""
    return {
        "general": {"server_url": server_url, "form_update_mode": "match_exactly", "periodic_form_updates_check":
                    "every_one_hour", "autosend": "wifi_and_cellular"},
        "admin": {"change_server": False},
        "project": {"name": project[:60], "icon": "C", "color": "#1f6f50"},
    }


def encode(values: dict) -> str:
    """What the QR code carries: base64(zlib(JSON))."""
    return base64.b64encode(zlib.compress(json.dumps(values, ensure_ascii=False).encode("utf-8"), 9)).decode("ascii")


def decode(payload: str) -> dict:
    """The settings a configuration QR code carries (what Collect does on scanning it)."""
    try:
        return json.loads(zlib.decompress(base64.b64decode(payload, validate=True)).decode("utf-8"))
    except (ValueError, zlib.error) as err:
        raise BadInput(f"payload: not a Collect configuration ({err})", field="payload") from None


def qr(payload: str) -> segno.QRCode:
    return segno.make_qr(payload, error="l")


def terminal(payload: str) -> str:
    out = io.StringIO()
    qr(payload).terminal(out=out, compact=True)
    return out.getvalue()


def write(payload: str, path, kind: str) -> None:
    qr(payload).save(str(path), kind=kind, scale=6, border=4)

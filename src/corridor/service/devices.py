"""Setting up a field device: a device token for an account and the configuration ODK Collect or KoboCollect
reads from a QR code (the server's OpenRosa address with the token in it)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from ..domain.errors import BadInput
from ..formats import collect
from . import accounts
from .runtime import Runtime


def openrosa_url(server: str, token: str) -> str:
    """The address a device is configured with: <server>/key/<token>/openrosa."""
    parts = urlsplit(str(server).strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise BadInput("server: the address phones reach corridor at, like https://corridor.example.org",
                       field="server")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}/key/{token}/openrosa"


def configure(rt: Runtime, account: str, *, server: str, device: str, expires: timedelta, by: str) -> dict:
    """A new device token for the account and the Collect configuration carrying it: {id, account, device,
    expires_at, server_url, payload}. The token is in the payload only (shown once, like any token)."""
    openrosa_url(server, "x")  # the address checked before a token is made
    made = accounts.create_token(rt, account, device=device, expires=expires, by=by)
    url = openrosa_url(server, made["token"])
    payload = collect.encode(collect.settings(url, f"corridor: {made['account']} ({device})"))
    return {"id": made["id"], "account": made["account"], "device": device, "expires_at": made["expires_at"],
            "server_url": url, "payload": payload, "https": url.startswith("https://")}

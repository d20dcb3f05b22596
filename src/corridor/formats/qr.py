"""QR codes for household and person tokens (segno)."""

from __future__ import annotations

import io

import segno


def token_qr(token: str) -> segno.QRCode:
    # upper-case alphanumeric mode keeps the symbol small; level M survives creases and dirt
    return segno.make_qr(token, error="m", boost_error=True)


def token_svg(token: str, scale: int = 4) -> str:
    out = io.BytesIO()
    token_qr(token).save(out, kind="svg", scale=scale, border=2, xmldecl=False, title=token)
    return out.getvalue().decode("utf-8")


def token_png(token: str, scale: int = 6) -> bytes:
    out = io.BytesIO()
    token_qr(token).save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def token_terminal(token: str) -> str:
    out = io.StringIO()
    token_qr(token).terminal(out=out, compact=True)
    return out.getvalue()

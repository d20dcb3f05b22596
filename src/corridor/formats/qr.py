"""QR codes for household and person tokens (segno): drawn on the terminal, or written as SVG or PNG."""

from __future__ import annotations

import io
from pathlib import Path

import segno

from ..domain.errors import BadInput

FILE_KINDS = {".svg": "svg", ".png": "png"}  # suffix -> what is written


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


def file_kind(path: str | Path, field: str = "out") -> str:
    """"svg" or "png" by the file's suffix; any other suffix is refused (a .jpg must not get SVG inside)."""
    suffix = Path(path).suffix.lower()
    if suffix not in FILE_KINDS:
        supported = ", ".join(FILE_KINDS)
        raise BadInput(f"{field}: {Path(path).name!r} — write the QR code to a file ending in {supported}"
                       f"{'' if suffix else ' (it has no suffix)'}", field=field)
    return FILE_KINDS[suffix]


def write_token_file(token: str, path: str | Path, field: str = "out") -> Path:
    """Write the token's QR code to `path` as SVG or PNG, by its suffix (checked before anything is written)."""
    path = Path(path)
    if file_kind(path, field) == "png":
        path.write_bytes(token_png(token))
    else:
        path.write_text(token_svg(token), encoding="utf-8")
    return path

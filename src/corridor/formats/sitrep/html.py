"""The sitrep as one HTML page (Jinja2, autoescaped); Arabic pages are right to left."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from .document import document


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("corridor.formats.sitrep", "templates"),
                       autoescape=select_autoescape(("html",)), trim_blocks=True, lstrip_blocks=True)


def render_html(data: dict, lang: str = "en") -> str:
    return _environment().get_template("sitrep.html").render(doc=document(data, lang))

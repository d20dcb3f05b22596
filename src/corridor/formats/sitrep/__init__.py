"""The daily situation report, written as HTML (Jinja2) or PDF (ReportLab), in English or Arabic (right to left).
It is given aggregates only (`service.sitrep`): it has no name and no token to show."""

from .html import render_html  # noqa: F401
from .pdf import render_pdf  # noqa: F401
from .words import LANGS, words  # noqa: F401

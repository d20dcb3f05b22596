"""corridor's XLSForms as XForm XML (pyxform), the form ODK Collect, KoboCollect and Enketo download.

`xforms_of(sites)` writes the registration and boarding-scan XLSForms exactly as `corridor forms` does
(`formats/xlsform.py`) and converts each with pyxform. The version is derived from what the forms hold (a
digest of the sites and of corridor's version), so the same operation gives the same version after a restart
and a changed list of sites a new one, which Collect then downloads. The hash is the md5 of the XForm, as the
OpenRosa form list gives it (``md5:…``).

pyxform writes the `<h:title>` from the form title and binds ``meta/instanceID`` with ``jr:preload="uid"``,
which fills the instanceID corridor keys a submission by; `check_xform` makes sure both are there."""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from .xlsform import BOARDING_FORM_ID, REGISTRATION_FORM_ID, write_boarding_form, write_registration_form

XFORMS = "http://www.w3.org/2002/xforms"
XHTML = "http://www.w3.org/1999/xhtml"
JAVAROSA = "http://openrosa.org/javarosa"
FORM_IDS = (REGISTRATION_FORM_ID, BOARDING_FORM_ID)
FORMAT = "1"  # bumped when the forms corridor writes change shape: a new version for every phone


@dataclass(frozen=True)
class XForm:
    form_id: str
    version: str
    title: str
    xml: bytes

    @property
    def hash(self) -> str:
        return "md5:" + hashlib.md5(self.xml).hexdigest()  # noqa: S324 - the OpenRosa form list names md5

    @property
    def languages(self) -> tuple[str, ...]:
        """The form's languages as itext names them, e.g. ('English (en)', 'Arabic (ar)')."""
        root = ElementTree.fromstring(self.xml)
        return tuple(t.get("lang", "") for t in root.iter(f"{{{XFORMS}}}translation"))


def forms_version(sites: list[Mapping]) -> str:
    """The version both forms carry: a digest of the sites they list (and of corridor's form format)."""
    body = json.dumps([FORMAT, [{k: s.get(k) for k in ("code", "kind", "name_en", "name_ar")} for s in sites]],
                      sort_keys=True, ensure_ascii=False)
    return "c" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]


def convert(path: Path) -> bytes:
    """One XLSForm as XForm XML (pyxform, without the Java validator: ODK's engine loads it in the tests)."""
    from pyxform.xls2xform import convert as pyxform_convert

    result = pyxform_convert(xlsform=str(path), validate=False, warnings=[])
    return result.xform.encode("utf-8")


def check_xform(xml: bytes) -> XForm:
    """Read a form's id, version and title, refusing a form the engines cannot load or key by instanceID."""
    root = ElementTree.fromstring(xml)
    title = root.find(f"{{{XHTML}}}head/{{{XHTML}}}title")
    if title is None or not (title.text or "").strip():
        raise ValueError("the XForm has no <h:title> (ODK's engines refuse it)")
    instance = root.find(f"{{{XHTML}}}head/{{{XFORMS}}}model/{{{XFORMS}}}instance")
    data = instance[0] if instance is not None and len(instance) else None
    if data is None or not data.get("id"):
        raise ValueError("the XForm has no primary instance with an id")
    binds = [b for b in root.iter(f"{{{XFORMS}}}bind") if b.get("nodeset", "").endswith("/meta/instanceID")]
    if not any(b.get(f"{{{JAVAROSA}}}preload") == "uid" for b in binds):
        raise ValueError("the XForm does not bind meta/instanceID with jr:preload=\"uid\"")
    return XForm(data.get("id"), data.get("version") or "", title.text.strip(), xml)


def xforms_of(sites: list[Mapping], *, gathering_points: tuple[str, ...] = ()) -> list[XForm]:
    """The registration and boarding-scan forms as XForms. `gathering_points`: list only these (a device limited
    to sites registers only there); none: every gathering point of the operation."""
    chosen = [s for s in sites if not gathering_points or s.get("kind") != "gathering_point"
              or s.get("code") in gathering_points]
    version = forms_version(chosen)
    with tempfile.TemporaryDirectory(prefix="corridor-forms-") as folder:
        paths = [write_registration_form(Path(folder) / f"{REGISTRATION_FORM_ID}.xlsx", chosen, version=version),
                 write_boarding_form(Path(folder) / f"{BOARDING_FORM_ID}.xlsx", version=version)]
        return [check_xform(convert(p)) for p in paths]

"""The OpenRosa documents: a submitted instance read (with a hardened parser), and what the server answers —
the xformsList of forms, a form's manifest, and the OpenRosaResponse a phone shows its user.

A submission's instance is parsed with defusedxml, refusing any DTD (so no entity expansion, no external
entity, no billion laughs). The instance is turned into the objects the Kobo/ODK export reader reads
(`formats/kobo`), so a registration sent by a phone goes through exactly the checks an exported one does."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from ..domain.errors import BadInput
from .kobo import REPEAT, KoboBatch, read_submissions

RESPONSE_NS = "http://openrosa.org/http/response"
FORM_LIST_NS = "http://openrosa.org/xforms/xformsList"
MANIFEST_NS = "http://openrosa.org/xforms/xformsManifest"
MAX_DEPTH = 12  # corridor's forms nest three deep (data/persons/name_ar); anything much deeper is not ours
MAX_ELEMENTS = 20_000  # a household of a few hundred persons fits many times over


@dataclass(frozen=True)
class Instance:
    """A submitted instance: its form, version, instanceID (and deprecatedID for an edit), its content as nested
    objects (repeats as lists), and the fingerprint-relevant raw XML."""

    form_id: str
    version: str
    instance_id: str
    deprecated_id: str | None
    content: dict[str, Any] = field(repr=False)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _objects(element, depth: int, counter: list[int]) -> Any:
    """An element as a value: its text when it has no children, else an object; `persons` always a list."""
    counter[0] += 1
    if counter[0] > MAX_ELEMENTS or depth > MAX_DEPTH:
        raise BadInput("xml_submission_file: the instance is nested too deep or has too many elements",
                       field="xml_submission_file")
    if len(element) == 0:
        return (element.text or "").strip()
    out: dict[str, Any] = {}
    for child in element:
        name = _local(child.tag)
        value = _objects(child, depth + 1, counter)
        if name == REPEAT or name in out:
            if name in out and not isinstance(out[name], list):
                out[name] = [out[name]]
            out.setdefault(name, []).append(value)
        else:
            out[name] = value
    return out


def parse_instance(data: bytes) -> Instance:
    """Read a submitted instance; BadInput (field xml_submission_file) when it is not one."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise BadInput("xml_submission_file: a DTD or an entity declaration is refused", field="xml_submission_file") \
            from None
    except (ParseError, ValueError) as err:
        raise BadInput(f"xml_submission_file: not well-formed XML ({str(err)[:80]})", field="xml_submission_file") \
            from None
    form_id = (root.get("id") or "").strip()
    if not form_id:
        raise BadInput("xml_submission_file: the instance names no form (no id on its root)",
                       field="xml_submission_file")
    content = _objects(root, 0, [0])
    if not isinstance(content, dict):
        raise BadInput("xml_submission_file: the instance is empty", field="xml_submission_file")
    meta = content.get("meta") if isinstance(content.get("meta"), dict) else {}
    instance_id = str(meta.get("instanceID") or root.get("instanceID") or "").strip()
    if not instance_id:
        raise BadInput("meta/instanceID: the instance has no instanceID", field="meta/instanceID")
    if not 1 <= len(instance_id) <= 100 or not instance_id.isprintable():
        raise BadInput("meta/instanceID: expected 1-100 printable characters", field="meta/instanceID")
    deprecated = str(meta.get("deprecatedID") or "").strip() or None
    return Instance(form_id, (root.get("version") or "").strip(), instance_id, deprecated, content)


def registration_of(instance: Instance) -> KoboBatch:
    """The household a registration instance holds, read as an export's submission is (problems in the batch)."""
    return read_submissions([instance.content])


def field_of(instance: Instance, name: str) -> str:
    """A single field of the instance by its name, wherever its group puts it ('' when absent)."""
    stack = [instance.content]
    while stack:
        node = stack.pop()
        for key, value in node.items():
            if key == name and isinstance(value, str):
                return value
            if isinstance(value, dict):
                stack.append(value)
    return ""


# --- what the server answers ---------------------------------------------------------------------------------

def _document(root) -> bytes:
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def response_xml(message: str, *, nature: str | None = None) -> bytes:
    """An OpenRosaResponse with one message (the app shows it to its user)."""
    root = ElementTree.Element("OpenRosaResponse", xmlns=RESPONSE_NS)
    text = ElementTree.SubElement(root, "message", **({"nature": nature} if nature else {}))
    text.text = message
    return _document(root)


@dataclass(frozen=True)
class ListedForm:
    form_id: str
    name: str
    version: str
    hash: str
    download_url: str
    manifest_url: str | None = None


def form_list_xml(forms: Iterable[ListedForm]) -> bytes:
    """The OpenRosa xformsList."""
    root = ElementTree.Element("xforms", xmlns=FORM_LIST_NS)
    for form in forms:
        item = ElementTree.SubElement(root, "xform")
        for tag, value in (("formID", form.form_id), ("name", form.name), ("version", form.version),
                           ("hash", form.hash), ("downloadUrl", form.download_url),
                           ("manifestUrl", form.manifest_url)):
            if value is not None:
                ElementTree.SubElement(item, tag).text = value
    return _document(root)


def manifest_xml(media: Iterable[tuple[str, str, str]] = ()) -> bytes:
    """An OpenRosa manifest of (file name, md5 hash, download URL); corridor's forms have no media files."""
    root = ElementTree.Element("manifest", xmlns=MANIFEST_NS)
    for name, digest, url in media:
        item = ElementTree.SubElement(root, "mediaFile")
        ElementTree.SubElement(item, "filename").text = name
        ElementTree.SubElement(item, "hash").text = digest
        ElementTree.SubElement(item, "downloadUrl").text = url
    return _document(root)
